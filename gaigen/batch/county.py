"""After a batch's files are done: the checks across the run, the review record, letters and exports.

``review_run`` is the one hook ``run_batch`` calls. It adds R-2 (near-identical pairs) and Y-2
(outliers) to the files they concern, records every report in the review record and notes each
agency's state and what changed since its last version, and writes for every report with problems
a return letter (and, for a workbook, the department's workbook with its problems marked). The
letters are written by the batch's workers in parallel (``run_batch`` passes them in); the parent only
decides who gets one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gaigen.batch.results import BatchResult, FileResult, Status
from gaigen.core.errors import GaigenError
from gaigen.core.problems import Problem, message, sorted_problems
from gaigen.core.settings import Settings
from gaigen.files.inputs import WORKBOOK_SUFFIXES
from gaigen.files.output import sync_folder, write_atomic
from gaigen.review.annotate import annotate_workbook, annotated_name
from gaigen.review.county import outliers, similar, spreads
from gaigen.review.letters import LETTERS_FOLDER, Letter, letter_docx, letter_name
from gaigen.review.record import ACCEPTED, Received, open_record

_RECORDED = (Status.RENDERED, Status.WARNINGS, Status.REFUSED, Status.FAILED)


def review_run(batch: BatchResult, settings: Settings, now: dt.datetime, writer: LetterWriter | None = None) -> None:
    """Check the run as a whole, update the review record and write the letters (see the module).

    ``writer`` writes the letters elsewhere (the batch's workers, in parallel); by default, here.
    """
    checked = [f for f in batch.files if f.digest is not None and f.status in _RECORDED]
    digests = [f.digest for f in checked if f.digest is not None]
    batch.similar, pairs = similar(digests, settings)
    # A report with errors has numbers known to be wrong: its ratios neither count in nor get compared.
    sound = [f for f in checked if not f.errors]
    sound_digests = [f.digest for f in sound if f.digest is not None]
    batch.spreads = spreads(sound_digests, settings)
    far = {id(sound[i]): found for i, found in outliers(sound_digests, settings).items()}
    for index, result in enumerate(checked):
        _add(result, pairs.get(index, []) + far.get(id(result), []))
    received = [f for f in checked if f.agency and f.year]
    with open_record(batch.out_dir) as record:
        changes = record.take(
            [Received(f.agency, f.year, f.name, _sha256(f.path), f.problems) for f in received if f.agency and f.year],
            now,
        )
        for result, change in zip(received, changes, strict=True):
            result.review_state, result.review_change = change.state, change.describe()
        notes = {(e.agency, e.year): (e.note, e.state) for e in record.entries()}
    folder = batch.out_dir / LETTERS_FOLDER
    jobs: list[LetterJob] = []
    for result in received:
        assert result.agency is not None and result.year is not None
        note, state = notes.get((result.agency, result.year), ("", ""))
        targets = (
            folder / letter_name(result.agency, result.year),
            folder / annotated_name(result.agency, result.year),
        )
        if not result.problems or state == ACCEPTED:
            for stale in targets:
                stale.unlink(missing_ok=True)
            continue
        places = [(message(p), _place(p)) for p in result.problems]
        workbook = result.path if result.path.suffix.lower() in WORKBOOK_SUFFIXES else None
        letter = Letter(result.agency, result.year, places, note, settings.office, now.date())
        jobs.append(LetterJob(result.name, letter, targets, workbook, result.problems if workbook else []))
    if not jobs:
        return
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        batch.notes += [f"{job.name}：退回意见未能写出（{error}）。" for job in jobs]
        return
    chunks = [jobs[start : start + LETTERS_PER_TASK] for start in range(0, len(jobs), LETTERS_PER_TASK)]
    for written, failure in (write_letters if writer is None else writer)(chunks):
        batch.letters += written
        if failure:
            batch.notes.append(failure)
    if batch.letters:
        sync_folder(folder)  # once for all the letters (DECISIONS §19)


LETTERS_PER_TASK = 20  # letters a worker writes for one message of the pool


@dataclass(frozen=True)
class LetterJob:
    """One return letter to write (and, for a workbook input, the workbook with its problems marked)."""

    name: str  # the input file, as messages name it
    letter: Letter
    targets: tuple[Path, Path]  # the letter, the marked workbook
    workbook: Path | None  # the department's workbook, when the input is one
    problems: Sequence[Problem]  # to mark in it


Written = tuple[list[Path], str]  # the files written, and why one could not be ("" when all were)

# Writes chunks of letters (in the batch's workers) and returns the outcome of each letter, in order.
LetterWriter = Callable[[Sequence[Sequence[LetterJob]]], Iterable[Written]]


def write_letters(chunks: Sequence[Sequence[LetterJob]]) -> list[Written]:
    """Write each letter (and marked workbook) of ``chunks``; return what each wrote and why it failed."""
    return [_write_letter(job) for chunk in chunks for job in chunk]


def _write_letter(job: LetterJob) -> Written:
    written: list[Path] = []
    try:
        write_atomic(job.targets[0], letter_docx(job.letter), sync=False)
        written.append(job.targets[0])
        if job.workbook is not None:
            write_atomic(job.targets[1], annotate_workbook(job.workbook, job.problems), sync=False)
            written.append(job.targets[1])
    except (GaigenError, OSError) as error:
        return written, f"{job.name}：退回意见未能写出（{error}）。"
    return written, ""


def _add(result: FileResult, found: list[Problem]) -> None:
    if not found:
        return
    result.problems = sorted_problems(result.problems + found)
    result.warnings += len(found)
    if result.status is Status.RENDERED:
        result.status = Status.WARNINGS
    if not result.message:
        result.message = message(found[0])


def _place(problem: Problem) -> str:
    if problem.cell:
        return problem.cell
    return f"第 {problem.line} 行" if problem.line is not None else ""


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
