"""The corpus of real published reports (tests/data/corpus, see its README) scored against its transcriptions.

Each report file ``NNN_name-year.{pdf,txt,md,html}`` has a hand transcription ``NNN_name-year.yaml``
of 表三 and 表四 (``null`` where the transcriber could not tell). A cell is *right* when the import
gives the transcribed number, *wrong* when it gives another number, a *gap* when it gives none. A
cell of the transcription that the report's own layout does not have (a 2021 report whose 表三 is
printed in the 2019 layout has no （六）1–3) is *not printed* and not scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gaigen.api.check import in_memory_report
from gaigen.core.totals import completed
from gaigen.importing import Imported, import_report
from gaigen.spec import layout

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
TABLES = ("表三", "表四")
# The form each report was published in (the README's "form" column), in the README's words.
FORMS = {
    "a": "单行网页文本（数字粘连）",
    "b": "PDF",
    "md": "Markdown（由 PDF 转换）",
    "d": "网页（HTML）",
}
FORM_OF_SUFFIX = {".pdf": "b", ".md": "md", ".html": "d", ".htm": "d"}
FORM_OF_FILE = {"014": "md"}  # a .txt holding Markdown pipe tables


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    gaps: int = 0
    unprinted: int = 0
    wrong_cells: list[tuple[tuple[str, ...], Any, Any]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.right += other.right
        self.wrong += other.wrong
        self.gaps += other.gaps
        self.unprinted += other.unprinted
        self.wrong_cells += other.wrong_cells


def reports() -> list[Path]:
    """Return the report files of the corpus that have a transcription."""
    return sorted(
        path
        for path in CORPUS.iterdir()
        if path.suffix != ".yaml" and path.name != "README.md" and path.with_suffix(".yaml").is_file()
    )


def form(path: Path) -> str:
    number = path.name[:3]
    return FORM_OF_FILE.get(number) or FORM_OF_SUFFIX.get(path.suffix.lower(), "a")


def _leaves(node: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for key, value in node.items():
        if isinstance(value, dict):
            found += _leaves(value, (*prefix, key))
        else:
            found.append(((*prefix, key), value))
    return found


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def score(path: Path) -> tuple[Imported, dict[str, Score]]:
    """Return the import of ``path`` and its score per table against the transcription."""
    transcription = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    imported = import_report(path, path.name)
    scores = {}
    for key in TABLES:
        result = Score()
        printed = {
            (key, *row, column.label)
            for row, spec in layout.table(imported.table_editions.get(key, imported.edition), key).rows()
            for column in spec.columns
        }
        for cell, want in _leaves(transcription.get(key) or {}):
            if want is None:
                continue
            if (key, *cell) not in printed:
                result.unprinted += 1
                continue
            got = _at(imported.data.get(key), cell)
            if got is None and (key, *cell) in imported.blanks:  # a blank 总计: computed from its row
                got = completed(in_memory_report(imported)).get((key, tuple(cell[:-1]), cell[-1]))
            if got is None:
                result.gaps += 1
            elif got == want:
                result.right += 1
            else:
                result.wrong += 1
                result.wrong_cells.append((cell, want, got))
        scores[key] = result
    return imported, scores


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "—"
