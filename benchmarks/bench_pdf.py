"""PDF speed: one LibreOffice kept running (``PdfConverter``) against one ``soffice`` process per file.

Run from the repository root: ``python benchmarks/bench_pdf.py [--files 8] [--naive 3] [--runs 3]``.
It writes ``--files`` one-page reports in the official fonts (python-docx), then, ``--runs`` times:

- LibreOffice's floor: what one ``soffice --convert-to`` process given every file takes per file
  beyond its start-up (a process given one file, then one given all, the difference per file);
- a converter fed through the UNO bridge, and one fed by a client call per file (``bridge=False``):
  start-up, seconds per file one at a time, and per file in one ``convert`` call; the bridge also
  with 2 offices (throughput grows with workers);
- the naive way: ``soffice --headless --convert-to pdf`` started once per file.

It prints medians and spreads, each way against the floor (issue 16: at LibreOffice's floor), and
the shipped examples' seconds and pages.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402

from gaigen.render.pdf import PdfConverter, soffice_path  # noqa: E402

BODY = "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息1234条，依申请公开办理56件。"


def _run(paragraph: object, text: str, east_asian: str, size: float) -> None:
    run = paragraph.add_run(text)  # type: ignore[attr-defined]
    run.font.size = Pt(size)
    run.font.name = "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def one_page_report(path: Path, index: int) -> Path:
    """Write an A4 page in the official layout: title, headings, body at 3号 仿宋, a table."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _run(document.add_paragraph(), f"某某市第{index}局2024年政府信息公开工作年度报告", "方正小标宋简体", 22)
    _run(document.add_paragraph(), "一、总体情况", "黑体", 16)
    _run(document.add_paragraph(), "（一）主动公开", "楷体_GB2312", 16)
    for _ in range(3):
        _run(document.add_paragraph(), BODY, "仿宋_GB2312", 16)
    table = document.add_table(rows=5, cols=4)
    table.style = "Table Grid"
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            _run(cell.paragraphs[0], "行政许可" if c == 0 else str(r * 7 + c), "仿宋_GB2312", 12)
    _run(section.footer.paragraphs[0], "— 1 —", "宋体", 14)
    document.save(str(path))
    return path


def pages(pdf: Path) -> int | None:
    if shutil.which("pdfinfo") is None:
        return None
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    for line in info.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def example_reports(folder: Path) -> list[Path]:
    """Render the valid shipped examples to .docx; empty when the Word renderer is not there yet."""
    try:
        from gaigen.api import reports as api
        from gaigen.render.context import build_context
        from gaigen.render.word import render_docx
    except ImportError:
        return []
    out = []
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        if example.name.startswith("invalid"):
            continue
        validation = api.validate_file(example)
        if not validation.ok:
            continue
        target = folder / f"{example.stem}.docx"
        target.write_bytes(render_docx(build_context(validation.report)))
        out.append(target)
    return out


def session(sources: list[Path], folder: Path, workers: int, bridge: bool) -> tuple[float, list[float], float, int]:
    """Start a converter; convert the files one at a time, then all in one call.

    Return the start-up, the seconds of each file, the seconds per file of the one call, and how
    many offices were started.
    """
    started = time.perf_counter()
    with PdfConverter(workers=workers, bridge=bridge) as pdf:
        start_up = time.perf_counter() - started
        single = folder / f"single-{workers}-{bridge}"
        single.mkdir(parents=True, exist_ok=True)
        each = []
        for source in sources:
            t = time.perf_counter()
            pdf.convert([source], single)
            each.append(time.perf_counter() - t)
        many = folder / f"many-{workers}-{bridge}"
        many.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        pdf.convert(sources, many)
        per_file = (time.perf_counter() - t) / len(sources)
        if bridge and not pdf.bridged:
            print("note: no Python with uno found, the bridge session used client calls")
        return start_up, each, per_file, pdf.starts


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s ({min(values):.3f}–{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=8, help="at least 2")
    parser.add_argument("--naive", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    soffice = soffice_path()
    if soffice is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer-nogui python3-uno fonts-noto-cjk")

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as temp:
        folder = Path(temp)
        docs = folder / "docx"
        docs.mkdir()
        sources = [one_page_report(docs / f"r{i:03d}.docx", i) for i in range(args.files)]
        examples = example_reports(docs)
        profile = (folder / "naive-profile").as_uri()
        base = [str(soffice), f"-env:UserInstallation={profile}", "--headless", "--norestore"]
        subprocess.run([*base, "--terminate_after_init"], capture_output=True, check=False)
        figures: dict[str, list[float]] = {}

        def add(name: str, value: float) -> None:
            figures.setdefault(name, []).append(value)

        for run in range(args.runs):
            # The floor: what one soffice process takes per file beyond its start-up, from one process
            # given one file and one given every file (LibreOffice's own cost of a conversion).
            took = []
            for given in (sources[:1], sources):
                t = time.perf_counter()
                subprocess.run(
                    [*base, "--convert-to", "pdf", "--outdir", str(folder / f"floor-{run}"), *map(str, given)],
                    capture_output=True,
                    check=True,
                )
                took.append(time.perf_counter() - t)
            add("floor", (took[1] - took[0]) / (len(sources) - 1))
            add("one soffice, every file", took[1] / len(sources))
            for bridge in (True, False):
                start_up, each, per_file, _starts = session(sources, folder / f"run-{run}", 1, bridge)
                kind = "bridge" if bridge else "client"
                add(f"{kind} start-up", start_up)
                add(f"{kind} one at a time", statistics.median(each))
                add(f"{kind} one call", per_file)
            _start_up, _each, per_file, _starts = session(sources, folder / f"run-{run}", 2, True)
            add("bridge 2 workers one call", per_file)
            for source in sources[: args.naive]:
                t = time.perf_counter()
                subprocess.run(
                    [*base, "--convert-to", "pdf", "--outdir", str(folder / "naive"), str(source)],
                    capture_output=True,
                    check=True,
                )
                add("naive", time.perf_counter() - t)
        example_times = []
        with PdfConverter() as pdf:
            for source in examples:
                t = time.perf_counter()
                [out] = pdf.convert([source], folder / "docx")
                example_times.append((source.stem, time.perf_counter() - t, pages(out)))

    floor = statistics.median(figures["floor"])
    print(f"one-page reports: {len(sources)}, {args.runs} runs; medians (min–max) per file")
    print(
        f"LibreOffice's floor (one soffice: each file beyond the first): {spread(figures['floor'])}; "
        f"one soffice given every file, start-up included: {spread(figures['one soffice, every file'])}"
    )
    for kind in ("bridge", "client"):
        print(
            f"{kind:<6}: start-up {spread(figures[f'{kind} start-up'])}; one at a time {spread(figures[f'{kind} one at a time'])}"
            f" = {statistics.median(figures[f'{kind} one at a time']) / floor:.2f}× the floor; "
            f"in one call {spread(figures[f'{kind} one call'])}"
        )
    print(
        f"bridge, 2 offices, in one call: {spread(figures['bridge 2 workers one call'])} per file "
        f"({floor / statistics.median(figures['bridge 2 workers one call']):.2f}× the floor's throughput)"
    )
    naive = statistics.median(figures["naive"])
    print(
        f"naive, one soffice --convert-to per file: {spread(figures['naive'])}; "
        f"bridge one at a time is {naive / statistics.median(figures['bridge one at a time']):.1f}× faster"
    )
    for name, seconds, count in example_times:
        print(f"example {name}: {seconds:.3f} s, {count} pages")


if __name__ == "__main__":
    main()
