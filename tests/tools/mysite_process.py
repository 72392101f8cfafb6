"""tests/tools: `mysite serve` as a child process on a free loopback port, and the tiny test runner
the end-to-end python tests share (it prints the closing `N passed, N failed` line)."""
import http.client
import signal
import socket
import subprocess
import threading
import time
import traceback


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MysiteServer:
    """`mysite serve --bind 127.0.0.1:<free port>` with `env`; ready when it accepts connections."""

    def __init__(self, mysite, env, threads=2, start_timeout=15):
        self.port = free_port()
        self.proc = subprocess.Popen([mysite, "serve", "--bind", f"127.0.0.1:{self.port}", "--threads", str(threads)],
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Read both pipes all along: a server that logs more than a pipe holds (a login flood)
        # would otherwise block in write() and look hung.
        self._out, self._err = [], []
        self._readers = [threading.Thread(target=self._drain, args=(pipe, sink), daemon=True)
                         for pipe, sink in ((self.proc.stdout, self._out), (self.proc.stderr, self._err))]
        for reader in self._readers:
            reader.start()
        deadline = time.time() + start_timeout
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    self._join_readers()
                    raise AssertionError("serve exited: " + "".join(self._err))
                time.sleep(0.05)
        self.proc.kill()
        raise AssertionError("serve did not listen")

    @staticmethod
    def _drain(pipe, sink):
        for line in pipe:
            sink.append(line)

    def _join_readers(self):
        for reader in self._readers:
            reader.join(timeout=30)

    def fetch(self, method, path, body=None, headers=None, host="localhost", timeout=30):
        """(status, headers dict, Set-Cookie values, body bytes)"""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = {"Host": host}
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        data = resp.read()
        cookies = [v for k, v in resp.getheaders() if k.lower() == "set-cookie"]
        conn.close()
        return resp.status, dict(resp.getheaders()), cookies, data

    def stop(self):
        """SIGTERM, as ECS stops a task; returns (exit code, stdout, stderr)."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self._join_readers()
        return self.proc.returncode, "".join(self._out), "".join(self._err)


def run_tests(tests, suffix=""):
    """Runs each test function, prints PASS/FAIL with tracebacks and `N passed, N failed`."""
    passed = failed = 0
    for fn in tests:
        try:
            fn()
            print(f"PASS {fn.__name__}")
            passed += 1
        except Exception:
            print(f"FAIL {fn.__name__}")
            traceback.print_exc()
            failed += 1
    print(f"{passed} passed, {failed} failed{suffix}")
    return 1 if failed else 0
