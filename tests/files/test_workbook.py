"""The Excel workbook: round trips, the official grids, and a wrong value in each kind of cell.

A workbook is written from a data file's values (``init --xlsx``, ``convert``) and read back by
``validate``/``render`` like YAML, with messages that name the sheet and cell (``表三!D8``).
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gaigen.api import reports as api
from gaigen.api.convert import convert_file, payload
from gaigen.cli.commands import main
from gaigen.core.errors import ContentError, InputError
from gaigen.core.problems import Problem, message
from gaigen.files.scaffold import starter_file
from gaigen.files.workbook import GRID_TOP, SHEETS, slots, starter_workbook, workbook_bytes
from gaigen.render.context import build_context
from gaigen.spec import datafile, layout
from gaigen.spec.grid import grid
from gaigen.spec.layout import Edition, Kind
from tests.builders import YEARS, fill_consistent, set_cell, starter, write
from tests.reference import GRIDS

TABLES = ("表二", "表三", "表四")


def _workbook(edition: Edition, folder: Path, name: str = "data.xlsx", seed: int = 3) -> Path:
    data = starter(edition)
    fill_consistent(data, edition, random.Random(seed), with_totals=False)
    path = folder / name
    path.write_bytes(workbook_bytes(data, edition))
    return path


def _edit(path: Path, sheet: str, changes: dict[str, Any]) -> None:
    book = load_workbook(path)
    for coordinate, value in changes.items():
        book[sheet][coordinate] = value
    book.save(path)


def _set_cached(path: Path, sheet: str, coordinate: str, value: str) -> None:
    """Give a formula cell a cached value, as Excel or WPS writes one when it saves."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    index = SHEETS.index(sheet) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == part:
                text, count = re.subn(
                    rf'(<c r="{coordinate}"[^>]*><f>[^<]*</f>)<v\s*/?>(</v>)?', rf"\g<1><v>{value}</v>", data.decode()
                )
                assert count == 1
                data = text.encode()
            archive.writestr(name, data)
    path.write_bytes(out.getvalue())


def _messages(path: Path) -> list[str]:
    return [message(p) for p in api.validate_file(path).problems]


# --- the workbook ------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", list(Edition), ids=lambda e: e.value)
@pytest.mark.parametrize("key", TABLES)
def test_sheet_is_the_official_grid(edition: Edition, key: str, tmp_path: Path) -> None:
    """Merged ranges and labels of 表二/表三/表四 are those of format-grids.json, cell for cell."""
    sheet = load_workbook(_workbook(edition, tmp_path))[key]
    reference = GRIDS["editions"][edition.value]["tables"][key]
    merged = sorted(
        (r.min_row - GRID_TOP, r.min_col - 1, r.max_row - r.min_row + 1, r.max_col - r.min_col + 1)
        for r in sheet.merged_cells.ranges
    )
    expected = sorted(
        (c["row"], c["col"], c["rowspan"], c["colspan"])
        for c in reference["cells"]
        if c["rowspan"] > 1 or c["colspan"] > 1
    )
    assert merged == expected
    for cell in reference["cells"]:
        value = sheet.cell(GRID_TOP + cell["row"], 1 + cell["col"]).value
        if cell["text"] == "#":
            assert isinstance(value, (int, float)) or (isinstance(value, str) and value.startswith("=SUM(")), cell
        else:
            assert "".join(str(value).split()) == "".join(cell["text"].split())


