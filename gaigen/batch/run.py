"""``gaigen batch``: validate and render a whole county's data files in one run (issue 5).

Every file is checked and rendered in a pool of worker processes (all cores by default). A
worker lives for the whole run, so the Word template it prepared stays warm (DECISIONS §13) and
its LibreOffice, when PDF is asked for, is started once. The parent hands out one file at a time
and watches each worker: one that passes the time limit is ended, one that dies is replaced, and
its file is reported; the other files go on.

Outputs are rendered into a hidden staging folder inside the output folder and moved into place
(``os.replace``) only once every file's 机关名称 and 年度 are known, so two files of the same
agency and year are both reported and neither overwrites the other. No file is synced on its own:
once the reports are in place the output folder is synced once, then the summary is written
(DECISIONS §19), so after a power cut a summary on disk means its reports are on disk too. After
the files, one worker writes the return letters while the parent syncs and records the reports and
prepares the summary (``Pool.run``'s ``meanwhile``); the other workers end first, so that their memory
is not held while the parent builds the workbook. On SIGINT or SIGTERM the run
stops: finished reports are moved into place, the staging folder is removed (no partial file), the
summary lists what was not done, and ``BatchResult.stopped_by`` names the signal.

The summary workbook (``汇总.xlsx``, via openpyxl) and ``汇总.csv`` have one row per file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from gaigen.api import reports as api
from gaigen.batch.county import LetterJob, Written, review_run, write_letters
from gaigen.batch.pool import Pool, Stop, forking
from gaigen.batch.results import (
    DEFAULT_TIMEOUT,
    STAGING_PREFIX,
    BatchResult,
    FileResult,
    PreviousIndex,
    Progress,
    Status,
    shown_name,
)
from gaigen.batch.summary import SummaryWriter, summary_paths
from gaigen.batch.worker import Job, Processor, process_file, warm
from gaigen.core.errors import InputError, OutputError, UsageError
from gaigen.core.settings import DEFAULT_SETTINGS, Settings
from gaigen.files.inputs import collect_inputs
from gaigen.files.output import check_targets, is_replaceable, refusal, remember_files, sync_folder


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
    force: bool = False,
    settings: Settings = DEFAULT_SETTINGS,
) -> BatchResult:
    """Validate and render every data file named by ``inputs`` into ``out_dir``; write the summary.

    ``jobs`` worker processes (default: all cores) share the files; ``timeout`` is the limit in
    seconds for one file. With ``previous_dir``, last year's files are matched by 机关名称 and the
    cross-year checks run. ``settings`` holds the county's deadline and thresholds; after the files,
    ``review_run`` checks the run as a whole, updates the review record and writes the return
    letters. ``process`` is what a worker does with a file (default ``process_file``,
    looked up when the run starts, so tests may replace it to make a worker hang or crash).

    Raise ``UsageError`` for bad options or when no data file is found, ``InputError`` when
    ``previous_dir`` is not a folder, ``OutputError`` when an output folder cannot be written or
    the summary would replace a file gaigen did not write (or one changed since), unless ``force``.
    A report that would replace such a file is not written and its file is reported (生成失败).
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
        from gaigen.render.pdf import INSTALL_HINT, LibreOfficeMissingError, soffice_path

        if soffice_path() is None:
            raise LibreOfficeMissingError(
                f"未找到 LibreOffice（soffice），无法生成 PDF。请先安装：{INSTALL_HINT}，或去掉 --format 中的 pdf。"
            )
    xlsx, csv_path = summary_paths(summary, out_dir)
    check_targets([xlsx, csv_path], force)
    excluded = [out_dir] + ([previous_dir] if previous_dir is not None else [])
    paths, notes = collect_inputs(inputs, excluded, output=out_dir)
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
    names = [shown_name(p) for p in paths]
    results = [FileResult(path, name) for path, name in zip(paths, names, strict=True)]
    size = min(jobs or _cores(), len(paths))
    batch = BatchResult(results, out_dir, size, notes=notes)
    stop = Stop()
    pool = Pool(size, process if process is not None else process_file, timeout, stop)
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
            if forking():
                warm(formats)  # once here, shared by every worker forked from this process
            if previous_dir is not None:
                index, previous_ids = _index_previous(pool, previous_dir, batch)
                if stop.signal is None:
                    pool.set_previous(index)
            report(None)
            tasks = [
                ("file", Job(i, path, name, formats, stage_root, settings))
                for i, (path, name) in enumerate(zip(paths, names, strict=True))
            ]
            if stop.signal is None:
                pool.run(tasks, finished, failed)
            batch.stopped_by = stop.signal
            # One worker is enough for the letters, beside the parent preparing the summary; the
            # others end now, and their memory with them.
            pool.shrink(1)
            settle = _settle(batch, _commit(batch, stage_root, force))
            if previous_dir is not None:
                _compare_years(batch, previous_ids)
            summary_writer = SummaryWriter(batch, xlsx, csv_path, with_previous=previous_dir is not None)
            # While the workers write the letters, the parent settles the reports and prepares the summary.
            meanwhile = itertools.chain(settle, summary_writer.prepare())
            try:
                review_run(batch, settings, dt.datetime.now(), partial(_letters_in, pool, meanwhile))
            finally:
                for _step in settle:  # the reports are synced and recorded whatever the review did
                    pass
            pool.close()
            if batch.stopped_by is not None:
                left = batch.count(Status.NOT_DONE)
                batch.notes.append(
                    f"已中断（{signal.Signals(batch.stopped_by).name}）：{left} 个文件未处理，见状态为“未处理”的行；"
                    "已完成的报告已保留。"
                )
            batch.seconds = time.monotonic() - started
            batch.summary = summary_writer.finish()
            remember_files(batch.summary)
            batch.stopped_by = stop.signal  # a signal during the last steps still counts
    finally:
        pool.abort()  # nothing left after a normal close; everything after an exception
        shutil.rmtree(stage_root, ignore_errors=True)
    return batch


