"""Work done once per installation and kept beside salesflow's bytecode, in `__pycache__`.

What every run would otherwise redo from files that do not change between runs — the code each
regular expression compiles to (salesflow/regex_cache.py), a language's message catalog read
into a table (salesflow/i18n.py) — is kept in `salesflow/__pycache__/<name>.<interpreter>-<release>.marshal`,
as Python keeps a module's bytecode. A kept value is only given back to the interpreter that wrote
it (same version and build); the caller checks that it still fits what it was made from. No file,
a damaged file, a folder that cannot be written, or `-B`/`PYTHONDONTWRITEBYTECODE` (nothing is
written then) only mean doing the work again, as the first run did.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

# What a kept value belongs to: the interpreter that made it.
_INTERPRETER = (sys.version, sys.implementation.cache_tag, sys.maxunicode)


def path(name: str) -> Optional[str]:
    """Where the value called `name` is kept; None where Python keeps no bytecode cache."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")
    if sys.pycache_prefix:
        # As Python's own bytecode: the package's folder mirrored under the prefix.
        folder = os.path.join(sys.pycache_prefix, os.path.splitdrive(folder)[1].lstrip(os.sep))
    # One file per interpreter release, so that two Pythons sharing a checkout do not take turns rewriting it.
    return os.path.join(folder, f"{name}.{tag}-{sys.hexversion:x}.marshal")


def load(name: str) -> Optional[Any]:
    """The value kept as `name` by this interpreter, or None."""
    where = path(name)
    if where is None:
        return None
    try:
        import marshal

        with open(where, "rb") as handle:
            interpreter, value = marshal.loads(handle.read())
    except Exception:  # no file yet, or one that is not ours to read
        return None
    return value if interpreter == _INTERPRETER else None


def keep(name: str, value: Any) -> None:
    """Keep `value` (made of what `marshal` writes) as `name`, atomically; silently not where
    Python writes no bytecode or the folder cannot be written."""
    where = path(name)
    if where is None or sys.dont_write_bytecode:
        return
    try:
        import marshal

        data = marshal.dumps((_INTERPRETER, value))
        os.makedirs(os.path.dirname(where), exist_ok=True)
        temporary = f"{where}.{os.getpid()}.tmp"
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, where)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    except (OSError, ValueError):
        pass  # the next run does the work again, as this one did


def derived(name: str, made_from: Optional[tuple], derive: Callable[[], Any]) -> Any:
    """The value kept as `name` if it was derived from `made_from` (a marshal-able tuple of what it
    depends on, compared whole), else `derive()`, kept with `made_from` for the next run. With
    `made_from` None (what it depends on cannot be read back) it is derived each time, never kept."""
    if made_from is not None:
        kept = load(name)
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == made_from:
            return kept[1]
    value = derive()
    if made_from is not None:
        keep(name, (made_from, value))
    return value
