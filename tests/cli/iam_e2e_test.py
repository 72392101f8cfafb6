#!/usr/bin/python3
"""End to end: `mysite` reaches MySQL with RDS IAM tokens and no password anywhere.

A local stand-in for Aurora's IAM authentication (DESIGN.md, Oracles): MariaDB's auth_pam plugin
with pam_use_cleartext_plugin=ON (tests/tools/mariadb_server.py --pam), a PAM service this test
writes to /etc/pam.d (so it runs as root) that runs tests/tools/rds_token_verifier.py through
pam_exec expose_authtok, and a MariaDB user `IDENTIFIED VIA pam ... REQUIRE SSL`. The verifier
accepts only an unexpired token for that user whose SigV4 signature botocore recomputes from the
credentials that tests/tools/fake_aws.py serves on its ECS container endpoint, which is where
`mysite` finds its credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI + ..._AUTHORIZATION_TOKEN).

Token renewal runs `mysite serve` and the verifier under libfaketime (Debian `faketime`) reading
one offset file, so both clocks jump 20 minutes at once while the server runs: a new connection
after the jump only authenticates with a token signed after it.

Usage: mariadb_server.py --pam -- iam_e2e_test.py PATH_TO_MYSITE   (exits 77, skipped, when not
root or without the PAM plugin)
"""
import datetime
import glob
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import traceback

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")
sys.path.insert(0, TOOLS)

from fake_aws_runner import FakeAws  # noqa: E402
from mysite_process import MysiteServer  # noqa: E402
import rds_token_verifier  # noqa: E402

MYSITE = os.path.abspath(sys.argv[1])
VERIFIER = os.path.abspath(os.path.join(TOOLS, "rds_token_verifier.py"))
SKIP = 77
REGION = "us-east-1"
IAM_USER = "mysite_iam"
PAM_SERVICE = f"mysite-iam-test-{os.getpid()}"
PAM_FILE = f"/etc/pam.d/{PAM_SERVICE}"
WORK = tempfile.mkdtemp(prefix="mysite-iam-")
DECISIONS = os.path.join(WORK, "decisions.jsonl")
# Token renewal: a second IAM user whose PAM service runs the verifier under libfaketime, with the
# offset in CLOCK_FILE (re-read at every clock read), which `mysite serve` reads too.
CLOCK_USER = "mysite_iam_clock"
CLOCK_PAM_SERVICE = f"mysite-iam-test-clock-{os.getpid()}"
CLOCK_PAM_FILE = f"/etc/pam.d/{CLOCK_PAM_SERVICE}"
CLOCK_FILE = os.path.join(WORK, "clock-offset")
LIBFAKETIME = next(iter(sorted(glob.glob("/usr/lib/*/faketime/libfaketimeMT.so.1"))), "")

HOST = os.environ.get("MYSITE_TEST_MYSQL_HOST", "")
PORT = os.environ.get("MYSITE_TEST_MYSQL_PORT", "")
DATABASE = os.environ.get("MYSITE_TEST_MYSQL_DATABASE", "")
# The task role's credentials, as the ECS agent would hand them out: a session token included
# (with '/', '+' and '=' to exercise encoding). Real session tokens are longer, but pam_exec
# passes at most 511 bytes of password to the verifier, so this one keeps the token under that.
ACCESS_KEY = "ASIA_FAKE_IAM_TEST01"
SECRET_KEY = secrets.token_urlsafe(30)
SESSION_TOKEN = "IQoJb3JpZ2luX2VjE/" + secrets.token_urlsafe(60) + "+end="
CONTAINER_AUTH = "container-auth-" + secrets.token_hex(8)
SITE_SECRET_KEY = "site-secret-" + secrets.token_urlsafe(48)

BASE_ENV = {k: v for k, v in os.environ.items()
            if not (k.startswith(("DB_", "AWS_")) or k in (
                "DEBUG_FLAG", "HOST_NAMES", "SECRET_KEY", "BIND", "THREADS", "ACCESS_LOG",
                "STATIC_URL", "STATIC_ROOT", "TASK_PARAMS", "MYSITE_SETTINGS_FILE"))}


def log(message):
    print(f"iam_e2e: {message}", file=sys.stderr, flush=True)


def decisions():
    try:
        with open(DECISIONS) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def root_sql(statements):
    subprocess.run(["mariadb", "--no-defaults", f"--socket={os.environ['MYSITE_TEST_MYSQL_SOCKET']}",
                    "-uroot", "--batch", "-e", statements], check=True, capture_output=True, text=True)


