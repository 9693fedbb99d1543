"""The reference material under tests/data/reference (see its README): official grids and real reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parent / "data" / "reference"
SEEDS = REFERENCE / "seeds"
GRIDS: dict[str, Any] = json.loads((REFERENCE / "format-grids.json").read_text(encoding="utf-8"))
