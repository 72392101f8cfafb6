#!/usr/bin/python3
"""The db-initializer process as Lambda runs it: one process, driven through several invocations
by a local emulator of the Lambda Runtime API (lambda_emulator.py), reading the master secret from
tests/tools/fake_aws.py (which verifies every SigV4 signature) and running mariadb-init.sql on the
throwaway MariaDB of tests/tools/with_mariadb.sh + with_master_user.sh.

    with_mariadb.sh with_master_user.sh runtime_test.py BUILD/db-initializer

Invocations, in one process: success; a secret that does not exist; a wrong master password; the
database down; success again. Each failure must come back through /invocation/{id}/error with its
errorType and errorMessage, and the process must take the next invocation. Then: an init error
through /runtime/init/error, and --once outside Lambda.

Secrets Manager is reached through a TcpSwitch in front of four fakes (the real secret, no secret,
a wrong password, a closed database port): the process's DB_CONFIG_SECRET never changes, only
what the service answers for it, as happens when a secret is deleted or rotated.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
from lambda_emulator import RuntimeEmulator, TcpSwitch  # noqa: E402

FAKE_AWS = os.path.join(ROOT, "tests", "tools", "fake_aws.py")
SCRIPT = os.path.join(HERE, "mariadb-init.sql")
SCRIPT_PASSWORD = "stand-in;pw"  # part of the password mariadb-init.sql sets
ACCESS_KEY, SECRET_KEY = "AKIDFAKETESTKEY00001", "fake/secret+key=abcdefghijklmnopqrstu"
SECRET_ID = "db-master"
DB_USER, DB_NAME = "django_rt", "app_rt"

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


class FakeAws:
    def __init__(self, secrets):
        config = {"region": "us-east-1",
                  "credentials": [{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "token": None}],
                  "secrets": secrets}
        fd, self.config_path = tempfile.mkstemp(prefix="db-init-fake-aws-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(config, f)
        self.process = subprocess.Popen(["/usr/bin/python3", FAKE_AWS, "--config", self.config_path],
                                        stdout=subprocess.PIPE, text=True)

    def wait_port(self):
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"fake_aws.py did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def stop(self):
        self.process.terminate()
        self.process.wait()
        os.unlink(self.config_path)


def closed_port():
    """A loopback port bound but not listening: connecting is refused. Keep the socket open."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    return s


def master_secret(password=None, port=None):
    return {"SecretString": json.dumps({
        "username": os.environ["MYSITE_TEST_MYSQL_MASTER_USER"],
        "password": password or os.environ["MYSITE_TEST_MYSQL_MASTER_PASSWORD"],
        "engine": "mysql", "host": os.environ["MYSITE_TEST_MYSQL_HOST"],
        "port": port or int(os.environ["MYSITE_TEST_MYSQL_PORT"]),
        "dbname": os.environ["MYSITE_TEST_MYSQL_DATABASE"], "dbClusterIdentifier": "test"})}


