"""Shared by every command module: the ``app`` they register on, exit codes, common options, output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gaigen.core.errors import GaigenError
from gaigen.core.problems import message

if TYPE_CHECKING:
    pass


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


def echo(text: str, err: bool = False) -> None:
    typer.echo(text, err=err)


def each_file(
    files: list[Path],
    run: Callable[[Path], Any],
    record: Callable[[Path, Any], dict[str, Any]],
    summary: Callable[[Path, Any], str],
    as_json: bool,
    amend: Callable[[list[dict[str, Any]]], None] | None = None,
) -> int:
    """Check each file in turn (one unusable file never stops the others); print; return the worst exit code.

    ``amend`` adds to the JSON records what only all the files together tell (near-copies among them).
    """
    code = EXIT_OK
    records: list[dict[str, Any]] = []
    for path in files:
        try:
            result = run(path)
        except GaigenError as error:
            code = max(code, error.exit_code)
            records.append({"file": str(path), "ok": False, "fatal": str(error), "problems": []})
            if not as_json:
                echo(str(error))
            continue
        if result.errors:
            code = max(code, EXIT_PROBLEMS)
        records.append(record(path, result))
        if not as_json:
            for problem in result.problems:
                echo(f"{problem.severity.chinese}：{message(problem)}")
            echo(summary(path, result))
    if as_json:
        if amend is not None:
            amend(records)
        echo(json.dumps(records, ensure_ascii=False, indent=2, default=str))
    return code


def file_summary(path: Path, errors: int, warnings: int) -> str:
    if errors:
        return f"{path}：{errors} 个错误，{warnings} 个提示。请改正错误后再生成报告。"
    if warnings:
        return f"{path}：没有错误，{warnings} 个提示，可以生成报告。"
    return f"{path}：检查通过，可以生成报告。"


def parse_formats(text: str) -> tuple[str, ...]:
    return tuple(part.strip().lower().lstrip(".") for part in text.split(",") if part.strip())
