"""The ``gaigen`` command line: a thin skin over ``gaigen.api`` and ``gaigen.batch``."""

from gaigen.cli.commands import run

__all__ = ["run"]
