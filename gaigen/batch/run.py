"""``gaigen batch``: validate and render a whole county's data files in one run (issue 5).

Every file is checked and rendered in a pool of worker processes (all cores by default). A
worker lives for the whole run, so the Word template it prepared stays warm (DECISIONS §13) and
its LibreOffice, when PDF is asked for, is started once. The parent hands out one file at a time
and watches each worker: one that passes the time limit is ended, one that dies is replaced, and
its file is reported; the other files go on.

Outputs are rendered into a hidden staging folder inside the output folder and moved into place
(``os.replace``) only once every file's 机关名称 and 年度 are known, so two files of the same
agency and year are both reported and neither overwrites the other. On SIGINT or SIGTERM the run
stops: finished reports are moved into place, the staging folder is removed (no partial file), the
summary lists what was not done, and ``BatchResult.stopped_by`` names the signal.

The summary workbook (``汇总.xlsx``, via openpyxl) and ``汇总.csv`` have one row per file.
"""

from __future__ import annotations

import contextlib
import csv
import enum
import io
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType
from typing import Any

from gaigen.api import reports as api
from gaigen.core.errors import GaigenError, InputError, OutputError, UsageError
from gaigen.core.names import report_stem
from gaigen.core.problems import Problem, message
from gaigen.core.report import Report, Value
from gaigen.core.totals import effective, sum_or_none
from gaigen.files.inputs import collect_inputs
from gaigen.files.output import write_atomic
from gaigen.spec import layout
from gaigen.spec.layout import (
    CARRIED_FORWARD,
    DIRECT_SUIT,
    LITIGATION,
    NEW_REQUESTS,
    OUTCOMES,
    REVIEW,
    SUIT_AFTER_REVIEW,
)

DEFAULT_TIMEOUT = 120.0  # seconds per file (DECISIONS §14)
SUMMARY_STEM = "汇总"
STAGING_PREFIX = ".gaigen-batch-"
_POLL = 0.2  # how often the parent looks at the clock and the stop flag while it waits
_STOP_GRACE = 5.0  # how long a stopping worker may take to close its LibreOffice


class Status(str, enum.Enum):
    """What became of one file."""

    RENDERED = "已生成"
    WARNINGS = "已生成（有提示）"
    REFUSED = "有错误未生成"
    UNREADABLE = "无法读取"
    FAILED = "生成失败"  # read and checked, but an output could not be made or written
    CRASHED = "超时或崩溃"
    CONFLICT = "重复未生成"
    NOT_DONE = "未处理"

    @property
    def rendered(self) -> bool:
        return self in (Status.RENDERED, Status.WARNINGS)


FIGURES = ("本年新收", "予以公开", "结转下年度", "复议总计", "诉讼总计")
COLUMNS = ("文件", "机关名称", "年度", "版式", "状态", "错误数", "提示数", "第一个问题", "输出文件", *FIGURES)
PREVIOUS_COLUMN = "上年文件"


@dataclass
class FileResult:
    """One input file: what it is, what became of it, its first problem and its key figures."""

    path: Path
    name: str  # as shown in messages and the summary
    status: Status = Status.NOT_DONE
    agency: str | None = None
    year: int | None = None
    edition: str | None = None
    errors: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    message: str = ""  # the first problem (an error before any warning), or why the file failed
    outputs: list[Path] = field(default_factory=list)
    figures: dict[str, Value | None] = field(default_factory=dict)
    previous: Path | None = None  # last year's file used for the cross-year checks
    seconds: float = 0.0

    @property
    def stem(self) -> str | None:
        """Return the output file stem, or None when 机关名称 or 年度 is unknown."""
        return report_stem(self.year, self.agency) if self.agency and self.year else None


@dataclass(frozen=True)
class Progress:
    """Handed to ``progress_callback`` at the start (``last`` None) and after each file."""

    done: int
    total: int
    failures: int
    last: FileResult | None
    elapsed: float


