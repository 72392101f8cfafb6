#!/usr/bin/python3
"""SigV4 oracle: botocore signs ~200 generated requests at fixed times; our C++ tool signs the
same cases; every stage (canonical request, string to sign, signature, Authorization header,
final headers, presigned URL, RDS token) must match byte for byte.

Usage: botocore_sigv4_oracle.py PATH_TO_sigv4_oracle_tool [--dump-cases FILE]
Must run under Debian's /usr/bin/python3 (python3-botocore)."""
import datetime
import json
import os
import random
import subprocess
import sys
import types
from urllib.parse import quote

for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"):
    os.environ.pop(var, None)
os.environ["AWS_CONFIG_FILE"] = "/dev/null"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"

import botocore.auth  # noqa: E402
import botocore.session  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.utils import percent_encode_sequence  # noqa: E402


class FrozenDateTime(datetime.datetime):
    frozen = None

    @classmethod
    def utcnow(cls):
        return cls.frozen


botocore.auth.datetime = types.SimpleNamespace(datetime=FrozenDateTime)

STAGES = {}


def capture(name):
    original = getattr(botocore.auth.SigV4Auth, name)

    def wrapper(self, *args):
        result = original(self, *args)
        STAGES[name] = result
        return result

    setattr(botocore.auth.SigV4Auth, name, wrapper)


for _stage in ("canonical_request", "string_to_sign", "signature"):
    capture(_stage)

CREDENTIALS = [
    ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None),
    ("ASIA_XAMPLE_TOKEN_12", "secret/with+plus=and/slash", "FQoGZXIvYXdzEJr//////////wEaDE+tok/en=="),
    ("AKIA" + "IOSFODNN7EXAMPLE", "x" * 40, "short-token"),
]
PATHS = ["/", "/a b/c d", "/unicode/ünïcødé/日本語", "/reserved/!*'();:@&=+$,[]", "/a/./b/../c",
         "//double//slash//", "/trailing/", "/%41literal%2F", "/tilde~/dash-_.", "/k+plus",
         "/ space /x y", "/emoji/🙂.png", "/..", "/a/b/c/../../d", "/static/css/base.abc123.css",
         "/q?mark#hash"]
QUERIES = [[], [["a", "1"]], [["k", "2"], ["k", "1"], ["k", "1"]], [["empty", ""]],
           [["b", "x y"], ["a", "1+1=2"]], [["prefix", "static/ü/"], ["list-type", "2"]],
           [["key with space", "v/w"], ["*star", "~tilde"]], [["", "nokey"]],
           [["delete", ""]], [["Z", "1"], ["a", "2"], ["_", "3"], ["-", "4"]],
           [["continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="]]]
HEADERS = [[], [["Content-Type", "application/x-amz-json-1.1"], ["X-Amz-Target", "AmazonSSM.GetParameter"]],
           [["X-Amz-Meta-Note", "  spaced    out   value  "]], [["X-Custom", "a\tb \t c"]],
           [["X-MiXeD-Case", "Value"], ["x-another", "1"]], [["X-Rep", "1"], ["x-rep", "2"], ["X-REP", " 3 "]],
           [["User-Agent", "mysite/1.0"], ["Expect", "100-continue"], ["X-Amzn-Trace-Id", "Root=1"]],
           [["Host", "Explicit.Example.com"]], [["Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="]],
           [["Cache-Control", "public, max-age=31536000, immutable"], ["Content-Type", "text/css"]]]
BODIES = ["", "hello", '{"Name":"ecsTaskParams","WithDecryption":true}', "ünïcødé body\n"]
ENDPOINTS = {
    "s3": ["https://bucket.s3.us-east-1.amazonaws.com", "http://127.0.0.1:4566/my-bucket",
           "https://s3.eu-west-1.amazonaws.com/my.bucket"],
    "ssm": ["https://ssm.eu-west-1.amazonaws.com", "http://localhost:8080"],
    "secretsmanager": ["https://secretsmanager.us-west-2.amazonaws.com"],
    "execute-api": ["https://abc123.execute-api.us-east-1.amazonaws.com:8443"],
    "iam": ["https://IAM.AmazonAWS.com"],
}
METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "get"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


