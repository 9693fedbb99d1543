"""Issue 17: the holes an adversarial corpus found, one test (or more) a row of its table.

Rows that are one ``validate`` of one file live as fixture folders in ``tests/data/`` (see
``make_cli_fixtures.py``, section "issue 17"); the rest are here: round trips, batches, links,
FIFOs, the rule for existing outputs, and the cost of unknown keys.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from gaigen.api import reports as api
from gaigen.cli.commands import main
from gaigen.files.workbook.layout import value_slots
from gaigen.spec.layout import Edition

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
BASE = (DATA / "valid-2024" / "data.yaml").read_text(encoding="utf-8")
GOVERNMENT = BASE.replace("机关名称: 测试局", "机关名称: 某某县人民政府").replace("级别: 部门", "级别: 政府")


def run(args: list[str], where: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(where)
    try:
        code = main(args)
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    return code, out + err


# --- row 2: gaigen's own HTML report imports back and checks clean -------------------------------


def test_own_html_report_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data.yaml").write_text(GOVERNMENT, encoding="utf-8")
    assert run(["render", "data.yaml", "-f", "html", "-o", "out"], tmp_path, capsys)[0] == 0
    html = next((tmp_path / "out").glob("*.html"))
    code, output = run(["check", str(html)], tmp_path, capsys)
    assert "M-1" not in output and "F-1" not in output
    assert code == 0, output
    assert run(["import", str(html), "-o", "back.yaml"], tmp_path, capsys)[0] == 0
    back = (tmp_path / "back.yaml").read_text(encoding="utf-8")
    assert "\n机关名称: 某某县人民政府" in back
    assert "\n级别: 政府" in back


# --- row 3: unknown keys cost linear time ---------------------------------------------------------


def _calls_for_unknown_keys(count: int, tmp_path: Path) -> int:
    path = tmp_path / f"unknown-{count}.yaml"
    path.write_text(BASE + "".join(f"未知键{i}: {i}\n" for i in range(count)), encoding="utf-8")
    profile = cProfile.Profile()
    profile.enable()
    result = api.validate_file(path)
    profile.disable()
    assert sum(p.rule == "K-1" for p in result.problems) == count
    return int(pstats.Stats(profile, stream=io.StringIO()).total_calls)  # type: ignore[attr-defined]


def test_unknown_keys_cost_linear_work(tmp_path: Path) -> None:
    """The number of Python calls (deterministic, unlike time) grows linearly with the unknown keys.

    ``benchmarks/bench_unknown_keys.py`` times 10,000 unknown keys (under a second).
    """
    _calls_for_unknown_keys(0, tmp_path)  # warm: models built, modules imported
    base = _calls_for_unknown_keys(0, tmp_path)
    small = _calls_for_unknown_keys(50, tmp_path) - base
    large = _calls_for_unknown_keys(200, tmp_path) - base
    assert large < 4.4 * small  # 4x the keys: linear gives ~4x, quadratic 16x


# --- row 4: a huge number never gives exit 3 -----------------------------------------------------


def _money_slot() -> tuple[str, int, int]:
    slot = next(s for s in value_slots(Edition.E2021) if s.path and s.path[-1] == "本年收费金额（单位：万元）")
    return slot.sheet, slot.row, slot.col


def test_workbook_money_1e300_is_a_content_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data.yaml").write_text(BASE, encoding="utf-8")
    assert run(["convert", "data.yaml", "-o", "data.xlsx"], tmp_path, capsys)[0] == 0
    book = openpyxl.load_workbook(tmp_path / "data.xlsx")
    sheet, row, col = _money_slot()
    book[sheet].cell(row, col).value = 1e300
    book.save(tmp_path / "data.xlsx")
    code, output = run(["validate", "data.xlsx"], tmp_path, capsys)
    assert code == 1, output
    assert "数字位数过多" in output and f"{sheet}!" in output


def test_aggregate_and_batch_with_a_huge_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "a.yaml").write_text(BASE, encoding="utf-8")
    huge = BASE.replace("{自然人: 0,", "{自然人: " + "7" * 5000 + ",", 1)
    (folder / "b.yaml").write_text(huge.replace("测试局", "测试二局"), encoding="utf-8")
    code, output = run(["aggregate", "parts", "-a", "某某县人民政府", "-o", "sum.yaml"], tmp_path, capsys)
    assert code in (1, 2), output
    assert "b.yaml" in output and "内部错误" not in output
    code, output = run(["batch", "parts", "-o", "out", "-f", "txt"], tmp_path, capsys)
    assert code == 1, output
    assert "b.yaml" in output and "数字位数过多" in output and "缺陷" not in output


# --- row 5: a batch does not follow a link out of its input folder ---------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="needs symlinks")
def test_batch_skips_links_leaving_the_input_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:*:20228:0:99999:7:::\n", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text(BASE, encoding="utf-8")
    (folder / "shadow.yaml").symlink_to(secret)
    (folder / "inside.yaml").symlink_to(folder / "a.yaml")  # stays inside: read (and then a duplicate of a.yaml)
    code, output = run(["batch", "in", "-o", "out", "-f", "txt"], tmp_path, capsys)
    assert "root:" not in output
    for summary in (tmp_path / "out").glob("汇总.*"):
        if summary.suffix == ".csv":
            assert "root:" not in summary.read_text(encoding="utf-8-sig")
        else:
            with zipfile.ZipFile(summary) as archive:
                assert not any(b"root:" in archive.read(name) for name in archive.namelist())
    assert "shadow.yaml" in output and "链接" in output
    assert code in (0, 1)


# --- row 6: a FIFO is refused at once ------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_validate_on_a_fifo_returns(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "gaigen", "validate", "pipe.yaml"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "pipe.yaml：不是普通文件" in result.stdout.decode("utf-8") + result.stderr.decode("utf-8")


# --- row 7: the largest money value accepted is printed whole -----------------------------------


def test_largest_money_is_printed_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    value = "9" * 18 + "." + "9" * 18  # the most gaigen.core.numbers accepts (a T2-2 warning past 6 places)
    text = BASE.replace("本年收费金额（单位：万元）: 0", f"本年收费金额（单位：万元）: {value}")
    (tmp_path / "data.yaml").write_text(text, encoding="utf-8")
    assert run(["render", "data.yaml", "-f", "txt,html", "-o", "out"], tmp_path, capsys)[0] == 0
    for report in (tmp_path / "out").iterdir():
        assert value in report.read_text(encoding="utf-8"), report.name
    bigger = text.replace(value, "9" + value)
    (tmp_path / "data.yaml").write_text(bigger, encoding="utf-8")
    code, output = run(["validate", "data.yaml"], tmp_path, capsys)
    assert code == 1 and "数字位数过多" in output


# --- row 11: an input that is the output folder is named as such ---------------------------------


def test_batch_says_the_output_folder_is_not_searched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.yaml").write_text(BASE, encoding="utf-8")
    code, output = run(["batch", "out", "-o", "out"], tmp_path, capsys)
    assert code == 2
    assert "out：这是输出文件夹" in output


# --- row 12: one rule for existing outputs ---------------------------------------------------------


def _edit_docx(path: Path) -> None:
    """Change the report's text as a clerk in Word would."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace("测试局".encode(), "测试局（手改）".encode(), 1)
            target.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def test_render_keeps_a_hand_edited_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data.yaml").write_text(BASE, encoding="utf-8")
    assert run(["render", "data.yaml", "-o", "out"], tmp_path, capsys)[0] == 0
    code, output = run(["render", "data.yaml", "-o", "out"], tmp_path, capsys)
    assert code == 0, output  # untouched outputs: replaced silently
    docx = next((tmp_path / "out").glob("*.docx"))
    txt = docx.with_suffix(".txt")
    _edit_docx(docx)
    edited = docx.read_bytes()
    txt_before = txt.read_bytes()
    txt.write_bytes(b"")  # the txt is gone: a missing output is fine; an edited one is not
    txt.unlink()
    code, output = run(["render", "data.yaml", "-o", "out"], tmp_path, capsys)
    assert code == 2, output
    assert docx.name in output and "--force" in output
    assert docx.read_bytes() == edited
    assert not txt.exists()  # nothing written when one output is refused
    code, output = run(["render", "data.yaml", "-o", "out", "--force"], tmp_path, capsys)
    assert code == 0, output
    assert docx.read_bytes() != edited and txt.read_bytes() == txt_before


