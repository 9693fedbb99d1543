"""The report and its problems: cells, values, totals, exact value types and the exception tree.

Imports only ``gaigen.spec``.
"""
