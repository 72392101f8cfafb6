#!/usr/bin/env python3
"""tests/tools: run a command beside a throwaway MariaDB server with TLS, then stop the server.

    mariadb_server.py [--keep] [--pam] -- COMMAND [ARGS...]

Creates a temporary directory holding: a test CA and a second, unrelated CA (both generated with
`openssl`), a server certificate signed by the test CA for DNS:localhost and IP:127.0.0.1, a data
directory made by `mariadb-install-db`, and the server's socket. Starts /usr/sbin/mariadbd on a free
loopback TCP port (bound to 127.0.0.1 and 127.0.0.2, so a client dialling 127.0.0.2 meets a
certificate that does not name it), creates a database and a user with a password, and runs COMMAND
with these environment variables:

    MYSITE_TEST_MYSQL_HOST      127.0.0.1
    MYSITE_TEST_MYSQL_ALT_HOST  127.0.0.2 (same server; not named by its certificate)
    MYSITE_TEST_MYSQL_PORT      the TCP port
    MYSITE_TEST_MYSQL_USER      mysite
    MYSITE_TEST_MYSQL_PASSWORD  a random password
    MYSITE_TEST_MYSQL_DATABASE  mysite_test
    MYSITE_TEST_MYSQL_SSL_CA    the CA that signed the server certificate
    MYSITE_TEST_MYSQL_WRONG_CA  an unrelated CA

With --pam the server also loads MariaDB's PAM authentication plugin (auth_pam.so, in Debian's
mariadb-server) with pam_use_cleartext_plugin=ON, so a user created `IDENTIFIED VIA pam USING
'service'` is authenticated by /etc/pam.d/<service> from the password the client sends with the
mysql_clear_password plugin: how Aurora's IAM authentication looks to a client. COMMAND then also
gets MYSITE_TEST_MYSQL_PAM=1 and can create such users as root through MYSITE_TEST_MYSQL_SOCKET.

The server is stopped and the directory removed when COMMAND ends, fails, or this script is
interrupted. Exits with COMMAND's exit code. Installs nothing: needs mariadb-server and openssl.
"""

import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

MARIADBD = "/usr/sbin/mariadbd"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30
DATABASE = "mysite_test"
USER = "mysite"


def log(message):
    print(f"mariadb_server: {message}", file=sys.stderr, flush=True)


def find_tool(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit(f"mariadb_server: none of {', '.join(names)} found (install mariadb-server)")


def run(args, **kwargs):
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}")
    return result.stdout


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_ca(directory, name):
    key, cert = os.path.join(directory, f"{name}.key"), os.path.join(directory, f"{name}.pem")
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
         f"/CN=mysite test {name}", "-keyout", key, "-out", cert,
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    return key, cert


def make_server_cert(directory, ca_key, ca_cert, dns_names=("localhost",), ips=("127.0.0.1",), name="server"):
    """A server certificate signed by the CA for `dns_names` and `ips`: (key path, cert path)."""
    key, csr, cert = (os.path.join(directory, f"{name}.{ext}") for ext in ("key", "csr", "pem"))
    ext = os.path.join(directory, f"{name}.ext")
    alt = ",".join([f"DNS:{n}" for n in dns_names] + [f"IP:{i}" for i in ips])
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                f"extendedKeyUsage=serverAuth\nsubjectAltName={alt}\n")
    run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN=mysite test {name}",
         "-keyout", key, "-out", csr])
    run(["openssl", "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial",
         "-days", "2", "-extfile", ext, "-out", cert])
    return key, cert


def die_with_parent():
    """Runs in the child before exec: if this script is killed (even by SIGKILL, e.g. a CTest
    timeout), the kernel sends the child SIGTERM, so no mariadbd outlives its test."""
    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def is_root():
    return os.geteuid() == 0


