"""The app's pages and actions: each one parses the request, calls the library, and shows the result.

Pages (GET) change nothing; actions (POST, JSON) check, autosave, save, create and render. Every file
name goes through ``Workspace.resolve``; every page is a jinja template with escaping on.
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from gaigen import __version__
from gaigen.api import reports as api
from gaigen.app import actions
from gaigen.app.form import Form, field_for
from gaigen.app.security import BodyTooLarge, Guard
from gaigen.app.store import Opened, open_file, save, write_draft
from gaigen.app.workspace import Refused, Workspace
from gaigen.core.errors import GaigenError
from gaigen.core.problems import message
from gaigen.files.wording import for_field
from gaigen.render.jinja_env import environment
from gaigen.spec.layout import LEVELS

STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


@functools.cache
def _env() -> jinja2.Environment:
    def load(name: str) -> str:
        return resources.files("gaigen.app").joinpath("templates", name).read_text(encoding="utf-8")

    return environment(xml=True, loader=jinja2.FunctionLoader(load))


@functools.cache
def _static(name: str) -> bytes:
    return resources.files("gaigen.app").joinpath("static", name).read_bytes()


class State:
    """What the server holds for this run: the workspace, its token, the files open in the form."""

    def __init__(self, workspace: Workspace, token: str) -> None:
        self.workspace = workspace
        self.token = token
        self.open: dict[str, Opened] = {}
        self.uploads = Path(tempfile.mkdtemp(prefix="gaigen-app-"))  # last year's reports, never the folder
        atexit.register(shutil.rmtree, self.uploads, ignore_errors=True)

    def check(self, opened: Opened, values: dict[str, str]) -> tuple[api.Validation, str | None]:
        """Return the validation of the form's values, with last year's file when the folder has it."""
        found = actions.last_year_for(self.workspace, opened, values)
        validation = actions.validate(opened, values, found[1] if found else None)
        return validation, found[0] if found else None

    def opened(self, name: str, fresh: bool = False) -> Opened:
        """Return the file ``name`` as the form holds it; ``fresh`` reads it (and its draft) again."""
        path = self.workspace.resolve(name)
        if fresh or name not in self.open:
            self.open[name] = open_file(path, name)
        return self.open[name]


def page(template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """Return the page ``template`` filled with ``values`` (escaped: nothing typed is ever markup)."""
    return HTMLResponse(_env().get_template(template).render(version=__version__, **values), status_code=status)


def problems_json(form: Form, validation: api.Validation, previous: str | None = None) -> dict[str, Any]:
    """Return the problems as the form shows them: the field, the Chinese sentence, the rule."""
    items = []
    for problem in validation.problems:
        found = field_for(form, problem)
        items.append(
            {
                "field": found.id if found is not None else None,
                "rule": problem.rule,
                "severity": problem.severity.value,
                "kind": problem.severity.chinese,
                "text": message(for_field(replace(problem, file=None, line=None, cell=None))),
            }
        )
    return {
        "problems": items,
        "errors": len(validation.errors),
        "warnings": len(validation.warnings),
        "previous": previous,
    }


def build(workspace: Workspace, token: str, port: int) -> Guard:
    """Return the guarded ASGI app serving ``workspace``."""
    state = State(workspace, token)

    def show(template: str, status: int = 200, **values: Any) -> HTMLResponse:
        return page(template, status, token=token, **values)

    async def start(request: Request) -> Response:
        if workspace.single is not None:
            return RedirectResponse(f"/edit?file={quote(workspace.name_of(workspace.single))}", 303)
        return show("start.html", files=workspace.files(), levels=LEVELS, folder=str(workspace.root))

    async def folder(request: Request) -> Response:
        if not workspace.is_folder:
            raise Refused("只打开了一个文件，没有文件夹可看。")
        states = await run_in_threadpool(actions.folder_states, workspace)
        return show("folder.html", states=states, folder=str(workspace.root), levels=LEVELS)

    async def edit(request: Request) -> Response:
        name = request.query_params.get("file", "")
        opened = state.opened(name, fresh=True)
        validation, previous = state.check(opened, opened.values)
        return show(
            "form.html",
            name=name,
            opened=opened,
            form=opened.form,
            sums=json.dumps(opened.form.sums),
            initial=json.dumps(problems_json(opened.form, validation, previous), ensure_ascii=False),
            folder=workspace.is_folder,
            pdf=actions.pdf_available(),
        )

    async def preview(request: Request) -> Response:
        opened = state.opened(request.query_params.get("file", ""))
        validation, _previous = state.check(opened, opened.current)
        if not validation.ok:
            return show("refused.html", 409, name=opened.path.name, problems=problems_json(opened.form, validation))
        html = api.render_bytes(validation, ("html",))["html"]
        return Response(html, media_type=MIME["html"], headers={"content-security-policy": PREVIEW_CSP})

    async def download(request: Request) -> Response:
        opened = state.opened(request.query_params.get("file", ""))
        kind = request.query_params.get("format", "")
        if kind not in MIME:
            return show("message.html", 400, text="不支持这种格式。")
        validation, _previous = state.check(opened, opened.current)
        if not validation.ok:
            return show("refused.html", 409, name=opened.path.name, problems=problems_json(opened.form, validation))
        if kind == "pdf" and not actions.pdf_available():
            return show("message.html", 409, text=actions.NO_PDF)
        blob = (await run_in_threadpool(api.render_bytes, validation, (kind,)))[kind]
        filename = f"{api.output_stem(validation.report)}.{kind}"
        disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
        return Response(blob, media_type=MIME[kind], headers={"content-disposition": disposition})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return show("message.html", 404, text="没有这个文件。")
        return Response(_static(name), media_type=STATIC[name])

    async def check(request: Request) -> Response:
        opened, values = await _posted(request, state)
        opened.current = values
        return JSONResponse(problems_json(opened.form, *state.check(opened, values)))

    async def draft(request: Request) -> Response:
        opened, values = await _posted(request, state)
        opened.current = values
        return JSONResponse({"time": write_draft(opened, values)})

    async def save_file(request: Request) -> Response:
        opened, values = await _posted(request, state)
        opened.current = values
        save(opened, values)
        result = problems_json(opened.form, *state.check(opened, values))
        return JSONResponse({**result, "saved": opened.path.name})

    async def new(request: Request) -> Response:
        body = await _body(request)
        name = await run_in_threadpool(actions.new_report, workspace, state.uploads, body)
        return JSONResponse({"url": f"/edit?file={quote(name)}"})

    async def upload(request: Request) -> Response:
        blob = await request.body()
        return JSONResponse({"id": actions.keep_upload(state.uploads, request.query_params.get("name", ""), blob)})

    async def batch(request: Request) -> Response:
        await _body(request)
        return JSONResponse(await run_in_threadpool(actions.render_all, workspace))

    async def aggregate(request: Request) -> Response:
        body = await _body(request)
        name = await run_in_threadpool(actions.aggregate, workspace, body)
        return JSONResponse({"url": f"/edit?file={quote(name)}"})

    async def refused(request: Request, error: Exception) -> Response:
        if request.method == "GET":
            return show("message.html", 403, text=str(error))
        return JSONResponse({"error": str(error)}, 403)

    async def failed(request: Request, error: Exception) -> Response:
        text = (
            str(error)
            if isinstance(error, GaigenError)
            else f"内部错误（{type(error).__name__}）：这是 gaigen 的缺陷，请报告。"
        )
        status = 413 if isinstance(error, BodyTooLarge) else 422 if isinstance(error, GaigenError) else 500
        if isinstance(error, BodyTooLarge):
            text = "上传的内容太大，已拒绝。"
        if request.method == "GET":
            return show("message.html", status, text=text)
        return JSONResponse({"error": text}, status)

    app = Starlette(
        routes=[
            Route("/", start),
            Route("/folder", folder),
            Route("/edit", edit),
            Route("/preview", preview),
            Route("/download", download),
            Route("/static/{name}", static),
            Route("/api/check", check, methods=["POST"]),
            Route("/api/draft", draft, methods=["POST"]),
            Route("/api/save", save_file, methods=["POST"]),
            Route("/api/new", new, methods=["POST"]),
            Route("/api/upload", upload, methods=["POST"]),
            Route("/api/batch", batch, methods=["POST"]),
            Route("/api/aggregate", aggregate, methods=["POST"]),
        ],
        exception_handlers={Refused: refused, GaigenError: failed, BodyTooLarge: failed, Exception: failed},
    )
    return Guard(app, token, port)


async def _body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise Refused("请求格式不对。")
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise Refused("请求格式不对。") from None
    if not isinstance(body, dict):
        raise Refused("请求格式不对。")
    return body


async def _posted(request: Request, state: State) -> tuple[Opened, dict[str, str]]:
    """Return the open file a form post is about and its values (only the form's own, as text)."""
    body = await _body(request)
    opened = state.opened(str(body.get("file", "")))
    given = body.get("values")
    if not isinstance(given, dict):
        raise Refused("请求格式不对。")
    values = dict(opened.values)
    by_id = {f.id: f.key for f in opened.form.fields}
    for key, value in given.items():
        if key in by_id and isinstance(value, str):
            values[by_id[key]] = value
    return opened, values
