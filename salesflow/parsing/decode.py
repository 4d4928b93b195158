"""Decoding the text of single tokens: labels, links, subgraph headers and keyword statements.

Each function takes the token's text and returns plain values, or None where the text is not
what the statement needs (the builder turns that into a positioned error).
"""

from __future__ import annotations


from ..lazy_regex import LazyRegex
from ..memo import memoized
from ..mermaid_vocabulary import NODE_ID_PATTERN
from ..model import END_ARROW, END_CIRCLE, END_CROSS, END_NONE
from ..regex_cache import DOTALL, compiled
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional

_END_MARKERS = {"<": END_ARROW, ">": END_ARROW, "x": END_CROSS, "o": END_CIRCLE}


def is_empty_string(raw: str) -> bool:
    """Whether a label is written as an empty string, `""` or "``": Mermaid's lexer has no empty
    string, so it refuses the chart (an empty label is `A@{ label: "" }`)."""
    return raw.strip() in ('""', '"``"')


def decode_label(raw: str) -> tuple[str, str]:
    """`raw` is a label between a shape's brackets (the grammar's `_LABEL`, quoted or plain):
    return (text, "text" | "markdown").

    Mermaid trims the text of a label, then drops one pair of surrounding double quotes.
    """
    text = raw.strip()
    if text.startswith('"`') and text.endswith('`"') and len(text) >= 4:
        return text[2:-2], "markdown"
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1], "text"
    return text, "text"


class LinkShape(Fields):
    __slots__ = ()
    _fields = (
        "stroke",  # str
        "start",  # str
        "end",  # str
        "length",  # int
        "text",  # Optional[str]
        "empty_string",  # bool: the text is written `""`, which Mermaid refuses
        "text_format",  # str: "markdown" for a "`…`" text
    )

    def __new__(cls, stroke, start, end, length, text, empty_string=False, text_format="text"):
        return tuple.__new__(cls, (stroke, start, end, length, text, empty_string, text_format))


# A link with text splits into start mark, opener, text and closer: `<-- text -->`. The closer sets
# the length and the end; it is the run of strokes at the end of the token (as the lexer leaves no
# stroke at the end of the text), found from the right: a regular expression with a lazy text
# before it would try each place in a long run of strokes inside quoted text, quadratic time.
_TEXT_LINK = {"TEXT_LINK": ("--", "-"), "TEXT_LINK_THICK": ("==", "="), "TEXT_LINK_DOTTED": ("-.", ".")}


def _split_text_link(kind: str, raw: str) -> tuple[str, str, str]:
    """(start mark, text, closer) of a TEXT_LINK* token."""
    opener, stroke = _TEXT_LINK[kind]
    start_char = raw[0] if raw[0] in "xo<" else ""
    body = raw[len(start_char) :]
    assert body.startswith(opener), raw  # the terminal's own pattern guarantees the split
    body = body[len(opener) :]
    end_char = body[-1] if body and body[-1] in "xo>" else ""
    line = body[: len(body) - len(end_char)]
    if kind == "TEXT_LINK_DOTTED":
        assert line.endswith("-"), raw  # dots, then one `-`, then the end mark
        line = line[:-1]
    run = len(line) - len(line.rstrip(stroke))
    text = line[: len(line) - run]
    return start_char, text, body[len(text) :]


_STROKE = {
    "LINK": "normal",
    "LINK_THICK": "thick",
    "LINK_DOTTED": "dotted",
    "LINK_INVISIBLE": "invisible",
    "TEXT_LINK": "normal",
    "TEXT_LINK_THICK": "thick",
    "TEXT_LINK_DOTTED": "dotted",
}


def _line_shape(stroke: str, start_char: str, line: str) -> tuple[str, str, int]:
    """From the body of a link without text (`--->`, `-..->`, `===`): (start, end, length)."""
    start = _END_MARKERS.get(start_char, END_NONE)
    end_char = line[-1] if line and line[-1] in "xo>" else ""
    end = _END_MARKERS.get(end_char, END_NONE)
    if stroke == "dotted":
        return start, end, line.count(".")
    strokes = sum(1 for ch in line if ch in "-=~")
    # Mermaid counts `-->` and `---` both as length 1: a link needs two strokes plus an end.
    return start, end, max(1, strokes - (1 if end_char else 2))


MAX_LINK_LENGTH = 10  # Mermaid draws no link longer than this, however many dashes it has


# A chart writes the same few links over and over (`-->`, `-.->`, `-- 是 -->`, `-->|是|`): each is read once.
@memoized(maxsize=1024)
def decode_link(kind: str, raw: str, pipe_label: Optional[str] = None) -> LinkShape:
    """The link token `raw` of terminal `kind`; with `pipe_label` (`|text|`), the text is that label's."""
    if pipe_label is not None:
        text, text_format = decode_pipe_label(pipe_label)
        return decode_link(kind, raw)._replace(text=text, text_format=text_format)
    stroke = _STROKE[kind]
    if kind in _TEXT_LINK:
        start_char, text, closer = _split_text_link(kind, raw)
        start, end, length = _line_shape(stroke, start_char, closer)
        label, label_format = decode_label(text)
        return LinkShape(
            stroke, start, end, min(length, MAX_LINK_LENGTH), label, is_empty_string(text), label_format
        )
    start_char = raw[0] if raw[0] in "xo<" and len(raw) > 1 and raw[1] in "-=" else ""
    body = raw[len(start_char) :]
    start, end, length = _line_shape(stroke, start_char, body)
    return LinkShape(stroke, start, end, min(length, MAX_LINK_LENGTH), None)


