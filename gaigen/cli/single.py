"""Commands on one report's data file: init, validate, render, convert, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gaigen.cli.base import (
    EXIT_OK,
    EXIT_PROBLEMS,
    ConfigOption,
    DeadlineOption,
    app,
    each_file,
    echo,
    file_summary,
    parse_formats,
)
from gaigen.core.errors import UsageError
from gaigen.core.names import safe_name
from gaigen.core.problems import message
from gaigen.files.output import check_targets, write_outputs
from gaigen.spec.layout import Edition

if TYPE_CHECKING:
    from gaigen.api import reports as api


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
    echo(f"已生成 {target}（{year} 年度，{Edition.for_year(year).value} 版式）。")
    echo(f"下一步：填写各表数字和文字部分，然后运行 gaigen validate {target}")
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

    return each_file(files, run, record, lambda path, r: file_summary(path, len(r.errors), len(r.warnings)), as_json)


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

    chosen = parse_formats(formats)
    result = api.render_file(file, output, chosen, previous, force=force)
    for problem in result.validation.problems:
        echo(f"{problem.severity.chinese}：{message(problem)}")
    if not result.validation.ok:
        echo(f"{file}：{len(result.validation.errors)} 个错误，没有生成报告。请改正后重新运行。")
        return EXIT_PROBLEMS
    for path in result.outputs:
        echo(f"已生成 {path}")
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
            echo(f"{problem.severity.chinese}：{message(problem)}")
        echo(
            f"{source}：有 {len(result.problems)} 项数据对应不到 {result.edition.value} 版式的正式项目，"
            f"转换会丢失这些数据，没有生成 {target}。请先改正。"
        )
        return EXIT_PROBLEMS
    echo(f"已生成 {target}（{result.edition.value} 版式）。")
    echo(f"下一步：运行 gaigen validate {target}")
    return EXIT_OK


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
        echo(text.rstrip("\n"))
    else:
        write_outputs({output: text.encode("utf-8")}, force)
        echo(f"已写入 {output}")
    return EXIT_OK


def _edition_option(value: str | None) -> Edition | None:
    if value is None:
        return None
    try:
        return Edition(value.strip())
    except ValueError:
        raise UsageError("--edition 只能是 2019 或 2021。") from None
