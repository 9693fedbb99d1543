"""Batch speed: ``gaigen batch`` on 1,000 generated reports against a naive docxtpl loop (issue 5).

Run from the repository root: ``python benchmarks/bench_batch.py [--reports 1000] [--jobs N]
[--naive N] [--pdf 20]``. It generates ``--reports`` valid data files of both editions
(tests/builders.py: random consistent tables, each agency its own), then measures in one run:

- ``run_batch`` (docx + txt, ``--jobs`` worker processes, default all cores) on the first 100,
  300 and all of them: wall time from the call to the summary written, reports per second, and
  the peak memory of the whole process tree (parent, forkserver, workers), sampled every 100 ms
  from /proc as the sum of RSS and of PSS (PSS shares the pages the forked workers have in
  common fairly; RSS counts them once per process);
- the same reports through a naive loop in one process: validate, then a new ``DocxTemplate``
  of the packaged template, ``render``, ``save`` per report, plus the plain text; and the ratio;
- with ``--pdf N``, docx + PDF for the first N reports through the per-worker LibreOffice.

Targets (issue 5, DECISIONS §13): ≥ 150 reports/s on 2 cores, ≥ 10× the naive loop, < 300 MB.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gaigen.api import reports as api  # noqa: E402
from gaigen.batch import run_batch  # noqa: E402
from gaigen.files.output import write_atomic  # noqa: E402
from gaigen.render.context import build_context  # noqa: E402
from gaigen.render.text import render_text  # noqa: E402
from gaigen.render.word import template_bytes, variables  # noqa: E402
from gaigen.spec.layout import Edition  # noqa: E402
from tests.builders import fill_consistent, starter, write  # noqa: E402

PARAGRAPH = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开标准化规范化建设。"


def generate(folder: Path, count: int) -> list[Path]:
    """Write ``count`` valid data files, alternating editions, each its own agency and numbers."""
    rng = random.Random(5)
    bases = {edition: starter(edition) for edition in Edition}
    paths = []
    for index in range(count):
        edition = (Edition.E2019, Edition.E2021)[index % 2]
        data = copy.deepcopy(bases[edition])
        data["机关名称"] = f"某某县第{index}局"
        fill_consistent(data, edition, rng, with_totals=index % 3 == 0)
        overview = data["一、总体情况"]
        for topic in overview:
            if topic != "概述":
                overview[topic] = "\n".join(PARAGRAPH * rng.randint(1, 4) for _ in range(rng.randint(1, 3)))
        paths.append(write(data, folder / f"{index:04d}.yaml"))
    return paths


class TreeMemory:
    """Samples the memory of this process and all its descendants (Linux /proc) in a thread."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        pids = _tree(os.getpid())
        rss = pss = 0
        for pid in pids:
            rss += _field(f"/proc/{pid}/status", "VmRSS:")
            pss += _field(f"/proc/{pid}/smaps_rollup", "Pss:")
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_processes = max(self.peak_processes, len(pids))


def _tree(root: int) -> list[int]:
    """Return ``root`` and its descendants, from the parent pid of every process in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _field(path: str, name: str) -> int:
    """Return a kB field of a /proc file in bytes (0 when the process is gone)."""
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(name):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def bench_batch(
    paths: list[Path], work: Path, jobs: int | None, formats: tuple[str, ...]
) -> tuple[float, TreeMemory, int]:
    out = work / f"out-{len(paths)}-{'-'.join(formats)}"
    with TreeMemory() as memory:
        started = time.perf_counter()
        result = run_batch(paths, out, formats, jobs)
        seconds = time.perf_counter() - started
    if result.stopped_by is not None:
        raise SystemExit(128 + result.stopped_by)
    bad = [f for f in result.files if not f.status.rendered]
    if bad:
        raise RuntimeError(f"{len(bad)} reports not rendered, e.g. {bad[0].status.value}: {bad[0].message}")
    return seconds, memory, result.jobs


def naive_one(path: Path, out: Path) -> None:
    """What one would write with docxtpl alone: a new template per report, rendered, saved."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    validation = api.validate_file(path)
    context = build_context(validation.report)
    stem = api.output_stem(validation.report)
    template = DocxTemplate(io.BytesIO(template_bytes(context.edition)))
    template.render(variables(context), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    write_atomic(out / f"{stem}.docx", buffer.getvalue())
    write_atomic(out / f"{stem}.txt", render_text(context).encode("utf-8"))


def timed(label: str, work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"{label:<52} {seconds:8.2f} s")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--naive", type=int, default=None, help="reports for the naive loop (default: all)")
    parser.add_argument("--pdf", type=int, default=20, help="reports for the PDF figure (0: skip)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gaigen-bench-") as name:
        work = Path(name)
        (work / "in").mkdir()
        started = time.perf_counter()
        paths = generate(work / "in", args.reports)
        print(f"generated {len(paths)} data files (both editions) in {time.perf_counter() - started:.1f} s")
        cores = len(os.sched_getaffinity(0))
        print(f"cores available: {cores}; python {sys.version.split()[0]}")

        rates = {}
        for count in sorted({c for c in (100, 300, args.reports) if c <= args.reports}):
            seconds, memory, jobs = bench_batch(paths[:count], work, args.jobs, ("docx", "txt"))
            rates[count] = count / seconds
            print(
                f"batch docx+txt {count:>5} reports, {jobs} workers: {seconds:7.2f} s  "
                f"{count / seconds:7.1f} reports/s  {seconds / count * 1000:6.2f} ms/report  "
                f"peak tree RSS {memory.peak_rss / 2**20:6.1f} MB, PSS {memory.peak_pss / 2**20:6.1f} MB "
                f"({memory.peak_processes} processes)"
            )

        naive_count = min(args.naive or args.reports, args.reports)
        out = work / "naive"
        out.mkdir()

        def loop() -> None:
            for path in paths[:naive_count]:
                naive_one(path, out)

        seconds = timed(f"naive docxtpl loop, {naive_count} reports, 1 process", loop)
        naive_rate = naive_count / seconds
        print(f"naive: {naive_rate:7.1f} reports/s  {seconds / naive_count * 1000:6.2f} ms/report")
        print(f"batch ({args.reports}) / naive: {rates[args.reports] / naive_rate:6.1f} ×")

        if args.pdf:
            try:
                seconds, memory, jobs = bench_batch(paths[: args.pdf], work, args.jobs, ("docx", "pdf"))
            except Exception as error:  # the figure is optional: say why it is missing
                print(f"PDF: not measured ({type(error).__name__}: {error})")
            else:
                print(
                    f"batch docx+pdf {args.pdf} reports, {jobs} LibreOffice: {seconds:6.2f} s  "
                    f"{args.pdf / seconds:5.2f} reports/s (LibreOffice start-up included)  "
                    f"peak tree RSS {memory.peak_rss / 2**20:6.1f} MB"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
