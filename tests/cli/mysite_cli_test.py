#!/usr/bin/python3
"""End-to-end tests of the `mysite` binary: settings errors, migrate, serve, healthcheck.

Runs the real binary against a scratch SQLite database and talks to it over loopback. Under
tests/tools/with_mariadb.sh (MYSITE_TEST_MYSQL_* set) the same tests run on MariaDB over
verified TLS instead.
Usage: mysite_cli_test.py PATH_TO_MYSITE
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from mysite_process import MysiteServer, run_tests  # noqa: E402

MYSITE = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="mysite-cli-")
BASE_ENV = {k: v for k, v in os.environ.items()
            if not (k.startswith("DB_") or k in ("DEBUG_FLAG", "HOST_NAMES", "SECRET_KEY", "BIND",
                                                 "THREADS", "ACCESS_LOG", "STATIC_URL", "STATIC_ROOT"))}


MYSQL = os.environ.get("MYSITE_TEST_MYSQL_HOST")


def database_env():
    if not MYSQL:
        return {"DB_ENGINE": "sqlite", "DB_NAME": os.path.join(WORK, "db.sqlite3")}
    return {"DB_ENGINE": "mysql", "DB_HOST": MYSQL,
            "DB_PORT": os.environ["MYSITE_TEST_MYSQL_PORT"],
            "DB_USER": os.environ["MYSITE_TEST_MYSQL_USER"],
            "DB_PASSWORD": os.environ["MYSITE_TEST_MYSQL_PASSWORD"],
            "DB_NAME": os.environ["MYSITE_TEST_MYSQL_DATABASE"],
            "DB_SSL_CA": os.environ["MYSITE_TEST_MYSQL_SSL_CA"]}


def env(**extra):
    e = dict(BASE_ENV)
    e["STATIC_ROOT"] = os.path.join(WORK, "staticfiles")
    e["SECRET_KEY"] = "test-secret-key-for-mysite-cli-tests-0123456789abcdefghij"
    e.update(database_env())
    e.update(extra)
    return e


def run(*args, **extra):
    return subprocess.run([MYSITE, *args], env=env(**extra), capture_output=True, text=True, timeout=60)


class Server(MysiteServer):
    def __init__(self, **extra):
        super().__init__(MYSITE, env(**extra))

    def get(self, path, host="localhost", headers=None, method="GET"):
        status, response_headers, _, body = self.fetch(method, path, headers=headers, host=host, timeout=5)
        return status, response_headers, body


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def bad_setting_stops_startup_with_one_line_naming_it():
    r = run("serve", DB_PORT="abc")
    assert r.returncode == 1, r
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "DB_PORT" in lines[0], r.stderr


@test
def unknown_command_and_option_are_usage_errors():
    assert run("frobnicate").returncode == 2
    assert run("serve", "--nope").returncode == 2


@test
def serve_refuses_pending_migrations():
    r = run("serve", DB_ENGINE="sqlite", DB_NAME=os.path.join(WORK, "fresh.sqlite3"))
    assert r.returncode == 1, r
    assert "mysite migrate" in r.stderr, r.stderr


@test
def migrate_applies_once_then_nothing():
    r = run("migrate")
    assert r.returncode == 0, r.stderr
    assert "Applying fortunes.0001_initial... OK" in r.stdout, r.stdout
    again = run("migrate")
    assert again.returncode == 0 and "No migrations to apply" in again.stdout, again.stdout
    shown = run("showmigrations")
    assert " [X] 0001_initial" in shown.stdout and " [ ] " not in shown.stdout, shown.stdout


@test
def settings_redacts_secrets():
    r = run("settings", SECRET_KEY="top-secret-value", DB_PASSWORD="hunter2")
    assert r.returncode == 0
    assert "top-secret-value" not in r.stdout and "hunter2" not in r.stdout
    assert "SECRET_KEY=********" in r.stdout


@test
def check_deploy_fails_on_debug_and_weak_key():
    r = run("check", "--deploy", DEBUG_FLAG="true", SECRET_KEY="short")
    assert r.returncode == 1, r.stdout
    assert "DEBUG_FLAG" in r.stdout and "SECRET_KEY" in r.stdout
    ok = run("check", SECRET_KEY="x" * 40 + "abcdefghij")
    assert ok.returncode == 0, ok.stdout


@test
def serves_the_sample_site():
    server = Server()
    try:
        status, headers, body = server.get("/")
        assert status == 200, status
        assert b"This is a C++ application running on AWS" in body
        assert headers["X-Frame-Options"] == "DENY"
        img = re.search(rb'<img src="([^"]+)"', body).group(1).decode()
        assert img.startswith("/static/images/cpp-on-aws"), img
        status, headers, svg = server.get(img)
        assert status == 200 and headers["Content-Type"] == "image/svg+xml" and svg.startswith(b"<svg")
        status, _, _ = server.get(img, headers={"If-None-Match": headers["ETag"]})
        assert status == 304
        assert server.get("/static/../CMakeLists.txt")[0] in (400, 404)
        assert server.get("/static/%2e%2e/CMakeLists.txt")[0] in (400, 404)
        status, _, body = server.get("/ping/", host="10.0.3.17")
        assert status == 200 and body == b"pong"
        assert server.get("/", host="evil.example")[0] == 400
        status, headers, _ = server.get("/fortunes")
        assert status == 301 and headers["Location"] == "/fortunes/"
        status, _, body = server.get("/ready/")
        assert status == 200 and body == b"ready\n", (status, body)
        status, _, body = server.get("/nope/")
        assert status == 404 and b"Not Found" in body
        status, headers, _ = server.get("/", method="POST")
        assert status == 405 and "GET" in headers["Allow"]
    finally:
        code, out, err = server.stop()
    assert code == 0, err
    assert '"path":"/"' in out, out  # one JSON access-log line per request


@test
def fortunes_page_is_the_techempower_test():
    server = Server()
    try:
        status, headers, body = server.get("/fortunes/")
    finally:
        server.stop()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    text = body.decode()
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td></tr>", text)
    assert len(rows) == 13, rows
    assert rows[0] == ("11", "&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;")
    assert ("0", "Additional fortune added at request time.") in rows
    assert rows[-1] == ("12", "フレームワークのベンチマーク")


@test
def collected_static_files_have_hashed_names_and_immutable_caching():
    r = run("collectstatic", "--noinput")
    assert r.returncode == 0, r.stderr
    assert "static files copied" in r.stdout, r.stdout
    again = run("collectstatic", "--noinput")
    assert again.returncode == 0 and "0 static files copied" in again.stdout, again.stdout
    server = Server()
    try:
        status, _, body = server.get("/")
        img = re.search(rb'<img src="([^"]+)"', body).group(1).decode()
        assert re.fullmatch(r"/static/images/cpp-on-aws\.[0-9a-f]{12}\.svg", img), img
        status, headers, svg = server.get(img)
        assert status == 200 and svg.startswith(b"<svg")
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", headers
        css = re.search(rb'<link rel="stylesheet" href="([^"]+)"', body).group(1).decode()
        assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", css), css
    finally:
        server.stop()
    debug = Server(DEBUG_FLAG="true")
    try:
        _, _, body = debug.get("/")
        assert b'src="/static/images/cpp-on-aws.svg"' in body, body  # plain names under DEBUG, as Django
    finally:
        debug.stop()


@test
def a_template_error_shows_its_source_only_with_debug():
    # A copy of the site whose home page has a tag with no condition on line 5.
    base = tempfile.mkdtemp(prefix="mysite-broken-", dir=WORK)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    shutil.copytree(os.path.join(root, "app"), os.path.join(base, "app"))
    os.symlink(os.path.abspath(os.path.join(root, "src")), os.path.join(base, "src"))
    home = os.path.join(base, "app", "templates", "home.html")
    with open(home) as f:
        lines = f.read().split("\n")
    lines.insert(4, "    <p>{% if %}<b>never</b>{% endif %}</p>")
    with open(home, "w") as f:
        f.write("\n".join(lines))
    debug = Server(DEBUG_FLAG="true", BASE_DIR=base)
    try:
        status, _, body = debug.get("/")
        page = body.decode()
        assert status == 500, status
        assert "home.html" in page and "error at line <strong>5</strong>" in page, page
        assert "<mark>{% if %}</mark>" in page, page                      # the failing tag
        assert "&lt;b&gt;never&lt;/b&gt;" in page and "<b>never" not in page  # escaped source
        assert "{% block content %}" in page                               # the lines around it
    finally:
        debug.stop()
    quiet = Server(BASE_DIR=base)
    try:
        status, _, body = quiet.get("/")
        assert status == 500 and b"Server Error (500)" in body, (status, body)
        assert b"home.html" not in body and b"{%" not in body, body  # nothing internal
    finally:
        _, _, err = quiet.stop()
    assert "home.html:5" in err, err  # the log says what failed


@test
def healthcheck_reports_the_server_state():
    server = Server()
    try:
        r = run("healthcheck", "--bind", f"127.0.0.1:{server.port}")
        assert r.returncode == 0, r.stderr
    finally:
        server.stop()
    r = run("healthcheck", "--bind", f"127.0.0.1:{server.port}")
    assert r.returncode == 1


@test
def one_connection_carries_no_user_from_request_to_request():
    # A load balancer (the ALB) sends many clients' requests over one kept-alive connection to
    # a task. The admin's logged-in user must not be seen by the next client on that connection.
    import http.client
    password = "Shared-Conn-" + os.urandom(6).hex()
    r = run("createsuperuser", "--noinput", "--username", "conn_admin", MYSITE_SUPERUSER_PASSWORD=password)
    assert r.returncode == 0, r.stderr
    server = Server()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)

        def request(method, path, cookies="", body=None):
            headers = {"Host": "localhost", "Cookie": cookies}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheader("Location"), response.getheaders(), response.read()

        status, _, headers, page = request("GET", "/admin/login/")
        csrf_cookie = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken="))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = f"csrfmiddlewaretoken={token}&username=conn_admin&password={password}&next=/admin/"
        status, location, headers, _ = request("POST", "/admin/login/", csrf_cookie, form)
        assert status == 302 and location == "/admin/", (status, location)
        session = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("sessionid="))
        status, _, _, _ = request("GET", "/admin/", f"{csrf_cookie}; {session}")
        assert status == 200, status
        # The next client, on the same connection, with no cookie at all.
        status, location, _, _ = request("GET", "/admin/")
        assert status == 302 and location.startswith("/admin/login/"), (status, location)
        conn.close()
    finally:
        server.stop()


@test
def a_form_flood_is_refused_before_it_costs_memory():
    # The security review's finding: 2.5 MB of "a&a&a..." posted without a session or CSRF token
    # was parsed into 1.25 M fields (about 145 MB each). Django caps a body at 1,000 fields.
    flood = b"a&" * 1_250_000
    server = Server()
    try:
        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            # Anyone may get a csrftoken cookie; with one, the CSRF check reads the body.
            statuses = list(pool.map(lambda _: server.fetch(
                "POST", "/accounts/login/", body=flood,
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Cookie": "csrftoken=" + "a" * 32}, timeout=30)[0], range(8)))
        assert statuses == [400] * 8, statuses
        with open(f"/proc/{server.proc.pid}/status") as f:
            peak_kb = int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))
        # Bodies are read whole (at most 2.5 MiB each); fields are not: 8 floods, 4 at once,
        # must stay far below one uncapped parse (about 145 MB).
        assert peak_kb < 80_000, f"peak RSS {peak_kb} kB"
        status, _, _ = server.get("/accounts/login/")
        assert status == 200
    finally:
        server.stop()


@test
def a_flood_of_the_largest_bodies_stays_within_the_stated_memory_budget():
    # The worst a body can cost: 96 connections at once, each a 2.5 MB multipart body of 1,000
    # fields (the most that parse) that the CSRF check reads. The server holds at most 128 MiB
    # of bodies at once (http::kDefaultMaxBufferedBodyBytes; past it 503 before reading) and a
    # view thread parses at most one copy. The stated budget: the bodies plus half again for the
    # allocator (per-thread arenas keep what they freed), 16 MiB at rest, 3 MiB per view thread.
    # Without the body budget the same flood holds about 250 MB of bodies alone.
    boundary = "FloodBoundary"
    value = "v" * 2550
    body = ("".join(f'--{boundary}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\n{value}\r\n'
                    for i in range(1000)) + f"--{boundary}--\r\n").encode()
    assert len(body) <= 2621440, len(body)
    server = Server()
    try:
        import concurrent.futures

        def post(_):
            try:
                return server.fetch("POST", "/accounts/login/", body=body, timeout=60, headers={
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Cookie": "csrftoken=" + "a" * 32})[0]
            except OSError:  # refused with 503 and closed while still sending
                return "closed"
        with concurrent.futures.ThreadPoolExecutor(96) as pool:
            statuses = list(pool.map(post, range(96)))
        assert set(statuses) <= {403, 503, "closed"} and 403 in statuses, sorted(set(map(str, statuses)))
        with open(f"/proc/{server.proc.pid}/status") as f:
            peak_kb = int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))
        view_threads = (4 if MYSQL else 2) * (os.cpu_count() or 1)  # serve's defaults
        budget_kb = int(128 * 1.5 + 16 + 3 * view_threads) * 1024
        print(f"figures: 96 bodies of {len(body)} bytes at once: {statuses.count(403)} read (403: no CSRF "
              f"token), {statuses.count(503) + statuses.count('closed')} refused 503; peak RSS {peak_kb / 1024:.1f} MB "
              f"(budget {budget_kb / 1024:.0f} MB)")
        assert peak_kb < budget_kb, f"peak RSS {peak_kb} kB over the budget {budget_kb} kB"
        status, _, _ = server.get("/accounts/login/")
        assert status == 200
    finally:
        server.stop()


def main():
    return run_tests(TESTS, f" ({'MariaDB' if MYSQL else 'SQLite'})")


if __name__ == "__main__":
    sys.exit(main())
