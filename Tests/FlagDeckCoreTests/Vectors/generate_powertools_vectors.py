#!/usr/bin/env python3
"""Reference vectors for flagdeck's Powertools evaluator, produced by the real library.

    python3 -m venv /tmp/pt-venv && /tmp/pt-venv/bin/pip install aws-lambda-powertools boto3
    TZ=UTC /tmp/pt-venv/bin/python generate_powertools_vectors.py

Writes, next to this script:
  powertools_eval_vectors.jsonl    one line per (config, instant):
      {"config":…, "now":"…Z", "cases":[{"feature":…, "context":…, "default":…, "expected":…}
                                          | {"enabled":true, "context":…, "expected":[…] | "error"}]}
  powertools_schema_vectors.jsonl  {"config":…, "valid":bool, "error":"Powertools' message"}

Evaluation uses `FeatureFlags` with an in-memory `StoreProvider`; the schedule
comparators' clock (`comparators._get_now_from_timezone`) is patched to a fixed instant.
The generator is seeded, so re-running it reproduces the files byte for byte.
"""
import datetime as dt
import json
import os
import random
import sys
import unicodedata
import warnings

os.environ["TZ"] = "UTC"
warnings.simplefilter("ignore")

from dateutil.tz import gettz  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags import FeatureFlags  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags import comparators  # noqa: E402
from powertools_memory_store import MemoryStore  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags.schema import SchemaValidator  # noqa: E402
import aws_lambda_powertools  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
R = random.Random(20261121)
NOW = [None]


def fixed_now(timezone):
    tz = gettz("UTC") if timezone is None else timezone
    return NOW[0].astimezone(tz)


comparators._get_now_from_timezone = fixed_now


NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")
BIG = 2**64 + 1
STRINGS = ["premium", "prem", "ium", "", "Premium", NFC, NFD, "caf", "e\u0301", "ab", "a", "b", "ünï", "10", "1"]
INTS = [0, 1, -1, 2, 3, 7, 10, 100, 2**63 - 1, 2**63, BIG, -(2**70), 9007199254740993, 12345678901234567890123]
FLOATS = [1.0, 0.5, -2.5, 10.0, 1e16, 9007199254740992.0, 1e300, -0.0, 2.5]
BOOLS = [True, False]
LISTS = [[], ["premium", "gold"], [1, 2, 3], ["a", "b"], [1, "a"], [[1]], [True], [NFC], [1.0, 2], [BIG]]
DICTS = [{}, {"premium": True}, {"a": 1}, {"1": 1}]
SCALARS = STRINGS + INTS + FLOATS + BOOLS + [None]
ALL = SCALARS + LISTS + DICTS
ALL_NN = [v for v in ALL if v is not None]  # condition values may not be null
SCALARS_NN = [v for v in SCALARS if v is not None]

PLAIN_ACTIONS = [
    "EQUALS", "NOT_EQUALS", "KEY_GREATER_THAN_VALUE", "KEY_GREATER_THAN_OR_EQUAL_VALUE",
    "KEY_LESS_THAN_VALUE", "KEY_LESS_THAN_OR_EQUAL_VALUE", "STARTSWITH", "ENDSWITH",
    "IN", "NOT_IN", "KEY_IN_VALUE", "KEY_NOT_IN_VALUE", "VALUE_IN_KEY", "VALUE_NOT_IN_KEY",
]
LIST_ACTIONS = ["ALL_IN_VALUE", "ANY_IN_VALUE", "NONE_IN_VALUE"]

ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
         "Pacific/Chatham", "America/St_Johns", "Asia/Tokyo", "US/Eastern", "EST5EDT", "Europe/Berlin",
         "America/Sao_Paulo", "Pacific/Kiritimati", "America/New York"]
DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

