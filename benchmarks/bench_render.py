"""Render speed: milliseconds per report, warm, in one process (issue 4; DECISIONS §13).

Run from the repository root: ``python benchmarks/bench_render.py [--reports 200] [--naive 40]``.
It prints one line per figure. The docx figure is measured on ``--reports`` contexts of both
editions (different agencies, numbers and text), after each edition's template was prepared once;
in the same run, a naive docxtpl loop (a new ``DocxTemplate`` of the same packaged template,
``render``, ``save`` per report) is measured on the first ``--naive`` of them, and the ratio printed.
Targets (issue 16): parse + check + docx + txt ≤ 10 ms warm, ≤ 9 ms CPU with the files written;
cold start ≤ 0.5 s (help ≤ 0.2 s). Process time (CPU) is printed where the machine is shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gaigen.api.reports import render_validated, validate_file
from gaigen.files.scaffold import starter_file
from gaigen.render.context import Context, Section, build_context
from gaigen.render.text import render_text
from gaigen.render.word import WordRenderer, render_docx, template_bytes, variables
from gaigen.spec.datafile import PLACEHOLDER
from gaigen.spec.layout import Edition
from tests import builders

YEARS = {Edition.E2019: 2020, Edition.E2021: 2024}
PARAGRAPH = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开标准化规范化建设，"


@dataclasses.dataclass(frozen=True)
class Figure:
    """One printed figure: what was measured, on how many reports, and the per-report timings."""

    name: str
    millis: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.millis)

    @property
    def p90(self) -> float:
        return statistics.quantiles(self.millis, n=10)[-1] if len(self.millis) > 1 else self.millis[0]

    def line(self) -> str:
        return (
            f"{self.name:<44} median {self.median:8.2f} ms   p90 {self.p90:8.2f} ms   "
            f"min–max {min(self.millis):.2f}–{max(self.millis):.2f}   ({len(self.millis)} runs)"
        )


# --- Inputs -----------------------------------------------------------------------------------------


def base_context(edition: Edition, folder: Path) -> Context:
    """Return the context of a valid ``gaigen init`` file of ``edition`` (placeholders written)."""
    path = folder / f"base-{edition.value}.yaml"
    text = starter_file(YEARS[edition], "某某县某某局").replace(PLACEHOLDER, "")
    path.write_text(text.replace("# 发布日期: 2025-01-20", "发布日期: 2025-01-20"), encoding="utf-8")
    validation = validate_file(path)
    if validation.errors:
        raise SystemExit(f"base data file of {edition.value} is invalid: {validation.errors}")
    return build_context(validation.report)


def contexts(count: int) -> list[Context]:
    """Return ``count`` contexts, alternating editions, each with its own agency, text and numbers."""
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as folder:
        bases = [base_context(edition, Path(folder)) for edition in Edition]
    made = []
    for index in range(count):
        base = bases[index % len(bases)]
        agency = f"某某县第{index}局"
        cells = {table: {name: str(rng.randint(0, 999)) for name in names} for table, names in base.cells.items()}
        paragraphs = tuple(PARAGRAPH * rng.randint(1, 4) for _ in range(rng.randint(1, 3)))
        parts = tuple(
            part if part.table else dataclasses.replace(part, sections=(Section("", paragraphs), *part.sections))
            for part in base.parts
        )
        made.append(
            dataclasses.replace(
                base,
                title=f"{agency}{base.year}年政府信息公开工作年度报告",
                parts=parts,
                cells=cells,
                signature=agency,
                agency=agency,
            )
        )
    return made


# --- Measurements -------------------------------------------------------------------------------


def timed(name: str, items: Sequence[Context], work: Callable[[Context], object]) -> Figure:
    millis = []
    for context in items:
        start = time.perf_counter()
        work(context)
        millis.append((time.perf_counter() - start) * 1000)
    return Figure(name, tuple(millis))


def bench_docx(items: Sequence[Context]) -> tuple[Figure, Figure]:
    """Return the one-off preparation of each edition's template and the warm per-report figure."""
    renderer = WordRenderer()
    first = timed("docx: prepare template + first render", items[:2], renderer.render)
    return first, timed("docx: WordRenderer.render (warm)", items, renderer.render)


