#!/usr/bin/env bash
# Rewrite constraints.txt from a fresh virtual environment with the newest releases that
# pyproject.toml allows. Run it on purpose, run the tests, and commit the result with the diff read.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$(mktemp -d)/venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check ".[test]" "pyinstaller>=6.0"  # pyinstaller: scripts/build_bundle.sh
{
  sed -n '1,3p' constraints.txt
  "$venv/bin/python" -m pip freeze --exclude-editable | grep -v '^gaigen'
} > constraints.txt.new
mv constraints.txt.new constraints.txt
git diff --stat constraints.txt || true
