"""The command line on bad input: one fixture folder per case under ``tests/data/<case>/``.

Each folder holds the input file(s), ``expected.txt`` (first line the exit code, then the exact
output: stdout followed by stderr), optionally ``args.txt`` (the command line, one argument a line;
default ``validate`` and the folder's one input file) and ``make.py`` (run in the working copy
before the command, for inputs that are not committed). The folders are written by
``tests/make_cli_fixtures.py``; ``GAIGEN_REGENERATE=1 pytest tests/cli/test_cli_bad_input.py`` rewrites
each ``expected.txt`` from the actual output (cases in ``XFAIL`` keep their hand-written expected
output unless ``GAIGEN_REGENERATE=all``). Read every regenerated message before committing it:
Chinese, naming the file (and the line where there is one), saying what is wrong and what to do.

The command runs in a copy of the folder with that copy as the current directory, so messages
show the file name as given. Afterwards every file of the copy must be byte for byte unchanged
and no file may have been added.
"""

from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gaigen.cli.commands import main

DATA = Path(__file__).parents[1] / "data"
REGENERATE = os.environ.get("GAIGEN_REGENERATE", "")
CONTROL_FILES = {"expected.txt", "args.txt", "make.py"}

# Cases where gaigen misbehaves today; expected.txt holds the output it should give.
_NULL_CELL = "a null or empty cell crashes pydantic's ge=0 constraint (TypeError, exit 3) instead of T0-1/M-1/N-1"
XFAIL: dict[str, str] = {}

# Cases that would kill the test process itself: run only through ``python -m gaigen``.
SUBPROCESS_ONLY = {"yaml-nesting-stack-overflow"}

# Words allowed in a message besides Chinese (file names, formats, commands, literal values).
_ASCII_WORDS = {
    "yaml", "yml", "json", "gaigen", "init", "validate", "render", "utf", "gbk", "wps",
    "tab", "true", "false", "force", "debug", "help", "data", "big", "docx", "txt", "pdf",
    "check", "import", "batch", "xlsx", "csv", "word", "html", "markdown",
}  # fmt: skip


def case_names() -> list[str]:
    """Return the case folders: those under tests/data that hold an expected.txt."""
    return sorted(p.name for p in DATA.iterdir() if (p / "expected.txt").is_file())


def _args(folder: Path) -> list[str]:
    args_file = folder / "args.txt"
    if args_file.is_file():
        return args_file.read_text(encoding="utf-8").splitlines()
    inputs = [p.name for p in folder.iterdir() if p.name not in CONTROL_FILES]
    assert len(inputs) == 1, f"{folder.name}: give args.txt when there is not exactly one input file"
    return ["validate", inputs[0]]


def _prepare(case: str, work: Path) -> list[str]:
    """Copy the inputs of ``case`` into ``work``, run its make.py there; return the command line."""
    folder = DATA / case
    work.mkdir()
    for item in folder.iterdir():
        if item.name in CONTROL_FILES:
            continue
        if item.is_dir():
            shutil.copytree(item, work / item.name)
        else:
            shutil.copyfile(item, work / item.name)
    if (folder / "make.py").is_file():
        cwd = os.getcwd()
        os.chdir(work)
        try:
            runpy.run_path(str(folder / "make.py"), run_name="__main__")
        finally:
            os.chdir(cwd)
    return _args(folder)


def _snapshot(root: Path) -> dict[str, bytes | None]:
    """Return every file (bytes) and folder (None) below ``root``, by relative path."""
    return {str(p.relative_to(root)): (None if p.is_dir() else p.read_bytes()) for p in sorted(root.rglob("*"))}


def _expected(case: str) -> tuple[int, str]:
    text = (DATA / case / "expected.txt").read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    if not first.strip().isdigit():
        pytest.fail(f"{case}: expected.txt is a stub; run GAIGEN_REGENERATE=1 pytest {__file__} and review it")
    return int(first), rest


def _normalise(text: str, work: Path) -> str:
    return text.replace(str(work), "<tmp>")


def english_words(text: str) -> list[str]:
    """Return English words in ``text`` outside quotations “…”, but for the few allowed ones."""
    plain = re.sub(r"“[^”]*”", "", text)
    words = re.findall(r"[A-Za-z]{3,}", plain)
    return [w for w in words if w.lower() not in _ASCII_WORDS]


def _run_in_process(args: list[str], work: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(work)
    try:
        code = main(args)
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    return code, _normalise(out + err, work)


def _small_stack() -> None:
    # A 2 MB C stack (Linux default 8 MB) makes a stack overflow come sooner, so the test is quick.
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    resource.setrlimit(resource.RLIMIT_STACK, (2 * 1024 * 1024, hard))


def _run_subprocess(args: list[str], work: Path, small_stack: bool = False) -> tuple[int, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-m", "gaigen", *args],
        cwd=work,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
        preexec_fn=_small_stack if small_stack else None,
    )
    output = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    return result.returncode, _normalise(output, work)


def _params() -> list[object]:
    return [
        pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=XFAIL[case])) if case in XFAIL else case
        for case in case_names()
    ]