def naive_render(context: Context) -> bytes:
    """Render the way docxtpl's README does: a new template per report, rendered, saved."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    template = DocxTemplate(io.BytesIO(template_bytes(context.edition)))
    template.render(variables(context), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def bench_naive_docx(items: Sequence[Context]) -> Figure:
    return timed("docx: naive docxtpl (new template each)", items, naive_render)


def bench_txt(items: Sequence[Context]) -> list[Figure]:
    """Plain-text report per report (gaigen.render.text)."""
    return [timed("txt: render_text", items, render_text)]


def data_files(folder: Path, count: int) -> list[Path]:
    """Write ``count`` valid data files of both editions with random consistent numbers."""
    paths = []
    for index in range(count):
        edition = list(Edition)[index % 2]
        data = builders.starter(edition, agency=f"某某县第{index}局")
        builders.fill_consistent(data, edition, random.Random(index), with_totals=index % 3 == 0)
        paths.append(builders.write(data, folder / f"{index}.yaml"))
    return paths


def bench_pipeline(count: int) -> list[Figure]:
    """Parse + check + docx + txt per data file, warm (DECISIONS §13: ≤ 10 ms); then the same with
    both files written as a batch worker writes them (atomic, no sync), in CPU time (issue 16: ≤ 9 ms).
    """
    with tempfile.TemporaryDirectory() as folder:
        paths = data_files(Path(folder), count)
        out = Path(folder) / "out"
        out.mkdir()

        def one(path: Path) -> None:
            context = build_context(validate_file(path).report)
            render_docx(context)
            render_text(context)

        def written(path: Path) -> None:
            render_validated(validate_file(path), out, ("docx", "txt"), sync=False)

        for path in paths[:4]:
            written(path)  # warm both editions
        wall, cpu = [], []
        for path in paths:
            start = time.perf_counter()
            one(path)
            wall.append((time.perf_counter() - start) * 1000)
        for path in paths:
            start = time.process_time()
            written(path)
            cpu.append((time.process_time() - start) * 1000)
    return [
        Figure("pipeline: parse + check + docx + txt", tuple(wall)),
        Figure("pipeline + 2 files written, CPU (worker)", tuple(cpu)),
    ]


def bench_pdf(items: Sequence[Context], count: int) -> list[Figure]:
    """PDF per report through one running LibreOffice (gaigen.render.pdf), start-up excluded."""
    from gaigen.render.pdf import PdfConverter, soffice_path

    if count == 0:
        return []
    if soffice_path() is None:
        print("pdf: LibreOffice not installed, skipped")
        return []
    renderer = WordRenderer()
    start = time.perf_counter()
    with PdfConverter() as converter:
        converter.start()
        startup = (time.perf_counter() - start) * 1000
        figure = timed(
            "pdf: convert_bytes (one running office)",
            items[:count],
            lambda c: converter.convert_bytes(renderer.render(c)),
        )
    return [Figure("pdf: converter start-up", (startup,)), figure]


def bench_cold_start(runs: int = 5) -> list[Figure]:
    """A new process for ``gaigen render`` of one shipped example (docx + txt) and for ``gaigen --help``.

    Four ways (issue 16): with the prepared-template cache warm; with an empty cache folder (the
    template prepared from scratch); with an empty cache and gaigen's own modules compiled from
    source (a copy of the package without ``__pycache__`` on ``PYTHONPATH``, no ``.pyc`` written:
    the first run of a source checkout, the libraries as pip installed them); and with neither the
    cache nor any ``.pyc`` at all (``PYTHONPYCACHEPREFIX`` set to an empty folder: the standard library
    and every dependency compiled too). Targets: render ≤ 0.5 s warm, ≤ 1 s from nothing; help ≤ 0.2 s.
    """
    example = Path(__file__).resolve().parents[1] / "examples" / "county-government-2024.yaml"
    render = [sys.executable, "-m", "gaigen", "render", str(example), "-o"]
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "cache"
        warm_env = {**os.environ, "GAIGEN_CACHE_DIR": str(cache)}
        subprocess.run([*render, folder], check=True, capture_output=True, env=warm_env)  # fill the cache

        def each(name: str, command: list[str], fresh: str | None) -> Figure:
            millis = []
            for index in range(runs):
                env = dict(warm_env)
                if fresh is not None:
                    env["GAIGEN_CACHE_DIR"] = str(Path(folder) / f"empty-{fresh}-{index}")
                if fresh == "pyc":
                    env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / f"pyc-{index}")
                if fresh == "own":
                    env["PYTHONPATH"] = str(source)
                    env["PYTHONDONTWRITEBYTECODE"] = "1"
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True, env=env)
                millis.append((time.perf_counter() - start) * 1000)
            return Figure(name, tuple(millis))

        figures.append(each("cold: gaigen --help", [sys.executable, "-m", "gaigen", "--help"], None))
        figures.append(each("cold: gaigen render, template cache warm", [*render, folder], None))
        figures.append(each("cold: gaigen render, empty template cache", [*render, folder], "cache"))
        source = Path(folder) / "source"
        shutil.copytree(
            Path(__file__).resolve().parents[1] / "gaigen",
            source / "gaigen",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        figures.append(each("cold: gaigen render, no cache, gaigen without .pyc", [*render, folder], "own"))
        figures.append(each("cold: gaigen render, no cache and no .pyc", [*render, folder], "pyc"))
    return figures


def bench_memory() -> list[str]:
    """Peak resident memory of this process after all the reports above."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [f"memory: peak RSS of this process               {peak:8.1f} MB"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=200, help="contexts for the warm figures")
    parser.add_argument("--naive", type=int, default=40, help="contexts for the naive docxtpl baseline")
    parser.add_argument("--pdf", type=int, default=10, help="reports converted to PDF (0: skip)")
    args = parser.parse_args(argv)
    items = contexts(args.reports)
    prepare, docx = bench_docx(items)
    naive = bench_naive_docx(items[: args.naive])
    pipeline = bench_pipeline(args.reports)
    for figure in (
        prepare,
        docx,
        naive,
        *bench_txt(items),
        *pipeline,
        *bench_cold_start(),
        *bench_pdf(items, args.pdf),
    ):
        print(figure.line())
    print(f"docx: naive / WordRenderer (median)         {naive.median / docx.median:8.1f} ×")
    print(f"naive docx / full pipeline (median)          {naive.median / pipeline[0].median:8.1f} ×")
    for line in bench_memory():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
