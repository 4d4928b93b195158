"""The common forms of front matter, read without loading a YAML parser.

Front matter is nearly always a flat list of `key: value` lines, with a few lists written as
`- item` lines or `[a, b]`. Importing PyYAML costs a cold `salesflow lint` more than reading such
a chart does, so this module reads exactly these forms and gives the same entries, values and
positions as YAML read the way salesflow reads it (every scalar as its text: `400`, `true` and
`2027-03-31` stay strings). Whatever it does not fully understand — nested mappings, multi-line
or escaped scalars, anchors, tags, tabs, trailing comments, a key given twice, an empty value —
it leaves to YAML by answering None, so YAML stays the one reading and gives every error.
tests/test_simple_yaml.py compares both readings on every front matter of the samples and tests
and on tricky cases.
"""

from __future__ import annotations

from ..regex_cache import compiled
from .metadata import Entry, Value

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional

_new = tuple.__new__  # as in metadata.py: skips the named tuples' own `__new__`

# Patterns are few and small, and Unicode ranges are avoided (a class over the Han range alone
# costs a millisecond to compile): this module is loaded by every chart with front matter.
_ITEM_LINE = compiled(r"( *)- +(.*?) *\Z")
_DOUBLE_QUOTED = compiled(r'"([^"\\]*)"\Z')
_SINGLE_QUOTED = compiled(r"'((?:[^']|'')*)'\Z")
# What a plain scalar may not start with: YAML's indicators.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# What a word inside `[…]` may not hold anywhere: flow indicators, quotes, comments, colons.
_NOT_IN_LIST_WORDS = frozenset(",[]{}#'\":")


def _key(line: str) -> Optional[tuple[str, str, int]]:
    """(key, value as written, column of the value) of a `key: value` line, or None. A key is a
    word (letters of any script, digits, `_`, `-` inside), which YAML reads as that word."""
    key, colon, rest = line.partition(":")
    if not colon or not key.replace("-", "_").isidentifier() or key[0] == "-" or (rest and rest[0] != " "):
        return None
    value = rest.strip(" ")
    return key, value, len(line) - len(rest.lstrip(" ")) if value else len(line)


def _left_to_yaml(text: str) -> bool:
    """Whether `text` holds a character YAML reads specially wherever it is or refuses: a tab,
    a line break other than `\\n`, a byte-order mark, a control character. Python's printable
    characters are all plain to YAML; others (a no-break space among them) are left to YAML."""
    return not text.replace("\n", "").isprintable()


def _scalar(text: str, line: int, column: int) -> Optional[Value]:
    """A one-line scalar written at (line, column): plain, or quoted without escapes."""
    if not text:
        return None
    quoted = _DOUBLE_QUOTED.match(text)
    if quoted:
        return _new(Value, (quoted.group(1), line, column))
    quoted = _SINGLE_QUOTED.match(text)
    if quoted:
        return _new(Value, (quoted.group(1).replace("''", "'"), line, column))
    # A plain scalar ends at `: ` or ` #` and may not end with `:`: those mean more than text.
    if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return None
    return _new(Value, (text, line, column))


def _flow_list(text: str, line: int, column: int) -> Optional[Value]:
    """`[a, b]` of plain words on one line, as YAML reads it: the words without their spaces."""
    if text[-1] != "]":
        return None
    inner = text[1:-1]
    items: list[Value] = []
    if inner.strip(" "):
        offset = column + 1
        for part in inner.split(","):
            item = part.strip(" ")
            if not item or item[0] in _INDICATORS or not _NOT_IN_LIST_WORDS.isdisjoint(item):
                return None
            items.append(_new(Value, (item, line, offset + len(part) - len(part.lstrip(" ")))))
            offset += len(part) + 1
    return _new(Value, (items, line, column))


def _block_list(lines: list[str], index: int) -> tuple[Optional[Value], int]:
    """The `- item` lines from `index` on, all at one indentation, and the index after them."""
    items: list[Value] = []
    indent: Optional[int] = None
    while index < len(lines):
        line = lines[index]
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            index += 1
            continue
        match = _ITEM_LINE.match(line)
        if match is None or (indent is not None and len(match.group(1)) != indent):
            if line[0] == " ":
                return None, index  # indented, but not an item of this list
            break
        indent = len(match.group(1))
        item = _scalar(match.group(2), index, match.start(2))
        if item is None:
            return None, index
        items.append(item)
        index += 1
    if not items:
        return None, index  # an empty value: YAML's reading of it is left to YAML
    return _new(Value, (items, items[0].line, indent)), index


def read_simple_mapping(text: str) -> Optional[list[Entry]]:
    """The entries of `text` if it is simple front matter, with YAML's positions (0-based); else None."""
    if _left_to_yaml(text):
        return None
    lines = text.split("\n")
    entries: list[Entry] = []
    keys: set[str] = set()
    values = 1  # the mapping itself, counted as YAML's reading counts against its limit
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":  # a blank line or a whole-line comment
            index += 1
            continue
        found = _key(line)
        if found is None:
            return None
        key, written, column = found
        if key in keys:
            return None  # YAML's reading says it is given twice
        keys.add(key)
        key_line = index
        if written:
            value = _flow_list(written, index, column) if written[0] == "[" else _scalar(written, index, column)
            index += 1
        else:
            value, index = _block_list(lines, index + 1)
        if value is None:
            return None
        values += 2 + (len(value.value) if isinstance(value.value, list) else 0)
        entries.append(_new(Entry, (key, key_line, 0, value)))
    from ..limits import YAML_VALUES

    if values > YAML_VALUES.value:
        return None  # YAML's reading stops it with its message
    return entries
