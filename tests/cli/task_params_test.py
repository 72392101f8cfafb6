#!/usr/bin/python3
"""Every program reads its settings the same way: each `mysite` subcommand and `db-initializer`
run with what an ECS task definition gives a container (TASK_PARAMS naming an SSM parameter,
AWS_REGION, SECRET_KEY, the container-credentials endpoint), and nothing else, must see the values
of that parameter. tests/tools/fake_aws.py stands in for SSM, S3, Secrets Manager and the ECS
credentials endpoint, and rejects any request whose SigV4 signature does not verify.

Usage: task_params_test.py PATH_TO_MYSITE PATH_TO_DB_INITIALIZER
"""
import datetime
import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile
from urllib.parse import parse_qsl

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")
sys.path.insert(0, TOOLS)

from fake_aws_runner import FakeAws  # noqa: E402
from mysite_process import MysiteServer, run_tests  # noqa: E402
import rds_token_verifier  # noqa: E402

MYSITE = os.path.abspath(sys.argv[1])
DB_INITIALIZER = os.path.abspath(sys.argv[2])
REGION = "eu-west-1"
PARAMETER = "/rehearsal/ecsTaskParams"
BUCKET = "ssm-static-bucket"
CONTAINER_KEY = "ASIA_TASKPARAMS_0001"
CONTAINER_SECRET = "container-secret-" + secrets.token_hex(12)
CONTAINER_TOKEN = "IQoJb3JpZ2luX2VjE/" + secrets.token_urlsafe(60)
CONTAINER_AUTH = "auth-" + secrets.token_hex(8)
WORK = tempfile.mkdtemp(prefix="mysite-task-params-")
DB_FILE = os.path.join(WORK, "from-ssm.sqlite3")
CA_FILE = os.path.join(WORK, "ca.pem")
SITE_HOST = "ssm.example.test"
# Only in the parameter: a command that skipped it would run with other values.
PARAMS = {"DB_ENGINE": "sqlite", "DB_NAME": DB_FILE, "DB_HOST": "db.ssm.example.test", "DB_PORT": 3307,
          "DB_USER": "ssm_user", "DB_SSL_CA": CA_FILE, "HOST_NAMES": [SITE_HOST],
          "STATIC_BUCKET_NAME": BUCKET, "STATIC_URL": f"https://{SITE_HOST}/static/",
          "STATIC_ROOT": os.path.join(WORK, "not-used"), "DEBUG_FLAG": False, "ACCESS_LOG": False}
# What db-initializer reads (its DB_NAME is a MySQL database, not a file).
INITIALIZER = {"DB_USER": "ssm_user", "DB_NAME": "ssm_db", "DB_SSL_CA": CA_FILE}
FAKE = None


