#!/usr/bin/env bash
# Browser end-to-end test of the admin: a scratch site (SQLite unless DB_ENGINE/DB_* are set,
# as tests/tools/with_mariadb.sh does through MYSITE_TEST_MYSQL_*), migrated, static files
# collected, a superuser created, `mysite serve` on a free port, then admin.e2e.js drives
# Debian's chromium through playwright-core. Usage: tests/e2e/run.sh path/to/mysite
set -euo pipefail

MYSITE=$(realpath "${1:?usage: run.sh MYSITE}")
HERE=$(cd "$(dirname "$0")" && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[[ -x "$CHROMIUM" ]] || { echo "run.sh: $CHROMIUM not found (Debian package chromium)" >&2; exit 1; }

# npm ci only when the installed tree does not match the lock file.
if [[ ! -f "$HERE/node_modules/.package-lock.json" ]] ||
   ! cmp -s <(grep -v '"lockfileVersion"' "$HERE/package-lock.json" | grep '"version"') \
            <(grep -v '"lockfileVersion"' "$HERE/node_modules/.package-lock.json" | grep '"version"'); then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mysite-e2e-XXXXXX")
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Only what this test sets reaches mysite: no stray settings from the caller's shell.
for v in $(env | sed -n 's/^\(DB_[A-Z_]*\|DEBUG_FLAG\|HOST_NAMES\|BIND\|THREADS\|STATIC_URL\|MYSITE_SETTINGS_FILE\|TASK_PARAMS\|CSRF_TRUSTED_ORIGINS\)=.*/\1/p'); do
  unset "$v"
done
export SECRET_KEY="e2e-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export STATIC_ROOT="$WORK/staticfiles"
export DEBUG_FLAG=false
export ACCESS_LOG=false
if [[ -n "${MYSITE_TEST_MYSQL_HOST:-}" ]]; then
  export DB_ENGINE=mysql DB_HOST="$MYSITE_TEST_MYSQL_HOST" DB_PORT="$MYSITE_TEST_MYSQL_PORT" \
         DB_USER="$MYSITE_TEST_MYSQL_USER" DB_PASSWORD="$MYSITE_TEST_MYSQL_PASSWORD" \
         DB_NAME="$MYSITE_TEST_MYSQL_DATABASE" DB_SSL_CA="$MYSITE_TEST_MYSQL_SSL_CA"
else
  export DB_ENGINE=sqlite DB_NAME="$WORK/db.sqlite3"
fi
export E2E_ADMIN_USER=admin
export MYSITE_SUPERUSER_PASSWORD="e2e-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export E2E_ADMIN_PASSWORD="$MYSITE_SUPERUSER_PASSWORD"

"$MYSITE" migrate > "$WORK/migrate.log"
"$MYSITE" collectstatic --noinput > "$WORK/collectstatic.log"
"$MYSITE" createsuperuser --noinput --username "$E2E_ADMIN_USER" --email admin@example.com > "$WORK/createsuperuser.log"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$MYSITE" serve --bind "127.0.0.1:$PORT" --threads 2 > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/ping/', timeout=1)" 2>/dev/null; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "run.sh: mysite serve exited:" >&2; cat "$WORK/serve.err" >&2; exit 1; fi
  sleep 0.1
done

export E2E_BASE_URL="http://127.0.0.1:$PORT"
export E2E_CHROMIUM="$CHROMIUM"
export E2E_USER_DATA_DIR="$WORK/chromium-profile"
status=0
node "$HERE/admin.e2e.js" || status=$?
if [[ $status -ne 0 ]]; then echo "--- mysite serve stderr ---" >&2; cat "$WORK/serve.err" >&2; fi
exit $status
