"""The ``gaigen`` command: a thin skin over the library (``gaigen.api``, ``gaigen.batch``, ``gaigen.review``).

Each command parses its options, calls one library function, prints the result and picks the
exit code (README: 0 clean, 1 content problems, 2 unusable input or usage, 3 internal error).
Every error goes through ``main``, which prints one Chinese line; ``--debug`` shows a traceback.
"""

from __future__ import annotations

import sys
import traceback
from typing import TYPE_CHECKING

import typer

from gaigen.cli import county, helpcache, published, single, tools  # noqa: F401  (each registers its commands on app)
from gaigen.cli.base import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, app, echo
from gaigen.cli.wording import install_chinese_help, is_click_error, usage_message
from gaigen.core.errors import GaigenError

if TYPE_CHECKING:
    pass


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
        echo(str(error), err=True)
        if debug:
            traceback.print_exc()
        return error.exit_code
    except KeyboardInterrupt:
        echo("已中断。", err=True)
        return 130
    except Exception as error:
        if is_click_error(error, "Exit"):
            return int(getattr(error, "exit_code", 0))
        if is_click_error(error, "Abort"):
            echo("已中断。", err=True)
            return 130
        if is_click_error(error, "NoArgsIsHelpError"):
            return EXIT_OK  # plain `gaigen`: the help was shown
        if is_click_error(error, "ClickException"):
            echo(usage_message(error, _command_in(args), args), err=True)
            return EXIT_INPUT
        return _internal(error, debug)
    return result if isinstance(result, int) else EXIT_OK


def _command_in(args: list[str]) -> str | None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    return next((a for a in args if a in commands), None)


def _internal(error: Exception, debug: bool) -> int:
    """Report a bug: one Chinese line, the traceback only with --debug."""
    echo(f"内部错误（{type(error).__name__}）：这是 gaigen 的缺陷，请加 --debug 重新运行并报告输出。", err=True)
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
