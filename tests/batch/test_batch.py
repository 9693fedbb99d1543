"""``gaigen batch``: a county's files in parallel, every bad one reported, the summary read back.

One batch of ~50 generated files holds a few broken ones of each kind: rule errors, broken YAML,
a missing file given explicitly, two files of the same agency and year, two agencies whose file
names would collide, a file whose worker hangs and one whose worker dies (a replaced
``process_file`` decides by file name, in the worker). Interrupting a running batch is tested
on a real ``python -m gaigen batch`` process.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gaigen import batch
from gaigen.api import reports as api
from gaigen.batch.pool import forking
from gaigen.batch.results import COLUMNS, FIGURES, Status
from gaigen.batch.worker import Job, WorkerState, warm
from gaigen.batch.worker import process_file as real_process_file
from gaigen.cli.commands import main
from gaigen.core.names import report_stem
from gaigen.core.problems import message
from gaigen.files.inputs import collect_inputs
from gaigen.review.record import RECORD_NAME
from gaigen.spec.layout import Edition
from tests.builders import fill_consistent, set_cell, starter, write
from tests.county import narrative, set_narrative

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 4  # seconds; generous, so that no real file on a busy machine passes it


def hang_or_crash(job: Job, state: WorkerState) -> Any:
    """Stand-in for ``process_file`` in the workers: hang or die on files so named."""
    if "hang" in job.path.name:
        time.sleep(600)
    if "crash" in job.path.name:
        os._exit(7)
    return real_process_file(job, state)


def make(
    folder: Path, name: str, seed: int, agency: str | None = None, edition: Edition | None = None
) -> dict[str, Any]:
    """Write a valid data file (random consistent tables) and return its data."""
    chosen = edition or (Edition.E2019, Edition.E2021)[seed % 2]
    data = starter(chosen, agency or f"某某县第{seed}局")
    fill_consistent(data, chosen, random.Random(seed), with_totals=seed % 3 == 0)
    set_narrative(data, narrative(random.Random(seed)))  # each agency writes its own
    folder.mkdir(parents=True, exist_ok=True)
    write(data, folder / name)
    return data


def row_sum(data: dict[str, Any], table: str, *path: str) -> int:
    node = data[table]
    for part in path:
        node = node[part]
    return sum(v for k, v in node.items() if k != "总计")


def figures(data: dict[str, Any]) -> list[int]:
    """The summary's key figures, computed from the data as written (DECISIONS §14)."""
    return [
        row_sum(data, "表三", "一、本年新收政府信息公开申请数量"),
        row_sum(data, "表三", "三、本年度办理结果", "（一）予以公开"),
        row_sum(data, "表三", "四、结转下年度继续办理"),
        row_sum(data, "表四", "行政复议"),
        row_sum(data, "表四", "行政诉讼", "未经复议直接起诉") + row_sum(data, "表四", "行政诉讼", "复议后起诉"),
    ]


