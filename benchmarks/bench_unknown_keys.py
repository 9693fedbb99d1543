"""Time ``validate`` on a data file with many unknown keys (issue 17, row 3: was quadratic).

Run: ``python benchmarks/bench_unknown_keys.py [count]`` (default 10,000). The target is under a
second for 10,000 unknown keys; ``tests/test_hostile.py`` checks the work is linear by counting calls.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from gaigen.api import reports as api

ROOT = Path(__file__).resolve().parents[1]


def main(count: int) -> None:
    base = (ROOT / "tests" / "data" / "valid-2024" / "data.yaml").read_text(encoding="utf-8")
    api.validate_file(ROOT / "tests" / "data" / "valid-2024" / "data.yaml")  # warm: imports, models
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "unknown.yaml"
        path.write_text(base + "".join(f"未知键{i}: {i}\n" for i in range(count)), encoding="utf-8")
        started = time.perf_counter()
        result = api.validate_file(path)
        seconds = time.perf_counter() - started
    print(f"{count} unknown keys: {seconds:.3f} s, {len(result.problems)} problems")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
