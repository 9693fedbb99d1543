"""Generate a county for the review tests: agencies with their own narrative, near-copies planted."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from gaigen.spec import layout
from gaigen.spec.layout import Edition
from tests.builders import fill_consistent, starter, write

# A range of common ideographs: random text from it never repeats an 8-character run by chance.
_CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def sentence(rng: random.Random, length: int = 30) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(length - 1)) + "。"


def text(rng: random.Random, sentences: int) -> list[str]:
    return [sentence(rng) for _ in range(sentences)]


def set_narrative(data: dict[str, Any], parts: dict[str, list[str]]) -> None:
    """Put 一 (its five topics share ``parts['一']``), 五 and 六 free text into a data file."""
    overview = parts["一"]
    share = max(1, len(overview) // len(layout.TOPICS))
    for index, topic in enumerate(layout.TOPICS):
        chunk = (
            overview[index * share : (index + 1) * share]
            if index < len(layout.TOPICS) - 1
            else overview[index * share :]
        )
        data[layout.OVERVIEW][topic] = "\n".join(chunk) or "无。"
    data[layout.OVERVIEW].pop(layout.OVERVIEW_OPENING, None)
    data[layout.PROBLEMS] = "\n".join(parts["五"])
    other = data.get(layout.OTHER_MATTERS)
    if isinstance(other, dict):
        other[layout.OTHER_TEXT] = "\n".join(parts["六"])
    else:
        data[layout.OTHER_MATTERS] = "\n".join(parts["六"]) or "无"


def narrative(rng: random.Random) -> dict[str, list[str]]:
    return {"一": text(rng, 10), "五": text(rng, 4), "六": text(rng, 1)}


def agency_file(
    folder: Path,
    name: str,
    seed: int,
    parts: dict[str, list[str]] | None = None,
    edition: Edition = Edition.E2021,
    agency: str | None = None,
) -> dict[str, Any]:
    """Write one valid data file with its own narrative (or ``parts``) and return its data."""
    rng = random.Random(seed)
    data = starter(edition, agency or f"某某县第{seed}局")
    fill_consistent(data, edition, rng, with_totals=False)
    set_narrative(data, parts if parts is not None else narrative(rng))
    folder.mkdir(parents=True, exist_ok=True)
    write(data, folder / name)
    return data


def copied(source: dict[str, list[str]], share: float, rng: random.Random) -> dict[str, list[str]]:
    """Return a narrative whose sentences are ``share`` of ``source``'s, the rest new (same lengths)."""
    result = {}
    for part, sentences in source.items():
        keep = round(len(sentences) * share)
        result[part] = sentences[:keep] + text(rng, len(sentences) - keep)
    return result
