"""The seed's own per-job reader, as the oracle for flagdeck's DynamoDB tests.

`toggle_feature` below is copied verbatim from /work/shared/seeds/000_eba09a746a771360.txt
("F3: flexible feature flags"). One change: the seed elides the table name as
`.Table(...)`; here it is `.Table(TABLE_NAME)`, the table given on the command line.
boto3 finds the emulator through AWS_ENDPOINT_URL and the account through
AWS_ACCESS_KEY_ID, as an application would.

Usage: python ddb_toggle_feature.py TABLE < job-ids   (one job id a line)
Prints one JSON line per job, in input order:
    {"job": "job-00001", "value": true}
    {"job": "job-00002", "value": {"type": "str", "repr": "'yes'"}}   (not a bool)
All jobs run in this one process, through the seed's own code path each time. The
one concession to speed: `boto3.resource` is memoised for the run (a fresh resource per
call costs ~15 ms of CPU, 30 s over 2,000 jobs); every call still goes through it, and
the GetItem and `.get(..., False)` that decide the value are the seed's.
"""
import json
import logging
import sys
import types
from typing import Optional

import boto3

TABLE_NAME = sys.argv[1]

# The seed's `import my_library` inside toggle_feature: a module whose globals it sets.
_resource = boto3.resource
_resources = {}


def _memoised_resource(name, *args, **kwargs):
    key = (name, args, tuple(sorted(kwargs.items())))
    if key not in _resources:
        _resources[key] = _resource(name, *args, **kwargs)
    return _resources[key]


boto3.resource = _memoised_resource

my_library = types.ModuleType("my_library")
sys.modules["my_library"] = my_library
logger = logging.getLogger("toggle_feature")


# ---- verbatim from the seed (but for the table name) ----
def toggle_feature(job_id: Optional[str] = None) -> None:
    import my_library

    my_library.JOB_ID = job_id
    logger.info(f"JOB_ID: {getattr(my_library, 'JOB_ID')}")

    dynamodb = boto3.resource('dynamodb')
    my_library.IS_FEATURE_ENABLED = (
        dynamodb
        .Table(TABLE_NAME)
        .get_item(
            Key={'job_id': str(getattr(my_library, 'JOB_ID'))}
        )
        .get('Item', dict())
        .get("is_feature_enabled", False)
    )

    logger.info(f"Feature toggle value: {my_library.IS_FEATURE_ENABLED}")
# ---- end of the seed's code ----


def render(value):
    if isinstance(value, bool):
        return value
    return {"type": type(value).__name__, "repr": repr(value)}


def main() -> None:
    out = sys.stdout
    for line in sys.stdin:
        job = line.strip()
        if not job:
            continue
        toggle_feature(job)
        out.write(json.dumps({"job": job, "value": render(my_library.IS_FEATURE_ENABLED)}) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
