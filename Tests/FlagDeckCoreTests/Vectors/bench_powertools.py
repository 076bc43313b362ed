#!/usr/bin/env python3
"""Powertools baseline for flagdeck-bench's evals_per_sec: the same config (200 features,
each with an EQUALS rule and a MODULO_RANGE rule) and the same 10,000 contexts as
`FormatsBenchmark`, evaluated with the real `FeatureFlags.evaluate`.

    /tmp/pt-venv/bin/python bench_powertools.py   # prints {"powertools_evals_per_sec": N}
"""
import json
import logging
import time
import warnings

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)

from aws_lambda_powertools.utilities.feature_flags import FeatureFlags  # noqa: E402
from powertools_memory_store import MemoryStore  # noqa: E402


config = {}
for i in range(200):
    config[f"feature_{i}"] = {"default": False, "rules": {
        f"tier is {i % 7}": {"when_match": True, "conditions": [{"action": "EQUALS", "key": "tier", "value": f"tier-{i % 7}"}]},
        f"bucket {i}": {"when_match": True, "conditions": [
            {"action": "MODULO_RANGE", "key": "user_id", "value": {"BASE": 100, "START": 0, "END": i % 100}}]},
    }}
contexts = [{"tier": f"tier-{j % 11}", "user_id": j * 7919 + 13, "region": "eu-west-1"} for j in range(10_000)]
ff = FeatureFlags(store=MemoryStore(config))
names = list(config)
n = 0
start = time.perf_counter()
while time.perf_counter() - start < 3:
    for ctx in contexts[:500]:
        for name in names:
            ff.evaluate(name=name, context=ctx, default=False)
        n += len(names)
elapsed = time.perf_counter() - start
print(json.dumps({"powertools_evals_per_sec": round(n / elapsed)}))
