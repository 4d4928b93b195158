"""Regular expressions compiled once per installation, not once per run.

`re.compile` turns a pattern into the matcher's code in Python (a parser and a code generator),
and a command that starts afresh does it again for every pattern it uses: for a short `salesflow
lint` that was about a sixth of the whole run, more than all of salesflow's own modules took to
load. The code each pattern compiles to is kept beside salesflow's bytecode (salesflow/pycache.py,
as `regex`), and a later run makes its patterns from that code without compiling them again:

    _WORDS = compiled(r"\\w+")       # as re.compile(r"\\w+"), and the same pattern

Kept code is only used for the very pattern text and flags it was made for, by the interpreter
and matcher that made it, and it is only kept once the pattern made from it has been checked
equal to what `re.compile` makes (equal patterns have the same text, flags and code). Anything
else means compiling as `re.compile` does. The file holds at most a few hundred patterns: one that
would hold more starts afresh, so patterns made from what users write (option words, say) cannot
make it grow without end.
"""

from __future__ import annotations

import sys

import _sre  # the matcher `re` compiles patterns for

from . import pycache

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    import re
    from typing import Optional

# A run whose patterns are all kept never imports `re` itself, nor the enum module it loads (a
# tenth of a short `salesflow lint`): the flags patterns are written with are here, with the
# values `re` gives them (tests/test_regex_cache.py), and so is `re.escape`.
IGNORECASE = 2
MULTILINE = 8
DOTALL = 16
ASCII = 256

# What `re.escape` puts a backslash before.
_SPECIAL = {code: "\\" + chr(code) for code in b"()[]{}?*+-|^$\\.&~# \t\n\r\v\f"}


def escape(text: str) -> str:
    """`re.escape(text)`: `text` as a pattern that matches exactly it."""
    return text.translate(_SPECIAL)


# The matcher the kept code is for (the interpreter is checked by pycache).
_MATCHER = (_sre.MAGIC, _sre.CODESIZE)

# Most patterns a run uses, and room for those of other commands; a file never holds more.
_MOST = 400

_kept: Optional[dict] = None  # (pattern, flags) → the matcher's arguments, as read from the file
_new: dict = {}  # compiled by this run: to be added to the file at exit


def _load() -> dict:
    kept = pycache.load("regex")
    if not isinstance(kept, tuple) or len(kept) != 2 or kept[0] != _MATCHER or not isinstance(kept[1], dict):
        return {}
    return kept[1]


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
        import re

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
    """Add this run's patterns to the file, those that `re.compile` makes alike."""
    if _kept is None or sys.dont_write_bytecode:
        return
    import re

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
    pycache.keep("regex", (_MATCHER, patterns))
