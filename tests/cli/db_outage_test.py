#!/usr/bin/env python3
"""A failing database under load: `mysite serve` on a real MariaDB (TLS) that is killed for 5 s and
restarted, then frozen (SIGSTOP, as in a network partition) for 5 s and resumed, while clients keep
asking for /fortunes/ (a query per request), /ping/ (the load balancer's health check) and /ready/,
and one client keeps logging in (a session row written per success).

What must hold, from the issue: pages that need the database answer 503 within 2 s while it is
killed and within 3 s while it is frozen (no hang, no dropped connection); /ready/ says 503; /ping/
stays 200 (and quick: a health check times out after 5 s); everything is back within 5 s of the
database returning, with no restart of `serve`; every login acknowledged to a client (302 with a
session cookie) is still a valid session afterwards (no acknowledged write lost).

    db_outage_test.py MYSITE     (needs mariadb-server and openssl; prints the figures it measured)
"""
import http.client
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import mariadb_server  # noqa: E402
from mysite_process import MysiteServer, run_tests  # noqa: E402

MYSITE = os.path.abspath(sys.argv[1])
OUTAGE_S = 5
KILLED_ANSWER_S = 2.0   # a page that needs the database, while it is down
FROZEN_ANSWER_S = 3.0   # ... while it is frozen
BACK_WITHIN_S = 5.0     # after the database returns
PING_WITHIN_S = 1.0     # far inside the ALB's 5 s health-check timeout
ADMIN = "admin_" + secrets.token_hex(4)
PASSWORD = "Outage-Horse-" + secrets.token_hex(4)


class Client(threading.Thread):
    """Asks for `path` over one kept-alive connection until stopped; records (start, end, status)
    per request, or status None with the error when the connection failed."""

    def __init__(self, port, path, pause=0.0):
        super().__init__(daemon=True)
        self.port, self.path, self.pause = port, path, pause
        self.records = []
        self.stopping = False

    def run(self):
        conn = None
        while not self.stopping:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            start = time.monotonic()
            try:
                conn.request("GET", self.path, headers={"Host": "localhost"})
                response = conn.getresponse()
                response.read()
                self.records.append((start, time.monotonic(), response.status, None))
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as e:
                self.records.append((start, time.monotonic(), None, repr(e)))
                conn.close()
                conn = None
            if self.pause:
                time.sleep(self.pause)

    def between(self, t0, t1):
        return [r for r in self.records if t0 <= r[0] < t1]


