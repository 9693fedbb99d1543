"""``gaigen import``: a published report (.docx, .txt, .html) read back into a data file.

``import_report`` reads a report into an ``Imported`` (data under the official labels, the cells
it could not read, remarks on the report's form); ``data_file_text`` writes it as a data file of
``gaigen init``'s shape with every gap listed in its header and left out of the data, so that
``gaigen validate`` names each one (DECISIONS §3).
"""

from __future__ import annotations

from gaigen.importing.build import REPORT_SUFFIXES, import_report
from gaigen.importing.model import Finding, Gap, Imported, Where
from gaigen.importing.write import Written, data_file_text, import_to_file

__all__ = [
    "REPORT_SUFFIXES",
    "Finding",
    "Gap",
    "Imported",
    "Where",
    "Written",
    "data_file_text",
    "import_report",
    "import_to_file",
]
