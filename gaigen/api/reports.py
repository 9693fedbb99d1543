"""The library functions behind the commands. They never print and never exit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gaigen.core import model
from gaigen.core.document import Document
from gaigen.core.errors import ContentError, InputError, UsageError
from gaigen.core.model import MAX_YEAR
from gaigen.core.names import report_stem
from gaigen.core.problems import HasProblems, Problem, sorted_problems
from gaigen.core.report import Report
from gaigen.core.settings import DEFAULT_SETTINGS, Settings
from gaigen.files.load import read_document
from gaigen.files.output import check_targets, make_folder, remember_files, write_atomic
from gaigen.files.reading import locate, read_report
from gaigen.files.scaffold import starter_file
from gaigen.files.wording import for_workbook
from gaigen.render.context import build_context
from gaigen.render.text import render_text
from gaigen.rules import check_report
from gaigen.spec import datafile
from gaigen.spec.layout import FIRST_YEAR, LEVELS, Edition

if TYPE_CHECKING:
    from gaigen.render.pdf import PdfConverter


@dataclass
class Validation(HasProblems):
    """The outcome of checking one data file."""

    path: Path
    report: Report
    problems: list[Problem] = field(default_factory=list)
    previous: Report | None = None  # last year's report, when one was given


def load_report(path: Path) -> tuple[Report, list[Problem]]:
    """Return the report in the data file at ``path`` and the problems met reading it."""
    document = read_document(path, _display_name(path))
    result = read_report(document)
    return result.report, result.problems


def validate_file(path: Path, previous: Path | None = None, settings: Settings = DEFAULT_SETTINGS) -> Validation:
    """Return the report at ``path`` with every problem, sorted by position in the file.

    ``settings`` holds the county's deadline and thresholds (``load_settings``).
    Raise ``InputError`` when a file cannot be read as a data file at all.
    """
    report, problems = load_report(path)
    last_year = _load_previous(previous, report) if previous is not None else None
    return _checked(path, report, problems, last_year, settings)


def validate_document(
    document: Document, last_year: Report | None = None, settings: Settings = DEFAULT_SETTINGS
) -> Validation:
    """Return the report held in an in-memory ``document`` with every problem, as ``validate_file`` does.

    ``gaigen app`` checks the form this way on every edit, through the same reader and rules.
    """
    result = read_report(document)
    return _checked(document.path, result.report, result.problems, last_year, settings)


def _checked(
    path: Path, report: Report, problems: list[Problem], last_year: Report | None, settings: Settings
) -> Validation:
    assert report.document is not None
    found = [locate(p, report.document) for p in check_report(report, last_year, settings)]
    placed = [for_workbook(p) for p in problems + found]
    return Validation(path, report, sorted_problems(placed), last_year)


def load_settings(config: Path | None = None, deadline: str | None = None) -> Settings:
    """Return the county's settings from ``--config`` and ``--deadline`` (statutory defaults without them).

    Raise ``UsageError`` for a ``--deadline`` that is not a date, ``InputError`` for a bad config file.
    """
    day = None
    if deadline is not None:
        try:
            day = dt.date.fromisoformat(deadline.strip())
        except ValueError:
            raise UsageError(f"--deadline 为“{deadline}”，应为日期，如：--deadline 2025-01-31") from None
    if config is not None:
        from gaigen.files.county import read_settings

        return read_settings(config, day)
    return Settings(deadlines={"": day}) if day is not None else DEFAULT_SETTINGS


def _load_previous(path: Path, report: Report) -> Report:
    previous, _problems = load_report(path)
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        raise UsageError(
            f"{_display_name(path)}：--previous 给出的是 {previous.year} 年度的报告，"
            f"而本报告是 {report.year} 年度，应给出 {report.year - 1} 年度的数据文件。"
        )
    return previous


def _display_name(path: Path) -> str:
    """Return the path as the user gave it, made printable (odd bytes shown, not raised)."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def schema(edition: Edition | None = None) -> dict[str, Any]:
    """Return the JSON Schema of a data file of ``edition``, or of both (chosen by 年度)."""
    if edition is not None:
        document = _schema_of(edition)
        document["title"] = f"政府信息公开工作年度报告数据文件（{edition.value} 版式）"
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}
    defs: dict[str, Any] = {}
    refs = {}
    for each in Edition:
        part = _schema_of(each)
        defs.update(part.pop("$defs", {}))
        name = f"Report{each.value}"
        defs[name] = part
        refs[each] = {"$ref": f"#/$defs/{name}"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "政府信息公开工作年度报告数据文件",
        "description": "2019、2020 年度报告使用 2019 版式，2021 年度及以后使用 2021 版式。",
        "if": {"properties": {datafile.YEAR: {"type": "integer", "maximum": 2020}}},
        "then": refs[Edition.E2019],
        "else": refs[Edition.E2021],
        "$defs": defs,
    }


def _schema_of(edition: Edition) -> dict[str, Any]:
    result: dict[str, Any] = model.report_model(edition, for_schema=True).model_json_schema(by_alias=True)
    return result


def read_previous(path: Path) -> Report:
    """Return last year's report for ``init --previous``, whatever problems it has.

    Raise ``InputError`` when the file cannot be read or gives no usable 年度.
    """
    report, _problems = load_report(path)
    if report.year is None:
        raise InputError(f"{_display_name(path)}：读不出“年度”，无法作为上年报告使用。")
    return report