class LoginClient(threading.Thread):
    """Logs in again and again; keeps the session key of every login answered 302."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.sessions, self.statuses, self.errors = [], [], []
        self.stopping = False

    def run(self):
        while not self.stopping:
            try:
                status, _, cookies, body = self.server.fetch("GET", "/accounts/login/")
                if status != 200:
                    self.statuses.append(status)
                    time.sleep(0.1)
                    continue
                secret = cookie(cookies, "csrftoken")
                token = re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', body).group(1)
                form = urllib.parse.urlencode({"username": ADMIN, "password": PASSWORD, "next": "/",
                                               "csrfmiddlewaretoken": token.decode()})
                status, _, cookies, _ = self.server.fetch(
                    "POST", "/accounts/login/", form,
                    {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "csrftoken=" + secret})
                self.statuses.append(status)
                if status == 302:
                    self.sessions.append(cookie(cookies, "sessionid"))
            except (OSError, http.client.HTTPException) as e:
                self.errors.append(repr(e))


def cookie(cookies, name):
    for c in cookies:
        if c.startswith(name + "="):
            return c.split(";", 1)[0].split("=", 1)[1]
    return None


class Database:
    """A throwaway MariaDB with TLS that can be killed, restarted on the same port, and frozen."""

    def __init__(self):
        self.base = tempfile.mkdtemp(prefix="mysite-outage-")
        tls = os.path.join(self.base, "tls")
        os.mkdir(tls)
        ca_key, self.ca = mariadb_server.make_ca(tls, "ca")
        self.key, self.cert = mariadb_server.make_server_cert(tls, ca_key, self.ca)
        self.server = mariadb_server.Server(self.base)
        self.server.install()
        self.server.start(self.ca, self.cert, self.key, bind="127.0.0.1")
        self.password = secrets.token_hex(16)
        self.server.sql("CREATE DATABASE mysite CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
                        f"CREATE USER 'mysite'@'127.0.0.1' IDENTIFIED BY '{self.password}';"
                        "GRANT ALL PRIVILEGES ON mysite.* TO 'mysite'@'127.0.0.1';")

    def env(self):
        return {"DB_ENGINE": "mysql", "DB_HOST": "127.0.0.1", "DB_PORT": str(self.server.port),
                "DB_USER": "mysite", "DB_PASSWORD": self.password, "DB_NAME": "mysite", "DB_SSL_CA": self.ca}

    def kill(self):
        self.server.process.kill()
        self.server.process.wait()

    def restart(self):
        self.server.start(self.ca, self.cert, self.key, bind="127.0.0.1", port=self.server.port)

    def signal(self, signum):
        self.server.process.send_signal(signum)

    def close(self):
        self.server.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def mysite_env(db):
    keep = ("PATH", "HOME", "LANG", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(db.env())
    env.update({"SECRET_KEY": secrets.token_hex(32), "HOST_NAMES": "localhost", "ACCESS_LOG": "false",
                "DB_TIMEOUT": "2", "MYSITE_SUPERUSER_PASSWORD": PASSWORD})
    return env


def run(env, *args):
    import subprocess
    r = subprocess.run([MYSITE, *args], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, (args, r.stdout, r.stderr)


def slowest(records):
    return max((r[1] - r[0] for r in records), default=0.0)


def statuses(records):
    return sorted({r[2] for r in records}, key=str)


def first_back(records, since):
    """Seconds from `since` to the start of the first 200 answered after it, when every later
    request was a 200 too; None when it never settled."""
    later = [r for r in records if r[0] >= since]
    for i, r in enumerate(later):
        if all(x[2] == 200 for x in later[i:]):
            return r[0] - since if r[2] == 200 else None
    return None


def check_outage(name, clients, t_down, t_returning, t_back, answer_within, figures):
    """t_down: the database stopped; t_returning: it was being started or resumed; t_back: it
    accepts connections again."""
    ping, ready = clients["ping"], clients["ready"]
    during = [r for name, c in clients.items() if name.startswith("fortunes")
              for r in c.between(t_down + 0.1, t_returning)]
    assert during, f"{name}: no request during the outage"
    assert all(r[3] is None for r in during), f"{name}: dropped connections: {[r[3] for r in during if r[3]][:3]}"
    assert set(statuses(during)) <= {200, 503} and 503 in statuses(during), (name, statuses(during))
    assert slowest(during) <= answer_within, f"{name}: a page took {slowest(during):.2f} s (limit {answer_within})"
    ready_during = [r for r in ready.between(t_down + 0.1, t_returning) if r[1] < t_returning]
    assert ready_during and all(r[2] == 503 for r in ready_during), (
        name, [(round(r[0] - t_down, 2), round(r[1] - r[0], 2), r[2]) for r in ready.between(t_down, t_back + 2)])
    back = {c: first_back(clients[c].records, t_back) for c in ("fortunes", "ready")}
    for c, took in back.items():
        assert took is not None and took <= BACK_WITHIN_S, (
            f"{name}: {c} back after {took} s; after the database returned: "
            f"{[(round(r[0] - t_back, 2), r[2]) for r in clients[c].records if r[0] >= t_back][:40]}")
    figures[name] = (f"{len(during)} pages during it ({sum(r[2] == 503 for r in during)} x 503), slowest "
                     f"{slowest(during):.2f} s; /ping/ slowest {slowest(ping.between(t_down, t_back)):.3f} s; "
                     f"back {back['fortunes']:.2f} s (pages), {back['ready']:.2f} s (/ready/) after the database")


def database_killed_then_frozen_under_load():
    db = Database()
    serve = None
    try:
        env = mysite_env(db)
        run(env, "migrate")
        run(env, "createsuperuser", "--username", ADMIN, "--email", "a@example.com", "--noinput")
        serve = MysiteServer(MYSITE, env, threads=4)
        # More page clients than view threads: while the database is frozen every view thread waits
        # for it and the requests queued behind them are answered 503 after a second.
        clients = {"fortunes": Client(serve.port, "/fortunes/"),
                   "ping": Client(serve.port, "/ping/", pause=0.05), "ready": Client(serve.port, "/ready/", pause=0.1)}
        clients.update({f"fortunes{i}": Client(serve.port, "/fortunes/") for i in range(2, 9)})
        logins = LoginClient(serve)
        for c in (*clients.values(), logins):
            c.start()
        time.sleep(2)
        healthy = clients["fortunes"].between(0, time.monotonic())
        assert healthy and statuses(healthy) == [200], statuses(healthy)

        figures = {}
        t_down = time.monotonic()
        db.kill()
        time.sleep(OUTAGE_S)
        t_returning = time.monotonic()
        db.restart()
        t_back = time.monotonic()
        time.sleep(BACK_WITHIN_S + 1)
        check_outage("killed", clients, t_down, t_returning, t_back, KILLED_ANSWER_S, figures)

        t_down = time.monotonic()
        db.signal(signal.SIGSTOP)
        time.sleep(OUTAGE_S)
        t_returning = time.monotonic()
        db.signal(signal.SIGCONT)
        t_back = time.monotonic()
        time.sleep(BACK_WITHIN_S + 1)
        check_outage("frozen", clients, t_down, t_returning, t_back, FROZEN_ANSWER_S, figures)

        for c in (*clients.values(), logins):
            c.stopping = True
        for c in (*clients.values(), logins):
            c.join(timeout=30)
        ping = clients["ping"].records
        assert ping and all(r[2] == 200 for r in ping), statuses(ping)
        assert slowest(ping) <= PING_WITHIN_S, f"/ping/ took {slowest(ping):.3f} s"
        for c in clients:
            errors = [r[3] for r in clients[c].records if r[3]]
            assert not errors, (c, errors[:3])

        # Every acknowledged login is a session the database kept.
        assert not logins.errors, logins.errors[:3]
        assert set(logins.statuses) <= {200, 302, 403, 503}, sorted(set(logins.statuses))
        assert logins.sessions, "no login succeeded"
        for key in logins.sessions:
            status, headers, _, _ = serve.fetch("GET", "/admin/", headers={"Cookie": "sessionid=" + key})
            assert status == 200, f"an acknowledged login's session is gone: {status} {headers.get('Location')}"

        code, _, err = serve.stop()
        assert code == 0, err
        serve = None
        print(f"figures: /ping/ {len(ping)} checks, all 200, slowest {slowest(ping) * 1000:.1f} ms; "
              f"{len(logins.sessions)} logins acknowledged, all kept "
              f"(login answers: {', '.join(f'{s} x{logins.statuses.count(s)}' for s in sorted(set(logins.statuses)))})")
        for name, text in figures.items():
            print(f"figures: database {name} for {OUTAGE_S} s: {text}")
    except BaseException:
        if serve is not None:
            _, _, err = serve.stop()
            serve = None
            print("mysite serve's log (tail):\n" + "\n".join(err.splitlines()[-30:]))
        raise
    finally:
        if serve is not None:
            serve.proc.kill()
        db.close()


if __name__ == "__main__":
    sys.exit(run_tests([database_killed_then_frozen_under_load]))
