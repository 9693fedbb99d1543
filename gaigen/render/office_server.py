"""One headless LibreOffice with its own profile, kept running, and the way files reach it.

Each office is one ``soffice.bin`` started headless with its own throw-away profile and a hidden
keep-alive document open (an office with no document open quits after its next job). Files reach
it one of two ways:

- **the bridge** (``gaigen/render/uno_bridge.py``), where a Python with LibreOffice's ``uno`` is
  found (``libreoffice.office_python``): that Python runs beside the office for its whole life,
  connected over a named pipe (``--accept``), and converts each file on request. No process is
  started per file: a conversion costs what LibreOffice itself takes.
- **a short client call** otherwise: ``soffice.bin --convert-to pdf`` with the same profile, which
  LibreOffice's single-instance pipe hands to the running office; about 0.1–0.3 s more per file.

A conversion that fails because the office or its bridge went away (an office killed, or still
starting under load) is tried once more on a fresh office. A conversion past its time limit ends
the office, which is started again for the next file.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from gaigen.render.bridge import Bridge, OfficeGone, OfficeTimeout
from gaigen.render.libreoffice import PdfError, end_process, install_hint, last_line, named_pipe_paths, pipe_paths

START_TIMEOUT = 60.0
# LibreOffice asks for a restart (exit code 81) the first time it runs on a new profile.
_RESTART_EXIT_CODE = 81
_DOCX_FILTER = "MS Word 2007 XML"
# If the pipe is not where we expect it (another LibreOffice version), stop looking after this.
_PIPE_GRACE = 15.0


@dataclass(frozen=True)
class Setup:
    """What every office process of one converter shares."""

    binary: Path
    root: Path
    env: dict[str, str]
    start_timeout: float
    # setpriv --pdeathsig KILL: if gaigen itself is killed (a batch worker past its time), the
    # kernel ends the office too. Empty where util-linux's setpriv is missing.
    wrapper: tuple[str, ...]
    python: Path | None = None  # a Python with ``uno``: files go through the bridge


class Office:
    """One headless LibreOffice with its own profile, and the bridge or the short calls that hand it files."""

    def __init__(self, setup: Setup, index: int) -> None:
        self._setup = setup
        self._home = setup.root / f"office-{index}"
        self._profile_url = (self._home / "profile").as_uri()
        self._lock = threading.Lock()
        self._server: subprocess.Popen[bytes] | None = None
        self._client: subprocess.Popen[bytes] | None = None
        self._use_bridge = setup.python is not None
        digest = hashlib.md5(self._profile_url.encode(), usedforsecurity=False).hexdigest()[:16]
        self._accept = f"gaigen-{digest}"  # the named pipe the bridge connects to
        self._bridge: Bridge | None = None
        self._closed = False
        self.starts = 0

    @property
    def bridge_pid(self) -> int | None:
        return self._bridge.pid if self._bridge is not None else None

    @property
    def bridged(self) -> bool:
        """Return whether files go through the bridge (else through a client call each)."""
        return self._use_bridge

    @property
    def pid(self) -> int | None:
        return self._server.pid if self._server is not None and self._server.poll() is None else None

    def start(self) -> None:
        """Start the office and convert a small warm-up file, so that it is ready for real work."""
        with self._lock:
            if self._closed:
                raise PdfError("PDF 转换已结束，不能再转换文件。")
            if self._server is not None and self._server.poll() is None:
                return
            self._stop_locked()
            self._home.mkdir(parents=True, exist_ok=True)
            (self._home / "keep.docx").write_bytes(MINIMAL_DOCX)
            self._initialise_profile()
            for _ in range(3):
                self._spawn()
                if self._wait_ready():
                    break
            else:
                raise PdfError(f"LibreOffice 启动后反复退出。{self._log_tail()}请确认已正确安装：{install_hint()}。")
            if self._use_bridge:
                self._start_bridge()
        try:
            self._convert(MINIMAL_DOCX, self._setup.start_timeout)
        except OfficeTimeout:
            raise PdfError(
                f"LibreOffice 启动超过 {self._setup.start_timeout:g} 秒仍未就绪。请确认已正确安装：{install_hint()}。"
            ) from None
        except PdfError as error:
            raise PdfError(
                f"LibreOffice 启动后连测试文件也无法转换（{error}）。请确认已正确安装：{install_hint()}。"
            ) from error
        with self._lock:
            if self._server is None or self._server.poll() is not None:
                raise PdfError(f"LibreOffice 启动后意外退出。{self._log_tail()}请确认已正确安装：{install_hint()}。")

    def convert(self, docx: bytes, timeout: float) -> bytes:
        """Return the PDF of the .docx ``docx``; raise ``OfficeTimeout`` or ``PdfError`` with a reason.

        An office that has exited (a crash, or stopped after a time-out) is started again first.
        """
        for attempt in (1, 2):
            if self._server is None or self._server.poll() is not None:
                self.start()
            try:
                return self._convert(docx, timeout)
            except OfficeGone:
                # The office died or was still starting (seen under load): once more on a fresh one.
                self.stop(hard=True)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _convert(self, docx: bytes, timeout: float) -> bytes:
        work = self._home / "job"
        shutil.rmtree(work, ignore_errors=True)
        (work / "out").mkdir(parents=True)
        # An ASCII name: the office never sees the user's path, and leaves no lock file beside it.
        copy = work / "report.docx"
        copy.write_bytes(docx)
        log_mark = self._log_size()
        if self._use_bridge:
            output = self._ask_bridge(copy, work / "out" / "report.pdf", timeout)
        else:
            output = self._call_client(copy, work, timeout)
        pdf = work / "out" / "report.pdf"
        data = pdf.read_bytes() if pdf.is_file() else b""
        shutil.rmtree(work, ignore_errors=True)
        if not looks_complete(data):
            detail = self._log_since(log_mark) or output
            if self._server is None or self._server.poll() is not None:
                raise OfficeGone(last_line(detail) or "LibreOffice 意外退出")
            if not self._use_bridge and not last_line(detail):
                # A client call that says nothing and leaves no PDF: seen early in a run under load,
                # when the call did not reach the office. Worth one more try on a fresh office.
                raise OfficeGone("未生成 PDF")
            raise PdfError(last_line(detail) or "未生成 PDF")
        return data

    def _ask_bridge(self, source: Path, target: Path, timeout: float) -> str:
        """Hand one file to the bridge and wait for its answer; return the office's error text, if any."""
        with self._lock:
            if self._closed:
                raise PdfError("PDF 转换已结束，不能再转换文件。")
            if self._bridge is None:
                raise OfficeGone("LibreOffice 的连接已断开")
            bridge = self._bridge
            bridge.send(source, target)
        try:
            return bridge.answer(timeout)
        except OfficeTimeout:
            self.stop(hard=True)  # the office is stuck on this file: the next file starts a fresh one
            raise

    def _start_bridge(self) -> None:
        """Start the bridge beside the running office (lock held).

        If that Python cannot drive this office (no ``uno``, another LibreOffice), files go
        through client calls instead: slower, never failing for that reason.
        """
        assert self._setup.python is not None
        command = [*self._setup.wrapper, str(self._setup.python)]
        bridge = Bridge(command, self._accept, self._setup.start_timeout, self._setup.env, self._home)
        if bridge.start():
            self._bridge = bridge
        else:
            self._use_bridge = False

    def _call_client(self, copy: Path, work: Path, timeout: float) -> str:
        """Hand one file to the office with a short ``soffice --convert-to`` call; return what it printed."""
        command = [
            *self._setup.wrapper,
            str(self._setup.binary),
            f"-env:UserInstallation={self._profile_url}",
            "--headless",
            "--norestore",
            "--nologo",
            f"--infilter={_DOCX_FILTER}",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work / "out"),
            str(copy),
        ]
        with self._lock:
            if self._closed:
                raise PdfError("PDF 转换已结束，不能再转换文件。")
            self._client = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=self._setup.env,
                cwd=work,
            )
            client = self._client
        try:
            output, _ = client.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            client.kill()
            client.communicate()
            # The office itself is stuck on this file: end it; the next file starts a fresh one.
            self.stop(hard=True)
            raise OfficeTimeout from None
        finally:
            with self._lock:
                self._client = None
        return output.decode("utf-8", "replace")

    def stop(self, *, hard: bool = False) -> None:
        """End the office (and a call in progress), reap them, and remove its IPC pipe.

        ``hard`` kills at once: an office stuck in a conversion does not answer a request to stop.
        """
        with self._lock:
            self._stop_locked(hard=hard)

    def close(self) -> None:
        """Stop for good: later calls are refused. Removes the profile."""
        with self._lock:
            self._closed = True
            self._stop_locked()
        shutil.rmtree(self._home, ignore_errors=True)

    def _stop_locked(self, *, hard: bool = False) -> None:
        if self._bridge is not None:
            self._bridge.stop(hard=hard)
            self._bridge = None
        if self._client is not None:
            end_process(self._client, group=False, hard=hard)
        if self._server is not None:
            end_process(self._server, group=True, hard=hard)
            self._server = None
        for pipe in [*self._pipe_paths(), *named_pipe_paths(self._accept)]:
            # The office leaves its pipes behind when it is ended by a signal.
            if pipe.is_socket():
                pipe.unlink(missing_ok=True)

    def _initialise_profile(self) -> None:
        command = [
            str(self._setup.binary),
            f"-env:UserInstallation={self._profile_url}",
            "--headless",
            "--norestore",
            "--nologo",
            "--terminate_after_init",
        ]
        for _ in range(3):
            try:
                done = subprocess.run(
                    command,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    env=self._setup.env,
                    timeout=self._setup.start_timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise PdfError(
                    f"LibreOffice 启动超过 {self._setup.start_timeout:g} 秒仍未完成。请确认已正确安装：{install_hint()}。"
                ) from None
            except OSError as error:
                raise PdfError(
                    f"无法运行 LibreOffice（{self._setup.binary}：{error.strerror}）。请重新安装：{install_hint()}。"
                ) from error
            if done.returncode == 0:
                return
            if done.returncode != _RESTART_EXIT_CODE:
                detail = last_line(done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace"))
                raise PdfError(
                    f"LibreOffice 无法启动（退出码 {done.returncode}{'：' + detail if detail else ''}）。"
                    f"请确认已正确安装：{install_hint()}。"
                )
        raise PdfError(f"LibreOffice 反复要求重新启动，无法使用。请确认已正确安装：{install_hint()}。")

    def _spawn(self) -> None:
        log = open(self._home / "office.log", "ab")  # noqa: SIM115 - the child keeps the descriptor
        try:
            self._server = subprocess.Popen(
                [
                    *self._setup.wrapper,
                    str(self._setup.binary),
                    f"-env:UserInstallation={self._profile_url}",
                    "--headless",
                    "--invisible",
                    "--norestore",
                    "--nologo",
                    "--nolockcheck",
                    *([f"--accept=pipe,name={self._accept};urp;"] if self._use_bridge else []),
                    # Read-only, so the keep-alive document gets no lock file either.
                    "--view",
                    str(self._home / "keep.docx"),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self._setup.env,
                cwd=self._home,
                # Its own session: a Ctrl-C in the terminal reaches gaigen, which then ends the office.
                start_new_session=True,
            )
        except OSError as error:
            raise PdfError(
                f"无法运行 LibreOffice（{self._setup.binary}：{error.strerror}）。请重新安装：{install_hint()}。"
            ) from error
        finally:
            log.close()
        self.starts += 1

    def _wait_ready(self) -> bool:
        """Return True once the office's pipe is open; False if it exited asking for a restart."""
        assert self._server is not None
        started = time.monotonic()
        while True:
            code = self._server.poll()
            if code is not None:
                self._server = None
                if code == _RESTART_EXIT_CODE:
                    return False
                raise PdfError(
                    f"LibreOffice 启动后立即退出（退出码 {code}）。{self._log_tail()}请确认已正确安装：{install_hint()}。"
                )
            if any(pipe.exists() for pipe in self._pipe_paths()):
                return True
            waited = time.monotonic() - started
            if waited > min(_PIPE_GRACE, self._setup.start_timeout):
                # Not where this version puts it: the warm-up conversion tells whether it is up.
                return True
            time.sleep(0.02)

    def _pipe_paths(self) -> list[Path]:
        return pipe_paths(self._profile_url)

    def _log_size(self) -> int:
        try:
            return (self._home / "office.log").stat().st_size
        except OSError:
            return 0

    def _log_since(self, mark: int) -> str:
        try:
            with open(self._home / "office.log", "rb") as log:
                log.seek(mark)
                text = log.read().decode("utf-8", "replace")
        except OSError:
            return ""
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("convert ")]
        return "\n".join(lines)

    def _log_tail(self) -> str:
        line = last_line(self._log_since(0))
        return f"LibreOffice 输出：{line}。" if line else ""


def looks_complete(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


def _minimal_docx() -> bytes:
    """Return a one-line .docx in an official font: the keep-alive document and the warm-up file."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body><w:p><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/></w:rPr>'
            "<w:t>政府信息公开 2024</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), text.encode("utf-8"))
    return buffer.getvalue()


MINIMAL_DOCX = _minimal_docx()