INSTANTS = [
    dt.datetime(2026, 11, 21, 4, 30, 0, tzinfo=dt.timezone.utc),
    dt.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=dt.timezone.utc),  # just before EU DST
    dt.datetime(2026, 3, 29, 1, 0, 0, tzinfo=dt.timezone.utc),
    dt.datetime(2026, 11, 1, 5, 30, 0, tzinfo=dt.timezone.utc),  # US fall-back hour
    dt.datetime(2026, 1, 1, 0, 0, 0, tzinfo=dt.timezone.utc),
    dt.datetime(2025, 12, 31, 23, 59, 30, tzinfo=dt.timezone.utc),
    dt.datetime(2026, 6, 15, 12, 0, 0, tzinfo=dt.timezone.utc),
    dt.datetime(2026, 7, 4, 22, 15, 0, 250000, tzinfo=dt.timezone.utc),
    dt.datetime(2028, 2, 29, 23, 0, 0, tzinfo=dt.timezone.utc),
]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def cond(action, key, value):
    return {"action": action, "key": key, "value": value}


def feature(rules, default=False, boolean=True):
    f = {"default": default}
    if not boolean:
        f["boolean_type"] = False
    if rules is not None:
        f["rules"] = rules
    return f


def run_cases(config, now, cases):
    NOW[0] = now
    ff = FeatureFlags(store=MemoryStore(config))
    out = []
    for c in cases:
        if c.get("enabled"):
            try:
                exp = ff.get_enabled_features(context=c["context"])
            except Exception:
                exp = "error"
            out.append({"enabled": True, "context": c["context"], "expected": exp})
        else:
            exp = ff.evaluate(name=c["feature"], context=c["context"], default=c["default"])
            out.append({"feature": c["feature"], "context": c["context"], "default": c["default"], "expected": exp})
    return {"config": config, "now": iso(now), "cases": out}


def rand_context(keys):
    ctx = {}
    for k in keys:
        if R.random() < 0.85:
            ctx[k] = R.choice(ALL)
    if R.random() < 0.3:
        ctx["other"] = R.choice(SCALARS)
    return ctx


def plain_action_groups():
    groups = []
    for action in PLAIN_ACTIONS:
        for _ in range(8):
            values = [R.choice(ALL_NN) for _ in range(4)]
            rules = {}
            for i, v in enumerate(values):
                rules[f"{action.lower()} rule {i}"] = {"when_match": True, "conditions": [cond(action, "k", v)]}
            config = {}
            for i, (name, rule) in enumerate(rules.items()):
                config[f"f{i}"] = feature({name: rule})
            cases = []
            for _ in range(12):
                ctx = {"k": R.choice(ALL)} if R.random() < 0.9 else {}
                for fname in config:
                    cases.append({"feature": fname, "context": ctx, "default": False})
            groups.append(run_cases(config, INSTANTS[0], cases))
    # Targeted pairs that decide Python-specific behaviour.
    targeted = [
        ("EQUALS", 1, 1.0), ("EQUALS", True, 1), ("EQUALS", False, 0), ("EQUALS", NFC, NFD), ("EQUALS", NFC, NFC),
        ("EQUALS", BIG, float(BIG)), ("EQUALS", 9007199254740993, 9007199254740992.0), ("EQUALS", [1, 2], [1.0, 2]),
        ("EQUALS", {"a": 1, "b": 2}, {"b": 2, "a": 1}), ("NOT_EQUALS", "1", 1), ("NOT_EQUALS", None, "None"),
        ("IN", "rem", "premium"), ("IN", 1, "premium"), ("NOT_IN", 1, "premium"), ("NOT_IN", "x", ["a"]),
        ("NOT_IN", [1], {"a": 1}), ("IN", "a", {"a": 1}), ("IN", 1, {"1": 1}), ("KEY_IN_VALUE", "e\u0301", NFD),
        ("KEY_IN_VALUE", "e\u0301", NFC), ("VALUE_IN_KEY", "premium", "rem"), ("VALUE_NOT_IN_KEY", 5, "abc"),
        ("KEY_GREATER_THAN_VALUE", "b", "a"), ("KEY_GREATER_THAN_VALUE", 1, "a"), ("KEY_LESS_THAN_VALUE", [1, 2], [1, 3]),
        ("KEY_LESS_THAN_VALUE", [1, "a"], [1, 2]), ("KEY_LESS_THAN_VALUE", [1], [1, 0]), ("KEY_GREATER_THAN_VALUE", BIG, 2**64),
        ("KEY_GREATER_THAN_VALUE", 2**64 + 1, 1.8446744073709552e19), ("KEY_LESS_THAN_OR_EQUAL_VALUE", True, 1),
        ("KEY_GREATER_THAN_OR_EQUAL_VALUE", {"a": 1}, {"a": 1}), ("STARTSWITH", NFD, "cafe"), ("STARTSWITH", NFC, "cafe"),
        ("ENDSWITH", "premium", ""), ("STARTSWITH", ["a"], "a"), ("ENDSWITH", "a", ["a"]),
        ("KEY_GREATER_THAN_VALUE", "é", "z"), ("KEY_LESS_THAN_VALUE", "Z", "a"), ("KEY_LESS_THAN_VALUE", "\U0001F600", "\uffff"),
    ]
    config = {}
    cases = []
    for i, (action, ctxv, condv) in enumerate(targeted):
        config[f"t{i}"] = feature({"r": {"when_match": True, "conditions": [cond(action, "k", condv)]}})
        for ctx in ({"k": ctxv}, {}, {"k": None}):
            cases.append({"feature": f"t{i}", "context": ctx, "default": False})
    groups.append(run_cases(config, INSTANTS[0], cases))
    return groups


def list_action_groups():
    groups = []
    for action in LIST_ACTIONS:
        config = {}
        for i in range(6):
            v = R.choice(LISTS)
            config[f"{action.lower()}_{i}"] = feature({"r": {"when_match": True, "conditions": [cond(action, "groups", v)]}})
        cases = []
        for _ in range(16):
            ctx = {"groups": R.choice(LISTS + SCALARS[:6])} if R.random() < 0.9 else {}
            for f in config:
                cases.append({"feature": f, "context": ctx, "default": False})
        groups.append(run_cases(config, INSTANTS[0], cases))
    return groups


def modulo_groups():
    groups = []
    config = {}
    specs = [(100, 0, 49), (100, 50, 99), (3, 0, 0), (7, 2, 5), (1, 0, 0), (2**70, 0, 2**65), (10, 9, 9), (True, 0, 0)]
    for i, (b, s, e) in enumerate(specs):
        config[f"m{i}"] = feature({"mod": {"when_match": True, "conditions": [
            cond("MODULO_RANGE", "user_id", {"BASE": b, "START": s, "END": e})]}})
    cases = []
    ids = [0, 1, 5, 49, 50, 99, 100, -1, -7, -51, 2**64 + 3, -(2**66) - 5, 2**70 + 7, 3.5, -0.5, 149.0, 1e300,
           "5", "abc", True, False, None, [1], {"a": 1}, 9007199254740993, 12345678901234567890123]
    for uid in ids:
        for f in config:
            cases.append({"feature": f, "context": {"user_id": uid}, "default": False})
    for f in config:
        cases.append({"feature": f, "context": {}, "default": False})
    groups.append(run_cases(config, INSTANTS[0], cases))
    return groups


