"""What keeps the studio a private, local tool although it is a web server.

- Every request must carry the random token printed with the URL (`?token=` or the
  `X-Salesflow-Token` header): another user of the machine, or a web page guessing ports, cannot
  read or write charts without it.
- The Host header must name the address the studio listens on. A web page cannot then reach it
  through a domain name of its own that resolves to 127.0.0.1 (DNS rebinding).
- A request that says where it comes from (Origin, Sec-Fetch-Site) must come from the studio's
  own page, and writes must say so: no other site can make the browser save a chart.
- Paths are confined to the served folder: no `..`, no absolute path, no link that leads out.
- Every answer carries a strict Content-Security-Policy (scripts only from the studio's own
  files, no inline script, no connection elsewhere) and asks not to be cached or referred.

A refused request gets a plain-text answer with a status that says why, and nothing is done.
"""

from __future__ import annotations

import os
import secrets
from typing import Awaitable, Callable, Iterable, Optional
from urllib.parse import parse_qs

from ..i18n import N_, _

TOKEN_HEADER = "x-salesflow-token"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# Why a request is refused, as the browser (or curl) shows it.
REFUSED_TOKEN = N_("403 refused: the studio's token is missing or wrong; open the address salesflow serve printed")
REFUSED_HOST = N_("421 refused: this studio answers only to {expected}, not to the host {host!r}")
REFUSED_ORIGIN = N_("403 refused: a request from another site ({origin}) cannot use this studio")
REFUSED_WRITE = N_("403 refused: changes are accepted only from the studio's own page")


def new_token() -> str:
    """A fresh, unguessable token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def content_security_policy(nonce: str) -> str:
    """The page's policy: its own scripts only, styles from its files (and the editor's, by nonce),
    pictures from itself or from blobs it made, frames only its own handbook."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' blob: data:",
            "font-src 'self'",
            "connect-src 'self'",
            "frame-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


# The handbook is a self-contained page with its own inline styles; it is shown in a sandboxed
# frame of the studio and may run nothing.
HANDBOOK_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'; sandbox"
# Anything else (JSON, scripts, refusals) needs no rights at all.
PLAIN_POLICY = "default-src 'none'; frame-ancestors 'none'"


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers the studio answers to: the address it listens on, and its loopback names."""
    names = {host}
    if host in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "::"):
        names |= {"127.0.0.1", "localhost", "::1"}
    if host in ("0.0.0.0", "::"):
        names |= _machine_names()
    spelled = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        spelled.add(f"{shown}:{port}".lower())
    return frozenset(spelled)


def _machine_names() -> set[str]:
    """This machine's name and addresses: what other machines put in Host when the studio listens
    on every address (`--host 0.0.0.0`)."""
    import socket

    names = {socket.gethostname().lower()}
    try:
        names.add(socket.getfqdn().lower())
        for info in socket.getaddrinfo(socket.gethostname(), None):
            names.add(str(info[4][0]).lower())
    except OSError:
        pass
    return names


class Guard:
    """ASGI middleware: checks Host, Origin and the token before anything else sees the request."""

    def __init__(self, app: Callable, token: str, hosts: Iterable[str]) -> None:
        self.app = app
        self.token = token
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1008})  # the studio has no WebSocket
            return
        refusal = self.refusal(scope)
        if refusal is not None:
            status, message = refusal
            await _refuse(send, status, message)
            return
        await self.app(scope, receive, send)

    def refusal(self, scope: dict) -> Optional[tuple[int, str]]:
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        host = headers.get("host", "").strip().lower()
        if host not in self.hosts:
            expected = _(" or ").join(sorted(self.hosts))
            return 421, _(REFUSED_HOST, expected=expected, host=host)
        origin = headers.get("origin")
        own = {f"http://{name}" for name in self.hosts}
        if origin is not None and origin.lower() not in own:
            return 403, _(REFUSED_ORIGIN, origin=origin)
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return 403, _(REFUSED_ORIGIN, origin=origin or site)
        if scope["method"] in WRITE_METHODS and (
            origin is None or not headers.get("content-type", "").startswith("application/json")
        ):
            # A plain HTML form or a page without CORS cannot send JSON with an Origin of ours.
            return 403, _(REFUSED_WRITE)
        given = headers.get(TOKEN_HEADER) or _query_token(scope.get("query_string", b""))
        if not given or not secrets.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
            return 403, _(REFUSED_TOKEN)
        return None


def _query_token(query: bytes) -> Optional[str]:
    values = parse_qs(query.decode("latin-1")).get("token")
    return values[0] if values else None


async def _refuse(send: Callable[[dict], Awaitable[None]], status: int, message: str) -> None:
    body = (message + "\n").encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"content-security-policy", PLAIN_POLICY.encode()),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class OutsideRoot(Exception):
    """A path that leads out of the served folder, or is not a chart the studio may touch."""


def confined(root: str, relative: str) -> str:
    """The real path of `relative` inside the folder `root`; `OutsideRoot` if it is not inside.

    `relative` is a forward-slash path as the page sends it. Absolute paths, `..`, backslashes,
    NUL and links (of the file or of a folder on the way) that lead out of `root` are refused.
    """
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        raise OutsideRoot(relative)
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise OutsideRoot(relative)
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, *parts))
    if os.path.commonpath([real, real_root]) != real_root or real == real_root:
        raise OutsideRoot(relative)
    return real
