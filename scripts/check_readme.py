"""Run the README's first quick-start command as a new user would: fresh venv, clean copy.

CI calls this after the tests, so "one command installs and renders a shipped example" stays
true on a fresh machine. Prints what it did; exits non-zero when the command fails or writes
no report.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands(readme: str) -> list[str]:
    """Return the shell commands of the README's 快速开始 section, in order."""
    section = readme.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def main() -> int:
    commands = quick_start_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    if len(commands) != 2:
        print(f"README 快速开始应恰有两条命令，实有 {len(commands)} 条")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "gaigen"
        shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(".git", "*.egg-info", "__pycache__", "out", ".venv"))
        venv = Path(folder) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
        command = commands[0].replace("python3 ", f"{venv / 'bin' / 'python3'} ", 1)
        print(f"$ {commands[0]}")
        done = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True)
        print(done.stdout[-2000:], done.stderr[-2000:])
        reports = sorted((work / "out").glob("*.docx")) if (work / "out").is_dir() else []
        if done.returncode != 0 or not reports:
            print(f"快速开始第一条命令失败（退出码 {done.returncode}）")
            return 1
        print("生成：", ", ".join(p.name for p in sorted((work / "out").iterdir())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