@dataclass
class BatchResult:
    """The whole run: one result per input file, in input order, and what the summary says."""

    files: list[FileResult]
    out_dir: Path
    jobs: int
    summary: list[Path] = field(default_factory=list)  # the .xlsx and the .csv written
    notes: list[str] = field(default_factory=list)  # Chinese lines: conflicts, last year, globs
    only_this_year: list[str] = field(default_factory=list)  # agencies without last year's file
    only_last_year: list[str] = field(default_factory=list)  # last year's agencies missing now
    stopped_by: int | None = None  # signal number when SIGINT/SIGTERM stopped the run
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for f in self.files if f.status is status)

    @property
    def failures(self) -> list[FileResult]:
        """Return the files that were not rendered (for any reason but an interruption)."""
        return [f for f in self.files if not f.status.rendered and f.status is not Status.NOT_DONE]

    @property
    def all_rendered(self) -> bool:
        return all(f.status.rendered for f in self.files)

    @property
    def usable(self) -> bool:
        """Return whether any file could be read at all (else the input was unusable: exit 2)."""
        return any(f.status is not Status.UNREADABLE for f in self.files)


# --- Inputs -------------------------------------------------------------------------------------


# --- Key figures --------------------------------------------------------------------------------


def key_figures(report: Report) -> dict[str, Value | None]:
    """Return the summary's key figures (DECISIONS §14: 诉讼总计 = 直接起诉 + 复议后起诉)."""
    disclosed = layout.table(report.edition, "表三").node_at((OUTCOMES,))[0].label  # （一）予以公开
    total = layout.TOTAL
    return {
        "本年新收": effective(report, "表三", (NEW_REQUESTS,), total),
        "予以公开": effective(report, "表三", (OUTCOMES, disclosed), total),
        "结转下年度": effective(report, "表三", (CARRIED_FORWARD,), total),
        "复议总计": effective(report, "表四", (REVIEW,), total),
        "诉讼总计": sum_or_none(
            effective(report, "表四", (LITIGATION, suit), total) for suit in (DIRECT_SUIT, SUIT_AFTER_REVIEW)
        ),
    }


# --- The worker side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One file for a worker: render it into ``stage`` (a folder of its own)."""

    index: int
    path: Path
    name: str
    formats: tuple[str, ...]
    stage: Path


PreviousIndex = Mapping[tuple[str, int], Path]


