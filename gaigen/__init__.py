"""gaigen: author the 政府信息公开工作年度报告 from a data file, checked against the official format.

The library a Python user calls, the same functions the ``gaigen`` command and app call::

    import gaigen

    result = gaigen.validate_file(Path("2024.yaml"))
    for problem in result.problems:
        print(gaigen.message(problem))
    if not result.errors:
        gaigen.render_file(Path("2024.yaml"), Path("out"), formats=("docx", "txt"))

Names load on first use, so ``import gaigen`` (and ``gaigen --help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    # one data file: read, check, render, start a new one
    "load_report": "gaigen.api.reports",
    "validate_file": "gaigen.api.reports",
    "validate_document": "gaigen.api.reports",
    "render_file": "gaigen.api.reports",
    "render_bytes": "gaigen.api.reports",
    "init_data_file": "gaigen.api.reports",
    "schema": "gaigen.api.reports",
    "Validation": "gaigen.api.reports",
    "Rendered": "gaigen.api.reports",
    # other formats and published reports
    "convert_file": "gaigen.api.convert",
    "Converted": "gaigen.api.convert",
    "check_file": "gaigen.api.check",
    "Checked": "gaigen.api.check",
    "import_report": "gaigen.importing",
    "import_to_file": "gaigen.importing",
    "Imported": "gaigen.importing",
    # a county
    "aggregate_files": "gaigen.api.aggregate",
    "Aggregated": "gaigen.api.aggregate",
    "run_batch": "gaigen.batch",
    "BatchResult": "gaigen.batch",
    # what the results hold
    "Report": "gaigen.core.report",
    "Problem": "gaigen.core.problems",
    "Severity": "gaigen.core.problems",
    "message": "gaigen.core.problems",
    "Edition": "gaigen.spec.layout",
    "GaigenError": "gaigen.core.errors",
    "InputError": "gaigen.core.errors",
    "UsageError": "gaigen.core.errors",
    "OutputError": "gaigen.core.errors",
    "ContentError": "gaigen.core.errors",
}

__all__ = [
    "Aggregated",
    "BatchResult",
    "Checked",
    "ContentError",
    "Converted",
    "Edition",
    "GaigenError",
    "Imported",
    "InputError",
    "OutputError",
    "Problem",
    "Rendered",
    "Report",
    "Severity",
    "UsageError",
    "Validation",
    "__version__",
    "aggregate_files",
    "check_file",
    "convert_file",
    "import_report",
    "import_to_file",
    "init_data_file",
    "load_report",
    "message",
    "render_bytes",
    "render_file",
    "run_batch",
    "schema",
    "validate_document",
    "validate_file",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gaigen' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access skips this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # for type checkers and editors; at run time the names load on first use
    from gaigen.api.aggregate import Aggregated, aggregate_files
    from gaigen.api.check import Checked, check_file
    from gaigen.api.convert import Converted, convert_file
    from gaigen.api.reports import (
        Rendered,
        Validation,
        init_data_file,
        load_report,
        render_bytes,
        render_file,
        schema,
        validate_document,
        validate_file,
    )
    from gaigen.batch import BatchResult, run_batch
    from gaigen.core.errors import ContentError, GaigenError, InputError, OutputError, UsageError
    from gaigen.core.problems import Problem, Severity, message
    from gaigen.core.report import Report
    from gaigen.importing import Imported, import_report, import_to_file
