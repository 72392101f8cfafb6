#!/usr/bin/env bash
# bench/mariadb_part.sh: the MariaDB half of `make bench`, run by bench/run.sh beside a throwaway
# MariaDB with TLS and the PAM plugin:
#
#   tests/tools/mariadb_server.py --pam -- bench/mariadb_part.sh MYSITE [IAM_CONNECTION_BENCH]
#
# (MYSITE_TEST_MYSQL_* come from mariadb_server.py). Prints, in bench/run.sh's table format,
# /fortunes/ from mysite and from Django (gunicorn -w 3, Django's mysql backend) on that server,
# both over verified TLS, and the ratio; then what a new RDS IAM connection and a pooled query cost
# (bench/iam_bench.py, root only: it writes a PAM service file).
set -euo pipefail

mysite=$(realpath "$1")
iam_tool=${2:-}
# mysite runs views on its I/O threads, and a view waiting for MariaDB blocks its thread for the
# round trip: with one thread per core (2), a core idles while its thread waits. 8 threads keep
# enough queries in flight to fill the cores: on this 2-core machine THREADS=8 gave 1.1x to 1.9x
# the requests/s of THREADS=2 on /fortunes/ in every run (4 and 16 fell in between: 13.3k and
# 12.8k against 14.1k for 8 in the same run). Give a list to compare, e.g.
# BENCH_MARIADB_THREADS="2 8": each is printed and the best one is used for the ratio.
mysite_threads=${BENCH_MARIADB_THREADS:-8}
mysite_port=18083
django_port=18084
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=bench/lib.sh
source "$here/lib.sh"

export DB_ENGINE=mysql DB_HOST="$MYSITE_TEST_MYSQL_HOST" DB_PORT="$MYSITE_TEST_MYSQL_PORT" \
  DB_USER="$MYSITE_TEST_MYSQL_USER" DB_PASSWORD="$MYSITE_TEST_MYSQL_PASSWORD" \
  DB_NAME="$MYSITE_TEST_MYSQL_DATABASE" DB_SSL_CA="$MYSITE_TEST_MYSQL_SSL_CA"
export SECRET_KEY="${SECRET_KEY:-bench-secret-key-not-for-production-0123456789abcdefghij}"
export ACCESS_LOG=off
"$mysite" migrate >/dev/null

best_rps=0
for n in $mysite_threads; do
  THREADS=$n BIND=127.0.0.1:$mysite_port "$mysite" serve 2> "$work/mysite-$n.log" &
  pid=$!
  pids+=("$pid")
  wait_for_port $mysite_port
  read -r r p50 p99 bad < <(measure "http://127.0.0.1:$mysite_port/fortunes/")
  row "mysite THREADS=$n /fortunes/" "$r" "$p50" "$p99" "$bad"
  rss=$(peak_rss_mb "$pid")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  if [ "$r" -gt "$best_rps" ]; then best_rps=$r best_threads=$n best_rss=$rss; fi
done

(cd "$here/django_site" && MYSITE_TEMPLATES="$here/../app/templates" exec \
  /usr/bin/gunicorn --workers 3 --bind 127.0.0.1:$django_port \
  --log-level warning benchsite.wsgi 2> "$work/django.log") &
django_pid=$!
pids+=("$django_pid")
wait_for_port $django_port
read -r django_rps p50 p99 bad < <(measure "http://127.0.0.1:$django_port/fortunes/")
row "django (gunicorn -w 3) /fortunes/" "$django_rps" "$p50" "$p99" "$bad"
echo
printf 'peak RSS on MariaDB: mysite (THREADS=%s) %s MB, django (gunicorn master + workers) %s MB\n\n' \
  "$best_threads" "$best_rss" "$(peak_rss_mb "$django_pid")"

r_maria=$(ratio "$best_rps" "$django_rps")
printf '%-44s %8s   target %-8s %s\n' "ratio mysite /fortunes/ : django (MariaDB)" "$r_maria" ">= 10" \
  "$(verdict "$r_maria" 10 ge)"

echo
if [ -n "$iam_tool" ]; then
  /usr/bin/python3 "$here/iam_bench.py" "$iam_tool"
else
  echo "IAM connection cost: skipped (no iam_connection_bench given)"
fi