def task_env(**extra):
    """What ECS gives each container of the task definition (infra/lib/constructs/web-service.ts),
    with the credentials endpoint and the AWS endpoints pointed at the fake."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(TASK_PARAMS=PARAMETER, TASK_PARAMS_VERSION="0123456789abcdef", AWS_REGION=REGION,
               SECRET_KEY="k" + secrets.token_hex(32),
               AWS_CONTAINER_CREDENTIALS_FULL_URI=FAKE.url + "/ecs/full",
               AWS_CONTAINER_AUTHORIZATION_TOKEN=CONTAINER_AUTH, AWS_ENDPOINT_URL=FAKE.url,
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               AWS_EC2_METADATA_DISABLED="true")
    env.update(extra)
    return env


def mysite(*args, stdin=None, **env):
    return subprocess.run([MYSITE, *args], env=task_env(**env), input=stdin, capture_output=True,
                          text=True, timeout=120)


def ssm_calls():
    return FAKE.stats().get("AmazonSSM.GetParameter", 0)


def test_settings():
    r = mysite("settings")
    assert r.returncode == 0, r.stderr
    shown = dict(line.split("=", 1) for line in r.stdout.splitlines())
    assert shown["DB_NAME"] == DB_FILE and shown["STATIC_BUCKET_NAME"] == BUCKET, shown


def test_check():
    # The parameter names a CA file that does not exist yet: only a command that read the
    # parameter can report it. Then the file is made, for the commands that follow.
    r = mysite("check")
    assert r.returncode == 1 and f"DB_SSL_CA: no file at {CA_FILE}" in r.stdout, r
    with open(CA_FILE, "w") as f:
        f.write("not read: the database is SQLite, and db-initializer stops at the secret\n")


def test_migrate_and_showmigrations():
    before = ssm_calls()
    r = mysite("migrate")
    assert r.returncode == 0, r.stderr
    assert ssm_calls() == before + 1
    assert os.path.exists(DB_FILE), "migrate did not create DB_NAME from the parameter"
    r = mysite("showmigrations")
    assert r.returncode == 0 and "[X]" in r.stdout and "[ ]" not in r.stdout, r


def test_createsuperuser_and_changepassword():
    password = "Pw-" + secrets.token_hex(8)
    r = mysite("createsuperuser", "--noinput", "--username", "ssmadmin", "--email", "a@example.com",
               MYSITE_SUPERUSER_PASSWORD=password)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(DB_FILE) as db:
        (before,) = db.execute("SELECT password FROM auth_user WHERE username='ssmadmin'").fetchone()
    new = "Pw-" + secrets.token_hex(8)
    r = mysite("changepassword", "ssmadmin", stdin=f"{new}\n{new}\n")
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(DB_FILE) as db:
        (after,) = db.execute("SELECT password FROM auth_user WHERE username='ssmadmin'").fetchone()
    assert after != before and after.startswith("pbkdf2_sha256$")


def test_collectstatic_then_serve_render_and_healthcheck():
    r = mysite("collectstatic", "--noinput")
    assert r.returncode == 0, r.stderr
    assert BUCKET in r.stdout, r.stdout
    assert not os.path.exists(PARAMS["STATIC_ROOT"])
    # serve: HOST_NAMES and the manifest's bucket come from the parameter; BIND from the
    # environment, as the image sets it.
    server = MysiteServer(MYSITE, task_env())
    try:
        status, _, _, body = server.fetch("GET", "/", host=SITE_HOST)
        assert status == 200, (status, body[:300])
        image = re.search(rb'<img src="([^"]+)"', body).group(1).decode()
        assert re.fullmatch(rf"https://{re.escape(SITE_HOST)}/static/images/cpp-on-aws\.[0-9a-f]{{12}}\.svg", image), image
        assert server.fetch("GET", "/", host="localhost")[0] == 400  # not in the parameter's HOST_NAMES
        before = ssm_calls()
        r = mysite("healthcheck", "--bind", f"127.0.0.1:{server.port}")
        assert r.returncode == 0, r
        assert ssm_calls() == before, "healthcheck called SSM (it runs every 15 s in every task)"
    finally:
        code, _, err = server.stop()
    assert code == 0, err
    assert "staticfiles.json" not in err, "false warning about STATIC_ROOT:\n" + err
    r = mysite("render", "home.html", "--context", "{}")
    assert r.returncode == 0, r.stderr
    assert image in r.stdout, r.stdout[:500]


def test_rds_token_defaults_to_the_database_settings():
    r = mysite("rds-token")
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    assert token.startswith("db.ssm.example.test:3307/?Action=connect&DBUser=ssm_user&"), token
    when = datetime.datetime.strptime(dict(parse_qsl(token.split("/?", 1)[1]))["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    expected = rds_token_verifier.generate_token("db.ssm.example.test", "3307", "ssm_user", REGION, CONTAINER_KEY,
                                                 CONTAINER_SECRET, CONTAINER_TOKEN, when)
    assert token == expected


def test_bind_in_the_parameter_is_refused():
    r = mysite("settings", TASK_PARAMS="/rehearsal/withBind")
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mysite: bad setting BIND:"), r.stderr


def test_db_initializer_reads_the_parameter():
    # DB_USER, DB_NAME and DB_SSL_CA only in the parameter: a program that skipped it would stop at
    # its configuration ("DB_SSL_CA: required"); this one goes on to read the (missing) secret.
    r = subprocess.run([DB_INITIALIZER, "--once"],
                       env=task_env(DB_CONFIG_SECRET="no-such-secret", TASK_PARAMS="/rehearsal/initializer"),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, r
    assert "ResourceNotFoundException" in r.stderr and "DB_SSL_CA" not in r.stderr, r.stderr
    bad = subprocess.run([DB_INITIALIZER, "--once"],
                         env=task_env(DB_CONFIG_SECRET="no-such-secret", TASK_PARAMS="/rehearsal/badUser"),
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "DB_USER" in bad.stderr, bad


def main():
    global FAKE
    config = {"region": REGION,
              "parameters": {PARAMETER: {"Type": "String", "Value": json.dumps(PARAMS)},
                             "/rehearsal/withBind": {"Type": "String", "Value": json.dumps({"BIND": "0.0.0.0:9000"})},
                             "/rehearsal/initializer": {"Type": "String", "Value": json.dumps(INITIALIZER)},
                             "/rehearsal/badUser": {"Type": "String", "Value": json.dumps(
                                 {**INITIALIZER, "DB_USER": "bad'user"})}},
              "buckets": [BUCKET],
              "container": {"credentials": {"AccessKeyId": CONTAINER_KEY, "SecretAccessKey": CONTAINER_SECRET,
                                            "Token": CONTAINER_TOKEN},
                            "token": CONTAINER_AUTH}}
    with FakeAws(config) as fake:
        FAKE = fake
        return run_tests([test_settings, test_check, test_migrate_and_showmigrations,
                          test_createsuperuser_and_changepassword,
                          test_collectstatic_then_serve_render_and_healthcheck,
                          test_rds_token_defaults_to_the_database_settings, test_bind_in_the_parameter_is_refused,
                          test_db_initializer_reads_the_parameter])


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", WORK])
