#!/usr/bin/env python3
"""What an application reading AWS AppConfig sees: aws-lambda-powertools 3.37.0
`FeatureFlags` over its own `AppConfigStore` (boto3 AppConfigData, max_age=0), one store
per target, exactly as a Lambda function would hold one.

    appconfig_powertools_eval.py SPEC

SPEC is a JSON file:
    {"endpoint": "http://127.0.0.1:PORT", "region": "us-east-1",
     "targets": [{"account": "111111111111", "application": "checkout",
                  "environment": "prod", "profile": "flags"}, ...],
     "flags": ["a", "b"], "contexts": [{...}, ...], "default": false,
     "raw": false}

With the ministack emulator and AUTH=false, a 12-digit access key is the account. Prints
one JSON object:
    {"targets": [{"results": [[json-text per flag] per context]}
                  or {"raw": <the served document>} when "raw" is true
                  or {"error": "..."} when the store raised]}
Each result is `json.dumps` of what `FeatureFlags.evaluate` returned, or
{"error": "..."} text when the evaluation raised.
"""
import json
import sys

import boto3
from aws_lambda_powertools.utilities.feature_flags import AppConfigStore, FeatureFlags


def client(spec, target):
    return boto3.client(
        "appconfigdata",
        endpoint_url=spec["endpoint"],
        region_name=target.get("region", spec.get("region", "us-east-1")),
        aws_access_key_id=target["account"],
        aws_secret_access_key=target.get("secret", "test"),
    )


def evaluate(spec, target):
    store = AppConfigStore(
        environment=target["environment"],
        application=target["application"],
        name=target["profile"],
        max_age=0,
        envelope=target.get("envelope", ""),
        boto3_client=client(spec, target),
    )
    try:
        if spec.get("raw"):
            return {"raw": store.get_raw_configuration}
        ff = FeatureFlags(store=store)
        ff.get_configuration()
    except Exception as e:  # the application would refuse (or fail to read) the document
        return {"error": f"{type(e).__name__}: {e}"}
    results = []
    for ctx in spec.get("contexts", [{}]):
        row = []
        for name in spec["flags"]:
            try:
                row.append(json.dumps(ff.evaluate(name=name, context=ctx, default=spec.get("default", False))))
            except Exception as e:
                row.append(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        results.append(row)
    return {"results": results}


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    with open(sys.argv[1], "rb") as f:
        spec = json.loads(f.read())
    json.dump({"targets": [evaluate(spec, t) for t in spec["targets"]]}, sys.stdout)


if __name__ == "__main__":
    main()