class WorkerState:
    """What a worker keeps between files: last year's index and its PDF converter, started once."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.previous: PreviousIndex = {}
        self._pdf: Any = None
        self._pdf_error: GaigenError | None = None

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
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


Processor = Callable[[Job, WorkerState], FileResult]


def process_file(job: Job, state: WorkerState) -> FileResult:
    """Validate one file (against last year's, when the index has it) and render it into ``job.stage``."""
    started = time.perf_counter()
    result = FileResult(job.path, job.name)
    read = False
    try:
        validation = api.validate_file(job.path)
        read = True
        report = validation.report
        if report.agency and report.year:
            previous = state.previous.get((report.agency, report.year - 1))
            if previous is not None:
                validation = api.validate_file(job.path, previous)
                result.previous = previous
        _describe(result, validation)
        if validation.ok:
            job.stage.mkdir(parents=True, exist_ok=True)
            pdf = state.pdf() if "pdf" in job.formats else None
            rendered = api.render_validated(validation, job.stage, job.formats, pdf)
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
    if validation.errors:
        result.status = Status.REFUSED
    else:
        result.status = Status.WARNINGS if validation.warnings else Status.RENDERED


def identify(path: Path) -> tuple[str | None, int | None, str]:
    """Return a data file's 机关名称 and 年度, or why it cannot be read."""
    try:
        report, _problems = api.load_report(path)
    except GaigenError as error:
        return None, None, str(error)
    return report.agency, report.year, ""


def _worker_main(conn: Connection, process: Processor, timeout: float) -> None:
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


# --- The parent side ----------------------------------------------------------------------------


class _Stop:
    """The stop flag, set by SIGINT/SIGTERM while the batch runs."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def set(self, signum: int, frame: FrameType | None = None) -> None:
        if self.signal is None:
            self.signal = signum

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Catch SIGINT and SIGTERM while the block runs (main thread only), then restore."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        saved = {sig: signal.signal(sig, self.set) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of the chosen context
    conn: Connection
    task: tuple[str, Any] | None = None
    started: float = 0.0


def _context() -> Any:
    """Return the process start method: forkserver where there is one (safe with threads), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # Imported once in the server, so that every worker forked from it starts warm.
        context.set_forkserver_preload(["gaigen.batch.run", "gaigen.render.word", "docxtpl"])
        return context
    return multiprocessing.get_context("spawn")


class _Pool:
    """Worker processes, one task each at a time; a worker that hangs or dies is replaced."""

    def __init__(self, size: int, process: Processor, timeout: float, stop: _Stop) -> None:
        self.size = size
        self.process = process
        self.timeout = timeout
        self.stop = stop
        self.context = _context()
        self.workers: list[_Worker] = []
        self.previous: PreviousIndex | None = None

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main, args=(child, self.process, self.timeout), daemon=True, name="gaigen-batch"
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if self.previous:
            parent.send(("previous", self.previous))
        self.workers.append(worker)
        return worker

    def set_previous(self, index: PreviousIndex) -> None:
        self.previous = dict(index)
        for worker in self.workers:
            worker.conn.send(("previous", self.previous))

    def run(
        self,
        tasks: Sequence[tuple[str, Any]],
        done: Callable[[tuple[str, Any], Any], None],
        failed: Callable[[tuple[str, Any], str], None],
    ) -> list[tuple[str, Any]]:
        """Run ``tasks``; call ``done`` with each reply or ``failed`` with why there is none.

        Return the tasks not done because the run was stopped.
        """
        pending = deque(tasks)
        while pending or any(w.task is not None for w in self.workers):
            if self.stop.signal is not None:
                break
            self._dispatch(pending)
            busy = [w for w in self.workers if w.task is not None]
            if not busy:
                continue
            now = time.monotonic()
            wait_for = min(_POLL, max(0.0, min(w.started + self.timeout for w in busy) - now))
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for)
            for worker in busy:
                self._check(worker, done, failed)
        left = list(pending)
        for worker in self.workers:
            if worker.task is not None and worker.conn.poll():
                self._check(worker, done, failed)  # finished just as the stop came: keep it
            if worker.task is not None:
                left.append(worker.task)
                worker.task = None
                self._end(worker, gently=True)
        return left

    def _dispatch(self, pending: deque[tuple[str, Any]]) -> None:
        idle = [w for w in self.workers if w.task is None]
        while pending:
            if not idle:
                if len(self.workers) >= self.size:
                    return
                idle.append(self._start())
            worker = idle.pop()
            task = pending[0]
            try:
                worker.conn.send(task)
            except OSError:  # the worker died while idle: replace it and try again
                self._end(worker)
                continue
            pending.popleft()
            worker.task, worker.started = task, time.monotonic()

    def _check(
        self,
        worker: _Worker,
        done: Callable[[tuple[str, Any], Any], None],
        failed: Callable[[tuple[str, Any], str], None],
    ) -> None:
        task = worker.task
        assert task is not None
        died = False
        if worker.conn.poll():
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError):
                died = True  # the pipe closed without a reply: the worker is gone
            else:
                worker.task = None
                done(task, reply)
                return
        if died or not worker.process.is_alive():
            worker.process.join(1)
            code = worker.process.exitcode
            self._end(worker)
            failed(task, _crash_text(code))
        elif time.monotonic() - worker.started > self.timeout:
            self._end(worker)
            failed(
                task,
                f"处理超过 {self.timeout:g} 秒仍未完成，已停止处理该文件（其他文件不受影响）。"
                "请用 gaigen render 单独处理该文件查看原因，或用 --timeout 放宽时限。",
            )

    def _end(self, worker: _Worker, gently: bool = False) -> None:
        """End a worker (SIGTERM first when ``gently``, so it closes its LibreOffice), and reap it."""
        if worker in self.workers:
            self.workers.remove(worker)
        if worker.process.is_alive():
            if gently:
                worker.process.terminate()
                worker.process.join(_STOP_GRACE)
            if worker.process.is_alive():
                worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def abort(self) -> None:
        """End every worker at once (the run failed or was interrupted from outside)."""
        for worker in list(self.workers):
            self._end(worker)

    def close(self) -> None:
        """Tell idle workers to finish, and end any that do not."""
        for worker in list(self.workers):
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + _STOP_GRACE
        for worker in list(self.workers):
            worker.process.join(max(0.0, deadline - time.monotonic()))
            self._end(worker, gently=True)


