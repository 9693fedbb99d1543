"""Make an empty folder named like a data file (git keeps no empty folders)."""

from pathlib import Path

Path("报告.yaml").mkdir()
