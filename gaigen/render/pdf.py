"""PDF output: .docx files converted by a LibreOffice that is started once per run (DECISIONS §9, §10).

How it works. Each worker is one ``soffice.bin`` running headless with its own throw-away profile
and a hidden keep-alive document open (an office with no document open quits after its next job).
A conversion is a short ``soffice.bin --convert-to pdf`` call given the same profile: LibreOffice's
single-instance pipe hands the job to the running office, which converts the file and answers when
the PDF is written; the short call then exits. So LibreOffice's start-up (1–2 s) is paid once per
worker, and each file costs its conversion plus about 0.1 s. Debian's ``python3-uno`` is never
imported: it is built for Debian's own interpreter.

Fonts. The .docx names the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体,
Times New Roman), none of which Debian has. LibreOffice runs with ``FONTCONFIG_FILE`` pointing to a
generated file that includes the system configuration and then the aliases shipped in
``gaigen/templates/fonts.conf``, which map each name to a free font (Noto CJK, AR PL UKai).

Safety. Inputs are copied into the converter's own folder before LibreOffice sees them (it leaves
lock files beside what it opens). Every PDF is checked, then written with a temp file and
``os.replace`` into the target folder: never a partial PDF. A conversion past its time limit ends
that office, which is started again for the next file. ``close()`` (or leaving the ``with`` block,
also on an exception) ends and reaps every process and removes the profiles.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType
from xml.etree import ElementTree

from gaigen.core.errors import GaigenError, InputError, OutputError
from gaigen.files.output import write_atomic

INSTALL_HINT = "apt-get install libreoffice-writer-nogui fonts-noto-cjk"
# The free faces the PDF is best set in (gaigen/templates/fonts.conf): FangSong and Kai.
FONT_HINT = "apt-get install --no-install-recommends texlive-lang-chinese fonts-lxgw-wenkai"
# The East Asian font names the .docx uses (DECISIONS §9); each must resolve to a CJK font.
OFFICIAL_CJK_FONTS = ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体")
DEFAULT_TIMEOUT = 120.0
START_TIMEOUT = 60.0

# LibreOffice asks for a restart (exit code 81) the first time it runs on a new profile.
_RESTART_EXIT_CODE = 81
_DOCX_FILTER = "MS Word 2007 XML"
_SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")
# The office's IPC pipe lives in the first writable of these (sal/osl/unx/pipe.cxx).
_PIPE_FOLDERS = (Path("/tmp"), Path("/var/tmp"))
# If the pipe is not where we expect it (another LibreOffice version), stop looking after this.
_PIPE_GRACE = 15.0
_STOP_GRACE = 5.0
_ROOT_PREFIX = "gaigen-pdf-"
# In each converter's folder: the pid of its process, so that a later run can remove what a
# killed one left behind.
_OWNER_FILE = "owner.pid"


class PdfError(GaigenError):
    """Raised when LibreOffice cannot start, or when the fonts a PDF needs are missing."""

    exit_code = 2


class LibreOfficeMissingError(PdfError):
    """Raised when no ``soffice`` is found on PATH, so no PDF can be made."""


class PdfConversionError(PdfError):
    """Raised when one or more files could not be converted; ``failures`` names each with its reason.

    The PDFs of the other files are written and listed in ``converted``.
    """

    def __init__(self, failures: Sequence[tuple[Path, str]], converted: Sequence[Path] = ()) -> None:
        self.failures = list(failures)
        self.converted = list(converted)
        super().__init__("\n".join(message for _, message in self.failures))


def soffice_path() -> Path | None:
    """Return the ``soffice`` (or ``libreoffice``) program found on PATH, or ``None``."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def font_aliases() -> dict[str, tuple[str, ...]]:
    """Return the shipped aliases: each font name the .docx uses, with the free fonts it maps to."""
    root = ElementTree.fromstring(_fonts_conf_text())
    aliases: dict[str, tuple[str, ...]] = {}
    for alias in root.iter("alias"):
        name = alias.findtext("family")
        prefer = alias.find("prefer")
        if name and prefer is not None:
            aliases[name] = tuple(family.text or "" for family in prefer.iter("family"))
    return aliases