def _crash_text(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        how = f"被信号 {name} 终止"
    else:
        how = f"意外退出（退出码 {code}）"
    return f"处理该文件时工作进程{how}，已跳过该文件（其他文件不受影响）。请用 gaigen render 单独处理该文件查看原因。"


# --- The run ------------------------------------------------------------------------------------


def summary_paths(summary: Path | None, out_dir: Path) -> tuple[Path, Path]:
    """Return the .xlsx and .csv the summary goes to (``OUTDIR/汇总.xlsx`` and ``.csv`` by default)."""
    base = summary if summary is not None else out_dir / f"{SUMMARY_STEM}.xlsx"
    if base.suffix.lower() not in (".xlsx", ".csv"):
        base = base.with_name(base.name + ".xlsx")
    return base.with_suffix(".xlsx"), base.with_suffix(".csv")


def run_batch(
    inputs: Sequence[str | Path],
    out_dir: Path,
    formats: tuple[str, ...] = api.DEFAULT_FORMATS,
    jobs: int | None = None,
    previous_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress_callback: Callable[[Progress], None] | None = None,
    *,
    summary: Path | None = None,
    process: Processor | None = None,
) -> BatchResult:
    """Validate and render every data file named by ``inputs`` into ``out_dir``; write the summary.

    ``jobs`` worker processes (default: all cores) share the files; ``timeout`` is the limit in
    seconds for one file. With ``previous_dir``, last year's files are matched by 机关名称 and the
    cross-year checks run. ``process`` is what a worker does with a file (default ``process_file``,
    looked up when the run starts, so tests may replace it to make a worker hang or crash).

    Raise ``UsageError`` for bad options or when no data file is found, ``InputError`` when
    ``previous_dir`` is not a folder, ``OutputError`` when an output folder cannot be written.
    SIGINT and SIGTERM stop the run cleanly; the result then says which signal (``stopped_by``).
    """
    started = time.monotonic()
    api.check_formats(formats)
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs 应为不小于 1 的整数。")
    if not timeout > 0:
        raise UsageError("--timeout 应为大于 0 的秒数。")
    if previous_dir is not None and not previous_dir.is_dir():
        raise InputError(f"{previous_dir}：--previous-dir 应为存放上年数据文件的文件夹，但找不到这个文件夹。")
    if "pdf" in formats:
        from gaigen.render.pdf import LibreOfficeMissingError, soffice_path

        if soffice_path() is None:
            raise LibreOfficeMissingError(
                "未找到 LibreOffice（soffice），无法生成 PDF。请先安装 LibreOffice，或去掉 --format 中的 pdf。"
            )
    xlsx, csv_path = summary_paths(summary, out_dir)
    excluded = [out_dir] + ([previous_dir] if previous_dir is not None else [])
    paths, notes = collect_inputs(inputs, excluded)
    if not paths:
        raise UsageError(
            "没有找到数据文件（.yaml、.yml、.json 或 .xlsx）。" + "".join(notes) + "请检查给出的文件、文件夹或通配符。"
        )
    _make_folder(out_dir)
    if not xlsx.parent.is_dir():
        raise OutputError(f"{xlsx.parent}：汇总表所在的文件夹不存在。请先创建该文件夹，或换一个 --summary 位置。")
    try:
        stage_root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    except OSError as error:
        raise OutputError(f"{out_dir}：无法在输出文件夹中写入（{error.strerror}）。") from error
    names = [_shown(p) for p in paths]
    results = [FileResult(path, name) for path, name in zip(paths, names, strict=True)]
    size = min(jobs or _cores(), len(paths))
    batch = BatchResult(results, out_dir, size, notes=notes)
    stop = _Stop()
    pool = _Pool(size, process if process is not None else process_file, timeout, stop)
    counts = {"done": 0, "failures": 0}

    def report(last: FileResult | None) -> None:
        if last is not None:
            counts["done"] += 1
            counts["failures"] += not last.status.rendered
        if progress_callback is not None:
            elapsed = time.monotonic() - started
            progress_callback(Progress(counts["done"], len(results), counts["failures"], last, elapsed))

    def finished(task: tuple[str, Any], reply: Any) -> None:
        job: Job = task[1]
        results[job.index] = reply
        report(reply)

    def failed(task: tuple[str, Any], why: str) -> None:
        job: Job = task[1]
        results[job.index] = FileResult(job.path, job.name, Status.CRASHED, message=f"{job.name}：{why}")
        report(results[job.index])

    try:
        with stop.installed():
            if previous_dir is not None:
                index, previous_ids = _index_previous(pool, previous_dir, batch)
                if stop.signal is None:
                    pool.set_previous(index)
            report(None)
            tasks = [
                ("file", Job(i, path, name, formats, stage_root / str(i)))
                for i, (path, name) in enumerate(zip(paths, names, strict=True))
            ]
            if stop.signal is None:
                pool.run(tasks, finished, failed)
            pool.close()
            batch.stopped_by = stop.signal
            _commit(batch, stage_root)
            if previous_dir is not None:
                _compare_years(batch, previous_ids)
            if batch.stopped_by is not None:
                left = batch.count(Status.NOT_DONE)
                batch.notes.append(
                    f"已中断（{signal.Signals(batch.stopped_by).name}）：{left} 个文件未处理，见状态为“未处理”的行；"
                    "已完成的报告已保留。"
                )
            batch.seconds = time.monotonic() - started
            write_summary(batch, xlsx, csv_path, with_previous=previous_dir is not None)
            batch.summary = [xlsx, csv_path]
            batch.stopped_by = stop.signal  # a signal during the last steps still counts
    finally:
        pool.abort()  # nothing left after a normal close; everything after an exception
        shutil.rmtree(stage_root, ignore_errors=True)
    return batch


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _shown(path: Path) -> str:
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}：无法创建输出文件夹（{error.strerror}）。") from error


def _index_previous(pool: _Pool, folder: Path, batch: BatchResult) -> tuple[PreviousIndex, dict[Path, tuple[str, int]]]:
    """Read 机关名称 and 年度 of every file in last year's folder; note the unusable ones."""
    paths, _notes = collect_inputs([folder])
    found: dict[Path, tuple[str, int]] = {}

    def done(task: tuple[str, Any], reply: Any) -> None:
        agency, year, why = reply
        if agency and year:
            found[task[1]] = (agency, year)
        else:
            batch.notes.append(f"上年文件 {why or f'{_shown(task[1])}：读不出机关名称或年度'}，未用于跨年度核对。")

    def failed(task: tuple[str, Any], why: str) -> None:
        batch.notes.append(f"上年文件 {_shown(task[1])}：{why}")

    pool.run([("identify", p) for p in paths], done, failed)
    owners: dict[tuple[str, int], list[Path]] = {}
    for path, key in found.items():
        owners.setdefault(key, []).append(path)
    index: dict[tuple[str, int], Path] = {}
    for key, owned in owners.items():
        if len(owned) > 1:
            batch.notes.append(
                f"上年文件 {'、'.join(_shown(p) for p in owned)} 的机关名称（{key[0]}）和年度（{key[1]}）相同，"
                "无法确定用哪一份，该机关未作跨年度核对。请只保留一份。"
            )
        else:
            index[key] = owned[0]
    return index, found


def _compare_years(batch: BatchResult, previous: Mapping[Path, tuple[str, int]]) -> None:
    """List the agencies that have a report in only one of the two years."""
    current = {(f.agency, f.year) for f in batch.files if f.agency and f.year}
    years = {year for _, year in current}
    last = {(agency, year) for agency, year in previous.values()}
    for agency, year in sorted(current, key=lambda k: (k[1], k[0])):
        if (agency, year - 1) not in last:
            batch.only_this_year.append(f"{agency}（{year} 年度）")
    for agency, year in sorted(last, key=lambda k: (k[1], k[0])):
        if year + 1 in years and (agency, year + 1) not in current:
            batch.only_last_year.append(f"{agency}（{year} 年度）")
    if batch.only_this_year:
        batch.notes.append(
            f"本年有、上年没有报告的机关（{len(batch.only_this_year)} 个）：{'、'.join(batch.only_this_year)}。"
        )
    if batch.only_last_year:
        batch.notes.append(
            f"上年有、本年没有报告的机关（{len(batch.only_last_year)} 个）：{'、'.join(batch.only_last_year)}。"
        )


