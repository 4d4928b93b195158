"""Finding the shared libraries WeasyPrint opens, from one reading of the dynamic linker's cache.

WeasyPrint opens pango, harfbuzz, fontconfig and gobject through cffi, trying several names for
each (Windows', macOS' and Linux' spellings) until one loads. For each name that does not load
as it is, cffi asks `ctypes.util.find_library`, which on Linux runs `ldconfig -p` and, when the
name is not there, `gcc` and `ld` as well: some fifty short-lived processes for one import,
measured at 0.2 to 0.3 s of the printer's start (some two fifths of the time it took to import
WeasyPrint, its modules compiled). `quick_library_lookup` answers those questions from one run of
`ldconfig -p` instead.

Its answers are `find_library`'s first way of finding a library, the linker's cache, so a library
found that way is found the same; one known only to `gcc` or `ld` search paths is not, and
WeasyPrint then opens the library by the file name it tries next (`libpango-1.0.so.0`), which the
dynamic loader finds in the same places it always looks, `LD_LIBRARY_PATH` included.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from typing import Iterator, Optional

LDCONFIG = "/sbin/ldconfig"  # where ctypes.util looks for it too


@contextlib.contextmanager
def quick_library_lookup() -> Iterator[None]:
    """Within the block, `ctypes.util.find_library` answers from the linker's cache, read once
    (Linux only; elsewhere the block runs as it is)."""
    if not sys.platform.startswith("linux"):
        yield
        return
    import ctypes.util

    listing = _linker_cache()
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: cached_soname(listing, name)
    try:
        yield
    finally:
        ctypes.util.find_library = original


def cached_soname(listing: str, name: str) -> Optional[str]:
    """The first library in `ldconfig -p`'s `listing` named `lib<name>.<something>`, by its file
    name (`gobject-2.0` → `libgobject-2.0.so.0`), as `find_library` reads the same listing; None
    when there is none.

    >>> cached_soname("\\tlibgobject-2.0.so.0 (libc6,x86-64) => /lib/libgobject-2.0.so.0\\n", "gobject-2.0")
    'libgobject-2.0.so.0'
    >>> cached_soname("\\tlibgobject-2.0.so.0 (libc6,x86-64) => /lib/libgobject-2.0.so.0\\n", "gobject-2.0-0") is None
    True
    """
    found = re.search(r"\s(lib%s\.\S+)\s+\(" % re.escape(name), listing)
    return found.group(1) if found else None


def _linker_cache() -> str:
    """`ldconfig -p`'s listing, or "" when it cannot be read (every lookup then finds nothing)."""
    import subprocess

    try:
        return subprocess.run(
            [LDCONFIG, "-p"], capture_output=True, text=True, errors="replace", check=False, timeout=10,
            env={**os.environ, "LC_ALL": "C", "LANG": "C"},
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
