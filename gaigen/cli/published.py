"""Commands on published reports: import and check."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gaigen.cli.base import EXIT_OK, EXIT_PROBLEMS, ConfigOption, DeadlineOption, app, each_file, echo
from gaigen.core.errors import GaigenError

if TYPE_CHECKING:
    from gaigen.api.check import Checked
    from gaigen.core.settings import Settings
    from gaigen.review.county import SimilarReports


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
        echo(line)
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
    reviewed: list[Checked] = []

    def checked(path: Path) -> Any:
        try:
            result = check.check_file(path, previous, settings)
        except GaigenError as error:
            results.append((path, str(error)))
            raise
        results.append((path, result))
        reviewed.append(result)
        return result

    def near_copies(records: list[dict[str, Any]]) -> None:
        """Give each file's JSON record the files its narrative is near-identical to (R-2)."""
        by_name = {record["file"]: record for record in records}
        for record in records:
            record["similar"] = []
        for each in _near_copies(reviewed, settings):
            one, two = reviewed[each.first], reviewed[each.second]
            for this, other in ((one, two), (two, one)):
                if this.name in by_name:
                    by_name[this.name]["similar"].append(
                        {"file": other.name, "share": round(each.share, 4), "message": each.message}
                    )

    code = each_file(
        files,
        checked,
        lambda _path, result: check.record(result),
        lambda _path, result: check.summary(result),
        as_json,
        near_copies,
    )
    if summary is not None or len(files) > 1:
        target = summary if summary is not None else Path(AUDIT_BOOK)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        write_audit_book(results, target)
        if not as_json:
            echo(f"已写入审阅汇总：{target}")
    if not as_json:
        for each in _near_copies(reviewed, settings):
            echo(each.message)
    return code


def _near_copies(reviewed: list[Checked], settings: Settings) -> list[SimilarReports]:
    """Return the near-identical pairs among the files checked (none for a single file)."""
    if len(reviewed) < 2:
        return []
    from gaigen.review.county import similar_reports

    return similar_reports([(c.name, c.report) for c in reviewed], settings)
