"""What the readers make of a published report, and what the importer makes of that.

A reader (``docx``, ``text``, ``html``) turns a file into a ``Source``: paragraphs and tables in
document order, every piece with its ``Where`` (a line of a .txt, a paragraph or a table row of a
.docx or web page). ``build`` turns a source into an ``Imported`` report: a data dict under the
official labels, the cells it could not read (``Gap``, left out of the data so that ``validate``
names them) and what a reviewer would remark on the report's form (``Finding``, the F- rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gaigen.core.problems import Severity
from gaigen.spec.layout import Edition


@dataclass(frozen=True)
class Where:
    """Where something stands in the report: a line of a .txt, a paragraph, or a table row."""

    line: int | None = None  # .txt: 1-based line
    paragraph: int | None = None  # .docx / web page: 1-based paragraph
    table: int | None = None  # .docx / web page: 1-based table
    row: int | None = None  # 1-based row of that table

    def text(self) -> str:
        """Return the place in Chinese: ``第 12 行``, ``第 3 段``, ``第 2 个表格第 5 行``."""
        if self.line is not None:
            return f"第 {self.line} 行"
        if self.table is not None:
            return f"第 {self.table} 个表格" + (f"第 {self.row} 行" if self.row is not None else "")
        if self.paragraph is not None:
            return f"第 {self.paragraph} 段"
        return ""

    def to_json(self) -> dict[str, int]:
        fields = {"line": self.line, "paragraph": self.paragraph, "table": self.table, "row": self.row}
        return {key: value for key, value in fields.items() if value is not None}


NOWHERE = Where()


@dataclass
class Cell:
    """One table cell as printed; ``text`` keeps its line breaks."""

    text: str
    where: Where
    fused: bool = False  # a run of digits printed without separators between the cells (``solver``)


@dataclass
class Paragraph:
    text: str
    where: Where


@dataclass
class Table:
    """A table as rows of cells, left to right. A cell covered by a merge from above is an empty cell."""

    rows: list[list[Cell]]
    where: Where


Block = Paragraph | Table


@dataclass
class Artefact:
    """Something a web page or Word left in the text: a bookmark, mojibake, markup."""

    kind: str  # bookmark / markup / mojibake
    text: str
    where: Where


@dataclass
class Source:
    """A report file read into blocks, before any interpretation."""

    name: str  # the file name as shown in messages
    kind: str  # docx / txt / html
    blocks: list[Block]
    traditional: bool = False  # the text was in traditional characters and has been converted
    artefacts: list[Artefact] = field(default_factory=list)


@dataclass(frozen=True)
class Gap:
    """A table cell (or a value of 六) the importer could not read, with the reason in Chinese."""

    path: tuple[str, ...]  # data path: (表, *row, column) or (六, 信息处理费, key); (表,) for a whole table
    why: str
    where: Where = NOWHERE
    ambiguous: bool = False  # printed, but several readings agree with the document (a fused run)

    @property
    def table(self) -> str:
        return self.path[0]

    @property
    def row(self) -> tuple[str, ...]:
        return self.path[1:-1]

    @property
    def column(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class Finding:
    """A remark on the report's form (rules F-1 …), placed in the report."""

    rule: str
    severity: Severity
    why: str
    fix: str
    where: Where = NOWHERE
    table: str | None = None
    row: str | None = None
    col_label: str | None = None
    found: str | None = None
    subject: str | None = None


@dataclass
class Imported:
    """A published report read into a data dict under the official labels."""

    source: Source
    data: dict[str, Any]
    edition: Edition  # of the tables, by their labels (the year's when no table says)
    year: int | None
    agency: str | None
    title: str | None
    gaps: list[Gap] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how something unusual was read
    origin: dict[tuple[str, ...], Where] = field(default_factory=dict)  # data path → place in the report
    missing_parts: list[str] = field(default_factory=list)  # narrative parts not found (N-1 reports them)
    cells_read: int = 0
    table_editions: dict[str, Edition] = field(default_factory=dict)  # tables printed in the other edition
    blanks: list[tuple[str, ...]] = field(default_factory=list)  # cells printed empty, read as 0
    fixed: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # cell → identities that fixed it

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def complete(self) -> bool:
        return not self.gaps

    def where(self, path: tuple[str | int, ...] | None) -> Where:
        """Return the place in the report of a data path, or of its nearest parent that has one."""
        if path is None:
            return NOWHERE
        keys = tuple(str(part) for part in path)
        for end in range(len(keys), 0, -1):
            found = self.origin.get(keys[:end])
            if found is not None:
                return found
        return NOWHERE
