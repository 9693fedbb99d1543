"""gaigen's side of the UNO bridge: a Python with LibreOffice's ``uno`` running beside one office.

The bridge process (``gaigen/render/uno_bridge.py``, run by ``libreoffice.office_python``) stays
connected to its office for the office's whole life and converts one file per request, so no
process is started per file (DECISIONS §10: ``uno`` is never imported by gaigen itself). Replies
are read by a thread, because a pipe cannot be waited on with a time limit on Windows.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import threading
from pathlib import Path

from gaigen.render.libreoffice import PdfError, end_process

_SCRIPT = Path(__file__).with_name("uno_bridge.py")
_STOP_GRACE = 5.0


class OfficeTimeout(Exception):
    """The conversion did not finish in time; the office has been stopped."""


class OfficeGone(PdfError):
    """The office or its bridge went away during a conversion: worth one more try on a fresh one."""


class Bridge:
    """One bridge process, started once its office listens on the named pipe ``accept``."""

    def __init__(self, command: list[str], accept: str, wait: float, env: dict[str, str], home: Path) -> None:
        """``command`` runs the bridge's Python (with any wrapper); ``wait`` bounds its connecting."""
        self._command = [*command, str(_SCRIPT), accept, f"{wait:g}"]
        self._wait = wait
        self._env = env
        self._home = home
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[bytes] = queue.Queue()
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def start(self) -> bool:
        """Start the bridge and wait until it is connected; return False (and leave nothing) if it cannot."""
        log = open(self._home / "bridge.log", "ab")  # noqa: SIM115 - the child keeps the descriptor
        try:
            self._process = subprocess.Popen(
                self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=self._env, cwd=self._home
            )
        except OSError:
            return False
        finally:
            log.close()
        replies = self._replies = queue.Queue()
        stream = self._process.stdout
        assert stream is not None

        def read() -> None:
            for line in iter(stream.readline, b""):
                replies.put(line)
            replies.put(b"")

        self._reader = threading.Thread(target=read, daemon=True, name="gaigen-office-bridge")
        self._reader.start()
        try:
            first = replies.get(timeout=self._wait + 5)
        except queue.Empty:
            first = b""
        if first and json.loads(first).get("ready"):
            return True
        self.stop(hard=True)
        return False

    def send(self, source: Path, target: Path) -> None:
        """Ask for ``source`` (.docx) to be converted to ``target`` (.pdf); raise ``OfficeGone`` if the bridge is gone."""
        process = self._process
        if process is None or process.stdin is None or process.poll() is not None:
            raise OfficeGone("LibreOffice 的连接已断开")
        try:
            process.stdin.write((json.dumps({"in": str(source), "out": str(target)}) + "\n").encode("utf-8"))
            process.stdin.flush()
        except OSError as error:
            raise OfficeGone(f"LibreOffice 的连接已断开（{error.strerror}）") from None

    def answer(self, timeout: float) -> str:
        """Return the office's error for the file sent ("" when converted).

        Raise ``OfficeTimeout`` past ``timeout`` (the caller ends the office), ``OfficeGone``
        when the bridge or the office went away.
        """
        try:
            line = self._replies.get(timeout=timeout)
        except queue.Empty:
            raise OfficeTimeout from None
        if not line:
            raise OfficeGone("LibreOffice 的连接已断开")
        reply = json.loads(line)
        if reply.get("ok"):
            return ""
        problem = str(reply.get("error", ""))
        if "DisposedException" in problem or ("RuntimeException" in problem and "Binary URP bridge" in problem):
            raise OfficeGone(problem)
        return problem

    def stop(self, *, hard: bool = False) -> None:
        """End the bridge (end of input ends it; ``hard`` kills), reap it, close its pipes."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        end_process(process, group=False, hard=hard)
        if self._reader is not None:
            self._reader.join(_STOP_GRACE)  # it sees the end of the pipe once the bridge is gone
            self._reader = None
        if process.stdout is not None:
            process.stdout.close()
