"""The statements a chart is made of, as both readers of the grammar hand them to the builder.

Lark's parser (salesflow/parsing/syntax.py) and the fast reader of common statements
(salesflow/parsing/fastpath.py) give the same statements, made of tokens that carry their text,
terminal name and position. Nothing here imports Lark, so a chart the fast reader takes whole
never loads it.
"""

from __future__ import annotations

from ..mermaid_vocabulary import BRACKETS
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional


class Token(str):
    """A terminal's text with its name and place: the attributes of Lark's own token, so the
    builder reads tokens from either reader alike. Lines and columns are 1-based; `end_line` and
    `end_column` give the position just after the token, `start_pos` and `end_pos` offsets in the text."""

    __slots__ = ("type", "start_pos", "line", "column", "end_line", "end_column", "end_pos")

    type: str
    start_pos: int
    line: int
    column: int
    end_line: int
    end_column: int
    end_pos: int


# Shape terminals (named after the shape in upper case): (Mermaid's shape name, length of the
# opening bracket, of the closing one).
SHAPE_TOKENS = {
    shape.upper(): (shape, len(opening), len(closing)) for shape, (opening, closing) in BRACKETS.items()
}


# Named tuples written as classes (salesflow/records.py, `Fields`): defining them costs nothing at each start.
# A node as a statement mentions it: its id token; Mermaid's shape name, when brackets follow the
# id; the text between the brackets, as written; NODE_DATA (`@{…}` included); CLASS_SUFFIX (`:::` included).
# (The fast reader gives the builder plain tuples of these, and a node named again without a label
# as its plain text: see fastpath.statements.)
class NodeRef(Fields):
    __slots__ = ()
    _fields = ("id", "shape", "label", "data", "class_suffix")

    def __new__(cls, id, shape, label, data, class_suffix):
        return tuple.__new__(cls, (id, shape, label, data, class_suffix))


# A link: one of the LINK… or TEXT_LINK… terminals, its edge id and its `|label|`.
class LinkRef(Fields):
    __slots__ = ()
    _fields = ("body", "edge_id", "pipe_label")

    def __new__(cls, body, edge_id, pipe_label):
        return tuple.__new__(cls, (body, edge_id, pipe_label))


# Plain slotted classes, not dataclasses, whose methods every start would generate and compile.
class Chain:
    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items  # group, link, group, link, …: a group is a list of NodeRef


class SubgraphBlock:
    __slots__ = ("head", "body", "end")

    def __init__(self, head: Token, body: list, end: Token) -> None:
        self.head = head
        self.body = body
        self.end = end


class Header:
    __slots__ = ("keyword", "direction")

    def __init__(self, keyword: Token, direction: Optional[Token]) -> None:
        self.keyword = keyword
        self.direction = direction


# The fast reader hands a subgraph over as it reads it: its head, its statements, its `end`.
class SubgraphOpens(Fields):
    __slots__ = ()
    _fields = ("head",)

    def __new__(cls, head):
        return tuple.__new__(cls, (head,))


class SubgraphCloses(Fields):
    __slots__ = ()
    _fields = ("head", "end")

    def __new__(cls, head, end):
        return tuple.__new__(cls, (head, end))
