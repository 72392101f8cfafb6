#!/usr/bin/env bash
# collectstatic of 2,000 files to a local folder: ours (collectstatic_tool, the same code as
# `mysite collectstatic`) beside Django 3.2's collectstatic with ManifestStaticFilesStorage.
# Prints medians of RUNS fresh runs of each (wall and CPU), one unchanged re-run, and the ratios.
# Then ours to S3 (tests/tools/fake_aws.py on loopback, which verifies every signature and
# Content-MD5 in Python, so it measures the fake as much as us): median of RUNS fresh uploads
# into empty buckets, and one unchanged re-run (one listing, no uploads). --no-s3 skips it.
#
#   bench/collectstatic_bench.sh [--tool build/release/tests/staticfiles/collectstatic_tool]
#                                [--files 2000] [--runs 5] [--tmp /tmp] [--no-s3]
# A fresh run mostly creates files (about 2,400 new inodes for us, 4,400 for Django), so on a
# busy disk both wait on the file system; --tmp /dev/shm shows the work without the disk.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
tool="${COLLECTSTATIC_TOOL:-$repo/build/release/tests/staticfiles/collectstatic_tool}"
files=2000
runs=5
tmp=/tmp
s3=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tool) tool="$2"; shift 2 ;;
    --files) files="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --tmp) tmp="$2"; shift 2 ;;
    --no-s3) s3=0; shift ;;
    *) echo "usage: $0 [--tool PATH] [--files N] [--runs N] [--tmp DIR] [--no-s3]" >&2; exit 2 ;;
  esac
done
[[ -x "$tool" ]] || { echo "collectstatic bench: no tool at $tool (build the collectstatic_tool target)" >&2; exit 1; }
django="$repo/tests/tools/django_collectstatic.py"

work="$(mktemp -d "$tmp/mysite-collectstatic-bench.XXXXXX")"
fake_pid=
trap '[[ -n "$fake_pid" ]] && kill "$fake_pid" 2>/dev/null; rm -rf "$work"' EXIT

# The tree: a fifth CSS (each naming three images, a font and another CSS), a quarter JS,
# the rest PNG-like binaries of 1-24 KiB. Deterministic, so runs compare.
/usr/bin/python3 - "$work/src" "$files" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
n_css, n_js = n // 5, n // 4
n_img = n - n_css - n_js
def write(rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
imgs = ["img/%02d/i%04d.png" % (i % 20, i) for i in range(n_img)]
for rel in imgs:
    write(rel, b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(1024, 24 * 1024)))
for i in range(n_js):
    write("js/%02d/m%04d.js" % (i % 10, i), ("/* module %d */\n" % i + "function f%d(a){return a*%d;}\n" % (i, i) * 40).encode())
for i in range(n_css):
    refs = rng.sample(imgs, 3)
    body = []
    if i > 0:
        body.append('@import "../%02d/s%04d.css";' % ((i - 1) % 10, i - 1) if i % 7 == 0 else "")
    for k, ref in enumerate(refs):
        body.append(".c%d-%d { background: url('../../%s') no-repeat; }" % (i, k, ref))
    body.append(".d%d { background: url(data:image/png;base64,iVBORw0KGgo=); }" % i)
    body.append(".p%d { color: #%06x; margin: %dpx; }" % (i, rng.randrange(1 << 24), i % 40) * 20)
    write("css/%02d/s%04d.css" % (i % 10, i), "\n".join(body).encode())
PY
count=$(find "$work/src" -type f | wc -l)

# One run: "wall_ms cpu_ms" (cpu = user + sys), from /usr/bin/time.
measure() {
  local out="$1"; shift
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" --root "$out" "$work/src" >/dev/null
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Fresh runs, ours and Django's interleaved so both meet the same machine (others build here).
: >"$work/ours.txt"
: >"$work/django.txt"
for _ in $(seq "$runs"); do
  rm -rf "$work/out-ours" "$work/out-django"
  sync
  measure "$work/out-ours" "$tool" >>"$work/ours.txt"
  sync
  measure "$work/out-django" /usr/bin/python3 "$django" --quiet >>"$work/django.txt"
done
ours=$(awk '{ print $1 }' "$work/ours.txt" | median)
ours_cpu=$(awk '{ print $2 }' "$work/ours.txt" | median)
theirs=$(awk '{ print $1 }' "$work/django.txt" | median)
theirs_cpu=$(awk '{ print $2 }' "$work/django.txt" | median)
# Then once more into the filled folders: nothing changed.
read -r ours_again _ < <(measure "$work/out-ours" "$tool")
read -r theirs_again _ < <(measure "$work/out-django" /usr/bin/python3 "$django" --quiet)

same=$(/usr/bin/python3 -c 'import json, sys
a, b = (json.load(open(p))["paths"] for p in sys.argv[1:])
print("yes" if a == b else "NO")' "$work/out-ours/staticfiles.json" "$work/out-django/staticfiles.json")
echo "collectstatic, $count files ($(du -sh "$work/src" | cut -f1)), local folder in $tmp: median of $runs fresh runs, then one unchanged re-run"
printf '  %-38s %6d ms wall %6d ms cpu   re-run %6d ms\n' "ours (collectstatic_tool)" "$ours" "$ours_cpu" "$ours_again"
printf '  %-38s %6d ms wall %6d ms cpu   re-run %6d ms\n' "Django 3.2 ManifestStaticFilesStorage" "$theirs" "$theirs_cpu" "$theirs_again"
awk -v a="$theirs" -v b="$ours" -v c="$theirs_cpu" -v d="$ours_cpu" -v e="$theirs_again" -v f="$ours_again" '
  function r(x, y) { return x / (y > 0 ? y : 1) }
  BEGIN { printf "  Django / ours: %.1fx wall, %.1fx cpu fresh; %.1fx re-run (target >= 5x)\n", r(a, b), r(c, d), r(e, f) }'
echo "  manifests equal: $same"

[[ "$s3" == 1 ]] || exit 0
# Ours to S3: the fake on a free port, one empty bucket per fresh run.
/usr/bin/python3 - "$work/fake.json" "$runs" <<'PY'
import json, sys
json.dump({"region": "us-east-1",
           "credentials": [{"access_key": "AKIDBENCHSTATIC00001", "secret_key": "bench-secret", "token": None}],
           "buckets": ["bench-%d" % i for i in range(int(sys.argv[2]) + 1)]}, open(sys.argv[1], "w"))
PY
/usr/bin/python3 "$repo/tests/tools/fake_aws.py" --config "$work/fake.json" >"$work/fake.port" &
fake_pid=$!
for _ in $(seq 100); do [[ -s "$work/fake.port" ]] && break; sleep 0.1; done
port=$(awk '/^PORT/ { print $2 }' "$work/fake.port")
[[ -n "$port" ]] || { echo "collectstatic bench: fake_aws.py did not start" >&2; exit 1; }
measure_s3() {
  /usr/bin/time -f '%e %U %S' -o "$work/time" env -i PATH="$PATH" AWS_REGION=us-east-1 \
    AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=AKIDBENCHSTATIC00001 \
    AWS_SECRET_ACCESS_KEY=bench-secret AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    AWS_EC2_METADATA_DISABLED=true "$tool" --s3-bucket "$1" "$work/src" >"$work/s3.out"
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time"
}
: >"$work/s3.txt"
for i in $(seq "$runs"); do measure_s3 "bench-$i" >>"$work/s3.txt"; done
s3_wall=$(awk '{ print $1 }' "$work/s3.txt" | median)
s3_cpu=$(awk '{ print $2 }' "$work/s3.txt" | median)
read -r s3_again _ < <(measure_s3 bench-1)
echo "collectstatic to S3 (fake_aws.py on loopback, 8 upload threads): median of $runs fresh runs, then one unchanged re-run"
printf '  %-38s %6d ms wall %6d ms cpu   re-run %6d ms (%s)\n' "ours (S3Storage)" "$s3_wall" "$s3_cpu" "$s3_again" "$(cat "$work/s3.out")"
