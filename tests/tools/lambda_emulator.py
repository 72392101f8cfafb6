"""tests/tools: a local emulator of the Lambda Runtime API (2018-06-01), and a switchable TCP
forwarder, for driving a custom runtime through invocations in tests, benches and the deploy
rehearsal.

    with RuntimeEmulator() as api:                 # api.endpoint: "127.0.0.1:<port>"
                                                   # RuntimeEmulator(("10.0.0.1", 9001), arn)
        result = api.invoke({"k": 1}, timeout_s=30)  # queues one event, waits for its outcome
        result.kind                                 # "response" or "error"
        result.document, result.error_type, result.at   # parsed body, header, time.monotonic()
        api.init_errors                             # [Result] posted to /runtime/init/error

GET /runtime/invocation/next blocks until an event is queued (as Lambda does), then answers with
Lambda-Runtime-Aws-Request-Id, -Deadline-Ms, -Invoked-Function-Arn and -Trace-Id.
"""
import json
import queue
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:db-initializer"


class Result:
    def __init__(self, kind, body, error_type, at):
        self.kind, self.body, self.error_type, self.at = kind, body, error_type, at
        try:
            self.document = json.loads(body or b"null")
        except ValueError:
            self.document = None

    def __repr__(self):
        return f"Result({self.kind}, {self.error_type}, {self.body[:300]!r})"


class RuntimeEmulator:
    def __init__(self, bind=("127.0.0.1", 0), function_arn=FUNCTION_ARN):
        self.events = queue.Queue()
        self.results = {}  # request id -> queue of one Result
        self.init_errors = []
        self.next_requests = []  # time.monotonic() of each GET /next
        self.protocol_errors = []
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def reply(self, status, body=b"", headers=None):
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path != f"{PREFIX}/invocation/next":
                    emulator.protocol_errors.append(f"GET {self.path}")
                    return self.reply(404)
                emulator.next_requests.append(time.monotonic())
                request_id, payload, deadline_ms = emulator.events.get()
                self.reply(200, payload, {
                    "Content-Type": "application/json",
                    "Lambda-Runtime-Aws-Request-Id": request_id,
                    "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                    "Lambda-Runtime-Invoked-Function-Arn": function_arn,
                    "Lambda-Runtime-Trace-Id": f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]};Sampled=0",
                })

            def do_POST(self):
                at = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                error_type = self.headers.get("Lambda-Runtime-Function-Error-Type")
                parts = self.path[len(PREFIX):].strip("/").split("/")
                if self.path == f"{PREFIX}/init/error":
                    emulator.init_errors.append(Result("init_error", body, error_type, at))
                    return self.reply(202, b'{"status":"OK"}')
                if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                    waiter = emulator.results.get(parts[1])
                    if waiter is None:
                        emulator.protocol_errors.append(f"POST for unknown request {parts[1]}")
                        return self.reply(400, b'{"errorType":"InvalidRequestID"}')
                    waiter.put(Result(parts[2], body, error_type, at))
                    return self.reply(202, b'{"status":"OK"}')
                emulator.protocol_errors.append(f"POST {self.path}")
                return self.reply(404)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a runtime killed mid-request (tests stop it while GET /next waits)

        self.server = Server(bind, Handler)
        self.endpoint = f"{bind[0]}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def queue_event(self, payload=None, deadline_s=30.0):
        request_id = str(uuid.uuid4())
        self.results[request_id] = queue.Queue()
        deadline_ms = int((time.time() + deadline_s) * 1000)
        self.events.put((request_id, json.dumps(payload or {}).encode(), deadline_ms))
        return request_id

    def wait_result(self, request_id, timeout_s=60.0):
        try:
            return self.results[request_id].get(timeout=timeout_s)
        except queue.Empty:
            raise AssertionError(f"no response or error for {request_id} within {timeout_s} s")

    def wait_next_requests(self, count, timeout_s=5.0):
        """Waits until the runtime has asked for its count-th invocation; True if it did."""
        deadline = time.monotonic() + timeout_s
        while len(self.next_requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return len(self.next_requests) >= count

    def invoke(self, payload=None, deadline_s=30.0, timeout_s=60.0):
        return self.wait_result(self.queue_event(payload, deadline_s), timeout_s)


class TcpSwitch:
    """Forwards loopback TCP connections to whichever port route() last chose, closing the open
    ones on each change, so a client with kept-alive connections meets the new target next time."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.target = None
        self.lock = threading.Lock()
        self.open = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def route(self, port):
        with self.lock:
            self.target = port
            for s in self.open:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.open.clear()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                target = self.target
            try:
                upstream = socket.create_connection(("127.0.0.1", target), timeout=5)
                upstream.settimeout(None)
            except (OSError, TypeError):
                client.close()
                continue
            with self.lock:
                self.open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.listener.close()
        self.route(None)
