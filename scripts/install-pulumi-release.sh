#!/usr/bin/env bash
# Installs Pulumi's official CLI build at our @pulumi/pulumi's version (from package-lock.json)
# into DIR (default $RUNNER_TEMP, else a temporary folder), checked against the checksums of
# Pulumi's GitHub release, and prints the folder holding `pulumi` and its language hosts; on GitHub
# Actions it also adds that folder to $GITHUB_PATH. The workflows run it before ./run.sh:
# scripts/ensure-pulumi-cli.sh uses a compatible `pulumi` on PATH and the language hosts beside it,
# instead of building the Node.js and Python hosts from sources a plain checkout does not have.
# Linux x64 only (GitHub's ubuntu runners).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-${RUNNER_TEMP:-$(mktemp -d)}}
version=$(node -p "require('$repo/package-lock.json').packages['node_modules/@pulumi/pulumi'].version")
archive="pulumi-v$version-linux-x64.tar.gz"
mkdir -p "$dir"
curl -fsSL --retry 3 -o "$dir/$archive" "https://get.pulumi.com/releases/sdk/$archive"
curl -fsSL --retry 3 -o "$dir/pulumi-$version-checksums.txt" \
  "https://github.com/pulumi/pulumi/releases/download/v$version/pulumi-$version-checksums.txt"
(cd "$dir" && grep " $archive\$" "pulumi-$version-checksums.txt" | sha256sum -c - >&2)
tar -xzf "$dir/$archive" -C "$dir"
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$dir/pulumi" >> "$GITHUB_PATH"
fi
echo "$dir/pulumi"
