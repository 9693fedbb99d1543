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
from tests.importing import corpus
from tests.importing.corpus import FORMS, Score, form, percent, reports, score

README = Path(__file__).resolve().parents[2] / "README.md"
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
