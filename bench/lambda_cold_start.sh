#!/bin/sh
# bench: the DB initializer's cold start, the time from starting a db-initializer process to the
# first response it posts to a local Lambda Runtime API emulator. Everything a real first
# invocation does is in it: reading settings and the script, GET /next, GetSecretValue (SigV4, from
# tests/tools/fake_aws.py), a TLS connection to a throwaway MariaDB as the master user, the lock,
# the five statements of the MariaDB stand-in script, POST /response. Target: under 50 ms
# (the original Python Lambda needs hundreds of milliseconds to import boto3).
#
# Usage: bench/lambda_cold_start.sh [PATH/TO/db-initializer] [RUNS]   (default build/release, 10)
# Starts its own MariaDB (tests/tools/with_mariadb.sh, about 10 s before the first run).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
binary=$(realpath "${1:-$root/build/release/db-initializer}")
runs=${2:-10}
[ -x "$binary" ] || { echo "lambda_cold_start: $binary not found (make build)" >&2; exit 2; }
if [ -z "${MYSITE_TEST_MYSQL_MASTER_USER:-}" ]; then
  exec "$root/tests/tools/with_mariadb.sh" "$root/tests/functions/db_initializer/with_master_user.sh" \
       "$0" "$binary" "$runs"
fi

exec /usr/bin/python3 - "$root" "$binary" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time
root, binary, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, os.path.join(root, "tests", "tools"))
sys.path.insert(0, os.path.join(root, "tests", "functions", "db_initializer"))
from lambda_emulator import RuntimeEmulator
from runtime_test import FakeAws, SECRET_ID, master_secret, process_env

class Direct:  # process_env wants something with the Secrets Manager port
    def __init__(self, port): self.port = port

fake = FakeAws({SECRET_ID: master_secret()}).wait_port()
first, init, handler = [], [], []
try:
    for run in range(runs):
        with RuntimeEmulator() as api:
            api.queue_event({"RequestType": "Create"})
            started = time.monotonic()
            process = subprocess.Popen([binary], env=process_env(Direct(fake.port), AWS_LAMBDA_RUNTIME_API=api.endpoint),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            request_id = next(iter(api.results))
            result = api.wait_result(request_id, 30)
            process.terminate(); process.wait(10)
            if result.kind != "response":
                sys.exit(f"lambda_cold_start: run {run + 1} failed: {result}")
            first.append(1000 * (result.at - started))
            init.append(1000 * (api.next_requests[0] - started))
            handler.append(result.document["elapsedMs"])
finally:
    fake.stop()

def line(name, values):
    return (f"  {name:<38} median {statistics.median(values):6.1f} ms   min {min(values):6.1f}"
            f"   max {max(values):6.1f}")
print(f"db-initializer cold start, {runs} fresh processes ({os.path.relpath(binary, root)})")
print(line("process start -> GET /next (init)", init))
print(line("handler (secret, TLS connect, script)", handler))
print(line("process start -> first POST /response", first))
median = statistics.median(first)
print(f"cold start: {median:.1f} ms (median; target < 50 ms: {'met' if median < 50 else 'NOT met'})")
PY
