#!/usr/bin/python3
"""`mysite collectstatic` and `mysite serve` with STATIC_BUCKET_NAME, against tests/tools/fake_aws.py
(which rejects any request whose SigV4 signature botocore does not recompute):

  - the first collectstatic uploads every file under static/ with its Content-Type and
    Cache-Control (hashed: a year, immutable; originals and the manifest: 60 s), the manifest last;
  - a second run uploads nothing;
  - `mysite serve` renders {% static %} with the hashed names of the manifest read from S3;
  - with no manifest in the bucket, serve warns and keeps plain names.

Usage: static_s3_cli_test.py PATH_TO_MYSITE
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")
sys.path.insert(0, TOOLS)

from fake_aws_runner import FakeAws  # noqa: E402
from lambda_emulator import RuntimeEmulator  # noqa: E402
from mysite_process import MysiteServer, run_tests  # noqa: E402

import botocore.session  # noqa: E402
from botocore.config import Config  # noqa: E402

MYSITE = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="mysite-static-s3-")
REGION = "us-east-1"
ACCESS_KEY = "AKIDSTATICS3TEST0001"
SECRET_KEY = "static-s3-secret/" + os.urandom(8).hex()
BUCKET = "static-bucket"
EMPTY_BUCKET = "empty-bucket"
LAMBDA_BUCKET = "lambda-bucket"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"

BASE_ENV = {k: v for k, v in os.environ.items()
            if not (k.startswith(("DB_", "AWS_")) or k in (
                "DEBUG_FLAG", "HOST_NAMES", "SECRET_KEY", "TASK_PARAMS", "MYSITE_SETTINGS_FILE",
                "BIND", "THREADS", "ACCESS_LOG", "STATIC_URL", "STATIC_ROOT", "STATIC_BUCKET_NAME"))}
BASE_ENV.update(AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
                AWS_EC2_METADATA_DISABLED="true", AWS_ACCESS_KEY_ID=ACCESS_KEY,
                AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_REGION=REGION,
                SECRET_KEY="test-secret-key-for-mysite-static-s3-tests-0123456789abcdef",
                DB_ENGINE="sqlite", DB_NAME=os.path.join(WORK, "db.sqlite3"),
                STATIC_ROOT=os.path.join(WORK, "staticfiles-unused"))

FAKE = None


def env(**extra):
    e = dict(BASE_ENV)
    e["AWS_ENDPOINT_URL"] = FAKE.url
    e["STATIC_BUCKET_NAME"] = BUCKET
    e.update(extra)
    return e


def run(*args, **extra):
    return subprocess.run([MYSITE, *args], env=env(**extra), capture_output=True, text=True, timeout=120)


def s3():
    session = botocore.session.get_session()
    return session.create_client("s3", region_name=REGION, endpoint_url=FAKE.url,
                                 aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                                 config=Config(s3={"addressing_style": "path"}))


def serve_get(path, **extra):
    """Starts `mysite serve`, GETs `path`, stops it; returns (status, body, stderr)."""
    server = MysiteServer(MYSITE, env(**extra))
    try:
        status, _, _, body = server.fetch("GET", path, timeout=10)
    finally:
        _, _, err = server.stop()
    return status, body.decode(), err


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def first_collectstatic_uploads_everything_with_types_and_caching():
    before = FAKE.stats().get("s3:PutObject", 0)
    r = run("collectstatic", "--noinput")
    assert r.returncode == 0, r.stderr
    assert f"copied to 's3://{BUCKET}/static/'" in r.stdout, r.stdout
    client = s3()
    manifest = json.loads(client.get_object(Bucket=BUCKET, Key="static/staticfiles.json")["Body"].read())
    paths = manifest["paths"]
    assert "css/site.css" in paths, paths
    keys = {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix="static/").get("Contents", [])}
    for name, hashed in paths.items():
        assert "static/" + name in keys and "static/" + hashed in keys, (name, hashed)
    puts = FAKE.stats().get("s3:PutObject", 0) - before
    assert puts == len(keys), (puts, len(keys))
    head = client.head_object(Bucket=BUCKET, Key="static/" + paths["css/site.css"])
    assert head["ContentType"] == "text/css; charset=utf-8", head["ContentType"]
    assert head["CacheControl"] == IMMUTABLE, head.get("CacheControl")
    head = client.head_object(Bucket=BUCKET, Key="static/css/site.css")
    assert head["CacheControl"] == SHORT, head.get("CacheControl")
    head = client.head_object(Bucket=BUCKET, Key="static/staticfiles.json")
    assert head["ContentType"] == "application/json" and head["CacheControl"] == SHORT, head


@test
def second_collectstatic_uploads_nothing():
    before = FAKE.stats().get("s3:PutObject", 0)
    r = run("collectstatic", "--noinput")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().startswith("0 static files copied"), r.stdout
    assert FAKE.stats().get("s3:PutObject", 0) == before


@test
def serve_renders_hashed_names_from_the_s3_manifest():
    r = run("migrate")
    assert r.returncode == 0, r.stderr
    manifest = json.loads(s3().get_object(Bucket=BUCKET, Key="static/staticfiles.json")["Body"].read())
    hashed = manifest["paths"]["css/site.css"]
    assert re.search(r"\.[0-9a-f]{12}\.css$", hashed), hashed
    status, body, err = serve_get("/")
    assert status == 200, (status, body[:300], err)
    assert hashed in body, (hashed, body[:600])
    assert "warning" not in err, err


@test
def serve_without_manifest_in_bucket_warns_and_keeps_plain_names():
    status, body, err = serve_get("/", STATIC_BUCKET_NAME=EMPTY_BUCKET)
    assert status == 200, (status, body[:300], err)
    assert "static/staticfiles.json" in err and EMPTY_BUCKET in err, err
    assert "css/site.css" in body, body[:600]


@test
def collectstatic_as_a_lambda_function_collects_once_per_invocation():
    # As the static publisher function runs it: `mysite collectstatic --lambda` under the Runtime
    # API, the bucket from the settings, credentials from the function's role.
    with RuntimeEmulator() as emulator:
        proc = subprocess.Popen([MYSITE, "collectstatic", "--lambda"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env(STATIC_BUCKET_NAME=LAMBDA_BUCKET,
                                                   AWS_LAMBDA_RUNTIME_API=emulator.endpoint))
        try:
            first = emulator.invoke({}, timeout_s=60)
            assert first.kind == "response", (first, proc.stderr.read() if proc.poll() is not None else "")
            answer = json.loads(first.body)
            assert answer["copied"] > 0 and "s3://lambda-bucket/static/" in answer["summary"], answer
            keys = {o["Key"] for o in s3().list_objects_v2(Bucket=LAMBDA_BUCKET, Prefix="static/").get("Contents", [])}
            assert "static/staticfiles.json" in keys, keys
            # The same process answers the next event: nothing left to copy.
            second = emulator.invoke({}, timeout_s=60)
            assert second.kind == "response" and json.loads(second.body)["copied"] == 0, second
        finally:
            proc.kill()
            proc.wait()
    # A bucket the credentials cannot write: the invocation fails and says why, the process lives on.
    with RuntimeEmulator() as emulator:
        proc = subprocess.Popen([MYSITE, "collectstatic", "--lambda"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env(STATIC_BUCKET_NAME="no-such-bucket",
                                                   AWS_LAMBDA_RUNTIME_API=emulator.endpoint))
        try:
            failed = emulator.invoke({}, timeout_s=60)
            assert failed.kind == "error" and failed.error_type == "Collectstatic.Error", failed
            assert b"no-such-bucket" in failed.body or b"NoSuchBucket" in failed.body, failed.body
            assert proc.poll() is None, "the runtime exited after a failed invocation"
        finally:
            proc.kill()
            proc.wait()
    # Outside Lambda it refuses to start.
    r = run("collectstatic", "--lambda")
    assert r.returncode == 2 and "AWS_LAMBDA_RUNTIME_API" in r.stderr, r


def main():
    global FAKE
    config = {"region": REGION,
              "credentials": [{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "token": None}],
              "buckets": [BUCKET, EMPTY_BUCKET, LAMBDA_BUCKET]}
    try:
        with FakeAws(config) as fake:
            FAKE = fake
            return run_tests(TESTS)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
