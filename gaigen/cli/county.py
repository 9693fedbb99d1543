"""Commands for a county office: batch, aggregate, and the review record (``gaigen review``)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from gaigen.cli.base import (
    BATCH_TIMEOUT,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_PROBLEMS,
    ConfigOption,
    DeadlineOption,
    app,
    echo,
    parse_formats,
)
from gaigen.core.names import safe_name
from gaigen.files.output import write_outputs


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
            parse_formats(formats),
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
            echo(f"共 {progress.total} 个文件，开始处理。")
            return
        detail = last.name if last.status.rendered else (last.message or last.name)
        echo(f"[{progress.done}/{progress.total}] {last.status.value}：{detail}")


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
                echo(f"{item.status.value}：{item.message or item.name}")
    echo(batch.status_counts(result))
    for note in result.notes:
        echo(note)
    for item in result.files:
        if item.review_change and not item.review_change.startswith(("首次收到", "文件未变")):
            echo(f"{item.agency}：{item.review_state}，{item.review_change}。")
    for pair in result.similar:
        echo(
            f"雷同：{pair.first.agency or pair.first.file} 与 {pair.second.agency or pair.second.file} {pair.describe()}。"
        )
    if result.letters:
        echo(f"退回意见 {len(result.letters)} 份，在 {result.out_dir / '退回意见'}。")
    if result.summary:
        echo(f"汇总表：{'、'.join(str(path) for path in result.summary)}")


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
    echo(f"已生成 {target}（{result.year} 年度，由 {len(result.sums.parts)} 份数据文件的表二、表三、表四逐格相加）。")
    echo(f"下一步：填写文字部分（一、五、六），然后运行 gaigen validate {target}")
    return EXIT_OK


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
        echo(json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=2))
        return EXIT_OK
    for e in entries:
        note = f"，意见：{e.note}" if e.note else ""
        echo(f"{e.agency}（{e.year} 年度）：{e.state}，{e.versions} 个版本，{e.problems} 个问题，{e.changed}{note}")
    counts = {state: sum(1 for e in entries if e.state == state) for state in ("已收", "退回", "通过")}
    echo(f"共 {len(entries)} 个机关：" + "，".join(f"{k} {v}" for k, v in counts.items()) + "。")
    return EXIT_OK


def _set_review_state(output: Path, agency: str, state: str, note: str, year: int | None, config: Path | None) -> int:
    from gaigen.api import reports as api  # pydantic and the rules load only for the commands that check
    from gaigen.review import office

    entry, letter = office.set_state(output, agency, state, note, year, api.load_settings(config))
    echo(f"{entry.agency}（{entry.year} 年度）：已设为“{entry.state}”。")
    if letter is not None:
        echo(f"退回意见：{letter}")
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
