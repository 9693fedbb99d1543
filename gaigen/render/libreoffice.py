"""Finding LibreOffice and the Python that can drive it, on Linux, macOS and Windows.

``soffice`` is looked for on PATH, then where each platform's installer puts it (a Windows or
macOS install does not add it to PATH). The Python that has LibreOffice's ``uno`` module is
LibreOffice's own on Windows and macOS, and Debian's ``/usr/bin/python3`` with ``python3-uno`` on
Linux (DECISIONS §10: gaigen never imports ``uno`` itself). Also here: the errors of the PDF path
and the install hint of each platform, and ending an office's processes.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from gaigen.core.errors import GaigenError

_STOP_GRACE = 5.0
# The office's IPC pipe lives in the first writable of these (sal/osl/unx/pipe.cxx).
_PIPE_FOLDERS = (Path("/tmp"), Path("/var/tmp"))
# Set to a Python with ``uno`` to use that one; set empty to convert without it (a client per file).
OFFICE_PYTHON_VARIABLE = "GAIGEN_OFFICE_PYTHON"


class PdfError(GaigenError):
    """Raised when LibreOffice cannot start, or when the fonts a PDF needs are missing."""

    exit_code = 2


class LibreOfficeMissingError(PdfError):
    """Raised when no ``soffice`` is found, so no PDF can be made."""


def install_hint(platform: str | None = None) -> str:
    """Return how to install LibreOffice and the CJK fonts on ``platform`` (default: this one)."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return "从 https://zh-cn.libreoffice.org 下载并安装 LibreOffice（安装后无需重启 gaigen）"
    if platform == "darwin":
        return "brew install --cask libreoffice，或从 https://zh-cn.libreoffice.org 下载并安装 LibreOffice"
    return (
        "sudo apt-get install libreoffice-writer-nogui python3-uno fonts-noto-cjk fonts-arphic-ukai（Debian、Ubuntu）"
    )


INSTALL_HINT = install_hint()


def _installed_locations(platform: str) -> list[str]:
    """Return where LibreOffice's installer puts ``soffice`` on ``platform`` (globs allowed)."""
    if platform.startswith("win"):
        roots = [os.environ.get(name, "") for name in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA")]
        return [str(Path(root) / "LibreOffice" / "program" / "soffice.exe") for root in roots if root]
    if platform == "darwin":
        app = "LibreOffice.app/Contents/MacOS/soffice"
        return [f"/Applications/{app}", str(Path.home() / "Applications" / app)]
    return [
        "/usr/lib/libreoffice/program/soffice",
        "/usr/lib64/libreoffice/program/soffice",
        "/opt/libreoffice*/program/soffice",
        "/usr/local/lib/libreoffice/program/soffice",
        "/snap/bin/libreoffice",
    ]


def soffice_path(platform: str | None = None) -> Path | None:
    """Return the ``soffice`` found on PATH or where the installer puts it, or ``None``."""
    platform = sys.platform if platform is None else platform
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for pattern in _installed_locations(platform):
        for match in sorted(glob.glob(pattern), reverse=True):  # the newest /opt/libreoffice7.x first
            if os.path.isfile(match) and os.access(match, os.X_OK):
                return Path(match)
    return None


def office_binary(override: Path | None) -> Path:
    """Return the program to run as the office: ``soffice.bin`` beside ``soffice`` where there is one.

    Raise ``LibreOfficeMissingError`` when there is no LibreOffice.
    """
    found = override if override is not None else soffice_path()
    if found is None or not found.exists():
        raise LibreOfficeMissingError(
            f"未找到 LibreOffice（soffice），无法生成 PDF。请先安装：{INSTALL_HINT}（或把 soffice 所在目录加入 PATH）。"
        )
    # soffice is a shell script that runs oosplash, which runs soffice.bin. Running soffice.bin
    # directly keeps the office our own child, so that we can end and reap it.
    real = found.resolve()
    program = real.with_name("soffice.bin")
    return program if program.is_file() and os.access(program, os.X_OK) else real


def office_python(binary: Path) -> Path | None:
    """Return a Python that can import LibreOffice's ``uno`` for the office ``binary``, or ``None``.

    ``$GAIGEN_OFFICE_PYTHON`` decides when set (empty: none). Otherwise LibreOffice's own Python
    (Windows, macOS, the builds from libreoffice.org), else Debian's ``python3`` when
    ``python3-uno`` is installed.
    """
    configured = os.environ.get(OFFICE_PYTHON_VARIABLE)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    program = binary.parent
    for candidate in (
        program / "python.exe",  # Windows
        program / "python",  # libreoffice.org builds for Linux
        program.parent / "Resources" / "python",  # macOS: LibreOffice.app/Contents/Resources/python
    ):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    system = Path("/usr/bin/python3")
    if system.is_file() and any(
        Path(folder, "uno.py").is_file() for folder in glob.glob("/usr/lib/python3*/dist-packages")
    ):
        return system
    return None


def pipe_paths(profile_url: str) -> list[Path]:
    """Return where an office running on this profile puts its single-instance pipe."""
    # desktop/source/app/officeipcthread.cxx: MD5 of the profile URL as UTF-16, each byte in hex
    # without zero padding.
    digest = hashlib.md5(profile_url.encode("utf-16-le"), usedforsecurity=False).digest()
    return named_pipe_paths(f"SingleOfficeIPC_{''.join(format(b, 'x') for b in digest)}")


def named_pipe_paths(name: str) -> list[Path]:
    """Return where an office puts the pipe it opens as ``name`` (``--accept=pipe,name=…``, or its own)."""
    if not hasattr(os, "getuid"):
        return []  # Windows: the office's pipe is a named pipe, not a file to wait for or remove
    return [folder / f"OSL_PIPE_{os.getuid()}_{name}" for folder in _PIPE_FOLDERS]


def end_process(process: subprocess.Popen[bytes], *, group: bool, hard: bool = False) -> None:
    """Ask a process to stop, kill it if it does not (or at once when ``hard``), and reap it.

    With ``group`` (a process started in its own session, so its group id is its pid), also kill
    whatever it left behind in that group.
    """
    if process.poll() is None:
        if hard:
            process.kill()
        else:
            process.terminate()
        try:
            process.wait(timeout=_STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if group and hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