@pytest.fixture
def county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A county folder of 50 inputs (and a missing one), with what each should become."""
    monkeypatch.chdir(tmp_path)
    folder = Path("县")
    expected: dict[str, dict[str, Any]] = {}
    for seed in range(40):
        sub = folder / ("乡镇" if seed % 5 == 0 else "")  # some in a subfolder
        name = f"dept{seed:02d}.yaml" if seed != 7 else "dept07.yml"
        data = make(sub, name, seed)
        expected[str(sub / name)] = {"data": data, "status": Status.RENDERED}
    warned = make(folder, "warned.yaml", 40, edition=Edition.E2021)
    set_cell(warned, "表二", ("规章",), "本年制发件数", 2)  # T2-6: only a city government makes 规章
    write(warned, folder / "warned.yaml")
    expected["县/warned.yaml"] = {"data": warned, "status": Status.WARNINGS}
    for seed, name in ((41, "errors-a.yaml"), (42, "errors-b.yaml")):
        data = make(folder, name, seed)
        set_cell(data, "表三", ("三、本年度办理结果", "（一）予以公开"), "自然人", 999)  # T3-1, T3-2 …
        write(data, folder / name)
        expected[f"县/{name}"] = {"data": data, "status": Status.REFUSED}
    (folder / "broken.yaml").write_text("机关名称: [某某县\n年度: 2024\n", encoding="utf-8")
    expected["县/broken.yaml"] = {"status": Status.UNREADABLE}
    for name in ("twin-1.yaml", "twin-2.yaml"):
        expected[f"县/{name}"] = {"data": make(folder, name, 43, agency="某某县双胞局"), "status": Status.CONFLICT}
    for seed, agency in ((44, "某某县A/B局"), (45, "某某县A_B局")):  # both become 2020年某某县A_B局….docx
        name = f"slash-{seed}.yaml"
        data = make(folder, name, seed, agency=agency, edition=Edition.E2021)
        expected[f"县/{name}"] = {"data": data, "status": Status.CONFLICT}
    for seed, name in ((46, "hang.yaml"), (47, "crash.yaml")):
        expected[f"县/{name}"] = {"data": make(folder, name, seed), "status": Status.CRASHED}
    (folder / ".draft.yaml").write_text("不是数据", encoding="utf-8")  # hidden: left out
    (folder / "说明.txt").write_text("不是数据", encoding="utf-8")  # not a data file: left out
    expected["missing.yaml"] = {"status": Status.UNREADABLE}
    monkeypatch.setattr("gaigen.batch.run.process_file", hang_or_crash)
    return expected


def test_batch_of_fifty_reports_every_file(county: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    code = main(["batch", "县", "missing.yaml", "-o", "out", "--jobs", "2", "--timeout", str(TIMEOUT)])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    assert time.monotonic() - started < 30  # the hung worker was ended after its time limit

    rows = list(openpyxl.load_workbook("out/汇总.xlsx")["汇总"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    by_file = {row[0]: row for row in rows[1:]}
    assert list(by_file) == sorted(by_file, key=lambda n: (n == "missing.yaml", Path(n).parts))
    assert set(by_file) == set(county) and len(county) == 51

    rendered = 0
    for name, want in county.items():
        row = dict(zip(COLUMNS, by_file[name], strict=True))
        assert row["状态"] == want["status"].value, name
        data = want.get("data")
        if data is not None and want["status"] is not Status.CRASHED:
            assert (row["机关名称"], row["年度"], row["版式"]) == (data["机关名称"], data["年度"], str(data["版式"]))
            if want["status"].rendered:
                assert [row[f] for f in FIGURES] == figures(data), name
        if not want["status"].rendered:  # not generated: no key figures, not zeros
            assert [row[f] for f in FIGURES] == [None] * len(FIGURES), name
        first = _first_problem(name, want["status"], county)
        assert (row["第一个问题"] or "") == first, name
        if want["status"].rendered:
            rendered += 1
            stem = report_stem(data["年度"], data["机关名称"])
            assert row["输出文件"] == f"{stem}.docx\n{stem}.txt"
            assert zipfile.ZipFile(Path("out") / f"{stem}.docx").testzip() is None
            assert f"{want['status'].value}：{name}\n" in out
        else:
            assert row["输出文件"] is None
            assert f"{want['status'].value}：{first}\n" in out
        if want["status"] is Status.REFUSED:
            errors = api.validate_file(Path(name)).errors
            assert (row["错误数"], row["提示数"]) == (len(errors), 0)
    assert rendered == 41
    # Every rendered report, the two summary files, and nothing else: no temp or staging files.
    assert sorted(os.listdir("out")) == sorted(
        [
            f"{report_stem(w['data']['年度'], w['data']['机关名称'])}.{s}"
            for w in county.values()
            if w["status"].rendered
            for s in ("docx", "txt")
        ]
        + ["汇总.xlsx", "汇总.csv", "汇总.html", "数据明细.csv", "数据明细.json", "审核记录.sqlite", "退回意见"]
    )
    assert (
        "共 51 个文件：已生成 40，已生成（有提示） 1，有错误未生成 2，无法读取 2，超时或崩溃 2，重复未生成 4。\n" in out
    )
    assert "汇总表：out/汇总.xlsx、out/汇总.csv、out/汇总.html、out/数据明细.csv、out/数据明细.json\n" in out

    with open("out/汇总.csv", encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table == [["" if v is None else str(v) for v in row] for row in rows]
    assert Path("out/汇总.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8


def _first_problem(name: str, status: Status, county: dict[str, Any]) -> str:
    """The exact Chinese message the summary must show for ``name``."""
    if name == "missing.yaml":
        return "missing.yaml：找不到这个文件。请检查文件名和所在文件夹。"
    if name == "县/broken.yaml":
        return "县/broken.yaml 第 1 行第 7 列：YAML 格式错误（方括号或花括号没有闭合）。请检查该行及上一行的缩进、冒号和引号。"
    if name == "县/hang.yaml":
        return (
            f"县/hang.yaml：处理超过 {TIMEOUT} 秒仍未完成，已停止处理该文件（其他文件不受影响）。"
            "请用 gaigen render 单独处理该文件查看原因，或用 --timeout 放宽时限。"
        )
    if name == "县/crash.yaml":
        return "县/crash.yaml：处理该文件时工作进程意外退出（退出码 7），已跳过该文件（其他文件不受影响）。请用 gaigen render 单独处理该文件查看原因。"
    if name.startswith("县/twin-"):
        other = "县/twin-2.yaml" if name.endswith("1.yaml") else "县/twin-1.yaml"
        year = county[name]["data"]["年度"]
        return (
            f"{name}：机关名称（某某县双胞局）和年度（{year}）与 {other} 相同，为免互相覆盖，这 2 份都没有生成。"
            "请核对机关名称和年度，删除或改正多余的一份后重新运行。"
        )
    if name.startswith("县/slash-"):
        other = "县/slash-45.yaml" if "44" in name else "县/slash-44.yaml"
        return (
            f"{name}：生成的报告文件名与 {other} 相同，为免互相覆盖，这 2 份都没有生成。"
            "请核对机关名称和年度，删除或改正多余的一份后重新运行。"
        )
    validation = api.validate_file(Path(name))
    problems = validation.errors or validation.warnings
    return message(problems[0]) if problems else ""


def test_nothing_usable_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("空").mkdir()
    assert main(["batch", "空", "-o", "out"]) == 2
    assert capsys.readouterr().err == (
        "没有找到数据文件（.yaml、.yml、.json 或 .xlsx）。空：文件夹中没有 .yaml、.yml、.json 数据文件或 .xlsx 工作簿。请检查给出的文件、文件夹或通配符。\n"
    )
    assert main(["batch", "a.yaml", "b.yaml", "-o", "out"]) == 2  # every file unreadable
    out = capsys.readouterr().out
    assert "无法读取：a.yaml：找不到这个文件。请检查文件名和所在文件夹。\n" in out
    assert main(["batch", "a.yaml", "-o", "out", "--jobs", "0"]) == 2
    assert capsys.readouterr().err == "--jobs 应为不小于 1 的整数。\n"
    assert main(["batch", "a.yaml", "-o", "out", "--format", "doc"]) == 2


def test_previous_dir_pairs_agencies_and_lists_the_unpaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    now, before = Path("2024"), Path("2023")
    for seed, agency in ((1, "甲局"), (3, "乙局"), (5, "新设局")):
        make(now, f"{agency}.yaml", seed, agency=agency, edition=Edition.E2021)
    for seed, agency in ((11, "甲局"), (13, "乙局"), (15, "撤销局")):
        data = make(before, f"{agency}.yaml", seed, agency=agency, edition=Edition.E2021)
        data["年度"] = 2023
        write(data, before / f"{agency}.yaml")
    (before / "坏.yaml").write_text("年度: [\n", encoding="utf-8")
    assert main(["batch", "2024", "-o", "out", "--previous-dir", "2023"]) == 0
    out = capsys.readouterr().out
    assert "本年有、上年没有报告的机关（1 个）：新设局（2024 年度）。\n" in out
    assert "上年有、本年没有报告的机关（1 个）：撤销局（2023 年度）。\n" in out
    assert "上年文件 2023/坏.yaml 第 2 行第 1 列：YAML 格式错误" in out
    rows = list(openpyxl.load_workbook("out/汇总.xlsx")["汇总"].iter_rows(values_only=True))
    assert rows[0] == (*COLUMNS, "上年文件")
    paired = {row[1]: row for row in rows[1:]}
    assert paired["甲局"][-1] == "2023/甲局.yaml" and paired["新设局"][-1] is None
    # Random numbers do not roll over from last year: the cross-year checks found that.
    assert paired["甲局"][4] == "已生成（有提示）" and "上年报告（2023/甲局.yaml 第 " in paired["甲局"][7]
    assert paired["新设局"][4] == "已生成"


def test_collect_inputs_files_folders_globs(tmp_path: Path) -> None:
    for name in ("b/2.yaml", "b/1.json", "b/c/3.YML", "b/.hidden/4.yaml", "b/x.txt", "a.yaml", "prev/p.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, notes = collect_inputs(
        [tmp_path / "b", str(tmp_path / "*.yaml"), tmp_path / "a.yaml", tmp_path / "none.yaml", str(tmp_path / "z*")],
        exclude=[tmp_path / "prev"],
    )
    shown = [str(p.relative_to(tmp_path)) for p in files]
    assert shown == ["b/1.json", "b/2.yaml", "b/c/3.YML", "a.yaml", "none.yaml"]
    assert notes == [f"{tmp_path / 'z*'}：没有匹配的数据文件。"]
    files, _ = collect_inputs([tmp_path], exclude=[tmp_path / "prev"])
    assert "prev/p.yaml" not in [str(p.relative_to(tmp_path)) for p in files]


# --- interrupting a real run --------------------------------------------------------------------------


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupt_keeps_finished_reports_and_leaves_no_partial_file(tmp_path: Path, signum: int, code: int) -> None:
    source = tmp_path / "县"
    make(source, "template.yaml", 1, agency="某某县模板局", edition=Edition.E2021)
    text = (source / "template.yaml").read_text(encoding="utf-8")
    (source / "template.yaml").unlink()
    for index in range(150):
        (source / f"{index:03d}.yaml").write_text(text.replace("某某县模板局", f"某某县第{index}局"), encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "gaigen", "batch", str(source), "-o", str(out), "--jobs", "1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None
    lines = []
    while len(lines) < 6:  # the first reports are done
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else ""
        lines.append(line)
    process.send_signal(signum)
    rest, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    output = "".join(lines) + rest
    name = signal.Signals(signum).name
    assert f"已中断（{name}）：" in output and "个文件未处理，见状态为“未处理”的行；已完成的报告已保留。\n" in output
    rows = list(openpyxl.load_workbook(out / "汇总.xlsx")["汇总"].iter_rows(values_only=True))[1:]
    # 150 copies of one file: each is 100 % the same as the others, so each has a warning.
    done = [row for row in rows if row[4] == "已生成（有提示）"]
    assert len(rows) == 150 and 5 <= len(done) < 150
    assert {row[4] for row in rows} == {"已生成（有提示）", "未处理"}
    names = sorted(os.listdir(out))
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")]  # no staging, no temp file
    summaries = ["审核记录.sqlite", "数据明细.csv", "数据明细.json", "汇总.csv", "汇总.html", "汇总.xlsx", "退回意见"]
    assert sorted(set(names) - {n for n in names if n.endswith((".docx", ".txt"))}) == sorted(summaries)
    assert len(names) == 2 * len(done) + len(summaries)
    for row in done:
        for output_name in row[8].split("\n"):
            target = out / output_name
            assert target.stat().st_size > 0
            if target.suffix == ".docx":
                assert zipfile.ZipFile(target).testzip() is None


# --- durability (DECISIONS §19) ------------------------------------------------------------------------


def test_a_worker_writes_without_a_sync_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "a.yaml", 1)
    warm(("docx", "txt"))  # as the batch's parent does: the template cache is written (and synced) before

    def no_sync(fd: int) -> None:
        raise AssertionError("a file synced on its own")

    monkeypatch.setattr(os, "fsync", no_sync)
    stage = tmp_path / "stage"
    state = WorkerState(10)
    try:
        result = real_process_file(Job(0, tmp_path / "a.yaml", "a.yaml", ("docx", "txt"), stage), state)
    finally:
        state.close()
    assert result.status is Status.RENDERED
    assert [path.parent for path in result.outputs] == [stage / f"worker-{os.getpid()}"] * 2
    assert zipfile.ZipFile(result.outputs[0]).testzip() is None


def test_the_output_folder_is_synced_once_with_every_report_in_place_before_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for seed in range(4):
        make(tmp_path / "in", f"{seed}.yaml", seed)
    out = tmp_path / "out"
    synced: list[tuple[Path, list[str], list[str]]] = []

    def record(folder: Path, files: Any) -> None:
        synced.append((folder, sorted(os.listdir(folder)), sorted(p.name for p in files)))

    monkeypatch.setattr("gaigen.batch.run.sync_folder", record)
    result = batch.run_batch([tmp_path / "in"], out, jobs=2)
    reports = sorted(p.name for f in result.files for p in f.outputs)
    assert len(reports) == 8
    [(folder, listed, files)] = synced
    assert folder == out and files == reports
    # No summary yet; the review record may be there (the reports are synced while letters are written).
    assert [n for n in listed if not n.startswith(".gaigen-batch-") and n != RECORD_NAME] == reports
    assert {*reports, "汇总.csv", "汇总.xlsx"} <= set(os.listdir(out))  # and the county review's files


def test_with_another_thread_running_the_workers_come_from_a_fork_server(tmp_path: Path) -> None:
    for seed in range(3):
        make(tmp_path / "in", f"{seed}.yaml", seed)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not forking()  # fork would copy the other thread's locks in whatever state
        result = batch.run_batch([tmp_path / "in"], tmp_path / "out", jobs=2)
    finally:
        release.set()
        other.join()
    assert [f.status for f in result.files] == [Status.RENDERED] * 3
    assert forking() is sys.platform.startswith("linux")


def test_cli_default_timeout_is_the_batch_default() -> None:
    from gaigen.cli import base as cli

    assert cli.BATCH_TIMEOUT == batch.DEFAULT_TIMEOUT


def test_a_folder_of_workbooks_is_rendered(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gaigen.api.convert import convert_file

    folder = tmp_path / "in"
    folder.mkdir()
    example = Path(__file__).resolve().parents[2] / "examples" / "county-bureau-2020.yaml"
    convert_file(example, folder / "县自然资源局.xlsx")
    (folder / "~$县自然资源局.xlsx").write_bytes(b"lock")  # Excel's lock file is not a data file
    out = tmp_path / "out"
    assert main(["batch", str(folder), "-o", str(out), "--jobs", "1"]) == 0
    assert sorted(p.suffix for p in out.iterdir() if not p.name.startswith(("汇总", "数据明细", "审核记录"))) == [
        ".docx",
        ".txt",
    ]
