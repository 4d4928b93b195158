"""The Lark side of parsing: load the grammar once, and turn its matches into plain statements.

This is the only module that knows Lark. It hands the builder small tuples of tokens, so the
semantic pass (which node belongs where, what the metadata says) is plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, Optional

from lark import Lark, Token, Transformer

from ..model import BRACKETS

_parser: Optional[Lark] = None
_fast_parser: Optional[Lark] = None


def grammar_text() -> str:
    """The grammar, loaded as package data so an installed wheel works outside the checkout."""
    from importlib import resources

    try:
        return resources.files("salesflow.grammar").joinpath("flowchart.lark").read_text("utf-8")
    except ModuleNotFoundError:
        # Running from a source checkout that was not installed: grammar/ sits beside salesflow/.
        from pathlib import Path

        return (Path(__file__).resolve().parents[2] / "grammar" / "flowchart.lark").read_text("utf-8")


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


# Shape terminals (named after the shape in upper case): (Mermaid's shape name, length of the
# opening bracket, of the closing one).
SHAPE_TOKENS = {
    shape.upper(): (shape, len(opening), len(closing)) for shape, (opening, closing) in BRACKETS.items()
}


class NodeRef(NamedTuple):
    id: Token
    shape: Optional[str]  # Mermaid's shape name, when brackets follow the id
    label: Optional[str]  # the text between the brackets, as written
    data: Optional[Token]  # NODE_DATA, `@{…}` included
    class_suffix: Optional[Token]  # CLASS_SUFFIX, `:::` included


class LinkRef(NamedTuple):
    body: Token  # one of the LINK… or TEXT_LINK… terminals
    edge_id: Optional[Token]
    pipe_label: Optional[Token]


@dataclass
class Chain:
    items: list  # group, link, group, link, …: a group is a list of NodeRef


@dataclass
class SubgraphBlock:
    head: Token
    body: list
    end: Token


@dataclass
class Header:
    keyword: Token
    direction: Optional[Token]


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
