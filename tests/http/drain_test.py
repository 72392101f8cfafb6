#!/usr/bin/python3
"""A drain that cuts nothing: `mysite serve` gets SIGTERM while clients keep kept-alive
connections busy, as when ECS stops a task or a client is not behind the load balancer's
deregistration. Every request that reached the server must be answered; a client is told
`Connection: close` with its last answer and does not send another on that connection.

A request is *cut* when it was sent on an open connection and the connection then closed (EOF or
reset) without an answer. Refused new connections after SIGTERM are not cuts: nothing was sent.
Prints the counts; fails when any request was cut or the server did not exit 0.

Usage: drain_test.py PATH_TO_MYSITE
"""
import http.client
import os
import signal
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from mysite_process import MysiteServer  # noqa: E402

MYSITE = os.path.abspath(sys.argv[1])
CONNECTIONS = 48
BEFORE_STOP_S = 1.5
MAX_REQUESTS = 200_000  # a bound, far above what 1.5 s of loopback traffic reaches


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = self.answered = self.cut = self.closed_by_server = self.refused = 0
        self.cuts = []

    def add(self, **deltas):
        with self.lock:
            for key, value in deltas.items():
                setattr(self, key, getattr(self, key) + value)


def client(port, counts, stop_sending):
    conn = None
    while not stop_sending.is_set() and counts.sent < MAX_REQUESTS:
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.connect()
            except OSError:
                counts.add(refused=1)  # the listener is gone: nothing was sent
                return
        try:
            conn.request("GET", "/", headers={"Host": "localhost"})
        except OSError:
            # The send itself failed: the server had closed this connection before the request
            # left; it never reached the server.
            conn.close()
            conn = None
            continue
        counts.add(sent=1)
        try:
            response = conn.getresponse()
            response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
            counts.add(cut=1)
            with counts.lock:
                if len(counts.cuts) < 5:
                    counts.cuts.append(type(e).__name__)
            conn.close()
            conn = None
            continue
        counts.add(answered=1)
        if response.status != 200:
            raise AssertionError(f"status {response.status}")
        if (response.getheader("Connection") or "").lower() == "close":
            counts.add(closed_by_server=1)
            conn.close()
            conn = None  # as a client must: no further request on this connection
    if conn is not None:
        conn.close()


def main():
    work = tempfile.mkdtemp(prefix="mysite-drain-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DB_")}
    env.update(DB_ENGINE="sqlite", DB_NAME=os.path.join(work, "db.sqlite3"), ACCESS_LOG="false",
               STATIC_ROOT=os.path.join(work, "static"), DEBUG_FLAG="false",
               SECRET_KEY="drain-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    import subprocess
    subprocess.run([MYSITE, "migrate"], env=env, check=True, capture_output=True)
    server = MysiteServer(MYSITE, env, threads=2)
    counts = Counts()
    stop_sending = threading.Event()
    threads = [threading.Thread(target=client, args=(server.port, counts, stop_sending))
               for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    time.sleep(BEFORE_STOP_S)
    sent_before = counts.sent
    server.proc.send_signal(signal.SIGTERM)
    code = server.proc.wait(60)
    stop_sending.set()
    for t in threads:
        t.join(60)
    print(f"{counts.sent} requests sent ({sent_before} before SIGTERM), {counts.answered} answered, "
          f"{counts.cut} cut, {counts.closed_by_server} connections closed by the server with "
          f"Connection: close, {counts.refused} new connections refused; exit {code}")
    ok = counts.cut == 0 and code == 0 and sent_before > 1000
    if counts.cuts:
        print("cut by: " + ", ".join(counts.cuts))
    print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