def remove_stale_pam_files():
    """Service files of earlier runs that were killed before their clean-up (e.g. a CTest timeout)."""
    for name in os.listdir("/etc/pam.d"):
        if name.startswith("mysite-iam-test-"):
            pid = name.rsplit("-", 1)[1]
            if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
                os.unlink(os.path.join("/etc/pam.d", name))


def set_up_pam_user():
    remove_stale_pam_files()
    with open(os.path.join(WORK, "verifier.json"), "w") as f:
        json.dump({"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "session_token": SESSION_TOKEN,
                   "region": REGION, "hosts": [HOST], "port": int(PORT), "log": DECISIONS}, f)
    with open(PAM_FILE, "w") as f:
        f.write("# written by tests/cli/iam_e2e_test.py; removed when it ends\n"
                f"auth required pam_exec.so expose_authtok quiet log={WORK}/pam_exec.log "
                f"/usr/bin/python3 {VERIFIER} --config {WORK}/verifier.json\n"
                "account required pam_permit.so\n")
    root_sql(f"CREATE USER '{IAM_USER}'@'{HOST}' IDENTIFIED VIA pam USING '{PAM_SERVICE}' REQUIRE SSL;"
             f"GRANT ALL PRIVILEGES ON {DATABASE}.* TO '{IAM_USER}'@'{HOST}';")
    set_clock_offset("+0")
    with open(CLOCK_PAM_FILE, "w") as f:
        # pam_exec gives its command the PAM environment only, hence env(1) for libfaketime.
        f.write("# written by tests/cli/iam_e2e_test.py; removed when it ends\n"
                f"auth required pam_exec.so expose_authtok quiet log={WORK}/pam_exec.log "
                f"/usr/bin/env {' '.join(f'{k}={v}' for k, v in faketime_env().items())} "
                f"/usr/bin/python3 {VERIFIER} --config {WORK}/verifier.json\n"
                "account required pam_permit.so\n")
    root_sql(f"CREATE USER '{CLOCK_USER}'@'{HOST}' IDENTIFIED VIA pam USING '{CLOCK_PAM_SERVICE}' REQUIRE SSL;"
             f"GRANT SELECT ON {DATABASE}.* TO '{CLOCK_USER}'@'{HOST}';")


