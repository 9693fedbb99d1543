"""Help screens served from the cache folder, so ``gaigen --help`` starts without typer and rich.

Building a help screen means loading typer and rich (~0.15 s of a ~0.2 s start). The first time a
help screen is shown its exact output is kept, keyed by everything that shapes it: gaigen's
version and the sources of its commands, the arguments, the terminal (whether it is one, its
size) and the variables rich and typer read. Later runs with the same key print it directly. Not
on Windows, whose console rich drives through its own API rather than by writing text.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from gaigen import __version__

_VARIABLES = ("TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES")
_SOURCES = (
    "commands.py",
    "base.py",
    "single.py",
    "county.py",
    "published.py",
    "tools.py",
    "wording.py",
    "helpcache.py",
)


def wanted(args: list[str]) -> bool:
    """Return whether ``args`` ask for a help screen (as ``commands.main`` decides)."""
    return not args or "-h" in args or "--help" in args or args == ["review"]  # a group alone shows its help


def _key(args: list[str]) -> str | None:
    if os.name == "nt" or "--debug" in args or "--" in args:
        return None
    here = Path(__file__).parent
    parts = [__version__, sys.version, *args, "\0"]
    for name in _SOURCES:
        try:
            stat = (here / name).stat()
        except OSError:
            return None
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    parts += [f"{name}={os.environ.get(name)}" for name in _VARIABLES if name in os.environ]
    parts += [name for name in os.environ if name.startswith(("TYPER_", "_TYPER_"))]
    parts.append(f"tty={sys.stdout.isatty()} size={tuple(shutil.get_terminal_size())}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _file(args: list[str]) -> Path | None:
    from gaigen.files.cache import cache_folder

    key = _key(args)
    folder = cache_folder() if key else None
    return folder / f"help-{key}.txt" if folder else None


def cached(args: list[str]) -> str | None:
    """Return the help screen ``args`` ask for when it is in the cache, else None."""
    if not wanted(args):
        return None
    path = _file(args)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


class _Tee:
    """Standard output as rich sees it (a terminal or not, its size), keeping a copy of what is written."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.written: list[str] = []

    def write(self, text: str | bytes) -> int:
        self.written.append(text.decode("utf-8") if isinstance(text, bytes) else text)
        return self._stream.write(text)  # type: ignore[arg-type]  # as given: the stream decides

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def recording(args: list[str]) -> Iterator[list[bool]]:
    """Record standard output while the block runs; keep it when the block sets ``done[0]``."""
    done = [False]
    path = _file(args) if wanted(args) else None
    if path is None:
        yield done
        return
    tee = _Tee(sys.stdout)
    sys.stdout = tee
    try:
        yield done
    finally:
        sys.stdout = tee._stream
    if done[0] and tee.written:
        from gaigen.files.output import write_atomic

        with contextlib.suppress(Exception):  # a cache that cannot be written only costs time
            write_atomic(path, "".join(tee.written).encode("utf-8"), sync=False)
