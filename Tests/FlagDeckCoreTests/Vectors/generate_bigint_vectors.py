#!/usr/bin/env python3
"""Reference vectors for flagdeck's big integers, produced by CPython itself:

    python3 generate_bigint_vectors.py

Writes python_int_float_vectors.jsonl next to this script, one line per vector:
  {"float_of": i, "expected": float(i) | "OverflowError"}      int -> float conversion
  {"compare": [i, f], "expected": -1 | 0 | 1}                  (i > f) - (i < f), exact
  {"mod": [a, b], "expected": a % b | "error"}                 mixed int/float modulo, the
                                                               path where Python converts
                                                               the int with float(int)

Integers are written as JSON integers of any size, floats with repr (exact). Seeded, so
re-running reproduces the file byte for byte.
"""
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
R = random.Random(20260601)
DBL_MAX_INT = (2**53 - 1) * 2**971


def float_cases():
    xs = set()
    for i in range(0, 70):
        xs.add(i)
    for k in list(range(52, 70)) + [75, 84, 96, 111, 127, 128, 200, 333, 511, 512, 700, 969, 970, 971, 1021, 1022, 1023, 1024, 1025, 1100]:
        p = 2**k
        for j in range(-4, 5):
            xs.add(p + j)
        if k >= 54:
            ulp = 2 ** (k - 52)  # spacing of doubles in [2^k, 2^(k+1))
            half = ulp // 2
            for base in (p, p + ulp, p + 2 * ulp, 2 * p - ulp):
                for d in (half - 1, half, half + 1, -half - 1, -half, -half + 1):
                    xs.add(base + d)
        xs.add(2 ** (k + 1) - 1)  # a long run of ones: rounds up to the next power of two
        if k > 60:
            xs.add(int("1" * 54 + "0" + "1" * (k - 55), 2))  # ones, one zero at the guard bit, ones
            xs.add(int("1" * 53 + "0" + "0" * (k - 54) + "1", 2))  # below half by almost nothing: down
            xs.add(int("1" * 53 + "1" + "0" * (k - 54), 2))  # exactly half, odd: up (carries all the way)
            xs.add(int("10" * (k // 2), 2))
    # The overflow boundary: DBL_MAX + just under half an ulp rounds down, half rounds up (odd) and overflows.
    for d in (0, 1, 2**969, 2**970 - 1, 2**970, 2**970 + 1, 2**971 - 1, 2**971):
        xs.add(DBL_MAX_INT + d)
        xs.add(DBL_MAX_INT - d)
    for bits in list(range(1, 1100, 23)):
        for _ in range(2):
            xs.add(R.getrandbits(bits) | (1 << (bits - 1)))
    xs |= {-x for x in xs}
    out = []
    for x in sorted(xs):
        try:
            f = float(x)
            out.append({"float_of": x, "expected": f})
        except OverflowError:
            out.append({"float_of": x, "expected": "OverflowError"})
    return out


def compare_cases():
    pairs = set()
    ints = [0, 1, -1, 2**53 - 1, 2**53, 2**53 + 1, 2**63 - 1, 2**63, 2**63 + 1, 2**64, 2**64 + 1, 10**20, 10**30 + 7,
            DBL_MAX_INT, DBL_MAX_INT + 1, DBL_MAX_INT + 2**970, 2**1024, 10**400]
    for k in range(60, 1030, 97):
        ints += [2**k, 2**k + 1, 2**k - 1, R.getrandbits(k) | (1 << (k - 1))]
    ints += [-i for i in ints]
    for i in ints:
        fs = {0.0, -0.0, 0.5, -0.5, 1e300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308, 9007199254740992.0,
              9223372036854775808.0, 1e19, 2.5}
        try:
            f = float(i)
            fs |= {f, math.nextafter(f, math.inf), math.nextafter(f, -math.inf)}
            if math.isfinite(f) and abs(f) < 2**60:
                fs |= {f + 0.5, f - 0.5}
        except OverflowError:
            pass
        for f in fs:
            if math.isfinite(f):
                pairs.add((i, f))
    for f in (9007199254740992.0, 9007199254740994.0, 1e16, 1.8446744073709552e19, 1e300, 2.0**1000):
        for d in (-2, -1, 0, 1, 2):
            pairs.add((int(f) + d, f))
            pairs.add((-(int(f) + d), -f))
    out = []
    for i, f in sorted(pairs, key=lambda p: (p[0], p[1], math.copysign(1, p[1]))):
        out.append({"compare": [i, f], "expected": (i > f) - (i < f)})
    return out


def mod_cases():
    out = []
    ints = [2**53 + 1, 2**64 + 3, -(2**64) - 3, 10**30 + 7, -(10**30) - 7, 2**1023 + 2**970, DBL_MAX_INT + 2**970, -(2**1100)]
    floats = [2.5, -2.5, 0.5, 1e16, -1e16, 1e300, 3.0, -0.0, 0.0]
    for i in ints:
        for f in floats:
            for a, b in ((i, f), (f, i)):
                try:
                    r = a % b
                except (OverflowError, ZeroDivisionError):
                    r = "error"
                out.append({"mod": [a, b], "expected": r})
    return out


def main():
    rows = float_cases() + compare_cases() + mod_cases()
    with open(os.path.join(HERE, "python_int_float_vectors.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")
    kinds = {}
    for r in rows:
        k = next(iter(r))
        kinds[k] = kinds.get(k, 0) + 1
    print(f"python {sys.version.split()[0]}: {len(rows)} vectors {kinds}", file=sys.stderr)


if __name__ == "__main__":
    main()
