#!/usr/bin/env bash
# Build gaigen as a stand-alone folder (PyInstaller one-folder) that runs on a machine without Python:
# unzip it and double-click gaigen (gaigen.exe on Windows), which starts `gaigen app`; from a terminal
# every command works as usual (`gaigen/gaigen validate 2024.yaml`).
#
#   scripts/build_bundle.sh [dist-folder]      # default: dist → dist/gaigen/ and dist/gaigen-<os>-<arch>.zip
#
# The same script is meant for Windows (Git Bash, with PYTHON=py); only the Linux x86_64 build has been
# made and smoke-tested (scripts/smoke_bundle.sh). PyInstaller builds for the system it runs on.
#
# The build environment may hold the test tools (CI builds in the venv the tests ran in); their
# PyInstaller hooks would pull mypy and hypothesis in through pydantic's plugins: left out.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
dist="${1:-dist}"
work="build/pyinstaller"

"$python" -m pip install -q --disable-pip-version-check -c constraints.txt -e . "pyinstaller>=6.0"
"$python" -m PyInstaller --noconfirm --clean --log-level WARN --onedir --name gaigen \
  --distpath "$dist" --workpath "$work" --specpath "$work" \
  --collect-data gaigen \
  --collect-submodules gaigen \
  --collect-submodules uvicorn \
  --collect-data docx \
  --collect-data docxtpl \
  --collect-data opencc \
  --exclude-module tkinter \
  --exclude-module mypy --exclude-module ast_serialize --exclude-module hypothesis \
  --exclude-module pytest --exclude-module _pytest --exclude-module pluggy \
  scripts/bundle_entry.py

platform="$("$python" -c 'import platform; print(f"{platform.system().lower()}-{platform.machine().lower()}")')"
archive="$dist/gaigen-$platform.zip"
rm -f "$archive"
"$python" -c 'import shutil, sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2], "gaigen")' "$archive" "$dist"
echo "built $dist/gaigen ($(du -sh "$dist/gaigen" | cut -f1)) and $archive ($(du -sh "$archive" | cut -f1))"
