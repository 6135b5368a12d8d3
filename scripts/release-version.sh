#!/usr/bin/env bash
# The release's version, checked against the tag being released: prints package.json's version
# when the tag is exactly v<that version>, and fails otherwise. The release workflow runs it first,
# so a tag that does not match package.json publishes nothing.
#
#   bash scripts/release-version.sh v0.1.0        # prints 0.1.0, or fails naming both
#   bash scripts/release-version.sh                # the tag from $GITHUB_REF_NAME
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tag=${1:-${GITHUB_REF_NAME:-}}
version=$(node -p "require('$repo/package.json').version")
if [ -z "$tag" ]; then
  echo "release-version: no tag given (an argument, or GITHUB_REF_NAME)" >&2
  exit 2
fi
if [ "$tag" != "v$version" ]; then
  echo "release-version: the tag is $tag but package.json's version is $version (expected the tag v$version)" >&2
  exit 1
fi
echo "$version"