@pytest.mark.parametrize("edition", list(Edition), ids=lambda e: e.value)
def test_inputs_are_unlocked_and_validated_labels_locked(edition: Edition, tmp_path: Path) -> None:
    book = load_workbook(_workbook(edition, tmp_path))
    assert book.sheetnames == list(SHEETS)
    for name in SHEETS:
        sheet = book[name]
        assert sheet.protection.sheet and not sheet.protection.password
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    rules: dict[str, tuple[str, str | None, str | None]] = {}
    for name in SHEETS[1:]:
        for validation in book[name].data_validations.dataValidation:
            for cell_range in validation.sqref.ranges:
                rules[f"{name}!{cell_range.coord}"] = (validation.type, validation.operator, validation.formula1)
    for slot in slots(edition):
        cell = book[slot.sheet].cell(slot.row, slot.col)
        if slot.label is not None or slot.total or slot.locked:
            assert cell.protection.locked, slot.ref
            if slot.total:
                assert cell.value == slot.formula
            continue
        assert not cell.protection.locked, slot.ref
        if slot.kind in (Kind.COUNT, Kind.TOTAL):
            assert rules[slot.ref] == ("whole", "greaterThanOrEqual", "0"), slot.ref
        elif slot.kind is Kind.SIGNED:
            assert rules[slot.ref][:2] == ("whole", "between"), slot.ref
        elif slot.kind in (Kind.MONEY, datafile.Leaf.YUAN):
            assert rules[slot.ref] == ("decimal", "greaterThanOrEqual", "0"), slot.ref


def test_total_formulas_sum_the_cells_the_rules_sum() -> None:
    formulas = {s.ref: s.formula for s in slots(Edition.E2021) if s.formula}
    assert formulas["表三!J6"] == "=SUM(D6:I6)"  # 一、本年新收: 自然人 … 其他
    assert formulas["表三!D29"] == "=SUM(D8:D28)"  # （七）总计: （一）至（六）
    assert formulas["表四!E6"] == "=SUM(A6:D6)"
    assert formulas["表四!O6"] == "=SUM(K6:N6)"
    assert len(formulas) == 25 + 6 + 3  # 表三: 25 rows' 总计 and （七）总计's six columns; 表四: 3


def test_init_workbook_is_reproducible_and_reads_like_init_yaml(tmp_path: Path) -> None:
    text = starter_file(2024, "某某局")
    blob = starter_workbook(text)
    assert starter_workbook(text) == blob
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    (tmp_path / "a.xlsx").write_bytes(blob)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    assert _problem_keys(api.validate_file(tmp_path / "a.xlsx").problems) == _problem_keys(
        api.validate_file(tmp_path / "a.yaml").problems
    )


def _problem_keys(problems: list[Problem]) -> list[tuple[Any, ...]]:
    return sorted((p.rule, p.severity, p.table, p.row, p.col_label, p.subject, p.found, p.why) for p in problems)


# --- a wrong value in each kind of cell ----------------------------------------------------------

WRONG_CELLS = {
    "text-in-count": (
        "表三",
        {"D8": "abc"},
        "表三!D8：表三“（一）予以公开”行“自然人”列为 “abc”，但这里只能填数字（T3-4）。请填写数字。",
    ),
    "negative-count": (
        "表四",
        {"B6": -1},
        "表四!B6：表四“行政复议”行“结果纠正”列为 -1，但数量不能为负数（T4-4）。请填写 0 或正整数。",
    ),
    "decimal-in-count": (
        "表二",
        {"B5": 2.5},
        "表二!B5：表二“规章”行“本年制发件数”列为 2.5，但这里只能填整数（T2-1）。请去掉小数部分（如 12.0 应写作 12）。",
    ),
    "empty-count": (
        "表三",
        {"E9": None},
        "表三!E9：表三“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”行“商业企业”列，缺少数据（T0-1）。"
        "请填写数字，没有发生的事项填 0。",
    ),
    "total-overwritten": (
        "表四",
        {"J6": 99},
        "表四!J6：表四“未经复议直接起诉”行“总计”列为 99，但结果维持、结果纠正、其他结果、尚未审结之和为 ",
    ),
    "formula-without-value": (
        "表三",
        {"D8": "=1+2"},
        "表三!D8：表三“（一）予以公开”行“自然人”列为 “=1+2”，但这里只能填数字（T3-4）。请填写数字。",
    ),
    "text-in-money": (
        "表二",
        {"B16": "12万"},
        "表二!B16：表二“行政事业性收费”行“本年收费金额（单位：万元）”列为 “12万”，但这里只能填金额数字（单位：万元）（T2-2）。"
        "请只填数字，不要带单位或文字，单位见表头。",
    ),
    "number-stored-as-text": (
        "表三",
        {"D6": "12"},
        "表三!D6：表三“一、本年新收政府信息公开申请数量”行“自然人”列为 “12”，但这里只能填数字（T3-4）。"
        "该格是文本格式的数字。请把单元格格式改为“常规”或“数值”，再重新输入这个数字（单元格左上角的绿色小三角即表示“以文本形式存储的数字”）。",
    ),
    "year-as-text": (
        "基本信息",
        {"B5": "2024年"},
        "基本信息!B5：“年度”为 “2024年”，但年度应为四位数字（M-1）。请填写如 2024（不要加“年”字）。",
    ),
}


