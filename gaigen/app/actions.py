"""What the app's buttons do, each through one library function: check, create, import, batch, aggregate."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from gaigen.api import reports as api
from gaigen.app.form import data_of, typed
from gaigen.app.store import Opened, new_file
from gaigen.app.workspace import OUTPUT_FOLDER, Refused, Workspace
from gaigen.core.document import Document
from gaigen.core.errors import GaigenError, UsageError
from gaigen.core.model import MAX_YEAR
from gaigen.core.names import safe_name
from gaigen.core.report import Report
from gaigen.files.inputs import DATA_SUFFIXES
from gaigen.files.output import write_atomic
from gaigen.spec import datafile
from gaigen.spec.datafile import Leaf
from gaigen.spec.layout import FIRST_YEAR

NO_PDF = (
    "本机没有安装 LibreOffice，无法生成 PDF。可先下载 Word 文件，用 Word 或 WPS“另存为 PDF”；"
    "或安装 LibreOffice（https://www.libreoffice.org/，Debian/Ubuntu：apt-get install libreoffice-writer）后重新启动 gaigen app。"
)
REPORT_SUFFIXES = (".docx", ".txt", ".html", ".htm")


def validate(opened: Opened, values: dict[str, str], last_year: Report | None = None) -> api.Validation:
    """Return the validation of the form's values: the same reader and rules as ``gaigen validate``
    (with ``last_year``, as ``gaigen validate --previous``)."""
    data = data_of(opened.form, values, opened.hints)
    return api.validate_document(Document(path=opened.path, name=opened.path.name, data=data), last_year)


def last_year_for(workspace: Workspace, opened: Opened, values: dict[str, str]) -> tuple[str, Report] | None:
    """Return last year's data file of the same agency in the folder, by the name ``init`` and the app give it.

    ``{年度-1}年{机关名称}.yaml`` (or .yml, .json, .xlsx) beside the report: the cross-year checks
    (上年结转, 现行有效件数) then run as with ``--previous``. Nothing is looked for outside the folder,
    nor when the app was opened on one file.
    """
    if not workspace.is_folder:
        return None
    year = typed(values.get(opened.form.by_path[(datafile.YEAR,)].key, ""), Leaf.YEAR)
    agency = " ".join(values.get(opened.form.by_path[(datafile.AGENCY,)].key, "").split())
    if not isinstance(year, int) or not agency:
        return None
    for suffix in DATA_SUFFIXES:
        path = workspace.root / f"{year - 1}年{safe_name(agency)}{suffix}"
        if not path.is_file() or path.resolve() == opened.path:
            continue
        try:
            stat = path.stat()
            report = _read_last_year(path.resolve(), stat.st_mtime_ns, stat.st_size)
        except (GaigenError, OSError):
            return None
        return (workspace.name_of(path), report) if report.year == year - 1 else None
    return None


@functools.lru_cache(maxsize=16)
def _read_last_year(path: Path, mtime: int, size: int) -> Report:  # read again only when the file changed
    return api.read_previous(path)


def pdf_available() -> bool:
    from gaigen.render.pdf import soffice_path

    return soffice_path() is not None


@dataclass(frozen=True)
class FileState:
    name: str
    state: str  # 可以生成 / 有提示 / 有错误 / 无法读取
    errors: int = 0
    warnings: int = 0
    first: str = ""


def folder_states(workspace: Workspace) -> list[FileState]:
    """Return each data file of the folder with its state, as ``gaigen validate`` finds it."""
    from gaigen.core.problems import message

    states = []
    for name in workspace.files():
        try:
            result = api.validate_file(workspace.resolve(name))
        except GaigenError as error:
            states.append(FileState(name, "无法读取", first=str(error)))
            continue
        first = message(replace(result.errors[0], file=name)) if result.errors else ""  # the name the page shows
        state = "有错误" if result.errors else "有提示" if result.warnings else "可以生成"
        states.append(FileState(name, state, len(result.errors), len(result.warnings), first))
    return states


def keep_upload(folder: Path, name: str, blob: bytes) -> str:
    """Keep an uploaded file (last year's report or data file) in the run's own temp folder; return its id."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix not in REPORT_SUFFIXES + DATA_SUFFIXES:
        raise UsageError("只能选择 .docx、.txt、.html 格式的已发布报告，或 .yaml、.json、.xlsx 数据文件。")
    if not blob:
        raise UsageError("选择的文件是空的。")
    ident = secrets.token_hex(8) + suffix
    write_atomic(folder / ident, blob)
    return ident


def _previous(workspace: Workspace, uploads: Path, body: dict[str, Any]) -> Path | None:
    """Return last year's data file named in ``body``: a file of the folder, or an upload (imported if a report)."""
    chosen = body.get("previous")
    if isinstance(chosen, str) and chosen:
        return workspace.resolve(chosen)
    upload = body.get("upload")
    if not isinstance(upload, str) or not upload:
        return None
    path = uploads / PurePosixPath(upload).name
    if not path.is_file() or path.parent != uploads:
        raise Refused("上传的文件已不在，请重新选择。")
    if path.suffix.lower() in REPORT_SUFFIXES:
        from gaigen.importing import data_file_text, import_report

        imported = import_report(path, str(body.get("upload_name") or path.name))
        data_path = path.with_suffix(".yaml")
        write_atomic(data_path, data_file_text(imported).encode("utf-8"))
        return data_path
    return path


def new_report(workspace: Workspace, uploads: Path, body: dict[str, Any]) -> str:
    """Create a new data file in the folder as ``gaigen init`` (``--previous``, ``--xlsx``) does; return its name."""
    if not workspace.is_folder:
        raise Refused("只打开了一个文件，不能在此新建报告。")
    try:
        year = int(str(body.get("year", "")).strip())
    except ValueError:
        raise UsageError("请填写报告年度，如 2024。") from None
    agency = " ".join(str(body.get("agency") or "").split()) or None
    level = str(body.get("level") or "") or None
    if not FIRST_YEAR <= year <= MAX_YEAR:
        raise UsageError(f"报告年度为 {year}，gaigen 只支持 {FIRST_YEAR} 至 {MAX_YEAR} 年度的报告。")
    previous = _previous(workspace, uploads, body)
    last = api.read_previous(previous) if previous is not None else None
    if last is not None and last.year != year - 1:  # said here in the page's words, not init's options
        raise UsageError(f"所选的上年报告是 {last.year} 年度的，而新报告是 {year} 年度，请选择 {year - 1} 年度的报告。")
    name = agency or (last.agency if last is not None else None)
    if not name:
        why = "上年的报告中读不出机关名称，" if previous is not None else ""
        raise UsageError(f"{why}请填写机关名称，如：某某县交通运输局。")
    text = api.init_data_file(year, name, level, previous)
    suffix = ".xlsx" if body.get("format") == "xlsx" else ".yaml"
    target = workspace.root / f"{year}年{safe_name(name)}{suffix}"
    new_file(target, text)
    return workspace.name_of(target)


def render_all(workspace: Workspace) -> dict[str, Any]:
    """Render every file of the folder into its 报告 subfolder through ``gaigen batch``."""
    from gaigen.batch import run_batch, status_counts

    if not workspace.is_folder:
        raise Refused("只打开了一个文件。")
    result = run_batch([workspace.root], workspace.root / OUTPUT_FOLDER, ("docx", "txt"), jobs=1)
    return {
        "summary": status_counts(result),
        "folder": OUTPUT_FOLDER,
        "attention": [f"{f.status.value}：{f.message or f.name}" for f in result.files if not f.status.rendered],
    }


def aggregate(workspace: Workspace, body: dict[str, Any]) -> str:
    """Write the county government's data file, the departments' tables summed (``gaigen aggregate``)."""
    from gaigen.api import aggregate as county

    if not workspace.is_folder:
        raise Refused("只打开了一个文件。")
    agency = " ".join(str(body.get("agency") or "").split())
    if not agency:
        raise UsageError("请填写汇总报告的机关名称，如：某某县人民政府。")
    level = str(body.get("level") or "政府")
    result = county.aggregate_files([workspace.root], agency, level, exclude=[workspace.root / OUTPUT_FOLDER])
    target = workspace.root / f"{result.year}年{safe_name(agency)}.yaml"
    new_file(target, result.text)
    return workspace.name_of(target)
