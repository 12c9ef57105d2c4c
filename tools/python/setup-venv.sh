#!/usr/bin/env bash
# Creates (or updates) the virtual environment .build/venv with the pinned Python tools of
# tools/python/requirements.txt. Idempotent: a stamp of the requirements file's hash skips pip
# when nothing changed. Prints the venv's bin folder.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=.build/venv
requirements=tools/python/requirements.txt
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
# The system interpreter when there is one: the backup drill's PostgreSQL runs as the
# `postgres` user and calls the venv's barman-cloud-wal-archive, which cannot start from an
# interpreter under a private home folder (pyenv's, in /root/.pyenv, is unreadable to others).
python="$(command -v python3)"
[ -x /usr/bin/python3 ] && python=/usr/bin/python3

if [ -x "$venv/bin/python" ] && [ "$(readlink -f "$venv/bin/python")" != "$(readlink -f "$python")" ]; then
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --requirement "$requirements"
  echo "$want" >"$stamp"
fi
echo "$PWD/$venv/bin"
