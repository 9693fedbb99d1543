"""Office Open XML packages (.docx, .xlsx) written reproducibly: fixed entry order, times and attributes.

The same input gives the same bytes (DECISIONS §8), so a report or workbook can be compared, cached
and signed. The zip is written here rather than by ``zipfile``: a Word report changes only two of
its parts from one report to the next, so the others are compressed once (``Member``) and copied
as they are into every package (DECISIONS §13). The bytes are those ``zipfile`` writes for the
same entries (a test compares them).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
# zlib's default: packaged templates and workbooks, compressed once.
COMPRESS_LEVEL = 6
# The parts made anew for every report: level 1 takes half the time of 6 for a package ~15 % larger.
FAST_LEVEL = 1

_DOS_DATE = (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_DOS_TIME = ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2
_VERSION = 20  # "version needed to extract" for DEFLATE
_UNIX = 3  # "made by": Unix, whatever platform wrote it
_ATTRIBUTES = 0o644 << 16
_UTF8_NAME = 0x800
_DEFLATED = 8
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Member:
    """One entry of a package, compressed: its name, CRC-32, sizes and the DEFLATE stream."""

    name: str
    crc: int
    size: int
    compressed: bytes

    @classmethod
    def of(cls, name: str, data: bytes, level: int = COMPRESS_LEVEL) -> Member:
        """Return the entry ``name`` holding ``data``, compressed at ``level``."""
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(name, zlib.crc32(data), len(data), packer.compress(data) + packer.flush())


def write_members(members: Iterable[Member]) -> bytes:
    """Return a zip of ``members``, in the order given, with fixed timestamps and attributes."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    count = 0
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0 if member.name.isascii() else _UTF8_NAME
        sizes = (member.crc, len(member.compressed), member.size, len(name))
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, *sizes, 0)
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                _VERSION,
                _UNIX,
                _VERSION,
                0,
                flags,
                _DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                *sizes,
                0,
                0,
                0,
                0,
                _ATTRIBUTES,
                offset,
            )
            + name
        )
        chunks += (local, name, member.compressed)
        offset += len(local) + len(name) + len(member.compressed)
        count += 1
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    return b"".join((*chunks, directory, end))


def write_package(entries: Iterable[tuple[str, bytes]], level: int = COMPRESS_LEVEL) -> bytes:
    """Return a zip of ``entries``, in the order given, with fixed timestamps and attributes."""
    return write_members(Member.of(name, data, level) for name, data in entries)


def package_bytes(docx: bytes) -> bytes:
    """Return the .docx ``docx`` rewritten reproducibly: entries sorted by name, fixed timestamps."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        entries = sorted((info.filename, archive.read(info)) for info in archive.infolist())
    return write_package(entries)
