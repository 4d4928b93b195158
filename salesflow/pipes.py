"""Pipes between salesflow's own processes (lint's workers, the handbook's PDF printer, the copy
that runs Graphviz): a message goes out whole, however much the pipe takes at a time, and is
read whole."""

from __future__ import annotations

import os


def write_all(descriptor: int, data: bytes) -> None:
    """Write all of `data` to the file descriptor, calling write again for what a full pipe
    left over (os.write may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def read_all(descriptor: int) -> bytes:
    """Everything until the other end closes the pipe."""
    chunks = []
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
