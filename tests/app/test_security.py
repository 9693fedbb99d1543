"""The app refuses what is not the clerk's own tab (DECISIONS §20): no token, another Host, a path
outside the folder, a cross-site POST, an oversized upload; and it escapes everything typed."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from gaigen.app.server import HOST, bind
from tests.app.running import Client, app_thread

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "county-government-2024.yaml"
NAME = EXAMPLE.name


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(EXAMPLE, work / NAME)
    (tmp_path / "secret.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return work


@pytest.fixture
def client(folder: Path) -> Iterator[Client]:
    with app_thread(folder) as running:
        yield running


def test_opening_url_sets_the_cookie_and_drops_the_token(client: Client) -> None:
    status, _body, headers = client.get(f"/edit?file={NAME}&token={client.token}", auth=False)
    assert status == 303
    assert headers["location"] == f"/edit?file={NAME}"
    cookie = headers["set-cookie"]
    assert cookie.startswith(f"gaigen-{client.port}={client.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, body, headers = client.get("/")
    assert status == 200 and "新建报告" in body.decode("utf-8")
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Cookie": "gaigen-1=wrong"}, {"Cookie": "gaigen-{port}=wrong"}],
    ids=["no-token", "other-port-cookie", "wrong-token"],
)
def test_a_request_without_the_token_is_refused(client: Client, headers: dict[str, str]) -> None:
    sent = {k: v.replace("{port}", str(client.port)) for k, v in headers.items()}
    for path in ("/", f"/edit?file={NAME}", "/static/app.js", f"/download?file={NAME}&format=docx"):
        status, body, _ = client.get(path, headers=sent, auth=False)
        assert status == 403, path
        assert "token" in body.decode("utf-8")
    for guess in ("guess", "%E4%BB%A4%E7%89%8C", "%ff%fe"):  # non-ASCII guesses are refused too, not a crash
        status, _body, _ = client.get(f"/?token={guess}", auth=False)
        assert status == 403
    status, _body, _ = client.get("/", headers={"Cookie": f"gaigen-{client.port}=令牌"}, auth=False)
    assert status == 403


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "localhost", "attacker.test"])
def test_another_host_is_refused(client: Client, host: str) -> None:
    """A rebinding page (its own name pointed at 127.0.0.1) sends its own Host header: refused, token or not."""
    status, body, _ = client.get("/", headers={"Host": host.format(port=client.port)})
    assert status == 400
    assert "地址不符" in body.decode("utf-8")
    status, _body, _ = client.get(f"/?token={client.token}", headers={"Host": host.format(port=client.port)})
    assert status == 400


def test_localhost_by_name_is_served(client: Client) -> None:
    status, _body, _ = client.get("/", headers={"Host": f"localhost:{client.port}"})
    assert status == 200


@pytest.mark.parametrize(
    "name",
    [
        "../secret.yaml",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "..%2Fsecret.yaml",
        "sub/../../secret.yaml",
        "a\\b.yaml",
        "x.py",
    ],
)
def test_a_path_outside_the_folder_is_refused(client: Client, name: str) -> None:
    status, body, _ = client.get(f"/edit?file={name}")
    assert status == 403, name
    assert "不能" in body.decode("utf-8") or "不合规" in body.decode("utf-8")
    status, answer = client.post("/api/save", {"file": name.replace("%2F", "/"), "values": {}})
    assert status == 403
    assert "error" in answer


def test_a_link_leading_out_of_the_folder_is_refused(client: Client, folder: Path) -> None:
    (folder / "link.yaml").symlink_to(folder.parent / "secret.yaml")
    status, _body, _ = client.get("/edit?file=link.yaml")
    assert status == 403
    status, body, _ = client.get("/")
    assert "link.yaml" not in body.decode("utf-8")


def test_an_app_opened_on_one_file_serves_only_that_file(folder: Path) -> None:
    shutil.copy(EXAMPLE, folder / "other.yaml")
    with app_thread(folder / NAME) as client:
        status, _body, headers = client.get("/")
        assert status == 303 and headers["location"] == f"/edit?file={NAME}"
        assert client.get("/edit?file=other.yaml")[0] == 403
        assert client.get(f"/edit?file={NAME}")[0] == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Gaigen-Token": ""},
        {"X-Gaigen-Token": "wrong"},
        {"X-Gaigen-Token": "令牌"},
        {"Origin": "http://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Content-Type": "text/plain"},
    ],
    ids=["no-header", "wrong-header", "non-ascii-header", "other-origin", "cross-site-fetch", "simple-form"],
)
def test_a_cross_site_post_is_refused(client: Client, folder: Path, headers: dict[str, str]) -> None:
    """What a page on another site can send (the browser adds the cookie) changes nothing."""
    before = (folder / NAME).read_bytes()
    status, _answer = client.post("/api/save", {"file": NAME, "values": {"f0": "被改了"}}, headers=headers)
    assert status == 403
    status, _answer = client.post("/api/draft", {"file": NAME, "values": {"f0": "被改了"}}, headers=headers)
    assert status == 403
    assert (folder / NAME).read_bytes() == before
    assert not list(folder.glob("*.gaigen-draft"))


def test_a_same_origin_post_is_accepted(client: Client, folder: Path) -> None:
    status, answer = client.post(
        "/api/draft", {"file": NAME, "values": {"f0": "某某县人民政府"}}, headers={"Origin": f"http://{client.host}"}
    )
    assert status == 200 and answer["time"]
    assert (folder / f"{NAME}.gaigen-draft").is_file()


def test_an_oversized_upload_is_refused(client: Client, folder: Path) -> None:
    blob = b"x" * (12 * 1024 * 1024 + 1)
    headers = {"Content-Type": "application/octet-stream", "X-Gaigen-Token": client.token}
    status, body, _ = client.request("POST", "/api/upload?name=big.docx", blob, headers)
    assert status == 413
    assert "MB" in body.decode("utf-8")


def test_an_upload_of_another_kind_is_refused(client: Client) -> None:
    headers = {"Content-Type": "application/octet-stream", "X-Gaigen-Token": client.token}
    status, body, _ = client.request("POST", "/api/upload?name=run.sh", b"#!/bin/sh", headers)
    assert status == 422
    assert ".docx" in json.loads(body)["error"]


def test_typed_text_is_escaped_everywhere(client: Client, folder: Path) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> {{ 7*7 }}'
    status, answer = client.post("/api/draft", {"file": NAME, "values": {"f0": hostile, "f190": hostile}})
    assert status == 200
    status, body, _ = client.get(f"/edit?file={NAME}")  # the draft is restored into the page
    page = body.decode("utf-8")
    assert status == 200
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    status, answer = client.post("/api/check", {"file": NAME, "values": {"f190": hostile}})
    assert any("<script>" in p["text"] for p in answer["problems"])  # JSON data; the page sets it as text only


def test_the_server_listens_on_loopback_only() -> None:
    sock = bind()
    try:
        address, port = sock.getsockname()
        assert address == HOST == "127.0.0.1"
        assert port > 0
        outside = socket.gethostbyname(socket.gethostname())
        if outside != "127.0.0.1":
            probe = socket.socket()
            probe.settimeout(2)
            assert probe.connect_ex((outside, port)) != 0
            probe.close()
    finally:
        sock.close()