def _fonts_conf_text() -> str:
    return resources.files("gaigen").joinpath("templates/fonts.conf").read_text(encoding="utf-8")


@dataclass(frozen=True)
class _Setup:
    """What every office process of one converter shares."""

    binary: Path
    root: Path
    env: dict[str, str]
    start_timeout: float
    # setpriv --pdeathsig KILL: if gaigen itself is killed (a batch worker past its time), the
    # kernel ends the office too. Empty where util-linux's setpriv is missing.
    wrapper: tuple[str, ...]


class _Timeout(Exception):
    """The conversion did not finish in time; the office has been stopped."""


class _Office:
    """One headless LibreOffice with its own profile, and the short calls that hand it files."""

    def __init__(self, setup: _Setup, index: int) -> None:
        self._setup = setup
        self._home = setup.root / f"office-{index}"
        self._profile_url = (self._home / "profile").as_uri()
        self._lock = threading.Lock()
        self._server: subprocess.Popen[bytes] | None = None
        self._client: subprocess.Popen[bytes] | None = None
        self._closed = False
        self.starts = 0

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
            (self._home / "keep.docx").write_bytes(_MINIMAL_DOCX)
            self._initialise_profile()
            for _ in range(3):
                self._spawn()
                if self._wait_ready():
                    break
            else:
                raise PdfError(f"LibreOffice 启动后反复退出。{self._log_tail()}请确认已正确安装：{INSTALL_HINT}。")
        try:
            self._convert(_MINIMAL_DOCX, self._setup.start_timeout)
        except _Timeout:
            raise PdfError(
                f"LibreOffice 启动超过 {self._setup.start_timeout:g} 秒仍未就绪。请确认已正确安装：{INSTALL_HINT}。"
            ) from None
        except PdfError as error:
            raise PdfError(
                f"LibreOffice 启动后连测试文件也无法转换（{error}）。请确认已正确安装：{INSTALL_HINT}。"
            ) from error
        with self._lock:
            if self._server is None or self._server.poll() is not None:
                raise PdfError(f"LibreOffice 启动后意外退出。{self._log_tail()}请确认已正确安装：{INSTALL_HINT}。")

    def convert(self, docx: bytes, timeout: float) -> bytes:
        """Return the PDF of the .docx ``docx``; raise ``_Timeout`` or ``PdfError`` with a reason.

        An office that has exited (a crash, or stopped after a time-out) is started again first.
        """
        if self._server is None or self._server.poll() is not None:
            self.start()
        return self._convert(docx, timeout)

    def _convert(self, docx: bytes, timeout: float) -> bytes:
        work = self._home / "job"
        shutil.rmtree(work, ignore_errors=True)
        (work / "out").mkdir(parents=True)
        # An ASCII name: the office never sees the user's path, and leaves no lock file beside it.
        copy = work / "report.docx"
        copy.write_bytes(docx)
        log_mark = self._log_size()
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
            raise _Timeout from None
        finally:
            with self._lock:
                self._client = None
        pdf = work / "out" / "report.pdf"
        data = pdf.read_bytes() if pdf.is_file() else b""
        shutil.rmtree(work, ignore_errors=True)
        if not _looks_complete(data):
            detail = self._log_since(log_mark) or output.decode("utf-8", "replace")
            raise PdfError(_last_line(detail) or "未生成 PDF")
        return data

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
        if self._client is not None:
            _end(self._client, group=False, hard=hard)
        if self._server is not None:
            _end(self._server, group=True, hard=hard)
            self._server = None
        for pipe in self._pipe_paths():
            # The office leaves its pipe behind when it is ended by a signal.
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
                    f"LibreOffice 启动超过 {self._setup.start_timeout:g} 秒仍未完成。请确认已正确安装：{INSTALL_HINT}。"
                ) from None
            except OSError as error:
                raise PdfError(
                    f"无法运行 LibreOffice（{self._setup.binary}：{error.strerror}）。请重新安装：{INSTALL_HINT}。"
                ) from error
            if done.returncode == 0:
                return
            if done.returncode != _RESTART_EXIT_CODE:
                detail = _last_line(done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace"))
                raise PdfError(
                    f"LibreOffice 无法启动（退出码 {done.returncode}{'：' + detail if detail else ''}）。"
                    f"请确认已正确安装：{INSTALL_HINT}。"
                )
        raise PdfError(f"LibreOffice 反复要求重新启动，无法使用。请确认已正确安装：{INSTALL_HINT}。")

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
                f"无法运行 LibreOffice（{self._setup.binary}：{error.strerror}）。请重新安装：{INSTALL_HINT}。"
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
                    f"LibreOffice 启动后立即退出（退出码 {code}）。{self._log_tail()}请确认已正确安装：{INSTALL_HINT}。"
                )
            if any(pipe.exists() for pipe in self._pipe_paths()):
                return True
            waited = time.monotonic() - started
            if waited > min(_PIPE_GRACE, self._setup.start_timeout):
                # Not where this version puts it: the warm-up conversion tells whether it is up.
                return True
            time.sleep(0.02)

    def _pipe_paths(self) -> list[Path]:
        return _pipe_paths(self._profile_url)

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
        line = _last_line(self._log_since(0))
        return f"LibreOffice 输出：{line}。" if line else ""


