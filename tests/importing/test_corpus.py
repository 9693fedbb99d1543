"""Real published reports (tests/data/corpus): every cell read right or left as a gap, never wrong.

The figures per form are written in the README (section “读取和审阅已发布的报告”); a test keeps
them in step with what the importer reads today, so a change that reads less, or reads a cell
wrong, fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gaigen.api.check import check_file, check_imported, record, summary
from gaigen.core.problems import message
from gaigen.importing import data_file_text, import_report
from gaigen.spec.layout import APPLICANT_COLUMNS, Edition
from tests.importing import corpus
from tests.importing.corpus import FORMS, Score, form, percent, reports, score

README = Path(__file__).resolve().parents[2] / "README.md"
COLUMNS = [column.label for column in APPLICANT_COLUMNS]
REPORTS = reports()


@pytest.mark.parametrize("path", REPORTS, ids=[path.name for path in REPORTS])
def test_no_cell_is_read_wrong(path: Path) -> None:
    imported, scores = score(path)
    assert {key: result.wrong_cells for key, result in scores.items() if result.wrong} == {}
    transcription = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert (imported.year, imported.edition.value) == (transcription["年度"], str(transcription["版式"]))


def test_the_corpus_has_every_form() -> None:
    assert len(REPORTS) >= 20
    assert {form(path) for path in REPORTS} == set(FORMS)


def figures() -> list[str]:
    """Return the README's table: per form, the reports and 表三/表四 cells read right, wrong, left as gaps."""
    by_form: dict[str, dict[str, Score]] = {}
    counts: dict[str, int] = {}
    verdicts: dict[str, dict[str, int]] = {}
    for path in REPORTS:
        imported, scores = score(path)
        key = form(path)
        counts[key] = counts.get(key, 0) + 1
        for table, result in scores.items():
            by_form.setdefault(key, {}).setdefault(table, Score()).add(result)
        audit = check_imported(imported).audit
        assert audit is not None
        verdict = verdicts.setdefault(key, {})
        verdict[audit.verdict] = verdict.get(audit.verdict, 0) + 1
    lines = [
        "| 形式 | 报告 | 表三：读对 / 读错 / 未读出 | 表三读对率 | 表四：读对 / 读错 / 未读出 | `check` 结论 |",
        "|---|---|---|---|---|---|",
    ]
    total = {table: Score() for table in corpus.TABLES}
    for key, name in FORMS.items():
        three, four = by_form[key]["表三"], by_form[key]["表四"]
        total["表三"].add(three)
        total["表四"].add(four)
        shown = "，".join(f"{state} {n}" for state, n in sorted(verdicts[key].items()))
        lines.append(
            f"| {name} | {counts[key]} | {three.right} / {three.wrong} / {three.gaps} | "
            f"{percent(three.right, three.right + three.gaps)} | {four.right} / {four.wrong} / {four.gaps} | {shown} |"
        )
    three, four = total["表三"], total["表四"]
    lines.append(
        f"| 合计 | {len(REPORTS)} | {three.right} / {three.wrong} / {three.gaps} | "
        f"{percent(three.right, three.right + three.gaps)} | {four.right} / {four.wrong} / {four.gaps} | |"
    )
    return lines


def test_readme_gives_the_corpus_figures() -> None:
    text = README.read_text(encoding="utf-8")
    table = "\n".join(figures())
    assert table in text, "README 的语料数字已过时，应为：\n" + table


def test_a_fused_row_no_split_can_balance_is_a_certain_violation(tmp_path: Path) -> None:
    """平潭 2022 with a digit added to its （一） run: every split breaks T3-3, so that is reported as certain."""
    text = (corpus.CORPUS / "007_pingtan-2022.txt").read_text(encoding="utf-8")
    assert text.count("（一）予以公开 210000021") == 1
    changed = tmp_path / "pingtan.txt"
    changed.write_text(text.replace("（一）予以公开 210000021", "（一）予以公开 2110000021"), encoding="utf-8")
    checked = check_file(changed)
    assert [message(p) for p in checked.errors] == [
        f"{changed} 第 9 行：表三“（一）予以公开”，数字粘连成“2110000021”，无论怎样切分，总计等于自然人至其他各列之和"
        "都不成立（T3-3）。请核对原报告中这一行的数字。"
    ]
    assert checked.audit is not None and checked.audit.rules["T3-3"] == "不通过"
    assert checked.imported is not None
    gaps = {gap.path[-1]: gap.why for gap in checked.imported.gaps if gap.path[-2] == "（一）予以公开"}
    assert gaps["总计"] == "原报告数字串“2110000021”有多种切分（无论哪种，勾稽关系都不成立），这一格可能是 1、21"
    assert "社会公益组织" not in gaps  # every split puts 0 there: read


