"""PDF output: .docx files converted by LibreOffice offices started once per run (DECISIONS §9, §10).

``PdfConverter`` runs ``workers`` offices side by side (``gaigen.render.office_server``: each a headless
LibreOffice with its own profile, fed through the UNO bridge where a Python with ``uno`` is found,
else through short client calls) and hands each file to an idle one. LibreOffice's start-up
(1–2 s) is paid once per office; Debian's ``python3-uno`` is never imported here.

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
import io
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from types import TracebackType
from xml.etree import ElementTree

from gaigen.core.errors import InputError, OutputError
from gaigen.files.output import write_atomic
from gaigen.render.bridge import OfficeTimeout
from gaigen.render.libreoffice import (
    INSTALL_HINT,
    LibreOfficeMissingError,
    PdfError,
    install_hint,
    office_binary,
    office_python,
    pipe_paths,
    soffice_path,
)
from gaigen.render.office_server import START_TIMEOUT, Office, Setup

__all__ = [
    "DEFAULT_TIMEOUT",
    "FONT_HINT",
    "INSTALL_HINT",
    "OFFICIAL_CJK_FONTS",
    "START_TIMEOUT",
    "LibreOfficeMissingError",
    "PdfConversionError",
    "PdfConverter",
    "PdfError",
    "font_aliases",
    "fontconfig_environment",
    "install_hint",
    "soffice_path",
]

# The free faces the PDF is best set in (gaigen/templates/fonts.conf): FangSong and Kai.
FONT_HINT = "apt-get install --no-install-recommends texlive-lang-chinese fonts-lxgw-wenkai"
# The East Asian font names the .docx uses (DECISIONS §9); each must resolve to a CJK font.
OFFICIAL_CJK_FONTS = ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体")
DEFAULT_TIMEOUT = 120.0
_SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")
_ROOT_PREFIX = "gaigen-pdf-"
# In each converter's folder: the pid of its process, so that a later run can remove what a
# killed one left behind.
_OWNER_FILE = "owner.pid"


class PdfConversionError(PdfError):
    """Raised when one or more files could not be converted; ``failures`` names each with its reason.

    The PDFs of the other files are written and listed in ``converted``.
    """

    def __init__(self, failures: Sequence[tuple[Path, str]], converted: Sequence[Path] = ()) -> None:
        self.failures = list(failures)
        self.converted = list(converted)
        super().__init__("\n".join(message for _, message in self.failures))


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


class PdfConverter:
    """Convert .docx files to PDF with LibreOffice, started once and reused for every file.

    Use as a context manager::

        with PdfConverter(workers=1) as pdf:
            pdfs = pdf.convert(docx_paths, out_dir)

    ``workers`` offices run side by side (each a LibreOffice process with its own profile).
    ``timeout`` is the limit in seconds for one file; ``soffice`` overrides the look-up of LibreOffice.
    With ``bridge`` (the default) files reach each office through the UNO bridge when a Python
    with ``uno`` is found, else (or with ``bridge=False``) through one short client call each.
    """

    def __init__(
        self,
        workers: int = 1,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        start_timeout: float = START_TIMEOUT,
        soffice: Path | None = None,
        bridge: bool = True,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._soffice = soffice
        self.bridge = bridge
        self._root: Path | None = None
        self._offices: list[Office] = []
        self._idle: queue.Queue[Office] = queue.Queue()
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
    def bridged(self) -> bool:
        """Return whether every office is fed through the UNO bridge (no client process per file)."""
        return bool(self._offices) and all(office.bridged for office in self._offices)

    @property
    def bridge_pids(self) -> list[int]:
        """Return the process ids of the running bridges."""
        return [pid for office in self._offices if (pid := office.bridge_pid) is not None]

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
        binary = office_binary(self._soffice)
        _sweep_stale(Path(tempfile.gettempdir()))
        self._root = Path(tempfile.mkdtemp(prefix=_ROOT_PREFIX))
        try:
            (self._root / _OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
            env = self._environment(self._root)
            _check_fonts(env)
            setpriv = shutil.which("setpriv")
            setup = Setup(
                binary=binary,
                root=self._root,
                env=env,
                start_timeout=self.start_timeout,
                wrapper=(setpriv, "--pdeathsig", "KILL", "--") if setpriv else (),
                python=office_python(binary) if self.bridge else None,
            )
            self._offices = [Office(setup, index) for index in range(self.workers)]
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
        except OfficeTimeout:
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
            for pipe in pipe_paths((home / "profile").as_uri()):
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


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