class PdfConverter:
    """Convert .docx files to PDF with LibreOffice, started once and reused for every file.

    Use as a context manager::

        with PdfConverter(workers=1) as pdf:
            pdfs = pdf.convert(docx_paths, out_dir)

    ``workers`` offices run side by side (each a LibreOffice process with its own profile).
    ``timeout`` is the limit in seconds for one file; ``soffice`` overrides the PATH look-up.
    """

    def __init__(
        self,
        workers: int = 1,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        start_timeout: float = START_TIMEOUT,
        soffice: Path | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._soffice = soffice
        self._root: Path | None = None
        self._offices: list[_Office] = []
        self._idle: queue.Queue[_Office] = queue.Queue()
        self._pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> PdfConverter:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def starts(self) -> int:
        """Return how many LibreOffice processes this converter has started (restarts included)."""
        return sum(office.starts for office in self._offices)

    @property
    def pids(self) -> list[int]:
        """Return the process ids of the running offices."""
        return [pid for office in self._offices if (pid := office.pid) is not None]

    @property
    def fontconfig_file(self) -> Path:
        """Return the fontconfig file the offices run with (the system one plus gaigen's aliases)."""
        if self._root is None:
            raise PdfError("PDF 转换尚未开始。")
        return self._root / "fonts.conf"

    def start(self) -> None:
        """Find LibreOffice, check the fonts and start the offices.

        Raises ``LibreOfficeMissingError`` or ``PdfError``; nothing is left running then.
        """
        if self._root is not None:
            return
        binary = _office_binary(self._soffice)
        _sweep_stale(Path(tempfile.gettempdir()))
        self._root = Path(tempfile.mkdtemp(prefix=_ROOT_PREFIX))
        try:
            (self._root / _OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
            env = self._environment(self._root)
            _check_fonts(env)
            setpriv = shutil.which("setpriv")
            setup = _Setup(
                binary=binary,
                root=self._root,
                env=env,
                start_timeout=self.start_timeout,
                wrapper=(setpriv, "--pdeathsig", "KILL", "--") if setpriv else (),
            )
            self._offices = [_Office(setup, index) for index in range(self.workers)]
            # The pool's threads live until close(): each office is started from one of them, and
            # the kernel's parent-death signal (setpriv --pdeathsig) follows the starting thread.
            self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="gaigen-pdf")
            for future in [self._pool.submit(office.start) for office in self._offices]:
                future.result()
            for office in self._offices:
                self._idle.put(office)
        except BaseException:
            self.close()
            raise

    def convert(self, docx_paths: Iterable[Path], out_dir: Path, *, timeout: float | None = None) -> list[Path]:
        """Convert each .docx to ``out_dir/<name>.pdf`` and return the PDF paths, in input order.

        Raises ``InputError`` (a file missing), ``OutputError`` (``out_dir`` missing) or
        ``PdfConversionError`` before any file is converted when an input is not a .docx. When a
        file fails in LibreOffice or passes ``timeout``, the others are still converted and
        ``PdfConversionError`` names the failed ones at the end. No partial PDF is ever left.
        """
        if self._pool is None:
            raise PdfError("PDF 转换尚未开始：请在 with PdfConverter() as pdf: 之内调用 convert。")
        sources = [Path(path) for path in docx_paths]
        targets = _plan(sources, Path(out_dir))
        limit = self.timeout if timeout is None else timeout
        futures: list[Future[Path]] = [
            self._pool.submit(self._convert_one, source, target, limit)
            for source, target in zip(sources, targets, strict=True)
        ]
        converted: list[Path] = []
        failures: list[tuple[Path, str]] = []
        for source, future in zip(sources, futures, strict=True):
            try:
                converted.append(future.result())
            except PdfError as error:
                failures.append((source, str(error)))
        if failures:
            raise PdfConversionError(failures, converted)
        return converted

    def convert_bytes(self, docx: bytes, name: str = "report", *, timeout: float | None = None) -> bytes:
        """Return the PDF of a .docx held in memory; ``name`` (the report's file stem) names it in messages.

        Raises ``PdfConversionError`` when it is not a .docx, or LibreOffice fails or passes ``timeout``.
        """
        if self._pool is None:
            raise PdfError("PDF 转换尚未开始：请在 with PdfConverter() as pdf: 之内调用 convert_bytes。")
        label = Path(f"{name}.docx")
        if not _is_docx(docx):
            raise PdfConversionError([(label, _not_docx_message(label))])
        limit = self.timeout if timeout is None else timeout
        try:
            return self._pool.submit(self._convert_data, docx, label, limit).result()
        except PdfError as error:
            raise PdfConversionError([(label, str(error))]) from None

    def close(self) -> None:
        """End every office and reap it, remove the profiles and the converter's temp folder."""
        for office in self._offices:
            office.close()
        self._idle = queue.Queue()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def _convert_one(self, source: Path, target: Path, timeout: float) -> Path:
        try:
            docx = source.read_bytes()
        except OSError as error:
            raise InputError(f"{source}：无法读取（{error.strerror}）。") from error
        write_atomic(target, self._convert_data(docx, source, timeout))
        return target

    def _convert_data(self, docx: bytes, source: Path, timeout: float) -> bytes:
        office = self._idle.get()
        try:
            return office.convert(docx, timeout)
        except _Timeout:
            raise PdfError(
                f"{source}：LibreOffice 转换 PDF 超过 {timeout:g} 秒仍未完成，已中止，未生成 PDF。"
                "请确认该文件能用 Word 或 WPS 正常打开，或用 --timeout 加大时限。"
            ) from None
        except PdfError as error:
            raise PdfError(
                f"{source}：LibreOffice 未能将此文件转换为 PDF（{error}）。"
                "请用 Word 或 WPS 打开检查该文件，或重新生成。"
            ) from error
        finally:
            self._idle.put(office)

    def _environment(self, root: Path) -> dict[str, str]:
        return fontconfig_environment(root)


def fontconfig_environment(root: Path) -> dict[str, str]:
    """Write into ``root`` a fontconfig file (the system one plus gaigen's aliases) and return the
    environment that makes LibreOffice (or ``fc-match``) use it."""
    aliases = root / "gaigen-fonts.conf"
    aliases.write_text(_fonts_conf_text(), encoding="utf-8")
    system = os.environ.get("FONTCONFIG_FILE", "")
    base = Path(system) if system and Path(system).is_absolute() else _SYSTEM_FONTCONFIG
    (root / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f'  <include ignore_missing="yes">{_xml_text(str(base))}</include>\n'
        f"  <include>{_xml_text(str(aliases))}</include>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(root / "fonts.conf")
    # As Debian's soffice wrapper script does.
    env["SAL_ENABLE_FILE_LOCKING"] = "1"
    return env


def _pipe_paths(profile_url: str) -> list[Path]:
    """Return where an office running on this profile puts its single-instance pipe."""
    # desktop/source/app/officeipcthread.cxx: MD5 of the profile URL as UTF-16, each byte in hex
    # without zero padding.
    if not hasattr(os, "getuid"):
        return []  # Windows: the office's pipe is a named pipe, not a file to wait for or remove
    digest = hashlib.md5(profile_url.encode("utf-16-le"), usedforsecurity=False).digest()
    name = f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{''.join(format(b, 'x') for b in digest)}"
    return [folder / name for folder in _PIPE_FOLDERS]


def _sweep_stale(folder: Path) -> None:
    """Remove the folders and pipes left by converters whose process was killed (no clean-up ran)."""
    for root in folder.glob(f"{_ROOT_PREFIX}*"):
        try:
            owner = int((root / _OWNER_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        for home in root.glob("office-*"):
            for pipe in _pipe_paths((home / "profile").as_uri()):
                with contextlib.suppress(OSError):
                    if pipe.is_socket():
                        pipe.unlink()
        shutil.rmtree(root, ignore_errors=True)


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) would end the process there: never sweep, the folders are temporary
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _office_binary(override: Path | None) -> Path:
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


def _check_fonts(env: dict[str, str]) -> None:
    """Raise PdfError when the official CJK font names do not resolve to an installed CJK font."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return
    aliases = font_aliases()
    for name in OFFICIAL_CJK_FONTS:
        targets = aliases.get(name, ())
        try:
            done = subprocess.run(
                [fc_match, "--format=%{family}", name],
                capture_output=True,
                env=env,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return
        families = done.stdout.decode("utf-8", "replace").split(",")
        if done.returncode == 0 and not any(family.strip() in targets for family in families):
            raise PdfError(
                f"未找到中文字体：{name} 只能用 {families[0].strip() or '（无）'} 代替，PDF 中的汉字无法正常显示。"
                "请先安装：apt-get install fonts-noto-cjk fonts-arphic-ukai。"
            )


def _plan(sources: Sequence[Path], out_dir: Path) -> list[Path]:
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}：输出文件夹不存在。请先创建该文件夹，或用 -o 指定其他位置。")
    targets: dict[Path, Path] = {}
    for source in sources:
        if not source.is_file():
            raise InputError(f"{source}：文件不存在。请检查文件名。")
        try:
            docx = source.read_bytes()
        except OSError as error:
            raise InputError(f"{source}：无法读取（{error.strerror}）。") from error
        if not _is_docx(docx):
            raise PdfConversionError([(source, _not_docx_message(source))])
        target = out_dir / f"{source.stem}.pdf"
        if target in targets:
            raise InputError(f"{source}：与 {targets[target]} 会生成同一个 PDF（{target.name}）。请改名后再转换。")
        targets[target] = source
    return list(targets)


def _not_docx_message(source: Path) -> str:
    return f"{source}：不是有效的 Word 文档（.docx），无法转换为 PDF。请确认文件完整，或重新生成。"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            types = archive.read("[Content_Types].xml")
            return archive.testzip() is None and b"wordprocessingml.document.main+xml" in types
    except (OSError, KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        return False


def _looks_complete(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


def _end(process: subprocess.Popen[bytes], *, group: bool, hard: bool = False) -> None:
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
    if group and hasattr(os, "killpg"):  # no process groups on Windows
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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


_MINIMAL_DOCX = _minimal_docx()
