"""Open, save and draft a data file for the form: the library's readers and writers, nothing of its own.

Opening reads the file as ``validate`` does (``read_document``) and keys it to the official labels
(``canonicalize``). Saving writes the file in its own format, atomically (``write_atomic``): a
workbook as a workbook (``gaigen.files.workbook``), JSON as ``convert`` writes it, and YAML through
ruamel.yaml's round trip, changing only the values that changed, so comments, order and the
clerk's own spelling of keys stay as they were. The draft is a small JSON file beside the data
file (``名称.yaml.gaigen-draft``), written on every autosave and removed by a save; opening a file
that has one restores it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from gaigen.api.convert import payload, without_open_totals
from gaigen.app.form import Form, data_of, form_for, shown, values_of
from gaigen.core.errors import InputError, OutputError
from gaigen.core.keys import canonicalize
from gaigen.files.load import read_document
from gaigen.files.output import write_atomic
from gaigen.files.reading import read_report
from gaigen.files.scaffold import scalar
from gaigen.files.source import parse_text
from gaigen.spec import datafile
from gaigen.spec.datafile import PLACEHOLDER
from gaigen.spec.layout import Edition

DRAFT_SUFFIX = ".gaigen-draft"
MAX_DRAFT_BYTES = 2 * 1024 * 1024


@dataclass
class Opened:
    """A data file as the form shows it."""

    path: Path
    form: Form
    values: dict[str, str]  # by path key
    hints: dict[str, str] = field(default_factory=dict)  # text fields still holding init's hint
    unknown: int = 0  # keys the form cannot show (kept in the file when it is saved)
    digest: str = ""  # of the file as opened
    restored: str | None = None  # the time of the draft restored, if one was
    stale: bool = False  # the file changed after that draft was written (edited elsewhere)
    current: dict[str, str] = field(default_factory=dict)  # the values last sent by the browser

    def __post_init__(self) -> None:
        self.current = self.current or dict(self.values)

    @property
    def edition(self) -> Edition:
        return self.form.edition


def digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def open_file(path: Path, shown_name: str) -> Opened:
    """Return the file at ``path`` as form values, with its draft restored when one is beside it.

    Raise ``InputError`` when the file cannot be read as a data file.
    """
    document = read_document(path, shown_name)
    result = read_report(document)
    edition = result.report.edition
    canonical = canonicalize(document.data, datafile.tree(edition), edition)
    form = form_for(edition)
    values = values_of(form, canonical.data)
    hints = {f.key: values[f.key] for f in form.texts() if values[f.key].startswith(PLACEHOLDER)}
    for key in hints:
        values[key] = ""  # the hint is shown as the text area's placeholder
    opened = Opened(path, form, values, hints, len(canonical.problems), digest(path))
    draft = read_draft(path)
    if draft is not None and draft.get("edition") == edition.value:
        opened.values.update({k: str(v) for k, v in draft.get("values", {}).items() if k in opened.values})
        opened.restored = str(draft.get("time", ""))
        opened.stale = draft.get("base") != opened.digest
        opened.current = dict(opened.values)
    return opened


def draft_path(path: Path) -> Path:
    return path.with_name(path.name + DRAFT_SUFFIX)


def read_draft(path: Path) -> dict[str, Any] | None:
    """Return the draft beside ``path``, or None when there is none (or it is unreadable)."""
    draft = draft_path(path)
    try:
        if draft.stat().st_size > MAX_DRAFT_BYTES:
            return None
        found = json.loads(draft.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and isinstance(found.get("values"), dict) else None


def write_draft(opened: Opened, values: Mapping[str, str], now: dt.datetime | None = None) -> str:
    """Write the form's values beside the file; return the time written (shown to the clerk)."""
    moment = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
    record = {
        "file": opened.path.name,
        "edition": opened.edition.value,
        "time": moment,
        "base": opened.digest,
        "values": {k: v for k, v in values.items() if k in opened.values},
    }
    write_atomic(draft_path(opened.path), json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    return moment


def drop_draft(path: Path) -> None:
    draft_path(path).unlink(missing_ok=True)


def save(opened: Opened, values: Mapping[str, str]) -> None:
    """Write the form's values to the data file in its own format, atomically; then drop the draft.

    Raise ``OutputError`` when the file cannot be written, ``ContentError`` when a workbook cell cannot
    hold what was typed (a control character, over 32,767 characters).
    """
    data = data_of(opened.form, values, opened.hints)
    suffix = opened.path.suffix.lower()
    if suffix == ".xlsx":
        blob = payload(data, opened.edition, ".xlsx")  # ContentError names a value no cell can hold
    elif suffix == ".json":
        blob = payload(without_open_totals(data, opened.edition), opened.edition, ".json")
    else:
        blob = updated_yaml(opened.path, data, opened.form).encode("utf-8")
    write_atomic(opened.path, blob)
    drop_draft(opened.path)
    opened.values = dict(values)
    opened.digest = digest(opened.path)


def new_file(path: Path, text: str) -> None:
    """Write a starter data file (``init``'s text) at ``path``: a workbook for ``.xlsx``; never over a file."""
    if path.exists():
        raise OutputError(f"{path.name}：文件已存在，为免覆盖已填写的内容，没有写入。请打开该文件，或换一个机关名称。")
    if path.suffix.lower() == ".xlsx":
        from gaigen.files.workbook import starter_workbook

        write_atomic(path, starter_workbook(text))
    else:
        write_atomic(path, text.encode("utf-8"))


# --- YAML, comments kept ---------------------------------------------------------------------------


def updated_yaml(path: Path, data: Mapping[str, Any], form: Form) -> str:
    """Return the YAML file at ``path`` with the form's values put in, everything else as it was."""
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import LiteralScalarString

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path.name}：无法读取原文件，没有保存。") from error
    edition = form.edition
    text = _uncommented(text, data)
    before = canonicalize(parse_text(text, path.name).data, datafile.tree(edition), edition)
    old = values_of(form, before.data)
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.representer.add_representer(Decimal, _decimal)
    tree = yaml.load(text)
    changed = False
    for item in form.fields:
        value = _dig(data, item.path)
        existed = _dig(before.data, item.path, True) is not _MISSING
        if (value is None and not existed) or (existed and shown(value) == old[item.key]):
            continue
        source = _source_path(before.origin, item.path)
        parent = tree
        for part in source[:-1]:
            if part not in parent:
                parent[part] = {}
            parent = parent[part]
        current = parent.get(source[-1])
        if item.is_text and isinstance(value, str) and (isinstance(current, LiteralScalarString) or "\n" in value):
            value = LiteralScalarString(value) if value else value
        _put(parent, source[-1], value, tree)
        changed = True
    if not changed:
        return text
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