def _letters_in(pool: Pool, meanwhile: Iterator[object], chunks: Sequence[Sequence[LetterJob]]) -> list[Written]:
    """Write the return letters in the workers, a chunk a task, while the parent does ``meanwhile``.

    What a worker could not do is done here. Return each letter's outcome in the order of ``chunks``.
    """
    done: dict[int, list[Written]] = {}

    def finished(task: tuple[str, Any], reply: Any) -> None:
        done[id(task[1])] = reply

    left = pool.run([("letters", chunk) for chunk in chunks], finished, lambda _task, _why: None, meanwhile)
    del left  # a chunk not answered (stopped, or its worker died) is written below
    return [each for chunk in chunks for each in done.get(id(chunk)) or write_letters([chunk])]


def _settle(batch: BatchResult, moved: list[Path]) -> Iterator[None]:
    """Put the reports moved into place on disk and in the record of what gaigen wrote, in steps.

    One sync of the output folder (DECISIONS §19), before the summary is written, so a summary on
    disk means its reports are too; then the record, a few hundred files a step.
    """
    if moved:
        sync_folder(batch.out_dir, moved)
        yield
    for start in range(0, len(moved), _RECORDED_PER_STEP):
        remember_files(moved[start : start + _RECORDED_PER_STEP])
        yield


_RECORDED_PER_STEP = 500


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}：无法创建输出文件夹（{error.strerror}）。") from error


def _index_previous(pool: Pool, folder: Path, batch: BatchResult) -> tuple[PreviousIndex, dict[Path, tuple[str, int]]]:
    """Read 机关名称 and 年度 of every file in last year's folder; note the unusable ones."""
    paths, _notes = collect_inputs([folder])
    found: dict[Path, tuple[str, int]] = {}

    def done(task: tuple[str, Any], reply: Any) -> None:
        agency, year, why = reply
        if agency and year:
            found[task[1]] = (agency, year)
        else:
            batch.notes.append(f"上年文件 {why or f'{shown_name(task[1])}：读不出机关名称或年度'}，未用于跨年度核对。")

    def failed(task: tuple[str, Any], why: str) -> None:
        batch.notes.append(f"上年文件 {shown_name(task[1])}：{why}")

    pool.run([("identify", p) for p in paths], done, failed)
    owners: dict[tuple[str, int], list[Path]] = {}
    for path, key in found.items():
        owners.setdefault(key, []).append(path)
    index: dict[tuple[str, int], Path] = {}
    for key, owned in owners.items():
        if len(owned) > 1:
            batch.notes.append(
                f"上年文件 {'、'.join(shown_name(p) for p in owned)} 的机关名称（{key[0]}）和年度（{key[1]}）相同，"
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


def _commit(batch: BatchResult, stage_root: Path, force: bool = False) -> list[Path]:
    """Move the finished reports into the output folder, except where two files share a name; return them.

    A report whose file exists and was not written by gaigen, or was changed since, is not moved
    (unless ``force``): the file is kept and reported.
    """
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
    moved: list[Path] = []
    for result in batch.files:
        if not result.status.rendered or not result.outputs:
            continue
        kept = [] if force else [p for p in result.outputs if not is_replaceable(batch.out_dir / p.name)]
        if kept:
            result.status = Status.FAILED
            result.outputs = []
            result.message = f"{result.name}：{refusal(batch.out_dir / kept[0].name)}"
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
        moved += final
    return moved
