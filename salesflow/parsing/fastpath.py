"""A fast reader of charts, made of the grammar's own terminals, for the charts it can vouch for.

Lark reads a chart with a contextual lexer: in each state of its LALR parser only the terminals
that state accepts are tried, in a fixed order (the first that matches wins), and whitespace is
skipped. The grammar's statements are simple enough that the state is known from the last token
read, so this module tries the same terminals, in the same order, in the same places, with plain
`re` matches and no parser tables: about three times faster than Lark, and without importing it.

It is a shortcut, never a second definition: the terminals are read from grammar/flowchart.lark
(salesflow/parsing/terminals.py); the terminals each place accepts, and their order, are Lark's
(tests/test_fast_path.py compares them with the lexer Lark builds); and the reader gives up
wherever the text is not a chart it can read to the end, so every syntax error is found and
explained by Lark as before. The same test parses every sample, every chart under tests/ (the
differential corpus included) and hundreds of mutated charts both ways and compares the models
or the errors.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from .statements import SHAPE_TOKENS, Chain, Header, LinkRef, NodeRef, SubgraphBlock, SubgraphCloses, SubgraphOpens, Token

_LINKS = (
    "LINK", "LINK_THICK", "LINK_DOTTED", "LINK_INVISIBLE", "TEXT_LINK_DOTTED", "TEXT_LINK", "TEXT_LINK_THICK",
)
_SHAPES = (
    "SQUARE", "CIRCLE", "ROUND", "DOUBLECIRCLE", "DIAMOND", "CYLINDER", "HEXAGON", "LEAN_LEFT", "STADIUM",
    "SUBROUTINE", "INV_TRAPEZOID", "TRAPEZOID", "LEAN_RIGHT", "ODD",
)
_KEYWORD_STATEMENTS = (
    "SUBGRAPH_HEAD", "LINKSTYLE_STMT", "CLASSDEF_STMT", "CLASS_STMT", "DIRECTION_STMT", "STYLE_STMT",
    "CLICK_STMT", "ACC_DESCR_BLOCK", "ACC_DESCR", "ACC_TITLE",
)

# The terminals Lark's lexer tries at each place of a chart, in its order (whitespace aside: no
# terminal starts with a space or a tab, so skipping those first changes nothing).
CONTEXTS: dict[str, tuple[str, ...]] = {
    "start": ("GRAPH", "_SEP"),
    "after_graph": ("_SEP", "DIRECTION"),
    "after_header": ("_SEP",),
    # `end` is read as a NODE_ID and renamed END when it is the whole word, as Lark does.
    "statement": _KEYWORD_STATEMENTS + ("NODE_ID", "_SEP"),
    "after_node_id": ("EDGE_ID",) + _LINKS + _SHAPES + ("CLASS_SUFFIX", "NODE_DATA", "_SEP", "_AMP"),
    "after_shape": ("EDGE_ID",) + _LINKS + ("CLASS_SUFFIX", "NODE_DATA", "_SEP", "_AMP"),
    "after_node": ("EDGE_ID",) + _LINKS + ("_SEP", "_AMP"),
    "after_amp": ("NODE_ID",),
    "after_edge_id": _LINKS,
    "after_link": ("NODE_ID", "EDGE_LABEL"),
    "after_edge_label": ("NODE_ID",),
    "after_statement": ("_SEP",),
}

_compiled: Optional[dict[str, re.Pattern[str]]] = None

# A node or link reference made as the tuple it is, without the Python-level `__new__` of a named
# tuple: a chart of 10,000 nodes makes some 40,000 of them.
_make_ref = tuple.__new__


def _contexts() -> dict[str, re.Pattern[str]]:
    """Each context's terminals as one pattern, built on first use, as Lark builds its scanner."""
    global _compiled
    if _compiled is None:
        from .terminals import terminals

        table = terminals()
        _compiled = {
            name: re.compile(
                "[ \t]*(?:" + "|".join(f"(?P<{t}>{table[t].regexp})" for t in names) + ")"
            )
            for name, names in CONTEXTS.items()
        }
    return _compiled


class _Reader:
    """Reads one chart from the start; every token it makes carries Lark's positions."""

    __slots__ = ("text", "line", "line_start", "pos")

    def __init__(self, text: str) -> None:
        self.text = text
        self.line = 1
        self.line_start = 0  # offset of the first character of the current line
        self.pos = 0  # offset up to which lines are counted

    def token(self, kind: str, start: int, end: int) -> Token:
        text = self.text
        if self.pos < start:
            newlines = text.count("\n", self.pos, start)
            if newlines:
                self.line += newlines
                self.line_start = text.rindex("\n", self.pos, start) + 1
        token = Token(text[start:end])
        token.type = kind
        token.start_pos = start
        token.line = self.line
        token.column = start - self.line_start + 1
        newlines = text.count("\n", start, end)
        if newlines:
            self.line += newlines
            self.line_start = text.rindex("\n", start, end) + 1
        token.end_line = self.line
        token.end_column = end - self.line_start + 1
        token.end_pos = end
        self.pos = end
        return token


