"""The ``gaigen`` command: a thin skin over ``gaigen.api.reports``.

Each command parses its options, calls one library function, prints the result and picks the
exit code (README: 0 clean, 1 content problems, 2 unusable input or usage, 3 internal error).
Every error goes through ``main``, which prints one Chinese line; ``--debug`` shows a traceback.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gaigen import __version__
from gaigen.cli import helpcache
from gaigen.cli.wording import install_chinese_help, is_click_error, usage_message
from gaigen.core.errors import GaigenError, UsageError
from gaigen.core.names import safe_name
from gaigen.core.problems import message
from gaigen.files.output import check_targets, write_outputs
from gaigen.spec.layout import Edition

if TYPE_CHECKING:
    from gaigen.api import reports as api

app = typer.Typer(
    name="gaigen",
    help="政府信息公开工作年度报告：填写数据、核对勾稽关系、生成报告。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_PROBLEMS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

DeadlineOption = Annotated[
    str | None,
    typer.Option(
        "--deadline", help="本地规定的发布期限（如 2025-01-25），代替《条例》的 1 月 31 日、3 月 31 日", metavar="日期"
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="县级设置文件（YAML）：发布期限、重复率阈值、雷同阈值、审核机关等", metavar="文件"),
]
BATCH_TIMEOUT = 120.0  # seconds per file, DECISIONS §14 (gaigen.batch.DEFAULT_TIMEOUT; a test keeps them equal)


def _echo(text: str, err: bool = False) -> None:
    typer.echo(text, err=err)


@app.command("init", short_help="生成空白数据文件或 Excel 工作簿")
def init_command(
    year: Annotated[int, typer.Option("--year", "-y", help="报告年度，如 2024")],
    agency: Annotated[str | None, typer.Option("--agency", "-a", help="机关全称，如：某某县交通运输局")] = None,
    level: Annotated[str | None, typer.Option("--level", help="部门 或 政府（默认：部门，或沿用上年）")] = None,
    previous: Annotated[
        Path | None, typer.Option("--previous", "-p", help="上年的数据文件：预填上年结转和现行有效件数")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="生成的数据文件（默认：{年度}年{机关名称}.yaml）")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已有文件")] = False,
    xlsx: Annotated[
        bool,
        typer.Option(
            "--xlsx", help="生成 Excel 工作簿（.xlsx）而不是 YAML：表格与官方表格一致，在 Excel 或 WPS 中填写"
        ),
    ] = False,
) -> int:
    """生成一份空白数据文件：含该年度版式的全部表格（各格为 0）和文字部分的填写提示。"""
    from gaigen.api import reports as api  # pydantic and the rules load only for the commands that check

    workbook = xlsx or (output is not None and output.suffix.lower() == ".xlsx")
    if workbook and output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(f"--xlsx 生成 Excel 工作簿，输出文件名应以 .xlsx 结尾，不能是“{output.name}”。")
    text = api.init_data_file(year, agency, level, previous)
    suffix = ".xlsx" if workbook else ".yaml"
    target = output or Path(f"{year}年{safe_name(agency or _agency_of(text))}{suffix}")
    check_targets([target], force)  # never overwrite a file a clerk may have filled in
    if workbook:
        from gaigen.files.workbook import starter_workbook  # openpyxl loads only when a workbook is asked for

        write_outputs({target: starter_workbook(text)}, force)
    else:
        write_outputs({target: text.encode("utf-8")}, force)
    _echo(f"已生成 {target}（{year} 年度，{Edition.for_year(year).value} 版式）。")
    _echo(f"下一步：填写各表数字和文字部分，然后运行 gaigen validate {target}")
    return EXIT_OK


def _agency_of(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("机关名称:"):
            return line.split(":", 1)[1].strip().strip('"')
    return "报告"


@app.command("validate", short_help="核对数据文件：勾稽关系、必填项、数字格式")
def validate_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="一个或多个数据文件（.yaml / .yml / .json）或工作簿（.xlsx）", show_default=False, metavar="数据文件…"
        ),
    ],
    previous: Annotated[
        Path | None, typer.Option("--previous", "-p", help="上年的数据文件：核对上年结转等跨年度关系")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出，供其他程序读取")] = False,
    parts: Annotated[
        list[str] | None,
        typer.Option(
            "--parts",
            help="汇总报告的各部门数据文件（文件、文件夹或通配符）：逐格对照各部门之和，列出不一致的格（A-1）",
            metavar="部门数据",
        ),
    ] = None,
    deadline: DeadlineOption = None,
    config: ConfigOption = None,
) -> int:
    """核对数据文件：各表勾稽关系、必填项、数字格式，逐条指出文件、行、表、行列和改法。"""
    from gaigen.api import aggregate  # the batch and county modules load only for their commands
    from gaigen.api import reports as api  # pydantic and the rules load only for the commands that check

    settings = api.load_settings(config, deadline)
    parts_sum = aggregate.sum_parts(parts, exclude=files) if parts else None

    def run(path: Path) -> api.Validation:
        if parts_sum is None:
            return api.validate_file(path, previous, settings)
        return aggregate.validate_with_parts(path, parts_sum, previous)

    def record(path: Path, result: api.Validation) -> dict[str, Any]:
        return {
            "file": str(path),
            "ok": result.ok,
            "edition": result.report.edition.value,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "problems": [p.to_json() for p in result.problems],
        }

    return _each_file(files, run, record, lambda path, r: _summary(path, len(r.errors), len(r.warnings)), as_json)


def _each_file(
    files: list[Path],
    run: Callable[[Path], Any],
    record: Callable[[Path, Any], dict[str, Any]],
    summary: Callable[[Path, Any], str],
    as_json: bool,
) -> int:
    """Check each file in turn (one unusable file never stops the others); print; return the worst exit code."""
    code = EXIT_OK
    records: list[dict[str, Any]] = []
    for path in files:
        try:
            result = run(path)
        except GaigenError as error:
            code = max(code, error.exit_code)
            records.append({"file": str(path), "ok": False, "fatal": str(error), "problems": []})
            if not as_json:
                _echo(str(error))
            continue
        if result.errors:
            code = max(code, EXIT_PROBLEMS)
        records.append(record(path, result))
        if not as_json:
            for problem in result.problems:
                _echo(f"{problem.severity.chinese}：{message(problem)}")
            _echo(summary(path, result))
    if as_json:
        _echo(json.dumps(records, ensure_ascii=False, indent=2, default=str))
    return code


def _summary(path: Path, errors: int, warnings: int) -> str:
    if errors:
        return f"{path}：{errors} 个错误，{warnings} 个提示。请改正错误后再生成报告。"
    if warnings:
        return f"{path}：没有错误，{warnings} 个提示，可以生成报告。"
    return f"{path}：检查通过，可以生成报告。"


@app.command("render", short_help="核对后生成报告：Word、纯文本、网页、PDF")
def render_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="数据文件（.yaml / .yml / .json）或工作簿（.xlsx）", show_default=False, metavar="数据文件"
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件夹（默认：数据文件所在文件夹）")
    ] = None,
    formats: Annotated[
        str, typer.Option("--format", "-f", help="输出格式：docx、txt、pdf、html（网页），用逗号分隔")
    ] = "docx,txt",
    previous: Annotated[
        Path | None, typer.Option("--previous", "-p", help="上年的数据文件：一并核对跨年度关系")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已有的、手工改过的报告")] = False,
) -> int:
    """先核对数据文件，没有错误时生成报告（Word 和纯文本，可选 PDF）；有错误时不生成任何文件。"""
    from gaigen.api import reports as api  # pydantic and the rules load only for the commands that check

    chosen = _formats(formats)
    result = api.render_file(file, output, chosen, previous, force=force)
    for problem in result.validation.problems:
        _echo(f"{problem.severity.chinese}：{message(problem)}")
    if not result.validation.ok:
        _echo(f"{file}：{len(result.validation.errors)} 个错误，没有生成报告。请改正后重新运行。")
        return EXIT_PROBLEMS
    for path in result.outputs:
        _echo(f"已生成 {path}")
    return EXIT_OK


def _formats(text: str) -> tuple[str, ...]:
    return tuple(part.strip().lower().lstrip(".") for part in text.split(",") if part.strip())


@app.command("batch", short_help="批量核对、生成全县各机关的报告和汇总表")
def batch_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help='数据文件、文件夹（其中全部 .yaml/.yml/.json，含子文件夹）或通配符（如 "2024/*.yaml"），可给多个',
            show_default=False,
            metavar="输入…",
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件夹（不存在时自动创建）", metavar="文件夹")],
    formats: Annotated[
        str, typer.Option("--format", "-f", help="输出格式：docx、txt、pdf、html（网页），用逗号分隔")
    ] = "docx,txt",
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="同时处理的进程数（默认：全部 CPU 核）", metavar="进程数")
    ] = None,
    previous_dir: Annotated[
        Path | None,
        typer.Option("--previous-dir", help="上年数据文件所在文件夹：按机关名称配对，核对跨年度关系", metavar="文件夹"),
    ] = None,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary", help="汇总表（.xlsx，同名 .csv 写在旁边；默认：输出文件夹中的 汇总.xlsx）", metavar="文件"
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="每个文件的处理时限（秒），超过即停止该文件", metavar="秒")
    ] = BATCH_TIMEOUT,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已有的、手工改过的报告和汇总表")] = False,
    deadline: DeadlineOption = None,
    config: ConfigOption = None,
) -> int:
    """批量核对并生成一个地区全部机关的报告：多进程并行，逐个文件给出结果，另生成汇总表（xlsx、csv、html）、审核记录和退回意见。"""
    from gaigen import batch
    from gaigen.api import reports as api  # pydantic and the rules load only for the commands that check

    settings = api.load_settings(config, deadline)
    with _BatchProgress() as progress:
        result = batch.run_batch(
            inputs,
            output,
            _formats(formats),
            jobs,
            previous_dir,
            timeout,
            progress.update,
            summary=summary,
            force=force,
            settings=settings,
        )
    _print_batch(result)
    if result.stopped_by is not None:
        return 128 + result.stopped_by  # 130 for SIGINT, 143 for SIGTERM
    if result.all_rendered:
        return EXIT_OK
    return EXIT_PROBLEMS if result.usable else EXIT_INPUT


class _BatchProgress:
    """A rich progress bar on a terminal (done / total, failures, time left); else one line per file."""

    def __init__(self) -> None:
        self.live = sys.stdout.isatty()
        self.bar: Any = None
        self.task: Any = None
        self.drawn = 0.0

    def __enter__(self) -> _BatchProgress:
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            # Redrawn on each file rather than by rich's refresh thread: with no other thread
            # running, the batch can fork its workers (gaigen.batch.pool.forking).
            self.bar = Progress(
                TextColumn("处理"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("失败 {task.fields[failures]}"),
                TextColumn("剩余"),
                TimeRemainingColumn(),
                auto_refresh=False,
            )
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def update(self, progress: Any) -> None:  # gaigen.batch.Progress
        if self.bar is not None:
            if self.task is None:
                self.task = self.bar.add_task("batch", total=progress.total, failures=0)
            self.bar.update(self.task, completed=progress.done, failures=progress.failures)
            now = time.monotonic()
            if now - self.drawn >= 0.1 or progress.done == progress.total:  # ten frames a second at most
                self.bar.refresh()
                self.drawn = now
            return
        last = progress.last
        if last is None:
            _echo(f"共 {progress.total} 个文件，开始处理。")
            return
        detail = last.name if last.status.rendered else (last.message or last.name)
        _echo(f"[{progress.done}/{progress.total}] {last.status.value}：{detail}")


def _print_batch(result: Any) -> None:  # gaigen.batch.BatchResult
    from gaigen import batch

    attention = [f for f in result.files if not f.status.rendered]
    if sys.stdout.isatty() and attention:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="需要处理的文件", show_lines=True)
        table.add_column("状态", no_wrap=True)
        table.add_column("文件", overflow="fold")
        table.add_column("第一个问题", overflow="fold")  # the whole message, never cut short
        for item in attention:
            table.add_row(item.status.value, item.name, item.message)
        Console().print(table)
    else:
        for item in attention:
            if item.status is not batch.Status.NOT_DONE:
                _echo(f"{item.status.value}：{item.message or item.name}")
    _echo(batch.status_counts(result))
    for note in result.notes:
        _echo(note)
    for item in result.files:
        if item.review_change and not item.review_change.startswith(("首次收到", "文件未变")):
            _echo(f"{item.agency}：{item.review_state}，{item.review_change}。")
    for pair in result.similar:
        _echo(
            f"雷同：{pair.first.agency or pair.first.file} 与 {pair.second.agency or pair.second.file} {pair.describe()}。"
        )
    if result.letters:
        _echo(f"退回意见 {len(result.letters)} 份，在 {result.out_dir / '退回意见'}。")
    if result.summary:
        _echo(f"汇总表：{'、'.join(str(path) for path in result.summary)}")


@app.command("aggregate", short_help="把各部门数据逐格相加，生成本级政府的数据文件")
def aggregate_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="各部门的数据文件、文件夹或通配符（同一年度）", show_default=False, metavar="部门数据…"),
    ],
    agency: Annotated[str, typer.Option("--agency", "-a", help="汇总报告的机关名称，如：某某县人民政府")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="生成的数据文件（默认：{年度}年{机关名称}.yaml）")
    ] = None,
    level: Annotated[str, typer.Option("--level", help="部门 或 政府")] = "政府",
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已有文件")] = False,
) -> int:
    """汇总：把各部门数据文件的表二、表三、表四逐格相加，生成本级政府的数据文件，文字部分留待填写。"""
    from gaigen.api import aggregate

    result = aggregate.aggregate_files(inputs, agency, level, exclude=[output] if output is not None else [])
    target = output or Path(f"{result.year}年{safe_name(agency)}.yaml")
    write_outputs({target: result.text.encode("utf-8")}, force)
    _echo(f"已生成 {target}（{result.year} 年度，由 {len(result.sums.parts)} 份数据文件的表二、表三、表四逐格相加）。")
    _echo(f"下一步：填写文字部分（一、五、六），然后运行 gaigen validate {target}")
    return EXIT_OK


@app.command("convert", short_help="数据文件与 Excel 工作簿互相转换")
def convert_command(
    source: Annotated[
        Path,
        typer.Argument(help="要转换的数据文件（.yaml / .yml / .json / .xlsx）", show_default=False, metavar="数据文件"),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="转换后的文件，扩展名决定格式：.xlsx、.yaml、.json（默认：YAML/JSON 转为同名 .xlsx，.xlsx 转为同名 .yaml）",
            metavar="文件",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已有文件")] = False,
) -> int:
    """在 YAML/JSON 数据文件和 Excel 工作簿之间转换：数字（金额精确到原样）、文字段落、日期等全部保留。"""
    from gaigen.api import convert

    target = output or convert.default_target(source)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise UsageError(f"{target}：输出文件就是输入文件。请用 -o 指定另一个文件名。")
    check_targets([target], force)
    result = convert.convert_file(source, target, str(source), force)
    if not result.written:
        for problem in result.problems:
            _echo(f"{problem.severity.chinese}：{message(problem)}")
        _echo(
            f"{source}：有 {len(result.problems)} 项数据对应不到 {result.edition.value} 版式的正式项目，"
            f"转换会丢失这些数据，没有生成 {target}。请先改正。"
        )
        return EXIT_PROBLEMS
    _echo(f"已生成 {target}（{result.edition.value} 版式）。")
    _echo(f"下一步：运行 gaigen validate {target}")
    return EXIT_OK


@app.command("import", short_help="由已发布的报告生成数据文件")
def import_command(
    report: Annotated[
        Path,
        typer.Argument(
            help="已发布的年度报告：.docx、.doc、.wps、.pdf、.txt、.md、.html 或 .htm",
            show_default=False,
            metavar="报告",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="生成的数据文件（默认：{年度}年{机关名称}.yaml）", metavar="文件"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已有文件")] = False,
) -> int:
    """读取已发布的年度报告（Word、纯文本或网页），生成数据文件；读不出的格留空并逐一列出，不当作 0。"""
    from gaigen.importing import import_to_file

    written = import_to_file(report, output, force)
    for line in written.lines:
        _echo(line)
    return EXIT_OK if written.complete else EXIT_PROBLEMS


@app.command("check", short_help="审阅已发布的报告：勾稽关系、必填内容、格式")
def check_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="已发布的年度报告（.docx / .doc / .wps / .pdf / .txt / .md / .html / .htm）或数据文件（.yaml / .json），可给多个",
            show_default=False,
            metavar="报告…",
        ),
    ],
    previous: Annotated[
        Path | None, typer.Option("--previous", "-p", help="上年的报告或数据文件：核对上年结转等跨年度关系")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出，供其他程序读取")] = False,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary", "-s", help="审阅汇总工作簿（.xlsx；给出多个文件时默认写 审阅汇总.xlsx）", metavar="文件"
        ),
    ] = None,
    deadline: DeadlineOption = None,
    config: ConfigOption = None,
) -> int:
    """审阅已发布的年度报告：各表勾稽关系、必填内容，以及标题、六个部分的标题、版式、标签等格式，逐条指出所在的行或段落；多份报告时列出彼此雷同的报告。"""
    from gaigen.api import check
    from gaigen.api import reports as api  # pydantic and the rules load only for the commands that check
    from gaigen.api.audit_book import AUDIT_BOOK, write_audit_book

    settings = api.load_settings(config, deadline)
    results: list[tuple[Path, Any]] = []
    reviewed: list[Any] = []

    def checked(path: Path) -> Any:
        try:
            result = check.check_file(path, previous, settings)
        except GaigenError as error:
            results.append((path, str(error)))
            raise
        results.append((path, result))
        reviewed.append(result)
        return result

    code = _each_file(
        files,
        checked,
        lambda _path, result: check.record(result),
        lambda _path, result: check.summary(result),
        as_json,
    )
    if summary is not None or len(files) > 1:
        target = summary if summary is not None else Path(AUDIT_BOOK)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        write_audit_book(results, target)
        if not as_json:
            _echo(f"已写入审阅汇总：{target}")
    if len(reviewed) > 1 and not as_json:
        from gaigen.review.county import similar_reports

        for line in similar_reports([(c.name, c.report) for c in reviewed], settings):
            _echo(line)
    return code


review_app = typer.Typer(
    name="review",
    subcommand_metavar="命令 [参数]...",
    short_help="县级审核：审核记录、退回、通过",
    help="县级审核：查看审核记录，退回或通过某机关的报告（记录在 gaigen batch 的输出文件夹中）。",
    no_args_is_help=True,
    options_metavar="[选项]",
)
app.add_typer(review_app, name="review")
ReviewFolder = Annotated[
    Path, typer.Option("--output", "-o", help="gaigen batch 的输出文件夹（审核记录所在）", metavar="文件夹")
]
AgencyArgument = Annotated[str, typer.Argument(help="机关名称，与数据文件中的一致", show_default=False, metavar="机关")]
NoteOption = Annotated[str, typer.Option("--note", "-n", help="审核意见，写入审核记录和退回意见", metavar="意见")]
YearOption = Annotated[int | None, typer.Option("--year", "-y", help="报告年度（默认：最近的年度）")]


@review_app.command("list")
def review_list_command(
    output: ReviewFolder,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出，供其他程序读取")] = False,
) -> int:
    """列出审核记录：每个机关的审核状态、收到的版本数、最新版本的问题数和审核意见。"""
    from gaigen.review import office

    entries = office.listing(output)
    if as_json:
        _echo(json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=2))
        return EXIT_OK
    for e in entries:
        note = f"，意见：{e.note}" if e.note else ""
        _echo(f"{e.agency}（{e.year} 年度）：{e.state}，{e.versions} 个版本，{e.problems} 个问题，{e.changed}{note}")
    counts = {state: sum(1 for e in entries if e.state == state) for state in ("已收", "退回", "通过")}
    _echo(f"共 {len(entries)} 个机关：" + "，".join(f"{k} {v}" for k, v in counts.items()) + "。")
    return EXIT_OK


def _set_review_state(output: Path, agency: str, state: str, note: str, year: int | None, config: Path | None) -> int:
    from gaigen.api import reports as api  # pydantic and the rules load only for the commands that check
    from gaigen.review import office

    entry, letter = office.set_state(output, agency, state, note, year, api.load_settings(config))
    _echo(f"{entry.agency}（{entry.year} 年度）：已设为“{entry.state}”。")
    if letter is not None:
        _echo(f"退回意见：{letter}")
    return EXIT_OK


@review_app.command("return")
def review_return_command(
    agency: AgencyArgument,
    output: ReviewFolder,
    note: NoteOption = "",
    year: YearOption = None,
    config: ConfigOption = None,
) -> int:
    """退回某机关的报告：状态设为“退回”，写出带审核意见的退回意见（Word）；该机关改过文件后再运行 batch 即为“已收”。"""
    return _set_review_state(output, agency, "退回", note, year, config)


@review_app.command("accept")
def review_accept_command(
    agency: AgencyArgument, output: ReviewFolder, note: NoteOption = "", year: YearOption = None
) -> int:
    """通过某机关的报告：状态设为“通过”。"""
    return _set_review_state(output, agency, "通过", note, year, None)


@app.command("schema", short_help="输出数据文件的 JSON Schema")
def schema_command(
    edition: Annotated[
        str | None, typer.Option("--edition", "-e", help="2019 或 2021（默认：两版合一，按年度选择）")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件（默认：输出到屏幕）")] = None,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖已有文件")] = False,
) -> int:
    """输出数据文件的 JSON Schema，供编辑器自动补全和检查。"""
    from gaigen.api import reports as api  # pydantic and the rules load only for the commands that check

    chosen = _edition_option(edition)
    text = json.dumps(api.schema(chosen), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        _echo(text.rstrip("\n"))
    else:
        write_outputs({output: text.encode("utf-8")}, force)
        _echo(f"已写入 {output}")
    return EXIT_OK


def _edition_option(value: str | None) -> Edition | None:
    if value is None:
        return None
    try:
        return Edition(value.strip())
    except ValueError:
        raise UsageError("--edition 只能是 2019 或 2021。") from None


@app.command("fonts", short_help="列出报告使用的字体及本机的代替字体")
def fonts_command() -> int:
    """列出报告使用的字体：本机是否安装，PDF 和本机其他程序用什么字体代替。"""
    from gaigen.render.fonts import aliases_file, font_report
    from gaigen.render.pdf import FONT_HINT

    missing_preferred = False
    for font in font_report():
        if font.installed:
            _echo(f"{font.name}（{font.use}）：已安装。")
            continue
        pdf_face = font.pdf_face or "（无）"
        line = f"{font.name}（{font.use}）：未安装。PDF 用 {pdf_face} 代替"
        if font.preferred and font.pdf_face != font.preferred[0]:
            line += f"（首选 {font.preferred[0]}，本机未安装）"
            missing_preferred = True
        line += f"；本机其他程序（如 LibreOffice）用 {font.plain_face or '（无）'}。"
        _echo(line)
    _echo("Word 中如缺少上述字体，会按文档的字体表改用 宋体、仿宋、楷体、黑体。")
    _echo(
        f"要让本机的 LibreOffice 也这样代替，可把 {aliases_file()} 复制到 ~/.config/fontconfig/conf.d/60-gaigen.conf。"
    )
    if missing_preferred:
        _echo(f"安装仿宋、楷体的免费字体：{FONT_HINT}")
    return EXIT_OK


@app.command("app", short_help="在浏览器中填写报告：逐格填写、边填边核对")
def app_command(
    target: Annotated[
        Path | None,
        typer.Argument(
            help="数据文件（.yaml / .json）、Excel 工作簿（.xlsx）或文件夹（默认：当前文件夹）",
            show_default=False,
            metavar="[文件或文件夹]",
        ),
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器，只显示地址")] = False,
    port: Annotated[int, typer.Option("--port", help="端口（默认：自动选一个空闲端口）", metavar="端口")] = 0,
) -> int:
    """在浏览器中填写报告：官方表格逐格填写，边填边核对，自动保存草稿，预览并下载 Word、PDF、文本和网页。"""
    from gaigen.app import serve  # the web stack loads only for this command

    def announce(url: str) -> None:
        _echo(f"gaigen app 已启动：{url}")
        _echo("浏览器没有自动打开时，请复制上面的完整地址（含 token）到浏览器。按 Ctrl+C 退出。")

    try:
        serve(target, open_browser=not no_browser, port=port, announce=announce)
    except KeyboardInterrupt:  # Ctrl+C: uvicorn shuts down cleanly, then passes the signal on
        _echo("gaigen app 已退出。")
        return 130
    _echo("gaigen app 已退出。")
    return EXIT_OK


@app.command("version", hidden=True)
def version_command() -> int:
    _echo(__version__)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code; never let a traceback reach a clerk."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    if helpcache.wanted(args):
        install_chinese_help()
    command = typer.main.get_command(app)
    try:
        with helpcache.recording(args) as shown:
            # When help was asked for and shown, keep the screen for the next run (gaigen.cli.helpcache).
            result = command.main(args=args, prog_name="gaigen", standalone_mode=False)
            shown[0] = result == 0
    except GaigenError as error:
        _echo(str(error), err=True)
        if debug:
            traceback.print_exc()
        return error.exit_code
    except KeyboardInterrupt:
        _echo("已中断。", err=True)
        return 130
    except Exception as error:
        if is_click_error(error, "Exit"):
            return int(getattr(error, "exit_code", 0))
        if is_click_error(error, "Abort"):
            _echo("已中断。", err=True)
            return 130
        if is_click_error(error, "NoArgsIsHelpError"):
            return EXIT_OK  # plain `gaigen`: the help was shown
        if is_click_error(error, "ClickException"):
            _echo(usage_message(error, _command_in(args), args), err=True)
            return EXIT_INPUT
        return _internal(error, debug)
    return result if isinstance(result, int) else EXIT_OK


def _command_in(args: list[str]) -> str | None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    return next((a for a in args if a in commands), None)


def _internal(error: Exception, debug: bool) -> int:
    """Report a bug: one Chinese line, the traceback only with --debug."""
    _echo(f"内部错误（{type(error).__name__}）：这是 gaigen 的缺陷，请加 --debug 重新运行并报告输出。", err=True)
    if debug:
        traceback.print_exc()
    return EXIT_INTERNAL


def run() -> None:
    """Console-script entry point."""
    _tolerant_output()
    sys.exit(main())


def _tolerant_output() -> None:
    """Let a character the terminal's encoding lacks print as ``?`` instead of failing.

    On Chinese Windows, output redirected to a file or a pipe is encoded as GBK (cp936); a rare
    character of an agency name or a file name outside GBK would raise UnicodeEncodeError (exit 3).
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if callable(reconfigure):
            reconfigure(errors="replace")
