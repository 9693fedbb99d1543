"""The county office's review over a generated county: pairs, outliers, the review loop, letters.

Every county is generated: agencies with their own random narrative (``tests.county``), near-copies
and outliers planted where a test needs them.
"""

from __future__ import annotations

import io
import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from gaigen.api import reports as api
from gaigen.api.convert import convert_file
from gaigen.batch import run_batch
from gaigen.cli.commands import main
from gaigen.core.problems import message
from gaigen.review.annotate import ISSUES_SHEET, annotated_name
from gaigen.review.letters import LETTERS_FOLDER, letter_name
from gaigen.review.record import RECORD_NAME
from gaigen.spec import layout
from gaigen.spec.layout import Edition
from tests.builders import set_cell, write
from tests.county import agency_file, copied, narrative, text

UNABLE = (layout.OUTCOMES, "（四）无法提供", "1.本机关不掌握相关政府信息")


def requests(data: dict[str, Any], disclosed: int, unable: int) -> None:
    """Make 表三 hold only ``disclosed`` 予以公开 and ``unable`` 无法提供 requests of 自然人."""
    for path, row in layout.table(Edition.E2021, "表三").rows():
        if row.optional:
            continue
        for column in row.columns:
            if column.label != layout.TOTAL:
                set_cell(data, "表三", path, column.label, 0)
        node = data["表三"]
        for part in path:
            node = node[part]
        node.pop(layout.TOTAL, None)
    set_cell(data, "表三", (layout.OUTCOMES, "（一）予以公开"), "自然人", disclosed)
    set_cell(data, "表三", UNABLE, "自然人", unable)
    set_cell(data, "表三", (layout.NEW_REQUESTS,), "自然人", disclosed + unable)
    data["六、其他需要报告的事项"]["信息处理费"].update(
        {"发出收费通知件数": 0, "收费通知总金额（元）": 0, "实际收取总金额（元）": 0}
    )


def rows_of(out: Path) -> dict[str, dict[str, Any]]:
    sheet = openpyxl.load_workbook(out / "汇总.xlsx")["汇总"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows}


def problems_of(batch: Any, agency: str, rule: str) -> list[str]:
    result = next(f for f in batch.files if f.agency == agency)
    return [message(p) for p in result.problems if p.rule == rule]


def test_a_pair_of_near_copies_is_found_with_its_percentage(tmp_path: Path) -> None:
    rng = random.Random(3)
    for seed in range(10):
        agency_file(tmp_path / "in", f"{seed}.yaml", seed, narrative(rng), agency=f"某某县第{seed}局")
    source = {"一": text(rng, 10), "五": text(rng, 10), "六": []}
    agency_file(tmp_path / "in", "原.yaml", 20, source, agency="某某县原创局")
    agency_file(tmp_path / "in", "抄.yaml", 21, copied(source, 0.9, rng), agency="某某县抄写局")  # 18 of 20 sentences
    batch = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert [(p.first.agency, p.second.agency, round(p.pair.share, 4)) for p in batch.similar] == [
        ("某某县原创局", "某某县抄写局", 0.9)
    ]
    found = problems_of(batch, "某某县抄写局", "R-2")
    assert len(found) == 1
    assert found[0].endswith(
        "“正文”，与某某县原创局（" + str(tmp_path / "in" / "原.yaml") + "）的报告重复 90%"
        "（一、总体情况 90%、五、存在的主要问题及改进情况 90%），超过 80%（R-2）。"
        "评估要求报告不得与其他单位雷同，请根据本单位的实际情况撰写。"
    )
    assert len(problems_of(batch, "某某县原创局", "R-2")) == 1
    assert all(not problems_of(batch, f"某某县第{seed}局", "R-2") for seed in range(10))
    rows = rows_of(tmp_path / "out")
    assert rows["某某县抄写局"]["雷同"] == "与某某县原创局重复 90%"
    assert rows["某某县第1局"]["雷同"] is None
    pairs = list(openpyxl.load_workbook(tmp_path / "out" / "汇总.xlsx")["雷同"].iter_rows(values_only=True))
    assert pairs[1][0] == "某某县原创局" and pairs[1][2] == "某某县抄写局" and pairs[1][4] == 0.9