def decode_pipe_label(raw: str) -> tuple[str, str]:
    """`|text|` → (text, "text" | "markdown")."""
    return decode_label(raw[1:-1])


class SubgraphHead(Fields):
    __slots__ = ()
    _fields = (
        "id",  # Optional[str]: None: Mermaid gives it an automatic id
        "title",  # str
        "title_format",  # str
        "stray_quote",  # bool: a quote inside a title that is not quoted whole, which Mermaid refuses
        "empty_string",  # bool: the title is written `""`, which Mermaid refuses
    )

    def __new__(cls, id, title, title_format, stray_quote=False, empty_string=False):
        return tuple.__new__(cls, (id, title, title_format, stray_quote, empty_string))


_HEAD_WITH_TITLE = compiled(rf"^({NODE_ID_PATTERN})\s*\[(.*)\]$", DOTALL)
_HEAD_ID_ONLY = compiled(rf"^{NODE_ID_PATTERN}$")


def decode_subgraph_head(raw: str) -> Optional[SubgraphHead]:
    """`subgraph id [title]`, `subgraph id`, `subgraph "title"`, `subgraph some title`."""
    rest = raw[len("subgraph") :].strip()
    if not rest:
        return None
    match = _HEAD_WITH_TITLE.match(rest)
    if match:
        written = match.group(2).strip()
        title, fmt = decode_label(written)
        quoted_whole = written.startswith('"') and written.endswith('"') and written.count('"') == 2
        return SubgraphHead(
            match.group(1), title, fmt, '"' in written and not quoted_whole, is_empty_string(written)
        )
    if rest.startswith('"'):
        title, fmt = decode_label(rest)
        # A quoted title without spaces is also the id, as in Mermaid: `subgraph "销售部"`.
        return SubgraphHead(
            title if _HEAD_ID_ONLY.match(title) else None, title, fmt, empty_string=is_empty_string(rest)
        )
    if _HEAD_ID_ONLY.match(rest):
        return SubgraphHead(rest, rest, "text")
    return SubgraphHead(None, rest, "text")


def statement_rest(raw: str, keyword: str) -> str:
    return raw[len(keyword) :].strip()


# Mermaid reads the style of `classDef`, `style` and `linkStyle` as comma-separated parts made of
# ASCII words, numbers, units, `:`, `#`, `%`, spaces and a few marks (checked against Mermaid
# 11.17). It refuses brackets of every kind (`url(x)`, `rgb(1,2,3)`), `<`, `>`, `=`, `@`, `^`,
# `|`, `~`, letters outside ASCII (spaces outside ASCII are spaces to it), a dash that starts a
# link (`--`, `->`, `-.`), a word that starts with `&` or `*`, and empty parts.
_STYLE_REFUSED = LazyRegex(  # compiled for the first chart with a style
    r"[()<>=@\[\]^{}|~]|[^\x00-\x7f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|-[->.]"
    r"|(?:^|(?<=[\s:,]))[&*]|^\s*,|,\s*(?=,|$)"
)


def style_problem(style: str) -> Optional[tuple[int, str]]:
    """Where Mermaid stops reading `style` and what it found there, or None when it reads it all.

    >>> style_problem("fill:#f9f,stroke:#333,stroke-width:2px")
    >>> style_problem("fill:url(x)")
    (8, '(')
    >>> style_problem("fill:red,")
    (8, ',')
    """
    match = _STYLE_REFUSED.search(style)
    if match is None:
        return None
    return match.start(), match.group(0).strip()[:2]


_QUOTED_OR_WORD = LazyRegex(r'"([^"]*)"|(\S+)')  # for the first chart with a class or click statement


def split_words(text: str) -> list[str]:
    """Words of a statement, where a double-quoted string counts as one word."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _QUOTED_OR_WORD.finditer(text)]


class ClickParts(Fields):
    __slots__ = ()
    _fields = (
        "node",  # str
        "action",  # str: "link" | "callback"
        "target",  # str
        "tooltip",  # Optional[str]
        "window",  # Optional[str]
    )

    def __new__(cls, node, action, target, tooltip, window):
        return tuple.__new__(cls, (node, action, target, tooltip, window))


_CALL = LazyRegex(r"^call\s+([^\s(]+)(\([^)]*\))?\s*(.*)$", DOTALL)  # for the first `click … call`


def decode_click(raw: str) -> Optional[ClickParts]:
    """`click A "url" "tip" _blank`, `click A href "url"`, `click A callback "tip"`, `click A call f()`."""
    rest = statement_rest(raw, "click")
    parts = rest.split(None, 1)
    if not parts:
        return None
    node = parts[0]
    tail = parts[1].strip() if len(parts) > 1 else ""
    if not tail:
        return None
    call = _CALL.match(tail)
    if call:
        words = split_words(call.group(3))
        return ClickParts(node, "callback", call.group(1) + (call.group(2) or ""), words[0] if words else None, None)
    words = split_words(tail)
    if tail.startswith("href"):
        words = words[1:]
        if not words:
            return None
        link_words = words
    elif tail.startswith('"'):
        link_words = words
    else:
        return ClickParts(node, "callback", words[0], words[1] if len(words) > 1 else None, None)
    url = link_words[0]
    tooltip = window = None
    for word in link_words[1:]:
        if word.startswith("_"):
            window = word
        elif tooltip is None:
            tooltip = word
    return ClickParts(node, "link", url, tooltip, window)
