"""The guard in front of every request (DECISIONS §20): host, token, cross-site requests, body size.

- **Host**: only ``127.0.0.1:{port}`` and ``localhost:{port}``; a page on another site that points its
  own name at 127.0.0.1 (DNS rebinding) is refused.
- **Token**: a random token per run, given in the opening URL (as Jupyter does). The first request
  with ``?token=`` gets it as a cookie (HttpOnly, SameSite=Strict, named after the port, since
  cookies do not tell ports apart) and is redirected to the same address without it; every later
  request must carry the cookie.
- **Cross-site requests**: a request that changes anything (every method but GET and HEAD) must
  also carry the token in the ``X-Gaigen-Token`` header, which another site cannot set without a
  CORS preflight that the app never answers, and must not come from another origin
  (``Origin``, ``Sec-Fetch-Site``). GET requests change nothing.
- **Size**: a request body over the limit is refused (413) before it is read whole.
- Every answer forbids framing and sniffing and, unless the route set its own, allows scripts and
  styles only from the app itself (no CDN exists to allow).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http import cookies
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 12 * 1024 * 1024  # a report file to import is at most a few MB; a form post ~20 KB
TOKEN_HEADER = "x-gaigen-token"
SAFE_METHODS = {"GET", "HEAD"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def cookie_name(port: int) -> str:
    return f"gaigen-{port}"


def _same(given: str, token: str) -> bool:
    """Compare in constant time, as bytes: a forged value may hold any character."""
    return secrets.compare_digest(given.encode("utf-8", "surrogatepass"), token.encode("utf-8"))


class Guard:
    """ASGI middleware that refuses every request that is not from this user's own browser tab."""

    def __init__(self, app: ASGIApp, token: str, port: int, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.token = token
        self.port = port
        self.max_body = max_body
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.hosts:
            return await _refuse(send, 400, "地址不符：请用启动时给出的 http://127.0.0.1 地址打开。")
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        method = scope["method"]
        if "token" in query and method in SAFE_METHODS:
            if not _same(query["token"], self.token):
                return await _refuse(send, 403, "令牌不对：请使用启动 gaigen app 时给出的完整地址。")
            return await self._enter(scope, query, send)
        if not _same(self._cookie(headers), self.token):
            return await _refuse(send, 403, "请使用启动 gaigen app 时给出的完整地址（含 token）打开。")
        if method not in SAFE_METHODS:
            why = self._cross_site(headers)
            if why:
                return await _refuse(send, 403, why)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _refuse(send, 413, f"上传的内容超过 {self.max_body // (1024 * 1024)} MB，已拒绝。")
        await self.app(scope, self._limited(receive), _hardened(send))

    def _cookie(self, headers: dict[str, str]) -> str:
        jar: cookies.SimpleCookie = cookies.SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except cookies.CookieError:
            return ""
        morsel = jar.get(cookie_name(self.port))
        return morsel.value if morsel is not None else ""

    def _cross_site(self, headers: dict[str, str]) -> str | None:
        if not _same(headers.get(TOKEN_HEADER, ""), self.token):
            return "请求缺少令牌，已拒绝（可能来自其他网站）。"
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return "请求来自其他网站，已拒绝。"
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return "请求来自其他网站，已拒绝。"
        return None

    async def _enter(self, scope: Scope, query: dict[str, str], send: Send) -> None:
        """Set the cookie and send the browser to the same address without the token."""
        rest = urlencode({k: v for k, v in query.items() if k != "token"})
        location = scope.get("path", "/") + (f"?{rest}" if rest else "")
        cookie = f"{cookie_name(self.port)}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("utf-8")),
                    (b"set-cookie", cookie.encode("latin-1")),
                    (b"cache-control", b"no-store"),
                    (b"referrer-policy", b"no-referrer"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise BodyTooLarge
            return message

        return limited


class BodyTooLarge(Exception):
    """Raised inside a route when a body without Content-Length grows past the limit."""


def _hardened(send: Send) -> Send:
    async def hardened(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            extra = [
                (b"x-frame-options", b"DENY"),
                (b"x-content-type-options", b"nosniff"),
                (b"referrer-policy", b"no-referrer"),
                (b"cache-control", b"no-store"),
                (b"content-security-policy", CSP.encode()),
            ]
            headers += [(k, v) for k, v in extra if k not in names]
            message["headers"] = headers
        await send(message)

    return hardened


async def _refuse(send: Send, status: int, text: str) -> None:
    page = (
        '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>gaigen</title>'
        f"<p>{text}</p></html>"  # fixed Chinese text only, nothing from the request
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(page)).encode()),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
                (b"content-security-policy", b"default-src 'none'"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": page})
