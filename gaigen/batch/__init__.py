"""``gaigen batch``: a whole county's data files checked and rendered in worker processes.

``run`` drives a run, ``pool`` and ``worker`` are its two sides, ``results`` what it produces and
``summary`` the summary workbook and CSV.
"""

from gaigen.batch.results import DEFAULT_TIMEOUT, BatchResult, FileResult, Progress, Status
from gaigen.batch.run import run_batch
from gaigen.batch.summary import status_counts, write_summary

__all__ = [
    "DEFAULT_TIMEOUT",
    "BatchResult",
    "FileResult",
    "Progress",
    "Status",
    "run_batch",
    "status_counts",
    "write_summary",
]
