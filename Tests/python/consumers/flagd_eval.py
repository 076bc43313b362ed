#!/usr/bin/env python3
"""Evaluate a flagd flag-definition file with the real provider, as an application would:
openfeature-sdk 0.10.0 + openfeature-provider-flagd 0.6.1 in FILE mode
(`FlagdProvider(resolver_type=ResolverType.FILE, offline_flag_source_path=DOC)`, registered
with `api.set_provider_and_wait`, so no evaluation races the first read of the file).

    flagd_eval.py DOC [DOC...] CONTEXTS [--flags a,b] [--default-bool true|false]

CONTEXTS is a JSON array of context objects; `targetingKey`, if present, becomes the
evaluation context's targeting key and everything else its attributes. Each flag is
resolved with the method for its variants' type (boolean, string, integer, float, object);
the caller's default for booleans is --default-bool (use `true` to prove that an "off"
does not come from the caller's default, as `state: DISABLED` would). Prints, one entry
per DOC (each read by a fresh provider):
    {"documents": [{"flags": [...], "results": [[json-text]...], "reasons": [[reason]...]}]}
"""
import argparse
import json
import sys

from openfeature import api
from openfeature.contrib.provider.flagd import FlagdProvider
from openfeature.contrib.provider.flagd.config import ResolverType
from openfeature.evaluation_context import EvaluationContext

DEFAULTS = {"string": "__caller_default__", "integer": -987654321, "float": -0.5, "object": {"__caller_default__": True}}


def kind(variants):
    vs = list(variants.values())
    if vs and all(isinstance(v, bool) for v in vs):
        return "boolean"
    if vs and all(isinstance(v, str) for v in vs):
        return "string"
    if vs and all(isinstance(v, int) and not isinstance(v, bool) for v in vs):
        return "integer"
    if vs and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vs):
        return "float"
    return "object"


def evaluate(path, contexts, flag_list, default_bool):
    with open(path, "rb") as f:
        doc = json.loads(f.read())
    flags = flag_list or list(doc.get("flags", {}).keys())
    kinds = {k: kind(doc["flags"][k].get("variants", {})) if k in doc.get("flags", {}) else "boolean" for k in flags}
    provider = FlagdProvider(resolver_type=ResolverType.FILE, offline_flag_source_path=path)
    api.set_provider_and_wait(provider)
    client = api.get_client()
    results, reasons = [], []
    for ctx in contexts:
        attrs = {k: v for k, v in ctx.items() if k != "targetingKey"}
        ec = EvaluationContext(targeting_key=ctx.get("targetingKey"), attributes=attrs)
        row, why = [], []
        for name in flags:
            k = kinds[name]
            if k == "boolean":
                d = client.get_boolean_details(name, default_bool, ec)
            elif k == "string":
                d = client.get_string_details(name, DEFAULTS[k], ec)
            elif k == "integer":
                d = client.get_integer_details(name, DEFAULTS[k], ec)
            elif k == "float":
                d = client.get_float_details(name, DEFAULTS[k], ec)
            else:
                d = client.get_object_details(name, DEFAULTS[k], ec)
            if d.error_code is not None:
                row.append(json.dumps({"error": f"{d.error_code}: {d.error_message}"}))
            else:
                row.append(json.dumps(d.value))
            why.append(str(d.reason))
        results.append(row)
        reasons.append(why)
    api.shutdown()
    return {"flags": flags, "results": results, "reasons": reasons}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+", metavar="DOC... CONTEXTS")
    ap.add_argument("--flags", default=None)
    ap.add_argument("--default-bool", default="true")
    a = ap.parse_args()
    if len(a.paths) < 2:
        ap.error("need at least one DOC and the CONTEXTS file")
    with open(a.paths[-1], "rb") as f:
        contexts = json.loads(f.read())
    flags = a.flags.split(",") if a.flags else None
    docs = [evaluate(p, contexts, flags, a.default_bool == "true") for p in a.paths[:-1]]
    json.dump({"documents": docs}, sys.stdout)


if __name__ == "__main__":
    main()
