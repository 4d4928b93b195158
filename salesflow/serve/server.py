"""Starting the studio: choose the port, print the address with its token, run uvicorn."""

from __future__ import annotations

import os
import socket
from typing import Callable, Optional

from ..i18n import N_, _

LOOPBACK = "127.0.0.1"
LISTENING = N_("salesflow studio: {url}\n  serving {path}; stop with Ctrl-C")
EXPOSED = N_(
    "warning: listening on {host}, so other machines can reach the studio; anyone who learns the "
    "address with its token can read and change the charts under {path}"
)
PORT_TAKEN = N_(
    "cannot listen on {host}:{port}: {why}; choose another port with --port, or leave it out to take a free one"
)


def asked_language(lang: Optional[str]) -> Optional[str]:
    """The language the user asked for: --lang, else SALESFLOW_LANG; None if neither names one."""
    from ..language import match_language

    for wanted in (lang, os.environ.get("SALESFLOW_LANG")):
        if wanted:
            code = match_language(wanted, ("zh", "en"))
            if code:
                return code
    return None


def chosen_language(lang: Optional[str], workspace) -> str:
    """The page's language: the one asked for, else that of the served charts, else English."""
    from .worker import files_language

    return asked_language(lang) or files_language(workspace.root, workspace.files()) or "en"


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one the system picks)."""
    from ..errors import SalesflowError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SalesflowError(_(PORT_TAKEN, host=host, port=port, why=exc.strerror or exc)) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = LOOPBACK
    return f"http://{shown}:{port}/?token={token}"


def serve(
    path: str,
    host: str = LOOPBACK,
    port: int = 0,
    lang: Optional[str] = None,
    open_browser: bool = False,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] = print,
    token: Optional[str] = None,
) -> None:
    """Serve `path` until interrupted."""
    from . import require_extra

    require_extra()
    import uvicorn

    from .app import Studio, build_app
    from .security import allowed_hosts, new_token
    from .workspace import Workspace

    workspace = Workspace(path)
    token = token or new_token()
    sock = listen(host, port)
    port = sock.getsockname()[1]
    studio = Studio(workspace, token, chosen_language(lang, workspace), handbook_lang=asked_language(lang))
    app = build_app(studio, allowed_hosts(host, port))
    url = url_of(host, port, token)
    if host not in (LOOPBACK, "localhost", "::1"):
        warn(_(EXPOSED, host=host, path=path))
    say(_(LISTENING, url=url, path=os.path.abspath(path)))
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, lifespan="on")

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            # uvicorn waits for open connections before it shuts the application down, and each
            # open page holds an event stream: end the streams first, so that Ctrl-C stops at once.
            studio.end_streams()
            super().handle_exit(sig, frame)

    Server(config).run(sockets=[sock])
