"""botocore as the SigV4 oracle for FlagDeckAWS.

Generates a deterministic list of request vectors, signs each with botocore's own
SigV4Auth at a fixed instant, and prints one JSON document: for every vector, the
inputs (so the Swift side signs exactly the same request) and everything botocore
produced. The Swift test (SigV4DifferentialTests) signs the same inputs and compares
byte for byte. Nothing is committed as expected output: botocore is the live judge.

The query string is encoded into the URL with botocore's own percent_encode_sequence,
as botocore's request preparation does for REST-JSON calls, and paths for "labels"
vectors with its REST serializer's percent_encode, so the wire forms are checked too.
"""
import base64
import datetime
import itertools
import json
import sys

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode, percent_encode_sequence

_REAL = datetime.datetime
_NOW = [0]


class FixedDatetime(_REAL):
    @classmethod
    def now(cls, tz=None):
        d = _REAL.fromtimestamp(_NOW[0], tz=datetime.timezone.utc)
        return d if tz is not None else d.replace(tzinfo=None)

    @classmethod
    def utcnow(cls):
        return _REAL.fromtimestamp(_NOW[0], tz=datetime.timezone.utc).replace(tzinfo=None)


botocore.auth.datetime.datetime = FixedDatetime


class RecordingSigV4Auth(SigV4Auth):
    """Keeps the canonical request and string to sign computed inside add_auth."""

    def canonical_request(self, request):
        self.recorded_canonical = super().canonical_request(request)
        return self.recorded_canonical

    def string_to_sign(self, request, canonical_request):
        self.recorded_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.recorded_string_to_sign

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
PATHS = [
    "/", "", "/applications", "/applications/abc1234/environments/def5678/deployments/3",
    "/a b/c d", "/already%20encoded/x%2Fy", "/percent%/x%zz", "/tilde~/x~y", "/unicode/é/旗/🚩",
    "//double//slash//", "/dot/./seg/../x", "/../above", "/trailing/", "/reserved/!$&'()*+,;=:@",
    "/configurationsessions", "/configuration", "/UPPER/lower/MiXeD", "/-_.~/unreserved",
]
QUERIES = [
    [], [("a", "1")], [("b", "2"), ("a", "1")], [("k", "2"), ("k", "1"), ("k", "")], [("empty", "")],
    [("q", "a+b c/d?e=f&g#h")], [("ключ", "значение"), ("旗", "🚩")],
    [("configuration_token", "AYADeJ0k/+abc==")], [("next_token", "tok/en+=="), ("max_results", "50")],
    [("a~b-c_d.e", "~-_.")], [("a b", "c d")],
    [("a-b", "1"), ("a b", "2"), ("a", "3"), ("A", "4"), ("a_", "5"), ("a", "0")],
    [("type", "AWS.AppConfig.FeatureFlags")], [("percent", "100%"), ("star", "*")],
]
HEADERS = [
    [],
    [("Content-Type", "application/json")],
    [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.Scan")],
    [("Content-Type", "application/json"), ("Description", "  multiple   spaces\tand tab  "),
     ("Latest-Version-Number", "3"), ("VersionLabel", "v1.2.3")],
    [("User-Agent", "flagdeck-aws/1"), ("X-Custom-Header", "Value"), ("Expect", "100-continue"),
     ("Connection", "keep-alive")],
    [("X-Amz-Date", "20000101T000000Z"), ("Authorization", "stale")],
    [("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
    [("Allow-Revert", "true")],
    [("X-Amz-Security-Token", "stale-token"), ("x-amz-meta-Mixed", " a  b ")],
]
BODIES = [
    b"", b"{}", b'{"TableName":"jobs","Segment":0,"TotalSegments":4}', "é旗 non-ASCII 🚩".encode(),
    bytes(range(256)), b"Action=GetCallerIdentity&Version=2011-06-15", b" ",
]
SERVICES = ["appconfig", "appconfigdata", "sts", "dynamodb"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"]
ENDPOINTS = [
    ("https", "appconfig.us-east-1.amazonaws.com", None),
    ("http", "127.0.0.1", 4566),
    ("http", "LocalHost", 80),
    ("https", "Example.COM", 443),
    ("https", "example.com", 8443),
    ("http", "127.0.0.1", 45124),
]
CREDENTIALS = [
    ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None),
    ("ASIAEXAMPLE1234567", "secret/with+slash=and=equals", "FQoGZXIvYXdzE//+session/token==" * 8),
    ("111111111111", "test", None),
]
TIMES = [1440938160, 1795046399, 1795046400, 1700000000, 951782400]  # incl. a day boundary and a leap day

LABELS = [["applications", "a b"], ["applications", "x/y", "environments", "é"], ["t", "~.-_", "%", "+=&?#"]]


def vectors():
    n = 0
    for i in range(160):
        yield {
            "id": n,
            "method": METHODS[i % len(METHODS)],
            "path": PATHS[(i * 7) % len(PATHS)],
            "query": QUERIES[(i * 5 + i // 13) % len(QUERIES)],
            "headers": HEADERS[(i * 3 + i // 7) % len(HEADERS)],
            "body": BODIES[(i * 11 + i // 5) % len(BODIES)],
            "service": SERVICES[i % len(SERVICES)],
            "region": REGIONS[(i // 2) % len(REGIONS)],
            "endpoint": ENDPOINTS[(i * 13) % len(ENDPOINTS)],
            "credentials": CREDENTIALS[(i // 3) % len(CREDENTIALS)],
            "time": TIMES[(i * 17) % len(TIMES)],
            "labels": None,
        }
        n += 1
    for labels, (method, service) in itertools.product(LABELS, [("GET", "appconfig"), ("DELETE", "appconfig")]):
        yield {
            "id": n, "method": method, "path": "/" + "/".join(percent_encode(s) for s in labels),
            "query": [], "headers": [], "body": b"", "service": service, "region": "us-east-1",
            "endpoint": ENDPOINTS[0], "credentials": CREDENTIALS[1], "time": TIMES[0], "labels": labels,
        }
        n += 1


def sign(v):
    scheme, host, port = v["endpoint"]
    authority = host if port is None else f"{host}:{port}"
    wire_query = percent_encode_sequence(v["query"]) if v["query"] else ""
    url = f"{scheme}://{authority}{v['path']}" + (f"?{wire_query}" if wire_query else "")
    ak, sk, token = v["credentials"]
    request = AWSRequest(method=v["method"], url=url, data=v["body"], headers=dict(v["headers"]))
    _NOW[0] = v["time"]
    signer = RecordingSigV4Auth(Credentials(ak, sk, token), v["service"], v["region"])
    signer.add_auth(request)
    canonical = signer.recorded_canonical
    string_to_sign = signer.recorded_string_to_sign
    return {
        "id": v["id"],
        "input": {
            "method": v["method"], "scheme": scheme, "host": host, "port": port, "path": v["path"],
            "query": [list(p) for p in v["query"]], "headers": [list(h) for h in v["headers"]],
            "body_b64": base64.b64encode(v["body"]).decode(), "service": v["service"], "region": v["region"],
            "access_key": ak, "secret_key": sk, "token": token, "time": v["time"], "labels": v["labels"],
        },
        "botocore": {
            "url": url, "wire_query": wire_query,
            "authorization": request.headers["Authorization"],
            "x_amz_date": request.headers["X-Amz-Date"],
            "x_amz_security_token": request.headers.get("X-Amz-Security-Token"),
            "canonical_request": canonical,
            "string_to_sign": string_to_sign,
            "headers": [[k, v] for k, v in request.headers.items()],
        },
    }


if __name__ == "__main__":
    out = [sign(v) for v in vectors()]
    json.dump(out, sys.stdout, ensure_ascii=False)