_MISSING = object()


def _uncommented(text: str, data: Mapping[str, Any]) -> str:
    """Return ``text`` with init's commented-out metadata lines (``# 发布日期: …``) made real where now given.

    The new item then stands where ``init`` put its hint, among the metadata, and not after the
    comments that ruamel.yaml attaches to the key before it.
    """
    lines = text.split("\n")
    for key in (datafile.PUBLISHED, datafile.WEBSITE, datafile.CONTACT):
        value = data.get(key)
        if value is None or any(line.startswith(f"{key}:") for line in lines):
            continue
        for i, line in enumerate(lines):
            if line.startswith(f"# {key}:"):
                written = value.isoformat() if isinstance(value, dt.date) else scalar(str(value))
                lines[i] = f"{key}: {written}"
                break
    return "\n".join(lines)


def _dig(data: Any, path: tuple[str, ...], marker: bool = False) -> Any:
    for part in path:
        if not isinstance(data, Mapping) or part not in data:
            return _MISSING if marker else None
        data = data[part]
    return data


def _source_path(origin: Mapping[tuple[str, ...], tuple[str | int, ...]], path: tuple[str, ...]) -> tuple[Any, ...]:
    """Return the keys as the file spells them down to ``path`` (official labels below what it has)."""
    for end in range(len(path), 0, -1):
        found = origin.get(path[:end])
        if found is not None:
            return (*found, *path[end:])
    return path


def _put(parent: Any, key: Any, value: Any, tree: Any) -> None:
    """Set ``key``; a new top-level item of the metadata goes after the last one, as ``init`` orders them."""
    if key in parent or parent is not tree or key not in datafile.META_KEYS:
        parent[key] = value
        return
    keys = list(parent)
    last_meta = max((i for i, k in enumerate(keys) if k in datafile.META_KEYS), default=-1)
    parent.insert(last_meta + 1, key, value)


def _decimal(representer: Any, value: Decimal) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))
