"""The one place that builds jinja environments: strict undefined, escaping on for XML only."""

from __future__ import annotations

import jinja2


def environment(
    *, xml: bool, loader: jinja2.BaseLoader | None = None, bytecode_cache: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """Return a jinja environment: ``xml=True`` escapes every value (Word XML), else plain text.

    StrictUndefined makes a misspelt placeholder an error instead of an empty cell. Values are
    data: nothing a clerk types (``{{ }}``, ``{% %}``, ``<w:t>``) is ever compiled as a template.
    """
    return jinja2.Environment(
        loader=loader,
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        autoescape=xml,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )
