"""The review record: a small SQLite database in the output folder that survives runs (issue 15 §2).

Per agency and year: each version received (file, SHA-256, time), the problems found in it (in
``validate``'s wording), and the office's state — 已收 (received), 退回 (returned for fixing),
通过 (accepted) — with its note and history. A version whose content changed after 退回 makes the
agency 已收 again. Each run compares an agency's new version with the one before: problems fixed,
still open, new. Anyone may query the file with ``sqlite3``; the tables are created here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gaigen.core.errors import OutputError, UsageError
from gaigen.core.problems import Problem, message

RECORD_NAME = "审核记录.sqlite"
RECEIVED, RETURNED, ACCEPTED = "已收", "退回", "通过"
STATES = (RECEIVED, RETURNED, ACCEPTED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS agency (
    agency TEXT NOT NULL, year INTEGER NOT NULL, state TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
    changed TEXT NOT NULL, PRIMARY KEY (agency, year));
CREATE TABLE IF NOT EXISTS version (
    id INTEGER PRIMARY KEY, agency TEXT NOT NULL, year INTEGER NOT NULL, file TEXT NOT NULL,
    sha256 TEXT NOT NULL, received TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS problem (
    version INTEGER NOT NULL REFERENCES version(id), rule TEXT NOT NULL, severity TEXT NOT NULL,
    key TEXT NOT NULL, message TEXT NOT NULL, place TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS event (
    agency TEXT NOT NULL, year INTEGER NOT NULL, time TEXT NOT NULL, state TEXT NOT NULL, note TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS version_of ON version (agency, year);
CREATE INDEX IF NOT EXISTS problem_of ON problem (version);
"""


@dataclass(frozen=True)
class Received:
    """One report of a run, as the record takes it."""

    agency: str
    year: int
    file: str
    sha256: str
    problems: Sequence[Problem]


@dataclass
class Change:
    """An agency after a run: its state, and its problems against the version before."""

    agency: str
    year: int
    state: str
    new_version: bool
    fixed: list[str] = field(default_factory=list)  # messages of the earlier version
    still_open: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    first: bool = False  # the first version received

    def describe(self) -> str:
        """Return “已改正 2 个，仍未改正 1 个，新增 0 个” (or that nothing changed)."""
        if self.first:
            return f"首次收到，{len(self.new)} 个问题" if self.new else "首次收到，没有问题"
        if not self.new_version:
            return f"文件未变，{len(self.still_open)} 个问题未改正" if self.still_open else "文件未变"
        return f"已改正 {len(self.fixed)} 个，仍未改正 {len(self.still_open)} 个，新增 {len(self.new)} 个"


@dataclass(frozen=True)
class Entry:
    """One line of ``gaigen review list``."""

    agency: str
    year: int
    state: str
    note: str
    changed: str
    versions: int
    problems: int
    file: str


def problem_key(problem: Problem) -> str:
    """Return what identifies a problem across versions: rule and place in the tables, not the line."""
    parts = (problem.rule, problem.table, problem.row, problem.col_label, problem.subject)
    return "|".join(part or "" for part in parts)


def _place(problem: Problem) -> str:
    return problem.cell or (f"第 {problem.line} 行" if problem.line is not None else "")


