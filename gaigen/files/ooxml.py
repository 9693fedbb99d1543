"""Office Open XML packages (.docx, .xlsx) written reproducibly: fixed entry order, times and attributes.

The same input gives the same bytes (DECISIONS §8), so a report or workbook can be compared, cached
and signed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
COMPRESS_LEVEL = 6


def write_package(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """Return a zip of ``entries``, in the order given, with fixed timestamps and attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # else it names the platform that wrote it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def package_bytes(docx: bytes) -> bytes:
    """Return the .docx ``docx`` rewritten reproducibly: entries sorted by name, fixed timestamps."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        entries = sorted((info.filename, archive.read(info)) for info in archive.infolist())
    return write_package(entries)
