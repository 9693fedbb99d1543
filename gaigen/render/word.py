"""The Word report: one docxtpl template per edition, prepared once, rendered per report to bytes.

Each edition's template (package data in ``gaigen/templates/``, built by
``scripts/build_templates.py``) is prepared once (DECISIONS §13): docxtpl cleans its document
XML (``DocxTemplate.patch_xml``: tags that Word splits across runs, ``{%p … %}`` paragraph tags),
the one jinja environment (``gaigen.render.jinja_env``, escaping on) compiles that XML, and every other
part of the package stays in memory, compressed once. Per report only ``word/document.xml`` and
``docProps/core.xml`` are made (and compressed at a fast level), and the zip is written with fixed timestamps and entry order, so
the same context always gives the same bytes (DECISIONS §8). Nothing is ever written to a path
here: the caller writes the bytes atomically (``gaigen.files.output.write_atomic``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import os
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2

from gaigen.core.errors import GaigenError
from gaigen.files.cache import cache_folder
from gaigen.files.ooxml import FAST_LEVEL, Member, write_members
from gaigen.files.output import write_atomic
from gaigen.render.context import Context
from gaigen.render.jinja_env import environment
from gaigen.render.printed import breakable, clean, lines, signature_indents, title_lines
from gaigen.spec import layout
from gaigen.spec.layout import Edition

# The name of each table's cells in the templates: ``{{ t3.r5c3 }}`` is 表三 row 5, grid column 3.
TABLE_VARIABLES = {layout.TABLE2: "t2", layout.TABLE3: "t3", layout.TABLE4: "t4"}

DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
# Document properties when the report has no 发布日期: fixed, never the clock.
FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# A body character's advance: 三号 (16 pt) condensed by 0.25 pt (scripts/build_templates.py).
BODY_CHARACTER_TWIPS = 315
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def template_name(edition: Edition) -> str:
    """Return the file name of the Word template of ``edition``."""
    return f"report-{edition.value}.docx"


def template_bytes(edition: Edition) -> bytes:
    """Return the packaged Word template of ``edition`` (``gaigen/templates/``)."""
    return resources.files("gaigen").joinpath("templates", template_name(edition)).read_bytes()


@dataclass(frozen=True)
class PreparedTemplate:
    """An edition's template ready to render: the compiled document XML and the other parts."""

    document: jinja2.Template
    # Every part in zip order, compressed once; the document and core parts are made per report.
    members: tuple[Member, ...]


def prepare(blob: bytes) -> PreparedTemplate:
    """Return the template in the .docx ``blob`` prepared for rendering (done once per edition).

    Preparing costs ~0.4 s (importing docxtpl, its clean-up, compiling ~130 KB of XML), most of
    a one-file ``gaigen render``. So the cleaned XML and jinja's compiled code are kept in a cache
    folder (``cache_folder``), keyed by the template's bytes and the library versions; without a
    writable folder everything is simply prepared in memory.
    """
    key = _cache_key(blob)
    folder = cache_folder()
    xml = _cached_text(folder, f"document-{key}.xml") if folder else None
    if xml is None:
        xml = XML_DECLARATION + _clean_xml(blob)
        if folder:
            _store_text(folder, f"document-{key}.xml", xml)
    cache = jinja2.FileSystemBytecodeCache(str(folder), "jinja-%s.cache") if folder else None
    loader = jinja2.DictLoader({key: xml})
    compiled = environment(xml=True, loader=loader, bytecode_cache=cache).get_template(key)
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        members = tuple(Member.of(info.filename, archive.read(info)) for info in archive.infolist())
    names = [member.name for member in members]
    if DOCUMENT_PART not in names or CORE_PART not in names:
        raise ValueError(f"Word template lacks {DOCUMENT_PART} or {CORE_PART}")
    return PreparedTemplate(compiled, members)


def _clean_xml(blob: bytes) -> str:
    """Return the document XML of the template after docxtpl's clean-up of split tags."""
    # docxtpl (and python-docx under it) take a while to import; only preparing needs them.
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    template = DocxTemplate(io.BytesIO(blob))
    source = template.get_docx()
    return str(template.patch_xml(template.xml_to_string(source.element)))


def _cache_key(blob: bytes) -> str:
    """Return the cache key of a template: its bytes, jinja2's version, and the sources that shape it.

    Not ``importlib.metadata``: loading it and scanning the installed distributions costs more
    than the rest of a one-file ``gaigen render`` start-up. docxtpl is not imported (slow either):
    the size and time of its installed source stand for its version, as those of this module and
    of the jinja environment stand for gaigen's.
    """
    spec = importlib.util.find_spec("docxtpl")
    here = Path(__file__)
    sources = [spec.origin if spec is not None and spec.origin else "", str(here), str(here.with_name("jinja_env.py"))]
    versions = "|".join([jinja2.__version__, *(_stamp(source) for source in sources)])
    return hashlib.sha256(blob + versions.encode()).hexdigest()[:24]


