#!/usr/bin/env bash
# The deployment commands behind `make synth|deploy|destroy` and the infra tests:
#   scripts/infra.sh check-config   validate config/config.yaml (one line naming a bad key)
#   scripts/infra.sh synth          synthesize both stacks into infra/cdk.out (offline, no credentials)
#   scripts/infra.sh test           the CDK tests (offline)
#   scripts/infra.sh bootstrap      `cdk bootstrap` the account in the stack's region and us-east-1
#   scripts/infra.sh deploy [ARGS]  check the config, then `cdk deploy --all` (needs credentials, Docker)
#   scripts/infra.sh destroy [ARGS] `cdk destroy --all`
# Installs infra/node_modules from package-lock.json first when it is missing or stale.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
infra="$root/infra"
export CDK_DISABLE_CLI_TELEMETRY=true
[ $# -gt 0 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
command=$1; shift

command -v npm >/dev/null || { echo "infra: npm not found; install Node.js 20 or later" >&2; exit 1; }
# A relative MYSITE_CONFIG (another config file) is relative to where the command was started.
if [ -n "${MYSITE_CONFIG:-}" ]; then MYSITE_CONFIG=$(realpath -m "$MYSITE_CONFIG"); export MYSITE_CONFIG; fi
cd "$infra"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

case "$command" in
  check-config) exec npx tsx bin/app.ts --check-config ;;
  synth)        exec npx cdk synth --no-notices --quiet "$@" ;;
  test)         exec npm test --silent ;;
  bootstrap)
    environments=$(npx tsx bin/app.ts --environments)
    # shellcheck disable=SC2086 # two words: aws://ACCOUNT/REGION aws://ACCOUNT/us-east-1
    exec npx cdk bootstrap --no-notices $environments "$@" ;;
  deploy)
    npx tsx bin/app.ts --check-config
    command -v docker >/dev/null || { echo "infra: docker not found; the deploy builds the container image" >&2; exit 1; }
    # Lambda accepts only plain image manifests, not the attestation index newer BuildKit adds.
    export BUILDX_NO_DEFAULT_ATTESTATIONS=1
    exec npx cdk deploy --all --no-notices "$@" ;;
  destroy)      exec npx cdk destroy --all --no-notices "$@" ;;
  *) echo "infra: unknown command '$command' (check-config, synth, test, bootstrap, deploy, destroy)" >&2; exit 2 ;;
esac
