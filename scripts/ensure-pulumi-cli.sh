#!/usr/bin/env bash
# Finds or builds the Pulumi CLI matching our @pulumi/pulumi and its language hosts, and prints the
# directory holding `pulumi`, `pulumi-language-nodejs`, `pulumi-language-python`,
# `pulumi-language-yaml`, `pulumi-language-go`, `pulumi-language-java` and
# `pulumi-resource-pulumi-nodejs` as the last line of stdout.
#
# No registry ships the pulumi binary; it is a Go program on the Go module proxy. tools/pulumi-cli
# is a Go module that requires it at our version (repeating the non-local replace directives that
# make `go install` refuse it), so `go build` can build it. The build lands in a cache outside the
# clone (~/.cache/pulumi-oss-encryption/pulumi-v<version>) and is reused afterwards.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
version=$(node -p "require('$repo/node_modules/@pulumi/pulumi/package.json').version")
. "$repo/scripts/cache-root.sh"
bin="$cache_root/pulumi-v$version/bin"
plugin_src="$repo/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

log() { echo "ensure-pulumi-cli: $*" >&2; }

# A pulumi on PATH of the same major version and at least ours is compatible with our SDK.
compatible() {
  local have=${1#v}
  [ "${have%%.*}" = "${version%%.*}" ] || return 1
  [ "$(printf '%s\n%s\n' "$version" "${have%%-*}" | sort -V | head -n1)" = "$version" ]
}

mkdir -p "$bin"
# One build at a time per cache (test suites may call this concurrently); later callers reuse it.
exec 9>"$cache_root/.ensure-pulumi-cli.lock"
flock 9
if [ ! -x "$bin/pulumi" ] || [ "$("$bin/pulumi" version 2>/dev/null)" != "v$version" ]; then
  on_path=$(command -v pulumi 2>/dev/null || true)
  if [ -n "$on_path" ] && [ "$on_path" != "$bin/pulumi" ] && compatible "$("$on_path" version 2>/dev/null || echo none)"; then
    log "using $on_path ($("$on_path" version))"
    ln -sf "$on_path" "$bin/pulumi"
  else
    module_version=$(sed -n 's#^\s*github.com/pulumi/pulumi/pkg/v3 \(v[^ ]*\).*#\1#p' "$repo/tools/pulumi-cli/go.mod")
    if [ "$module_version" != "v$version" ]; then
      log "tools/pulumi-cli/go.mod builds pulumi $module_version but @pulumi/pulumi is $version: run" \
          "'cd tools/pulumi-cli && go get -tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version'"
      exit 1
    fi
    command -v go >/dev/null || { log "Go is needed to build the Pulumi CLI (apt-get install golang, or go.dev)"; exit 1; }
    log "building pulumi v$version from the Go module proxy into $bin (first time only, a few minutes)"
    started=$(date +%s)
    (cd "$repo/tools/pulumi-cli" && go build -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
    mv "$bin/pulumi.tmp" "$bin/pulumi"
    log "built in $(( $(date +%s) - started )) s"
  fi
fi
# Language hosts run a project's program (`runtime: nodejs` and so on); the CLI looks for them beside
# itself first. An official install ships them beside `pulumi`: those are used when our `pulumi` is
# that one. Otherwise they are built from source: Node.js, Python and Go from Pulumi's sources kept
# in ../shared/third_party/pulumi-language-hosts (the Go module proxy refuses those three modules),
# YAML and Java from the Go module proxy through tools/pulumi-language-yaml and
# tools/pulumi-language-java. Besides running programs, a host generates its language's SDK
# (`pulumi package gen-sdk --language <lang>`) and the code `pulumi import` prints; the CLI warns
# "using pulumi-language-<lang> from $PATH" unless the host is beside it.
hosts_src=${PULUMI_LANGUAGE_HOSTS_SRC:-$repo/../shared/third_party/pulumi-language-hosts}
cli_dir=$(dirname "$(readlink -f "$bin/pulumi")")
for lang in nodejs python yaml go java; do
  host="$bin/pulumi-language-$lang"
  [ -x "$host" ] && continue
  if [ "$cli_dir" != "$bin" ] && [ -x "$cli_dir/pulumi-language-$lang" ]; then
    log "using $cli_dir/pulumi-language-$lang"
    ln -sf "$cli_dir/pulumi-language-$lang" "$host"
    continue
  fi
  command -v go >/dev/null || { log "Go is needed to build pulumi-language-$lang (apt-get install golang, or go.dev)"; exit 1; }
  started=$(date +%s)
  if [ "$lang" = yaml ] || [ "$lang" = java ]; then
    case $lang in
      yaml) main=github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml ;;
      java) main=github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java ;;
    esac
    log "building pulumi-language-$lang from the Go module proxy into $bin (first time only)"
    (cd "$repo/tools/pulumi-language-$lang" && go build -trimpath -ldflags "-s -w" -o "$host.tmp" "$main")
    mv "$host.tmp" "$host"
  else
    [ -f "$hosts_src/build.sh" ] || { log "no sources for pulumi-language-$lang at $hosts_src (set PULUMI_LANGUAGE_HOSTS_SRC)"; exit 1; }
    log "building pulumi-language-$lang from $hosts_src into $bin (first time only)"
    bash "$hosts_src/build.sh" "$bin" "$lang" >&2
  fi
  log "pulumi-language-$lang ready in $(( $(date +%s) - started )) s"
done

# pulumi-language-python runs programs through the `pulumi-language-python-exec` script beside it
# (without it, it exits at start). The script is part of the sdk/v3 Go module the CLI is built from.
exec_script="$bin/pulumi-language-python-exec"
if [ -x "$bin/pulumi-language-python" ] && [ ! -x "$exec_script" ]; then
  sdk_dir=$(cd "$repo/tools/pulumi-cli" && go mod download -json github.com/pulumi/pulumi/sdk/v3 | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  [ -f "$sdk_dir/python/cmd/pulumi-language-python-exec" ] || { log "no python/cmd/pulumi-language-python-exec in the sdk/v3 module ($sdk_dir)"; exit 1; }
  install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$exec_script"
  log "pulumi-language-python-exec copied from $sdk_dir"
fi

# The engine looks for provider plugins beside the CLI and on PATH; the dynamic-provider plugin is a
# script shipped inside @pulumi/pulumi that resolves the SDK from the program's directory.
install -m 0755 "$plugin_src" "$bin/pulumi-resource-pulumi-nodejs"
echo "$bin"
