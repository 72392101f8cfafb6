#!/usr/bin/env bash
# `make test`: every stage in order, each one timed, so the cost of each stays visible:
#   packages, release build, tests (unit, oracle, integration, infra, browser), the deploy
#   rehearsal, the sanitizer build (clang, ASan + UBSan, with the fuzz targets), the unit tests
#   under it, and a short fuzzing run of every target. Stops at the first failing stage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started=$(date +%s)
timings=()

stage() {
  local name=$1
  shift
  local begun
  begun=$(date +%s)
  echo "=== test: $name"
  if ! "$@"; then
    echo "=== test: $name FAILED after $(( $(date +%s) - begun )) s"
    exit 1
  fi
  timings+=("$(printf '%5d s  %s' $(( $(date +%s) - begun )) "$name")")
}


stage "packages" scripts/deps.sh build runtime test fuzz
stage "release build" bash -c 'test -f build/release/build.ninja || cmake --preset release >/dev/null; cmake --build --preset release'
stage "tests (unit, oracle, integration, infra, browser)" ctest --preset release --timeout 600 -LE rehearsal
stage "deploy rehearsal (make rehearse)" ctest --preset release -L rehearsal
stage "sanitizer build (clang, ASan + UBSan, fuzz targets)" bash -c 'test -f build/asan/build.ninja || cmake --preset asan >/dev/null; cmake --build --preset asan'
stage "unit tests under ASan + UBSan" ctest --preset asan --timeout 600 -L unit
stage "fuzzing (10 s per target)" scripts/fuzz.sh --seconds 10

echo "=== test: all stages passed in $(( $(date +%s) - started )) s"
printf '%s\n' "${timings[@]}"