def _stamp(path: str) -> str:
    try:
        stat = os.stat(path)
    except OSError:
        return "?"
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def _cached_text(folder: Path, name: str) -> str | None:
    try:
        text = (folder / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text.startswith(XML_DECLARATION) else None


def _store_text(folder: Path, name: str, text: str) -> None:
    with contextlib.suppress(GaigenError):  # a cache that cannot be written only costs time
        write_atomic(folder / name, text.encode("utf-8"))


class WordRenderer:
    """Renders contexts to .docx bytes; prepare once, then render any number of reports.

    Each edition's template is prepared on first use and kept; ``render`` holds no state between
    calls, so one renderer may serve several threads.
    """

    def __init__(self, templates: Mapping[Edition, bytes] | None = None) -> None:
        """Use the packaged templates, or ``templates`` (the .docx bytes of each edition)."""
        self._sources = dict(templates) if templates is not None else None
        self._prepared: dict[Edition, PreparedTemplate] = {}
        self._lock = threading.Lock()

    def _template(self, edition: Edition) -> PreparedTemplate:
        prepared = self._prepared.get(edition)
        if prepared is None:
            with self._lock:
                prepared = self._prepared.get(edition)
                if prepared is None:
                    blob = self._sources[edition] if self._sources is not None else template_bytes(edition)
                    prepared = self._prepared[edition] = prepare(blob)
        return prepared

    def render(self, context: Context) -> bytes:
        """Return the .docx of the report in ``context``: the same bytes for the same context."""
        prepared = self._template(context.edition)
        document = prepared.document.render(variables(context)).encode("utf-8")
        core = core_properties(context).encode("utf-8")
        made = {
            DOCUMENT_PART: Member.of(DOCUMENT_PART, document, FAST_LEVEL),
            CORE_PART: Member.of(CORE_PART, core, FAST_LEVEL),
        }
        return write_members(made.get(member.name, member) for member in prepared.members)


def variables(context: Context) -> dict[str, Any]:
    """Return the values the Word template reads (names as in scripts/build_templates.py)."""
    parts = [
        {
            "heading": clean(part.heading),
            "sections": [
                {"heading": clean(section.heading), "paragraphs": [lines(breakable(p)) for p in section.paragraphs]}
                for section in part.sections
            ],
            "table": TABLE_VARIABLES[part.table] if part.table is not None else None,
        }
        for part in context.parts
    ]
    names: dict[str, Any] = {
        "title": clean(context.title),
        "title_lines": title_lines(context.title),
        "preamble": [lines(breakable(p)) for p in context.preamble],
        "parts": parts,
        "signature": clean(context.signature),
        "date": clean(context.date),
    }
    for key, chars in zip(
        ("signature_right", "date_right"), signature_indents(context.signature, context.date), strict=True
    ):
        names[key] = {"twips": round(chars * BODY_CHARACTER_TWIPS), "chars": round(chars * 100)}
    for key, variable in TABLE_VARIABLES.items():
        names[variable] = context.cells.get(key, {})
    return names


def core_properties(context: Context) -> str:
    """Return docProps/core.xml: title, creator (the agency), dates from 发布日期 — never the clock."""
    found = _DATE.fullmatch(context.date)
    when = f"{int(found[1]):04d}-{int(found[2]):02d}-{int(found[3]):02d}T00:00:00Z" if found else FIXED_TIMESTAMP
    title = escape(clean(context.title))
    agency = escape(clean(context.agency))
    stamp = 'xsi:type="dcterms:W3CDTF"'
    return (
        f"{XML_DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{agency}</dc:creator>"
        f"<cp:lastModifiedBy>{agency}</cp:lastModifiedBy><dc:language>zh-CN</dc:language>"
        f"<cp:revision>1</cp:revision><dcterms:created {stamp}>{when}</dcterms:created>"
        f"<dcterms:modified {stamp}>{when}</dcterms:modified></cp:coreProperties>"
    )


@functools.cache
def _default_renderer() -> WordRenderer:
    return WordRenderer()


def prepare_default() -> None:
    """Prepare every edition's template of the shared renderer now (before worker processes fork)."""
    renderer = _default_renderer()
    for edition in Edition:
        renderer._template(edition)


def render_docx(context: Context) -> bytes:
    """Return the .docx of ``context`` with a renderer shared by the whole process."""
    return _default_renderer().render(context)
