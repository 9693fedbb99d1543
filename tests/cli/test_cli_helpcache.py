"""Help screens from the cache (gaigen.cli.helpcache): the same text as typer's, without loading typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gaigen.cli import helpcache
from gaigen.cli.commands import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GAIGEN_CACHE_DIR", str(tmp_path))
    return tmp_path


@pytest.mark.skipif(os.name == "nt", reason="no help cache on Windows")
@pytest.mark.parametrize("args", [["--help"], ["render", "--help"], ["batch", "-h"]])
def test_a_help_screen_shown_once_is_served_as_shown(
    cache: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert helpcache.cached(args) is None
    assert main(list(args)) == 0
    shown = capsys.readouterr().out
    assert "用法：" in shown
    assert helpcache.cached(args) == shown
    assert len(list(cache.glob("help-*.txt"))) == 1


@pytest.mark.skipif(os.name == "nt", reason="no help cache on Windows")
def test_no_help_screen_is_kept_for_a_command_that_runs(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["render", str(cache / "missing.yaml")])
    capsys.readouterr()
    assert list(cache.glob("help-*.txt")) == []
    assert helpcache.cached(["render", str(cache / "missing.yaml")]) is None


def test_the_key_follows_the_arguments_and_the_terminal(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {helpcache._key(["--help"]), helpcache._key(["-h"]), helpcache._key(["render", "--help"])}
    monkeypatch.setenv("COLUMNS", "61")
    keys.add(helpcache._key(["--help"]))
    monkeypatch.setenv("NO_COLOR", "1")
    keys.add(helpcache._key(["--help"]))
    assert len(keys) == 5 and None not in keys
    assert helpcache._key(["--help", "--debug"]) is None


@pytest.mark.skipif(os.name == "nt", reason="no help cache on Windows")
def test_a_new_process_prints_the_cached_screen_without_typer(cache: Path) -> None:
    env = {**os.environ, "GAIGEN_CACHE_DIR": str(cache)}
    first = subprocess.run(
        [sys.executable, "-m", "gaigen", "--help"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert first.returncode == 0 and "用法：" in first.stdout
    no_typer = (
        "import sys; sys.modules['typer'] = None; sys.argv = ['gaigen', '--help']; from gaigen.cli import run; run()"
    )
    second = subprocess.run([sys.executable, "-c", no_typer], cwd=ROOT, env=env, capture_output=True, text=True)
    assert (second.returncode, second.stdout, second.stderr) == (0, first.stdout, "")
