"""The README stays true: two quick-start commands that work, every command and rule documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from gaigen.cli.commands import app, main
from gaigen.rules import RULES
from scripts.check_readme import quick_start_commands

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_has_two_commands() -> None:
    install_and_render, test = quick_start_commands(README)
    assert install_and_render.startswith("python3 -m pip install -c constraints.txt . && gaigen render examples/")
    assert test == "bash scripts/test.sh"
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_quick_start_render_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command = quick_start_commands(README)[0].split("&& gaigen ", 1)[1].split()
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    command[command.index("-o") + 1] = str(out)
    assert main(command) == 0
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".txt"]


def test_every_command_is_documented() -> None:
    commands = [c.name for c in typer.main.get_command(app).commands.values() if not c.hidden]  # type: ignore[attr-defined]
    for name in commands:
        assert f"`gaigen {name}`" in README, name


def test_every_rule_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"^\| ([A-Z][A-Za-z0-9]*-\d+) \|", README, re.M))
    assert documented == set(RULES)
    for rule in RULES.values():
        row = re.search(rf"^\| {re.escape(rule.id)} \| ([EW]) \|", README, re.M)
        assert row and row.group(1) == ("E" if rule.severity.value == "error" else "W"), rule.id


def test_readme_shows_what_validate_says_about_the_invalid_example(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    block = README.split("$ gaigen validate examples/invalid-seed003-yichun-2020.yaml\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    assert main(["validate", "examples/invalid-seed003-yichun-2020.yaml"]) == 1
    assert capsys.readouterr().out == block


def test_readme_states_the_input_limits_links_and_existing_outputs() -> None:
    """Issue 17 rows 12 and 13: the limits, the link policy and the rule for existing outputs."""
    section = README.split("## 输入文件的限制", 1)[1].split("\n## ", 1)[0]
    for limit in ("2 MB", "8 MB", "20 MB", "符号链接", "FIFO"):
        assert limit in section, limit
    codes = README.split("### 退出码", 1)[1].split("\n## ", 1)[0]
    assert "已有的输出文件" in codes and "--force" in codes
