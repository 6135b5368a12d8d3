#!/usr/bin/env bash
# Creates (once per machine) a Python virtual environment with the packages in
# tests/emulator/python/requirements.txt, in a cache outside the clone keyed by that file's content, and
# prints the venv's directory as the last line of stdout. Used by the tests that drive the emulator
# with Alibaba Cloud's Python SDKs and run Pulumi Python programs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
requirements="$repo/tests/emulator/python/requirements.txt"
. "$repo/scripts/cache-root.sh"
python=${PYTHON:-python3}
key=$( (cat "$requirements"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-12)
venv="$cache_root/venv-$key"

log() { echo "ensure-python-venv: $*" >&2; }

if [ ! -f "$venv/.complete" ]; then
  command -v "$python" >/dev/null || { log "$python is needed (apt-get install python3 python3-venv)"; exit 1; }
  log "creating $venv from tests/emulator/python/requirements.txt (once per machine)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  touch "$venv/.complete"
fi
echo "$venv"
