"""Batch speed: ``gaigen batch`` against a naive docxtpl loop on the same number of processes (issue 16).

Run from the repository root: ``python benchmarks/bench_batch.py [--sizes 100,300,1000] [--runs 3]
[--jobs N] [--naive-max 1000] [--pdf 20] [--same-text]``. It generates valid data files of both
editions (tests/builders.py: random consistent tables, each agency its own; each agency's narrative
its own too, a fifth of its sentences stock phrases, 2 % of the reports near-copies of another's,
as in a county; ``--same-text``: every report the same narrative, so that every report gets a
return letter, the worst case of the county review), then for each size, ``--runs`` times, in this
order within a run:

- ``run_batch`` (docx + txt, ``--jobs`` workers, default all cores): wall time from the call to
  the summary written; the CPU of the workers per report (they are forked children, so their
  time is counted when they are reaped) and of the parent; the fixed cost (start to first
  result plus last result to the end); the peak memory of the process tree (RSS and PSS, sampled
  every 50 ms from /proc by a separate process). Each batch runs in a fresh process, as
  ``gaigen batch`` does, so that nothing the benchmark itself loaded is counted or forked;
- the naive loop on the same number of processes: validate, then a new ``DocxTemplate`` of the
  packaged template, ``render``, ``save`` per report, plus the plain text; and the ratio of the
  two in that run.

It prints the median and the spread (min–max) of each figure, and the ratios. With ``--pdf N``,
docx + PDF for N reports once, LibreOffice start-up included.

Targets (issue 16, DECISIONS §13): ≥ 150 reports/s for 1,000 reports on 2 cores; worker CPU
≤ 9 ms per report; fixed cost ≤ 1.5 s; peak tree RSS < 150 MB (< 1 GB with PDF).
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gaigen.api import reports as api  # noqa: E402
from gaigen.files.output import write_atomic  # noqa: E402
from gaigen.render.context import build_context  # noqa: E402
from gaigen.render.text import render_text  # noqa: E402
from gaigen.render.word import template_bytes, variables  # noqa: E402
from gaigen.spec.layout import Edition  # noqa: E402
from tests.builders import fill_consistent, starter, write  # noqa: E402

PARAGRAPH = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开标准化规范化建设。"

# Run as its own process: sums RSS and PSS of a process tree every 50 ms until its stdin closes.
SAMPLER = r"""
import os, select, sys
root, me = int(sys.argv[1]), os.getpid()
def tree():
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid != me:
            found.append(pid)
            todo += children.get(pid, [])
    return found
