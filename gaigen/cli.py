"""The ``gaigen`` command: a thin skin over ``gaigen.api``.

Each command parses its options, calls one library function, prints the result and picks the
exit code (README: 0 clean, 1 content problems, 2 unusable input or usage, 3 internal error).
Every error goes through ``main``, which prints one Chinese line; ``--debug`` shows a traceback.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer

from gaigen import __version__, api
from gaigen.cli_text import install_chinese_help, is_click_error, usage_message
from gaigen.errors import GaigenError, OutputError, UsageError
from gaigen.layout import Edition
from gaigen.names import safe_name
from gaigen.output import write_atomic
from gaigen.problems import message

install_chinese_help()

app = typer.Typer(
    name="gaigen",
    help="政府信息公开工作年度报告：填写数据、核对勾稽关系、生成报告。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    options_metavar="[选项]",
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_PROBLEMS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _echo(text: str, err: bool = False) -> None:
    typer.echo(text, err=err)


@app.command("init")
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
) -> int:
    """生成一份空白数据文件：含该年度版式的全部表格（各格为 0）和文字部分的填写提示。"""
    text = api.init_data_file(year, agency, level, previous)
    target = output or Path(f"{year}年{safe_name(agency or _agency_of(text))}.yaml")
    if target.exists() and not force:
        raise OutputError(  # never overwrite a file a clerk may have filled in
            f"{target}：文件已存在，为免覆盖已填写的内容，没有写入。请换一个文件名，或加 --force 覆盖。"
        )
    write_atomic(target, text.encode("utf-8"))
    _echo(f"已生成 {target}（{year} 年度，{Edition.for_year(year).value} 版式）。")
    _echo(f"下一步：填写各表数字和文字部分，然后运行 gaigen validate {target}")
    return EXIT_OK


def _agency_of(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("机关名称:"):
            return line.split(":", 1)[1].strip().strip('"')
    return "报告"


@app.command("validate")
def validate_command(
    files: Annotated[list[Path], typer.Argument(help="一个或多个数据文件（.yaml / .yml / .json）", show_default=False, metavar="数据文件…")],
    previous: Annotated[
        Path | None, typer.Option("--previous", "-p", help="上年的数据文件：核对上年结转等跨年度关系")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出，供其他程序读取")] = False,
) -> int:
    """核对数据文件：各表勾稽关系、必填项、数字格式，逐条指出文件、行、表、行列和改法。"""
    code = EXIT_OK
    records: list[dict[str, Any]] = []
    for path in files:
        try:
            result = api.validate_file(path, previous)
        except GaigenError as error:
            code = max(code, error.exit_code)
            records.append({"file": str(path), "ok": False, "fatal": str(error), "problems": []})
            if not as_json:
                _echo(str(error))
            continue
        if result.errors:
            code = max(code, EXIT_PROBLEMS)
        records.append(
            {
                "file": str(path),
                "ok": result.ok,
                "edition": result.report.edition.value,
                "errors": len(result.errors),
                "warnings": len(result.warnings),
                "problems": [p.to_json() for p in result.problems],
            }
        )
        if not as_json:
            for problem in result.problems:
                _echo(f"{problem.severity.chinese}：{message(problem)}")
            _echo(_summary(path, len(result.errors), len(result.warnings)))
    if as_json:
        _echo(json.dumps(records, ensure_ascii=False, indent=2, default=str))
    return code


def _summary(path: Path, errors: int, warnings: int) -> str:
    if errors:
        return f"{path}：{errors} 个错误，{warnings} 个提示。请改正错误后再生成报告。"
    if warnings:
        return f"{path}：没有错误，{warnings} 个提示，可以生成报告。"
    return f"{path}：检查通过，可以生成报告。"


@app.command("render")
def render_command(
    file: Annotated[Path, typer.Argument(help="数据文件（.yaml / .yml / .json）", show_default=False, metavar="数据文件")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件夹（默认：数据文件所在文件夹）")
    ] = None,
    formats: Annotated[str, typer.Option("--format", "-f", help="输出格式：docx、txt、pdf，用逗号分隔")] = "docx,txt",
    previous: Annotated[
        Path | None, typer.Option("--previous", "-p", help="上年的数据文件：一并核对跨年度关系")
    ] = None,
) -> int:
    """先核对数据文件，没有错误时生成报告（Word 和纯文本，可选 PDF）；有错误时不生成任何文件。"""
    chosen = tuple(part.strip().lower().lstrip(".") for part in formats.split(",") if part.strip())
    if output is not None:
        _make_folder(output)
    result = api.render_file(file, output, chosen, previous)
    for problem in result.validation.problems:
        _echo(f"{problem.severity.chinese}：{message(problem)}")
    if not result.validation.ok:
        _echo(f"{file}：{len(result.validation.errors)} 个错误，没有生成报告。请改正后重新运行。")
        return EXIT_PROBLEMS
    for path in result.outputs:
        _echo(f"已生成 {path}")
    return EXIT_OK


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}：无法创建输出文件夹（{error.strerror}）。") from error


@app.command("schema")
def schema_command(
    edition: Annotated[
        str | None, typer.Option("--edition", "-e", help="2019 或 2021（默认：两版合一，按年度选择）")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件（默认：输出到屏幕）")] = None,
) -> int:
    """输出数据文件的 JSON Schema，供编辑器自动补全和检查。"""
    chosen = _edition_option(edition)
    text = json.dumps(api.schema(chosen), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        _echo(text.rstrip("\n"))
    else:
        write_atomic(output, text.encode("utf-8"))
        _echo(f"已写入 {output}")
    return EXIT_OK


def _edition_option(value: str | None) -> Edition | None:
    if value is None:
        return None
    try:
        return Edition(value.strip())
    except ValueError:
        raise UsageError("--edition 只能是 2019 或 2021。") from None


@app.command("version", hidden=True)
def version_command() -> int:
    _echo(__version__)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code; never let a traceback reach a clerk."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="gaigen", standalone_mode=False)
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
            _echo(usage_message(error, _command_in(args)), err=True)
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
    sys.exit(main())
