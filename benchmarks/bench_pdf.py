"""PDF speed: one LibreOffice kept running (``PdfConverter``) against one ``soffice`` process per file.

Run from the repository root: ``python benchmarks/bench_pdf.py [--files 12] [--naive 4]``. It writes
``--files`` one-page reports in the official fonts (python-docx), then measures in one run:

- the converter's start-up (LibreOffice started, profile made, one warm-up file converted);
- seconds per file converted one at a time in that session (median, p90), then the same files in
  one ``convert`` call with 1 and with 2 workers (seconds per file over the whole call);
- the real example reports (``examples/*.yaml`` rendered to .docx) in the session, with pages;
- the naive way: ``soffice --headless --convert-to pdf`` started once per file (``--naive`` files,
  its profile made beforehand so that only start-up and conversion are counted), and the speed-up;
- for reference, DECISIONS §10's other way: one ``soffice --convert-to`` process given every file.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--naive", type=int, default=4)
    args = parser.parse_args()
    soffice = soffice_path()
    if soffice is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer-nogui fonts-noto-cjk")

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as temp:
        folder = Path(temp)
        docs = folder / "docx"
        docs.mkdir()
        sources = [one_page_report(docs / f"r{i:03d}.docx", i) for i in range(args.files)]
        examples = example_reports(docs)

        started = time.perf_counter()
        with PdfConverter(workers=1) as pdf:
            start_up = time.perf_counter() - started
            single = folder / "single"
            single.mkdir()
            each = []
            for source in sources:
                t = time.perf_counter()
                pdf.convert([source], single)
                each.append(time.perf_counter() - t)
            batch1 = folder / "batch1"
            batch1.mkdir()
            t = time.perf_counter()
            pdf.convert(sources, batch1)
            per_file_w1 = (time.perf_counter() - t) / len(sources)
            example_times = []
            for source in examples:
                t = time.perf_counter()
                [out] = pdf.convert([source], single)
                example_times.append((source.stem, time.perf_counter() - t, pages(out)))
            starts = pdf.starts
        page_counts = {pages(single / f"{s.stem}.pdf") for s in sources}

        started = time.perf_counter()
        with PdfConverter(workers=2) as pdf2:
            start_up_w2 = time.perf_counter() - started
            batch2 = folder / "batch2"
            batch2.mkdir()
            t = time.perf_counter()
            pdf2.convert(sources, batch2)
            per_file_w2 = (time.perf_counter() - t) / len(sources)

        # The naive way: one soffice per file. Its profile is made first, so each call pays the
        # start-up of LibreOffice and the conversion, as a loop over files would.
        profile = (folder / "naive-profile").as_uri()
        naive_out = folder / "naive"
        base = [str(soffice), f"-env:UserInstallation={profile}", "--headless", "--norestore"]
        subprocess.run([*base, "--terminate_after_init"], capture_output=True, check=False)
        subprocess.run([*base, "--convert-to", "pdf", "--outdir", str(naive_out), str(sources[0])], capture_output=True)
        naive = []
        for source in sources[: args.naive]:
            t = time.perf_counter()
            subprocess.run(
                [*base, "--convert-to", "pdf", "--outdir", str(naive_out), str(source)], capture_output=True, check=True
            )
            naive.append(time.perf_counter() - t)
        many_out = folder / "many"
        t = time.perf_counter()
        subprocess.run(
            [*base, "--convert-to", "pdf", "--outdir", str(many_out), *map(str, sources)],
            capture_output=True,
            check=True,
        )
        many = time.perf_counter() - t

    median = statistics.median(each)
    p90 = statistics.quantiles(each, n=10)[-1] if len(each) >= 2 else each[0]
    print(f"one-page reports: {len(sources)}, pages per PDF: {sorted(p for p in page_counts if p is not None)}")
    print(f"converter start-up (1 worker, warm-up included): {start_up:.2f} s; 2 workers: {start_up_w2:.2f} s")
    print(f"one file at a time in one session: median {median:.3f} s, p90 {p90:.3f} s per file")
    print(f"one convert() call, 1 worker: {per_file_w1:.3f} s per file; 2 workers: {per_file_w2:.3f} s per file")
    print(f"LibreOffice processes started in the 1-worker session: {starts}")
    for name, seconds, count in example_times:
        print(f"example {name}: {seconds:.3f} s, {count} pages")
    naive_median = statistics.median(naive)
    print(f"naive, one soffice --convert-to per file: median {naive_median:.3f} s per file ({len(naive)} files)")
    print(
        f"speed-up over the naive loop: {naive_median / median:.1f}x one at a time, "
        f"{naive_median / per_file_w1:.1f}x in one call, {naive_median / per_file_w2:.1f}x with 2 workers"
    )
    print(
        f"one soffice --convert-to given all {len(sources)} files: {many:.2f} s, {many / len(sources):.3f} s per file"
    )


if __name__ == "__main__":
    main()
