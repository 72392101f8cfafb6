#!/usr/bin/env bash
# `make rehearse` and the ctest tests labelled `rehearsal`: installs what the rehearsal needs
# (deps/debian-packages.txt, group `rehearsal`, and the `test` group's MariaDB, Chromium, Node.js),
# then runs tests/rehearsal/rehearse.py with the given arguments (--scenario NAME; default all).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/deps.sh" runtime test rehearsal
exec /usr/bin/python3 "$root/tests/rehearsal/rehearse.py" "$@"
