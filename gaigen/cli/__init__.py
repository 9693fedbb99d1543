"""The ``gaigen`` command line: a thin skin over ``gaigen.api`` and ``gaigen.batch``."""

import sys


def run() -> None:
    """Console-script entry point: a help screen from the cache, else the command line (typer)."""
    from gaigen.cli.helpcache import cached

    screen = cached(sys.argv[1:])
    if screen is not None:
        sys.stdout.write(screen)
        sys.stdout.flush()
        sys.exit(0)
    from gaigen.cli.commands import run as run_commands

    run_commands()


__all__ = ["run"]
