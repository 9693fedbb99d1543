"""The form is the data file's key tree and the official grids, and checking it is ``validate``."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaigen.api.reports import init_data_file, validate_document, validate_file
from gaigen.app.form import data_of, field_for, form_for, shown, typed, values_of
from gaigen.core.document import Document
from gaigen.core.keys import canonicalize
from gaigen.core.problems import Problem, message
from gaigen.files.load import read_document
from gaigen.files.source import parse_text
from gaigen.spec import datafile, layout
from gaigen.spec.datafile import Key, Leaf
from gaigen.spec.grid import grids
from gaigen.spec.layout import Edition, Kind

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("edition", list(Edition), ids=lambda e: e.value)
def test_every_value_of_the_data_file_has_one_field(edition: Edition) -> None:
    form = form_for(edition)
    leaves = [path for path, entry in datafile.walk(datafile.tree(edition)) if isinstance(entry, Key)]
    assert [f.path for f in form.fields] == [p for p in leaves if p != (datafile.EDITION,)]
    assert len({f.id for f in form.fields}) == len(form.fields)


@pytest.mark.parametrize("edition", list(Edition), ids=lambda e: e.value)
def test_tables_are_the_official_grids(edition: Edition) -> None:
    """Each table has the labels, spans and number cells of gaigen.spec.grid (the Word tables' grid)."""
    for view, grid in zip(form_for(edition).tables, grids(edition), strict=True):
        cells = sorted(grid.cells, key=lambda c: (c.row, c.col))
        drawn = [cell for row in view.rows for cell in row]
        assert len(view.rows) == grid.rows and len(drawn) == len(cells)
        for cell, official in zip(drawn, cells, strict=True):
            assert (cell.rowspan, cell.colspan, cell.text) == (official.rowspan, official.colspan, official.text)
            if official.key is None:
                assert cell.field is None
            else:
                table, row, column = official.key
                assert cell.field is not None and cell.field.path == (table, *row, column)


def _said(problems: list[Problem]) -> Counter[tuple[str, str]]:
    return Counter((p.rule, message(replace(p, file=None, line=None, column=None, cell=None))) for p in problems)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_checking_the_form_says_what_validate_says(example: Path) -> None:
    """The file's values put through the form and back give the same problems, word for word."""
    expected = validate_file(example)
    form = form_for(expected.report.edition)
    document = read_document(example)
    canonical = canonicalize(document.data, datafile.tree(form.edition), form.edition).data
    data = data_of(form, values_of(form, canonical))
    checked = validate_document(Document(path=example, name=example.name, data=data))
    assert _said(checked.problems) == _said(expected.problems)


def test_a_table3_slip_lands_on_its_cell() -> None:
    form = form_for(Edition.E2021)
    values = values_of(form, {})
    data = data_of(form, {**values})
    checked = validate_document(Document(path=Path("x.yaml"), name="x.yaml", data=data))
    assert any(p.rule == "T0-1" for p in checked.problems)  # every cell empty: missing, never 0
    starter = parse_text(init_data_file(2021, "某某局", "部门"), "new.yaml").data  # 总计 left out, as init does
    values = values_of(form, starter)
    cell = form.by_path[("表三", layout.NEW_REQUESTS, "自然人")]
    values[cell.key] = "1"
    checked = validate_document(Document(path=Path("new.yaml"), name="new.yaml", data=data_of(form, values)))
    slips = {p.col_label: field_for(form, p) for p in checked.problems if p.rule == "T3-1"}
    assert slips == {  # the 总计 is not in the file (init leaves it out), yet its slip lands on its cell
        "自然人": form.by_path[("表三", layout.CARRIED_FORWARD, "自然人")],
        "总计": form.by_path[("表三", layout.CARRIED_FORWARD, "总计")],
    }


def test_totals_add_what_the_layout_says() -> None:
    form = form_for(Edition.E2021)
    by_id = {f.id: f for f in form.fields}
    total = form.by_path[("表三", layout.OUTCOMES, layout.OUTCOME_TOTAL, "自然人")]
    parts = [by_id[i].path for i in form.sums[total.id]]
    rows = [path for path, _ in layout.table(Edition.E2021, "表三").rows() if path[0] == layout.OUTCOMES]
    assert len(parts) == len(rows) - 1 and all(
        p[0] == "表三" and p[1] == layout.OUTCOMES and p[-1] == "自然人" for p in parts
    )
    row_total = form.by_path[("表四", layout.REVIEW, "总计")]
    assert [by_id[i].path[-1] for i in form.sums[row_total.id]] == ["结果维持", "结果纠正", "其他结果", "尚未审结"]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_round_trip(value: int) -> None:
    assert typed(shown(value), Kind.COUNT) == value


@given(st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False, allow_infinity=False))
def test_money_round_trips_exactly(value: Decimal) -> None:
    back = typed(shown(value), Kind.MONEY)
    assert back == value and shown(back) == shown(value)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("", Kind.COUNT, None),
        ("  12 ", Kind.COUNT, 12),
        ("12.0", Kind.COUNT, Decimal("12.0")),  # the reader refuses it, as in a file
        ("１２", Kind.COUNT, "１２"),
        ("12件", Kind.COUNT, "12件"),
        ("2025-01-20", Leaf.DATE, __import__("datetime").date(2025, 1, 20)),
        ("2025年1月20日", Leaf.DATE, "2025年1月20日"),
        ("第一段\r\n\r\n  第二段 ", Leaf.TEXT, "第一段\n第二段"),
    ],
)
def test_typed_values_are_what_a_file_would_hold(text: str, kind: Kind | Leaf, value: object) -> None:
    assert typed(text, kind) == value


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(list(Edition)), st.booleans())
def test_a_report_through_the_form_is_the_same_report(seed: int, edition: Edition, totals: bool) -> None:
    """Random consistent reports (every rule kept): their values shown in the form and read back give the same cells."""
    import random

    from tests.builders import fill_consistent, starter

    data = starter(edition, "某某县人民政府", "政府")
    fill_consistent(data, edition, random.Random(seed), with_totals=totals)
    form = form_for(edition)
    direct = validate_document(Document(path=Path("a.yaml"), name="a.yaml", data=data))
    through = validate_document(Document(path=Path("a.yaml"), name="a.yaml", data=data_of(form, values_of(form, data))))
    assert through.report.cells == direct.report.cells
    assert through.report.narrative == direct.report.narrative
    assert _said(through.problems) == _said(direct.problems)


def test_hints_say_what_to_type_into_the_field_not_yaml() -> None:
    from gaigen.app.routes import problems_json

    example = ROOT / "examples" / "invalid-seed003-yichun-2020.yaml"  # no 发布日期: N-3
    form = form_for(Edition.E2019)
    validation = validate_file(example)
    texts = [item["text"] for item in problems_json(form, validation)["problems"] if item["rule"] == "N-3"]
    assert texts and all(text.endswith("如已确定发布日期，请填写，如 2021-01-20") for text in texts), texts
