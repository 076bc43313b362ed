#!/usr/bin/env python3
"""Powertools baseline for flagdeck-bench's evals_per_sec: the same config (200 features,
each with an EQUALS rule and a MODULO_RANGE rule) and the same 10,000 contexts as
`FormatsBenchmark`, evaluated call by call with the real `FeatureFlags.evaluate`, in whole
passes over all 10,000 contexts for at least 3 seconds.

    .build/venvs/consumers/bin/python bench_powertools.py
    # prints {"powertools_evals_per_sec": N, "contexts": 10000, "features": 200, "passes": P,
    #         "true_per_pass": T}

`true_per_pass` (evaluations that returned True in one pass) lets the bench check that
both sides ran the same workload with the same outcome.
"""
import json
import logging
import sys
import time
import warnings

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)

from aws_lambda_powertools.utilities.feature_flags import FeatureFlags  # noqa: E402
from powertools_memory_store import MemoryStore  # noqa: E402

FEATURES = 200
CONTEXTS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
MINIMUM_SECONDS = 3

config = {}
for i in range(FEATURES):
    config[f"feature_{i}"] = {"default": False, "rules": {
        f"tier is {i % 7}": {"when_match": True, "conditions": [{"action": "EQUALS", "key": "tier", "value": f"tier-{i % 7}"}]},
        f"bucket {i}": {"when_match": True, "conditions": [
            {"action": "MODULO_RANGE", "key": "user_id", "value": {"BASE": 100, "START": 0, "END": i % 100}}]},
    }}
contexts = [{"tier": f"tier-{j % 11}", "user_id": j * 7919 + 13, "region": "eu-west-1"} for j in range(CONTEXTS)]
ff = FeatureFlags(store=MemoryStore(config))
names = list(config)
passes = 0
true_per_pass = None
start = time.perf_counter()
while True:
    trues = 0
    for ctx in contexts:
        for name in names:
            if ff.evaluate(name=name, context=ctx, default=False) is True:
                trues += 1
    if true_per_pass is not None and trues != true_per_pass:
        sys.exit(f"a pass gave {trues} true evaluations, the first gave {true_per_pass}")
    true_per_pass = trues
    passes += 1
    elapsed = time.perf_counter() - start
    if elapsed >= MINIMUM_SECONDS:
        break
print(json.dumps({"powertools_evals_per_sec": round(passes * len(contexts) * len(names) / elapsed),
                  "contexts": len(contexts), "features": len(names), "passes": passes, "true_per_pass": true_per_pass}))
