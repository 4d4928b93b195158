"""The studio's web application: the page, its static files, and the JSON it talks to.

    GET  /                 the page (the editor, the chart, the review, the handbook)
    GET  /static/NAME      the page's scripts and styles, from the package
    GET  /api/files        the served charts, the templates for a new one
    GET  /api/file?path=   one chart's text and version
    POST /api/review       a draft → chart (SVG), findings, syntax errors
    POST /api/save         write a draft, unless the file changed on disk meanwhile (409)
    POST /api/new          a new chart from a template (409 if the name is taken)
    GET  /handbook?path=   the handbook of the latest draft of a chart (per role)
    GET  /api/events       server-sent events: files changed on disk

Every request passes `security.Guard` first; every answer carries the headers of `_headers`.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from importlib import resources
from string import Template
from typing import Any, Optional

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..i18n import N_, gettext
from . import security, worker
from .texts import texts_for
from .watch import Watcher
from .workspace import Conflict, Workspace

STATIC = {
    "editor.js": "text/javascript; charset=utf-8",
    "studio.js": "text/javascript; charset=utf-8",
    "studio.css": "text/css; charset=utf-8",
    "editor.LICENSES.txt": "text/plain; charset=utf-8",
}
MAX_BODY = 24 * 1024 * 1024  # a draft larger than salesflow reads anyway (SALESFLOW_MAX_INPUT_MB) is refused

# Refusals of the JSON interface, as the page shows them.
OUTSIDE = N_("{path}: not a file this studio serves")
BAD_REQUEST = N_("the request is not what the studio expects: {why}")
NOT_TEXT = N_("{field} must be text")
UNKNOWN_STARTER = N_("unknown template or language")
TOO_LARGE = N_("the draft is too large")
NOT_JSON = N_("the body is not JSON")
NO_PATH = N_("no path")


def _headers(policy: str = security.PLAIN_POLICY) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=_headers())


def _refusal(status: int, message: str) -> JSONResponse:
    return _json({"refused": message}, status)


class Studio:
    """The state one `salesflow serve` run keeps: what it serves, for whom, in which language."""

    def __init__(
        self,
        workspace: Workspace,
        token: str,
        lang: str,
        handbook_lang: Optional[str] = None,
        seconds: float = worker.DEFAULT_SECONDS,
    ) -> None:
        self.workspace = workspace
        self.token = token
        self.lang = lang  # the page's words
        # The handbook speaks the language asked for, else each chart's own, as `salesflow handbook` does.
        self.handbook_lang = handbook_lang
        self.worker = worker.Worker(seconds=seconds)
        self.watcher: Optional[Watcher] = None
        self.drafts: dict[str, str] = {}  # path → the last draft that parsed, for the handbook

    # ------------------------------------------------------------------ the page

    def say(self, message: str, **values: Any) -> str:
        """A message of the studio's in the page's language."""
        return gettext(message, self.lang).format(**values)

    async def page(self, request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        template = Template(resources.files("salesflow.serve").joinpath("studio.html").read_text("utf-8"))
        settings = {
            "token": self.token,
            "lang": self.lang,
            "texts": texts_for(self.lang),
            "folder": self.workspace.folder,
            "nonce": nonce,
        }
        # JSON in a data block is never run; `<` is escaped so that no text can close the block.
        data = json.dumps(settings, ensure_ascii=False).replace("<", "\\u003c").replace("&", "\\u0026")
        html = template.substitute(
            lang="zh-CN" if self.lang == "zh" else "en",
            title=texts_for(self.lang)["title"],
            token=self.token,
            nonce=nonce,
            settings=data,
        )
        return HTMLResponse(html, headers=_headers(security.content_security_policy(nonce)))

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("404 no such file\n", 404, headers=_headers(), media_type="text/plain")
        data = resources.files("salesflow.serve").joinpath("static", name).read_bytes()
        return Response(data, headers=_headers(), media_type=STATIC[name])

    # ------------------------------------------------------------------ charts

    async def files(self, request: Request) -> Response:
        from ..starters import STARTERS, starter_title

        files = await self.worker.run(self.workspace.files)
        templates = [{"name": name, "title": starter_title(name, self.lang)} for name in STARTERS]
        return _json({"files": files, "folder": self.workspace.folder, "templates": templates})

    async def file(self, request: Request) -> Response:
        from ..errors import SalesflowError

        path = request.query_params.get("path", "")
        try:
            loaded = self.workspace.read(path)
        except security.OutsideRoot:
            return _refusal(403, self.say(OUTSIDE, path=path))
        except SalesflowError as exc:
            return _refusal(404, str(getattr(exc, "message", exc)))
        return _json({"path": loaded.path, "text": loaded.text, "version": loaded.version})

    async def review(self, request: Request) -> Response:
        body = await self._body(request)
        if isinstance(body, Response):
            return body
        path, text = body["path"], body["text"]
        try:
            full = self.workspace.real_path(path)
        except security.OutsideRoot:
            return _refusal(403, self.say(OUTSIDE, path=path))
        block = body.get("block") if isinstance(body.get("block"), int) else None
        try:
            result = await self.worker.run(worker.review, text, path, full, block, self.worker.seconds, self.lang)
        except asyncio.TimeoutError:
            return _json({"too_slow": True})
        if not result["errors"]:
            self.drafts[path] = text  # the handbook shows the last draft that reads, like the chart
        return _json(result)

    async def save(self, request: Request) -> Response:
        from ..errors import SalesflowError

        body = await self._body(request)
        if isinstance(body, Response):
            return body
        path, text, version = body["path"], body["text"], body.get("version") or ""
        if not isinstance(version, str):
            return _refusal(400, self.say(BAD_REQUEST, why=self.say(NOT_TEXT, field="version")))
        try:
            saved = await self.worker.run(self.workspace.save, path, text, version)
        except security.OutsideRoot:
            return _refusal(403, self.say(OUTSIDE, path=path))
        except Conflict as conflict:
            current = conflict.current
            disk = {"text": current.text, "version": current.version} if current else None
            return _json({"conflict": True, "disk": disk}, 409)
        except SalesflowError as exc:
            return _refusal(500, str(exc))
        return _json({"path": saved.path, "version": saved.version})

    async def new(self, request: Request) -> Response:
        from ..errors import SalesflowError
        from ..sources import CHART_EXTENSIONS
        from ..starters import STARTERS, starter_text

        body = await self._body(request)
        if isinstance(body, Response):
            return body
        path, template, lang = body["path"], body.get("template"), body.get("lang") or self.lang
        if not self.workspace.folder or not path.lower().endswith(CHART_EXTENSIONS):
            return _refusal(403, self.say(OUTSIDE, path=path))
        if template not in STARTERS or lang not in ("zh", "en"):
            return _refusal(400, self.say(BAD_REQUEST, why=self.say(UNKNOWN_STARTER)))
        try:
            saved = await self.worker.run(self.workspace.save, path, starter_text(template, lang), "")
        except security.OutsideRoot:
            return _refusal(403, self.say(OUTSIDE, path=path))
        except Conflict:
            return _json({"exists": True}, 409)
        except SalesflowError as exc:
            return _refusal(500, str(exc))
        return _json({"path": saved.path, "text": saved.text, "version": saved.version})

    async def handbook(self, request: Request) -> Response:
        from ..errors import SalesflowError

        path = request.query_params.get("path", "")
        role = request.query_params.get("role") or None
        block = request.query_params.get("block")
        try:
            full = self.workspace.real_path(path)
            text = self.drafts.get(path)
            if text is None:
                text = self.workspace.read(path).text
            html = await self.worker.run(
                worker.handbook, text, path, full, int(block) if block and block.isdigit() else None, role, self.handbook_lang
            )
        except security.OutsideRoot:
            return Response(self.say(OUTSIDE, path=path) + "\n", 403, headers=_headers(), media_type="text/plain")
        except (SalesflowError, asyncio.TimeoutError) as exc:
            return Response(str(exc) + "\n", 422, headers=_headers(security.HANDBOOK_POLICY), media_type="text/plain")
        return HTMLResponse(html, headers=_headers(security.HANDBOOK_POLICY))

    async def events(self, request: Request) -> Response:
        assert self.watcher is not None
        headers = _headers()
        headers["X-Accel-Buffering"] = "no"
        return StreamingResponse(self.watcher.events(), media_type="text/event-stream", headers=headers)

    # ------------------------------------------------------------------ helpers

    async def _body(self, request: Request):
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return _refusal(413, self.say(BAD_REQUEST, why=self.say(TOO_LARGE)))
        try:
            body = json.loads(raw)
        except ValueError:
            return _refusal(400, self.say(BAD_REQUEST, why=self.say(NOT_JSON)))
        if not isinstance(body, dict) or not isinstance(body.get("path"), str):
            return _refusal(400, self.say(BAD_REQUEST, why=self.say(NO_PATH)))
        if "text" in body and not isinstance(body["text"], str):
            return _refusal(400, self.say(BAD_REQUEST, why=self.say(NOT_TEXT, field="text")))
        body.setdefault("text", "")
        return body

    # ------------------------------------------------------------------ life

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.watcher = Watcher(self.workspace)
        self._watching = asyncio.create_task(self.watcher.run())

    def end_streams(self) -> None:
        """End the watching and every page's event stream; callable from a signal handler."""
        if self.watcher is not None:
            self.loop.call_soon_threadsafe(self.watcher.close)

    async def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
            self._watching.cancel()
        self.worker.close()


def build_app(studio: Studio, hosts) -> security.Guard:
    """The ASGI application for `studio`, behind its guard."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app):
        await studio.start()
        try:
            yield
        finally:
            await studio.stop()

    routes = [
        Route("/", studio.page),
        Route("/static/{name}", studio.static),
        Route("/api/files", studio.files),
        Route("/api/file", studio.file),
        Route("/api/review", studio.review, methods=["POST"]),
        Route("/api/save", studio.save, methods=["POST"]),
        Route("/api/new", studio.new, methods=["POST"]),
        Route("/api/events", studio.events),
        Route("/handbook", studio.handbook),
    ]
    return security.Guard(Starlette(routes=routes, lifespan=lifespan), studio.token, hosts)
