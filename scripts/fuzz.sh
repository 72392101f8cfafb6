#!/usr/bin/env bash
# scripts/fuzz.sh [--seconds N] [TARGET...]: builds the fuzz targets (the `asan` preset: clang,
# AddressSanitizer + UndefinedBehaviorSanitizer, libFuzzer) and runs each for N seconds (default
# 60) on its seed corpus (tests/fuzz/corpus/TARGET) plus what earlier runs found
# (build/fuzz/corpus/TARGET). Prints one line per target: executions, corpus size, coverage.
# A crash, leak or undefined behaviour stops with the input that triggers it and exit 1.
#   make fuzz                       every target for 60 s
#   scripts/fuzz.sh --seconds 10    what `make test` runs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(ls tests/fuzz/corpus)

scripts/deps.sh build runtime fuzz
started=$(date +%s)
test -f build/asan/build.ninja || cmake --preset asan >/dev/null
cmake --build --preset asan --target "${targets[@]/#/fuzz_}" | grep -v '^\[' || true
echo "fuzz: built ${#targets[@]} targets in $(( $(date +%s) - started )) s"

failed=0
for target in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$target
  artifacts=build/fuzz/artifacts/$target
  log=build/fuzz/$target.log
  mkdir -p "$corpus" "$artifacts"
  # A crash reproducer of an earlier run is tried first, so a fix is checked before new work.
  status=0
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "build/asan/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
      -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" \
      "$corpus" "tests/fuzz/corpus/$target" > "$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  size=$(find "$corpus" -type f | wc -l)
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "fuzz_$target: FAILED after ${runs:-?} executions (exit $status); reproducer in $artifacts/"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -8 | sed 's/^/  /'
  else
    echo "fuzz_$target: ${runs:-0} executions in ${seconds} s, no failure (coverage ${cov:-?}, corpus $size new)"
  fi
done
exit $failed
