#!/usr/bin/env python3
"""Reference vectors for TZ-string TIMEZONE values (`UTC+3`, `EST5EDT4`,
`CET-1CEST,M3.5.0,M10.5.0/3`...), produced by the real python-dateutil 2.9.0.post0 and
aws-lambda-powertools 3.37.0 (the `consumers` virtualenv, Tests/python/consumers.txt):

    .build/venvs/consumers/bin/python Tests/FlagDeckCoreTests/Vectors/generate_posix_tz_vectors.py

Writes, next to this script:
  posix_tz_gettz_vectors.jsonl   one line per string s, what `gettz(s)` gives:
      {"tz": s, "result": "none" | "raises" | "tzstr" | "file" | "utc" | "local",
       "file": path?, "std": seconds?, "dst": seconds?, "hasdst": bool?,
       "transitions": [[year, [dston, dstoff] | null | "raises"], ...],
       "fromutc": [[utc, wall, dst | "raises"] | [utc, "raises"], ...],  # tz.fromutc, i.e.
                                       # datetime.now(tz), and .dst() of the result
       "utcoffset": [[local, fold, seconds | "raises"], ...]}
  powertools_posix_tz_eval_vectors.jsonl   FeatureFlags.evaluate / get_enabled_features with
      the three SCHEDULE_* conditions in those zones at pinned instants on both sides of
      their DST transitions (same line format as powertools_eval_vectors.jsonl)
  powertools_posix_tz_schema_vectors.jsonl  SchemaValidator on each string in each
      schedule action (same format as powertools_schema_vectors.jsonl)
  dateutil_zone_names.json       the names in dateutil's bundled zoneinfo tarball

Seeded, so re-running reproduces the files byte for byte on the same machine (zone files
come from the system's /usr/share/zoneinfo, as gettz reads them).
"""
import datetime as dt
import json
import os
import random
import sys
import warnings

os.environ["TZ"] = "UTC"
warnings.simplefilter("ignore")

from dateutil import tz as dtz  # noqa: E402
from dateutil.tz import gettz  # noqa: E402
from dateutil.zoneinfo import get_zonefile_instance  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags import FeatureFlags  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags import comparators  # noqa: E402
from aws_lambda_powertools.utilities.feature_flags.schema import SchemaValidator  # noqa: E402
from powertools_memory_store import MemoryStore  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
R = random.Random(20260517)
NOW = [None]
UTC = dt.timezone.utc


def fixed_now(timezone):
    # Powertools: `datetime.now(timezone)`, i.e. timezone.fromutc(now); astimezone is the same call.
    tz = gettz("UTC") if timezone is None else timezone
    return NOW[0].astimezone(tz)


comparators._get_now_from_timezone = fixed_now