def field(path, name):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(name):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
rss = pss = procs = 0
while not select.select([sys.stdin], [], [], 0.05)[0]:
    pids = tree()
    rss = max(rss, sum(field(f"/proc/{p}/status", "VmRSS:") for p in pids))
    pss = max(pss, sum(field(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
    procs = max(procs, len(pids))
print(rss, pss, procs)
"""


# Narratives: each agency writes its own sentences, a fifth of them stock phrases every county uses
# (the near-copy check must not drown in them); COPIED of the reports copy 90 % of another's
# (R-2 then returns them), as a county's few units that fill in a neighbour's report do.
COPIED = 0.02
_CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def _sentence(rng: random.Random) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(rng.randint(20, 40))) + "。"


def generate(folder: Path, count: int, same_text: bool = False) -> list[Path]:
    """Write ``count`` valid data files, alternating editions, each its own agency and numbers.

    Each agency's narrative is its own (see ``COPIED``); with ``same_text`` every report's text is
    the same paragraph repeated, the worst case of the near-copy check: every report gets a letter.
    """
    rng = random.Random(5)
    bases = {edition: starter(edition) for edition in Edition}
    stock = [_sentence(rng) for _ in range(200)]
    written: list[dict[str, str]] = []
    paths = []
    for index in range(count):
        edition = (Edition.E2019, Edition.E2021)[index % 2]
        data = copy.deepcopy(bases[edition])
        data["机关名称"] = f"某某县第{index}局"
        fill_consistent(data, edition, rng, with_totals=index % 3 == 0)
        overview = data["一、总体情况"]
        source = written[rng.randrange(len(written))] if written and rng.random() < COPIED else None
        texts: dict[str, str] = {}
        for topic in overview:
            if topic == "概述":
                continue
            if same_text:
                texts[topic] = "\n".join(PARAGRAPH * rng.randint(1, 4) for _ in range(rng.randint(1, 3)))
            elif source is not None:
                kept = [s if rng.random() < 0.9 else _sentence(rng)[:-1] for s in source[topic].split("。") if s]
                texts[topic] = "。".join(kept) + "。"
            else:
                texts[topic] = "".join(
                    rng.choice(stock) if rng.random() < 0.2 else _sentence(rng) for _ in range(rng.randint(8, 16))
                )
            overview[topic] = texts[topic]
        written.append(texts)
        paths.append(write(data, folder / f"{index:04d}.yaml"))
    return paths


class TreeMemory:
    """Peak memory of a process and its descendants, sampled by a separate process."""

    def __init__(self, root: int) -> None:
        self.root = root

    def __enter__(self) -> TreeMemory:
        self.rss = self.pss = self.processes = 0
        self._sampler = subprocess.Popen(
            [sys.executable, "-c", SAMPLER, str(self.root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        return self

    def __exit__(self, *exc: object) -> None:
        output, _ = self._sampler.communicate("")
        self.rss, self.pss, self.processes = (int(part) for part in output.split())


# Each batch runs in a fresh process, as ``gaigen batch`` does (what earlier runs of the benchmark
# loaded stays out of it); it reports its timings as JSON.
DRIVER = r"""
import json, os, sys, time
from pathlib import Path
sys.stdin.readline()  # the memory sampler is watching
from gaigen.batch import run_batch
paths = [Path(line) for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()]
marks = []
before = os.times()
started = time.perf_counter()
result = run_batch(paths, Path(sys.argv[2]), tuple(sys.argv[3].split(",")), int(sys.argv[4]) or None,
                   progress_callback=lambda _p: marks.append(time.perf_counter()))
seconds = time.perf_counter() - started
after = os.times()
bad = [f"{f.status.value}: {f.message}" for f in result.files if not f.status.rendered]
print(json.dumps({
    "seconds": seconds, "first": marks[1] - started, "tail": started + seconds - marks[-1],
    "worker_cpu": after.children_user - before.children_user + after.children_system - before.children_system,
    "parent_cpu": after.user - before.user + after.system - before.system,
    "jobs": result.jobs, "bad": bad,
}))
"""


@dataclass
class Run:
    seconds: float
    first: float  # start to the first result
    tail: float  # last result to the end
    worker_cpu: float  # seconds, all workers
    parent_cpu: float
    rss: int
    pss: int
    processes: int
    jobs: int


def gaigen_run(paths: list[Path], out: Path, jobs: int | None, formats: tuple[str, ...]) -> Run:
    shutil.rmtree(out, ignore_errors=True)
    listing = out.with_name(out.name + ".txt")
    listing.write_text("\n".join(map(str, paths)), encoding="utf-8")
    command = [sys.executable, "-c", DRIVER, str(listing), str(out), ",".join(formats), str(jobs or 0)]
    driver = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    with TreeMemory(driver.pid) as memory:
        output, _ = driver.communicate("go\n")
    if driver.returncode != 0:
        raise RuntimeError(f"the batch failed (exit code {driver.returncode})")
    found = json.loads(output)
    if found["bad"]:
        raise RuntimeError(f"{len(found['bad'])} reports not rendered, e.g. {found['bad'][0]}")
    return Run(
        found["seconds"],
        found["first"],
        found["tail"],
        found["worker_cpu"],
        found["parent_cpu"],
        memory.rss,
        memory.pss,
        memory.processes,
        found["jobs"],
    )


def naive_one(job: tuple[Path, Path]) -> None:
    """What one would write with docxtpl alone: a new template per report, rendered, saved."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    path, out = job
    validation = api.validate_file(path)
    context = build_context(validation.report)
    stem = api.output_stem(validation.report)
    template = DocxTemplate(io.BytesIO(template_bytes(context.edition)))
    template.render(variables(context), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    write_atomic(out / f"{stem}.docx", buffer.getvalue())
    write_atomic(out / f"{stem}.txt", render_text(context).encode("utf-8"))


def naive_run(paths: list[Path], out: Path, jobs: int) -> float:
    """The naive loop spread over ``jobs`` processes (a multiprocessing pool, one file at a time)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(naive_one, [(path, out) for path in paths], chunksize=1)
    return time.perf_counter() - started


def machine_speed() -> float:
    """Return the CPU milliseconds of a fixed pure-Python loop (median of three): how fast the shared
    machine runs just now. The same figures were measured 1.7 times apart on one machine within an
    hour; this line tells a reader which state a run was taken in."""
    times = []
    for _ in range(3):
        started = time.process_time()
        sum(i * i for i in range(2_000_000))
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def spread(values: list[float], unit: str = "", digits: int = 2) -> str:
    return f"{statistics.median(values):.{digits}f}{unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--naive-max", type=int, default=1000, help="largest size the naive loop also runs")
    parser.add_argument("--pdf", type=int, default=0, help="reports for the PDF figure (0: skip)")
    parser.add_argument(
        "--same-text", action="store_true", help="every report the same narrative: each gets a letter (worst case)"
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="gaigen-bench-") as name:
        work = Path(name)
        (work / "in").mkdir()
        started = time.perf_counter()
        paths = generate(work / "in", sizes[-1], args.same_text)
        kind = "every report the same narrative" if args.same_text else f"own narratives, {COPIED:.0%} near-copies"
        print(f"generated {len(paths)} data files (both editions; {kind}) in {time.perf_counter() - started:.1f} s")
        print(
            f"cores available: {len(os.sched_getaffinity(0))}; load average {os.getloadavg()[0]:.1f}; "
            f"python {sys.version.split()[0]}; reference loop {machine_speed():.0f} ms CPU"
        )
        for size in sizes:
            runs: list[Run] = []
            naive: list[float] = []
            for _ in range(args.runs):
                runs.append(gaigen_run(paths[:size], work / "out", args.jobs, ("docx", "txt")))
                if size <= args.naive_max:
                    naive.append(naive_run(paths[:size], work / "naive", runs[-1].jobs))
            jobs = runs[0].jobs
            print(
                f"batch docx+txt {size:>5} reports, {jobs} workers, {args.runs} runs: "
                f"{spread([r.seconds for r in runs], ' s')}, {spread([size / r.seconds for r in runs], '/s', 1)}"
            )
            print(
                f"    worker CPU {spread([r.worker_cpu / size * 1000 for r in runs], ' ms')} per report; "
                f"parent CPU {spread([r.parent_cpu / size * 1000 for r in runs], ' ms')} per report; "
                f"fixed cost {spread([r.first + r.tail for r in runs], ' s')} "
                f"(to first result {spread([r.first for r in runs], ' s')}, after last {spread([r.tail for r in runs], ' s')})"
            )
            print(
                f"    peak tree RSS {spread([r.rss / 2**20 for r in runs], ' MB', 0)}, "
                f"PSS {spread([r.pss / 2**20 for r in runs], ' MB', 0)} ({runs[0].processes} processes)"
            )
            if naive:
                ratios = [n / r.seconds for n, r in zip(naive, runs, strict=True)]
                print(
                    f"    naive docxtpl, {jobs} processes: {spread(naive, ' s')}, "
                    f"{spread([size / n for n in naive], '/s', 1)}; gaigen / naive in the same run: {spread(ratios, '×', 1)}"
                )
        if args.pdf:
            try:
                run = gaigen_run(paths[: args.pdf], work / "out-pdf", args.jobs, ("docx", "pdf"))
            except Exception as error:  # the figure is optional: say why it is missing
                print(f"PDF: not measured ({type(error).__name__}: {error})")
            else:
                print(
                    f"batch docx+pdf {args.pdf} reports, {run.jobs} LibreOffice: {run.seconds:6.2f} s  "
                    f"{args.pdf / run.seconds:5.2f} reports/s (LibreOffice start-up included)  "
                    f"peak tree RSS {run.rss / 2**20:6.0f} MB"
                )
    print(f"reference loop at the end: {machine_speed():.0f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
