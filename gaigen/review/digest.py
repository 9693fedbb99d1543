"""A report reduced to what the county-level checks and exports need, small enough to send between processes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gaigen.core.report import Report
from gaigen.review.similar import Sketch, sketch
from gaigen.rules.ratios import Measured, measure
from gaigen.rules.similarity import narrative_parts
from gaigen.spec import layout


@dataclass
class Digest:
    """One report: who, when, its normalised narrative, its ratios, every cell, and where its parts stand."""

    file: str
    agency: str | None
    year: int | None
    level: str | None
    edition: str
    published: dt.date | None
    parts: dict[str, str]  # normalised text of 一, 五, 六 by part name
    ratios: dict[str, Measured]
    sketch: Sketch | None = None  # of the whole narrative, for the near-copy check across the run
    places: dict[str, tuple[int | None, str | None]] = field(default_factory=dict)  # part → (line, cell)

    def place(self, key: str) -> tuple[int | None, str | None]:
        return self.places.get(key, (None, None))


PLACED = (layout.OVERVIEW, "表三", "表四")


def digest(report: Report, file: str) -> Digest:
    """Return the digest of a report read from ``file`` (the name messages use)."""
    places: dict[str, tuple[int | None, str | None]] = {}
    for key in PLACED:
        position = report.position((key,))
        if position is not None:
            places[key] = (position.line if position.cell is None else None, position.cell)
    parts = narrative_parts(report)
    return Digest(
        file=file,
        agency=report.agency,
        year=report.year,
        level=report.level,
        edition=report.edition.value,
        published=report.published if isinstance(report.published, dt.date) else None,
        parts=parts,
        ratios=measure(report),
        sketch=sketch("".join(parts.values())),
        places=places,
    )
