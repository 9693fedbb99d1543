"""The worker side of a batch: one process checks and renders the files it is handed, one at a time.

A worker lives for the whole run, so the Word template it prepared stays warm (DECISIONS §13) and
its LibreOffice, when PDF is asked for, is started once.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any

from gaigen.api import reports as api
from gaigen.batch.county import write_letters
from gaigen.batch.results import FileResult, PreviousIndex, Status, key_figures
from gaigen.core.errors import GaigenError, InputError
from gaigen.core.problems import message
from gaigen.core.settings import DEFAULT_SETTINGS, Settings
from gaigen.review.digest import digest
from gaigen.review.export import Spool, chunk
from gaigen.review.similar import sketch


@dataclass(frozen=True)
class Job:
    """One file for a worker: render it into the worker's own folder inside ``stage``."""

    index: int
    path: Path
    name: str
    formats: tuple[str, ...]
    stage: Path
    settings: Settings = DEFAULT_SETTINGS  # the county's deadline and thresholds


class WorkerState:
    """What a worker keeps between files: last year's index and its PDF converter, started once."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.previous: PreviousIndex = {}
        self._pdf: Any = None
        self._pdf_error: GaigenError | None = None
        self._folders: dict[Path, Path] = {}
        self._spools: dict[Path, Spool] = {}

    def folder(self, stage: Path) -> Path:
        """Return this worker's folder in the staging folder ``stage``, made on first use.

        One folder a worker, not a file: two files of the same 机关名称 and 年度 may overwrite
        each other here, but such files are never moved into place (``run._commit``).
        """
        folder = self._folders.get(stage)
        if folder is None:
            folder = self._folders[stage] = stage / f"worker-{os.getpid()}"
            folder.mkdir(parents=True, exist_ok=True)
        return folder

    def spool(self, stage: Path) -> Spool:
        """Return this worker's spool of export rows in its folder of ``stage``, opened on first use."""
        spool = self._spools.get(stage)
        if spool is None:
            spool = self._spools[stage] = Spool(self.folder(stage) / "数据明细.part")
        return spool

    def pdf(self) -> Any:
        """Return this worker's PDF converter, starting its LibreOffice on first use.

        When LibreOffice cannot start, the error is kept and raised again for each later file
        instead of waiting for another start that will fail the same way.
        """
        if self._pdf_error is not None:
            raise self._pdf_error
        if self._pdf is None:
            from gaigen.render.pdf import PdfConverter

            # A little inside the batch's own limit, so that LibreOffice's own message is the one shown.
            converter = PdfConverter(workers=1, timeout=self.timeout * 0.9)
            try:
                converter.start()
            except GaigenError as error:
                self._pdf_error = error
                raise
            self._pdf = converter
        return self._pdf

    def close(self) -> None:
        for spool in self._spools.values():
            spool.close()
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def process_file(job: Job, state: WorkerState) -> FileResult:
    """Validate one file (against last year's, when the index has it) and render it into ``job.stage``."""
    started = time.perf_counter()
    result = FileResult(job.path, job.name)
    read = False
    try:
        validation = api.validate_file(job.path, settings=job.settings)
        read = True
        report = validation.report
        if report.agency and report.year:
            previous = state.previous.get((report.agency, report.year - 1))
            if previous is not None:
                validation = api.validate_file(job.path, previous, job.settings)
                result.previous = previous
        _describe(result, validation)
        result.export = state.spool(job.stage).add(chunk(validation.report, job.name))
        if validation.ok:
            pdf = state.pdf() if "pdf" in job.formats else None
            # No sync per file: the batch syncs the output folder once (DECISIONS §19).
            rendered = api.render_validated(validation, state.folder(job.stage), job.formats, pdf, sync=False)
            result.outputs = rendered.outputs
    except InputError as error:
        result.status = Status.FAILED if read else Status.UNREADABLE
        result.message = str(error)
    except GaigenError as error:
        result.status = Status.FAILED
        result.message = str(error)
    result.seconds = time.perf_counter() - started
    return result


def _describe(result: FileResult, validation: api.Validation) -> None:
    report = validation.report
    result.agency, result.year, result.edition = report.agency, report.year, report.edition.value
    result.problems = validation.problems
    result.errors, result.warnings = len(validation.errors), len(validation.warnings)
    first = validation.errors or validation.warnings
    result.message = message(first[0]) if first else ""
    result.figures = key_figures(report)
    result.digest = digest(report, result.name)
    if validation.previous is not None:
        result.previous_figures = key_figures(validation.previous)
    if validation.errors:
        result.status = Status.REFUSED
    else:
        result.status = Status.WARNINGS if validation.warnings else Status.RENDERED


def warm(formats: tuple[str, ...]) -> None:
    """Prepare in this process what each worker needs, so that workers forked from it share it.

    The pydantic models of both editions, the near-copy sketch's pattern and, for Word or PDF, both
    prepared templates.
    """
    from gaigen.core.model import report_model
    from gaigen.spec.layout import Edition

    for edition in Edition:
        report_model(edition)
    sketch("")  # compiles the near-copy check's anchor pattern once, for every worker
    if "docx" in formats or "pdf" in formats:
        from gaigen.render.word import prepare_default

        prepare_default()


def identify(path: Path) -> tuple[str | None, int | None, str]:
    """Return a data file's 机关名称 and 年度, or why it cannot be read."""
    try:
        report, _problems = api.load_report(path)
    except GaigenError as error:
        return None, None, str(error)
    return report.agency, report.year, ""


def worker_main(conn: Connection, process: Processor, timeout: float) -> None:
    """Serve jobs until told to stop; the parent handles Ctrl-C, SIGTERM ends the worker cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    state = WorkerState(timeout)
    try:
        while True:
            try:
                received = conn.recv()
            except (EOFError, OSError):
                return  # the parent is gone
            if received is None:
                return
            kind, payload = received
            if kind == "previous":
                state.previous = payload
                continue
            if kind == "identify":
                reply: Any = identify(payload)
            elif kind == "letters":
                reply = write_letters([payload])
            else:
                try:
                    reply = process(payload, state)
                except Exception as error:  # a bug on one file must not take the others down
                    reply = FileResult(
                        payload.path,
                        payload.name,
                        Status.CRASHED,
                        message=f"{payload.name}：处理时发生内部错误（{type(error).__name__}：{error}），"
                        "这是 gaigen 的缺陷，请用 gaigen render 单独处理该文件并报告输出。",
                    )
            conn.send(reply)
    finally:
        state.close()


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


# What a worker runs on each job: ``process_file`` (tests put a crashing one in its place).
Processor = Callable[[Job, WorkerState], FileResult]
