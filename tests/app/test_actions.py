"""The start page and the folder view over HTTP: new, from last year (data file or published report),
the state of each file, render all (batch), the county's sums (aggregate); and ``gaigen app`` itself."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from gaigen.api.reports import render_file, validate_file
from gaigen.app.form import form_for
from gaigen.spec import layout
from gaigen.spec.layout import Edition
from tests.app.running import Client, app_process, app_thread

ROOT = Path(__file__).resolve().parents[2]
LAST_YEAR = ROOT / "examples" / "seed002-zhangshu-2023.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    work = tmp_path / "2024"
    work.mkdir()
    return work


@pytest.fixture
def client(folder: Path) -> Iterator[Client]:
    with app_thread(folder) as running:
        yield running


def _carried(path: Path) -> object:
    return validate_file(path).report.cell("表三", (layout.CARRIED_OVER,), "自然人")


def test_new_report_from_last_years_data_file(client: Client, folder: Path) -> None:
    shutil.copy(LAST_YEAR, folder / LAST_YEAR.name)
    status, answer = client.post("/api/new", {"year": "2024", "previous": LAST_YEAR.name, "format": "yaml"})
    assert status == 200, answer
    last = validate_file(LAST_YEAR).report
    created = folder / f"2024年{last.agency}.yaml"
    assert answer["url"].startswith("/edit?file=") and created.is_file()
    assert _carried(created) == last.cell("表三", (layout.CARRIED_FORWARD,), "自然人")
    status, body, _ = client.get(answer["url"])
    assert status == 200 and "N-1" in body.decode("utf-8")


def test_new_report_from_last_years_published_report(client: Client, folder: Path, tmp_path: Path) -> None:
    published = render_file(LAST_YEAR, tmp_path, ("html",)).outputs[0]
    headers = {"Content-Type": "application/octet-stream", "X-Gaigen-Token": client.token}
    status, body, _ = client.request("POST", "/api/upload?name=report.html", published.read_bytes(), headers)
    assert status == 200
    upload = __import__("json").loads(body)["id"]
    status, answer = client.post("/api/new", {"year": 2024, "agency": "某某局", "upload": upload, "format": "xlsx"})
    assert status == 200, answer
    created = folder / "2024年某某局.xlsx"
    assert created.is_file() and list(folder.iterdir()) == [created]  # nothing else written in the folder
    assert _carried(created) == validate_file(LAST_YEAR).report.cell("表三", (layout.CARRIED_FORWARD,), "自然人")


def test_new_report_refuses_to_overwrite(client: Client, folder: Path) -> None:
    body = {"year": 2024, "agency": "某某局", "level": "部门"}
    assert client.post("/api/new", body)[0] == 200
    status, answer = client.post("/api/new", body)
    assert status == 422 and "文件已存在" in answer["error"]
    status, answer = client.post("/api/new", {"year": 2024})
    assert (status, answer["error"]) == (422, "请填写机关名称，如：某某县交通运输局。")
    status, answer = client.post("/api/new", {"year": 1990, "agency": "某某局"})
    assert status == 422 and answer["error"].startswith("报告年度为 1990，gaigen 只支持 2019 至")
    shutil.copy(LAST_YEAR, folder / LAST_YEAR.name)  # a 2023 report
    status, answer = client.post("/api/new", {"year": 2025, "previous": LAST_YEAR.name})
    assert (status, answer["error"]) == (
        422,
        "所选的上年报告是 2023 年度的，而新报告是 2025 年度，请选择 2024 年度的报告。",
    )


def test_folder_view_render_all_and_aggregate(client: Client, folder: Path) -> None:
    for example in ("county-government-2024.yaml", "invalid-seed001-jinshui-2020.yaml"):
        shutil.copy(ROOT / "examples" / example, folder / example)
    status, body, _ = client.get("/folder")
    page = body.decode("utf-8")
    assert status == 200 and "county-government-2024.yaml" in page and "有错误" in page
    assert "invalid-seed001-jinshui-2020.yaml 第 " in page and str(folder) + "/invalid" not in page
    status, answer = client.post("/api/batch", {})
    assert status == 200 and answer["folder"] == "报告"
    assert list((folder / "报告").glob("*.docx"))
    assert any("invalid-seed001" in line for line in answer["attention"])
    (folder / "invalid-seed001-jinshui-2020.yaml").unlink()
    shutil.copy(ROOT / "examples" / "county-government-2024.yaml", folder / "dept.yaml")
    text = (
        (folder / "dept.yaml")
        .read_text(encoding="utf-8")
        .replace("机关名称: 某某县人民政府", "机关名称: 某某县交通运输局", 1)
    )
    (folder / "dept.yaml").write_text(text, encoding="utf-8")
    status, answer = client.post("/api/aggregate", {"agency": "某某县汇总政府", "level": "政府"})
    assert status == 200, answer
    summed = validate_file(folder / "2024年某某县汇总政府.yaml").report
    one = validate_file(folder / "dept.yaml").report
    assert summed.cell("表三", (layout.NEW_REQUESTS,), "自然人") == 2 * one.cell(
        "表三", (layout.NEW_REQUESTS,), "自然人"
    )  # type: ignore[operator]


def test_gaigen_app_no_browser_answers_and_stops(tmp_path: Path) -> None:
    shutil.copy(LAST_YEAR, tmp_path / LAST_YEAR.name)
    with app_process(tmp_path / LAST_YEAR.name) as (client, process):
        status, _body, headers = client.get(client.url.split(client.host, 1)[1], auth=False)
        assert status == 303 and "set-cookie" in headers
        status, body, _ = client.get(f"/edit?file={LAST_YEAR.name}")
        assert status == 200 and "表三" in body.decode("utf-8")
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 130  # stopped by Ctrl+C (DECISIONS: exit codes)
        assert process.stdout is not None and "已退出" in process.stdout.read()


def test_gaigen_app_on_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gaigen.cli.commands import main

    assert main(["app", "--no-browser", str(tmp_path / "无.yaml")]) == 2
    assert "找不到这个文件或文件夹" in capsys.readouterr().err


def test_last_years_file_in_the_folder_joins_the_check(client: Client, folder: Path) -> None:
    """Named as init and the app name it ({年度-1}年{机关名称}), last year's file brings the cross-year checks."""
    last = validate_file(LAST_YEAR).report
    shutil.copy(LAST_YEAR, folder / f"2023年{last.agency}.yaml")
    status, answer = client.post("/api/new", {"year": 2024, "previous": f"2023年{last.agency}.yaml"})
    assert status == 200
    name = f"2024年{last.agency}.yaml"
    client.get(f"/edit?file={quote(name)}")
    cell = form_for(Edition.E2021).by_path[("表三", layout.CARRIED_OVER, "自然人")].id
    status, answer = client.post("/api/check", {"file": name, "values": {cell: "999"}})
    assert answer["previous"] == f"2023年{last.agency}.yaml"
    assert any(p["rule"] == "T3-6" and p["field"] == cell for p in answer["problems"])
    (folder / f"2023年{last.agency}.yaml").rename(folder / "上年.yaml")  # another name: not looked for
    status, answer = client.post("/api/check", {"file": name, "values": {cell: "999"}})
    assert answer["previous"] is None and not any(p["rule"] == "T3-6" for p in answer["problems"])
