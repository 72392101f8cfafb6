#!/usr/bin/env bash
# make bench: mysite against reference servers on loopback, in the same run, under wrk.
# Prints requests/s, p50/p99 latency and peak RSS for each, and the ratios we quote.
# References: nginx answering `return 200 "pong"` (the practical ceiling on this machine) and the
# same pages in Django under gunicorn -w 3, as the original sample runs it (bench/django_site).
set -euo pipefail

mysite=$(realpath "${1:-build/release/mysite}")
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
nginx_port=18081
mysite_port=18080
django_port=18082
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench: nothing listens on port $1" >&2
  exit 1
}

# Peak resident memory (VmHWM) of a process and its children, in MB.
peak_rss_mb() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    local kb
    kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  awk -v kb="$total" 'BEGIN { printf "%.1f", kb / 1024 }'
}

# Runs wrk and prints "requests/s p50_ms p99_ms non2xx".
measure() {
  local url=$1
  wrk -t"$threads" -c"$connections" -d"$warmup" "$url" >/dev/null
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url" > "$work/wrk.txt"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, bad + 0 }
  ' "$work/wrk.txt"
}

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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == "ge" ? v >= t : v < t); print (ok ? "met" : "NOT met") }'; }
r_ping=$(ratio "${rps[/ping/]}" "$nginx_rps")
r_home=$(ratio "${rps[/]}" "$nginx_rps")
printf '%-44s %8s   target %-8s %s\n' "ratio mysite /ping/ : nginx" "$r_ping" ">= 0.90" "$(verdict "$r_ping" 0.9 ge)"
printf '%-44s %8s   target %-8s %s\n' "ratio mysite / (template) : nginx" "$r_home" ">= 0.70" "$(verdict "$r_home" 0.7 ge)"
r_fortunes=$(ratio "${rps[/fortunes/]}" "${django_rps[/fortunes/]}")
r_home_django=$(ratio "${rps[/]}" "${django_rps[/]}")
printf '%-44s %8s   target %-8s %s\n' "ratio mysite /fortunes/ : django (SQLite)" "$r_fortunes" ">= 20" "$(verdict "$r_fortunes" 20 ge)"
printf '%-44s %8s\n' "ratio mysite / : django" "$r_home_django"
printf '%-44s %8s   target %-8s %s\n' "peak RSS mysite (MB)" "$mysite_rss" "< 30" "$(verdict "$mysite_rss" 30 lt)"
