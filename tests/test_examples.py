"""The data files in examples/: the five seed transcriptions and the two clean fictional reports.

Valid examples must have no errors (the clean ones no warnings either); the two invalid seed
transcriptions must give exactly the errors their header comments explain, at the right rows.
A new example file must be added to the expectations here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gaigen.api.reports import Validation, validate_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

CLEAN = {"county-bureau-2020.yaml", "county-government-2024.yaml"}
SEEDS = {"seed000-yuanzhou-2020.yaml", "seed002-zhangshu-2023.yaml", "seed004-tianyuan-2022.yaml"}
SEED001 = "invalid-seed001-jinshui-2020.yaml"
SEED003 = "invalid-seed003-yichun-2020.yaml"
VALID = CLEAN | SEEDS
INVALID = {SEED001, SEED003}

CARRIED_FORWARD = "四、结转下年度继续办理"
SEED001_LOST_ROWS = (
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
)
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

_cache: dict[str, Validation] = {}


def validated(name: str) -> Validation:
    if name not in _cache:
        _cache[name] = validate_file(EXAMPLES / name)
    return _cache[name]


def where(problems: list) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    return sorted((p.rule, p.row or "", p.col_label or "") for p in problems)


def line_of(name: str, key: str) -> int:
    """Return the 1-based line of the data file where ``key:`` is written."""
    lines = (EXAMPLES / name).read_text(encoding="utf-8").splitlines()
    found = [n for n, text in enumerate(lines, 1) if text.lstrip().startswith(f"{key}:")]
    assert len(found) == 1, (key, found)
    return found[0]


def test_example_files_are_exactly_the_expected_ones() -> None:
    assert {p.name for p in EXAMPLES.glob("*.yaml")} == VALID | INVALID


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_example_has_no_errors(name: str) -> None:
    result = validated(name)
    assert [p.rule for p in result.errors] == []


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean_example_has_no_warnings(name: str) -> None:
    result = validated(name)
    assert result.problems == []


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_transcription_warns_only_about_the_missing_date(name: str) -> None:
    # The published reports give no publication date; nothing else may be found in them.
    assert [p.rule for p in validated(name).warnings] == ["N-3"]


def test_seed003_breaks_the_balance_of_row_four() -> None:
    result = validated(SEED003)
    assert where(result.errors) == [
        ("T3-1", "", "自然人"),
        ("T3-3", CARRIED_FORWARD, "总计"),
        ("T3-5", CARRIED_FORWARD, "自然人"),
    ]
    row_four = line_of(SEED003, CARRIED_FORWARD)
    assert {p.line for p in result.errors} == {row_four}


def test_seed001_reports_each_lost_cell_as_missing() -> None:
    result = validated(SEED001)
    expected = [("T0-1", row, column) for row in SEED001_LOST_ROWS for column in APPLICANTS]
    assert where(result.errors) == sorted(expected)
    for row in SEED001_LOST_ROWS:
        lines = {p.line for p in result.errors if p.row == row}
        assert lines == {line_of(SEED001, row)}
