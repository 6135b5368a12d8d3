#!/usr/bin/env bash
# The front door: sets up what is missing, then runs one job.
#
#   ./run.sh start      the main job: a whole lifecycle of examples/basic with the real Pulumi CLI
#   ./run.sh test       every test (unit, conformance, provider, end-to-end, standalone projects)
#   ./run.sh chaos | bench | emulator [options]     the other npm scripts, on the same set-up
#
# Set-up, each step skipped when already done: Node.js 24 (scripts/ensure-node.sh), Go for the
# Pulumi CLI build (Debian's package, when missing and apt-get is there), `npm ci`, and the Pulumi
# CLI with its language hosts (scripts/ensure-pulumi-cli.sh). Builds are cached outside the clone,
# in ~/.cache/pulumi-oss-encryption.
set -euo pipefail
cd "$(dirname "$0")"
job=${1:-}
[ $# -gt 0 ] && shift
case "$job" in
  start|test|chaos|bench|emulator) ;;
  *) echo "usage: ./run.sh start|test|chaos|bench|emulator [args]" >&2; exit 2 ;;
esac

node_bin=$(bash scripts/ensure-node.sh | tail -n 1)
export PATH="$node_bin:$PATH"

if ! command -v go >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "run.sh: installing Go (Debian's golang-go) to build the Pulumi CLI" >&2
  apt-get update -qq && apt-get install -y -qq golang-go >/dev/null
  # Debian's Go may be older than pulumi's go.mod wants; GOTOOLCHAIN=auto fetches the right one
  # from the Go module proxy.
  export GOTOOLCHAIN=auto
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if ! bash scripts/ensure-pulumi-cli.sh >/dev/null; then
  # Without a CLI the suites that need one skip with a message, except under CI=true.
  [ "${CI:-}" = true ] && exit 1
  echo "run.sh: no Pulumi CLI; the suites that need it will be skipped" >&2
fi

case "$job" in
  start) npm start ;;
  test) npm test ;;
  chaos) npm run test:chaos ;;
  bench) npm run bench -- "$@" ;;
  emulator) npm run emulator -- "$@" ;;
esac
