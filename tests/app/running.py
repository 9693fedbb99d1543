"""A gaigen app server for tests: in a thread of the test process, or as a real ``gaigen app`` process."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaigen.app.server import prepare

URL = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+)")


@dataclass
class Client:
    """Plain HTTP with full control of every header (the browser's cookie, Host, Origin)."""

    url: str

    @property
    def port(self) -> int:
        return int(URL.search(self.url).group(1))  # type: ignore[union-attr]

    @property
    def token(self) -> str:
        return URL.search(self.url).group(2)  # type: ignore[union-attr]

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def cookie(self) -> dict[str, str]:
        return {"Cookie": f"gaigen-{self.port}={self.token}"}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> tuple[int, bytes, dict[str, str]]:
        sent = {"Host": self.host, **(self.cookie() if auth else {}), **(headers or {})}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                connection.putheader(name, value.encode("utf-8") if isinstance(value, str) else value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()

    def get(self, path: str, **kwargs: Any) -> tuple[int, bytes, dict[str, str]]:
        return self.request("GET", path, **kwargs)

    def post(
        self, path: str, payload: Any, headers: dict[str, str] | None = None, auth: bool = True
    ) -> tuple[int, Any]:
        sent = {"Content-Type": "application/json", "X-Gaigen-Token": self.token, **(headers or {})}
        status, body, _ = self.request("POST", path, json.dumps(payload).encode("utf-8"), sent, auth)
        try:
            return status, json.loads(body)
        except ValueError:
            return status, body.decode("utf-8", "replace")


@contextmanager
def app_thread(target: Path) -> Iterator[Client]:
    """Run the app on ``target`` in a thread of this process; stop it afterwards."""
    prepared = prepare(target)
    thread = threading.Thread(target=prepared.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not prepared.server.started:
        assert time.monotonic() < deadline, "the app did not start"
        time.sleep(0.02)
    try:
        yield Client(prepared.url)
    finally:
        prepared.server.should_exit = True
        thread.join(20)


@contextmanager
def app_process(target: Path, *extra: str) -> Iterator[tuple[Client, subprocess.Popen[str]]]:
    """Run ``gaigen app --no-browser target`` as its own process; yield its client once it listens."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from gaigen.cli import run; run()", "app", "--no-browser", str(target), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = URL.search(line)
        errors = process.stderr.read() if process.stderr is not None and process.poll() is not None else ""
        assert found, f"no URL in {line!r}; stderr: {errors}"
        yield Client(found.group(0)), process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
