"""The layers hold: each package imports only from those below it (import-linter's contract).

The contract lives in pyproject.toml; the test command runs ``lint-imports`` on the tree. These tests
show the contract is kept, and that it breaks when someone adds an upward import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "gaigen", tmp_path / "gaigen", ignore=shutil.ignore_patterns("__pycache__", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_the_layers(tmp_path: Path) -> None:
    done = _lint(_copy(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("spec/layout.py", "gaigen.core.report"),  # the spec knows nothing of reports
        ("core/report.py", "gaigen.files.source"),  # the model knows nothing of files
        ("rules/table3.py", "gaigen.render.context"),  # rules and renderers are siblings
        ("render/word.py", "gaigen.api.reports"),  # a renderer does not call the library functions
        ("api/reports.py", "gaigen.batch.run"),  # nor they the batch
    ],
)
def test_an_upward_import_breaks_the_contract(module: str, upward: str, tmp_path: Path) -> None:
    root = _copy(tmp_path)
    with (root / "gaigen" / module).open("a", encoding="utf-8") as handle:
        handle.write(f"\nimport {upward}  # an upward import\n")
    done = _lint(root)
    assert done.returncode == 1, done.stdout
    assert "BROKEN" in done.stdout and upward in done.stdout