def test_a_misprinted_run_that_still_splits_one_way_is_reported_by_the_rules(tmp_path: Path) -> None:
    text = (corpus.CORPUS / "007_pingtan-2022.txt").read_text(encoding="utf-8")
    changed = tmp_path / "pingtan.txt"
    changed.write_text(text.replace("（七）总计 723000075", "（七）总计 723000076"), encoding="utf-8")
    checked = check_file(changed)
    assert {p.rule for p in checked.errors} == {"T3-1", "T3-2", "T3-3", "T3-5"}
    assert all("数字粘连" not in message(p) for p in checked.errors)  # said once, with the numbers


def test_cells_fixed_by_an_identity_are_named_in_the_record() -> None:
    checked = check_file(corpus.CORPUS / "007_pingtan-2022.txt")
    fixed = record(checked)["fixed"]
    assert {"path": ["表三", "一、本年新收政府信息公开申请数量", "自然人"], "rules": ["T3-3"]} in fixed
    assert checked.audit is not None and checked.audit.used["T3-3"] >= 7
    assert "切分粘连数字时用到 T3-3" in summary(checked)


def test_tables_of_two_editions_are_each_read_in_their_own_layout() -> None:
    """洪泽区 2024: 表二 in the 2021 layout, 表三 in the 2019 one — 表三 is kept whole, not dropped."""
    checked = check_file(corpus.CORPUS / "003_hongze-2024.pdf")
    imported = checked.imported
    assert imported is not None
    assert imported.edition is Edition.E2021 and imported.table_editions == {"表三": Edition.E2019}
    outcomes = imported.data["表三"]["三、本年度办理结果"]
    assert outcomes["（六）其他处理"] == {c: 0 for c in COLUMNS}  # the 2019 row, as printed
    assert [gap.path for gap in imported.gaps if gap.path[0] == "表三"] == []
    assert [(p.rule, p.table) for p in checked.errors] == [("F-3", "表三")]  # said once, not per row
    assert checked.audit is not None and checked.audit.rules["T3-2"] == "通过"  # checked in its own layout


def test_2019_label_in_a_2021_table2_is_a_wording_slip() -> None:
    """上海市科委 2024: 表二 prints 规范性文件 (the 2019 label) among 2021 rows: F-5, and the row is read."""
    checked = check_file(corpus.CORPUS / "012_shanghai-kewei-2024.md")
    imported = checked.imported
    assert imported is not None and imported.edition is Edition.E2021
    assert imported.data["表二"]["行政规范性文件"] == {"本年制发件数": 13, "本年废止件数": 0, "现行有效件数": 55}
    slips = [message(p) for p in checked.warnings if p.rule == "F-5" and p.subject == "规范性文件"]
    assert slips and "与官方标签“行政规范性文件”不一致" in slips[0]
    assert "F-3" not in {p.rule for p in checked.problems}


def test_data_file_of_a_report_in_two_editions_lists_what_its_layout_cannot_hold() -> None:
    imported = import_report(corpus.CORPUS / "003_hongze-2024.pdf", "003.pdf")
    text = data_file_text(imported)
    assert text.count("原报告表三使用 2019 版式（国办公开办函〔2019〕60号），没有这一格") == 21
    assert "原报告表三按 2019 版式印有“（六）其他处理”一行（自然人 0、" in text
    assert "    （一）予以公开: {自然人: " in text  # the rows both layouts share are written


def test_a_missing_required_part_is_one_error(tmp_path: Path) -> None:
    """平潭 2022 without its 表四, then without its 六: each is one error (N-1), the verdict 不通过."""
    text = (corpus.CORPUS / "007_pingtan-2022.txt").read_text(encoding="utf-8")
    no_table4 = tmp_path / "no-table4.txt"
    no_table4.write_text(text[: text.index("四、政府信息公开行政法复议")] + text[text.index("五、存在的") :], "utf-8")
    checked = check_file(no_table4)
    assert [message(p) for p in checked.errors] == [
        f"{no_table4}：原报告中找不到表四（四、政府信息公开行政复议、行政诉讼情况）（N-1）。请按格式补上这张表。"
    ]
    assert checked.audit is not None and checked.audit.rules["T4-1"] == "无法判定"
    no_six = tmp_path / "no-six.txt"
    no_six.write_text(text[: text.index("六、其他需要报告的事项")], "utf-8")
    assert [(p.rule, p.subject) for p in check_file(no_six).errors] == [("N-1", "六、其他需要报告的事项")]


def test_an_identity_only_used_to_split_is_not_reported_as_verified() -> None:
    """平潭 2021's 表四 is one fused run of 17 digits: T4-1…3 chose its split, so they verify nothing."""
    checked = check_file(corpus.CORPUS / "006_pingtan-2021.txt")
    assert checked.audit is not None
    assert [checked.audit.rules[rule] for rule in ("T4-1", "T4-2", "T4-3")] == ["用于切分"] * 3
    assert checked.audit.rules["T3-1"] == "通过"  # its cells were read without it
    assert checked.audit.verdict == "通过"
