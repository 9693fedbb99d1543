"""Commands around the report: the fonts it uses, the browser app, the version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gaigen import __version__
from gaigen.cli.base import EXIT_OK, app, echo

if TYPE_CHECKING:
    pass


@app.command("fonts", short_help="列出报告使用的字体及本机的代替字体")
def fonts_command() -> int:
    """列出报告使用的字体：本机是否安装，PDF 和本机其他程序用什么字体代替。"""
    from gaigen.render.fonts import aliases_file, font_report
    from gaigen.render.pdf import FONT_HINT

    missing_preferred = False
    for font in font_report():
        if font.installed:
            echo(f"{font.name}（{font.use}）：已安装。")
            continue
        pdf_face = font.pdf_face or "（无）"
        line = f"{font.name}（{font.use}）：未安装。PDF 用 {pdf_face} 代替"
        if font.preferred and font.pdf_face != font.preferred[0]:
            line += f"（首选 {font.preferred[0]}，本机未安装）"
            missing_preferred = True
        line += f"；本机其他程序（如 LibreOffice）用 {font.plain_face or '（无）'}。"
        echo(line)
    echo("Word 中如缺少上述字体，会按文档的字体表改用 宋体、仿宋、楷体、黑体。")
    echo(
        f"要让本机的 LibreOffice 也这样代替，可把 {aliases_file()} 复制到 ~/.config/fontconfig/conf.d/60-gaigen.conf。"
    )
    if missing_preferred:
        echo(f"安装仿宋、楷体的免费字体：{FONT_HINT}")
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
        echo(f"gaigen app 已启动：{url}")
        echo("浏览器没有自动打开时，请复制上面的完整地址（含 token）到浏览器。按 Ctrl+C 退出。")

    try:
        serve(target, open_browser=not no_browser, port=port, announce=announce)
    except KeyboardInterrupt:  # Ctrl+C: uvicorn shuts down cleanly, then passes the signal on
        echo("gaigen app 已退出。")
        return 130
    echo("gaigen app 已退出。")
    return EXIT_OK


@app.command("version", hidden=True)
def version_command() -> int:
    echo(__version__)
    return EXIT_OK
