#!/usr/bin/env python3
"""A login flood against `mysite serve` with its default threads: 16 clients post wrong passwords
as fast as they are answered, each attempt from a new address (X-Forwarded-For behind one trusted
proxy, so the throttle never slows them and every attempt costs a password hash), while other
clients keep asking for /ping/ (the load balancer's health check), / and /fortunes/.

What must hold: the flood is refused, not queued (some attempts are answered 503 Retry-After at
once); /ping/ and the pages all answer 200, with p99 well inside the 5 s health-check timeout
(before hashing left the I/O threads, six concurrent logins pushed /ping/ to 3 s). Prints the
latencies it measured.

    login_flood_test.py MYSITE
"""
import http.client
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from mysite_process import MysiteServer, run_tests  # noqa: E402

MYSITE = os.path.abspath(sys.argv[1])
FLOOD_CLIENTS = 16
FLOOD_S = 8
P99_LIMIT_S = 0.5  # a tenth of the health check's timeout


class Client(threading.Thread):
    """A thread whose failure (a timeout, a dropped connection) is kept for the test to report."""

    def __init__(self):
        super().__init__(daemon=True)
        self.error, self.stopping = None, False

    def run(self):
        try:
            self.work()
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.error = repr(e)


class Prober(Client):
    """GETs `path` over one kept-alive connection until stopped; records (latency, status)."""

    def __init__(self, port, path):
        super().__init__()
        self.port, self.path = port, path
        self.records = []

    def work(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not self.stopping:
            start = time.monotonic()
            conn.request("GET", self.path, headers={"Host": "localhost"})
            response = conn.getresponse()
            response.read()
            self.records.append((time.monotonic() - start, response.status))
            time.sleep(0.01)


class Flooder(Client):
    """Posts wrong passwords for random names from random addresses, one after another."""

    def __init__(self, port, cookie, token):
        super().__init__()
        self.port, self.cookie, self.token = port, cookie, token
        self.statuses = []

    def work(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not self.stopping:
            form = urllib.parse.urlencode({"username": "user-" + secrets.token_hex(4), "password": "wrong",
                                           "csrfmiddlewaretoken": self.token})
            address = f"198.18.{secrets.randbelow(256)}.{secrets.randbelow(256)}"
            conn.request("POST", "/accounts/login/", form,
                         {"Host": "localhost", "Content-Type": "application/x-www-form-urlencoded",
                          "Cookie": "csrftoken=" + self.cookie, "X-Forwarded-For": address})
            response = conn.getresponse()
            response.read()
            self.statuses.append((response.status, response.getheader("Retry-After")))


def p(records, q):
    latencies = sorted(r[0] for r in records)
    return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0


def login_flood_leaves_the_health_check_and_pages_fast():
    work = tempfile.mkdtemp(prefix="mysite-flood-")
    keep = ("PATH", "HOME", "LANG", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"SECRET_KEY": secrets.token_hex(32), "HOST_NAMES": "localhost", "ACCESS_LOG": "false",
                "DB_NAME": os.path.join(work, "db.sqlite3"), "TRUSTED_PROXY_COUNT": "1",
                "STATIC_ROOT": os.path.join(work, "static")})
    import subprocess
    r = subprocess.run([MYSITE, "migrate"], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r
    server = MysiteServer(MYSITE, env, threads=0)  # the default: as a task runs it
    try:
        status, _, cookies, body = server.fetch("GET", "/accounts/login/")
        assert status == 200, status
        cookie = next(c.split(";", 1)[0].split("=", 1)[1] for c in cookies if c.startswith("csrftoken="))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', body).group(1).decode()

        probers = [Prober(server.port, path) for path in ("/ping/", "/", "/fortunes/")]
        for c in probers:
            c.start()
        time.sleep(1)
        quiet = {c.path: list(c.records) for c in probers}
        flooders = [Flooder(server.port, cookie, token) for _ in range(FLOOD_CLIENTS)]
        for c in flooders:
            c.start()
        flood_start = {c.path: len(c.records) for c in probers}
        time.sleep(FLOOD_S)
        for c in (*flooders, *probers):
            c.stopping = True
        for c in (*flooders, *probers):
            c.join(timeout=60)

        errors = [(c.__class__.__name__, c.error) for c in (*flooders, *probers) if c.error]
        assert not errors, errors
        logins = [s for f in flooders for s in f.statuses]
        busy = [s for s in logins if s[0] == 503]
        checked = len(logins) - len(busy)
        assert checked > 0, "no attempt was checked"
        assert {s[0] for s in logins} <= {200, 503}, sorted({s[0] for s in logins})
        assert busy and all(s[1] == "1" for s in busy), f"no attempt was refused: {len(logins)} answered"
        lines = []
        for c in probers:
            during = c.records[flood_start[c.path]:]
            assert during and all(s == 200 for _, s in during), (c.path, sorted({s for _, s in during}))
            assert p(during, 0.99) <= P99_LIMIT_S, f"{c.path} p99 {p(during, 0.99) * 1000:.0f} ms during the flood"
            lines.append(f"{c.path} p50 {statistics.median(r[0] for r in during) * 1000:.1f} ms, "
                         f"p99 {p(during, 0.99) * 1000:.1f} ms, max {max(r[0] for r in during) * 1000:.1f} ms "
                         f"({len(during)} requests; quiet p99 {p(quiet[c.path], 0.99) * 1000:.1f} ms)")
        code, out, err = server.stop()
        assert code == 0, err
        server = None
        # Every checked attempt is logged; refused ones once a second, with how many were refused.
        events = [json.loads(line) for line in out.splitlines() if '"event":"login"' in line]
        busy_lines = [e for e in events if e["result"] == "busy"]
        assert sum(e["result"] == "failure" for e in events) == checked, (len(events), checked)
        assert 0 < len(busy_lines) <= FLOOD_S + 3, len(busy_lines)
        assert len(busy_lines) + sum(e.get("more_busy", 0) for e in busy_lines) <= len(busy)
        print(f"figures: {len(logins)} login attempts in {FLOOD_S} s from {FLOOD_CLIENTS} clients, "
              f"{checked} checked, {len(busy)} answered 503 at once")
        for line in lines:
            print("figures: during the flood " + line)
    finally:
        if server is not None:
            server.proc.kill()


if __name__ == "__main__":
    sys.exit(run_tests([login_flood_leaves_the_health_check_and_pages_fast]))