class Server:
    def __init__(self, base, pam=False):
        self.base = base
        self.pam = pam
        self.datadir = os.path.join(base, "data")
        self.socket = os.path.join(base, "mysqld.sock")
        self.pidfile = os.path.join(base, "mysqld.pid")
        self.errlog = os.path.join(base, "mysqld.err")
        # A private tmpdir: concurrent installs in a shared /tmp clash on temp-table names.
        self.tmpdir = os.path.join(base, "tmp")
        os.makedirs(self.tmpdir, exist_ok=True)
        self.process = None
        self.port = None

    def install(self):
        args = [find_tool("mariadb-install-db", "mysql_install_db"), "--no-defaults",
                "--auth-root-authentication-method=normal", f"--datadir={self.datadir}",
                "--skip-test-db", "--skip-name-resolve", f"--tmpdir={self.tmpdir}"]
        if is_root():
            args.append("--user=root")
        run(args)

    def start(self, ca, cert, key, bind="127.0.0.1,127.0.0.2", port=None, extra_args=()):
        """Starts mariadbd with TLS on `bind` (comma-separated addresses) and `port` (a free one by
        default), waiting until it accepts connections; `extra_args` are more server options."""
        for attempt in range(3):
            self.port = port or free_port()
            host = bind.split(",")[0]
            args = [MARIADBD, "--no-defaults", f"--datadir={self.datadir}", f"--socket={self.socket}",
                    f"--tmpdir={self.tmpdir}",
                    f"--pid-file={self.pidfile}", f"--log-error={self.errlog}", f"--port={self.port}",
                    f"--bind-address={bind}", "--skip-name-resolve",
                    "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                    "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=48M",
                    "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin", "--max-connections=200",
                    "--max-allowed-packet=64M", "--lock-wait-timeout=10", "--innodb-lock-wait-timeout=5",
                    f"--ssl-ca={ca}", f"--ssl-cert={cert}", f"--ssl-key={key}"]
            if self.pam:
                args += ["--plugin-load-add=auth_pam.so", "--pam-use-cleartext-plugin=ON"]
            args += list(extra_args)
            if is_root():
                args.append("--user=root")
            self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            preexec_fn=die_with_parent)
            if self.wait_ready(host):
                return
            self.stop()
            log(f"start attempt {attempt + 1} on port {self.port} failed:\n{self.error_log_tail()}")
        raise RuntimeError("mariadbd did not start")

    def wait_ready(self, host="127.0.0.1"):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection((host, self.port), timeout=1):
                    pass
                if os.path.exists(self.socket):
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def sql(self, statements):
        """Runs `statements` as root over the socket; returns what they print (tab-separated)."""
        return run([find_tool("mariadb", "mysql"), "--no-defaults", f"--socket={self.socket}", "-uroot",
                    "--batch", "--skip-column-names", "-e", statements])

    def error_log_tail(self):
        try:
            with open(self.errlog, errors="replace") as f:
                return "".join(f.readlines()[-20:])
        except OSError:
            return "(no error log)"

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log("mariadbd did not stop on SIGTERM; killing it")
            self.process.kill()
            self.process.wait()


def main(argv):
    keep = pam = False
    while argv and argv[0] in ("--keep", "--pam"):
        keep, pam = keep or argv[0] == "--keep", pam or argv[0] == "--pam"
        argv = argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if not os.path.exists(MARIADBD):
        log(f"{MARIADBD} not found (install mariadb-server)")
        return 2

    base = tempfile.mkdtemp(prefix="mysite-mariadb-")
    server = Server(base, pam=pam)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        started = time.monotonic()
        tls = os.path.join(base, "tls")
        os.mkdir(tls)
        ca_key, ca_cert = make_ca(tls, "ca")
        make_ca(tls, "wrong-ca")
        key, cert = make_server_cert(tls, ca_key, ca_cert)
        server.install()
        server.start(ca_cert, cert, key)
        password = secrets.token_hex(16)
        server.sql(f"CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
                   f"CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{password}';"
                   f"CREATE USER '{USER}'@'127.0.0.2' IDENTIFIED BY '{password}';"
                   f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'127.0.0.1';"
                   f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'127.0.0.2';")
        log(f"mariadbd ready on 127.0.0.1:{server.port} in {time.monotonic() - started:.1f} s ({base})")
        env = dict(os.environ,
                   MYSITE_TEST_MYSQL_HOST="127.0.0.1",
                   MYSITE_TEST_MYSQL_ALT_HOST="127.0.0.2",
                   MYSITE_TEST_MYSQL_PORT=str(server.port),
                   MYSITE_TEST_MYSQL_USER=USER,
                   MYSITE_TEST_MYSQL_PASSWORD=password,
                   MYSITE_TEST_MYSQL_DATABASE=DATABASE,
                   MYSITE_TEST_MYSQL_SSL_CA=ca_cert,
                   MYSITE_TEST_MYSQL_WRONG_CA=os.path.join(tls, "wrong-ca.pem"),
                   MYSITE_TEST_MYSQL_SOCKET=server.socket)
        if pam:
            env["MYSITE_TEST_MYSQL_PAM"] = "1"
        child = subprocess.Popen(argv, env=env, preexec_fn=die_with_parent)
        try:
            code = child.wait()
        except BaseException:
            child.terminate()
            child.wait()
            raise
        if code != 0:
            log(f"command exited with {code}; server log tail:\n{server.error_log_tail()}")
        return code if code >= 0 else 128 - code
    except KeyboardInterrupt as e:
        log(f"interrupted ({e})")
        return 130
    except Exception as e:  # noqa: BLE001 - report any set-up failure as one line plus detail
        log(f"set-up failed: {e}\n{server.error_log_tail()}")
        return 1
    finally:
        server.stop()
        if keep:
            log(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
