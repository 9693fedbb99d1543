"""``gaigen render``: outputs named from the data, atomic, deterministic; nothing on errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gaigen.api import reports as api
from gaigen.cli.commands import main
from gaigen.core.errors import OutputError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
VALID = [p for p in EXAMPLES if not p.name.startswith("invalid-")]
INVALID = [p for p in EXAMPLES if p.name.startswith("invalid-")]


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.stem)
def test_every_valid_example_renders_docx_and_txt(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(example), "-o", str(tmp_path)]) == 0
    report = api.validate_file(example).report
    stem = f"{report.year}年{report.agency}政府信息公开工作年度报告"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{stem}.docx", f"{stem}.txt"]
    out = capsys.readouterr().out
    assert f"已生成 {tmp_path / stem}.docx" in out


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_invalid_example_writes_nothing(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / example.name
    shutil.copy(example, copy)
    before = copy.read_bytes()
    assert main(["render", str(copy)]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [example.name]
    assert copy.read_bytes() == before
    out = capsys.readouterr().out
    assert "没有生成报告" in out and "错误：" in out


def test_output_is_byte_identical_on_every_run(tmp_path: Path) -> None:
    example = ROOT / "examples" / "county-government-2024.yaml"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = api.render_file(example, tmp_path / "a")
    second = api.render_file(example, tmp_path / "b")
    assert [p.read_bytes() for p in first.outputs] == [p.read_bytes() for p in second.outputs]


def test_default_folder_is_next_to_the_data_file(tmp_path: Path) -> None:
    example = tmp_path / "data.yaml"
    shutil.copy(ROOT / "examples" / "county-bureau-2020.yaml", example)
    result = api.render_file(example)
    assert all(p.parent == tmp_path for p in result.outputs)


def test_failure_midway_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = ROOT / "examples" / "county-bureau-2020.yaml"

    def broken(context: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr("gaigen.api.reports.render_text", broken)
    with pytest.raises(RuntimeError):
        api.render_file(example, tmp_path)
    assert list(tmp_path.iterdir()) == []  # the docx was rendered but not written: all or nothing


def test_failed_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = ROOT / "examples" / "county-bureau-2020.yaml"

    def fail_replace(source: str, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("gaigen.files.output.os.replace", fail_replace)
    with pytest.raises(OutputError, match="写入失败"):
        api.render_file(example, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_names_are_safe_for_every_file_system(tmp_path: Path) -> None:
    data = (ROOT / "examples" / "county-bureau-2020.yaml").read_text(encoding="utf-8")
    agency = next(line for line in data.splitlines() if line.startswith("机关名称:")).split(":", 1)[1].strip()
    odd = tmp_path / "odd.yaml"
    odd.write_text(
        data.replace(f"机关名称: {agency}", '机关名称: "某某/局: <测试>* ' + "很长" * 80 + '"'), encoding="utf-8"
    )
    result = api.render_file(odd, tmp_path)
    for path in result.outputs:
        assert path.parent == tmp_path
        assert not set('/\\:*?"<>|') & set(path.name)
        assert len(path.name.encode("utf-8")) <= 255


def test_unknown_format_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "examples" / "county-bureau-2020.yaml"
    assert main(["render", str(example), "-o", str(tmp_path), "--format", "docx,odt"]) == 2
    assert "--format 只能是 docx、txt、pdf" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["render", str(INVALID[0])], 1),  # content errors
        (["render", "missing.yaml"], 2),  # unusable input
        (["render", str(VALID[0]), "--format", "docx,odt"], 2),  # bad option
    ],
    ids=["errors", "missing-file", "bad-format"],
)
def test_a_refused_render_creates_no_output_folder(
    args: list[str], code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "新文件夹" / "报告"
    assert main([*args, "-o", str(out)]) == code
    assert not (tmp_path / "新文件夹").exists()


def test_render_creates_the_output_folder_it_writes_into(tmp_path: Path) -> None:
    out = tmp_path / "新文件夹" / "报告"
    assert main(["render", str(VALID[0]), "-o", str(out), "--format", "txt"]) == 0
    assert [p.suffix for p in out.iterdir()] == [".txt"]