def _commit(batch: BatchResult, stage_root: Path) -> None:
    """Move the finished reports into the output folder, except where two files share a name."""
    owners: dict[str, list[FileResult]] = {}
    for result in batch.files:
        if result.stem is not None and result.status is not Status.NOT_DONE:
            owners.setdefault(result.stem.casefold(), []).append(result)
    for group in owners.values():
        if len(group) < 2:
            continue
        for result in group:
            others = "、".join(other.name for other in group if other is not result)
            same = all((o.agency, o.year) == (result.agency, result.year) for o in group)
            what = f"机关名称（{result.agency}）和年度（{result.year}）" if same else "生成的报告文件名"
            result.status = Status.CONFLICT
            result.outputs = []
            result.message = (
                f"{result.name}：{what}与 {others} 相同，为免互相覆盖，这 {len(group)} 份都没有生成。"
                "请核对机关名称和年度，删除或改正多余的一份后重新运行。"
            )
    for result in batch.files:
        if not result.status.rendered or not result.outputs:
            continue
        final = []
        try:
            for staged in result.outputs:
                target = batch.out_dir / staged.name
                os.replace(staged, target)
                final.append(target)
        except OSError as error:
            result.status = Status.FAILED
            result.message = f"{result.name}：无法把报告写入 {batch.out_dir}（{error.strerror}）。"
        result.outputs = final


# --- The summary --------------------------------------------------------------------------------


def summary_rows(batch: BatchResult, with_previous: bool = False) -> list[list[Any]]:
    """Return the summary table: a header row (``COLUMNS``), then one row per file."""
    header = [*COLUMNS, PREVIOUS_COLUMN] if with_previous else list(COLUMNS)
    rows: list[list[Any]] = [header]
    for result in batch.files:
        row: list[Any] = [
            result.name,
            result.agency or "",
            result.year if result.year is not None else "",
            result.edition or "",
            result.status.value,
            result.errors,
            result.warnings,
            result.message,
            "\n".join(p.name for p in result.outputs),
        ]
        row += [_cell(result.figures.get(name)) for name in FIGURES]
        if with_previous:
            row.append(_shown(result.previous) if result.previous is not None else "")
        rows.append(row)
    return rows


def _cell(value: Value | None) -> Any:
    """Return a key figure for the sheet: counts are integers; a missing one is an empty cell."""
    return "" if value is None else value


def status_counts(batch: BatchResult) -> str:
    """Return “共 N 个文件：已生成 a，…” for the statuses that occur."""
    counts = Counter(f.status for f in batch.files)
    parts = [f"{status.value} {counts[status]}" for status in Status if counts[status]]
    return f"共 {len(batch.files)} 个文件：{'，'.join(parts)}。"


def write_summary(batch: BatchResult, xlsx: Path, csv_path: Path, with_previous: bool = False) -> None:
    """Write the summary workbook (sheets 汇总 and 说明) and the same table as CSV (UTF-8 with BOM)."""
    rows = summary_rows(batch, with_previous)
    write_atomic(xlsx, _workbook(rows, _explanation(batch)))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    # With a BOM, Excel on Chinese Windows opens the CSV as UTF-8 instead of GBK.
    write_atomic(csv_path, text.getvalue().encode("utf-8-sig"))


def _explanation(batch: BatchResult) -> list[str]:
    lines = [status_counts(batch), f"用时 {batch.seconds:.1f} 秒，{batch.jobs} 个进程。", *batch.notes]
    return lines


def _workbook(rows: list[list[Any]], notes: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "汇总"
    for row in rows:
        sheet.append(row)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    widths = {"文件": 36, "机关名称": 28, "第一个问题": 80, "输出文件": 50}
    for index, title in enumerate(rows[0], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(title, 12)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    notes_sheet = book.create_sheet("说明")
    notes_sheet.column_dimensions["A"].width = 120
    for line in notes:
        notes_sheet.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