@pytest.mark.parametrize("case", list(WRONG_CELLS))
def test_wrong_value_is_named_by_sheet_and_cell(case: str, tmp_path: Path) -> None:
    sheet, changes, expected = WRONG_CELLS[case]
    path = _workbook(Edition.E2021, tmp_path)
    assert _messages(path) == []
    _edit(path, sheet, changes)
    first = _messages(path)[0]
    assert first.startswith(f"{path} {expected}"), first


def test_formula_total_that_disagrees_is_named(tmp_path: Path) -> None:
    """A 总计 formula whose cached value (as Excel saved it) differs from gaigen's sum."""
    path = _workbook(Edition.E2021, tmp_path)
    total = sum(load_workbook(path)["表三"].cell(6, col).value for col in range(4, 10))
    _set_cached(path, "表三", "J6", "9999")
    assert _messages(path)[0] == (
        f"{path} 表三!J6：表三“一、本年新收政府信息公开申请数量”行“总计”列为 9999，但自然人至其他各列之和为 {total}（T3-3）。"
        "请核对该行各列数字，或删除总计由 gaigen 计算。"
    )
    _set_cached(path, "表三", "J7", str(sum(load_workbook(path)["表三"].cell(7, col).value for col in range(4, 10))))
    assert len(_messages(path)) == 2  # a right cached value is no problem (T3-3 for J6, T3-1 for 总计)


def test_cached_value_of_a_count_formula_is_read(tmp_path: Path) -> None:
    path = _workbook(Edition.E2021, tmp_path)
    _edit(path, "表二", {"B5": "=1+1"})
    _set_cached(path, "表二", "B5", "2")
    report = api.validate_file(path).report
    assert report.cell("表二", ("规章",), "本年制发件数") == 2


def test_signed_and_money_cells_2019(tmp_path: Path) -> None:
    path = _workbook(Edition.E2019, tmp_path)
    _edit(path, "表二", {"C9": 2.5, "C10": -3, "C20": 12.5})
    messages = _messages(path)
    assert messages[0] == (
        f"{path} 表二!C9：表二“行政许可”行“本年增/减”列为 2.5，但这里只能填整数（T2o-1）。请去掉小数部分（如 12.0 应写作 12）。"
    )
    report = api.validate_file(path).report
    assert report.cell("表二", ("其他对外管理服务事项",), "本年增/减") == -3
    assert report.cell("表二", ("政府集中采购",), "采购总金额（单位：万元）") == Decimal("12.5")


LAYOUT_CHANGES = {
    "renamed-label": (
        lambda book: book["表三"].__setitem__("C12", "3.危及三安全"),
        "表三!C12：表格结构被改动，这一格应为“3.危及“三安全一稳定””，现为“3.危及三安全”（标签被修改）。",
    ),
    "deleted-row": (
        lambda book: book["表三"].delete_rows(12),
        "表三!C12：表格结构被改动，这一格应为“3.危及“三安全一稳定””，现为“4.保护第三方合法权益”（看来删除了行）。",
    ),
    "inserted-row": (
        lambda book: book["表二"].insert_rows(6),
        "表二!A6：表格结构被改动，这一格应为“行政规范性文件”，现为空白（看来上面插入了行）。",
    ),
    "moved-column": (
        lambda book: book["表四"].move_range("A4:E6", cols=1),
        "表四!A4：表格结构被改动，这一格应为“结果维持”，现为空白（这一格被清空，或删除了行列）。",
    ),
}


