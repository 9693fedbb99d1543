"""``gaigen aggregate`` and ``validate --parts``: the county's tables are the cell-wise sum of its departments'."""

from __future__ import annotations

import random
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaigen.api.aggregate import aggregate_files
from gaigen.api.reports import validate_file
from gaigen.cli.commands import main
from gaigen.core.totals import completed
from gaigen.spec import layout
from gaigen.spec.datafile import PLACEHOLDER
from gaigen.spec.layout import Edition, Kind
from tests.builders import fill_consistent, get_cell, set_cell, starter, write

WRITTEN = "本年度依法做好政府信息公开工作，开展工作考核、社会评议，未发生责任追究。"


def department(folder: Path, edition: Edition, seed: int, agency: str | None = None) -> dict[str, Any]:
    data = starter(edition, agency or f"某某县第{seed}局")
    fill_consistent(data, edition, random.Random(seed), with_totals=seed % 2 == 0)
    write(data, folder / f"{data['机关名称']}.yaml")
    return data


def written(text: str) -> str:
    """The aggregate with its narrative written by the office (placeholders replaced)."""
    return text.replace(PLACEHOLDER, WRITTEN).replace("# 发布日期:", "发布日期:")


def data_cells(edition: Edition) -> list[tuple[str, tuple[str, ...], str]]:
    """Every cell a data file gives (总计 cells and the （七）总计 row are computed)."""
    return [
        (table.key, path, column.label)
        for table in layout.tables(edition)
        for path, row in table.rows()
        if not row.optional
        for column in row.columns
        if column.kind is not Kind.TOTAL and not (table.key == "表二" and path == ("规章",))
    ]


