"""The consistency rules of format-spec §5, one small function each, with its id and section.

A rule is registered with ``@rule`` and yields ``Problem`` records; ``check_report`` runs every
rule that applies to the report's edition (and the cross-year ones when last year's report is
given). Errors block rendering, warnings do not.
"""

from __future__ import annotations

# Importing the modules registers their rules.
from gaigen.rules import (  # noqa: F401
    completeness,
    cross_year,
    parts,
    published,
    reading,
    review,
    table2,
    table3,
    table4,
    text,
)
from gaigen.rules.base import RULES, Rule, check_report

__all__ = ["RULES", "Rule", "check_report"]