# Strings chosen by hand: what each exercises is in the comment.
ZONES = [
    # fixed offsets; GMT/UTC are inverted by dateutil (east), other abbreviations are POSIX (west)
    "UTC+3", "UTC-3", "GMT+3", "GMT-11", "UTC+5:45", "UTC-03:30", "UTC+0530", "EST+5", "EST5", "EST-5", "IST-5:30",
    "XYZ-14", "ABC+12", ":UTC+3", "UTC+3:30", "MSK-3",
    # a DST abbreviation without rules: first Sunday of April 02:00 to last Sunday of October
    "est5edt", "EST5EDT4", "CET-1CEST", "UTC0BST", "AAA3BBB", "EST+5EDT", "XXX-10YYY-11",
    # M rules, northern and southern hemisphere, half-hour and 45-minute offsets
    "CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,M3.2.0,M11.1.0", "PST8PDT,M3.2.0/2:00:00,M11.1.0/2:00:00",
    "AEST-10AEDT,M10.1.0,M4.1.0/3", "NZST-12NZDT,M9.5.0,M4.1.0/3", "ACST-9:30ACDT,M10.1.0,M4.1.0/3",
    "LHST-10:30LHDT-11,M10.1.0,M4.1.0", "NST3:30NDT,M3.2.0/0:01,M11.1.0/0:01", "CHAST-12:45CHADT,M9.5.0/2:45,M4.1.0/3:45",
    "IST-1GMT0,M10.5.0,M3.5.0/1", "WART4WARST,J1/0,J365/25", "EST5EDT,M3.2.0/0230,M11.1.0/0130",
    "EST5EDT,M3-2-0,M11-1-0", "EST5EDT,M3.5.6,M10.5.6/3",
    # J (1-based, no Feb 29) and plain (0-based, with Feb 29) day numbers
    "EST5EDT,J60/2,J300/2", "EST5EDT,59,300", "EST5EDT,0/0,365/25", "EST5EDT,J1,J365", "EST5EDT,J0/0,J100",
    "EST5EDT,364,100", "EST5EDT,365,100", "EST5EDT,J59/1,J60/1",
    # dateutil's accidents: week 0, week 6, weekday 9, month 0, rule times past 24:00
    "EST5EDT,M3.0.0,M11.6.0", "EST5EDT,M3.2.9,M11.1.0", "EST5EDT,M0.1.0,M11.1.0", "EST5EDT,M3.2.0/26,M11.1.0/99",
    "EST5EDT,M3.2.0/0,M11.1.0/0", "EST5EDT,M3.2.0/00:00:59,M11.1.0/1:0:1",
    # ok to construct, raises when evaluated
    "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0/99999999:00,M11.1.0", "EST5EDT,M3.2.0,M99.1.0",
    # dateutil's deprecated comma format
    "EST5EDT,4,1,0,7200,10,-1,0,7200,3600", "GMT0BST,3,0,30,3600,10,0,26,7200", "EST5EDT,4,1,0,7200,10,-1,0,7200,-3600",
    # odd but accepted
    ",M3.2.0,M11.1.0", "EST5,,,", "EST5 \u0663", "EST5: \u0663", "EST5:-\u0663", "E.S.T5", "<EST>5<EDT>",
    "EST5EDT,", "EST5EDT4,M3.2.0,M11.1.0/", "UTC+3 ", "A1B",
    # zone files, found before any TZ-string reading
    "EST5EDT", "CST6CDT", "Etc/GMT+3", "Etc/GMT-14", "GMT0", "GMT+0", "GMT-0", "posix/EST5EDT",
    # refused (None) or raising
    "<+0330>-3:30", "<-03>3", "UTC,M3.2.0,M11.1.0", "EST,4,1,0,7200,10,-1,0,7200,3600", "EST123456789012345678901234567890:00",
    "5EST", "EST+", "EST+530", "EST5EDT,M3.2.0", "EST5EDT,M3.2.0,M11.1.0,", "EST5EDT;M3.2.0;M11.1.0", "EST5EDT,J367,J100",
    "EST5EDT,366,100", "+02:00", "EST5:30:00", "EST5EDT,M3.2,M11.1.0", "EST5EDT,M3.2.0/167,M11.1.0", "EST5EDT,M3.2.0/-1,M11.1.0",
    "GMT+3x", "UTC+٣", "EST5EDT,M3.2.0/2,M11.1.0/2,M1.1.1",
    # Python int(): Unicode digits, whitespace, underscores, the 4300-digit limit
    "EST5:\u0663_\u0663", "EST5:\u00a0\u0663", "EST5:\x1c\u0663", "EST5:\U00011f50", "EST5:\u0663__\u0663",
    "EST" + "0" * 4299 + "5:00", "EST" + "0" * 4300 + "5:00",
    # huge numbers: exact until Python overflows, at construction or only when evaluated
    "EST5EDT,M3.2.0/123456789012345678901234567890,M11.1.0", "EST5EDT,M3.2.0/123456789012345678901234567890:00,M11.1.0",
    "EST5EDT,M123456789012345678901234567890.1.0,M11.1.0", "EST5EDT,M3.123456789012345678901234567890.0,M11.1.0",
    "EST5EDT,M3.2.123456789012345678901234567890,M11.1.0", "EST5EDT,M3.2.123456789012345678901234567891,M11.1.0",
    "EST99:99", "EST9999", "EST5EDT-99999:00", "UTC+99999999:00", "UTC+999999999999:00",
    "UTC+23999999976:00", "UTC+23999999976:01", "UTC+23999999977:00", "UTC-23999999976:00", "UTC-23999999976:01",
    "UTC+23999999976:00DST", "XXX23999999976:00DST-23999999976:00",
    # the deprecated format's corners
    "EST5EDT,4,1,0,7200,10,-1,0,7200", "EST5EDT,4,0,15,7200,10,0,40,7200", "EST5EDT,4,-2,3,7200,10,-1,0,7200",
    "EST5EDT,4,1,0,7200,10,-1,0,7200,+3600", "EST5EDT,4,1,0,7200,10,-1,0,7200,-", "EST5EDT,4,1,0,7200,10,-1,0,7200,3600,",
    "EST5EDT,4,1,0,7200,10,-1,0",
    # names: ':' prefixes, spaces, NUL, paths, dateutil's bundled copy, UTC/GMT
    "::UTC+3", "EST 5", "EST5\u0000", "EST\u00e95", "Etc/../Etc/GMT+3", "../zoneinfo/Etc/GMT+3", "Etc/GMT+3/..",
    "/usr/share/zoneinfo/EST5EDT", "/usr/share/zoneinfo/Etc/GMT-3", ":/usr/share/zoneinfo/Etc/GMT-3", "/nonexistent5",
    "/etc/passwd", ":", "UTC", "GMT", "Asia/Hanoi", "Etc/GMT+3 ", "etc/gmt+3",
]


def iso(t):
    return t.isoformat()


def isoz(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def classify(s):
    try:
        z = gettz(s)
    except Exception:
        return None, "raises"
    if z is None:
        return None, "none"
    if isinstance(z, dtz.tzstr):
        return z, "tzstr"
    if isinstance(z, dtz.tzfile):
        return z, "file"
    if isinstance(z, dtz.tzutc):
        return z, "utc"
    if isinstance(z, dtz.tzlocal):
        return z, "local"
    return z, type(z).__name__


def try_(f):
    try:
        return f()
    except Exception:
        return "raises"


def secs(td):
    return td.days * 86400 + td.seconds


def probe_times(z, kind, years, rich):
    """UTC instants and wall-clock times on both sides of every transition in `years`."""
    utc, local = set(), set()
    for y in years:
        for m, d in [(1, 15), (7, 15)]:
            base = dt.datetime(y, m, d, 12, 0, 0)
            utc.add(base)
            local.add(base)
        if rich:
            utc.add(dt.datetime(y, 1, 1, 0, 0, 0))
            utc.add(dt.datetime(y - 1, 12, 31, 23, 59, 59, 999999))
        if kind != "tzstr" or not z.hasdst:
            continue
        tr = try_(lambda: z.transitions(y))
        if tr == "raises" or tr is None:
            continue
        std, dst = z._std_offset, z._dst_offset
        for t in tr:
            try:
                t_utc = t - std
            except OverflowError:
                continue
            steps = [0, -1] + ([1, -3600, 3600, -5400, 5400] if rich else [])
            for s in steps:
                try:
                    utc.add(t_utc + dt.timedelta(seconds=s))
                    local.add(t + dt.timedelta(seconds=s))
                    local.add(t + (dst - std) + dt.timedelta(seconds=s))
                except OverflowError:
                    pass
    return sorted(utc), sorted(local)


def gettz_vector(s, years, probe_years, rich=True):
    z, kind = classify(s)
    out = {"tz": s, "result": kind}
    if z is None:
        return out
    if kind == "file":
        out["file"] = z._filename
    if kind == "tzstr":
        out["std"] = secs(z._std_offset)
        out["dst"] = secs(z._dst_offset)
        out["hasdst"] = bool(z.hasdst)
        trs = []
        for y in years:
            tr = try_(lambda: z.transitions(y))
            trs.append([y, tr if tr in ("raises", None) else [iso(tr[0]), iso(tr[1])]])
        out["transitions"] = trs
    utc, local = probe_times(z, kind, probe_years, rich)
    rows = []
    for u in utc:
        w = try_(lambda: u.replace(tzinfo=UTC).astimezone(z))
        if w == "raises":
            rows.append([iso(u), "raises"])
        else:
            # w.dst() is what strftime's timetuple() calls; CPython refuses |dst| >= 24h.
            rows.append([iso(u), iso(w.replace(tzinfo=None)), try_(lambda: secs(w.dst()))])
    out["fromutc"] = rows
    if kind == "tzstr":
        offs = []
        for t in local:
            for fold in (0, 1):
                offs.append([iso(t), fold, try_(lambda: secs(z.utcoffset(t.replace(fold=fold))))])
        out["utcoffset"] = offs
    return out


PIECES = ["EST", "EDT", "UTC", "GMT", "CET", "CEST", "XX", "M", "J", "+", "-", ":", ",", ".", "/", ";", "<", ">", " ", "0",
          "1", "2", "3", "5", "7", "9", "10", "12", "13", "24", "30", "59", "60", "99", "100", "365", "366", "0330", "12345",
          "\u0663", "_", "\u00e9", "\u00a0", "\u2003", "Z", "M3.2.0", "M11.1.0", "M10.5.0", "M4.1.0", "/2", "/02:00", "/26",
          "J60", "J0", "300", ",M3.2.0,M11.1.0", "-1:30", "+5:45", "4,1,0,7200,10,-1,0,7200,3600"]


def fuzz_strings(n):
    out = []
    seen = set(ZONES)
    while len(out) < n:
        if R.random() < 0.5:
            s = "".join(R.choice(PIECES) for _ in range(R.randrange(1, 9)))
        else:
            # Grammar-shaped: std offset [dst [offset]] [,rule,rule] with random field values.
            def num():
                return R.choice(["0", "1", "2", "3", "5", "9", "10", "11", "12", "13", "14", "15", "23", "24", "25", "30",
                                 "45", "59", "60", "99", "0530", "1230", "00", "007", "123", "\u0663"])

            def off():
                return R.choice(["", "+", "-"]) + num() + (R.choice(["", ":" + num(), ":" + num() + ":" + num()]) if R.random() < 0.4 else "")

            def rule():
                k = R.random()
                if k < 0.5:
                    r = f"M{num()}{R.choice('.-')}{num()}{R.choice('.-')}{num()}"
                elif k < 0.7:
                    r = f"J{num()}"
                else:
                    r = num()
                if R.random() < 0.5:
                    r += "/" + R.choice([num(), num() + ":" + num(), num() + ":" + num() + ":" + num()])
                return r

            s = R.choice(["EST", "UTC", "GMT", "CET", "AB", "<X>", "e"]) + off()
            if R.random() < 0.7:
                s += R.choice(["EDT", "CEST", "DST", "S"]) + (off() if R.random() < 0.4 else "")
            if R.random() < 0.7:
                s += R.choice([",", ";"]) + rule() + R.choice([",", ";"]) + rule()
        if not any(c in "0123456789" for c in s) or s in seen:
            continue
        seen.add(s)
        out.append(s)
    return out


def gettz_vectors():
    years = [1970, 2000, 2024, 2025, 2026, 2027, 2028, 2038, 2100]
    vecs = [gettz_vector(s, years, [2024, 2026, 2027, 2038]) for s in ZONES]
    vecs += [gettz_vector(s, [2026, 2028], [2026], rich=False) for s in fuzz_strings(2500)]
    return vecs


def feature(cond):
    return {"default": False, "rules": {"r": {"when_match": True, "conditions": [cond]}}}


def schedule_group(zone, now):
    """Conditions hugging the wall clock dateutil shows at `now`, so that any difference in
    offset, day or minute flips some of them."""
    NOW[0] = now
    z = gettz(zone)
    try:
        loc = now.astimezone(z).replace(tzinfo=None)
    except Exception:
        loc = now.replace(tzinfo=None)  # the zone raises when evaluated: conditions never match
    m = loc.hour * 60 + loc.minute
    config = {}

    def tv(a, b):
        a, b = a % 1440, b % 1440
        return {"START": f"{a // 60:02d}:{a % 60:02d}", "END": f"{b // 60:02d}:{b % 60:02d}", "TIMEZONE": zone}

    for i, (a, b) in enumerate([(m, m), (m - 1, m), (m + 1, m - 1), (m + 1, m), (m - 61, m - 59)]):
        config[f"time{i}"] = feature({"action": "SCHEDULE_BETWEEN_TIME_RANGE", "key": "CURRENT_TIME", "value": tv(a, b)})
    days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    wd = loc.weekday()
    for i, ds in enumerate([[days[wd]], [days[(wd + 1) % 7], days[(wd - 1) % 7]]]):
        config[f"days{i}"] = feature({"action": "SCHEDULE_BETWEEN_DAYS_OF_WEEK", "key": "CURRENT_DAY_OF_WEEK",
                                      "value": {"DAYS": ds, "TIMEZONE": zone}})
    for i, (a, b) in enumerate([(0, 0), (-1, 0), (1, 2), (-3600, -1800)]):
        s = loc + dt.timedelta(seconds=a)
        e = loc + dt.timedelta(seconds=b)
        s = s.replace(microsecond=0) if a >= 0 else s
        config[f"dt{i}"] = feature({"action": "SCHEDULE_BETWEEN_DATETIME_RANGE", "key": "CURRENT_DATETIME",
                                    "value": {"START": iso(s), "END": iso(e), "TIMEZONE": zone}})
    ff = FeatureFlags(store=MemoryStore(config))
    cases = [{"feature": f, "context": {}, "default": False, "expected": ff.evaluate(name=f, context={}, default=False)}
             for f in config]
    cases.append({"enabled": True, "context": {}, "expected": ff.get_enabled_features(context={})})
    return {"config": config, "now": isoz(now), "cases": cases}


def eval_vectors():
    groups = []
    for zone in ZONES:
        z, kind = classify(zone)
        if z is None:
            continue
        try:
            SchemaValidator(schema={"f": feature({"action": "SCHEDULE_BETWEEN_DAYS_OF_WEEK", "key": "CURRENT_DAY_OF_WEEK",
                                                  "value": {"DAYS": ["MONDAY"], "TIMEZONE": zone}})}).validate()
        except Exception:
            continue
        instants = {dt.datetime(2026, 1, 15, 12, 0, tzinfo=UTC), dt.datetime(2026, 7, 15, 23, 30, tzinfo=UTC),
                    dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)}
        if kind == "tzstr" and z.hasdst:
            for y in (2026, 2027):
                tr = try_(lambda: z.transitions(y))
                if tr in ("raises", None):
                    continue
                for t in tr:
                    try:
                        u = (t - z._std_offset).replace(tzinfo=UTC)
                    except OverflowError:
                        continue
                    for s in ([-1, 0] if y == 2026 else [0]):
                        instants.add(u + dt.timedelta(seconds=s))
        for now in sorted(instants):
            groups.append(schedule_group(zone, now))
    return groups


def schema_vectors(strings):
    out = []
    actions = [
        ("SCHEDULE_BETWEEN_DAYS_OF_WEEK", "CURRENT_DAY_OF_WEEK", {"DAYS": ["MONDAY"]}),
        ("SCHEDULE_BETWEEN_TIME_RANGE", "CURRENT_TIME", {"START": "01:00", "END": "02:00"}),
        ("SCHEDULE_BETWEEN_DATETIME_RANGE", "CURRENT_DATETIME", {"START": "2026-01-01T00:00:00", "END": "2026-12-31T00:00:00"}),
    ]
    for i, s in enumerate(strings):
        for j, (action, key, value) in enumerate(actions):
            if i >= len(ZONES) and j != i % 3:
                continue  # fuzz strings: one action each
            v = dict(value)
            v["TIMEZONE"] = s
            config = {"f": feature({"action": action, "key": key, "value": v})}
            try:
                SchemaValidator(schema=config).validate()
                out.append({"config": config, "valid": True, "error": ""})
            except Exception as e:
                out.append({"config": config, "valid": False, "error": f"{type(e).__name__}: {e}"})
    return out


def write(name, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


def main():
    gz = gettz_vectors()
    write("posix_tz_gettz_vectors.jsonl", gz)
    ev = eval_vectors()
    write("powertools_posix_tz_eval_vectors.jsonl", ev)
    sv = schema_vectors(ZONES + [v["tz"] for v in gz[len(ZONES):]][:600])
    write("powertools_posix_tz_schema_vectors.jsonl", sv)
    with open(os.path.join(HERE, "dateutil_zone_names.json"), "w", encoding="utf-8") as f:
        json.dump(sorted(get_zonefile_instance().zones), f, separators=(",", ":"))
        f.write("\n")
    by = {}
    for v in gz:
        by[v["result"]] = by.get(v["result"], 0) + 1
    print(f"gettz: {len(gz)} strings {by}; powertools: {sum(len(g['cases']) for g in ev)} evaluations in {len(ev)} groups, "
          f"{len(sv)} schema vectors ({sum(1 for s in sv if s['valid'])} valid)", file=sys.stderr)


if __name__ == "__main__":
    main()