@pytest.mark.parametrize("case", list(LAYOUT_CHANGES))
def test_changed_layout_is_explained_not_read(case: str, tmp_path: Path) -> None:
    change, expected = LAYOUT_CHANGES[case]
    path = _workbook(Edition.E2021, tmp_path)
    book = load_workbook(path)
    change(book)
    book.save(path)
    with pytest.raises(InputError) as raised:
        api.validate_file(path)
    assert str(raised.value) == (
        f"{path} {expected}gaigen 按固定位置读取数字，为免读错，没有读取这个工作簿。"
        "请撤销对行列和标签的改动（不要插入、删除或移动行列，不要修改标签），"
        "或用 gaigen init --xlsx 生成新的工作簿后把数字复制过去。"
    )


def test_deleted_sheet_and_other_edition(tmp_path: Path) -> None:
    path = _workbook(Edition.E2021, tmp_path)
    book = load_workbook(path)
    del book["表四"]
    book.save(path)
    with pytest.raises(InputError, match="工作簿中没有“表四”工作表（被删除或改名了）"):
        api.validate_file(path)
    old = _workbook(Edition.E2019, tmp_path, "old.xlsx")
    _edit(old, "基本信息", {"B5": 2024})
    with pytest.raises(InputError) as raised:
        api.validate_file(old)
    assert str(raised.value).startswith(
        f"{old} 基本信息!B5：“年度”为 2024，应使用 2021 版式（国办公开办函〔2021〕30号），而这个工作簿的表格是 2019 版式的"
    )


def test_not_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("机关名称: x\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("不是有效的 .xlsx 工作簿")):
        api.validate_file(bad)
    with pytest.raises(InputError, match=re.escape("请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）")):
        api.validate_file(tmp_path / "old.xls")


# --- round trips ---------------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(
        "政府信息公开年度报告工作申请数据ABCxyz0123456789 <>&\"'{}%#:=+-@|*!`~，。；：“”（）【】\t"
    ),
    min_size=1,
    max_size=30,
)
_PARAGRAPHS = st.lists(_TEXT.filter(lambda t: t.strip() != ""), min_size=1, max_size=4)


def _money(places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=Decimal("99999999"), places=places, allow_nan=False, allow_infinity=False)


@st.composite
def reports(draw: st.DrawFn) -> tuple[Edition, dict[str, Any]]:
    """Return valid-looking data files of either edition: random numbers, money, text and metadata."""
    edition = draw(st.sampled_from(list(Edition)))
    data = starter(
        edition, draw(st.sampled_from(["某某局", "某某县人民政府"])), draw(st.sampled_from(["部门", "政府"]))
    )
    fill_consistent(data, edition, random.Random(draw(st.integers(0, 2**32))), with_totals=draw(st.booleans()))
    money = draw(st.integers(0, 6).flatmap(_money))
    if edition is Edition.E2021:
        set_cell(data, "表二", ("行政事业性收费",), "本年收费金额（单位：万元）", money)
        data["六、其他需要报告的事项"]["信息处理费"]["收费通知总金额（元）"] = draw(st.integers(0, 2).flatmap(_money))
        data["六、其他需要报告的事项"]["其他事项"] = "\n".join(draw(_PARAGRAPHS))
    else:
        set_cell(data, "表二", ("政府集中采购",), "采购总金额（单位：万元）", money)
        data["六、其他需要报告的事项"] = draw(_PARAGRAPHS)  # a list of paragraphs
    for topic in layout.TOPICS:
        data["一、总体情况"][topic] = "\n".join(draw(_PARAGRAPHS))
    data["五、存在的主要问题及改进情况"] = "=SUM(A1) " + draw(_TEXT)  # text that looks like a formula stays text
    data["发布日期"] = draw(st.sampled_from([None, f"{YEARS[edition] + 1}-02-03"]))
    for key in ("网站", "联系方式"):
        value = draw(st.none() | _TEXT)
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return edition, data


