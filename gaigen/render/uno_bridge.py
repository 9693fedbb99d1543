"""The office's side of PDF conversion: run by LibreOffice's own Python, never imported by gaigen.

DECISIONS §10: Debian's ``python3-uno`` is built for Debian's ``/usr/bin/python3`` (on Windows and
macOS, LibreOffice ships its own Python with ``uno``), so gaigen cannot import it. gaigen starts
this file with that interpreter beside each office it runs (``gaigen.render.office_server``): it connects
to the office over a named pipe and converts one file per request, so no client process is started
per file.

Protocol, one JSON object per line: it writes ``{"ready": true}`` once connected (it retries while
the office starts), then reads ``{"in": path, "out": path}`` and answers ``{"ok": true}`` or
``{"error": "..."}``. End of input ends it.
"""

from __future__ import annotations  # LibreOffice 7 ships Python 3.8 on Windows and macOS

import json
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

_DOCX_FILTER = "MS Word 2007 XML"
_PDF_FILTER = "writer_pdf_Export"


def _properties(**values: Any) -> tuple[Any, ...]:
    found = []
    for name, value in values.items():
        item = PropertyValue()
        item.Name, item.Value = name, value
        found.append(item)
    return tuple(found)


def _connect(pipe: str, wait: float) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + wait
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:  # NoConnectException while the office starts
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _convert(desktop: Any, source: str, target: str) -> None:
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source),
        "_blank",
        0,
        _properties(Hidden=True, ReadOnly=True, FilterName=_DOCX_FILTER, UpdateDocMode=0),
    )
    if document is None:
        raise RuntimeError("LibreOffice 无法打开此文件")
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), _properties(FilterName=_PDF_FILTER))
    finally:
        document.close(True)


def main() -> int:
    pipe, wait = sys.argv[1], float(sys.argv[2])
    try:
        desktop = _connect(pipe, wait)
    except Exception as error:
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
        return 1
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            _convert(desktop, request["in"], request["out"])
            reply: dict[str, Any] = {"ok": True}
        except Exception as error:  # the office's own message goes back to gaigen
            reply = {"error": f"{type(error).__name__}: {getattr(error, 'Message', '') or error}"}
        print(json.dumps(reply, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
