"""Where things stand in a data file: the line and column (or workbook cell) of every key and value.

A ``Document`` is a parsed data file, whatever its format (YAML, JSON, workbook): its plain values and
the position of each, so that every problem can name the line or cell to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

Path_ = tuple[str | int, ...]


class Position(NamedTuple):  # a tuple: one is made for every key and value read
    line: int  # 1-based; in a workbook, the row in its sheet
    column: int  # 1-based
    cell: str | None = None  # in a workbook: the sheet and cell, ``表三!D12``

    @property
    def place(self) -> str:
        """Return the position as a message names it: ``第 12 行`` or ``表三!D12``."""
        return self.cell or f"第 {self.line} 行"


@dataclass
class Document:
    """A parsed data file: its values, and where each key and value stands in the file."""

    path: Path
    name: str  # as shown in messages
    data: Any
    value_at: dict[Path_, Position] = field(default_factory=dict)
    key_at: dict[Path_, Position] = field(default_factory=dict)
    encoding: str = "utf-8"

    def where(self, path: Path_) -> Position | None:
        """Return the position of the value at ``path``, else of its nearest parent."""
        for end in range(len(path), -1, -1):
            found = self.value_at.get(path[:end]) if end else None
            if found is not None:
                return found
            found = self.key_at.get(path[:end]) if end else None
            if found is not None:
                return found
        return None

    def where_key(self, path: Path_) -> Position | None:
        return self.key_at.get(path) or self.where(path)
