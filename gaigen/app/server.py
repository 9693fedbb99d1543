"""Start the app: a free port on 127.0.0.1, a new token, uvicorn, and the browser on the opening URL."""

from __future__ import annotations

import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaigen.app.security import new_token
from gaigen.app.workspace import Workspace
from gaigen.core.errors import InputError

HOST = "127.0.0.1"  # never another interface: the app has no login beyond the token


@dataclass
class Prepared:
    """A server ready to run: its uvicorn server, its listening socket, its opening URL (with the token)."""

    server: Any  # uvicorn.Server
    sock: socket.socket
    url: str

    def run(self) -> None:
        try:
            self.server.run(sockets=[self.sock])
        finally:
            self.sock.close()


def bind(port: int = 0) -> socket.socket:
    """Return a listening socket on 127.0.0.1 (``port`` 0: a free one the system picks)."""
    # IPPROTO_TCP spelt out: asyncio sets TCP_NODELAY only on sockets that say so, and without it every
    # answer on a kept-alive connection waits ~40 ms for the browser's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise InputError(f"端口 {port} 无法使用（{error.strerror}）。请换一个端口，或不指定端口。") from error
    sock.listen(64)
    return sock


def prepare(target: Path | None = None, port: int = 0) -> Prepared:
    """Return the server for ``target`` (a data file, a workbook, a folder; None: the current folder).

    Raise ``InputError`` when ``target`` does not exist or the port cannot be used.
    """
    import uvicorn

    from gaigen.app.routes import build

    if target is not None and not target.exists():
        raise InputError(f"{target}：找不到这个文件或文件夹。")
    workspace = Workspace.open(target)
    sock = bind(port)
    chosen = sock.getsockname()[1]
    token = new_token()
    config = uvicorn.Config(build(workspace, token, chosen), log_level="warning", access_log=False, lifespan="off")
    return Prepared(uvicorn.Server(config), sock, f"http://{HOST}:{chosen}/?token={token}")


def serve(
    target: Path | None = None,
    open_browser: bool = True,
    port: int = 0,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve the form for ``target`` until stopped (Ctrl+C); ``announce`` receives the opening URL once it listens."""
    prepared = prepare(target, port)
    server = prepared.server

    def when_started() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.02)
        if server.started:
            if announce is not None:
                announce(prepared.url)
            if open_browser:
                webbrowser.open(prepared.url)

    threading.Thread(target=when_started, daemon=True).start()
    prepared.run()
