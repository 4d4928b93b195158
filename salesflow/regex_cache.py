"""Regular expressions compiled once per installation, not once per run.

`re.compile` turns a pattern into the matcher's code in Python (a parser and a code generator),
and a command that starts afresh does it again for every pattern it uses: for a short `salesflow
lint` that was about a sixth of the whole run, more than all of salesflow's own modules took to
load. Like the bytecode Python keeps in `__pycache__`, the code each pattern compiles to is kept
in a file beside it, `salesflow/__pycache__/regex.<interpreter>.marshal`, and a later run makes its
patterns from that code without compiling them again:

    _WORDS = compiled(r"\\w+")       # as re.compile(r"\\w+"), and the same pattern

The file is only trusted by the interpreter that wrote it (same version and build, same matcher),
and only for the very pattern text and flags it was written for; a pattern is kept in it only
once the pattern made from the kept code has been checked equal to what `re.compile` makes (equal
patterns have the same text, flags and code). Anything else — no file, a file from another Python,
a damaged file, a folder that cannot be written, `PYTHONDONTWRITEBYTECODE` — means compiling as
`re.compile` does, and at worst the file is written again. Patterns made from text that users write
(option words, say) are compiled the ordinary way, so that the file does not grow with every input.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Optional

import _sre  # the matcher `re` compiles patterns for

# What the kept code belongs to: the interpreter that compiled it and the matcher that runs it.
_VERSION = (sys.version, sys.implementation.cache_tag, _sre.MAGIC, _sre.CODESIZE, sys.maxunicode)

# Most patterns a run uses, and room for those of other commands; a file never holds more.
_MOST = 400

_kept: Optional[dict] = None  # (pattern, flags) → the matcher's arguments, as read from the file
_new: dict = {}  # compiled by this run: to be added to the file at exit


def cache_path() -> Optional[str]:
    """Where the compiled patterns are kept for this interpreter; None where Python keeps no bytecode cache."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")
    if sys.pycache_prefix:
        # As Python's own bytecode: the package's folder mirrored under the prefix.
        folder = os.path.join(sys.pycache_prefix, os.path.splitdrive(folder)[1].lstrip(os.sep))
    return os.path.join(folder, f"regex.{tag}.marshal")


def _load() -> dict:
    path = cache_path()
    if path is None:
        return {}
    try:
        import marshal

        with open(path, "rb") as handle:
            version, patterns = marshal.loads(handle.read())
    except Exception:  # no file yet, or one that is not ours to read: compile as usual
        return {}
    return patterns if version == _VERSION and isinstance(patterns, dict) else {}


def compiled(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    """`re.compile(pattern, flags)` for a pattern written in salesflow's code, made from the kept
    code when there is any."""
    global _kept
    if _kept is None:
        _kept = _load()
    key = (pattern, int(flags))
    arguments = _kept.get(key)
    if arguments is not None:
        try:
            return _sre.compile(pattern, *arguments)
        except Exception:  # code the matcher refuses: compile it anew and keep that instead
            del _kept[key]
    try:
        arguments = _compile(pattern, key[1])
        made = _sre.compile(pattern, *arguments)
    except Exception:
        # Whatever `re` has to say about the pattern (an error, a warning turned into one), it
        # says it here, as for any pattern.
        return re.compile(pattern, flags)
    if not _new:
        import atexit

        atexit.register(_save)
    _new[key] = (arguments, made)
    return made


def _compile(pattern: str, flags: int) -> tuple:
    """The matcher's arguments for `pattern` besides its text: `re` compiles a pattern into exactly
    these (re/_compiler.py, `compile`), the same from Python 3.11 to 3.13."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = [int(word) for word in _compiler._code(parsed, flags)]  # plain numbers, as marshal keeps them
    groupindex = parsed.state.groupdict
    indexgroup: list[Optional[str]] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, dict(groupindex), tuple(indexgroup))


def _save() -> None:
    """Add this run's patterns to the file, those that `re.compile` makes alike, atomically."""
    path = cache_path()
    if path is None or sys.dont_write_bytecode or _kept is None:
        return
    checked = {}
    for (pattern, flags), (arguments, made) in _new.items():
        expected = re.compile(pattern, flags)
        if made == expected and made.groupindex == expected.groupindex and made.groups == expected.groups:
            checked[pattern, flags] = arguments
    if not checked:
        return
    patterns = dict(_kept)
    patterns.update(checked)
    if len(patterns) > _MOST:
        patterns = checked  # start afresh rather than grow without end
    try:
        import marshal

        data = marshal.dumps((_VERSION, patterns))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    except (OSError, ValueError):
        pass  # a folder that cannot be written: the next run compiles again, as now
