"""``gaigen schema`` is a valid JSON Schema that accepts real data files; ``gaigen init`` output validates."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from gaigen.api import reports as api
from gaigen.cli.commands import main
from gaigen.spec import layout
from gaigen.spec.datafile import PLACEHOLDER
from gaigen.spec.layout import Edition
from tests.builders import YEARS, set_cell, starter, write

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


def as_json(value: Any) -> Any:
    """Return YAML-loaded data as JSON would carry it (dates as text, decimals as numbers)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


@pytest.mark.parametrize("edition", [None, *Edition])
def test_schema_is_valid_json_schema(edition: Edition | None) -> None:
    document = api.schema(edition)
    jsonschema.Draft202012Validator.check_schema(document)


@pytest.mark.parametrize("edition", list(Edition))
def test_schema_accepts_init_output_and_rejects_wrong_types(edition: Edition) -> None:
    validator = jsonschema.Draft202012Validator(api.schema())
    data = as_json(starter(edition))
    assert list(validator.iter_errors(data)) == []
    data["表三"][layout.NEW_REQUESTS]["自然人"] = "3"
    assert list(validator.iter_errors(data))
    data["表三"][layout.NEW_REQUESTS]["自然人"] = 3
    data["表三"]["不存在的行"] = {}
    assert list(validator.iter_errors(data))


@pytest.mark.parametrize("path", [p for p in EXAMPLES if not p.name.startswith("invalid-")], ids=lambda p: p.name)
def test_schema_accepts_every_valid_example(path: Path) -> None:
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert list(jsonschema.Draft202012Validator(api.schema()).iter_errors(data)) == []


def test_schema_command_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "schema.json"
    assert main(["schema", "--edition", "2021", "-o", str(target)]) == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["title"].endswith("（2021 版式）")
    assert "表三" in document["properties"]


@pytest.mark.parametrize("edition", list(Edition))
def test_init_output_validates_once_the_narrative_is_written(tmp_path: Path, edition: Edition) -> None:
    target = tmp_path / "new.yaml"
    assert main(["init", "--year", str(YEARS[edition]), "--agency", "某某县统计局", "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    blocked = api.validate_file(target)
    assert {p.rule for p in blocked.errors} == {"N-1"}  # only the placeholders block it
    target.write_text(text.replace(PLACEHOLDER, ""), encoding="utf-8")
    result = api.validate_file(target)
    assert result.errors == []
    assert [p.rule for p in result.warnings] == ["N-3"]  # 发布日期 is left for the clerk


def test_init_prefills_from_last_year(tmp_path: Path) -> None:
    last = starter(Edition.E2021)
    last["年度"], last["发布日期"] = 2023, "2024-01-20"
    set_cell(last, "表三", (layout.NEW_REQUESTS,), "自然人", 4)
    set_cell(last, "表三", (layout.OUTCOMES, "（一）予以公开"), "自然人", 1)
    set_cell(last, "表三", (layout.CARRIED_FORWARD,), "自然人", 3)
    last["表二"]["行政规范性文件"] = {"本年制发件数": 2, "本年废止件数": 0, "现行有效件数": 9}
    previous = write(last, tmp_path / "2023.yaml")
    text = api.init_data_file(2024, None, None, previous)
    data = yaml.safe_load(text)
    assert data["机关名称"] == last["机关名称"]
    assert data["表三"][layout.CARRIED_OVER]["自然人"] == 3
    assert data["表二"]["行政规范性文件"]["现行有效件数"] == 9
    new = tmp_path / "2024.yaml"
    new.write_text(text.replace(PLACEHOLDER, "本年度开展了工作。"), encoding="utf-8")
    rules = {p.rule for p in api.validate_file(new, previous).problems}
    assert "T3-6" not in rules and "T2-3" not in rules


def test_init_refuses_a_previous_file_of_the_wrong_year(tmp_path: Path) -> None:
    previous = write(starter(Edition.E2021), tmp_path / "2024.yaml")
    with pytest.raises(api.UsageError, match="应给出 2025 年度"):
        api.init_data_file(2026, "某局", None, previous)