class ReviewRecord:
    """The record in ``folder``; open it with ``open_record``."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    def take(self, reports: Sequence[Received], now: dt.datetime) -> list[Change]:
        """Record a run's reports; return each agency's change, in the order given."""
        stamp = now.isoformat(timespec="seconds")
        changes = []
        for report in reports:
            latest = self._latest(report.agency, report.year)
            state = self._state(report.agency, report.year)
            if latest is not None and latest[1] == report.sha256:
                before = self._problems(latest[0])
                changes.append(
                    Change(report.agency, report.year, state or RECEIVED, False, still_open=[m for _, m in before])
                )
                continue
            self._insert_version(report, stamp)
            now_problems = [(problem_key(p), message(p)) for p in report.problems]
            if latest is None:
                self._set(report.agency, report.year, RECEIVED, "", stamp, insert=True)
                changes.append(
                    Change(report.agency, report.year, RECEIVED, True, new=[m for _, m in now_problems], first=True)
                )
                continue
            if state in (RETURNED, ACCEPTED):  # a changed file is received anew
                self._set(report.agency, report.year, RECEIVED, "文件已更新", stamp)
            change = Change(report.agency, report.year, RECEIVED, True)
            _compare(self._problems(latest[0]), now_problems, change)
            changes.append(change)
        self.db.commit()
        return changes

    def set_state(self, agency: str, year: int | None, state: str, note: str, now: dt.datetime) -> tuple[str, int]:
        """Set an agency's state (退回 or 通过) with the office's note; return its name and year.

        Raise ``UsageError`` when the record has no such agency (with the nearest names).
        """
        rows = self.db.execute("SELECT agency, year FROM agency WHERE agency = ? ORDER BY year DESC", (agency,))
        years = [y for _, y in rows.fetchall()]
        if not years:
            names = [r[0] for r in self.db.execute("SELECT DISTINCT agency FROM agency")]
            near = difflib.get_close_matches(agency, names, n=3, cutoff=0.5)
            hint = f"是不是“{'”“'.join(near)}”？" if near else "请用 gaigen review list 查看记录中的机关名称。"
            raise UsageError(f"{self.path}：审核记录中没有“{agency}”。{hint}")
        chosen = year if year is not None else years[0]
        if chosen not in years:
            raise UsageError(
                f"{self.path}：审核记录中“{agency}”没有 {chosen} 年度的报告，只有 {'、'.join(map(str, years))} 年度。"
            )
        self._set(agency, chosen, state, note, now.isoformat(timespec="seconds"))
        self.db.commit()
        return agency, chosen

    def entries(self) -> list[Entry]:
        """Return every agency with its state, note, number of versions and problems of the latest."""
        query = """
            SELECT a.agency, a.year, a.state, a.note, a.changed,
                   (SELECT COUNT(*) FROM version v WHERE v.agency = a.agency AND v.year = a.year),
                   (SELECT COUNT(*) FROM problem p WHERE p.version = (
                        SELECT MAX(id) FROM version v WHERE v.agency = a.agency AND v.year = a.year)),
                   (SELECT file FROM version v WHERE v.agency = a.agency AND v.year = a.year
                        ORDER BY id DESC LIMIT 1)
            FROM agency a ORDER BY a.year, a.agency"""
        return [Entry(*row) for row in self.db.execute(query)]

    def entry(self, agency: str, year: int) -> Entry | None:
        return next((e for e in self.entries() if (e.agency, e.year) == (agency, year)), None)

    def latest_problems(self, agency: str, year: int) -> list[tuple[str, str]]:
        """Return (message, place) of each problem of the agency's latest version."""
        latest = self._latest(agency, year)
        if latest is None:
            return []
        rows = self.db.execute("SELECT message, place FROM problem WHERE version = ? ORDER BY rowid", (latest[0],))
        return [(m, p) for m, p in rows]

    def history(self, agency: str, year: int) -> list[tuple[str, str, str]]:
        rows = self.db.execute(
            "SELECT time, state, note FROM event WHERE agency = ? AND year = ? ORDER BY rowid", (agency, year)
        )
        return [(t, s, n) for t, s, n in rows]

    def _latest(self, agency: str, year: int) -> tuple[int, str] | None:
        row = self.db.execute(
            "SELECT id, sha256 FROM version WHERE agency = ? AND year = ? ORDER BY id DESC LIMIT 1", (agency, year)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def _state(self, agency: str, year: int) -> str | None:
        row = self.db.execute("SELECT state FROM agency WHERE agency = ? AND year = ?", (agency, year)).fetchone()
        return row[0] if row else None

    def _problems(self, version: int) -> list[tuple[str, str]]:
        rows = self.db.execute("SELECT key, message FROM problem WHERE version = ? ORDER BY rowid", (version,))
        return [(k, m) for k, m in rows]

    def _insert_version(self, report: Received, stamp: str) -> None:
        cursor = self.db.execute(
            "INSERT INTO version (agency, year, file, sha256, received) VALUES (?, ?, ?, ?, ?)",
            (report.agency, report.year, report.file, report.sha256, stamp),
        )
        version = cursor.lastrowid
        assert version is not None
        self.db.executemany(
            "INSERT INTO problem (version, rule, severity, key, message, place) VALUES (?, ?, ?, ?, ?, ?)",
            [(version, p.rule, p.severity.value, problem_key(p), message(p), _place(p)) for p in report.problems],
        )

    def _set(self, agency: str, year: int, state: str, note: str, stamp: str, insert: bool = False) -> None:
        if insert:
            self.db.execute(
                "INSERT INTO agency (agency, year, state, note, changed) VALUES (?, ?, ?, ?, ?)",
                (agency, year, state, note, stamp),
            )
        else:
            self.db.execute(
                "UPDATE agency SET state = ?, note = ?, changed = ? WHERE agency = ? AND year = ?",
                (state, note, stamp, agency, year),
            )
        self.db.execute(
            "INSERT INTO event (agency, year, time, state, note) VALUES (?, ?, ?, ?, ?)",
            (agency, year, stamp, state, note),
        )


def _compare(before: list[tuple[str, str]], now: list[tuple[str, str]], change: Change) -> None:
    """Fill ``change``: problems of ``before`` gone (fixed), kept (still open, worded as now), and new."""
    left = Counter(k for k, _ in now)
    for key, text in before:
        if left[key] > 0:
            left[key] -= 1
        else:
            change.fixed.append(text)
    seen = Counter(k for k, _ in before)
    for key, text in now:
        if seen[key] > 0:
            seen[key] -= 1
            change.still_open.append(text)
        else:
            change.new.append(text)


@contextmanager
def open_record(folder: Path, create: bool = True) -> Iterator[ReviewRecord]:
    """Open the record in ``folder`` (created on first use when ``create``).

    Raise ``UsageError`` when ``create`` is False and there is no record, ``OutputError`` when the
    file cannot be opened or written.
    """
    path = folder / RECORD_NAME
    if not create and not path.is_file():
        raise UsageError(f"{folder}：这里没有审核记录（{RECORD_NAME}）。请先对该输出文件夹运行 gaigen batch。")
    try:
        connection = sqlite3.connect(path)
        connection.executescript(_SCHEMA)
    except sqlite3.Error as error:
        raise OutputError(f"{path}：无法打开审核记录（{error}）。") from error
    try:
        yield ReviewRecord(connection, path)
    except sqlite3.Error as error:
        raise OutputError(f"{path}：无法写入审核记录（{error}）。") from error
    finally:
        connection.close()
