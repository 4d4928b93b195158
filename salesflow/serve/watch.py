"""Changes made outside the studio, pushed to every open page as server-sent events.

watchfiles (the operating system's own file notifications) tells the server within a few
milliseconds that a served chart changed; each open page holds one event stream and hears
`{"path": …, "version": …}` (`version` is null when the file is gone). The page compares the
version with its own and fetches the text only when it differs, so its own saves are not echoed.
The browser reconnects a dropped stream by itself; nothing polls.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import AsyncIterator, Optional

from .workspace import Workspace, version_of

KEEP_ALIVE_SECONDS = 15


class Watcher:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.listeners: set[asyncio.Queue] = set()
        self.stop = asyncio.Event()

    async def run(self) -> None:
        """Watch the served folder until `stop` is set, telling every listener what changed."""
        from watchfiles import awatch

        async for changes in awatch(self.workspace.root, stop_event=self.stop, debounce=50, step=25, recursive=self.workspace.folder):
            for path in sorted({changed for _kind, changed in changes}):
                relative = self.workspace.served(path)
                if relative is None:
                    continue
                self.tell({"path": relative, "version": _version(path)})

    def close(self) -> None:
        """End the watching and every open stream (the server is stopping)."""
        self.stop.set()
        self.tell(None)

    def tell(self, event: Optional[dict]) -> None:
        for queue in list(self.listeners):
            queue.put_nowait(event)

    async def events(self) -> AsyncIterator[str]:
        """One page's event stream, as server-sent-event text."""
        queue: asyncio.Queue = asyncio.Queue()
        self.listeners.add(queue)
        try:
            yield "retry: 1000\n\n"
            while not self.stop.is_set():
                try:
                    event = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                except asyncio.TimeoutError:
                    yield ": still here\n\n"
                    continue
                if event is None:
                    return
                yield f"event: change\ndata: {json.dumps(event)}\n\n"
        finally:
            self.listeners.discard(queue)


def _version(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as handle:
            return version_of(handle.read())
    except OSError:
        return None