def faketime_env():
    """libfaketime, its offset read from CLOCK_FILE at every call. Only the wall clock moves (as
    when a host's clock is stepped): the monotonic clock, which the pool's timers use, does not."""
    return {"LD_PRELOAD": LIBFAKETIME, "FAKETIME_TIMESTAMP_FILE": CLOCK_FILE, "FAKETIME_NO_CACHE": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1"}


def set_clock_offset(offset):
    with open(CLOCK_FILE + ".tmp", "w") as f:
        f.write(offset + "\n")
    os.replace(CLOCK_FILE + ".tmp", CLOCK_FILE)


def iam_env(fake, **extra):
    e = dict(BASE_ENV,
             DB_ENGINE="mysql", DB_HOST=HOST, DB_PORT=PORT, DB_USER=IAM_USER, DB_NAME=DATABASE,
             DB_AUTH="iam", DB_SSL_CA=os.environ["MYSITE_TEST_MYSQL_SSL_CA"], AWS_REGION=REGION,
             SECRET_KEY=SITE_SECRET_KEY,
             AWS_CONTAINER_CREDENTIALS_FULL_URI=fake.url + "/ecs/full",
             AWS_CONTAINER_AUTHORIZATION_TOKEN=CONTAINER_AUTH,
             AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
             AWS_EC2_METADATA_DISABLED="true")
    for name, value in extra.items():
        if value is None:
            e.pop(name, None)
        else:
            e[name] = value
    return e


def run(fake, *args, **extra):
    return subprocess.run([MYSITE, *args], env=iam_env(fake, **extra), capture_output=True, text=True,
                          timeout=60)


def assert_no_secret(text):
    for leak in ("X-Amz-Signature", "X-Amz-Credential", "Action=connect", SECRET_KEY, SESSION_TOKEN,
                 SESSION_TOKEN[:40], CONTAINER_AUTH, SITE_SECRET_KEY):
        assert leak not in text, f"{leak[:16]}... leaked into: {text}"


def token(user=IAM_USER, secret=None, at=None):
    when = at or datetime.datetime.utcnow().replace(microsecond=0)
    return rds_token_verifier.generate_token(HOST, PORT, user, REGION, ACCESS_KEY, secret or SECRET_KEY,
                                             SESSION_TOKEN, when)


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def migrate_and_serve_authenticate_with_tokens_from_the_container_role(fake):
    # GIVEN no DB_PASSWORD, DB_AUTH=iam and credentials only on the fake ECS endpoint
    before = len(decisions())
    # WHEN the site migrates its database
    r = run(fake, "migrate")
    # THEN a token signed with the container's credentials opened the connection
    assert r.returncode == 0, r.stderr
    assert "Applying fortunes.0001_initial... OK" in r.stdout, r.stdout
    new = decisions()[before:]
    assert new and all(d["accepted"] and d["user"] == IAM_USER for d in new), new
    assert fake.stats().get("container:/ecs/full", 0) >= 1
    assert_no_secret(r.stdout + r.stderr)

    server = MysiteServer(MYSITE, iam_env(fake), start_timeout=20)
    try:
        for _ in range(2):
            status, body = get_fortunes(server)
            assert status == 200, (status, body)
            assert len(re.findall(r"<tr><td>\d+</td>", body)) == 13, body
    finally:
        code, out, err = server.stop()
    assert code == 0, err
    assert_no_secret(out + err)
    assert all(d["accepted"] for d in decisions()[before:]), decisions()[before:]


@test
def rds_token_command_prints_a_token_the_database_accepts(fake):
    r = run(fake, "rds-token", "--host", HOST, "--port", PORT, "--user", IAM_USER)
    assert r.returncode == 0, r.stderr
    printed = r.stdout.strip()
    assert printed.startswith(f"{HOST}:{PORT}/?Action=connect&DBUser={IAM_USER}&"), printed[:60]
    used = run(fake, "showmigrations", DB_AUTH="password", DB_PASSWORD=printed)
    assert used.returncode == 0, used.stderr
    assert decisions()[-1]["accepted"], decisions()[-1]


@test
def a_wrong_secret_key_is_refused_and_nothing_secret_is_printed(fake):
    # GIVEN environment credentials (they win over the container) with the right key id and a wrong secret
    wrong = secrets.token_urlsafe(30)
    r = run(fake, "migrate", AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=wrong,
            AWS_SESSION_TOKEN=SESSION_TOKEN)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert decisions()[-1] == {"user": IAM_USER, "accepted": False, "reason": "signature does not match",
                               "length": decisions()[-1]["length"]}, decisions()[-1]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Access denied" in lines[0], r.stderr
    assert wrong not in r.stderr
    assert_no_secret(r.stdout + r.stderr)


@test
def an_expired_token_is_refused(fake):
    # GIVEN a token botocore signed 16 minutes ago with the right credentials (valid for 15)
    old = token(at=datetime.datetime.utcnow() - datetime.timedelta(minutes=16))
    r = run(fake, "showmigrations", DB_AUTH="password", DB_PASSWORD=old)
    assert r.returncode == 1, r.stdout
    assert decisions()[-1]["reason"] == "expired", decisions()[-1]
    assert old not in r.stderr and "X-Amz-Signature" not in r.stderr, r.stderr
    # ...while one signed 14 minutes ago still opens a connection
    recent = token(at=datetime.datetime.utcnow() - datetime.timedelta(minutes=14))
    ok = run(fake, "showmigrations", DB_AUTH="password", DB_PASSWORD=recent)
    assert ok.returncode == 0, ok.stderr
    assert decisions()[-1]["accepted"], decisions()[-1]


@test
def a_token_for_another_user_is_refused(fake):
    r = run(fake, "showmigrations", DB_AUTH="password", DB_PASSWORD=token(user="someone_else"))
    assert r.returncode == 1
    assert decisions()[-1]["reason"] == "DBUser does not match the user", decisions()[-1]


@test
def a_refused_credentials_endpoint_fails_in_one_line_without_secrets(fake):
    before = len(decisions())
    wrong = "wrong-" + CONTAINER_AUTH
    r = run(fake, "migrate", AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong)
    assert r.returncode == 1, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "RDS IAM token" in lines[0] and "HTTP 401" in lines[0], r.stderr
    assert wrong not in r.stderr
    assert_no_secret(r.stderr)
    assert len(decisions()) == before  # no token, no connection attempt


@test
def without_tls_the_token_is_never_sent(fake):
    # GIVEN DB_AUTH=iam but no DB_SSL_CA: the server asks for the password in the clear
    before = len(decisions())
    r = run(fake, "migrate", DB_SSL_CA=None)
    # THEN the client refuses before the token leaves the process: the verifier never ran
    assert r.returncode == 1, r.stdout
    assert "only sent over verified TLS" in r.stderr, r.stderr
    assert len(decisions()) == before, decisions()[before:]
    assert_no_secret(r.stderr)


def server_connection_ids(user):
    out = subprocess.run(["mariadb", "--no-defaults", f"--socket={os.environ['MYSITE_TEST_MYSQL_SOCKET']}",
                          "-uroot", "--batch", "--skip-column-names", "-e",
                          f"SELECT id FROM information_schema.processlist WHERE user = '{user}'"],
                         check=True, capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


def get_fortunes(server):
    status, _, _, body = server.fetch("GET", "/fortunes/", timeout=20)
    return status, body.decode()


@test
def after_the_clock_moves_past_15_minutes_new_connections_still_authenticate(fake):
    assert LIBFAKETIME, "libfaketime not found: install Debian's faketime (deps/debian-packages.txt, test)"
    # GIVEN `mysite serve` and the verifier on one fake clock, and a connection opened with a token
    set_clock_offset("+0")
    env = iam_env(fake, DB_USER=CLOCK_USER, **faketime_env())
    server = MysiteServer(MYSITE, env, threads=1, start_timeout=20)
    try:
        status, body = get_fortunes(server)
        assert status == 200, (status, body)
        assert [d for d in decisions() if d["user"] == CLOCK_USER][-1]["accepted"], decisions()
        # WHEN both clocks jump 20 minutes (past the token's 15) while the server runs...
        set_clock_offset("+20m")
        # (the verifier did move: a token signed at the real time is now 20 minutes old)
        stale = run(fake, "showmigrations", DB_AUTH="password", DB_USER=CLOCK_USER,
                    DB_PASSWORD=token(user=CLOCK_USER))
        assert stale.returncode == 1, stale.stdout
        assert decisions()[-1] == dict(decisions()[-1], user=CLOCK_USER, accepted=False, reason="expired"), \
            decisions()[-1]
        # ...and the server must open a new connection: MariaDB drops its open ones, and the pool
        # pings a connection idle for over 3 s (real, monotonic time) before lending it
        ids = server_connection_ids(CLOCK_USER)
        assert ids, "serve holds no connection as the IAM user"
        root_sql("".join(f"KILL CONNECTION {i};" for i in ids))
        time.sleep(3.5)
        before = len(decisions())
        status, body = get_fortunes(server)
        # THEN it authenticated with a token signed after the jump (a reused one is refused as expired)
        new = decisions()[before:]
        assert status == 200, (status, body, new)
        assert new and all(d["user"] == CLOCK_USER and d["accepted"] for d in new), new
        assert len(re.findall(r"<tr><td>\d+</td>", body)) == 13, body
    finally:
        code, out, err = server.stop()
        set_clock_offset("+0")
    assert code == 0, err
    assert_no_secret(out + err)


def main():
    if os.geteuid() != 0:
        log("skipped: writing /etc/pam.d needs root")
        return SKIP
    if not os.environ.get("MYSITE_TEST_MYSQL_PAM") or not os.path.exists("/usr/lib/mysql/plugin/auth_pam.so"):
        log("skipped: needs mariadb_server.py --pam and auth_pam.so (mariadb-server)")
        return SKIP
    config = {"region": REGION, "credentials": [],
              "container": {"credentials": {"AccessKeyId": ACCESS_KEY, "SecretAccessKey": SECRET_KEY,
                                            "Token": SESSION_TOKEN},
                            "token": CONTAINER_AUTH}}
    failed = 0
    try:
        set_up_pam_user()
        with FakeAws(config) as fake:
            for fn in TESTS:
                started = time.monotonic()
                try:
                    fn(fake)
                    log(f"ok   {fn.__name__} ({time.monotonic() - started:.1f} s)")
                except Exception:  # noqa: BLE001 - report every failing test, then fail
                    failed += 1
                    log(f"FAIL {fn.__name__}\n{traceback.format_exc()}")
    finally:
        for path in (PAM_FILE, CLOCK_PAM_FILE):
            if os.path.exists(path):
                os.unlink(path)
        if failed:
            try:
                with open(os.path.join(WORK, "pam_exec.log")) as f:
                    log("pam_exec log:\n" + f.read()[-3000:])
            except OSError:
                pass
        subprocess.run(["rm", "-rf", WORK], check=False)
    log(f"{len(TESTS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
