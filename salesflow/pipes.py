"""Writing to a pipe between salesflow's own processes (lint's workers, the handbook's PDF
printer): a message goes out whole, however much the pipe takes at a time."""

from __future__ import annotations

import os


def write_all(descriptor: int, data: bytes) -> None:
    """Write all of `data` to the file descriptor, calling write again for what a full pipe
    left over (os.write may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