def test_batch_summary_refuses_a_foreign_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "s.xlsx").write_bytes(b"a clerk's own workbook")
    code, output = run(["batch", "a.yaml", "-o", "out", "-f", "txt", "--summary", "s.xlsx"], tmp_path, capsys)
    assert code == 2, output
    assert "s.xlsx" in output and "--force" in output
    assert (tmp_path / "s.xlsx").read_bytes() == b"a clerk's own workbook"
    assert (
        run(["batch", "a.yaml", "-o", "out", "-f", "txt", "--summary", "s.xlsx", "--force"], tmp_path, capsys)[0] == 0
    )
    assert run(["batch", "a.yaml", "-o", "out", "-f", "txt", "--summary", "s.xlsx"], tmp_path, capsys)[0] == 0


def test_batch_keeps_a_hand_edited_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.yaml").write_text(BASE, encoding="utf-8")
    assert run(["batch", "a.yaml", "-o", "out"], tmp_path, capsys)[0] == 0
    assert run(["batch", "a.yaml", "-o", "out"], tmp_path, capsys)[0] == 0
    docx = next((tmp_path / "out").glob("*.docx"))
    _edit_docx(docx)
    edited = docx.read_bytes()
    code, output = run(["batch", "a.yaml", "-o", "out"], tmp_path, capsys)
    assert code == 1, output
    assert "--force" in output
    assert docx.read_bytes() == edited


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "data.yaml", "-o", "target.xlsx"],
        ["init", "--year", "2024", "--agency", "测试局", "-o", "target.yaml"],
        ["aggregate", "data.yaml", "-a", "某某县人民政府", "-o", "target.yaml"],
        ["schema", "-o", "target.json"],
    ],
)
def test_every_command_refuses_a_foreign_file(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data.yaml").write_text(BASE, encoding="utf-8")
    target = tmp_path / args[args.index("-o") + 1]
    target.write_bytes(b"hand-made")
    code, output = run(args, tmp_path, capsys)
    assert code == 2 and "--force" in output
    assert target.read_bytes() == b"hand-made"
    assert run([*args, "--force"], tmp_path, capsys)[0] == 0
    assert run(args, tmp_path, capsys)[0] == 0  # now gaigen's own, untouched: replaced silently


# --- portability: a GBK console (Chinese Windows, output redirected) --------------------------------


def test_gbk_output_never_fails_on_a_rare_character(tmp_path: Path) -> None:
    """A character outside GBK (in a file or agency name) prints as ? instead of an internal error."""
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    result = subprocess.run(
        [sys.executable, "-m", "gaigen", "validate", "测试\U0001f600.yaml"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    output = (result.stdout + result.stderr).decode("gbk")
    assert output == "测试?.yaml：找不到这个文件。请检查文件名和所在文件夹。\n"


# --- issue 11: gaigen's nesting limit, whatever the parser does ------------------------------------


@pytest.mark.parametrize("parser_limit", [True, False])
def test_nesting_message_does_not_depend_on_the_parser(parser_limit: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether libyaml gives up first (PyYAML 6.0.4) or streams every event, the message is gaigen's."""
    import yaml

    from gaigen.core.errors import InputError
    from gaigen.files import source

    text = "机关名称: 测试局\n表二: " + "[" * 40 + "]" * 40 + "\n"
    if parser_limit:

        def refuse(*_args: object, **_kwargs: object) -> None:
            end = len(text) - 1
            raise yaml.parser.ParserError(None, None, "exceeded max depth", yaml.Mark("", end, 1, 60, None, None))

        monkeypatch.setattr(source.yaml, "parse", refuse)
    with pytest.raises(InputError) as raised:
        source.parse_text(text, "data.yaml")
    assert str(raised.value) == "data.yaml 第 2 行：嵌套层次过深，不是一份年度报告数据文件。"


def test_brackets_in_quoted_text_are_not_nesting() -> None:
    from gaigen.files import source

    text = '机关名称: "' + "[" * 40 + '"\n年度: [2024\n'
    with pytest.raises(Exception) as raised:
        source.parse_text(text, "data.yaml")
    assert "嵌套" not in str(raised.value) and "方括号" in str(raised.value)


def test_import_leaves_a_huge_printed_number_as_a_gap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Row 4 for published reports: a cell of 30 digits is a gap that says why, never a number or exit 3."""
    (tmp_path / "data.yaml").write_text(BASE, encoding="utf-8")
    assert run(["render", "data.yaml", "-f", "txt", "-o", "out"], tmp_path, capsys)[0] == 0
    report = next((tmp_path / "out").glob("*.txt"))
    lines = report.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("|行政许可"))
    lines[row] = lines[row].replace(" 0 ", " " + "9" * 30 + " ", 1)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = run(["import", str(report), "-o", "back.yaml"], tmp_path, capsys)
    assert code == 1, output
    assert "数字位数过多" in output and "内部错误" not in output
