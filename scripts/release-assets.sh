#!/usr/bin/env bash
# Every file a release publishes, as `npm run dist` writes them into dist/, one path a line; fails
# naming each one that is missing. The release workflow runs it after `npm run dist` (so a missing
# artifact stops the release before anything is published) and takes the GitHub release's assets
# from it.
#
#   bash scripts/release-assets.sh [--kind KIND] DIST VERSION
#
# KIND picks one group (default: all of them):
#   npm      the dynamic provider's npm package (npm publish)
#   nodejs   the generated Node.js SDK, @oss-encryption/pulumi (npm publish)
#   plugin   the provider plugin per platform and the checksums (GitHub release)
#   python   the Python SDK's wheel and sdist (PyPI)
#   java     the Java SDK's jar and pom (GitHub release)
#   github   what the GitHub release carries: plugin, npm, nodejs, python and java
set -euo pipefail
kind=all
if [ "${1:-}" = --kind ]; then kind=$2; shift 2; fi
[ $# = 2 ] || { echo "usage: release-assets.sh [--kind KIND] DIST VERSION" >&2; exit 2; }
dist=${1%/}
v=$2

group() {
  case "$1" in
    npm) echo "$dist/pulumi-oss-encryption-$v.tgz" ;;
    nodejs) echo "$dist/nodejs/oss-encryption-pulumi-$v.tgz" ;;
    plugin)
      for platform in linux-amd64 linux-arm64 darwin-amd64 windows-amd64; do
        echo "$dist/pulumi-resource-oss-encryption-v$v-$platform.tar.gz"
      done
      echo "$dist/pulumi-oss-encryption_${v}_checksums.txt" ;;
    python)
      echo "$dist/python/pulumi_oss_encryption-$v-py3-none-any.whl"
      echo "$dist/python/pulumi_oss_encryption-$v.tar.gz" ;;
    java)
      echo "$dist/java/pulumi-oss-encryption-$v.jar"
      echo "$dist/java/pulumi-oss-encryption-$v.pom" ;;
    github|all) for k in plugin npm nodejs python java; do group "$k"; done ;;
    *) echo "release-assets: unknown kind $1" >&2; return 2 ;;
  esac
}

files=$(group "$kind")
missing=0
while IFS= read -r file; do
  if [ ! -f "$file" ]; then
    echo "release-assets: missing $file (npm run dist writes it)" >&2
    missing=$((missing + 1))
  fi
done <<<"$files"
if [ "$missing" != 0 ]; then
  echo "release-assets: $missing of $(wc -l <<<"$files") release files missing from $dist" >&2
  exit 1
fi
echo "$files"
