"""The exception tree. Each class says when it is raised and carries its exit code (DECISIONS)."""

from __future__ import annotations


class GaigenError(Exception):
    """Base of every error gaigen reports to a user; ``str(error)`` is the Chinese message."""

    exit_code = 3


class InputError(GaigenError):
    """Raised when an input file is missing, unreadable, too large, or not YAML/JSON at all."""

    exit_code = 2


class UsageError(GaigenError):
    """Raised when a command is called with options that do not fit together."""

    exit_code = 2


class OutputError(GaigenError):
    """Raised when an output file cannot be written (folder missing, no permission, disk full)."""

    exit_code = 2


class ContentError(GaigenError):
    """Raised when a report has rule errors and the command cannot go on (e.g. render)."""

    exit_code = 1
