"""The zip written by gaigen.files.ooxml: the bytes zipfile writes, so the packaged templates stay identical."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from gaigen.files.ooxml import ZIP_TIME, Member, write_members, write_package

names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)


def with_zipfile(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


@given(st.lists(st.tuples(names, st.binary(max_size=3000)), max_size=6, unique_by=lambda entry: entry[0]))
def test_the_same_bytes_as_zipfile(entries: list[tuple[str, bytes]]) -> None:
    assert write_package(entries) == with_zipfile(entries)


def test_members_compressed_once_read_back_whatever_their_level() -> None:
    document = "<w:document>政府信息公开</w:document>".encode() * 200
    members = [Member.of("word/document.xml", document, 1), Member.of("docProps/core.xml", b"<core/>", 9)]
    with zipfile.ZipFile(io.BytesIO(write_members(members))) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["word/document.xml", "docProps/core.xml"]
        assert archive.read("word/document.xml") == document
