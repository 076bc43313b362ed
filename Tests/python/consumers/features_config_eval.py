#!/usr/bin/env python3
"""Evaluate a features_config.json document with seed 003's own code: `rollout.py` and
`FeatureManager` (feature_manager.py) are copied verbatim from the seed below. The only
edits: `load_config` and `_save` open CONFIG_PATH instead of 'features_config.json' in the current
directory, and `from rollout import is_rolled_out` is dropped (the copy above provides it).

    features_config_eval.py DOC [DOC...] CONTEXTS [--flags a,b] [--environment production]
    features_config_eval.py DOC --disable NAME      # the seed's own kill: FeatureManager().disable(NAME)

Prints {"documents": [{"flags": [...], "results": [[json-text per flag] per context]}]},
one entry per DOC: `true`/`false` from
`is_enabled(name, context, environment)`, or {"error": "..."} text where it raised (a
missing context key is a KeyError in the seed's code). `--disable` rewrites DOC in place
exactly as the seed's `_save` does (json.dump, indent=4) and prints nothing.
"""
import argparse
import json
import sys

CONFIG_PATH = "features_config.json"

# ---- rollout.py (verbatim from seed 003) ----
import hashlib

def rollout_hash(user_id: int, salt: str = "FeatureSalt", max_value: int = 100) -> int:
    """
    Generate a deterministic 'random' value between 0 (inclusive) and max_value (exclusive) for a user.
    
    Args:
        user_id (int): The user's unique identifier.
        salt (str, optional): A salt string to ensure distinctiveness of the hash. Defaults to "FeatureSalt".
        max_value (int, optional): The upper limit (exclusive) for the generated value. Defaults to 100.

    Returns:
        int: A value between 0 (inclusive) and max_value (exclusive).
    """

    # Convert the user_id to string and hash it using SHA-256
    hasher = hashlib.sha256()
    hasher.update(f"{user_id}{salt}".encode())
    hashed_value = int(hasher.hexdigest(), 16)  # Convert the hash from hex to int

    return hashed_value % max_value


def is_rolled_out(user_id: int, percentage: int, salt: str = "FeatureSalt") -> bool:
    """
    Determine if a feature should be rolled out to a user based on the specified percentage.

    Args:
        user_id (int): The user's unique identifier.
        percentage (int): The percentage of users to roll the feature out to.
        salt (str, optional): A salt string to make this decision specific to a feature or use case. Defaults to "FeatureSalt".

    Returns:
        bool: True if the feature should be rolled out, False otherwise.
    """

    value = rollout_hash(user_id, salt)
    threshold = percentage  # The percentage already represents the threshold

    return value < threshold


# ---- feature_manager.py (verbatim from seed 003, CONFIG_PATH edit only) ----
import json
from typing import Dict, Any, Union, Optional
import datetime


class FeatureManager:
    _instance: Optional["FeatureManager"] = None
    _error_counts: Dict[str, int] = {}
    _performance_logs: Dict[str, Union[int, float]] = {}


    def __new__(cls) -> "FeatureManager":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
            cls._instance.initialize()
        return cls._instance


    def initialize(self):
        self.load_config()


    def load_config(self):
        with open(CONFIG_PATH, 'r') as file:
            self.features: Dict[str, Any] = json.load(file)


    def disable(self, feature_name: str) -> None:
        self.features[feature_name]["active"] = False
        self._save()


    def _save(self) -> None:
        with open(CONFIG_PATH, 'w') as file:
            json.dump(self.features, file, indent=4)

    def get_feature_metadata(self, feature_name: str) -> Dict[str, Any]:
        return self.features.get(feature_name, {}).get("metadata", {})

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

    def report_error(self, feature_name: str) -> None:
        self._error_counts[feature_name] = self._error_counts.get(feature_name, 0) + 1


    def report_performance(self, feature_name: str, time_taken: Union[int, float]) -> None:
        # We will log how many times our feature went over our performance baseline
        if time_taken > self.features.get(feature_name, {}).get("performance_baseline", float("inf")):
            self._performance_logs[feature_name] = self._performance_logs.get(feature_name, 0) + 1


def evaluate(path, contexts, flag_list, environment):
    global CONFIG_PATH
    CONFIG_PATH = path
    FeatureManager._instance = None  # the seed's singleton: a fresh one per document
    manager = FeatureManager()
    flags = flag_list or list(manager.features.keys())
    results = []
    for ctx in contexts:
        row = []
        for name in flags:
            try:
                row.append(json.dumps(manager.is_enabled(name, ctx, environment)))
            except Exception as e:
                row.append(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        results.append(row)
    return {"flags": flags, "results": results}


def main():
    global CONFIG_PATH
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+", metavar="DOC... CONTEXTS")
    ap.add_argument("--flags", default=None)
    ap.add_argument("--environment", default="production")
    ap.add_argument("--disable", default=None)
    a = ap.parse_args()
    if a.disable is not None:
        CONFIG_PATH = a.paths[0]
        FeatureManager().disable(a.disable)
        return
    if len(a.paths) < 2:
        ap.error("need at least one DOC and the CONTEXTS file")
    with open(a.paths[-1], "rb") as f:
        contexts = json.loads(f.read())
    flags = a.flags.split(",") if a.flags else None
    json.dump({"documents": [evaluate(p, contexts, flags, a.environment) for p in a.paths[:-1]]}, sys.stdout)


if __name__ == "__main__":
    main()
