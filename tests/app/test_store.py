"""Saving from the form: atomically, in the file's own format, changing only what was edited."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest

from gaigen.api.reports import init_data_file, validate_file
from gaigen.app.store import draft_path, new_file, open_file, save, write_draft
from gaigen.core.errors import ContentError
from gaigen.core.keys import canonicalize
from gaigen.files.load import read_document
from gaigen.spec import datafile, layout
from gaigen.spec.datafile import PLACEHOLDER

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "county-government-2024.yaml"
CELL = ("表三", layout.NEW_REQUESTS, "自然人")


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _data(path: Path) -> dict[str, object]:
    document = read_document(path)
    edition = validate_file(path).report.edition
    return canonicalize(document.data, datafile.tree(edition), edition).data


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name))


def test_saving_without_an_edit_leaves_the_file_byte_for_byte(example: Path) -> None:
    before = example.read_bytes()
    opened = open_file(example, example.name)
    save(opened, opened.values)
    assert example.read_bytes() == before


def test_one_edit_changes_one_line_and_keeps_comments(example: Path) -> None:
    before = example.read_text(encoding="utf-8")
    opened = open_file(example, example.name)
    key = opened.form.by_path[CELL].key
    save(opened, {**opened.values, key: "31"})
    after = example.read_text(encoding="utf-8")
    changed = _changed_lines(before, after)
    assert len(changed) == 2 and changed[0].startswith("-  一、本年新收") and "自然人: 31" in changed[1]
    assert [line for line in before.splitlines() if "#" in line] == [line for line in after.splitlines() if "#" in line]


def test_the_clerks_spelling_of_keys_stays(tmp_path: Path) -> None:
    path = tmp_path / "alias.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("机关名称:", "单位名称:", 1), encoding="utf-8")
    opened = open_file(path, path.name)
    name = opened.form.by_path[(datafile.AGENCY,)].key
    save(opened, {**opened.values, name: "某某县人民政府办公室"})
    text = path.read_text(encoding="utf-8")
    assert "单位名称: 某某县人民政府办公室" in text and "机关名称" not in text


def test_a_new_file_keeps_inits_hints_until_written_over(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    new_file(path, init_data_file(2021, "某某县交通运输局", "部门"))
    before = path.read_text(encoding="utf-8")
    opened = open_file(path, path.name)
    topic = opened.form.by_path[(layout.OVERVIEW, "主动公开")].key
    assert opened.values[topic] == "" and opened.hints[topic].startswith(PLACEHOLDER)
    save(opened, opened.values)
    assert path.read_text(encoding="utf-8") == before
    published = opened.form.by_path[(datafile.PUBLISHED,)].key
    save(opened, {**opened.values, topic: "第一段。\n第二段。", published: "2022-01-20"})
    after = path.read_text(encoding="utf-8")
    assert "  主动公开: |-\n    第一段。\n    第二段。\n" in after
    assert "版式: 2021\n发布日期: 2022-01-20\n" in after  # among the metadata, where init has it
    assert validate_file(path).report.published is not None


def test_a_workbook_is_saved_as_a_workbook(tmp_path: Path) -> None:
    from gaigen.files.workbook import starter_workbook

    path = tmp_path / "book.xlsx"
    path.write_bytes(starter_workbook(init_data_file(2021, "某某县交通运输局", "部门")))
    before = _data(path)
    opened = open_file(path, path.name)
    key = opened.form.by_path[CELL].key
    save(opened, {**opened.values, key: "7"})
    after = _data(path)
    assert after["表三"][layout.NEW_REQUESTS]["自然人"] == 7  # type: ignore[index]
    after["表三"][layout.NEW_REQUESTS]["自然人"] = 0  # type: ignore[index]
    assert after == before
    save(opened, {**opened.values, key: "七"})  # kept as typed, and named by validate, as in a YAML file
    assert any(p.rule == "T3-4" and p.cell for p in validate_file(path).problems)
    with pytest.raises(ContentError, match="控制字符"):
        save(opened, {**opened.values, opened.form.by_path[(datafile.AGENCY,)].key: "某\x01局"})


def test_json_is_saved_as_json(tmp_path: Path) -> None:
    from gaigen.api.convert import convert_file

    path = tmp_path / "data.json"
    convert_file(EXAMPLE, path)
    opened = open_file(path, path.name)
    save(opened, {**opened.values, opened.form.by_path[CELL].key: "31"})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["表三"][layout.NEW_REQUESTS]["自然人"] == 31


def test_a_draft_is_restored_and_a_save_drops_it(example: Path) -> None:
    opened = open_file(example, example.name)
    key = opened.form.by_path[CELL].key
    write_draft(opened, {**opened.values, key: "99"})
    assert draft_path(example).is_file()
    again = open_file(example, example.name)
    assert again.values[key] == "99" and again.restored and not again.stale
    example.write_text(example.read_text(encoding="utf-8") + "# 在别处改过\n", encoding="utf-8")
    again = open_file(example, example.name)
    assert again.restored and again.stale
    assert _data(example)["表三"][layout.NEW_REQUESTS]["自然人"] != 99  # type: ignore[index]
    save(again, again.values)
    assert not draft_path(example).exists()
    assert _data(example)["表三"][layout.NEW_REQUESTS]["自然人"] == 99  # type: ignore[index]
    assert open_file(example, example.name).restored is None


def test_a_broken_draft_is_ignored(example: Path) -> None:
    draft_path(example).write_text("{not json", encoding="utf-8")
    assert open_file(example, example.name).restored is None
