#!/usr/bin/python3
"""The AWS side of the `mysite` binary, against tests/tools/fake_aws.py (which rejects any request
whose SigV4 signature botocore does not recompute) and against botocore itself:

  - `mysite rds-token` prints exactly what botocore's generate_db_auth_token makes for the same
    inputs at the X-Amz-Date the token carries (credentials from the environment or from the ECS
    container endpoint);
  - TASK_PARAMS loads the JSON SSM parameter (SecureString, decrypted) as the top settings layer,
    retried on throttling, and a missing parameter stops start-up with one line.

Usage: aws_cli_test.py PATH_TO_MYSITE
"""
import datetime
import json
import os
import secrets
import subprocess
import sys
import time
import traceback
import urllib.request
from urllib.parse import parse_qsl

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")
sys.path.insert(0, TOOLS)

from fake_aws_runner import FakeAws  # noqa: E402
import rds_token_verifier  # noqa: E402

MYSITE = os.path.abspath(sys.argv[1])
REGION = "us-east-1"
ACCESS_KEY = "AKIDCLITEST000000001"
SECRET_KEY = "cli-secret-" + secrets.token_hex(12)
CONTAINER_KEY = "ASIA_CONTAINER_00001"
CONTAINER_SECRET = "container-secret-" + secrets.token_hex(12)
CONTAINER_TOKEN = "IQoJb3JpZ2luX2VjE/" + secrets.token_urlsafe(400) + "+=="
CONTAINER_AUTH = "auth-" + secrets.token_hex(8)
SSM_SECRET_KEY = "ssm-secret-key-" + secrets.token_hex(20)
TASK_PARAMS = {"DB_ENGINE": "mysql", "DB_HOST": "db.cluster-abc.us-east-1.rds.amazonaws.com",
               "DB_PORT": 3307, "DB_USER": "django", "DB_NAME": "main", "DB_AUTH": "iam",
               "HOST_NAMES": ["django.example.com", "www.example.com"], "DEBUG_FLAG": False,
               "SECRET_KEY": SSM_SECRET_KEY, "STATIC_BUCKET_NAME": "static-bucket",
               "AWS_REGION": REGION}

BASE_ENV = {k: v for k, v in os.environ.items()
            if not (k.startswith(("DB_", "AWS_")) or k in (
                "DEBUG_FLAG", "HOST_NAMES", "SECRET_KEY", "TASK_PARAMS", "MYSITE_SETTINGS_FILE"))}
BASE_ENV.update(AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
                AWS_EC2_METADATA_DISABLED="true")


def run(*args, **env):
    e = dict(BASE_ENV)
    e.update(env)
    return subprocess.run([MYSITE, *args], env=e, capture_output=True, text=True, timeout=60)


def env_credentials(**extra):
    return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": REGION, **extra}


def botocore_token(token, host, port, user, region, access_key, secret_key, session_token):
    """botocore's token for the same inputs, signed at the X-Amz-Date that `token` carries."""
    params = dict(parse_qsl(token.split("/?", 1)[1]))
    when = datetime.datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    now = datetime.datetime.utcnow()
    assert abs((now - when).total_seconds()) < 120, (now, when)  # signed now, not at a fixed time
    return rds_token_verifier.generate_token(host, port, user, region, access_key, secret_key,
                                             session_token, when)


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def rds_token_is_botocores_with_environment_credentials(fake):
    for host, port, user, region in (("mydb.cluster-abc123.eu-west-1.rds.amazonaws.com", "3306", "django", "eu-west-1"),
                                     ("127.0.0.1", "13306", "app_user", None),
                                     ("MyDB.Cluster-XYZ.us-east-1.rds.amazonaws.com", "5432", "user.name-1", "us-east-1")):
        args = ["rds-token", "--host", host, "--port", port, "--user", user]
        if region:
            args += ["--region", region]
        for token in (None, "FwoGZXIvYXdzEBY/session+token=="):
            extra = {"AWS_SESSION_TOKEN": token} if token else {}
            r = run(*args, **env_credentials(**extra))
            assert r.returncode == 0, r.stderr
            assert r.stderr == "", r.stderr
            printed = r.stdout.rstrip("\n")
            assert r.stdout == printed + "\n" and "\n" not in printed
            expected = botocore_token(printed, host, port, user, region or REGION, ACCESS_KEY, SECRET_KEY, token)
            assert printed == expected, (printed, expected)


@test
def rds_token_uses_container_credentials(fake):
    r = run("rds-token", "--host", "db.example", "--port", "3306", "--user", "django", AWS_REGION=REGION,
            AWS_CONTAINER_CREDENTIALS_FULL_URI=fake.url + "/ecs/full",
            AWS_CONTAINER_AUTHORIZATION_TOKEN=CONTAINER_AUTH)
    assert r.returncode == 0, r.stderr
    printed = r.stdout.strip()
    assert printed == botocore_token(printed, "db.example", "3306", "django", REGION, CONTAINER_KEY,
                                     CONTAINER_SECRET, CONTAINER_TOKEN)


