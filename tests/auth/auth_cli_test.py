#!/usr/bin/python3
"""End to end: `mysite createsuperuser` / `changepassword` / `clearsessions`, then logging in through
/accounts/login/ of a running `mysite serve` (CSRF, session cookie, login log, throttling).

SQLite by default; under tests/tools/with_mariadb.sh (MYSITE_TEST_MYSQL_* set) on MariaDB.
Usage: auth_cli_test.py PATH_TO_MYSITE
"""
import json
import os
import re
import secrets
import time
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from mysite_process import MysiteServer, run_tests  # noqa: E402

MYSITE = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="mysite-auth-")
SECRET = "auth-cli-test-secret-" + secrets.token_hex(20)
BASE_ENV = {k: v for k, v in os.environ.items()
            if not (k.startswith("DB_") or k in ("DEBUG_FLAG", "HOST_NAMES", "SECRET_KEY", "BIND", "THREADS",
                                                 "ACCESS_LOG", "STATIC_URL", "STATIC_ROOT", "MYSITE_SETTINGS_FILE",
                                                 "TASK_PARAMS", "TRUSTED_PROXY_COUNT", "MYSITE_SUPERUSER_PASSWORD"))}
ADMIN = "admin_" + secrets.token_hex(4)
GOOD = "Correct-Horse-" + secrets.token_hex(4)


def env(**extra):
    e = dict(BASE_ENV)
    e["STATIC_ROOT"] = os.path.join(WORK, "staticfiles")
    e["SECRET_KEY"] = SECRET
    if os.environ.get("MYSITE_TEST_MYSQL_HOST"):
        e.update({"DB_ENGINE": "mysql", "DB_HOST": os.environ["MYSITE_TEST_MYSQL_HOST"],
                  "DB_PORT": os.environ["MYSITE_TEST_MYSQL_PORT"], "DB_USER": os.environ["MYSITE_TEST_MYSQL_USER"],
                  "DB_PASSWORD": os.environ["MYSITE_TEST_MYSQL_PASSWORD"],
                  "DB_NAME": os.environ["MYSITE_TEST_MYSQL_DATABASE"],
                  "DB_SSL_CA": os.environ["MYSITE_TEST_MYSQL_SSL_CA"]})
    else:
        e["DB_NAME"] = os.path.join(WORK, "db.sqlite3")
    e.update(extra)
    return {k: v for k, v in e.items() if v is not None}


def run(*args, stdin=None, **extra):
    return subprocess.run([MYSITE, *args], env=env(**extra), input=stdin, capture_output=True, text=True,
                          timeout=120)


class Server(MysiteServer):
    def __init__(self, **extra):
        super().__init__(MYSITE, env(**extra))

    def request(self, method, path, body=None, headers=None):
        status, response_headers, cookies, data = self.fetch(method, path, body, headers)
        return status, response_headers, cookies, data.decode("utf-8", "replace")

    def stop(self):
        _, out, err = super().stop()
        return out, err


def cookie(cookies, name):
    for c in cookies:
        if c.startswith(name + "="):
            return c.split(";", 1)[0].split("=", 1)[1], c
    return None, None


def login(server, username, password, csrf=None, forwarded=None):
    status, _, cookies, body = server.request("GET", "/accounts/login/")
    assert status == 200, (status, body)
    secret, _ = cookie(cookies, "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', body).group(1)
    form = {"username": username, "password": password, "next": "/fortunes/",
            "csrfmiddlewaretoken": token if csrf is None else csrf}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "csrftoken=" + secret}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    return server.request("POST", "/accounts/login/", urllib.parse.urlencode(form), headers)


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def serve_refuses_to_start_without_secret_key():
    r = run("serve", SECRET_KEY=None)
    assert r.returncode == 1, r
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "SECRET_KEY" in lines[0], r.stderr
    ok = run("check", SECRET_KEY=None, DEBUG_FLAG="true")
    assert "mysite.E020" not in ok.stdout + ok.stderr, ok


@test
def migrate_creates_auth_tables_first():
    r = run("migrate")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    if "No migrations to apply" not in out:
        assert out.index("auth.0001_initial") < out.index("fortunes.0001_initial"), out