def init_data_file(
    year: int,
    agency: str | None,
    level: str | None = None,
    previous: Path | None = None,
) -> str:
    """Return the text of a starter data file; agency and level default to last year's."""
    last_year = read_previous(previous) if previous is not None else None
    if last_year is not None and last_year.year != year - 1:
        raise UsageError(
            f"--previous 给出的是 {last_year.year} 年度的报告，而要生成的是 {year} 年度，应给出 {year - 1} 年度的数据文件。"
        )
    name = agency or (last_year.agency if last_year else None)
    if not name:
        raise UsageError("请用 --agency 给出机关名称，如：gaigen init --year 2024 --agency 某某县交通运输局")
    if not FIRST_YEAR <= year <= MAX_YEAR:
        raise UsageError(f"--year 为 {year}，gaigen 只支持 {FIRST_YEAR} 至 {MAX_YEAR} 年度的报告。")
    chosen_level = level or (last_year.level if last_year and last_year.level else "部门")
    if chosen_level not in LEVELS:
        raise UsageError("--level 只能是“部门”或“政府”。")
    return starter_file(year, " ".join(name.split()), chosen_level, last_year)


FORMATS = ("docx", "txt", "pdf", "html")
DEFAULT_FORMATS = ("docx", "txt")


@dataclass
class Rendered:
    """The outcome of rendering one data file: its validation and the files written."""

    validation: Validation
    outputs: list[Path] = field(default_factory=list)


def output_stem(report: Report) -> str:
    """Return the output file name stem ``{年度}年{机关名称}政府信息公开工作年度报告``."""
    return report_stem(report.year, report.agency)


def check_formats(formats: tuple[str, ...]) -> None:
    """Raise ``UsageError`` unless ``formats`` is a non-empty choice among ``FORMATS``."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(
            f"--format 只能是 {'、'.join(FORMATS)} 中的一个或几个（用逗号分隔），不能是“{'、'.join(unknown)}”。"
        )


def render_file(
    path: Path,
    out_dir: Path | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    previous: Path | None = None,
    pdf: PdfConverter | None = None,
    force: bool = False,
) -> Rendered:
    """Validate the data file at ``path`` and, when it has no errors, write the report files.

    Everything is rendered in memory first and each file is written atomically, so a failure
    leaves no partial file. With errors nothing is written. An existing output that gaigen did
    not write, or that was changed since (a report edited in Word), is kept: ``OutputError``
    before anything is written, unless ``force`` (``gaigen.files.output``).
    """
    check_formats(formats)
    validation = validate_file(path, previous)
    folder = out_dir if out_dir is not None else path.parent
    if validation.ok:
        stem = output_stem(validation.report)
        check_targets([folder / f"{stem}.{suffix}" for suffix in FORMATS if suffix in formats], force)
    rendered = render_validated(validation, folder, formats, pdf)
    remember_files(rendered.outputs)
    return rendered


def render_validated(
    validation: Validation,
    out_dir: Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    pdf: PdfConverter | None = None,
    *,
    sync: bool = True,
) -> Rendered:
    """Write the report files of a file already validated into ``out_dir``; nothing when it has errors.

    ``gaigen batch`` uses it to render what it validated without reading the file again, with
    ``sync=False``: each file is still written atomically, and the batch syncs its output folder
    once at the end (``gaigen.files.output.sync_folder``) instead of once per file.
    """
    check_formats(formats)
    if not validation.ok:
        return Rendered(validation)
    stem = output_stem(validation.report)
    payloads = render_bytes(validation, formats, pdf)
    make_folder(out_dir)  # only now: a refused or failed render creates nothing
    outputs = []
    for suffix in FORMATS:
        if suffix in payloads:
            target = out_dir / f"{stem}.{suffix}"
            write_atomic(target, payloads[suffix], sync=sync)
            outputs.append(target)
    return Rendered(validation, outputs)


def render_bytes(
    validation: Validation, formats: tuple[str, ...] = DEFAULT_FORMATS, pdf: PdfConverter | None = None
) -> dict[str, bytes]:
    """Return the report files of a validated report in memory, by format; raise ``ContentError`` on errors.

    ``render_validated`` writes them; ``gaigen app`` sends them as downloads.
    """
    check_formats(formats)
    if not validation.ok:
        raise ContentError(f"{validation.path.name}：有 {len(validation.errors)} 个错误，不能生成报告。请改正后再试。")
    context = build_context(validation.report)
    stem = output_stem(validation.report)
    payloads: dict[str, bytes] = {}
    if "docx" in formats or "pdf" in formats:
        from gaigen.render.word import render_docx

        docx = render_docx(context)
        if "docx" in formats:
            payloads["docx"] = docx
        if "pdf" in formats:
            payloads["pdf"] = _to_pdf(docx, stem, pdf)
    if "txt" in formats:
        payloads["txt"] = render_text(context).encode("utf-8")
    if "html" in formats:
        from gaigen.render.html import render_html

        payloads["html"] = render_html(context).encode("utf-8")
    return payloads


def _to_pdf(docx: bytes, stem: str, converter: PdfConverter | None) -> bytes:
    from gaigen.render.pdf import PdfConverter

    if converter is not None:
        return converter.convert_bytes(docx, stem)
    with PdfConverter() as own:
        return own.convert_bytes(docx, stem)
