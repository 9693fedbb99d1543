"""``gaigen import`` and ``gaigen check`` as a user runs them: output, exit codes, files written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from gaigen.cli.commands import main
from gaigen.render.context import build_context
from gaigen.render.word import render_docx
from gaigen.spec.layout import Edition
from tests.importing.test_roundtrip import _data, _report
from tests.importing.test_seeds import seed

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for number in ("001", "002", "003"):
        shutil.copy(seed(number), tmp_path / f"{number}.txt")
    return tmp_path


def test_import_writes_a_valid_data_file(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["import", "002.txt"], capsys)
    assert (code, err) == (0, "")
    assert out == (
        "已生成 2023年樟树市工信局.yaml（2023 年度，2021 版式，读到 200 个数字格）。\n"
        "下一步：对照原报告核对，然后运行 gaigen validate 2023年樟树市工信局.yaml\n"
    )
    text = (folder / "2023年樟树市工信局.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 2023年樟树市工信局政府信息公开工作年度报告 数据文件\n")
    assert "# 由 gaigen import 从“002.txt”（纯文本）读取。\n" in text
    assert "# 表中每一格都已读出。\n" in text
    assert "  行政规范性文件: {本年制发件数: 0, 本年废止件数: 1, 现行有效件数: 1}\n" in text
    code, out, _err = run(["validate", "2023年樟树市工信局.yaml"], capsys)
    assert code == 0
    assert out.endswith("2023年樟树市工信局.yaml：没有错误，1 个提示，可以生成报告。\n")


def test_import_with_lost_cells_exits_1_and_lists_them(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["import", "001.txt", "-o", "jinshui.yaml"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "已生成 jinshui.yaml（2020 年度，2019 版式，读到 179 个数字格）。"
    assert lines[1] == "有 19 项无法从原报告读取，已留空（不当作 0）："
    assert lines[3] == (
        "  表三“（一）予以公开”行“商业企业”列：原报告该行只有 6 格（应为 7 格），网页转换时丢失了 1 格，"
        "无法确定这一格（原报告第 39 行）"
    )
    text = (folder / "jinshui.yaml").read_text(encoding="utf-8")
    assert "    （一）予以公开: {总计: 0}\n" in text
    assert "#   - 表三“（一）予以公开”行“商业企业”列：原报告该行只有 6 格（应为 7 格），" in text
    code, out, _err = run(["validate", "jinshui.yaml"], capsys)
    assert code == 1
    assert out.count("（T0-1）") == 18  # every lost cell named; the 总计 of row （四）1 is computed


def test_import_never_overwrites_without_force(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "mine.yaml").write_text("机关名称: 已填写\n", encoding="utf-8")
    code, out, err = run(["import", "002.txt", "-o", "mine.yaml"], capsys)
    assert (code, out) == (2, "")
    assert (
        err
        == "mine.yaml：文件已存在，且不是 gaigen 写出后原样未动的文件（可能已填写或修改过），为免覆盖，没有写入。请换一个文件名或输出位置，或加 --force 覆盖。\n"
    )
    assert (folder / "mine.yaml").read_text(encoding="utf-8") == "机关名称: 已填写\n"
    assert run(["import", "002.txt", "-o", "mine.yaml", "--force"], capsys)[0] == 0
    assert "樟树市工信局" in (folder / "mine.yaml").read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".gaigen")) == []


def test_import_a_word_report(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _report(_data(Edition.E2021, 1, True, (1, 2, 3, 4, 5, 6)))
    (folder / "报告.docx").write_bytes(render_docx(build_context(report)))
    code, out, _err = run(["import", "报告.docx", "-o", "back.yaml"], capsys)
    assert code == 0
    assert out.startswith("已生成 back.yaml（2024 年度，2021 版式，读到 200 个数字格）。")
    assert run(["validate", "back.yaml"], capsys)[0] == 0


def test_check_report_output(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", "003.txt"], capsys)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == (
        "提示：003.txt 第 1 行：“标题”为 “宜春市科技局2020年信息公开工作年度报告”，没有完整写出“政府信息公开工作年度报告”（F-1）。"
        "标题应为“宜春市科技局2020年政府信息公开工作年度报告”。"
    )
    assert (
        "错误：003.txt 第 349 行：表三“四、结转下年度继续办理”行“自然人”列为 5，但该列本年新收和上年结转均为 0，"
        "没有申请可以办理或结转（T3-5）。请核对该数字是否填错了行或列。"
    ) in lines
    assert lines[-2:] == [
        "003.txt（读到 198 个数字格）：3 个错误，10 个提示。",
        "  核对清单：不通过 T3-1、T3-3、T3-5；通过 T3-2、T4-1、T4-2、T4-3、F-3、N-1。",
    ]


def test_check_several_files_takes_the_worst_code(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["check", "002.txt", "missing.docx"], capsys)
    assert code == 2
    assert out.splitlines()[-4:] == [
        "002.txt（读到 200 个数字格）：没有错误，6 个提示。",
        "  核对清单：通过 T3-1、T3-2、T3-3、T3-5、T4-1、T4-2、T4-3、F-3、N-1。",
        "missing.docx：找不到这个文件。请检查文件名和所在文件夹。",
        "已写入审阅汇总：审阅汇总.xlsx",
    ]
    assert run(["check", "002.txt"], capsys)[0] == 0


def test_check_several_reports_writes_the_audit_workbook(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, _err = run(["check", "001.txt", "003.txt", "-s", "汇总"], capsys)
    assert code == 1
    sheet = openpyxl.load_workbook(folder / "汇总.xlsx")["审阅汇总"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:12] == [
        "文件", "机关名称", "年度", "版式", "结论", "错误", "提示",
        "读出格数", "空白格（按 0 计）", "丢失格", "无法确定格", "按勾稽关系切分的格",
    ]  # fmt: skip
    jinshui = dict(zip(header, rows[1], strict=True))
    assert (jinshui["机关名称"], jinshui["结论"], jinshui["读出格数"], jinshui["丢失格"]) == (
        "金水区工业和信息化局",
        "无法判定",
        179,
        19,
    )
    assert jinshui["T3-2 表三（七）总计"] == "无法判定" and jinshui["T3-1 表三 一+二=（七）+四"] == "通过"
    yichun = dict(zip(header, rows[2], strict=True))
    assert (yichun["结论"], yichun["错误"], yichun["T3-1 表三 一+二=（七）+四"]) == ("不通过", 3, "不通过")
    assert yichun["第一个错误"].endswith("（T3-1）。请核对该列的新收、结转和办理结果数字。")


def test_check_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["check", "--json", "001.txt", "002.txt"], capsys)
    assert code == 0  # lost cells are warnings: the rules they touch cannot be decided (DECISIONS §17)
    records = json.loads(out)
    assert [r["file"] for r in records] == ["001.txt", "002.txt"]
    first = records[0]
    assert first["verdict"] == "无法判定"
    assert first["cells"] == {"read": 179, "blank": 0, "lost": 19, "ambiguous": 0, "fixed": 0}
    assert first["rules"]["T3-2"] == "无法判定" and first["rules"]["T3-1"] == "通过"
    assert (first["ok"], first["edition"], first["year"], first["cells_read"], len(first["gaps"])) == (
        True,
        "2019",
        2020,
        179,
        19,
    )
    lost = next(p for p in first["problems"] if p["rule"] == "T0-1")
    assert lost["location"] == {"line": 39}
    assert lost["message"].startswith("001.txt 第 39 行：表三“（一）予以公开”行“自然人”列，")
    assert first["gaps"][0]["path"] == ["表三", "三、本年度办理结果", "（一）予以公开", "自然人"]
    assert records[1]["ok"] is True


def test_check_a_data_file_validates_it(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "examples" / "invalid-seed003-yichun-2020.yaml"
    code, out, _err = run(["check", str(example)], capsys)
    assert code == 1
    assert "（T3-1）" in out
    assert "（F-" not in out


def test_check_word_report_is_located_by_table_row(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _report(_data(Edition.E2019, 2, True, (0, 0, 0, 0, 0, 0)))
    context = build_context(report)
    context.cells["表三"]["r25c3"] = "999"  # 2019 edition: row 四, column 自然人
    (folder / "bad.docx").write_bytes(render_docx(context))
    code, out, _err = run(["check", "bad.docx"], capsys)
    assert code == 1
    assert "错误：bad.docx 第 2 个表格第 26 行：表三“自然人”列，“一、本年新收”加“二、上年结转”为 " in out
    assert "错误：bad.docx 第 2 个表格第 26 行：表三“四、结转下年度继续办理”行“总计”列为 " in out