@test
def createsuperuser_refuses_weak_passwords():
    for weak, reason in (("password", "too common"), ("12345678901", "entirely numeric"),
                         ("short", "too short"), (ADMIN + "1", "too similar to the username")):
        r = run("createsuperuser", "--username", ADMIN, "--email", "a@example.com", "--noinput",
                MYSITE_SUPERUSER_PASSWORD=weak)
        assert r.returncode == 1 and reason in r.stderr, (weak, r)
    r = run("createsuperuser", "--username", ADMIN, "--noinput")
    assert r.returncode == 1 and "MYSITE_SUPERUSER_PASSWORD" in r.stderr, r
    r = run("createsuperuser", "--noinput", MYSITE_SUPERUSER_PASSWORD=GOOD)
    assert r.returncode == 2, r


@test
def createsuperuser_then_login_gives_a_session_cookie():
    r = run("createsuperuser", "--username", ADMIN, "--email", "Admin@Example.COM", "--noinput",
            MYSITE_SUPERUSER_PASSWORD=GOOD)
    assert r.returncode == 0 and "Superuser created successfully." in r.stdout, r
    again = run("createsuperuser", "--username", ADMIN, "--noinput", MYSITE_SUPERUSER_PASSWORD=GOOD)
    assert again.returncode == 1 and "already taken" in again.stderr, again
    server = Server()
    try:
        # /ping/ and static files carry no cookie
        for path in ("/ping/", "/"):
            status, _, cookies, _ = server.request("GET", path)
            assert status == 200 and cookie(cookies, "sessionid") == (None, None), (path, cookies)
        # No CSRF token: 403 before any password is checked
        status, _, _, body = server.request("POST", "/accounts/login/", "username=x&password=y",
                                            {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 403 and "CSRF verification failed" in body, (status, body)
        # Wrong password: the form again, no session
        status, _, cookies, body = login(server, ADMIN, "wrong password")
        assert status == 200 and "Please enter a correct username and password" in body, (status, body)
        assert cookie(cookies, "sessionid") == (None, None), cookies
        # Right password: a redirect and a session cookie
        status, headers, cookies, body = login(server, ADMIN, GOOD)
        assert status == 302 and headers.get("Location") == "/fortunes/", (status, headers, body)
        key, text = cookie(cookies, "sessionid")
        assert key and re.fullmatch(r"[0-9a-f]{64}", key), cookies
        assert "HttpOnly" in text and "SameSite=Lax" in text and "Secure" not in text, text
        # Logout needs the CSRF token too, then deletes the session
        status, _, cookies, body = server.request("GET", "/accounts/login/", headers={"Cookie": "sessionid=" + key})
        secret, _ = cookie(cookies, "csrftoken")
        token = re.search(r'value="([A-Za-z0-9]{64})"', body).group(1)
        status, _, cookies, _ = server.request(
            "POST", "/accounts/logout/", "csrfmiddlewaretoken=" + token,
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"sessionid={key}; csrftoken={secret}"})
        assert status == 302, status
        assert "Max-Age=0" in (cookie(cookies, "sessionid")[1] or ""), cookies
    finally:
        out, err = server.stop()
    events = [json.loads(line) for line in out.splitlines() if '"event":"login"' in line]
    assert [e["result"] for e in events] == ["failure", "success"], events
    assert all(e["username"] == ADMIN and e["client"] == "127.0.0.1" for e in events), events
    assert GOOD not in out + err and "wrong password" not in out + err


@test
def repeated_failures_are_throttled_with_retry_after():
    server = Server(TRUSTED_PROXY_COUNT="1")
    try:
        statuses = []
        for _ in range(4):
            status, headers, _, _ = login(server, ADMIN, "not the password", forwarded="203.0.113.7")
            statuses.append(status)
        assert statuses[:3] == [200, 200, 200] and statuses[3] == 429, statuses
        # Another client address is not held back
        status, _, cookies, _ = login(server, ADMIN, GOOD, forwarded="198.51.100.1")
        assert status == 302, status
    finally:
        out, _ = server.stop()
    assert '"client":"203.0.113.7"' in out and '"result":"throttled"' in out, out


@test
def throttling_is_one_limit_across_two_processes_and_survives_a_restart():
    # Two tasks behind one load balancer, one database: failures on either count for both.
    first, second = Server(TRUSTED_PROXY_COUNT="1"), Server(TRUSTED_PROXY_COUNT="1")
    client = "192.0.2.44"
    try:
        statuses = [login(server, ADMIN, "not the password", forwarded=client)[0]
                    for server in (first, second, first)]
        assert statuses == [200, 200, 200], statuses
        # The fourth attempt is throttled wherever it lands, even with the right password. Each
        # failure after the free ones doubles the delay: three more give 8 s, time to restart.
        for server in (second, first, second):
            time.sleep(int(login(server, ADMIN, "x", forwarded=client)[1]["Retry-After"]))
            assert login(server, ADMIN, "not the password", forwarded=client)[0] == 200
        for server in (second, first):
            status, headers, _, _ = login(server, ADMIN, GOOD, forwarded=client)
            assert status == 429 and int(headers["Retry-After"]) > 0, (status, headers)
    finally:
        first.stop()
    try:
        # A task started afterwards (a restart, a new deployment) knows it too.
        restarted = Server(TRUSTED_PROXY_COUNT="1")
        try:
            status, _, _, _ = login(restarted, ADMIN, GOOD, forwarded=client)
            assert status == 429, status
        finally:
            restarted.stop()
    finally:
        second.stop()


@test
def a_multipart_login_form_works_like_an_urlencoded_one():
    # A form with enctype="multipart/form-data": CSRF token and fields read from the parts.
    server = Server()
    try:
        status, _, cookies, body = server.request("GET", "/accounts/login/")
        secret, _ = cookie(cookies, "csrftoken")
        token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', body).group(1)
        boundary = "----WebKitFormBoundary" + secrets.token_hex(8)
        parts = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                        for k, v in (("csrfmiddlewaretoken", token), ("username", ADMIN), ("password", GOOD),
                                     ("next", "/fortunes/")))
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": "csrftoken=" + secret}
        status, response_headers, _, _ = server.request("POST", "/accounts/login/", parts + f"--{boundary}--\r\n",
                                                        headers)
        assert status == 302 and response_headers.get("Location") == "/fortunes/", (status, response_headers)
        # A multipart body that is not well-formed is a 400, not a 500.
        status, _, _, _ = server.request("POST", "/accounts/login/", f"--{boundary}\r\nnever ends", headers)
        assert status == 400, status
    finally:
        server.stop()


