#!/usr/bin/env bash
# make bench: mysite against reference servers on loopback, in the same run, under wrk.
# Prints requests/s, p50/p99 latency and peak RSS for each, and the ratios we quote.
# References: nginx answering `return 200 "pong"` (the practical ceiling on this machine) and the
# same pages in Django under gunicorn -w 3, as the original sample runs it (bench/django_site).
# Then /fortunes/ on a throwaway MariaDB over TLS, mysite beside Django, and what a new RDS IAM
# connection and a pooled query cost (bench/mariadb_part.sh, under tests/tools/mariadb_server.py).
#   bench/run.sh [MYSITE [IAM_CONNECTION_BENCH]]   (default: build/release/...)
set -euo pipefail

mysite=$(realpath "${1:-build/release/mysite}")
# Built beside mysite by bench/CMakeLists.txt.
iam_tool=${2:-$(dirname "$mysite")/bench/iam_connection_bench}
nginx_port=18081
mysite_port=18080
django_port=18082
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=bench/lib.sh
source "$here/lib.sh"

# --- reference: nginx ---------------------------------------------------------------------
cat > "$work/nginx.conf" <<NGINX
worker_processes $threads;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nginx_port reuseport;
    location / { default_type text/plain; return 200 "pong"; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
nginx_pid=$!
wait_for_port $nginx_port

# --- mysite on the embedded default (SQLite in a scratch folder) --------------------------
export SECRET_KEY="bench-secret-key-not-for-production-0123456789abcdefghij"
export DB_NAME="$work/bench.sqlite3" ACCESS_LOG=off THREADS=$threads BIND=127.0.0.1:$mysite_port
"$mysite" migrate >/dev/null
"$mysite" serve 2> "$work/mysite.log" &
pids+=($!)
mysite_pid=$!
wait_for_port $mysite_port

# --- reference: Django under gunicorn, on the same database and templates -----------------
(cd "$here/django_site" && MYSITE_TEMPLATES="$here/../app/templates" exec \
  /usr/bin/gunicorn --workers 3 --bind 127.0.0.1:$django_port \
  --log-level warning benchsite.wsgi 2> "$work/django.log") &
pids+=($!)
django_pid=$!
wait_for_port $django_port

printf 'wrk: %s threads, %s connections, %s per run after a %s warm-up; %s cores\n\n' \
  "$threads" "$connections" "$duration" "$warmup" "$(nproc)"
printf '%-28s %12s %10s %10s %10s\n' "server and path" "requests/s" "p50 ms" "p99 ms" "errors"

read -r nginx_rps nginx_p50 nginx_p99 nginx_bad < <(measure "http://127.0.0.1:$nginx_port/ping/")
printf '%-28s %12s %10s %10s %10s\n' "nginx return 200 /ping/" "$nginx_rps" "$nginx_p50" "$nginx_p99" "$nginx_bad"

declare -A rps django_rps
for path in /ping/ / /fortunes/; do
  read -r r p50 p99 bad < <(measure "http://127.0.0.1:$mysite_port$path")
  rps[$path]=$r
  printf '%-28s %12s %10s %10s %10s\n' "mysite $path" "$r" "$p50" "$p99" "$bad"
done
for path in /ping/ / /fortunes/; do
  read -r r p50 p99 bad < <(measure "http://127.0.0.1:$django_port$path")
  django_rps[$path]=$r
  printf '%-28s %12s %10s %10s %10s\n' "django (gunicorn -w 3) $path" "$r" "$p50" "$p99" "$bad"
done

mysite_rss=$(peak_rss_mb "$mysite_pid")
nginx_rss=$(peak_rss_mb "$nginx_pid")
echo
django_rss=$(peak_rss_mb "$django_pid")
printf 'peak RSS: mysite %s MB, nginx (master + workers) %s MB, django (gunicorn master + workers) %s MB\n\n' \
  "$mysite_rss" "$nginx_rss" "$django_rss"

r_ping=$(ratio "${rps[/ping/]}" "$nginx_rps")
r_home=$(ratio "${rps[/]}" "$nginx_rps")
printf '%-44s %8s   target %-8s %s\n' "ratio mysite /ping/ : nginx" "$r_ping" ">= 0.90" "$(verdict "$r_ping" 0.9 ge)"
printf '%-44s %8s   target %-8s %s\n' "ratio mysite / (template) : nginx" "$r_home" ">= 0.70" "$(verdict "$r_home" 0.7 ge)"
r_fortunes=$(ratio "${rps[/fortunes/]}" "${django_rps[/fortunes/]}")
r_home_django=$(ratio "${rps[/]}" "${django_rps[/]}")
printf '%-44s %8s   target %-8s %s\n' "ratio mysite /fortunes/ : django (SQLite)" "$r_fortunes" ">= 20" "$(verdict "$r_fortunes" 20 ge)"
printf '%-44s %8s\n' "ratio mysite / : django" "$r_home_django"
printf '%-44s %8s   target %-8s %s\n' "peak RSS mysite (MB)" "$mysite_rss" "< 30" "$(verdict "$mysite_rss" 30 lt)"

# --- /fortunes/ on MariaDB, and the cost of IAM connections -------------------------------
# Stop the SQLite-side servers first: idle, but the MariaDB runs should have the machine.
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()
printf '\n/fortunes/ on MariaDB (throwaway server, both sides over verified TLS)\n'
printf '%-28s %12s %10s %10s %10s\n' "server and path" "requests/s" "p50 ms" "p99 ms" "errors"
[ -x "$iam_tool" ] || iam_tool=""
/usr/bin/python3 "$here/../tests/tools/mariadb_server.py" --pam -- \
  "$here/mariadb_part.sh" "$mysite" ${iam_tool:+"$iam_tool"} 2> "$work/mariadb.log" \
  || { echo "bench: the MariaDB part failed:" >&2; tail -30 "$work/mariadb.log" >&2; exit 1; }