@test
def rds_token_usage_and_failures(fake):
    assert run("rds-token", "--port", "3306", "--user", "u", **env_credentials()).returncode == 2
    assert run("rds-token", "--host", "h", "--port", "0", "--user", "u", **env_credentials()).returncode == 2
    assert run("rds-token", "--host", "h", "--port", "65536", "--user", "u", **env_credentials()).returncode == 2
    assert run("rds-token", "--host", "h", "--port", "3306", **env_credentials()).returncode == 2
    no_region = run("rds-token", "--host", "h", "--port", "3306", "--user", "u",
                    AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    assert no_region.returncode == 1 and "region" in no_region.stderr and no_region.stdout == ""
    no_creds = run("rds-token", "--host", "h", "--port", "3306", "--user", "u", AWS_REGION=REGION)
    assert no_creds.returncode == 1 and "credentials" in no_creds.stderr, no_creds.stderr
    assert len(no_creds.stderr.strip().splitlines()) == 1, no_creds.stderr
    bad_auth = run("rds-token", "--host", "h", "--port", "3306", "--user", "u", AWS_REGION=REGION,
                   AWS_CONTAINER_CREDENTIALS_FULL_URI=fake.url + "/ecs/full",
                   AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong-" + CONTAINER_AUTH)
    assert bad_auth.returncode == 1 and bad_auth.stdout == "", bad_auth
    assert len(bad_auth.stderr.strip().splitlines()) == 1, bad_auth.stderr
    assert CONTAINER_AUTH not in bad_auth.stderr, bad_auth.stderr


def ssm_env(name, **extra):
    return env_credentials(**{"TASK_PARAMS": name, "AWS_ENDPOINT_URL": FAKE.url, **extra})


@test
def settings_come_from_the_task_params_parameter(fake):
    before = fake.stats().get("AmazonSSM.GetParameter", 0)
    r = run("settings", **ssm_env("/mysite/ecsTaskParams", DB_HOST="overridden-by-ssm"))
    assert r.returncode == 0, r.stderr
    shown = dict(line.split("=", 1) for line in r.stdout.splitlines())
    assert shown["DB_HOST"] == TASK_PARAMS["DB_HOST"], shown  # SSM is the top layer
    assert shown["DB_PORT"] == "3307" and shown["DB_AUTH"] == "iam" and shown["DB_USER"] == "django"
    assert "django.example.com" in shown["HOST_NAMES"] and "www.example.com" in shown["HOST_NAMES"]
    assert shown["STATIC_BUCKET_NAME"] == "static-bucket"
    assert shown["TASK_PARAMS"] == "/mysite/ecsTaskParams"
    assert shown["SECRET_KEY"] == "********", shown
    assert SSM_SECRET_KEY not in r.stdout + r.stderr
    assert fake.stats().get("AmazonSSM.GetParameter", 0) == before + 1  # one call at start-up


@test
def task_params_survive_throttling(fake):
    request = urllib.request.Request(fake.url + "/__control/fail", method="POST", data=json.dumps(
        {"count": 2, "status": 400, "code": "ThrottlingException", "service": "ssm"}).encode())
    urllib.request.urlopen(request, timeout=5).read()
    before = fake.stats().get("ssm:injected", 0)
    started = time.monotonic()
    r = run("settings", **ssm_env("/mysite/ecsTaskParams"))
    assert r.returncode == 0, r.stderr
    assert fake.stats().get("ssm:injected", 0) == before + 2
    assert time.monotonic() - started < 30


@test
def a_missing_task_params_parameter_stops_startup_with_one_line(fake):
    for command in ("settings", "serve", "migrate"):
        r = run(command, **ssm_env("/mysite/nope"))
        assert r.returncode == 1, (command, r)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1, r.stderr
        assert "TASK_PARAMS" in lines[0] and "/mysite/nope" in lines[0] and "not found" in lines[0], lines


@test
def unreadable_task_params_name_the_cause_without_secrets(fake):
    wrong = "wrong-secret-" + secrets.token_hex(8)
    r = run("settings", **ssm_env("/mysite/ecsTaskParams", AWS_SECRET_ACCESS_KEY=wrong))
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "TASK_PARAMS" in lines[0] and "InvalidSignatureException" in lines[0], lines
    assert wrong not in r.stderr and SECRET_KEY not in r.stderr
    bad_json = run("settings", **ssm_env("/mysite/notJson"))
    assert bad_json.returncode == 1 and "TASK_PARAMS" in bad_json.stderr, bad_json.stderr


FAKE = None


def main():
    global FAKE
    config = {"region": REGION,
              "credentials": [{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "token": None}],
              "parameters": {"/mysite/ecsTaskParams": {"Type": "SecureString", "Value": json.dumps(TASK_PARAMS)},
                             "/mysite/notJson": {"Type": "String", "Value": "DB_HOST=x"}},
              "container": {"credentials": {"AccessKeyId": CONTAINER_KEY, "SecretAccessKey": CONTAINER_SECRET,
                                            "Token": CONTAINER_TOKEN},
                            "token": CONTAINER_AUTH}}
    failed = 0
    with FakeAws(config) as fake:
        FAKE = fake
        for fn in TESTS:
            started = time.monotonic()
            try:
                fn(fake)
                print(f"ok   {fn.__name__} ({time.monotonic() - started:.1f} s)", flush=True)
            except Exception:  # noqa: BLE001 - report every failing test, then fail
                failed += 1
                print(f"FAIL {fn.__name__}\n{traceback.format_exc()}", flush=True)
    print(f"{len(TESTS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
