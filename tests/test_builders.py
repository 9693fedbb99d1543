"""The generated data files that tests and benchmarks use are ones gaigen accepts, whatever the seed."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gaigen.api import reports as api
from gaigen.spec import layout
from gaigen.spec.layout import Edition, Kind
from tests.builders import fill_consistent, starter, write


@given(seed=st.integers(0, 2**32 - 1), edition=st.sampled_from(list(Edition)), totals=st.booleans())
def test_a_generated_file_is_valid_for_every_seed(
    tmp_path_factory: object, seed: int, edition: Edition, totals: bool
) -> None:
    folder: Path = tmp_path_factory.mktemp("gen")  # type: ignore[attr-defined]
    data = starter(edition, f"某某县第{seed}局")
    fill_consistent(data, edition, random.Random(seed), with_totals=totals)
    text = write(data, folder / "data.yaml").read_text(encoding="utf-8")
    assert "!!" not in text
    validation = api.validate_file(folder / "data.yaml")
    assert validation.errors == [], validation.errors


def test_a_whole_amount_is_written_as_a_number_gaigen_reads(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    fill_consistent(data, Edition.E2021, random.Random(1), with_totals=False)
    money = [
        (path, column.label)
        for path, row in layout.table(Edition.E2021, "表二").rows()
        for column in row.columns
        if column.kind is Kind.MONEY
    ]
    assert money
    for path, column in money:
        data["表二"][path[0]][column] = Decimal(43830000) / Decimal(10**4)  # 4383, as the generator makes it
    text = write(data, tmp_path / "data.yaml").read_text(encoding="utf-8")
    assert "!!" not in text
    assert api.validate_file(tmp_path / "data.yaml").errors == []