@pytest.mark.parametrize("case", _params())
def test_bad_input(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "work"
    args = _prepare(case, work)
    before = _snapshot(work)

    if case in SUBPROCESS_ONLY:
        code, output = _run_subprocess(args, work, small_stack=True)
    else:
        code, output = _run_in_process(args, work, capsys)

    if REGENERATE == "all" or (REGENERATE and case not in XFAIL):
        (DATA / case / "expected.txt").write_text(f"{code}\n{output}", encoding="utf-8")
    assert _snapshot(work) == before, "the command changed, added or removed a file"
    assert "Traceback" not in output
    assert code in (0, 1, 2), f"exit code {code}"
    expected_code, expected_output = _expected(case)
    assert output == expected_output
    assert code == expected_code
    _check_wording(output, args)


def _check_wording(output: str, args: list[str]) -> None:
    """Every line is Chinese, names the input file, and shows no English from a library."""
    files = [a for a in args[1:] if not a.startswith("-") or a == args[-1]]
    for line in output.splitlines():
        assert re.search(r"[\u4e00-\u9fff]", line), f"not Chinese: {line}"
        assert any(name in line for name in files), f"does not name the file: {line}"
        assert not english_words(line), f"English in: {line}"


def test_cases_match_generator() -> None:
    """Every case the generator knows has a folder, and every folder a case (no stale fixtures)."""
    generator = runpy.run_path(str(Path(__file__).parents[1] / "make_cli_fixtures.py"), run_name="fixtures")
    assert set(generator["CASES"]) == set(case_names())
    assert set(XFAIL) <= set(case_names())


@pytest.mark.parametrize(
    ("case", "encoding", "utf8_case"),
    [
        ("encoding-gbk", "gbk", "valid-2024"),
        ("encoding-gb18030-2020", "gb18030", "valid-2020"),
        ("encoding-utf8-bom", "utf-8-sig", "valid-2024"),
        ("encoding-utf16-bom", "utf-16", "valid-2024"),
        ("encoding-utf16-be-bom", "utf-16", "valid-2024"),
        ("encoding-gbk-with-error", "gbk", "count-negative"),
        ("encoding-utf16-with-error", "utf-16", "count-negative"),
    ],
)
def test_encoding_gives_the_utf8_result(case: str, encoding: str, utf8_case: str) -> None:
    """A file saved as GBK, GB18030 or UTF-16 reads like its UTF-8 original: same messages, same lines."""
    data = (DATA / case / "data.yaml").read_bytes()
    assert not data.startswith("机关名称".encode()) and data != (DATA / utf8_case / "data.yaml").read_bytes()
    assert data.decode(encoding) == (DATA / utf8_case / "data.yaml").read_text(encoding="utf-8")
    assert _expected(case) == _expected(utf8_case)


@pytest.mark.parametrize(
    ("case", "literal"),
    [
        (
            "template-syntax-in-text",
            "本年度收到意见{{ 7*7 }}条，<w:t>标签</w:t>与{% for x in y %}循环{% endfor %}均按原文保留。",
        ),
        ("template-syntax-in-name", "{{ 7*7 }}<w:t>测试局</w:t>{% for %}"),
    ],
)
def test_template_syntax_is_kept_as_text(case: str, literal: str) -> None:
    """Jinja and Word XML in the data are text: kept as written in the report, its text and its Word XML."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    from gaigen.api import reports as api
    from gaigen.render.context import build_context
    from gaigen.render.text import render_text
    from gaigen.render.word import render_docx

    report = api.validate_file(DATA / case / "data.yaml").report
    assert literal in (report.agency, *report.narrative.topics["主动公开"])
    context = build_context(report)
    assert literal in render_text(context)
    document = zipfile.ZipFile(io.BytesIO(render_docx(context))).read("word/document.xml").decode("utf-8")
    assert escape(literal) in document
    evaluated = literal.replace("{{ 7*7 }}", "49")
    assert evaluated not in render_text(context)
    assert escape(evaluated) not in document


def test_python_tag_runs_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A !!python tag is refused before anything could construct it: the command never runs."""
    data = tmp_path / "data.yaml"
    text = (DATA / "yaml-tag-python-object" / "data.yaml").read_text(encoding="utf-8")
    data.write_text(text.replace('["echo hi"]', '["touch pwned"]'), encoding="utf-8")

    code, output = _run_in_process(["validate", "data.yaml"], tmp_path, capsys)

    assert code == 2
    assert "不支持 YAML 标签" in output
    assert not (tmp_path / "pwned").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.yaml"]


@pytest.mark.parametrize("case", ["yaml-tag-python-object"])
def test_bad_input_subprocess(case: str, tmp_path: Path) -> None:
    """Through ``python -m gaigen``: same output, and no traceback (or 'hi' from os.system) anywhere."""
    work = tmp_path / "work"
    args = _prepare(case, work)
    before = _snapshot(work)

    code, output = _run_subprocess(args, work)

    expected_code, expected_output = _expected(case)
    assert "Traceback" not in output
    assert "hi" not in output.split()
    assert output == expected_output
    assert code == expected_code
    assert _snapshot(work) == before
