"""The five real reports (tests/data/reference/seeds, see its README) imported and checked.

Each seed's cells must agree with its hand transcription in examples/ cell for cell; where the
web lost cells (seed 001) they must be reported as unreadable, never read as 0. The findings are
those format-spec §6 lists for each seed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gaigen.api.check import check_file, in_memory_report
from gaigen.api.reports import load_report
from gaigen.core.problems import message
from gaigen.files.reading import read_report
from gaigen.files.source import parse_text
from gaigen.importing import data_file_text, import_report
from tests.reference import SEEDS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

TRANSCRIPTIONS = {
    "000": "seed000-yuanzhou-2020",
    "001": "invalid-seed001-jinshui-2020",
    "002": "seed002-zhangshu-2023",
    "003": "invalid-seed003-yichun-2020",
    "004": "seed004-tianyuan-2022",
}
# seed: (agency, year, edition, cells read, gaps, error rules, warning rules) of ``gaigen check``
EXPECTED = {
    # DECISIONS §17: a missing sub-heading of 一 and a lost cell are warnings, not errors.
    "000": ("袁州区工信局", 2020, "2019", 198, 0, set(), {"F-6", "F-9", "N-1"}),
    "001": ("金水区工业和信息化局", 2020, "2019", 179, 19, set(), {"F-5", "N-1", "T0-1"}),
    "002": ("樟树市工信局", 2023, "2021", 200, 0, set(), {"F-2", "F-4", "F-7"}),
    "003": (
        "宜春市科技局",
        2020,
        "2019",
        198,
        0,
        {"T3-1", "T3-3", "T3-5"},
        {"F-1", "F-2", "F-5", "F-7", "F-8", "F-9", "X-2"},
    ),
    "004": ("株洲市天元区科工信局", 2022, "2021", 200, 0, set(), {"F-5", "F-9"}),
}


def seed(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_seed_imports_as_transcribed(number: str) -> None:
    agency, year, edition, cells, gaps, _errors, _warnings = EXPECTED[number]
    imported = import_report(seed(number), seed(number).name)
    assert (imported.agency, imported.year, imported.edition.value) == (agency, year, edition)
    assert (imported.cells_read, len(imported.gaps)) == (cells, gaps)
    got = in_memory_report(imported)
    want, _problems = load_report(EXAMPLES / f"{TRANSCRIPTIONS[number]}.yaml")
    assert got.cells == want.cells  # cell for cell, 总计 cells as printed, lost cells absent
    assert got.website == want.website and got.contact == want.contact


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_seed_check_findings(number: str) -> None:
    *_, errors, warnings = EXPECTED[number]
    checked = check_file(seed(number))
    assert {p.rule for p in checked.errors} == errors
    assert {p.rule for p in checked.warnings} == warnings


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_seed_data_file_reads_back_the_same(number: str) -> None:
    imported = import_report(seed(number), seed(number).name)
    text = data_file_text(imported)
    back = read_report(parse_text(text, "import.yaml"))
    assert back.problems == []
    direct = in_memory_report(imported)
    assert back.report.cells == direct.cells
    assert back.report.narrative == direct.narrative
    for gap in imported.gaps:
        assert gap.why in text


def test_seed_003_violation_found_and_located() -> None:
    checked = check_file(seed("003"))
    name = str(seed("003"))
    assert [message(p) for p in checked.errors] == [
        f"{name} 第 349 行：表三“自然人”列，“一、本年新收”加“二、上年结转”为 0，但“（七）总计”加“四、结转下年度继续办理”为 5，"
        "两者应相等（T3-1）。请核对该列的新收、结转和办理结果数字。",
        f"{name} 第 349 行：表三“四、结转下年度继续办理”行“自然人”列为 5，但该列本年新收和上年结转均为 0，"
        "没有申请可以办理或结转（T3-5）。请核对该数字是否填错了行或列。",
        f"{name} 第 355 行：表三“四、结转下年度继续办理”行“总计”列为 0，但自然人至其他各列之和为 5（T3-3）。"
        "请核对该行各列数字，或删除总计由 gaigen 计算。",
    ]


def test_seed_003_units_inside_cells_are_read_and_reported() -> None:
    imported = import_report(seed("003"), "003.txt")
    purchase = imported.data["表二"]["政府集中采购"]
    assert purchase["采购项目数量"] == 2
    assert str(purchase["采购总金额（单位：万元）"]) == "18.078"
    assert [f.found for f in imported.findings if f.rule == "F-8"] == ["“2个”", "“18.078万元”"]


def test_seed_001_lost_cells_are_unreadable_not_zero() -> None:
    imported = import_report(seed("001"), "001.txt")
    granted = imported.data["表三"]["三、本年度办理结果"]["（一）予以公开"]
    assert granted == {"总计": 0}  # the six applicant cells were lost on the web: absent, not 0
    lost = [gap for gap in imported.gaps if gap.row[-1] == "（一）予以公开"]
    assert [gap.column for gap in lost] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert lost[0].why == "原报告该行只有 6 格（应为 7 格），网页转换时丢失了 1 格，无法确定这一格"
    # An empty cell in a row short of cells is lost with the row's shortness, never a blank (0).
    assert lost[1].why == lost[0].why
    assert all(gap.where.line == 39 for gap in lost)
    checked = check_file(seed("001"))
    t01 = [message(p) for p in checked.warnings if p.rule == "T0-1"]
    assert len(t01) == 18
    assert t01[1] == (
        f"{seed('001')} 第 39 行：表三“（一）予以公开”行“商业企业”列，原报告该行只有 6 格（应为 7 格），"
        "网页转换时丢失了 1 格，无法确定这一格，无法读取（T0-1）。"
        "请核对原报告：网上发布的表格常在转换时丢失数字，丢失的格不能当作 0。"
    )
    assert checked.audit is not None
    assert (checked.audit.read, checked.audit.blank, checked.audit.lost) == (179, 0, 19)
    assert checked.audit.rules["T3-1"] == "通过" and checked.audit.rules["T3-2"] == "无法判定"


def test_seed_001_henan_header_and_social_organisations() -> None:
    imported = import_report(seed("001"), "001.txt")
    assert str(imported.data["表二"]["政府集中采购"]["采购总金额（单位：万元）"]) == "2.9004"
    subjects = {f.subject for f in imported.findings if f.rule == "F-5"}
    assert {"采购总金额（单位：万元，保留4位小数）", "社会组织"} <= subjects


def test_seed_004_read_despite_traditional_characters_and_mojibake() -> None:
    imported = import_report(seed("004"), "004.txt")
    assert imported.source.traditional
    assert imported.gaps == []
    report = in_memory_report(imported)
    want, _ = load_report(EXAMPLES / "seed004-tianyuan-2022.yaml")
    assert report.narrative == want.narrative  # topics recovered by position, text back in simplified
    assert any("按所在位置读作“（一）予以公开”" in note for note in imported.notes)
    assert any("按所在位置读作“（七）总计”" in note for note in imported.notes)


def test_seed_002_format_findings() -> None:
    checked = check_file(seed("002"))
    texts = [message(p) for p in checked.problems]
    name = str(seed("002"))
    assert texts[0] == (
        f"{name} 第 3 行：“说明段”，引用的是国办公开办函〔2019〕60号（2019 版式），而 2023 年度报告应使用 2021 版式"
        "（国办公开办函〔2021〕30号）（F-4）。请改为引用国办公开办函〔2021〕30号。"
    )
    assert (
        f"{name} 第 414 行：“5、 政府信息公开工作存在的主要问题及改进情况”，与格式规定的标题“五、存在的主要问题及改进情况”"
        "不一致（序号应为“五、”，措辞用的是《条例》第五十条的写法）（F-2）。请改为“五、存在的主要问题及改进情况”。"
    ) in texts
    assert sum(p.rule == "F-2" for p in checked.problems) == 4


def test_seed_000_preamble_under_overview() -> None:
    checked = check_file(seed("000"))
    assert [(p.rule, p.line) for p in checked.problems if p.rule.startswith("F-")] == [("F-6", 3), ("F-9", 397)]
    imported = checked.imported
    assert imported is not None
    assert imported.data["网站"] == "区人民政府网（http://www.yzq.gov.cn/）"
    assert "根据《中华人民共和国政府信息公开条例》的有关规定" in imported.data["一、总体情况"]["概述"][0]
