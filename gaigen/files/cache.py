"""gaigen's cache folder: prepared Word templates and help screens, kept between runs to start faster."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path | None:
    """Return the cache folder: $GAIGEN_CACHE_DIR, else the user's cache folder; None if not writable."""
    configured = os.environ.get("GAIGEN_CACHE_DIR")
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(configured) if configured else Path(base) / "gaigen"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
