"""The Lark side of parsing: load the grammar once, and turn its matches into plain statements.

This is the only module that parses with Lark (salesflow/parsing/friendly.py reads its errors).
It hands the builder the small tuples of tokens of salesflow/parsing/statements.py, the same
that the fast reader of common charts (salesflow/parsing/fastpath.py) makes, so the semantic
pass (which node belongs where, what the metadata says) is plain Python.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .statements import SHAPE_TOKENS, Chain, Header, LinkRef, NodeRef, SubgraphBlock
from .terminals import grammar_text

_parser: Optional[Lark] = None
_fast_parser: Optional[Lark] = None


def _build(plugins: Optional[dict] = None) -> Lark:
    options: dict[str, Any] = {"_plugins": plugins} if plugins else {}
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        transformer=_ToStatements(),
        maybe_placeholders=False,
        # Lark keeps the analysed grammar in a file in the temporary directory, keyed by the
        # grammar's hash: building it takes about 60 ms, loading it about 7 ms.
        cache=True,
        **options,
    )


def parser() -> Lark:
    """The pure-Python LALR parser, built on first use. Its errors carry the parser state that
    salesflow/parsing/friendly.py reads to explain a mistake."""
    global _parser
    if _parser is None:
        _parser = _build()
    return _parser


def fast_parser() -> Lark:
    """The same parser compiled by lark-cython when that is installed (about a third faster on
    large charts), else the pure-Python one. Both give the same statements for valid input."""
    global _fast_parser
    if _fast_parser is None:
        try:
            import lark_cython
        except ImportError:
            _fast_parser = parser()
        else:
            _fast_parser = _build(lark_cython.plugins)
    return _fast_parser


# After an `end`, these make it read as a node id (`end --> B`): the `end` did not close anything.
_CONTINUES_A_NODE = {
    "LINK", "LINK_THICK", "LINK_DOTTED", "LINK_INVISIBLE", "TEXT_LINK", "TEXT_LINK_THICK", "TEXT_LINK_DOTTED",
    "EDGE_ID", "EDGE_LABEL", "NODE_DATA", "CLASS_SUFFIX", "_AMP",
}
_HEADER_WORD = re.compile(r"(?i)(?:flowchart-elk|flowchart|graph)(?![\w-])")


def read_all_errors(text: str, report: Callable[[UnexpectedInput], bool]) -> None:
    """Read `text` to its end with the pure-Python parser, handing each syntax error to `report`.

    After an error the parser carries on at the next statement, so one mistake gives one message,
    not a cascade: the rest of the line is skipped, and the parser forgets the unfinished statement
    (it goes back to the last point where a statement could end). `report` returns False to stop.
    Some mistakes leave nothing sound to carry on from, and end the reading: a missing header (the
    text may not be a flowchart at all) and the end of the text.
    """
    last_position = -1

    def recover(error: UnexpectedInput) -> bool:
        nonlocal last_position
        position = _position(error, text)
        # Each error must lie beyond the previous one; anything else would go round in circles.
        if position <= last_position or not report(error):
            return False
        last_position = position
        if isinstance(error, UnexpectedToken) and error.token.type == "$END":
            return False
        interactive = error.interactive_parser
        state = interactive.parser_state
        lexer = interactive.lexer_thread.state
        if not any(isinstance(v, Header) or (isinstance(v, Token) and v.type == "GRAPH") for v in state.value_stack):
            # A header in the wrong case (`Flowchart LR`) is still clearly a header: read the rest
            # as a flowchart. Anything else may not be a flowchart at all.
            if not _HEADER_WORD.match(text, position):
                return False
            _skip_to_line_end(lexer, text, position)
            try:
                interactive.feed_token(Token("GRAPH", "graph"))
            except UnexpectedInput:
                return False
            return True
        if _end_was_meant_as_a_node(error, state.value_stack, text, position):
            # `end --> B`: the subgraph is still open; forget the `end`.
            state.value_stack.pop()
            state.state_stack.pop()
        # Forget the unfinished statement: back to the last state where a statement may end.
        table = state.parse_conf.states
        while len(state.state_stack) > 1 and "_SEP" not in table[state.state_stack[-1]]:
            state.state_stack.pop()
            state.value_stack.pop()
        if isinstance(error, UnexpectedToken) and error.token.type == "_SEP":
            # The line break that came too early is where the next statement starts.
            try:
                interactive.feed_token(error.token)
            except UnexpectedInput:
                return False
        else:
            _skip_to(lexer, text, _end_of_statement(text, position, lexer.line_ctr.char_pos))
        return True

    try:
        parser().parse(text, on_error=recover)
    except UnexpectedInput:
        pass  # reported already, or reading stopped on purpose


def _end_was_meant_as_a_node(error: UnexpectedInput, values: list, text: str, position: int) -> bool:
    """Whether the error follows an `end` on its line that the text goes on to use as a node."""
    if not values or not isinstance(values[-1], Token) or values[-1].type != "END":
        return False
    if isinstance(error, UnexpectedToken) and not (
        error.token.type in _CONTINUES_A_NODE or error.token.type in SHAPE_TOKENS
    ):
        return False  # `end %% note` closes its subgraph all the same
    return values[-1].line == text.count("\n", 0, position) + 1


def _position(error: UnexpectedInput, text: str) -> int:
    if isinstance(error, UnexpectedCharacters):
        return error.pos_in_stream
    token = error.token
    if token.type == "$END" or token.start_pos is None:
        return len(text)
    return token.start_pos


def _skip_to_line_end(lexer: Any, text: str, position: int) -> None:
    """Move the lexer on to the line break after `position` (or the end of the text)."""
    line_end = text.find("\n", position)
    _skip_to(lexer, text, len(text) if line_end < 0 else line_end)


def _skip_to(lexer: Any, text: str, position: int) -> None:
    """Move the lexer on to `position` in `text`, the text it reads, keeping its line count."""
    counter = lexer.line_ctr
    if position > counter.char_pos:
        counter.feed(text[counter.char_pos : position])


def _end_of_statement(text: str, position: int, lexed: int) -> int:
    """Where to carry on after an error at `position` (the lexer has read up to `lexed`): the end
    of the line, or of the node data block `@{…}` that opens on it and runs over several lines."""
    line_end = text.find("\n", max(position, lexed))
    if line_end < 0:
        return len(text)
    data = text.rfind("@{", position, line_end)
    if data >= 0 and "}" not in text[data:line_end]:
        return max(line_end, _end_of_data_block(text, data))
    return line_end


def _end_of_data_block(text: str, position: int) -> int:
    """The end of node data `@{…}` that could not be read: its YAML may run over the lines indented
    below it, up to a closing `}`; reading those lines as statements would only give false errors."""
    line_start = text.rfind("\n", 0, position) + 1
    first_line = text[line_start : position]
    indent = len(first_line) - len(first_line.lstrip(" \t"))
    end = text.find("\n", position)
    while end >= 0:
        next_end = text.find("\n", end + 1)
        line = text[end + 1 : len(text) if next_end < 0 else next_end]
        content = line.lstrip(" \t")
        if content and len(line) - len(content) <= indent:
            return (len(text) if next_end < 0 else next_end) if content.startswith("}") else end
        end = next_end
    return len(text)


class _ToStatements(Transformer):
    """Runs inside the LALR parser (no tree is built): each rule becomes a tuple or dataclass."""

    def start(self, children: list) -> list:
        return children

    def header(self, children: list) -> Header:
        return Header(children[0], children[1] if len(children) > 1 else None)

    def subgraph(self, children: list) -> SubgraphBlock:
        return SubgraphBlock(children[0], children[1:-1], children[-1])

    def chain(self, children: list) -> Chain:
        return Chain(children)

    def group(self, children: list) -> list:
        return children

    def node(self, children: list) -> NodeRef:
        node_id = children[0]
        shape = label = data = suffix = None
        for child in children[1:]:
            kind = child.type
            if kind in SHAPE_TOKENS:
                shape, opening, closing = SHAPE_TOKENS[kind]
                label = str(child)[opening:-closing]
            elif kind == "NODE_DATA":
                data = child
            else:
                suffix = child
        return NodeRef(node_id, shape, label, data, suffix)

    def link(self, children: list) -> LinkRef:
        edge_id = pipe = None
        body = None
        for child in children:
            if child.type == "EDGE_ID":
                edge_id = child
            elif child.type == "EDGE_LABEL":
                pipe = child
            else:
                body = child
        assert body is not None
        return LinkRef(body, edge_id, pipe)
