#!/usr/bin/env bash
# Finds or builds actionlint (the GitHub Actions workflow linter) and prints its path as the last
# line of stdout. Used by tests/release/workflow.test.ts to lint .github/workflows/*.yml.
#
# actionlint is a Go program on the Go module proxy; tools/actionlint is a Go module that requires
# it at a pinned version (a `tool` directive), so `go build` there builds exactly that version. The
# build lands in a cache outside the clone (~/.cache/pulumi-oss-encryption/actionlint-v<version>)
# and is reused afterwards.
#
# actionlint checks the `run:` scripts with shellcheck when one is on PATH, and skips those checks
# otherwise. When shellcheck is missing and we are root with apt-get, Debian's package is installed
# (as run.sh installs Go); set OSS_ENCRYPTION_NO_APT=1 to not try. Either way, what was found is
# said on stderr.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/cache-root.sh
. "$repo/scripts/cache-root.sh"
version=$(sed -n 's#^\s*github.com/rhysd/actionlint \(v[^ ]*\).*#\1#p' "$repo/tools/actionlint/go.mod")
[ -n "$version" ] || { echo "ensure-actionlint: no github.com/rhysd/actionlint version in tools/actionlint/go.mod" >&2; exit 1; }
bin="$cache_root/actionlint-$version/bin"

log() { echo "ensure-actionlint: $*" >&2; }

mkdir -p "$bin"
# One build at a time per cache (test runs may overlap); later callers reuse it.
exec 9>"$cache_root/.ensure-actionlint.lock"
flock 9
if [ ! -x "$bin/actionlint" ] || [ "$("$bin/actionlint" -version 2>/dev/null | head -n1)" != "$version" ]; then
  command -v go >/dev/null || { log "Go is needed to build actionlint (apt-get install golang-go, or go.dev)"; exit 1; }
  log "building actionlint $version from the Go module proxy into $bin (first time only)"
  started=$(date +%s)
  # GOTOOLCHAIN=auto: an older Go fetches the toolchain go.mod asks for from the module proxy.
  (cd "$repo/tools/actionlint" && GOTOOLCHAIN=${GOTOOLCHAIN:-auto} go build -trimpath \
    -ldflags "-s -w -X github.com/rhysd/actionlint.version=$version" \
    -o "$bin/actionlint.tmp" github.com/rhysd/actionlint/cmd/actionlint)
  mv "$bin/actionlint.tmp" "$bin/actionlint"
  log "built in $(( $(date +%s) - started )) s"
fi

if ! command -v shellcheck >/dev/null 2>&1 && [ -z "${OSS_ENCRYPTION_NO_APT:-}" ] \
   && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  log "installing shellcheck (Debian's package) so that actionlint checks the run: scripts"
  { apt-get install -y -qq shellcheck || { apt-get update -qq && apt-get install -y -qq shellcheck; }; } >/dev/null 2>&1 \
    || log "could not install shellcheck with apt-get"
fi
if command -v shellcheck >/dev/null 2>&1; then
  log "shellcheck $(shellcheck --version | sed -n 's/^version: //p') at $(command -v shellcheck): run: scripts are checked"
else
  log "no shellcheck on PATH: actionlint skips the checks of run: scripts"
fi
echo "$bin/actionlint"
