#!/usr/bin/env bash
# The README's test command and CI's: install what the tests need, then lint, type-check, test.
# As root on Debian it also installs the system packages the PDF, workbook and HTML tests use
# (LibreOffice, fonts, poppler, Chromium, Java); elsewhere those tests skip with a reason, except
# under CI where they must run.
set -euo pipefail
cd "$(dirname "$0")/.."

system_packages=(libreoffice-writer-nogui python3-uno fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-liberation2 fontconfig poppler-utils)
# The PDF's FangSong (FandolFang, in texlive-lang-chinese: ~70 MB to fetch, ~1 min to install) and Kai faces.
system_packages+=(texlive-lang-chinese fonts-lxgw-wenkai)
# The Excel workbook is opened in LibreOffice Calc; the HTML page in Chromium (selenium) and the Nu HTML
# Checker (npm vnu-jar) runs on Java.
system_packages+=(libreoffice-calc-nogui chromium chromium-driver)
command -v java >/dev/null 2>&1 || system_packages+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || system_packages+=(npm)
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

python3 -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[test]"

# The Nu HTML Checker, once per machine, into a cache folder (tests/render/test_html.py finds it there).
vnu_dir="${XDG_CACHE_HOME:-$HOME/.cache}/gaigen-test/vnu"
if command -v npm >/dev/null 2>&1 && [ ! -f "$vnu_dir/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  mkdir -p "$vnu_dir"
  npm install --prefix "$vnu_dir" --no-audit --no-fund --silent vnu-jar@26.9.27 >/dev/null
fi
python3 -m ruff check gaigen tests scripts benchmarks
python3 -m ruff format --check gaigen tests scripts benchmarks
python3 -m mypy gaigen
python3 -m mypy benchmarks  # the benchmarks import the package and test helpers: a moved name shows here
lint-imports
python3 -m pytest "$@"