@settings(max_examples=25, deadline=None)
@given(
    edition=st.sampled_from(list(Edition)),
    seeds=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4, unique=True),
)
def test_aggregate_validates_and_is_the_cell_wise_sum(edition: Edition, seeds: list[int]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        parts = folder / "部门"
        parts.mkdir()
        datas = [department(parts, edition, seed, f"某某县第{index}局") for index, seed in enumerate(seeds)]
        result = aggregate_files([parts], "某某县人民政府")
        county = folder / "county.yaml"
        county.write_text(written(result.text), encoding="utf-8")
        validation = validate_file(county)
        assert validation.errors == []
        assert result.text.count(f"# 本表由 {len(seeds)} 份数据文件逐格相加得出") == 3
        report = validation.report
        assert (report.agency, report.level, report.year) == ("某某县人民政府", "政府", datas[0]["年度"])
        # Every cell the files give, summed from the data as written (money exactly).
        for table, row, column in data_cells(edition):
            total = sum((get_cell(d, table, row, column) for d in datas), start=0)
            assert report.cell(table, row, column) == total, (table, row, column)
        # And every cell, 总计 included, equals the sum of the parts' completed tables.
        summed: dict[Any, Any] = {}
        for path in sorted(parts.iterdir()):
            for key, value in completed(validate_file(path).report).items():
                summed[key] = summed.get(key, 0) + value
        assert completed(report) == summed
        if edition is Edition.E2021:
            fees = [d["六、其他需要报告的事项"]["信息处理费"] for d in datas]
            assert report.narrative.fee_notices == sum(f["发出收费通知件数"] for f in fees)
            assert report.narrative.fee_billed == sum(Decimal(f["收费通知总金额（元）"]) for f in fees)


def test_money_is_summed_exactly(tmp_path: Path) -> None:
    for index, amount in enumerate(("0.1", "0.2", "12.345678")):
        data = starter(Edition.E2021, f"某某县第{index}局")
        fill_consistent(data, Edition.E2021, random.Random(index), with_totals=False)
        set_cell(data, "表二", ("行政事业性收费",), "本年收费金额（单位：万元）", Decimal(amount))
        write(data, tmp_path / f"{index}.yaml")
    text = aggregate_files([tmp_path], "某某县人民政府").text
    assert "  行政事业性收费: {本年收费金额（单位：万元）: 12.645678}\n" in text  # not 12.645678000000001


def test_signed_change_is_summed_as_signed(tmp_path: Path) -> None:
    for index, change in enumerate((-5, 3)):
        data = starter(Edition.E2019, f"某某县第{index}局")
        fill_consistent(data, Edition.E2019, random.Random(index), with_totals=False)
        set_cell(data, "表二", ("行政许可",), "上一年项目数量", 10)
        set_cell(data, "表二", ("行政许可",), "本年增/减", change)
        write(data, tmp_path / f"{index}.yaml")
    text = aggregate_files([tmp_path], "某某县人民政府").text
    assert "上一年项目数量: 20, 本年增/减: -2," in text


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three 2024 departments in 部门/, the current folder being ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    Path("部门").mkdir()
    for seed in range(3):
        department(Path("部门"), Edition.E2021, seed)
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_aggregate_command_writes_the_county_file(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["aggregate", "部门", "--agency", "某某县人民政府", "-o", "部门/county.yaml"], capsys)
    assert (code, err) == (0, "")
    assert out == (
        "已生成 部门/county.yaml（2024 年度，由 3 份数据文件的表二、表三、表四逐格相加）。\n"
        "下一步：填写文字部分（一、五、六），然后运行 gaigen validate 部门/county.yaml\n"
    )
    # Until the narrative is written, N-1 refuses it, as for any ``init`` file.
    assert {p.rule for p in validate_file(Path("部门/county.yaml")).errors} == {"N-1"}
    # Untouched, gaigen's own output is replaced silently; once a clerk has written in it, it is kept.
    assert run(["aggregate", "部门", "--agency", "某某县人民政府", "-o", "部门/county.yaml"], capsys)[:2] == (0, out)
    with Path("部门/county.yaml").open("a", encoding="utf-8") as county_file:
        county_file.write("# 县政府办已开始填写\n")
    code, _out, err = run(["aggregate", "部门", "--agency", "某某县人民政府", "-o", "部门/county.yaml"], capsys)
    assert (code, err) == (
        2,
        "部门/county.yaml：文件已存在，且不是 gaigen 写出后原样未动的文件（可能已填写或修改过），为免覆盖，没有写入。请换一个文件名或输出位置，或加 --force 覆盖。\n",
    )
    # The output inside the input folder is not summed into itself on a second run.
    code, _out, err = run(
        ["aggregate", "部门", "--agency", "某某县人民政府", "-o", "部门/county.yaml", "--force"], capsys
    )
    assert (code, err) == (0, "")


def test_aggregate_refuses_mixed_years(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    department(Path("部门"), Edition.E2019, 7)
    code, out, err = run(["aggregate", "部门", "--agency", "某某县人民政府"], capsys)
    assert (code, out) == (2, "")
    assert err == (
        "这些数据文件的年度不同：2020 年度 1 份（部门/某某县第7局.yaml）；2024 年度 3 份（部门/某某县第0局.yaml、"
        "部门/某某县第1局.yaml、部门/某某县第2局.yaml）。汇总只能用同一年度的报告，请只给出一个年度的文件。\n"
    )


def test_mixed_years_are_said_before_the_rule_errors(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last_year = department(Path("部门"), Edition.E2019, 7)
    last_year["表三"]["四、结转下年度继续办理"]["自然人"] += 1  # a rule error in the file of the wrong year
    write(last_year, Path("部门") / f"{last_year['机关名称']}.yaml")
    code, _out, err = run(["aggregate", "部门", "--agency", "某某县人民政府"], capsys)
    assert code == 2
    assert err.startswith("这些数据文件的年度不同：2020 年度 1 份（部门/某某县第7局.yaml）"), err


def test_aggregate_refuses_duplicate_agencies(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("部门/copy.yaml").write_bytes(Path("部门/某某县第1局.yaml").read_bytes())
    code, _out, err = run(["aggregate", "部门", "--agency", "某某县人民政府"], capsys)
    assert (code, err) == (
        2,
        "机关名称“某某县第1局”出现在 部门/copy.yaml、部门/某某县第1局.yaml 中。同一机关只能计入一次，请删除多余的文件或改正机关名称。\n",
    )


def test_aggregate_refuses_files_with_rule_errors(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = Path("部门/某某县第1局.yaml")
    path.write_text(
        path.read_text(encoding="utf-8").replace("行政复议:\n", "行政复议:\n    总计: 999\n", 1), encoding="utf-8"
    )
    first = next(p for p in validate_file(path).errors)
    code, _out, err = run(["aggregate", "部门", "--agency", "某某县人民政府"], capsys)
    assert code == 1
    assert err.splitlines()[-1] == "有 1 个数据文件存在错误，没有汇总。请先改正（gaigen validate 文件），再汇总。"
    assert err.startswith("部门/某某县第1局.yaml：1 个错误，第一个是：部门/某某县第1局.yaml 第 ")
    assert "（T4-1）" in err and first.rule == "T4-1"


def test_aggregate_refuses_unreadable_files_and_itself(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("部门/坏.yaml").write_text("年度: [\n", encoding="utf-8")
    code, _out, err = run(["aggregate", "部门", "--agency", "某某县人民政府"], capsys)
    assert code == 2 and err.endswith("有 1 个数据文件无法读取，没有汇总。\n")
    Path("部门/坏.yaml").unlink()
    code, _out, err = run(["aggregate", "部门", "--agency", "某某县第2局"], capsys)
    assert (code, err) == (
        2,
        "部门/某某县第2局.yaml 的机关名称就是“某某县第2局”，不能把汇总报告自己计入汇总。请把它移出部门数据文件夹后重新运行。\n",
    )


def test_validate_parts_lists_every_changed_cell(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["aggregate", "部门", "--agency", "某某县人民政府", "-o", "county.yaml"], capsys)[0] == 0
    text = written(Path("county.yaml").read_text(encoding="utf-8"))
    Path("county.yaml").write_text(text, encoding="utf-8")
    code, out, _err = run(["validate", "county.yaml", "--parts", "部门"], capsys)
    assert (code, out) == (0, "county.yaml：检查通过，可以生成报告。\n")

    # The clerk adds one request by hand, in 新收 and in 予以公开 (so that 表三 still adds up).
    lines = text.splitlines()
    changed = []
    for label in ("一、本年新收政府信息公开申请数量", "（一）予以公开"):
        number = next(i for i, line in enumerate(lines) if line.strip().startswith(label + ":"))
        before = int(lines[number].split("自然人: ")[1].split(",")[0])
        lines[number] = lines[number].replace(f"自然人: {before},", f"自然人: {before + 1},", 1)
        changed.append((number + 1, label, before))
    Path("county.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _err = run(["validate", "county.yaml", "--parts", "部门"], capsys)
    assert code == 0
    assert (
        out
        == "".join(
            f"提示：county.yaml 第 {line} 行：表三“{label}”行“自然人”列为 {before + 1}，但 3 份部门数据文件该格之和为 {before}（A-1）。"
            "请核对该格；如应与各部门一致，可用 gaigen aggregate 由部门数据文件重新汇总。\n"
            for line, label, before in changed
        )
        + "county.yaml：没有错误，2 个提示，可以生成报告。\n"
    )


def test_validate_parts_of_another_year_is_refused(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("2020").mkdir()
    department(Path("2020"), Edition.E2019, 5)
    code, out, _err = run(["validate", "部门/某某县第0局.yaml", "--parts", "2020"], capsys)
    assert (code, out) == (
        2,
        "部门/某某县第0局.yaml：本报告是 2024 年度，而 --parts 给出的部门数据文件是 2020 年度，无法对照。\n",
    )
