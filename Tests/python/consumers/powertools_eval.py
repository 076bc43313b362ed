#!/usr/bin/env python3
"""Evaluate a Powertools feature-flag document with the real library
(aws-lambda-powertools 3.37.0 `FeatureFlags`), as an application would.

    powertools_eval.py DOC [DOC...] CONTEXTS [--flags a,b] [--default JSON]

Each DOC is a document file, read through a file-backed StoreProvider (the store an
application would point at AppConfig). CONTEXTS is a JSON file holding an array of
context objects. Prints one JSON object, one entry per DOC:
    {"documents": [{"flags": [...], "results": [[json-text per flag] per context]}]}
where each result is `json.dumps` of what `FeatureFlags.evaluate` returned, or
{"error": "..."} text when it raised. Exit 2 when a document itself is refused (the
schema validator's message on stderr), which is what the application would see.
"""
import argparse
import json
import sys

from aws_lambda_powertools.utilities.feature_flags import FeatureFlags
from aws_lambda_powertools.utilities.feature_flags.base import StoreProvider


class FileStore(StoreProvider):
    """A StoreProvider over one file, read once per process like a cached AppConfigStore."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.config = json.loads(f.read())

    @property
    def get_raw_configuration(self):
        return self.config

    def get_configuration(self):
        return self.config


def evaluate(path, contexts, flag_list, default):
    store = FileStore(path)
    ff = FeatureFlags(store=store)
    try:
        ff.get_configuration()
    except Exception as e:  # SchemaValidationError and friends: the app would refuse the document
        print(f"{path}: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(2)
    flags = flag_list or list(store.config.keys())
    results = []
    for ctx in contexts:
        row = []
        for name in flags:
            try:
                row.append(json.dumps(ff.evaluate(name=name, context=ctx, default=default)))
            except Exception as e:
                row.append(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        results.append(row)
    return {"flags": flags, "results": results}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+", metavar="DOC... CONTEXTS")
    ap.add_argument("--flags", default=None)
    ap.add_argument("--default", default="false")
    a = ap.parse_args()
    if len(a.paths) < 2:
        ap.error("need at least one DOC and the CONTEXTS file")
    with open(a.paths[-1], "rb") as f:
        contexts = json.loads(f.read())
    flags = a.flags.split(",") if a.flags else None
    default = json.loads(a.default)
    json.dump({"documents": [evaluate(p, contexts, flags, default) for p in a.paths[:-1]]}, sys.stdout)


if __name__ == "__main__":
    main()
