#!/usr/bin/env bash
# The README's test command and CI's: install what the tests need, then lint, type-check, test.
# As root on Debian it also installs the system packages the PDF tests use (LibreOffice, fonts,
# poppler); elsewhere those tests skip with a reason, except under CI where they must run.
set -euo pipefail
cd "$(dirname "$0")/.."

system_packages=(libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-liberation2 fontconfig poppler-utils)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in "${system_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test]"
python3 -m ruff check gaigen tests scripts benchmarks
python3 -m mypy gaigen
python3 -m pytest "$@"
