"""The command line's usage errors, help, ``init`` safety, ``validate --json`` and internal errors.

Every command runs in-process through ``gaigen.cli.commands.main`` in an empty temporary folder, which
is also checked for files the command should not have written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer

from gaigen.api import reports as api
from gaigen.cli.commands import app, main
from gaigen.spec.datafile import PLACEHOLDER

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parents[1] / "data"
INTERNAL = "内部错误（RuntimeError）：这是 gaigen 的缺陷，请加 --debug 重新运行并报告输出。\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, and a fixed terminal width for the help screens."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --- usage errors: one Chinese line on stderr, exit 2, nothing written ------------------------------

USAGE_ERRORS = {
    "unknown-command": (
        ["frobnicate"],
        "没有命令“frobnicate”。可用的命令：aggregate、app、batch、check、convert、fonts、import、init、render、review、schema、validate。运行 gaigen --help 查看用法。",
    ),
    "unknown-option": (["validate", "--frob", "x.yaml"], "没有选项 --frob。运行 gaigen validate --help 查看用法。"),
    "unknown-top-option": (["--version"], "没有选项 --version。运行 gaigen --help 查看用法。"),
    "leading-dash-file": (["validate", "-x.yaml"], "没有选项 -x。运行 gaigen validate --help 查看用法。"),
    "missing-argument": (
        ["validate"],
        "缺少一个或多个数据文件（.yaml / .yml / .json）或工作簿（.xlsx）。运行 gaigen validate --help 查看用法。",
    ),
    "missing-required-option": (["init"], "缺少选项 --year（报告年度，如 2024）。运行 gaigen init --help 查看用法。"),
    "missing-option-value": (["init", "--year"], "选项 --year 用法不对：缺少值。运行 gaigen init --help 查看用法。"),
    "missing-agency": (
        ["init", "--year", "2024"],
        "请用 --agency 给出机关名称，如：gaigen init --year 2024 --agency 某某县交通运输局",
    ),
    "year-not-a-number": (
        ["init", "--year", "abc", "--agency", "测试局"],
        "--year 的值不对：应为整数。运行 gaigen init --help 查看用法。",
    ),
    "year-too-early": (
        ["init", "--year", "2018", "--agency", "测试局"],
        "--year 为 2018，gaigen 只支持 2019 至 2100 年度的报告。",
    ),
    "level-unknown": (
        ["init", "--year", "2024", "--agency", "测试局", "--level", "局"],
        "--level 只能是“部门”或“政府”。",
    ),
    "edition-unknown": (["schema", "--edition", "2022"], "--edition 只能是 2019 或 2021。"),
    "output-folder-missing": (
        ["init", "--year", "2024", "--agency", "测试局", "-o", "没有/x.yaml"],
        "没有：输出文件夹不存在。请先创建该文件夹，或用 -o 指定其他位置。",
    ),
}


@pytest.mark.parametrize("name", sorted(USAGE_ERRORS))
def test_usage_error(name: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args, expected = USAGE_ERRORS[name]
    code, out, err = run(args, capsys)
    assert (code, out, err) == (2, "", expected + "\n")
    assert listing(folder) == []


def test_year_too_late_names_the_upper_limit(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(["init", "--year", "2101", "--agency", "测试局"], capsys)
    assert code == 2
    assert "2100" in err


def test_no_arguments_prints_help_only(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([], capsys)
    assert code == 0  # asking for nothing is not a content error (exit 1)
    assert "用法：gaigen [选项] 命令 [参数]..." in out
    assert "命令用法不对：。" not in err
    assert err == ""


def test_missing_option_value_points_to_command_help(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(["validate", "a.yaml", "--previous"], capsys)
    assert code == 2
    assert err == "选项 --previous 用法不对：缺少值。运行 gaigen validate --help 查看用法。\n"


def test_run_exits_with_the_code(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gaigen.cli import run as console_script

    monkeypatch.setattr("sys.argv", ["gaigen", "frobnicate"])
    with pytest.raises(SystemExit) as stopped:
        console_script()
    assert stopped.value.code == 2
    assert "没有命令“frobnicate”" in capsys.readouterr().err


# --- help ---------------------------------------------------------------------------------------

COMMANDS = sorted(name for name, command in typer.main.get_command(app).commands.items() if not command.hidden)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_chinese(command: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [command, "--help"] if command else ["--help"]
    code, out, err = run(args, capsys)
    assert (code, err) == (0, "")
    assert f"用法：gaigen {command}".rstrip() in out
    for english in ("Usage:", "Show this message", "Options", "Arguments", "Commands", "[default", "[required]"):
        assert english not in out
    if command:
        docstring = typer.main.get_command(app).commands[command].help  # type: ignore[attr-defined]
        assert docstring and re.search(r"[\u4e00-\u9fff]", docstring)
        assert docstring.split("：")[0] in out
    assert listing(folder) == []


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_short_help_option(command: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run([command, "-h"] if command else ["-h"], capsys)
    assert code == 0
    assert "显示本帮助并退出。" in out


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_fits_80_columns_without_cutting(
    command: str, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _code, out, _err = run([command, "--help"] if command else ["--help"], capsys)
    sources = "".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "gaigen" / "cli").glob("*.py")))
    metavars = re.findall(r"metavar=\"([^\"]*…)\"", sources)
    for metavar in [*metavars, "文件…"]:  # a metavar such as 报告… ends in …; a cut line would too
        out = out.replace(metavar, "")
    assert "…" not in out
    assert "COMMAND" not in out and "ARGS" not in out


def test_help_names_workbooks_where_a_data_file_is_asked_for(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("validate", "render"):
        _code, out, _err = run([command, "--help"], capsys)
        assert ".xlsx" in out, command


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_english_placeholders(command: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run([command, "--help"], capsys)
    assert not re.search(r"\[OPTIONS\]|<bool>|<str>|<int>|<path>|list\[Path\]|\{file", out)


# --- init ---------------------------------------------------------------------------------------


def test_init_refuses_to_overwrite(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = folder / "2024年测试局.yaml"
    target.write_bytes("机关名称: 已填写的内容\n".encode())
    code, out, err = run(["init", "--year", "2024", "--agency", "测试局"], capsys)
    assert (code, out) == (2, "")
    assert (
        err
        == "2024年测试局.yaml：文件已存在，且不是 gaigen 写出后原样未动的文件（可能已填写或修改过），为免覆盖，没有写入。请换一个文件名或输出位置，或加 --force 覆盖。\n"
    )
    assert target.read_bytes() == "机关名称: 已填写的内容\n".encode()
    assert listing(folder) == ["2024年测试局.yaml"]


def test_init_refuses_to_overwrite_output(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = folder / "报告.yaml"
    target.write_bytes(b"x\n")
    code, _out, err = run(["init", "--year", "2024", "--agency", "测试局", "-o", "报告.yaml"], capsys)
    assert code == 2
    assert err.startswith("报告.yaml：文件已存在")
    assert target.read_bytes() == b"x\n"


def test_init_force_overwrites(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = folder / "2024年测试局.yaml"
    target.write_bytes(b"old\n")
    code, out, err = run(["init", "--year", "2024", "--agency", "测试局", "--force"], capsys)
    assert (code, err) == (0, "")
    assert out == (
        "已生成 2024年测试局.yaml（2024 年度，2021 版式）。\n"
        "下一步：填写各表数字和文字部分，然后运行 gaigen validate 2024年测试局.yaml\n"
    )
    assert target.read_text(encoding="utf-8") == api.init_data_file(2024, "测试局")
    assert listing(folder) == ["2024年测试局.yaml"]  # no temp file left behind


def _fill_placeholders(text: str) -> str:
    """Replace every placeholder line ``init`` wrote with a sentence, and set 发布日期."""
    lines = []
    for line in text.splitlines():
        if PLACEHOLDER in line and not line.lstrip().startswith("#"):
            line = line[: len(line) - len(line.lstrip())] + "本年度按照条例要求认真做好这方面的工作。"
        if line.startswith("# 发布日期:"):
            line = line[2:]
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("year", "edition"), [(2024, "2021"), (2020, "2019")])
def test_init_output_validates_once_filled(
    year: int, edition: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"{year}年测试局.yaml"
    code, out, _err = run(["init", "--year", str(year), "--agency", "测试局"], capsys)
    assert code == 0
    assert out.startswith(f"已生成 {name}（{year} 年度，{edition} 版式）。")

    code, out, _err = run(["validate", name], capsys)
    assert code == 1, "the placeholders must block the report"
    assert out.splitlines()[-1] == f"{name}：6 个错误，1 个提示。请改正错误后再生成报告。"

    path = folder / name
    path.write_text(_fill_placeholders(path.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = run(["validate", name], capsys)
    assert (code, out, err) == (0, f"{name}：检查通过，可以生成报告。\n", "")


# --- validate --json ----------------------------------------------------------------------------


def test_validate_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for case in ("count-negative", "unknown-key-did-you-mean"):
        (folder / f"{case}.yaml").write_bytes((DATA / case / "data.yaml").read_bytes())
    code, out, err = run(
        ["validate", "--json", "count-negative.yaml", "unknown-key-did-you-mean.yaml", "无.yaml"], capsys
    )
    assert (code, err) == (2, "")  # the worst of: content problems (1), missing file (2)
    records = json.loads(out)
    assert [r["file"] for r in records] == ["count-negative.yaml", "unknown-key-did-you-mean.yaml", "无.yaml"]

    first = records[0]
    assert (first["ok"], first["edition"], first["errors"], first["warnings"]) == (False, "2021", 1, 0)
    (problem,) = first["problems"]
    assert (problem["rule"], problem["severity"], problem["line"]) == ("T4-4", "error", 88)
    assert (problem["table"], problem["row"], problem["col_label"], problem["found"]) == (
        "表四",
        "行政复议",
        "结果纠正",
        "-1",
    )
    assert (
        problem["message"]
        == "count-negative.yaml 第 88 行：表四“行政复议”行“结果纠正”列为 -1，但数量不能为负数（T4-4）。请填写 0 或正整数。"
    )

    rules = [(p["rule"], p["line"]) for p in records[1]["problems"]]
    assert rules == [("T0-1", 88), ("K-1", 88)]
    for record in records[:2]:
        for p in record["problems"]:
            assert {"rule", "line", "column", "message", "severity", "file"} <= set(p)
            assert p["message"].startswith(f"{record['file']} 第 {p['line']} 行：")

    assert records[2] == {
        "file": "无.yaml",
        "ok": False,
        "fatal": "无.yaml：找不到这个文件。请检查文件名和所在文件夹。",
        "problems": [],
    }


def test_validate_json_clean(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "data.yaml").write_bytes((DATA / "valid-2020" / "data.yaml").read_bytes())
    code, out, _err = run(["validate", "data.yaml", "--json"], capsys)
    assert code == 0
    assert json.loads(out) == [
        {"file": "data.yaml", "ok": True, "edition": "2019", "errors": 0, "warnings": 0, "problems": []}
    ]


def test_validate_several_files_takes_the_worst_code(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "ok.yaml").write_bytes((DATA / "valid-2020" / "data.yaml").read_bytes())
    (folder / "bad.yaml").write_bytes((DATA / "count-negative" / "data.yaml").read_bytes())
    code, out, _err = run(["validate", "ok.yaml", "bad.yaml"], capsys)
    assert code == 1
    assert out.splitlines() == [
        "ok.yaml：检查通过，可以生成报告。",
        "错误：bad.yaml 第 88 行：表四“行政复议”行“结果纠正”列为 -1，但数量不能为负数（T4-4）。请填写 0 或正整数。",
        "bad.yaml：1 个错误，0 个提示。请改正错误后再生成报告。",
    ]


# --- internal errors ----------------------------------------------------------------------------


def _boom(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("boom")


def test_internal_error_is_one_chinese_line(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(api, "validate_file", _boom)
    code, out, err = run(["validate", "x.yaml"], capsys)
    assert (code, out, err) == (3, "", INTERNAL)


def test_internal_error_traceback_with_debug(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(api, "validate_file", _boom)
    code, out, err = run(["validate", "x.yaml", "--debug"], capsys)
    assert (code, out) == (3, "")
    assert err.startswith(INTERNAL)
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().endswith("RuntimeError: boom")
