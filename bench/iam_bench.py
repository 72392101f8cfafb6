#!/usr/bin/python3
"""bench: what a new RDS IAM connection (token + TLS + auth) and a pooled query cost.

    iam_bench.py PATH_TO_IAM_CONNECTION_BENCH     (inside tests/tools/mariadb_server.py --pam)

Sets up the local stand-in for Aurora's IAM authentication that tests/cli/iam_e2e_test.py uses:
a MariaDB user IDENTIFIED VIA pam ... REQUIRE SSL, a PAM service /etc/pam.d/mysite-iam-bench-<pid>
(removed afterwards) running tests/tools/rds_token_verifier.py through pam_exec, and credentials
from tests/tools/fake_aws.py's ECS endpoint. Then runs bench/iam_connection_bench.cpp, which opens
new IAM connections with the site's token provider, the same number of password connections to
the same server, and queries over a pooled connection. Needs root (prints a skip line otherwise).
"""
import json
import os
import secrets
import subprocess
import sys
import tempfile

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "tools")
sys.path.insert(0, TOOLS)
from fake_aws_runner import FakeAws  # noqa: E402

VERIFIER = os.path.abspath(os.path.join(TOOLS, "rds_token_verifier.py"))
REGION = "us-east-1"
IAM_USER = "mysite_iam_bench"
PAM_SERVICE = f"mysite-iam-bench-{os.getpid()}"
PAM_FILE = f"/etc/pam.d/{PAM_SERVICE}"
ACCESS_KEY = "ASIA_FAKE_IAM_BENCH1"
SECRET_KEY = secrets.token_urlsafe(30)
SESSION_TOKEN = "IQoJb3JpZ2luX2VjE/" + secrets.token_urlsafe(60) + "+end="  # short: pam_exec's 511 bytes
CONTAINER_AUTH = "container-auth-" + secrets.token_hex(8)
NEW_CONNECTIONS = os.environ.get("BENCH_IAM_CONNECTIONS", "20")
POOLED_QUERIES = os.environ.get("BENCH_POOLED_QUERIES", "5000")


def root_sql(statements):
    subprocess.run(["mariadb", "--no-defaults", f"--socket={os.environ['MYSITE_TEST_MYSQL_SOCKET']}",
                    "-uroot", "--batch", "-e", statements], check=True, capture_output=True, text=True)


def remove_stale_pam_files():
    """Service files of earlier runs killed before their clean-up."""
    for name in os.listdir("/etc/pam.d"):
        if name.startswith("mysite-iam-bench-"):
            pid = name.rsplit("-", 1)[1]
            if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
                os.unlink(os.path.join("/etc/pam.d", name))


def main(tool):
    if os.geteuid() != 0 or not os.environ.get("MYSITE_TEST_MYSQL_PAM"):
        print("IAM connection cost: skipped (needs root and mariadb_server.py --pam: writes /etc/pam.d)")
        return 0
    host, port, database = (os.environ[f"MYSITE_TEST_MYSQL_{k}"] for k in ("HOST", "PORT", "DATABASE"))
    remove_stale_pam_files()
    work = tempfile.mkdtemp(prefix="mysite-iam-bench-")
    try:
        with open(os.path.join(work, "verifier.json"), "w") as f:
            json.dump({"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "session_token": SESSION_TOKEN,
                       "region": REGION, "hosts": [host], "port": int(port),
                       "log": os.path.join(work, "decisions.jsonl")}, f)
        with open(PAM_FILE, "w") as f:
            f.write("# written by bench/iam_bench.py; removed when it ends\n"
                    f"auth required pam_exec.so expose_authtok quiet "
                    f"/usr/bin/python3 {VERIFIER} --config {work}/verifier.json\n"
                    "account required pam_permit.so\n")
        root_sql(f"CREATE USER '{IAM_USER}'@'{host}' IDENTIFIED VIA pam USING '{PAM_SERVICE}' REQUIRE SSL;"
                 f"GRANT SELECT ON {database}.* TO '{IAM_USER}'@'{host}';")
        config = {"region": REGION, "credentials": [],
                  "container": {"credentials": {"AccessKeyId": ACCESS_KEY, "SecretAccessKey": SECRET_KEY,
                                                "Token": SESSION_TOKEN}, "token": CONTAINER_AUTH}}
        with FakeAws(config) as fake:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "AWS_"))}
            env.update(DB_HOST=host, DB_PORT=port, DB_NAME=database, DB_USER=IAM_USER,
                       DB_SSL_CA=os.environ["MYSITE_TEST_MYSQL_SSL_CA"], AWS_REGION=REGION,
                       AWS_CONTAINER_CREDENTIALS_FULL_URI=fake.url + "/ecs/full",
                       AWS_CONTAINER_AUTHORIZATION_TOKEN=CONTAINER_AUTH,
                       AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
                       AWS_EC2_METADATA_DISABLED="true",
                       BENCH_PASSWORD_USER=os.environ["MYSITE_TEST_MYSQL_USER"],
                       BENCH_PASSWORD=os.environ["MYSITE_TEST_MYSQL_PASSWORD"])
            result = subprocess.run([tool, "--new", NEW_CONNECTIONS, "--queries", POOLED_QUERIES],
                                    env=env, stdout=subprocess.PIPE, text=True, timeout=600)
        print(result.stdout, end="")
        if result.returncode != 0:
            return result.returncode
        print("  Locally the IAM check is tests/tools/rds_token_verifier.py, one python3 process (botocore)\n"
              "  started by pam_exec per login: it dominates the new-IAM-connection time here and says\n"
              "  nothing about Aurora. What is ours: the token (reused, or signed with SHA-256/HMAC when\n"
              "  renewed), and TCP + TLS + auth, which the password connection to the same server shows.\n"
              "  New IAM connections are also rate-limited to 20/s per process (burst 20).")
        return 0
    finally:
        if os.path.exists(PAM_FILE):
            os.unlink(PAM_FILE)
        subprocess.run(["rm", "-rf", work], check=False)


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
