#!/usr/bin/env bash
# Non-blocking: install the newest releases pyproject.toml allows (ignoring constraints.txt) into a
# throw-away environment, say which versions differ from constraints.txt, and run the tests. It
# exits 0 whatever happens, so nobody's work waits on a dependency's release: read its report.
set -uo pipefail
cd "$(dirname "$0")/.."
venv="$(mktemp -d)/venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]" || { echo "安装最新版本失败"; exit 0; }
echo "与 constraints.txt 不同的版本："
"$venv/bin/python" -m pip freeze --exclude-editable | grep -v '^gaigen' | sort > "$venv/latest.txt"
grep -v '^#' constraints.txt | sort | diff - "$venv/latest.txt" | grep '^[<>]' || echo "（无）"
if "$venv/bin/python" -m pytest -q -p no:cacheprovider -x; then
  echo "最新版本下测试通过。"
else
  echo "最新版本下测试失败：见上面的输出，更新 constraints.txt 前先修好。"
fi
exit 0