def test_check_lists_near_copies_among_many_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # several files: check writes its 审阅汇总.xlsx into the current folder
    rng = random.Random(4)
    source = narrative(rng)
    agency_file(tmp_path, "a.yaml", 1, source, agency="甲局")
    agency_file(tmp_path, "b.yaml", 2, copied(source, 1.0, rng), agency="乙局")
    agency_file(tmp_path, "c.yaml", 3, narrative(rng), agency="丙局")
    main(["check", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), str(tmp_path / "c.yaml")])
    out = capsys.readouterr().out
    assert f"雷同（R-2）：甲局（{tmp_path / 'a.yaml'}）与乙局（{tmp_path / 'b.yaml'}）的报告重复 100%（" in out
    assert out.count("雷同（R-2）") == 1


def test_check_json_gives_each_file_its_near_copies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rng = random.Random(4)
    source = narrative(rng)
    agency_file(tmp_path, "a.yaml", 1, source, agency="甲局")
    agency_file(tmp_path, "b.yaml", 2, copied(source, 0.9, rng), agency="乙局")
    agency_file(tmp_path, "c.yaml", 3, narrative(rng), agency="丙局")
    main(["check", "--json", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), str(tmp_path / "c.yaml")])
    records = {Path(r["file"]).name: r for r in json.loads(capsys.readouterr().out)}
    [of_a], [of_b] = records["a.yaml"]["similar"], records["b.yaml"]["similar"]
    assert Path(of_a["file"]).name == "b.yaml" and Path(of_b["file"]).name == "a.yaml"
    assert of_a["share"] == of_b["share"] and 0.85 <= of_a["share"] <= 0.95
    assert of_a["message"].startswith("雷同（R-2）：") and of_a["message"] == of_b["message"]
    assert records["c.yaml"]["similar"] == []


def test_an_outlier_ratio_is_warned_and_an_ordinary_one_not(tmp_path: Path) -> None:
    for seed in range(12):
        data = agency_file(tmp_path / "in", f"{seed}.yaml", seed, agency=f"某某县第{seed}局")
        requests(data, 50 + seed * 2, 50 - seed * 2)  # 予以公开率 50 % … 72 %
        write(data, tmp_path / "in" / f"{seed}.yaml")
    odd = agency_file(tmp_path / "in", "odd.yaml", 30, agency="某某县异常局")
    requests(odd, 1, 99)
    write(odd, tmp_path / "in" / "odd.yaml")
    batch = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    found = problems_of(batch, "某某县异常局", "Y-2")
    assert [m.split("：", 1)[1] for m in found] == [
        "“予以公开率”为 1%，而本批 13 份报告的中位数为 60%（四分位距 14%），明显偏离"
        "（予以公开率 = 表三 三（一）予以公开 总计 ÷ 三（七）总计 总计）（Y-2）。请核对表中数字；确属实际情况的，建议在报告中说明原因。",
        "“无法提供率”为 99%，而本批 13 份报告的中位数为 40%（四分位距 14%），明显偏离"
        "（无法提供率 = 表三 三（四）无法提供 1～3 项总计之和 ÷ 三（七）总计 总计）（Y-2）。请核对表中数字；确属实际情况的，建议在报告中说明原因。",
    ]
    assert all(not problems_of(batch, f"某某县第{seed}局", "Y-2") for seed in range(12))
    assert rows_of(tmp_path / "out")["某某县异常局"]["予以公开率（%）"] == 1


def test_no_outlier_is_named_with_too_few_reports(tmp_path: Path) -> None:
    for seed in range(5):
        data = agency_file(tmp_path / "in", f"{seed}.yaml", seed, agency=f"某某县第{seed}局")
        requests(data, 50 + seed, 50 - seed)
        write(data, tmp_path / "in" / f"{seed}.yaml")
    odd = agency_file(tmp_path / "in", "odd.yaml", 30, agency="某某县异常局")
    requests(odd, 1, 99)
    write(odd, tmp_path / "in" / "odd.yaml")
    batch = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert not problems_of(batch, "某某县异常局", "Y-2")


