#!/usr/bin/env bash
# The one rule for where builds and downloads are cached across runs, outside the clone:
# $PULUMI_OSS_ENCRYPTION_CACHE, else $XDG_CACHE_HOME/pulumi-oss-encryption, else
# ~/.cache/pulumi-oss-encryption. Sourced by scripts/ensure-*.sh, which read $cache_root; run
# on its own (as tests/support/standalone.ts does), it prints the folder.
cache_root=${PULUMI_OSS_ENCRYPTION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-oss-encryption}
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "$cache_root"
fi