def process_env(switch, **extra):
    env = {"PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir(),
           "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
           "AWS_ENDPOINT_URL_SECRETS_MANAGER": f"http://127.0.0.1:{switch.port}",
           "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
           "AWS_EC2_METADATA_DISABLED": "true",
           "DB_CONFIG_SECRET": SECRET_ID, "DB_USER": DB_USER, "DB_NAME": DB_NAME,
           "DB_SSL_CA": os.environ["MYSITE_TEST_MYSQL_SSL_CA"], "DB_INIT_SCRIPT": SCRIPT}
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def mariadb_root(sql):
    return subprocess.run(["mariadb", "--no-defaults", f"--socket={os.environ['MYSITE_TEST_MYSQL_SOCKET']}",
                           "-uroot", "--batch", "--skip-column-names", "-e", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_invocations(binary, fakes, switch):
    log_path = tempfile.mktemp(prefix="db-init-runtime-", suffix=".log")
    with RuntimeEmulator() as api, open(log_path, "w") as log:
        switch.route(fakes["good"].port)
        started = time.monotonic()
        process = subprocess.Popen([binary, "db-initializer"],  # the image's CMD passes the handler name
                                   env=process_env(switch, AWS_LAMBDA_RUNTIME_API=api.endpoint),
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            first = api.invoke({"RequestType": "Create"})
            check(first.kind == "response", f"1 success: posted to /response ({first})")
            check(first.document == {"database": DB_NAME, "user": DB_USER, "statements": 5,
                                     "elapsedMs": (first.document or {}).get("elapsedMs")},
                  "1 success: the body names the database, the user and 5 statements")
            print(f"     first response {1000 * (first.at - started):.1f} ms after the process started")
            check(mariadb_root(f"SELECT COUNT(*) FROM mysql.global_priv WHERE User = '{DB_USER}'") == "1",
                  "1 success: the user exists")

            switch.route(fakes["missing"].port)
            missing = api.invoke()
            check(missing.kind == "error", f"2 missing secret: posted to /error ({missing})")
            check(missing.error_type == "SecretsManager.ResourceNotFoundException"
                  and (missing.document or {}).get("errorType") == missing.error_type,
                  "2 missing secret: errorType in the body and the Lambda-Runtime-Function-Error-Type header")
            check("reading secret 'db-master'" in (missing.document or {}).get("errorMessage", "")
                  and "can't find the specified secret" in missing.document["errorMessage"],
                  "2 missing secret: errorMessage says which secret and what the service said")

            switch.route(fakes["wrong"].port)
            wrong = api.invoke()
            check(wrong.kind == "error" and wrong.error_type == "Database.config"
                  and "Access denied" in (wrong.document or {}).get("errorMessage", ""),
                  f"3 wrong master password: Database.config, Access denied ({wrong})")

            switch.route(fakes["down"].port)
            t0 = time.monotonic()
            down = api.invoke(deadline_s=3.0)
            check(down.kind == "error" and down.error_type == "Database.connection_lost"
                  and "gave up after" in (down.document or {}).get("errorMessage", ""),
                  f"4 database down: Database.connection_lost after retries ({down})")
            check(down.at - t0 < 3.0, f"4 database down: reported before the deadline ({down.at - t0:.2f} s)")

            switch.route(fakes["good"].port)
            again = api.invoke()
            check(again.kind == "response", f"5 success again in the same process ({again})")
            check(api.wait_next_requests(6) and process.poll() is None,
                  "the one process took every invocation and waits for the next")
            check(not api.protocol_errors and not api.init_errors, f"no protocol errors {api.protocol_errors}")
        finally:
            process.terminate()
            process.wait(10)
    with open(log_path) as f:
        text = f.read()
    os.unlink(log_path)
    check("statement 2/5 (" + SCRIPT + " line 8): CREATE USER IF NOT EXISTS 'django_rt'@'%' IDENTIFIED VIA "
          "mysql_native_password USING PASSWORD('***') REQUIRE SSL" in text,
          "each statement is logged, on one line, its password hidden")
    check(os.environ["MYSITE_TEST_MYSQL_MASTER_PASSWORD"] not in text and SCRIPT_PASSWORD not in text
          and SECRET_KEY not in text, "no secret in the logs")


def test_init_error(binary, switch):
    with RuntimeEmulator() as api:
        process = subprocess.Popen([binary], env=process_env(switch, AWS_LAMBDA_RUNTIME_API=api.endpoint,
                                                             DB_USER="bad user"),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        code = process.wait(10)
        check(code == 1, f"init error: the process exits 1 ({code})")
        check(len(api.init_errors) == 1 and api.init_errors[0].error_type == "Runtime.InitError.Config"
              and api.init_errors[0].document["errorMessage"].startswith("DB_USER: "),
              f"init error: posted to /runtime/init/error naming DB_USER ({api.init_errors})")
        check(not api.next_requests, "init error: no invocation taken")


def test_once(binary, fakes, switch):
    switch.route(fakes["good"].port)
    ok = subprocess.run([binary, "--once"], env=process_env(switch), capture_output=True, text=True, timeout=30)
    check(ok.returncode == 0 and json.loads(ok.stdout or "null").get("statements") == 5,
          f"--once: exit 0 and the result on stdout ({ok.returncode}, {ok.stdout!r})")
    switch.route(fakes["missing"].port)
    bad = subprocess.run([binary, "--once"], env=process_env(switch), capture_output=True, text=True, timeout=30)
    check(bad.returncode == 1 and "failed: SecretsManager.ResourceNotFoundException" in bad.stderr,
          f"--once: a failure exits 1 with one line ({bad.returncode}, {bad.stderr.strip()[-200:]!r})")
    usage = subprocess.run([binary], env=process_env(switch), capture_output=True, text=True, timeout=30)
    check(usage.returncode == 2 and "AWS_LAMBDA_RUNTIME_API" in usage.stderr,
          "outside Lambda without --once: exit 2 saying why")


def main():
    binary = os.path.abspath(sys.argv[1])
    refused = closed_port()
    fakes = {"good": FakeAws({SECRET_ID: master_secret()}),
             "missing": FakeAws({}),
             "wrong": FakeAws({SECRET_ID: master_secret(password="not-the-master-password")}),
             "down": FakeAws({SECRET_ID: master_secret(port=refused.getsockname()[1])})}
    switch = TcpSwitch()
    try:
        for fake in fakes.values():
            fake.wait_port()
        test_invocations(binary, fakes, switch)
        test_init_error(binary, switch)
        test_once(binary, fakes, switch)
    finally:
        switch.close()
        for fake in fakes.values():
            fake.stop()
        refused.close()
    if failures:
        print(f"{len(failures)} check(s) failed", flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