@test
def changepassword_replaces_the_password():
    new = "Another-Passphrase-" + secrets.token_hex(3)
    bad = run("changepassword", ADMIN, stdin="password\npassword\n" * 3)
    assert bad.returncode == 1 and "too common" in bad.stderr, bad
    r = run("changepassword", ADMIN, stdin=f"{new}\n{new}\n")
    assert r.returncode == 0, r
    missing = run("changepassword", "nobody-" + ADMIN, stdin=f"{new}\n{new}\n")
    assert missing.returncode == 1, missing
    server = Server()
    try:
        assert login(server, ADMIN, GOOD)[0] == 200
        assert login(server, ADMIN, new)[0] == 302
    finally:
        server.stop()


@test
def clearsessions_deletes_only_expired_sessions():
    user = "sessions_" + secrets.token_hex(3)
    assert run("createsuperuser", "--username", user, "--noinput", MYSITE_SUPERUSER_PASSWORD=GOOD).returncode == 0
    server = Server()
    try:
        status, _, cookies, _ = login(server, user, GOOD)
        assert status == 302, status
        key, _ = cookie(cookies, "sessionid")
        signed_in = {"Cookie": "sessionid=" + key}
        assert server.request("GET", "/admin/", headers=signed_in)[0] == 200
        r = run("clearsessions")
        assert r.returncode == 0 and re.fullmatch(r"Deleted 0 expired sessions\.\n", r.stdout), r
        assert server.request("GET", "/admin/", headers=signed_in)[0] == 200
        # With a one-second idle limit, the session above has now been idle too long.
        time.sleep(2.1)
        r = run("clearsessions", SESSION_IDLE_TIMEOUT="1")
        assert r.returncode == 0 and re.fullmatch(r"Deleted [1-9]\d* expired sessions?\.\n", r.stdout), r
        status, headers, _, _ = server.request("GET", "/admin/", headers=signed_in)
        assert status == 302 and "/login/" in headers.get("Location", ""), (status, headers)
        assert run("clearsessions", "extra").returncode == 2
    finally:
        server.stop()


def main():
    return run_tests(TESTS)


if __name__ == "__main__":
    sys.exit(main())
