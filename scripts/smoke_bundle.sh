#!/usr/bin/env bash
# Smoke test of the stand-alone build: it renders the shipped example (alone and through batch's worker
# processes), and `gaigen app --no-browser`
# answers an HTTP request (the opening URL sets the cookie, the start page comes back in Chinese).
#
#   scripts/smoke_bundle.sh [dist/gaigen]
set -euo pipefail
cd "$(dirname "$0")/.."
bundle="${1:-dist/gaigen}"
exe="$bundle/gaigen"
[ -x "$exe" ] || exe="$bundle/gaigen.exe"
scratch="$(mktemp -d)"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

cp examples/county-government-2024.yaml "$scratch/"
"$exe" render "$scratch/county-government-2024.yaml" -o "$scratch/out" -f docx,txt,html
stem="$scratch/out/2024年某某县人民政府政府信息公开工作年度报告"
for suffix in docx txt html; do
  test -s "$stem.$suffix" || { echo "render wrote no .$suffix"; exit 1; }
done
grep -q "收到和处理政府信息公开申请情况" "$stem.txt"
echo "render: ok"
"$exe" batch "$scratch/county-government-2024.yaml" -o "$scratch/batch" -j 2 >/dev/null  # worker processes, frozen
test -s "$scratch/batch/汇总.xlsx" && test -s "$scratch/batch/2024年某某县人民政府政府信息公开工作年度报告.docx"
echo "batch: ok"

started=$(date +%s.%N)
"$exe" app --no-browser "$scratch" >"$scratch/app.log" 2>&1 &
app_pid=$!
url=""
for _ in $(seq 1 300); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*/?token=[A-Za-z0-9_-]*' "$scratch/app.log" || true)"
  [ -n "$url" ] && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$scratch/app.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "no URL from gaigen app"; cat "$scratch/app.log"; exit 1; }
ready=$(date +%s.%N)
code="$(curl -s -o /dev/null -w '%{http_code}' -c "$scratch/jar" "$url")"
[ "$code" = 303 ] || { echo "opening URL answered $code"; exit 1; }
page="$(curl -s -b "$scratch/jar" "${url%%\?*}")"
grep -q "新建报告" <<<"$page" || { echo "start page not served"; exit 1; }
denied="$(curl -s -o /dev/null -w '%{http_code}' "${url%%\?*}")"
[ "$denied" = 403 ] || { echo "a request without the token answered $denied"; exit 1; }
echo "app: ok (listening $(python3 -c "print(f'{$ready - $started:.2f}')") s after start)"
echo "size: $(du -sh "$bundle" | cut -f1)"
