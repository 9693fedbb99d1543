"""The library's public surface: every name ``gaigen`` exports resolves, and it is documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import gaigen

ROOT = Path(__file__).resolve().parents[1]


def test_every_exported_name_resolves() -> None:
    for name in gaigen.__all__:
        assert getattr(gaigen, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        gaigen.no_such_function  # noqa: B018
    except AttributeError as error:
        assert "no_such_function" in str(error)
    else:
        raise AssertionError("expected AttributeError")


def test_the_readme_documents_the_library_functions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 作为 Python 库使用", 1)[1].split("\n## ", 1)[0]
    for name in gaigen.__all__:
        if name[0].islower() and not name.startswith("__"):
            assert f"`{name}" in section, name


def test_validating_through_the_library(tmp_path: Path) -> None:
    result = gaigen.validate_file(ROOT / "examples" / "county-government-2024.yaml")
    assert not result.errors
    rendered = gaigen.render_file(ROOT / "examples" / "county-government-2024.yaml", tmp_path, formats=("txt",))
    assert [p.suffix for p in rendered.outputs] == [".txt"]


def test_importing_gaigen_loads_no_heavy_module() -> None:
    code = "import sys, gaigen; print(sorted(m for m in ('pydantic', 'typer', 'docxtpl', 'openpyxl', 'yaml') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