def make_cases():
    rnd = random.Random(20261128)
    cases = []
    services = sorted(ENDPOINTS)
    for i in range(150):
        service = services[i % len(services)]
        ak, sk, token = CREDENTIALS[i % len(CREDENTIALS)]
        kind = "presign" if i % 3 == 2 else "header"
        query = rnd.choice(QUERIES)
        if kind == "presign":  # botocore's presigner keeps one value per key
            keys = [q[0] for q in query]
            query = [q for n, q in enumerate(query) if q[0] not in keys[:n]]
        cases.append({
            "id": f"{kind}-{i:03d}-{service}", "kind": kind,
            "method": METHODS[i % len(METHODS)] if i % 5 else rnd.choice(METHODS),
            "endpoint": rnd.choice(ENDPOINTS[service]), "raw_path": PATHS[i % len(PATHS)],
            "query": query, "headers": rnd.choice(HEADERS),
            "body": "" if kind == "presign" else rnd.choice(BODIES),
            "service": service, "region": rnd.choice(REGIONS),
            "epoch": 1700000000 + rnd.randrange(0, 400_000_000),
            "access_key": ak, "secret_key": sk, "token": token,
            "sign_payload": (i % 4 != 0) or not ENDPOINTS[service][0].startswith("https"),
            "expires": rnd.choice([1, 900, 3600, 604800]),
        })
    hosts = ["mydb.cluster-abc123.us-east-1.rds.amazonaws.com", "MyDB.Cluster-XYZ.eu-west-1.rds.amazonaws.com",
             "127.0.0.1", "localhost"]
    users = ["django", "admin+1", "user@example.com", "a b", "ünï"]
    for i in range(40):
        ak, sk, token = CREDENTIALS[i % len(CREDENTIALS)]
        cases.append({
            "id": f"rds-{i:03d}", "kind": "rds", "host": hosts[i % len(hosts)],
            "port": [3306, 5432, 443, 13306][i % 4], "user": users[i % len(users)],
            "region": REGIONS[i % len(REGIONS)], "epoch": 1700000000 + rnd.randrange(0, 400_000_000),
            "access_key": ak, "secret_key": sk, "token": token,
        })
    return cases


def freeze(epoch):
    FrozenDateTime.frozen = FrozenDateTime.utcfromtimestamp(epoch)


def botocore_header_or_presign(case):
    url = case["endpoint"] + quote(case["raw_path"], safe="/~")
    if case["query"]:
        url += "?" + percent_encode_sequence(case["query"])
    request = AWSRequest(method=case["method"], url=url, data=case["body"].encode())
    for name, value in case["headers"]:
        request.headers[name] = value
    creds = Credentials(case["access_key"], case["secret_key"], case["token"])
    s3 = case["service"] == "s3"
    if case["kind"] == "presign":
        cls = botocore.auth.S3SigV4QueryAuth if s3 else botocore.auth.SigV4QueryAuth
        auth = cls(creds, case["service"], case["region"], expires=case["expires"])
    else:
        cls = botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth
        auth = cls(creds, case["service"], case["region"])
        if s3:
            request.context["client_config"] = types.SimpleNamespace(
                s3={"payload_signing_enabled": case["sign_payload"]})
        else:
            request.context["payload_signing_enabled"] = case["sign_payload"]
    STAGES.clear()
    freeze(case["epoch"])
    auth.add_auth(request)
    out = {"id": case["id"], "canonical_request": STAGES["canonical_request"],
           "string_to_sign": STAGES["string_to_sign"], "signature": STAGES["signature"]}
    if case["kind"] == "presign":
        out["url"] = request.url
    else:
        out["authorization"] = request.headers["Authorization"]
        out["headers"] = sorted([name.lower(), value] for name, value in request.headers.items())
    return out


RDS_CLIENTS = {}


def botocore_rds(case):
    key = (case["access_key"], case["secret_key"], case["token"])
    if key not in RDS_CLIENTS:
        session = botocore.session.get_session()
        RDS_CLIENTS[key] = session.create_client(
            "rds", region_name="us-east-1", aws_access_key_id=key[0],
            aws_secret_access_key=key[1], aws_session_token=key[2])
    freeze(case["epoch"])
    token = RDS_CLIENTS[key].generate_db_auth_token(
        DBHostname=case["host"], Port=case["port"], DBUsername=case["user"], Region=case["region"])
    return {"id": case["id"], "url": token}


def expected_for(case):
    return botocore_rds(case) if case["kind"] == "rds" else botocore_header_or_presign(case)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    cases = make_cases()
    if "--dump-cases" in sys.argv:
        with open(sys.argv[sys.argv.index("--dump-cases") + 1], "w") as f:
            json.dump(cases, f, indent=1, ensure_ascii=False)
    expected = [expected_for(c) for c in cases]
    run = subprocess.run([sys.argv[1]], input=json.dumps(cases).encode(), capture_output=True)
    if run.returncode != 0:
        print("tool failed:", run.stderr.decode(errors="replace"))
        return 1
    ours = {r["id"]: r for r in json.loads(run.stdout)}
    failures = 0
    for want in expected:
        got = ours.get(want["id"], {})
        for field, value in want.items():
            if got.get(field) != value:
                failures += 1
                print(f"MISMATCH {want['id']} {field}:\n  botocore: {value!r}\n  ours:     {got.get(field)!r}")
    kinds = {}
    for c in cases:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    print(f"{len(cases)} cases {kinds}, {failures} mismatching fields")
    return 1 if failures or len(cases) < 100 else 0


if __name__ == "__main__":
    sys.exit(main())
