"""The grammar's terminals, read from grammar/flowchart.lark without loading Lark.

The fast reader of common statements (salesflow/parsing/fastpath.py) matches the grammar's own
terminals, so the grammar stays the one definition of the language. Reading a terminal the way
Lark does takes a few rules, enough for the forms the grammar uses: a terminal is a sequence of
regular expressions (`/…/`), strings (`"…"`) and other terminals, or a choice of terminals
(`_LABEL: _QUOTED | _PLAIN`). tests/test_fast_path.py checks that every terminal reads here
exactly as it reads in Lark (same regular expression, same priority).
"""

from __future__ import annotations

import os

from ..regex_cache import DOTALL, MULTILINE, compiled, escape
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    import re
    from typing import Optional

# `NAME.priority: definition`, one per line in the grammar.
_DEFINITION = compiled(r"^([A-Z_][A-Z0-9_]*)(?:\.(\d+))?[ \t]*:[ \t]*(.+?)[ \t]*$", MULTILINE)
# One item of a definition: a regular expression, a string, a terminal's name, or `|`.
_ITEM = compiled(r'/(?:[^/\\\n]|\\.)+/|"(?:[^"\\\n]|\\.)*"|[A-Z_][A-Z0-9_]*|\||\s+')
_IGNORE = compiled(r"^%ignore[ \t]+/((?:[^/\\\n]|\\.)+)/[ \t]*$", MULTILINE)
_ESCAPES = {"n": "\n", "t": "\t", "f": "\f", "r": "\r"}
# A backslash and what follows it: a character's code (`\xHH`, `\uHHHH`, `\UHHHHHHHH`) or one character.
_ESCAPE = compiled(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", DOTALL)


class Terminal(Fields):
    __slots__ = ()
    _fields = ("regexp", "priority")  # not typing's: cheaper to define at each start

    def __new__(cls, regexp, priority):
        return tuple.__new__(cls, (regexp, priority))


def grammar_text() -> str:
    """The grammar, loaded as package data so an installed wheel works outside the checkout."""
    import sys

    try:
        # Imported by name as importlib.import_module does, without importing importlib (and warnings).
        __import__("salesflow.grammar")
        spec = sys.modules["salesflow.grammar"].__spec__
    except ModuleNotFoundError:
        # Running from a source checkout that was not installed: grammar/ sits beside salesflow/.
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, os.pardir, os.pardir, "grammar", "flowchart.lark"), encoding="utf-8") as handle:
            return handle.read()
    # The package's own loader reads the file beside its __init__.py (from a folder or a zip alike);
    # importlib.resources would do the same after importing pathlib, tempfile and zipfile.
    path = os.path.join(spec.submodule_search_locations[0], "flowchart.lark")
    text = spec.loader.get_data(path).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as a file opened as text reads it


def _unescape(body: str, is_string: bool) -> str:
    """The text of a literal as Lark reads it: `\\n`, `\\t`, `\\xHH`, … become the character and
    `\\"` a quote; in a string `\\\\` is one backslash, in a regular expression every other escape
    is left to the regular expression."""
    if "\\" not in body:
        return body  # most literals: nothing to read
    # One escape after another, left to right: a backslash and what follows it.
    return _ESCAPE.sub(_unescape_string if is_string else _unescape_regexp, body)


def _unescaped(escape: "re.Match[str]", backslash: str) -> str:
    """One escape of a literal read (see `_unescape`); `backslash`: what `\\\\` stands for."""
    number = escape[1] or escape[2] or escape[3]
    if number:
        return chr(int(number, 16))
    following = escape[4]
    if following in _ESCAPES:
        return _ESCAPES[following]
    if following == '"':
        return '"'
    if following == "\\":
        return backslash
    return "\\" + following


def _unescape_string(escape: "re.Match[str]") -> str:
    return _unescaped(escape, "\\")


def _unescape_regexp(escape: "re.Match[str]") -> str:
    return _unescaped(escape, "\\\\")


def read_terminals(grammar: str, sequences: Optional[dict] = None) -> dict[str, Terminal]:
    """Every terminal the grammar defines, as the regular expression Lark makes of it.

    `sequences`, when given, receives the parts of each terminal defined as one sequence (no `|`),
    in order, each as (the name of the terminal it refers to, or None; its regular expression)."""
    definitions: dict[str, tuple[str, int]] = {}
    for match in _DEFINITION.finditer(grammar):
        name, priority, body = match.groups()
        definitions[name] = (body, int(priority or 0))
    done: dict[str, str] = {}

    def regexp(name: str) -> str:
        if name in done:
            return done[name]
        body = definitions[name][0]
        choices: list[list[tuple[Optional[str], str]]] = [[]]
        position = 0
        while position < len(body):
            item = _ITEM.match(body, position)
            if item is None:
                raise ValueError(f"cannot read the terminal {name}: {body[position:]!r}")
            position = item.end()
            text = item.group()
            if text.isspace():
                continue
            if text == "|":
                choices.append([])
            elif text.startswith("/"):
                choices[-1].append((None, _unescape(text[1:-1], is_string=False)))
            elif text.startswith('"'):
                choices[-1].append((None, escape(_unescape(text[1:-1], is_string=True))))
            else:
                choices[-1].append((text, regexp(text)))
        if sequences is not None and len(choices) == 1:
            sequences[name] = tuple(choices[0])
        # As Lark joins them: a sequence is its parts one after another, a choice is wrapped.
        joined = ["".join(part for _name, part in parts) for parts in choices]
        done[name] = joined[0] if len(joined) == 1 else "(?:" + "|".join(joined) + ")"
        return done[name]

    found = {name: Terminal(regexp(name), priority) for name, (_body, priority) in definitions.items()}
    # What the grammar ignores between terminals, named as Lark names it.
    for number, ignored in enumerate(_IGNORE.findall(grammar)):
        found[f"__IGNORE_{number}"] = Terminal(_unescape(ignored, is_string=False), 0)
    return found


def terminals(sequences: Optional[dict] = None) -> dict[str, Terminal]:
    """The terminals of grammar/flowchart.lark (`sequences`: see `read_terminals`)."""
    return read_terminals(grammar_text(), sequences)
