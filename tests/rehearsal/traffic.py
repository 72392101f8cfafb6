"""tests/rehearsal: a few users requesting pages and the static files each page names, through the
CDN stand-in, while a deploy replaces the tasks. A request fails when it gets anything but 200 or
no answer; a page fails when a static file it names is not served. Bounded: a handful of clients
with a pause between rounds, for at most `max_requests` requests.

    with Traffic(cdn_address, "django.example.com", ca) as traffic:
        ... deploy ...
    traffic.report()  # {"requests": n, "failed": n, "longest_ms": x, "failures": [...], ...}
"""
import http.client
import re
import socket
import ssl
import threading
import time

PAGES = ("/", "/fortunes/", "/", "/admin/login/")
STATIC = re.compile(r'(?:src|href)="https://([^/"]+)(/static/[^"]+)"')


class CdnConnection(http.client.HTTPSConnection):
    """HTTPS to the CDN's address, with the site's name for SNI and certificate checks."""

    def __init__(self, address, server_name, context):
        super().__init__(address, 443, timeout=30, context=context)
        self.server_name = server_name

    def connect(self):
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.server_name)


class Traffic:
    def __init__(self, address, site, ca, clients=4, pause_s=0.05, max_requests=40000):
        self.address, self.site = address, site
        self.context = ssl.create_default_context(cafile=ca)
        self.clients, self.pause_s, self.max_requests = clients, pause_s, max_requests
        self.lock = threading.Lock()
        self.requests = self.failed = self.pages = self.retried = 0
        self.longest = 0.0
        self.failures = []
        self.stylesheets = set()  # every stylesheet a page named (the old and the new release)
        self.stop_event = threading.Event()
        self.threads = []

    def __enter__(self):
        for i in range(self.clients):
            thread = threading.Thread(target=self._client, args=(i,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(60)
        return False

    def _client(self, number):
        connection = CdnConnection(self.address, self.site, self.context)
        round_number = number
        while not self.stop_event.is_set():
            with self.lock:
                if self.requests >= self.max_requests:
                    return
            path = PAGES[round_number % len(PAGES)]
            round_number += 1
            status, body, connection = self._get(connection, path)
            if status == 200:
                with self.lock:
                    self.pages += 1
                for host, static_path in set(STATIC.findall(body.decode("utf-8", "replace"))):
                    if host != self.site:
                        self._fail(f"{path} names a static file on another host: {host}{static_path}")
                        continue
                    if static_path.startswith("/static/css/"):
                        with self.lock:
                            self.stylesheets.add(static_path)
                    static_status, _, connection = self._get(connection, static_path)
                    if static_status != 200:
                        self._fail(f"{path} names {static_path}, which answered {static_status}")
            time.sleep(self.pause_s)
        connection.close()

    def _get(self, connection, path):
        """(status or error text, body, connection); one retry on a fresh connection when a kept
        alive one turns out closed before any byte of the answer (as browsers retry)."""
        for attempt in (1, 2):
            started = time.monotonic()
            try:
                connection.request("GET", path, headers={"Host": self.site, "Accept-Encoding": "identity"})
                response = connection.getresponse()
                body = response.read()
                elapsed = time.monotonic() - started
                with self.lock:
                    self.requests += 1
                    self.longest = max(self.longest, elapsed)
                if response.status != 200:
                    self._fail(f"GET {path}: {response.status} {body[:200]!r}")
                return response.status, body, connection
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                connection.close()
                connection = CdnConnection(self.address, self.site, self.context)
                if attempt == 1:
                    with self.lock:
                        self.retried += 1
                    continue
                with self.lock:
                    self.requests += 1
                self._fail(f"GET {path}: {type(e).__name__}: {e}")
                return f"error {type(e).__name__}", b"", connection
            except (OSError, http.client.HTTPException) as e:
                connection.close()
                with self.lock:
                    self.requests += 1
                self._fail(f"GET {path}: {type(e).__name__}: {e}")
                return f"error {type(e).__name__}", b"", CdnConnection(self.address, self.site, self.context)
        raise AssertionError("unreachable")

    def _fail(self, what):
        with self.lock:
            self.failed += 1
            if len(self.failures) < 20:
                self.failures.append(what)

    def report(self):
        with self.lock:
            return {"requests": self.requests, "failed": self.failed, "pages": self.pages,
                    "retried": self.retried, "longest_ms": round(self.longest * 1000),
                    "failures": list(self.failures), "stylesheets": sorted(self.stylesheets)}
