"""Write a data file nested 100 000 levels deep (200 KB, well under the size cap)."""

from pathlib import Path

Path("data.yaml").write_text("机关名称: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
