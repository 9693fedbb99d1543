"""The Excel fill-in workbook: written from a data file's values, read back into the same values.

Clerks keep their figures in Excel or WPS. ``gaigen init --xlsx`` and ``gaigen convert`` write a
workbook whose sheets 表二、表三、表四 are the official tables cell for cell; ``read_workbook`` turns a
filled workbook into the same values a YAML data file gives, each placed at its sheet and cell.
``layout`` says where every value goes, ``write`` and ``style`` make the workbook, ``read`` reads it.
"""

from gaigen.files.workbook.layout import GRID_TOP, SHEETS, slots
from gaigen.files.workbook.read import read_workbook
from gaigen.files.workbook.write import starter_workbook, workbook_bytes

__all__ = ["GRID_TOP", "SHEETS", "read_workbook", "slots", "starter_workbook", "workbook_bytes"]
