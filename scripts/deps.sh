#!/usr/bin/env bash
# Installs the Debian packages of the given groups (build, runtime, test, bench) listed in
# deps/debian-packages.txt, only those missing. Uses sudo when not root.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || { echo "usage: scripts/deps.sh GROUP..." >&2; exit 2; }

wanted=$(awk -v groups=" $* " '!/^#/ && NF >= 2 && index(groups, " " $2 " ") { print $1 }' \
  "$here/deps/debian-packages.txt" | sort -u)
missing=()
for pkg in $wanted; do
  # A Node.js already on PATH (nvm, NodeSource, the machine's own) serves the CDK tests.
  case "$pkg" in nodejs|npm) command -v "${pkg/nodejs/node}" >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
