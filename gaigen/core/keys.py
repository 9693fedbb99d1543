"""Match the keys a clerk wrote to the official labels: aliases, loose spelling, did-you-mean.

Keys are compared after NFKC normalisation (full-width and half-width brackets and digits are the
same), with white space removed and the ordinal prefix (``一、``, ``（三）``, ``1.``) optional. A key
that matches nothing is reported with the nearest official labels, and a key that belongs to the
other edition says so (rule E-1), because that is the commonest way a clerk's number goes missing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gaigen.core.problems import Problem, Severity
from gaigen.spec.datafile import Entry, KeyPath, Section, entry_at
from gaigen.spec.layout import Edition

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、,.]|\([一二三四五六七八九十]+\)|[0-9]+[.、,])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "－": "-"})


def normalize(text: str) -> str:
    """Return ``text`` in the form used to compare keys."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_QUOTES))


def core(text: str) -> str:
    """Return the normalised ``text`` without its ordinal prefix."""
    return _ORDINAL.sub("", normalize(text))


def _forms(entry: Entry) -> tuple[frozenset[str], frozenset[str]]:
    """Return the exact forms of an entry's label and aliases, and the cores of those with an ordinal."""
    return _label_forms((entry.label, *entry.aliases))


@cache
def _label_forms(texts: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    exact: set[str] = set()
    cores: set[str] = set()
    for text in texts:
        exact.add(normalize(text))
        if core(text) != normalize(text):
            cores.add(core(text))
    exact.discard("")
    cores.discard("")
    return frozenset(exact), frozenset(cores)


def match(key: str, section: Section) -> Entry | None:
    """Return the child of ``section`` that ``key`` names, or None when none or several do.

    ``（三）不予公开``, ``(三)不予公开`` and ``不予公开`` name the same row; ``3.其他`` names the row
    ``3.其他`` but never the column ``其他``: a key with an ordinal only matches a label with one.
    """
    exact_matches = [c for c in section.children if c.label == key]
    if exact_matches:
        return exact_matches[0]
    plain, bare = normalize(key), core(key)
    has_ordinal = plain != bare
    found = []
    for child in section.children:
        exact, cores = _forms(child)
        if plain in exact or (has_ordinal and bare in cores) or (not has_ordinal and plain in cores):
            found.append(child)
    return found[0] if len(found) == 1 else None


def suggestions(key: str, section: Section, present: set[str] | None = None) -> list[str]:
    """Return up to three official labels of ``section`` that look like ``key`` and are not given yet."""
    taken = present or set()
    by_form: dict[str, str] = {}
    for child in section.children:
        if child.label in taken:
            continue
        exact, cores = _forms(child)
        for form in exact | cores:
            by_form.setdefault(form, child.label)
    close = difflib.get_close_matches(core(key), list(by_form), n=6, cutoff=0.5)
    labels: list[str] = []
    for form in close:
        if by_form[form] not in labels:
            labels.append(by_form[form])
    return labels[:3]


@dataclass
class Canonical:
    """A document's values under official labels, and where each came from in the file."""

    data: dict[str, Any]
    origin: dict[KeyPath, tuple[str | int, ...]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def canonicalize(data: dict[str, Any], tree: Section, edition: Edition) -> Canonical:
    """Return ``data`` with every key replaced by its official label; unknown keys become problems."""
    result = Canonical(data={})
    result.data = _section(data, tree, (), (), edition, result)
    return result


def _section(
    values: dict[str, Any],
    section: Section,
    path: KeyPath,
    source: tuple[str | int, ...],
    edition: Edition,
    result: Canonical,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    taken: dict[str, str] = {}
    # Each key is matched once: matching inside the loop of unknown keys made a file with many
    # unknown keys (a wrong template, a bulk paste) cost quadratic time (issue 17, row 3).
    entries = {key: match(key, section) for key in values}
    present = {entry.label for entry in entries.values() if entry is not None}
    for key, value in values.items():
        key_source = (*source, key)
        entry = entries[key]
        if entry is None:
            result.problems.append(_unknown(key, section, path, key_source, edition, present))
            continue
        canonical_path = (*path, entry.label)
        if entry.label in taken:
            result.problems.append(
                Problem(
                    "K-2",
                    Severity.ERROR,
                    f"与“{taken[entry.label]}”指的是同一项",
                    "请只保留其中一个。",
                    table=section.table,
                    subject=key,
                    path=key_source,
                )
            )
            continue
        taken[entry.label] = key
        result.origin[canonical_path] = key_source
        if isinstance(entry, Section) and isinstance(value, dict):
            out[entry.label] = _section(value, entry, canonical_path, key_source, edition, result)
        else:
            out[entry.label] = value
    return out


def _unknown(
    key: str,
    section: Section,
    path: KeyPath,
    source: tuple[str | int, ...],
    edition: Edition,
    present: set[str],
) -> Problem:
    table = section.table
    other_parent = entry_at(edition.other, path)
    other_entry = match(key, other_parent) if isinstance(other_parent, Section) else None
    if other_entry is not None:
        other = edition.other
        kind = "行" if isinstance(other_entry, Section) and table else "列" if table else "项"
        return Problem(
            "E-1",
            Severity.ERROR,
            f"这是 {other.value} 版式（{other.years_text}报告）的{kind}，"
            f"本报告使用 {edition.value} 版式，没有这一{kind}",
            _edition_fix(section, edition),
            table=table,
            subject=key,
            path=source,
        )
    near = suggestions(key, section, present)
    fix = f"是否应为“{'”或“'.join(near)}”？" if near else _expected(section)
    where = f"{table}中" if table else ""
    return Problem(
        "K-1",
        Severity.ERROR,
        f"{where}没有这一项，该数据不会被读取",
        fix,
        subject=key,
        path=source,
    )


def _edition_fix(section: Section, edition: Edition) -> str:
    labels = "、".join(c.label for c in section.children)
    return f"请按 {edition.value} 版式填写：{labels}。"


def _expected(section: Section) -> str:
    labels = "、".join(c.label for c in section.children)
    return f"此处可填写的项为：{labels}。"
