"""The app's pages: valid HTML (html5lib's strict parser), every asset shipped in the package, nothing
fetched from elsewhere, every grid input labelled, refusals in Chinese."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any

import html5lib
import pytest

from gaigen.spec.grid import grids
from gaigen.spec.layout import Edition
from tests.app.running import Client, app_thread

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "county-government-2024.yaml"
INVALID = ROOT / "examples" / "invalid-seed001-jinshui-2020.yaml"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Client]:
    for example in (EXAMPLE, INVALID):
        shutil.copy(example, tmp_path / example.name)
    with app_thread(tmp_path) as running:
        yield running


def _strict(page: bytes) -> Any:
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.decode("utf-8"))


@pytest.mark.parametrize("path", ["/", "/folder", f"/edit?file={EXAMPLE.name}", f"/edit?file={INVALID.name}"])
def test_pages_are_valid_html(client: Client, path: str) -> None:
    status, body, headers = client.get(path)
    assert status == 200 and headers["content-type"].startswith("text/html")
    document = _strict(body)
    assert document.get("lang") == "zh-CN"
    for element in document.iter():
        for attribute in ("src", "href"):
            value = element.get(attribute) or ""
            assert not re.match(r"(https?:)?//", value), value  # nothing from another site


def test_every_grid_input_is_labelled_in_reading_order(client: Client) -> None:
    _status, body, _ = client.get(f"/edit?file={EXAMPLE.name}")
    document = _strict(body)
    cells = [i for i in document.iter("input") if "cell" in (i.get("class") or "").split()]
    assert len(cells) == sum(len(grid.number_cells()) for grid in grids(Edition.E2021))
    assert all(cell.get("aria-label", "").startswith(("表二", "表三", "表四")) for cell in cells)
    ids = [int(cell.get("id")[1:]) for cell in cells]
    assert ids == sorted(ids)  # the file's order is the reading order: Tab follows it


def test_a_file_with_errors_cannot_be_previewed_or_downloaded(client: Client) -> None:
    client.get(f"/edit?file={INVALID.name}")
    for path in (f"/preview?file={INVALID.name}", f"/download?file={INVALID.name}&format=docx"):
        status, body, _ = client.get(path)
        page = body.decode("utf-8")
        assert status == 409 and "不能预览或下载报告" in page and "（T0-1）" in page
    status, body, headers = client.get(f"/preview?file={EXAMPLE.name}")
    assert status == 200 and "<table" in body.decode("utf-8")
    assert "script-src" not in headers["content-security-policy"]  # the report page runs no script


def test_assets_are_package_data() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["gaigen"]
    app = resources.files("gaigen.app")
    shipped = [
        f"app/{folder}/{item.name}" for folder in ("templates", "static") for item in app.joinpath(folder).iterdir()
    ]
    assert shipped
    for name in shipped:
        assert any(fnmatch(name, pattern) for pattern in patterns), name
    for name in ("app.js", "app.css"):
        text = app.joinpath("static", name).read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z]", text.replace("://127.0.0.1", "")), name
