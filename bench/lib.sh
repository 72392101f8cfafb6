# shellcheck shell=bash disable=SC2154  # $work, $threads... are set by the script that sources this
# bench/lib.sh: what bench/run.sh and bench/mariadb_part.sh share (sourced, not run): the wrk
# settings, a scratch folder $work, the server pids in $pids (stopped on exit), and helpers.

duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}  # wrk threads

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

# One line of the results table.
row() { printf '%-28s %12s %10s %10s %10s\n' "$@"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == "ge" ? v >= t : v < t); print (ok ? "met" : "NOT met") }'; }
