#!/usr/bin/env python3
"""Reference vectors for the features_config.json cascade, made by running the seed
document's own code (seed 003: `FeatureManager.is_enabled` and `rollout.py`, copied
verbatim below; only the singleton/file loading is bypassed and `datetime.now()` is
pinned to a fixed instant through a stand-in `datetime` module).

    python3 generate_features_config_vectors.py

Writes features_config_vectors.jsonl next to this script, one line per config:
    {"config":…, "now":"YYYY-MM-DDTHH:MM:SS", "cases":[{"feature":…, "context":…,
      "environment":…, "expected": true | false | "error"}]}
Seeded, so re-running reproduces the file.
"""
import datetime as real_datetime
import hashlib
import json
import os
import random
import sys
import types
from typing import Any, Dict, Union, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
R = random.Random(3)
FIXED_NOW = [real_datetime.datetime(2026, 11, 21, 4, 30, 0)]


class _PinnedDatetime(real_datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return FIXED_NOW[0]


datetime = types.SimpleNamespace(datetime=_PinnedDatetime)


# ---- rollout.py (verbatim from the seed) ----
def rollout_hash(user_id: int, salt: str = "FeatureSalt", max_value: int = 100) -> int:
    hasher = hashlib.sha256()
    hasher.update(f"{user_id}{salt}".encode())
    hashed_value = int(hasher.hexdigest(), 16)  # Convert the hash from hex to int

    return hashed_value % max_value


def is_rolled_out(user_id: int, percentage: int, salt: str = "FeatureSalt") -> bool:
    value = rollout_hash(user_id, salt)
    threshold = percentage  # The percentage already represents the threshold

    return value < threshold


# ---- feature_manager.py: FeatureManager.is_enabled (verbatim), state set directly ----
class FeatureManager:
    _error_counts: Dict[str, int] = {}
    _performance_logs: Dict[str, Union[int, float]] = {}

    def __init__(self, features):
        self.features: Dict[str, Any] = features

    def is_enabled(self, feature_name: str, user_context: Dict[str, Any], environment: str = "production") -> bool:
        feature_config = self.features.get(feature_name, {})

        # Global Activation Check
        if not feature_config.get("active"):
            return False

        # If no other fields are set, and "active" is True, the feature is enabled for everyone.
        if len(feature_config) == 1:  # Only 'active' field is present
            return True

        # Check for scheduled activation
        if "activation_date" in feature_config:
            activation_date = datetime.datetime.fromisoformat(feature_config["activation_date"])
            if datetime.datetime.now() < activation_date:
                return False

        # Check for environment
        if "environments" in feature_config and environment not in feature_config["environments"]:
            return False

        # Check for performance degradation
        if self._performance_logs.get(feature_name, 0) > feature_config.get("performance_threshold", float("inf")):
            return False

        # Check for error limit
        if self._error_counts.get(feature_name, 0) > feature_config.get("error_threshold", float("inf")):
            return False

        # Check feature dependencies (we check reccursive)
        # Be careful for infinite dependency loop
        if "depends_on" in feature_config:
            for dependency in feature_config["depends_on"]:
                if not self.is_enabled(dependency, user_context):
                    return False

        # If no user context is provided and the feature is active, we return True
        if user_context == {}:
            return True

        # User Specific Check
        if "users" in feature_config and user_context["user_id"] in feature_config["users"]:
            return True

        # Region Specific Check
        region_enabled = "regions" not in feature_config or user_context["region"] in feature_config["regions"]

        # Account Type and Beta Program Checks
        account_type_enabled = "account_types" not in feature_config or user_context["account_type"] in feature_config["account_types"]

        beta_program_enabled = not feature_config.get("beta_program") or user_context["beta_program"]

        # If both account type and beta program conditions are met, then check for regions.
        if account_type_enabled and beta_program_enabled and region_enabled:
            if "percentage_rollout" in feature_config:

                # Check for percentage rollout
                if is_rolled_out(
                    user_id=user_context["user_id"],
                    percentage=feature_config["percentage_rollout"],
                    salt=feature_name
                ):
                    return True
            else:
                return True

        return False


SEED_CONFIG = {
    "new_ui": {
        "active": True, "regions": ["US", "RO"], "percentage_rollout": 90, "users": [123, 456, 789],
        "account_types": ["premium", "enterprise"], "beta_program": True, "activation_date": "2022-12-25T00:00:00",
        "error_threshold": 100, "environments": ["dev", "staging", "production"], "performance_baseline": 1.0,
        "metadata": {"description": "New and improved UI with advanced features.", "owner": "UI Team"},
    },
    "advanced_search": {
        "active": True, "depends_on": ["new_ui"], "regions": ["US"], "percentage_rollout": 85,
        "environments": ["dev", "staging", "production"], "performance_baseline": 1.0,
        "metadata": {"description": "Advanced search feature relying on new_ui components.", "owner": "Search Team"},
    },
}

REGIONS = ["US", "RO", "DE", "FR", "JP"]
ACCOUNTS = ["premium", "enterprise", "free", "team"]
ENVS = ["dev", "staging", "production", "qa"]


def random_feature(name, earlier):
    f = {"active": R.random() < 0.85}
    if R.random() < 0.15:
        return f
    if R.random() < 0.5:
        f["regions"] = R.sample(REGIONS, R.randrange(1, 4))
    if R.random() < 0.6:
        f["percentage_rollout"] = R.choice([0, 1, 10, 25, 50, 50.5, 85, 90, 99, 100])
    if R.random() < 0.4:
        f["users"] = R.sample([1, 2, 3, 123, 456, 789, 1001, "u-7"], R.randrange(1, 4))
    if R.random() < 0.4:
        f["account_types"] = R.sample(ACCOUNTS, R.randrange(1, 3))
    if R.random() < 0.3:
        f["beta_program"] = R.random() < 0.7
    if R.random() < 0.4:
        f["activation_date"] = R.choice(["2022-12-25T00:00:00", "2026-11-21T04:30:00", "2026-11-21T04:30:01",
                                         "2027-01-01", "2026-11-21", "2026-11-20T23:59:59.999999"])
    if R.random() < 0.6:
        f["environments"] = R.sample(ENVS, R.randrange(1, 4))
    if earlier and R.random() < 0.4:
        f["depends_on"] = R.sample(earlier, min(len(earlier), R.randrange(1, 3)))
    if R.random() < 0.2:
        f["error_threshold"] = R.choice([100, 0, -1])
    if R.random() < 0.3:
        f["metadata"] = {"description": f"{name} feature", "owner": R.choice(["UI Team", "Search Team", "Growth"])}
    return f


def random_context():
    r = R.random()
    if r < 0.08:
        return {}
    ctx = {"user_id": R.choice([1, 2, 3, 123, 456, 789, 1001, 4242, 99999, "u-7", "alice", 2**70, True])}
    if R.random() < 0.95:
        ctx["region"] = R.choice(REGIONS)
    if R.random() < 0.95:
        ctx["account_type"] = R.choice(ACCOUNTS)
    if R.random() < 0.9:
        ctx["beta_program"] = R.random() < 0.5
    return ctx


def run(config, cases):
    fm = FeatureManager(config)
    out = []
    for feature, ctx, env in cases:
        try:
            exp = fm.is_enabled(feature, ctx, env)
            exp = bool(exp) if isinstance(exp, bool) else exp
        except Exception:
            exp = "error"
        out.append({"feature": feature, "context": ctx, "environment": env, "expected": exp})
    return {"config": config, "now": FIXED_NOW[0].isoformat(), "cases": out}


def main():
    lines = []
    # The seed's own example, including the user ids and regions from its main.py.
    cases = []
    for uid in list(range(0, 400)) + [123, 456, 789]:
        for region in ["US", "RO"]:
            ctx = {"user_id": uid, "region": region, "account_type": "premium", "beta_program": True}
            cases.append(("new_ui", ctx, "production"))
            cases.append(("advanced_search", ctx, "production"))
    cases.append(("new_ui", {}, "production"))
    cases.append(("new_ui", {"user_id": 5}, "production"))  # KeyError in the reference code
    cases.append(("missing", {"user_id": 5}, "production"))
    lines.append(run(SEED_CONFIG, cases))
    # Random cascades.
    for g in range(40):
        config = {}
        names = []
        for i in range(R.randrange(3, 8)):
            name = f"feat_{g}_{i}"
            config[name] = random_feature(name, names)
            names.append(name)
        cases = []
        for _ in range(40):
            ctx = random_context()
            env = R.choice(ENVS)
            for n in names:
                cases.append((n, ctx, env))
        lines.append(run(config, cases))
    n = sum(len(l["cases"]) for l in lines)
    with open(os.path.join(HERE, "features_config_vectors.jsonl"), "w", encoding="utf-8") as f:
        for l in lines:
            f.write(json.dumps(l, ensure_ascii=False, separators=(",", ":")) + "\n")
    errors = sum(1 for l in lines for c in l["cases"] if c["expected"] == "error")
    print(f"features_config: {n} vectors in {len(lines)} configs ({errors} raise in the reference code)", file=sys.stderr)


if __name__ == "__main__":
    main()