def schedule_groups():
    groups = []
    for now in INSTANTS:
        config = {}
        for i in range(18):
            zone = R.choice(ZONES + [None, ""])
            kind = R.choice(["time", "time", "datetime", "days"])
            if kind == "time":
                a, b = R.randrange(24 * 60), R.randrange(24 * 60)
                if R.random() < 0.3:  # windows hugging the instant's local time
                    loc = now.astimezone(gettz(zone or "UTC"))
                    m = loc.hour * 60 + loc.minute
                    a, b = R.choice([(m, m), (m - 1, m), (m, m + 1), (m + 1, m - 1), (m + 1, m)])
                    a, b = a % 1440, b % 1440
                value = {"START": f"{a // 60:02d}:{a % 60:02d}", "END": f"{b // 60:02d}:{b % 60:02d}"}
                c = cond("SCHEDULE_BETWEEN_TIME_RANGE", "CURRENT_TIME", value)
            elif kind == "datetime":
                loc = now.astimezone(gettz(zone or "UTC")).replace(tzinfo=None)
                d1 = loc + dt.timedelta(seconds=R.choice([-86400 * 3, -3600, -1, 0, 1, 3600]))
                d2 = d1 + dt.timedelta(seconds=R.choice([0, 1, 3600, 86400 * 10]))
                fmt = R.choice(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S.%f", "%Y%m%dT%H%M%S"])
                value = {"START": d1.strftime(fmt), "END": d2.strftime(fmt)}
                c = cond("SCHEDULE_BETWEEN_DATETIME_RANGE", "CURRENT_DATETIME", value)
            else:
                value = {"DAYS": R.sample(DAYS, R.randrange(1, 4))}
                c = cond("SCHEDULE_BETWEEN_DAYS_OF_WEEK", "CURRENT_DAY_OF_WEEK", value)
            if zone is not None:
                c["value"]["TIMEZONE"] = zone
            conds = [c]
            if R.random() < 0.3:
                conds.append(cond("EQUALS", "tier", "premium"))
            config[f"s{i}"] = feature({f"schedule {i}": {"when_match": True, "conditions": conds}})
        cases = []
        for ctx in ({"tier": "premium"}, {"tier": "basic"}, {}):
            for f in config:
                cases.append({"feature": f, "context": ctx, "default": False})
            cases.append({"enabled": True, "context": ctx})
        groups.append(run_cases(config, now, cases))
    return groups


def json_feature_groups():
    groups = []
    values = [{"theme": "dark", "limits": [1, 2]}, [1, 2, 3], "blue", 0, 1.5, None, {}, [], "", BIG, True, False]
    for g in range(8):
        config = {}
        for i in range(6):
            rules = {}
            for j in range(R.randrange(0, 4)):
                conds = [cond(R.choice(PLAIN_ACTIONS), R.choice(["tier", "region"]), R.choice(SCALARS_NN + LISTS))
                         for _ in range(R.randrange(1, 3))]
                rule = {"conditions": conds}
                if R.random() < 0.9:
                    rule["when_match"] = R.choice(values)
                rules[f"rule {j}"] = rule
            default = R.choice([v for v in values if v is not None])
            config[f"j{i}"] = feature(rules if rules or R.random() < 0.5 else None, default=default, boolean=False)
        # Boolean features with several ordered rules and ANDed conditions.
        for i in range(4):
            rules = {}
            for j in range(R.randrange(1, 4)):
                conds = [cond(R.choice(PLAIN_ACTIONS), R.choice(["tier", "region"]), R.choice(["premium", "eu", "us", 1, ["eu", "us"]]))
                         for _ in range(R.randrange(1, 3))]
                rules[f"rule {j}"] = {"when_match": R.choice([True, False]), "conditions": conds}
            config[f"b{i}"] = feature(rules, default=R.choice([True, False]))
        cases = []
        for _ in range(14):
            ctx = rand_context(["tier", "region"])
            for f in config:
                cases.append({"feature": f, "context": ctx, "default": R.choice([False, True, None, "d"])})
            cases.append({"enabled": True, "context": ctx})
        cases.append({"feature": "missing feature", "context": {}, "default": {"fallback": [1]}})
        groups.append(run_cases(config, INSTANTS[0], cases))
    # Edge shapes: empty rules, falsy rules values, truthy boolean_type spellings.
    config = {
        "no_rules_true": {"default": True},
        "empty_rules": {"default": True, "rules": {}},
        "null_rules_json": {"default": {"a": 1}, "boolean_type": False, "rules": None},
        "list_rules_falsy_default": {"default": 0, "boolean_type": False, "rules": []},
        "string_boolean_type": {"default": True, "boolean_type": "no", "rules": {"r": {"when_match": False, "conditions": [cond("EQUALS", "a", 1)]}}},
        "zero_boolean_type": {"default": "x", "boolean_type": 0, "rules": {"r": {"conditions": [cond("EQUALS", "a", 1)]}}},
    }
    cases = []
    for ctx in ({"a": 1}, {"a": 2}, {}):
        for f in config:
            cases.append({"feature": f, "context": ctx, "default": "fallback"})
        cases.append({"enabled": True, "context": ctx})
    groups.append(run_cases(config, INSTANTS[0], cases))
    return groups


def schema_vectors():
    base_rule = {"when_match": True, "conditions": [cond("EQUALS", "tier", "premium")]}
    valid = []
    for action in PLAIN_ACTIONS:
        valid.append({"f": feature({"r": {"when_match": True, "conditions": [cond(action, "k", R.choice(ALL[:-3]))]}})})
    for action in LIST_ACTIONS:
        valid.append({"f": feature({"r": {"when_match": True, "conditions": [cond(action, "k", R.choice(LISTS))]}})})
    out = []

    def add(config):
        try:
            SchemaValidator(schema=config).validate()
            out.append({"config": config, "valid": True, "error": ""})
        except Exception as e:  # Powertools raises SchemaValidationError, or TypeError for unhashable actions
            out.append({"config": config, "valid": False, "error": f"{type(e).__name__}: {e}"})

    for v in valid:
        add(v)
    feature_shapes = [None, True, 1, "x", [], {}, {"default": None}, {"default": "yes"}, {"default": 1}, {"rules": {}},
                      {"default": False, "boolean_type": False}, {"default": "x", "boolean_type": False},
                      {"default": "x", "boolean_type": 0}, {"default": "x", "boolean_type": "false"},
                      {"default": [], "boolean_type": None}, {"default": True, "rules": None}, {"default": True, "rules": []},
                      {"default": True, "rules": [1]}, {"default": True, "rules": "r"}, {"default": True, "rules": 0},
                      {"default": True, "rules": True}, {"default": True, "extra": 1}]
    for s in feature_shapes:
        add({"f": s})
    rule_shapes = [None, {}, [], 1, {"when_match": True}, {"when_match": 1, "conditions": base_rule["conditions"]},
                   {"when_match": "yes", "conditions": base_rule["conditions"]}, {"conditions": base_rule["conditions"]},
                   {"when_match": True, "conditions": []}, {"when_match": True, "conditions": {}},
                   {"when_match": True, "conditions": [{}]}, {"when_match": True, "conditions": [[]]},
                   {"when_match": True, "conditions": ["x"]}, {"when_match": True, "conditions": "x"}]
    for s in rule_shapes:
        add({"f": feature({"r": s})})
        add({"f": feature({"r": s}, default="v", boolean=False)})
    add({"f": feature({"": base_rule})})
    cond_shapes = [
        {"action": "EQUAL", "key": "k", "value": 1}, {"action": "equals", "key": "k", "value": 1},
        {"key": "k", "value": 1}, {"action": 1, "key": "k", "value": 1}, {"action": None, "key": "k", "value": 1},
        {"action": ["EQUALS"], "key": "k", "value": 1}, {"action": "EQUALS", "key": "", "value": 1},
        {"action": "EQUALS", "key": 1, "value": 1}, {"action": "EQUALS", "value": 1}, {"action": "EQUALS", "key": "k"},
        {"action": "EQUALS", "key": "k", "value": None}, {"action": "EQUALS", "key": "k", "value": 0},
        {"action": "EQUALS", "key": "k", "value": False}, {"action": "EQUALS", "key": "k", "value": ""},
        {"action": "EQUALS", "key": "k", "value": []}, {"action": "EQUALS", "key": "k", "value": 1, "extra": 2},
        {"action": "ALL_IN_VALUE", "key": "k", "value": "a"}, {"action": "ANY_IN_VALUE", "key": "k", "value": {}},
        {"action": "NONE_IN_VALUE", "key": "k", "value": 1},
    ]
    for s in cond_shapes:
        add({"f": feature({"r": {"when_match": True, "conditions": [s]}})})
    mods = [{"BASE": 100, "START": 0, "END": 99}, {"BASE": 100, "START": 0, "END": 100}, {"BASE": 100, "START": -1, "END": 5},
            {"BASE": 100, "START": 6, "END": 5}, {"BASE": 1, "START": 0, "END": 0}, {"BASE": 0, "START": 0, "END": 0},
            {"BASE": 100.0, "START": 0, "END": 5}, {"BASE": "100", "START": 0, "END": 5}, {"BASE": 100, "START": 0},
            {"BASE": 100, "START": None, "END": 5}, {"BASE": True, "START": 0, "END": 0}, {"BASE": 2**70, "START": 0, "END": 2**69},
            {"BASE": 2**70, "START": 0, "END": 2**70}, [], 5, {"BASE": 10, "START": False, "END": True}]
    for m in mods:
        add({"f": feature({"r": {"when_match": True, "conditions": [cond("MODULO_RANGE", "id", m)]}})})
    times = ["00:00", "23:59", "24:00", "7:00", "07:60", "07:5", "0700", " 07:00", "07:00 ", "19:3O", "\u0661\u0662:00", "1\u0662:00",
             "2\u0662:00", "12:\u0663\u0664", "", "ab:cd"]
    for a in times:
        add({"f": feature({"r": {"when_match": True, "conditions": [cond("SCHEDULE_BETWEEN_TIME_RANGE", "CURRENT_TIME", {"START": a, "END": "12:00"})]}})})
    for v in [{"START": 1, "END": "12:00"}, {"END": "12:00"}, {}, [], "x", {"START": "01:00", "END": "02:00", "TIMEZONE": "Mars/Olympus"}]:
        add({"f": feature({"r": {"when_match": True, "conditions": [cond("SCHEDULE_BETWEEN_TIME_RANGE", "CURRENT_TIME", v)]}})})
    add({"f": feature({"r": {"when_match": True, "conditions": [cond("SCHEDULE_BETWEEN_TIME_RANGE", "CURRENT_DATETIME", {"START": "01:00", "END": "02:00"})]}})})
    dts = ["2022-01-01", "20220101", "2022-W01", "2022W011", "2022-W01-1", "2022-01-01T10", "2022-01-01T10:00",
           "2022-01-01 10:00:00.5", "2022-01-01T10:00:00.1234567", "2022-01-01T1000", "2022-01-01T100000", "2022-01-01x10:00",
           "2022-01-01T10:00:00,5", "2022-01", "2022-1-1", "2022-01-01T24:00", "2022-01-01T10:00:00Z", "2022-01-01T10:00:00+01:00",
           "2022-01-01T10:0", "2022-01-01T", "2022-02-30", "2024-02-29", "2023-02-29", "2022-01-01T10:00:60", "2022-01-01T10:00:00.",
           "0000-01-01", "9999-12-31T23:59:59.999999", "2020-W53", "2021-W53", "2022-W00", "2022-W01-8", "2022W01-1",
           "2022-01-01T10:00:00-05", "2022-01-01T10:00:00.5+0000", "2022-01-0110:00", "2022-01-01T10:00:00.abc", "", "now",
           "2022-01-01T1", "2022-01-01T10:00:00.000000000000001", "2022-13-01", "2022-01-32"]
    for d in dts:
        add({"f": feature({"r": {"when_match": True, "conditions": [cond("SCHEDULE_BETWEEN_DATETIME_RANGE", "CURRENT_DATETIME", {"START": d, "END": "2099-01-01T00:00:00"})]}})})
    zones = ["UTC", "GMT", "Europe/London", "europe/london", "America/New York", "EST", "EST5EDT", "US/Eastern", "Mars/Phobos",
             "", None, 0, False, [], {}, 5, "Etc/GMT+3", "CET", "Asia/Kolkata", "../etc/passwd", "Europe", "posixrules", "Z", "+02:00",
             "Local", "Factory", "Asia/Calcutta", "Europe/Kyiv"]
    for z in zones:
        add({"f": feature({"r": {"when_match": True, "conditions": [cond("SCHEDULE_BETWEEN_DAYS_OF_WEEK", "CURRENT_DAY_OF_WEEK", {"DAYS": ["MONDAY"], "TIMEZONE": z})]}})})
    for v in [{"DAYS": []}, {"DAYS": ["monday"]}, {"DAYS": ["DAYS"]}, {"DAYS": "MONDAY"}, {"DAYS": [1]}, {}, [], {"TIMEZONE": "UTC"},
              {"DAYS": ["SUNDAY", "SATURDAY"]}, {"DAYS": ["MONDAY", "FUNDAY"]}]:
        add({"f": feature({"r": {"when_match": True, "conditions": [cond("SCHEDULE_BETWEEN_DAYS_OF_WEEK", "CURRENT_DAY_OF_WEEK", v)]}})})
    add({"f": feature({"r": {"when_match": True, "conditions": [cond("SCHEDULE_BETWEEN_DAYS_OF_WEEK", "CURRENT_TIME", {"DAYS": ["MONDAY"]})]}})})
    # Top-level shapes.
    for top in [[], "x", 1, None, {}, {"a": feature({}), "b": {"default": "nope"}}]:
        add(top)
    # Random single mutations of a rich valid config.
    rich = {
        "premium": feature({"tier is premium": base_rule,
                            "window": {"when_match": True, "conditions": [cond("SCHEDULE_BETWEEN_TIME_RANGE", "CURRENT_TIME", {"START": "22:00", "END": "06:00", "TIMEZONE": "Europe/London"})]}}),
        "theme": feature({"eu": {"when_match": {"color": "blue"}, "conditions": [cond("IN", "region", ["eu-west-1", "eu-central-1"])]}}, default={"color": "red"}, boolean=False),
        "bucket": feature({"half": {"when_match": True, "conditions": [cond("MODULO_RANGE", "user_id", {"BASE": 100, "START": 0, "END": 49})]}}),
    }
    add(rich)
    paths = []

    def walk(o, p):
        paths.append(p)
        if isinstance(o, dict):
            for k, v in o.items():
                walk(v, p + [k])
        elif isinstance(o, list):
            for i, v in enumerate(o):
                walk(v, p + [i])

    walk(rich, [])
    replacements = [None, 1, "x", [], {}, True, False, -1, 2.5, ["a"], {"k": 1}]
    for _ in range(120):
        p = R.choice(paths[1:])
        c = json.loads(json.dumps(rich))
        o = c
        for k in p[:-1]:
            o = o[k]
        if R.random() < 0.2 and isinstance(o, dict):
            del o[p[-1]]
        else:
            o[p[-1]] = R.choice(replacements)
        add(c)
    return out


def main():
    groups = plain_action_groups() + list_action_groups() + modulo_groups() + schedule_groups() + json_feature_groups()
    n = sum(len(g["cases"]) for g in groups)
    with open(os.path.join(HERE, "powertools_eval_vectors.jsonl"), "w", encoding="utf-8") as f:
        for g in groups:
            f.write(json.dumps(g, ensure_ascii=False, separators=(",", ":")) + "\n")
    schema = schema_vectors()
    with open(os.path.join(HERE, "powertools_schema_vectors.jsonl"), "w", encoding="utf-8") as f:
        for s in schema:
            f.write(json.dumps(s, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"powertools {aws_lambda_powertools.__version__ if hasattr(aws_lambda_powertools, '__version__') else '?'}: "
          f"{n} evaluation vectors in {len(groups)} groups, {len(schema)} schema vectors "
          f"({sum(1 for s in schema if s['valid'])} valid)", file=sys.stderr)


if __name__ == "__main__":
    main()
