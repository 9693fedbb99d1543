"""Import speed on real published reports: a 6-page PDF, a one-line web text with fused cells, a web page.

Run from the repository root: ``python benchmarks/bench_import.py [--runs 7]``. Each report of
``tests/data/corpus`` named below is imported once to warm up (pdfplumber's own imports), then
``--runs`` times; the median wall-clock and CPU seconds are printed. The target (issue 13) is a
6-page PDF in under 1 s. On a shared machine the wall-clock time includes waiting for the CPU: the
CPU time is the cost of the import itself.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gaigen.importing import import_report  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"
FILES = ("001_huaian-2024.pdf", "002_hongze-2023.pdf", "007_pingtan-2022.txt", "016_pingtan-2025.html")


def _pages(path: Path) -> int | None:
    if path.suffix != ".pdf":
        return None
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{'report':28} {'pages':>5} {'wall (s)':>9} {'cpu (s)':>8} {'cells':>6}")
    for name in FILES:
        path = CORPUS / name
        imported = import_report(path, name)
        walls, cpus = [], []
        for _ in range(args.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            import_report(path, name)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        pages = _pages(path)
        print(
            f"{name:28} {pages or '':>5} {statistics.median(walls):9.3f} {statistics.median(cpus):8.3f} "
            f"{imported.cells_read:6d}"
        )


if __name__ == "__main__":
    main()
