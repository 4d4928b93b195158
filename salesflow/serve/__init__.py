"""The live drafting studio behind `salesflow serve`: edit a chart, see it drawn and reviewed as you type.

One job per module:

- `app`       the Starlette application: its routes, and the page they serve;
- `security`  the token, the Host and Origin checks, the headers every answer carries, and the
              confinement of every path to the folder being served;
- `workspace` the served file or folder: which charts it holds, reading them, saving them safely;
- `worker`    parse, lint and draw a draft away from the event loop, under a time limit;
- `watch`     file watching, and the server-sent events that push changes to open pages;
- `texts`     every word the page shows, in Chinese and English;
- `editor/`   the sources of the editor bundle (`static/editor.js`, built by `make studio-assets`).

Starlette, uvicorn and watchfiles come with the `serve` extra; `require_extra` says how to get them.
"""

from __future__ import annotations

from ..errors import SalesflowError
from ..i18n import N_, _

MISSING_EXTRA = N_(
    "the studio needs Starlette, uvicorn and watchfiles, which are not installed ({missing}); "
    "install them with: pip install 'salesflow[serve]'"
)


def require_extra() -> None:
    """Refuse, with the command that fixes it, when the `serve` extra is not installed."""
    from importlib.util import find_spec

    missing = [name for name in ("starlette", "uvicorn", "watchfiles") if find_spec(name) is None]
    if missing:
        raise SalesflowError(_(MISSING_EXTRA, missing=", ".join(missing)))