def read(text: str) -> Optional[list]:
    """The statements of `text` (the prepared chart) as Lark's parser gives them, subgraphs
    nested; None where the chart is not one this reader can read to the end."""
    body: list = []
    outer: list[list] = []
    for statement in statements(text):
        if statement is None:
            return None
        kind = type(statement)
        if kind is SubgraphOpens:
            outer.append(body)
            body = [statement.head]
        elif kind is SubgraphCloses:
            block = SubgraphBlock(body[0], body[1:], statement.end)
            body = outer.pop()
            body.append(block)
        else:
            body.append(statement)
    return body


def statements(text: str) -> Iterator[Optional[object]]:
    """The statements of `text` (the prepared chart), one at a time, in the order Lark's parser
    makes them: the header, then chains and keyword statements, a subgraph as where it opens, its
    statements and where it closes. Where the chart is not one this reader can read to the end,
    the last thing it gives is None: Lark then reads the chart, and gives every error."""
    patterns = _contexts()
    start_context = patterns["start"]
    statement_context = patterns["statement"]
    after_node_id = patterns["after_node_id"]
    after_shape = patterns["after_shape"]
    after_node = patterns["after_node"]
    after_amp = patterns["after_amp"]
    after_edge_id = patterns["after_edge_id"]
    after_link = patterns["after_link"]
    after_edge_label = patterns["after_edge_label"]
    after_statement = patterns["after_statement"]
    reader = _Reader(text)
    make = reader.token
    length = len(text)

    # ------------------------------------------------------------------ the header
    match = start_context.match(text)
    if match is not None and match.lastgroup == "_SEP":
        match = start_context.match(text, match.end())
    if match is None or match.lastgroup != "GRAPH":
        yield None
        return
    keyword = make("GRAPH", match.start("GRAPH"), match.end())
    pos = match.end()
    match = patterns["after_graph"].match(text, pos)
    direction = None
    if match is not None and match.lastgroup == "DIRECTION":
        direction = make("DIRECTION", match.start("DIRECTION"), match.end())
        pos = match.end()
        match = patterns["after_header"].match(text, pos)
    yield Header(keyword, direction)
    open_blocks: list[Token] = []  # the heads of the subgraphs open here

    # ------------------------------------------------------------------ statements
    while True:
        # Here `match` is what follows a statement: a separator, or nothing but the end.
        if match is None or match.lastgroup != "_SEP":
            if text[pos:].strip(" \t") or open_blocks:
                yield None
            return
        pos = match.end()
        if pos == length:
            if open_blocks:
                yield None
            return
        match = statement_context.match(text, pos)
        if match is None:
            yield None
            return
        kind = match.lastgroup
        if kind != "NODE_ID":
            if kind == "_SEP":  # only a separator takes a separator's place; it cannot follow one
                yield None
                return
            token = make(kind, match.start(kind), match.end())
            pos = match.end()
            if kind == "SUBGRAPH_HEAD":
                open_blocks.append(token)
                yield SubgraphOpens(token)
            else:
                yield token
            match = after_statement.match(text, pos)
            continue
        start = match.start(kind)
        pos = match.end()
        if pos - start == 3 and text.startswith("end", start):
            if not open_blocks:
                yield None  # Lark reads an `end` there too, and refuses it
                return
            yield SubgraphCloses(open_blocks.pop(), make("END", start, pos))
            match = after_statement.match(text, pos)
            continue

        # A chain: groups of nodes joined by links.
        items: list = []
        group: list = []
        while True:
            # The node whose NODE_ID runs from `start` to `pos`.
            node_id = make("NODE_ID", start, pos)
            shape = label = data = suffix = None
            match = after_node_id.match(text, pos)
            kind = match.lastgroup if match is not None else None
            if kind in SHAPE_TOKENS:
                shape, opening, closing = SHAPE_TOKENS[kind]
                label = text[match.start(kind) + opening : match.end() - closing]
                pos = match.end()
                match = after_shape.match(text, pos)
                kind = match.lastgroup if match is not None else None
            if kind == "NODE_DATA" or kind == "CLASS_SUFFIX":
                pos = match.end()
                token = make(kind, match.start(kind), pos)
                if kind == "NODE_DATA":
                    data = token
                else:
                    suffix = token
                match = after_node.match(text, pos)
                kind = match.lastgroup if match is not None else None
            group.append(_make_ref(NodeRef, (node_id, shape, label, data, suffix)))
            if kind is None or kind == "_SEP":
                items.append(group)
                break
            if kind == "_AMP":
                match = after_amp.match(text, match.end())
                if match is None:
                    yield None
                    return
                start, pos = match.start("NODE_ID"), match.end()
                continue
            # A link, perhaps after an edge id and before a `|label|`.
            edge_id = pipe = None
            if kind == "EDGE_ID":
                edge_id = make(kind, match.start(kind), match.end())
                match = after_edge_id.match(text, match.end())
                if match is None:
                    yield None
                    return
                kind = match.lastgroup
            link = make(kind, match.start(kind), match.end())
            match = after_link.match(text, match.end())
            if match is None:
                yield None
                return
            if match.lastgroup == "EDGE_LABEL":
                pipe = make("EDGE_LABEL", match.start("EDGE_LABEL"), match.end())
                match = after_edge_label.match(text, match.end())
                if match is None:
                    yield None
                    return
            items.append(group)
            items.append(_make_ref(LinkRef, (link, edge_id, pipe)))
            group = []
            start, pos = match.start("NODE_ID"), match.end()
        # `match` is what follows the chain: a separator, or None at the end of the text.
        yield Chain(items)