@settings(max_examples=12)
@given(reports())
def test_round_trip_data_xlsx_data(case: tuple[Edition, dict[str, Any]]) -> None:
    """data → xlsx → data (and → YAML, → JSON) gives the same report, character for character."""
    edition, data = case
    with tempfile.TemporaryDirectory() as folder:
        source = write(data, Path(folder) / "data.yaml")
        original = api.validate_file(source)
        xlsx = Path(folder) / "data.xlsx"
        assert convert_file(source, xlsx).written
        again = api.validate_file(xlsx)
        assert build_context(again.report) == build_context(original.report)
        assert _problem_keys(again.problems) == _problem_keys(original.problems)
        for suffix in (".yaml", ".json"):
            back = Path(folder) / f"back{suffix}"
            assert convert_file(xlsx, back).written
            returned = api.validate_file(back)
            assert build_context(returned.report) == build_context(original.report)
            assert _problem_keys(returned.problems) == _problem_keys(original.problems)
            assert returned.report.published == original.report.published
            assert (returned.report.website, returned.report.contact) == (
                original.report.website,
                original.report.contact,
            )
        money_cell = next(
            (key for key in original.report.cells if original.report.edition is edition and "万元" in key[2]), None
        )
        assert money_cell is not None
        assert str(again.report.cells[money_cell]) == str(original.report.cells[money_cell])  # 12.50 stays 12.50


