"""Real published reports (tests/data/corpus): every cell read right or left as a gap, never wrong.

The figures per form are written in the README (section “读取和审阅已发布的报告”); a test keeps
them in step with what the importer reads today, so a change that reads less, or reads a cell
wrong, fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gaigen.api.check import check_imported
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