def three_problems(folder: Path) -> dict[str, Any]:
    data = agency_file(folder, "交通.yaml", 8, agency="某某县交通运输局")
    set_cell(data, "表四", ("行政复议",), "总计", 999)  # T4-1, an error: stays open
    data["发布日期"] = "2025-02-03"  # D-1
    data["五、存在的主要问题及改进情况"] = "无"  # N-2
    write(data, folder / "交通.yaml")
    return data


def test_return_edit_rerun_shows_received_with_two_fixed_one_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    agency_file(folder, "财政.yaml", 9, agency="某某县财政局")
    data = three_problems(folder)
    assert main(["batch", str(folder), "-o", str(out), "--jobs", "1"]) == 1
    assert rows_of(out)["某某县交通运输局"]["与上次相比"] == "首次收到，3 个问题"
    capsys.readouterr()
    assert main(["review", "return", "某某县交通运输局", "-o", str(out), "--note", "请于2月5日前改正后重报"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("某某县交通运输局（2024 年度）：已设为“退回”。\n退回意见：")
    assert main(["review", "accept", "某某县财政局", "-o", str(out)]) == 0
    data["发布日期"] = "2025-01-20"
    data["五、存在的主要问题及改进情况"] = "本年度政策解读形式较单一，下一步将增加图解和视频解读。"
    write(data, folder / "交通.yaml")
    capsys.readouterr()
    assert main(["batch", str(folder), "-o", str(out), "--jobs", "1"]) == 1
    said = capsys.readouterr().out
    assert "某某县交通运输局：已收，已改正 2 个，仍未改正 1 个，新增 0 个。\n" in said
    rows = rows_of(out)
    assert (rows["某某县交通运输局"]["审核状态"], rows["某某县交通运输局"]["与上次相比"]) == (
        "已收",
        "已改正 2 个，仍未改正 1 个，新增 0 个",
    )
    assert (rows["某某县财政局"]["审核状态"], rows["某某县财政局"]["与上次相比"]) == ("通过", "文件未变")
    with sqlite3.connect(out / RECORD_NAME) as db:
        states = db.execute("SELECT state, note FROM event WHERE agency = '某某县交通运输局' ORDER BY rowid").fetchall()
        versions = db.execute("SELECT COUNT(*) FROM version WHERE agency = '某某县交通运输局'").fetchone()
    assert states == [("已收", ""), ("退回", "请于2月5日前改正后重报"), ("已收", "文件已更新")]
    assert versions == (2,)
    capsys.readouterr()
    assert main(["review", "list", "-o", str(out)]) == 0
    listed = capsys.readouterr().out
    assert "某某县交通运输局（2024 年度）：已收，2 个版本，1 个问题，" in listed
    assert listed.endswith("共 2 个机关：已收 1，退回 0，通过 1。\n")


def test_review_of_an_unknown_agency_suggests_the_nearest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    agency_file(tmp_path / "in", "a.yaml", 1, agency="某某县交通运输局")
    run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert main(["review", "return", "某某县交通局", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == f"{tmp_path / 'out' / RECORD_NAME}：审核记录中没有“某某县交通局”。是不是“某某县交通运输局”？\n"
    assert main(["review", "list", "-o", str(tmp_path)]) == 2
    assert "这里没有审核记录（审核记录.sqlite）。请先对该输出文件夹运行 gaigen batch。" in capsys.readouterr().err


def test_the_return_letter_opens_and_lists_the_problems(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    three_problems(folder)
    config = tmp_path / "县设置.yaml"
    config.write_text("审核机关: 某某县人民政府办公室\n", encoding="utf-8")
    assert main(["batch", str(folder), "-o", str(out), "--jobs", "1"]) == 1
    assert (
        main(["review", "return", "某某县交通运输局", "-o", str(out), "--note", "请尽快改正", "--config", str(config)])
        == 0
    )
    letter = docx.Document(str(out / LETTERS_FOLDER / letter_name("某某县交通运输局", 2024)))
    texts = [p.text for p in letter.paragraphs]
    assert texts[0] == "关于退回《2024年某某县交通运输局政府信息公开工作年度报告》的意见"
    assert "某某县交通运输局：" in texts
    assert "审核意见：请尽快改正" in texts
    assert texts[-2] == "某某县人民政府办公室"
    expected = api.validate_file(folder / "交通.yaml").problems
    table = letter.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "修改位置", "问题及修改意见"]
    listed = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(expected) == 3 and [row[2] for row in listed] == [message(p) for p in expected]
    assert [row[1] for row in listed] == [f"第 {p.line} 行" for p in expected]
    run = next(r for p in letter.paragraphs for r in p.runs if r.text.startswith("关于退回"))
    assert (
        run.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )


def test_a_returned_workbook_marks_each_problem_cell_and_reads_back_the_same(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    three_problems(tmp_path / "yaml")
    folder.mkdir()
    convert_file(tmp_path / "yaml" / "交通.yaml", folder / "交通.xlsx")
    assert main(["batch", str(folder), "-o", str(out), "--jobs", "1"]) == 1
    marked = out / LETTERS_FOLDER / annotated_name("某某县交通运输局", 2024)
    original = api.validate_file(folder / "交通.xlsx").problems
    assert any(p.cell for p in original)
    book = openpyxl.load_workbook(marked)
    assert book.sheetnames[0] == ISSUES_SHEET
    issues = list(book[ISSUES_SHEET].iter_rows(values_only=True))
    assert issues[0] == ("序号", "位置", "类别", "规则", "问题及修改意见")
    assert [row[4] for row in issues[1:]] == [message(p) for p in original]
    for problem in original:
        if problem.cell is None:
            continue
        sheet, _, coordinate = problem.cell.rpartition("!")
        cell = book[sheet][coordinate]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE"), problem.cell
        assert message(problem) in cell.comment.text
    again = api.validate_file(marked).problems
    assert [(p.rule, p.cell, p.why, p.found) for p in again] == [(p.rule, p.cell, p.why, p.found) for p in original]


def test_units_filling_in_one_template_form_one_group_not_every_pair(tmp_path: Path) -> None:
    rng = random.Random(5)
    template = narrative(rng)
    for seed in range(6):
        agency_file(tmp_path / "in", f"{seed}.yaml", seed, template, agency=f"某某县第{seed}局")
    agency_file(tmp_path / "in", "own.yaml", 9, narrative(rng), agency="某某县自写局")
    batch = run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert len(batch.similar) == 5  # the links that join six reports, not their fifteen pairs
    found = {f.agency: [message(p) for p in f.problems if p.rule == "R-2"] for f in batch.files}
    assert found["某某县自写局"] == []
    assert all(len(found[f"某某县第{seed}局"]) == 1 for seed in range(6))
    assert (
        "“正文”，与某某县第1局、某某县第2局、某某县第3局等 5 个单位的报告雷同，其中与某某县第1局（"
        in found["某某县第0局"][0]
    )
    assert "）的报告重复 100%（" in found["某某县第0局"][0]
    assert "“正文”，与某某县第0局（" in found["某某县第5局"][0]


def test_a_letter_without_problems_has_no_empty_list() -> None:
    from gaigen.review.letters import Letter, letter_docx

    document = docx.Document(io.BytesIO(letter_docx(Letter("甲局", 2024, [], "请补充监督保障部分的考核情况"))))
    texts = [p.text for p in document.paragraphs]
    assert "你单位报送的《2024年甲局政府信息公开工作年度报告》经审核，现予退回。请按审核意见修改后重新报送。" in texts
    assert "审核意见：请补充监督保障部分的考核情况" in texts and document.tables == []
    assert texts[-1] == "年  月  日" and texts[-2] == "政府信息公开工作主管部门"
    page = document.sections[0]  # A4 with the margins of GB/T 9704
    assert (round(page.page_width.cm, 1), round(page.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(m.cm, 1) for m in (page.top_margin, page.bottom_margin, page.left_margin, page.right_margin)] == [
        3.7,
        3.5,
        2.8,
        2.6,
    ]
    assert document.settings.element.xpath("//w:compatSetting[@w:name='compatibilityMode']/@w:val") == ["15"]


@pytest.mark.parametrize("args", [["review"], ["review", "list", "--help"], ["review", "return", "-h"]])
def test_the_review_command_helps_in_chinese(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "用法：gaigen review" in out and "Usage" not in out and "Show this message" not in out