def test_convert_keeps_wrong_values_wrong(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    fill_consistent(data, Edition.E2021, random.Random(1), with_totals=True)
    set_cell(data, "表三", (layout.NEW_REQUESTS,), "自然人", Decimal("12.0"))
    set_cell(data, "表四", ("行政复议",), "总计", 77)
    set_cell(data, "表三", (layout.CARRIED_OVER,), "商业企业", "3")
    source = write(data, tmp_path / "data.yaml")
    xlsx = tmp_path / "data.xlsx"
    assert convert_file(source, xlsx).written

    def where(path: Path) -> list[tuple[Any, ...]]:
        return sorted((p.rule, p.table, p.row, p.col_label) for p in api.validate_file(path).problems)

    # Excel has no 12.0 apart from 12: that cell comes over as the text “12.0”, refused all the same.
    assert where(xlsx) == where(source)
    assert len(where(xlsx)) >= 3


def test_convert_refuses_to_lose_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = starter(Edition.E2021)
    data["表二"]["行政许诺"] = {"本年处理决定数量": 5}
    source = write(data, tmp_path / "data.yaml")
    assert main(["convert", str(source)]) == 1
    out = capsys.readouterr().out
    assert "“行政许诺”，表二中没有这一项，该数据不会被读取（K-1）。" in out
    assert out.endswith(
        f"{source}：有 1 项数据对应不到 2021 版式的正式项目，转换会丢失这些数据，没有生成 {tmp_path / 'data.xlsx'}。请先改正。\n"
    )
    assert not (tmp_path / "data.xlsx").exists()


def test_money_excel_cannot_hold_is_refused() -> None:
    data = starter(Edition.E2021)
    set_cell(data, "表二", ("行政事业性收费",), "本年收费金额（单位：万元）", Decimal("0.12345678901234567891"))
    with pytest.raises(ContentError, match="有效数字超过 15 位"):
        payload(data, Edition.E2021, ".xlsx")


# --- the command line ----------------------------------------------------------------------------


def test_cli_init_xlsx_convert_validate_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--year", "2024", "--agency", "某某局", "--xlsx", "-o", "2024.xlsx"]) == 0
    assert capsys.readouterr().out == (
        "已生成 2024.xlsx（2024 年度，2021 版式）。\n下一步：填写各表数字和文字部分，然后运行 gaigen validate 2024.xlsx\n"
    )
    assert main(["init", "--year", "2020", "--agency", "某某局", "--xlsx"]) == 0
    assert (tmp_path / "2020年某某局.xlsx").is_file()
    # gaigen's own untouched output is replaced; a file it did not write (or one filled in) is kept.
    assert main(["init", "--year", "2024", "--agency", "某某局", "--xlsx", "-o", "2024.xlsx"]) == 0
    (tmp_path / "filled-in.xlsx").write_bytes(b"a clerk's workbook")
    assert main(["init", "--year", "2024", "--agency", "某某局", "--xlsx", "-o", "filled-in.xlsx"]) == 2
    (tmp_path / "filled-in.xlsx").unlink()
    assert main(["init", "--year", "2024", "--agency", "某某局", "--xlsx", "-o", "x.yaml"]) == 2
    capsys.readouterr()

    assert main(["validate", "2024.xlsx"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "错误：2024.xlsx 文字部分!C5：“一、总体情况（一）主动公开”，仍是 gaigen init 留下的待填写提示（N-1）。"
        "请写明本年度主动公开方面的工作情况。"
    )

    data = starter(Edition.E2021)
    fill_consistent(data, Edition.E2021, random.Random(9), with_totals=False)
    write(data, tmp_path / "filled.yaml")
    assert main(["convert", "filled.yaml"]) == 0
    assert capsys.readouterr().out == "已生成 filled.xlsx（2021 版式）。\n下一步：运行 gaigen validate filled.xlsx\n"
    assert main(["convert", "filled.xlsx", "-o", "again.yaml"]) == 0
    assert main(["convert", "filled.yaml"]) == 0  # filled.xlsx exists, as gaigen wrote it: replaced
    (tmp_path / "filled.xlsx").write_bytes((tmp_path / "filled.xlsx").read_bytes() + b"\0")
    assert main(["convert", "filled.yaml"]) == 2  # changed since: kept
    assert main(["convert", "filled.yaml", "--force"]) == 0
    capsys.readouterr()
    assert main(["render", "filled.xlsx", "--format", "txt,html", "-o", "out"]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["2024年测试局政府信息公开工作年度报告.html", "2024年测试局政府信息公开工作年度报告.txt"]
    from_yaml = tmp_path / "from-yaml"
    assert main(["render", "filled.yaml", "--format", "txt", "-o", str(from_yaml)]) == 0
    assert (from_yaml / names[1]).read_bytes() == (tmp_path / "out" / names[1]).read_bytes()


# --- a real spreadsheet program ------------------------------------------------------------------


def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    calc = Path("/usr/lib/libreoffice/program/libsclo.so")
    return found if found and calc.exists() else None


def test_libreoffice_calc_opens_computes_and_saves(tmp_path: Path) -> None:
    """LibreOffice Calc opens the workbook, computes every 总计 and saves it; gaigen reads its values."""
    soffice = _soffice()
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice Calc (libreoffice-calc-nogui) is missing; scripts/test.sh installs it")
        pytest.skip("LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
    source = _workbook(Edition.E2021, tmp_path, "in.xlsx")
    saved = tmp_path / "saved"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(saved),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    resaved = saved / "in.xlsx"
    cached = load_workbook(resaved, data_only=True)["表三"]
    assert isinstance(cached["J6"].value, (int, float))  # Calc computed the formula
    assert _messages(resaved) == []
    assert build_context(api.validate_file(resaved).report) == build_context(api.validate_file(source).report)
    grid_cells = {(c.row, c.col) for c in grid(Edition.E2021, "表三").cells}
    assert len(grid_cells) == len(GRIDS["editions"]["2021"]["tables"]["表三"]["cells"])


def test_a_missing_date_is_hinted_in_workbook_words_for_the_next_year(tmp_path: Path) -> None:
    path = _workbook(Edition.E2019, tmp_path)  # a 2020 report: published in 2021
    _edit(path, "基本信息", {"B8": None})
    hint = next(m for m in _messages(path) if "（N-3）" in m)
    assert hint.endswith("（N-3）。如已确定发布日期，请填写，如 2021-01-20"), hint
    assert "发布日期:" not in hint and "引号" not in hint
