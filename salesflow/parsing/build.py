"""The semantic pass: statements in source order become the immutable model.

It follows Mermaid's own rules where they matter to what a chart means: the last label or shape
given to a node wins; a subgraph holds the nodes mentioned inside it, unless a subgraph that
closed earlier (a nested one, or one above it in the file) already holds them; an edge id used
as `e1@{ … }` after its edge gives that edge data; automatic subgraph ids are `subGraph0`, `subGraph1`, ….
"""

from __future__ import annotations


from ..model import (
    NODE_KINDS,
    ClassDef,
    Click,
    Node,
    Process,
    Span,
    Style,
    Subgraph,
    Unreadable,
    new_edge,
    new_node,
    new_span,
)
from ..i18n import LANGUAGES, N_, _
from ..memo import memoized
from ..mermaid_vocabulary import (
    CLICK_WORDS,
    KEYWORD_INITIALS,
    MERMAID_SHAPES,
    is_swimlane_header,
    reserved_word_at_start,
    starts_with_end,
)
from .. import suggest
from ..metadata_keys import EDGE, FRONT_MATTER, NODE, Key, keys_for
from . import decode
from .metadata import (
    EDGE_KEYS,
    FRONT_MATTER_KEYS,
    MERMAID_EDGE_KEYS,
    MERMAID_FRONT_MATTER_KEYS,
    MERMAID_NODE_KEYS,
    NODE_KEYS,
    Entry,
    MetadataError,
    as_text,
    as_text_list,
    check_keys,
    load_flow_mapping,
    load_mapping,
    parse_rate,
)
from .preprocess import Prepared
from .statements import Chain, Header, LinkRef, NodeRef, SubgraphBlock, SubgraphCloses, SubgraphOpens, Token

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

_DIRECTIONS = {"TB": "TB", "TD": "TB", "BT": "BT", "RL": "RL", "LR": "LR", ">": "LR", "<": "RL", "^": "BT", "v": "TB"}


class BuildError(Exception):
    """A semantic error at a 1-based position of the chart text (before any Markdown offset)."""

    def __init__(self, message: str, line: int, column: int, width: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.width = width


def token_span(token: Token) -> Span:
    end_line, end_column = token.end_line, token.end_column
    if end_line is None or end_column is None:
        return new_span(token.line, token.column, end_line or token.line, end_column or token.column + len(str(token)))
    return new_span(token.line, token.column, end_line, end_column)


# The builder's working state: plain slotted classes, not dataclasses, whose methods would be
# generated and compiled anew at every start of the command line.
class _NodeState:
    __slots__ = (
        "id", "span", "label", "label_format", "shape", "classes", "data", "mermaid_data", "data_span", "unreadable",
        "number", "data_block",
    )

    def __init__(self, id: str, span: Span, label: Optional[str] = None, label_format: str = "text", shape: Optional[str] = None) -> None:
        self.id = id
        self.span = span
        self.label = label
        self.label_format = label_format
        self.shape = shape
        # Made when first needed: most nodes have no classes, no Mermaid keys and no value that
        # does not read, and many no data at all.
        self.classes: Optional[list[str]] = None
        self.data: Optional[dict[str, Any]] = None  # salesflow keys, decoded
        self.mermaid_data: Optional[dict[str, str]] = None
        self.data_span: Optional[Span] = None
        self.unreadable: Optional[dict[str, Unreadable]] = None  # by key; the last value given wins
        self.number: Optional[int] = None  # the node's place in the model's nodes; None if it is none
        # The decoded data block (see `Builder._decoded_data`) that `data` holds and nothing else:
        # nodes with the same block share the model's fields made of it (see `process`).
        self.data_block: Optional[tuple[tuple[str, Any], ...]] = None


def _add_class(state: _NodeState, name: str) -> None:
    if state.classes is None:
        state.classes = []
    state.classes.append(name)


class _EdgeState:
    __slots__ = ("source", "target", "shape", "label", "span", "index", "id", "data", "data_span", "unreadable")

    def __init__(
        self, source: _NodeState, target: _NodeState, shape: decode.LinkShape, label: Optional[str], span: Span, index: int,
        id: Optional[str],
    ) -> None:
        self.source = source
        self.target = target
        self.shape = shape
        self.label = label
        self.span = span
        self.index = index
        self.id = id
        # Decoded edge data, by key, and values that did not read: made when data comes, as few edges have any.
        self.data: Optional[dict[str, Any]] = None
        self.data_span: Optional[Span] = None
        self.unreadable: Optional[dict[str, Unreadable]] = None


class _Frame:
    """A subgraph being read: the ids mentioned in it, in order."""

    __slots__ = ("head", "span", "mentions", "direction")

    def __init__(self, head: Optional[decode.SubgraphHead], span: Span) -> None:
        self.head = head
        self.span = span
        self.mentions: dict[str, None] = {}
        self.direction: Optional[str] = None


class _SubgraphState:
    __slots__ = ("id", "title", "members", "direction", "span", "parent", "title_format")

    def __init__(
        self, id: str, title: str, members: list[str], direction: Optional[str], span: Span,
        parent: Optional[str] = None, title_format: str = "text",
    ) -> None:
        self.id = id
        self.title = title
        self.members = members
        self.direction = direction
        self.span = span
        self.parent = parent
        self.title_format = title_format


class Builder:
    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.nodes: dict[str, _NodeState] = {}
        self.edges: list[_EdgeState] = []
        self.edges_by_id: dict[str, _EdgeState] = {}
        self.subgraphs: list[_SubgraphState] = []
        self.subgraphs_by_id: dict[str, _SubgraphState] = {}
        self.claimed: set[str] = set()
        self.unchecked_ids: set[str] = set()  # made by `style` alone: no chain has named them yet
        self.frames: list[_Frame] = []
        # The ids mentioned in the innermost open subgraph; None outside every subgraph, where
        # nothing needs them (a subgraph's members are the ids mentioned inside it).
        self.mentions: Optional[dict[str, None]] = None
        self.class_defs: list[ClassDef] = []
        self.styles: list[Style] = []
        self.clicks: list[Click] = []
        self.class_assignments: list[tuple[list[str], str]] = []
        self.acc_title: Optional[str] = None
        self.acc_descr: Optional[str] = None
        self.header: Optional[Header] = None
        from ..limits import EDGES, NODES

        self.max_nodes, self.max_edges = NODES.value, EDGES.value
        # Node and edge data that read cleanly, decoded, by the text of its `@{ … }`: a chart
        # repeats the same few blocks (`due: 1d`, the same checks) on stage after stage, and each
        # is read once. Only salesflow's own keys that all read are kept: an unreadable value or a
        # Mermaid key depends on where it is written or changes more than the data.
        self._decoded_data: dict[str, tuple[tuple[str, Any], ...]] = {}

    # ------------------------------------------------------------------ statements

    def run(self, statements: list) -> None:
        """Build from Lark's statements: the header, then statements with subgraphs nested."""
        self.begin(statements[0])
        self._statements(statements[1:])
        self.finish()

    # The fast reader hands over statements one at a time, in the same order: `begin`, then
    # `statement` for each (a subgraph opens, its statements, it closes), then `finish`. Nothing
    # is kept of a statement but what the model needs.

    def begin(self, header: Header) -> None:
        unclosed = self.prepared.unclosed_directive
        if unclosed is not None:
            raise BuildError(
                _("this `%%{{` directive is never closed: end it with `}}%%` (Mermaid would drop what follows it)"),
                unclosed.line,
                unclosed.column,
                3,
            )
        self.header = header
        keyword = header.keyword
        if header.direction is None and self.prepared.text[keyword.end_pos :].lstrip(" \t").startswith(";"):
            raise BuildError(
                _("write a direction before the `;`, e.g. `{example}`", example=f"{keyword} TD;"),
                keyword.line, keyword.column, len(str(keyword)),
            )
        self.frames.append(_Frame(None, Span(1, 1, 1, 1)))

    def statement(self, statement: Any) -> None:
        """A chain, a keyword statement, or where a subgraph opens or closes."""
        kind = type(statement)
        if kind is Chain:
            self.chain(statement)
        elif kind is SubgraphOpens:
            self.open_subgraph(statement.head)
        elif kind is SubgraphCloses:
            self.close_subgraph(statement.head)
        else:
            self.keyword_statement(statement)

    def finish(self) -> None:
        self._check_link_styles()

    def _check_link_styles(self) -> None:
        for style in self.styles:
            if not style.is_link or style.target == "default":
                continue
            for number in style.target.split(","):
                number = number.strip()
                # isdecimal, not isdigit: int() refuses `²`; and more digits than any chart has edges
                # are no edge (int() refuses over 4,300 digits).
                significant = number.lstrip("0") or "0"
                if not number.isdecimal() or len(significant) > 9 or int(significant) >= len(self.edges):
                    statement = f"`linkStyle {number}`"
                    raise BuildError(
                        _("{statement} names no edge: edges are numbered from 0 in the order they are "
                          "written, and this chart has 0 to {last}", statement=statement, last=len(self.edges) - 1)
                        if self.edges else
                        _("{statement} names no edge: edges are numbered from 0 in the order they are "
                          "written, and this chart has none", statement=statement),
                        style.span.line,
                        style.span.column,
                        len("linkStyle"),
                    )

    def _statements(self, statements: list) -> None:
        # Iterative, with one stack entry per open subgraph: 10,000 nested subgraphs cannot
        # exhaust Python's recursion limit.
        pending: list[tuple[list, int, Optional[SubgraphBlock]]] = [(statements, 0, None)]
        while pending:
            body, index, block = pending.pop()
            if index == len(body):
                if block is not None:
                    self.close_subgraph(block.head)
                continue
            statement = body[index]
            pending.append((body, index + 1, block))
            if isinstance(statement, Chain):
                self.chain(statement)
            elif isinstance(statement, SubgraphBlock):
                self.open_subgraph(statement.head)
                pending.append((statement.body, 0, statement))
            else:
                self.keyword_statement(statement)

    def _check_style(self, token: Token, style: str) -> None:
        """Refuse a style Mermaid cannot read (see decode.style_problem), pointing at the spot."""
        problem = decode.style_problem(style)
        if problem is None:
            return
        offset, found = problem
        column = token.column + len(str(token).rstrip()) - len(style) + offset
        raise BuildError(
            _(
                "Mermaid cannot read `{found}` in a style; a style is `property:value` pairs separated by commas, "
                "with ASCII words, numbers and units (`{example}`)",
                found=found, example="fill:#f9f,stroke:#333,stroke-width:2px",
            ),
            token.line,
            column,
            len(found),
        )

    def _empty_string(self, line: int, column: int, width: int) -> BuildError:
        message = _('Mermaid refuses an empty quoted text `""`; write the text, or leave the label out')
        if any(c.span.line == line and c.span.column > 1 and c.text.startswith("{") for c in self.prepared.comments):
            message += _(" (Mermaid removes the `%%{{…}}%%` directive in this line before it reads the chart)")
        return BuildError(message, line, column, width)

    def _mention(self, node_id: str) -> None:
        if self.mentions is not None:
            self.mentions.setdefault(node_id, None)

    def chain(self, chain: Chain) -> None:
        items = chain.items
        # `e1@{ rate: 60% }` alone on a line, after an edge with that id, is edge data.
        if len(items) == 1 and len(items[0]) == 1:
            # A reference's fields are read by unpacking it: a field by name is a property call.
            ref_id, shape, _label, data, _suffix = items[0][0]
            if data is not None and shape is None and str(ref_id) in self.edges_by_id:
                self._edge_data(self.edges_by_id[str(ref_id)], data)
                return
        # Each group's nodes: an edge holds its ends' states, which the model numbers (see `process`),
        # and their ids, the very same string objects, so a look-up by id never compares text.
        node = self._node
        if len(items) == 1:  # nodes without links, such as a node's own line
            for ref in items[0]:
                node(ref)
            return
        groups = [list(map(node, group)) for group in items[::2]]
        for index in range(1, len(items), 2):
            link: LinkRef = items[index]  # or the plain tuple (see fastpath.statements)
            self._link(groups[index // 2], link, groups[index // 2 + 1])

    def _node(self, ref: NodeRef) -> _NodeState:
        """Take in one mention of a node; its state."""
        token, shape, label, data, class_suffix = ref
        # Lark's tokens are not always strings (lark-cython's are not); a string token finds its
        # node as it is, and only a new node takes a plain copy of its id. The fast reader gives a
        # node it has already given as a token, named again without a label, as its plain text.
        if isinstance(token, str):
            state = self.nodes.get(token)
            node_id = str(token) if state is None else state.id
        else:
            node_id = str(token)
            state = self.nodes.get(node_id)
        if state is None or node_id in self.unchecked_ids:
            # What an id may be depends on the id alone: checked where a chain first names it.
            if node_id[:1] in KEYWORD_INITIALS:
                self._check_id(token, node_id)
            self.unchecked_ids.discard(node_id)
        if node_id in CLICK_WORDS:
            self._check_click_word(token)
        if state is None:
            self._check_node_count(token.line, token.column, len(node_id))
            state = self.nodes[node_id] = _NodeState(node_id, token_span(token))
        if label is not None:
            if decode.is_empty_string(label):
                raise self._empty_string(token.line, token.column + len(node_id), len(label) + 2)
            state.label, state.label_format = decode.decode_label(label)
            state.shape = shape
        if data is not None:
            self._node_data(state, data)
        if class_suffix is not None:
            _add_class(state, str(class_suffix)[3:])
        if self.mentions is not None:
            self.mentions.setdefault(state.id, None)
        return state

    def _check_click_word(self, token: Token) -> None:
        following = self.prepared.text[token.end_pos : token.end_pos + 1]
        if following in ("", " ", "\t", "\n"):
            node_id = str(token)
            raise BuildError(
                _(
                    "Mermaid reads `{word}` followed by a space as part of a `click` statement; rename the node, "
                    "e.g. `{renamed}`",
                    word=node_id, renamed=node_id.capitalize(),
                ),
                token.line,
                token.column,
                len(node_id),
            )

    def _check_id(self, token: Token, node_id: str) -> None:
        """Refuse an id that Mermaid reads as a keyword, or as one at its start."""
        if starts_with_end(node_id):
            raise BuildError(
                _("a node id cannot be the keyword `end` (it closes a subgraph); rename it, e.g. `End` or `done`"),
                token.line,
                token.column,
                3,
            )
        reserved = reserved_word_at_start(node_id)
        if reserved == node_id:
            raise BuildError(
                _(
                    "`{word}` is a Mermaid keyword and cannot be a node id; rename it, e.g. `{renamed}`",
                    word=node_id, renamed=node_id.capitalize(),
                ),
                token.line,
                token.column,
                len(node_id),
            )
        if reserved is not None:
            raise BuildError(
                _("Mermaid reads {keyword} at the start of {id} as a keyword, so a node id cannot start with it; "
                  "rename it, e.g. {example}",
                  keyword=f"`{reserved}`", id=f"`{node_id}`", example=f"`{node_id.capitalize()}`"),
                token.line,
                token.column,
                len(reserved),
            )

    def _check_node_count(self, line: int, column: int, width: int) -> None:
        if len(self.nodes) >= self.max_nodes:
            from ..limits import NODES

            raise BuildError(
                NODES.exceeded(_("this is node {number} of the chart", number=f"{len(self.nodes) + 1:,}")), line, column, width
            )

    def _link(self, sources: list[_NodeState], link: LinkRef, targets: list[_NodeState]) -> None:
        body, link_id, pipe = link  # unpacked once (see `chain`)
        # Counted before the edges are made: `a0 & … & a999 --> b0 & … & b999` alone is a million.
        total = len(self.edges) + len(sources) * len(targets)
        if total > self.max_edges:
            from ..limits import EDGES

            if len(sources) * len(targets) > 1:
                made_here = _("{sources} × {targets} edges here", sources=f"{len(sources):,}", targets=f"{len(targets):,}")
            else:
                made_here = _("this edge")
            raise BuildError(
                EDGES.exceeded(_("{made_here} would bring the chart to {total} edges", made_here=made_here, total=f"{total:,}")),
                body.line,
                body.column,
                len(str(body)),
            )
        # `-->|text|`: the text travels with the link's shape.
        shape = decode.decode_link(body.type, str(body), None if pipe is None else str(pipe))
        _stroke, _start, _end, _length, label, empty_string, _format = shape
        if empty_string:
            raise self._empty_string(body.line, body.column, len(str(body)))
        if pipe is not None and decode.is_empty_string(str(pipe)[1:-1]):
            raise self._empty_string(pipe.line, pipe.column, len(str(pipe)))
        edge_id = str(link_id)[:-1] if link_id is not None else None
        span = token_span(body)
        for source in sources:
            for target in targets:
                edge = _EdgeState(source, target, shape, label or None, span, len(self.edges), edge_id)
                self.edges.append(edge)
                if edge_id is not None:
                    self.edges_by_id.setdefault(edge_id, edge)
                # `A e1@--> B & C`: the id names the first edge only; Mermaid numbers the others.
                edge_id = None

    def open_subgraph(self, head_token: Token) -> None:
        from ..limits import SUBGRAPH_DEPTH

        depth = len(self.frames)  # the frame of the chart itself is the first
        if depth > SUBGRAPH_DEPTH.value:
            raise BuildError(
                SUBGRAPH_DEPTH.exceeded(_("subgraphs nest {depth} levels deep here", depth=depth)),
                head_token.line,
                head_token.column,
                len("subgraph"),
            )
        head = decode.decode_subgraph_head(str(head_token))
        if head is not None and head.empty_string:
            raise self._empty_string(head_token.line, head_token.column, len(str(head_token)))
        if head is not None and head.stray_quote:
            raise BuildError(
                _(
                    "quote a subgraph title whole or not at all, e.g. `{example}`; write #quot; for a quote inside it",
                    example='subgraph s ["销售部 (华东)"]',
                ),
                head_token.line,
                head_token.column,
                len(str(head_token)),
            )
        frame = _Frame(head, token_span(head_token))
        self.frames.append(frame)
        self.mentions = frame.mentions

    def close_subgraph(self, head_token: Token) -> None:
        frame = self.frames.pop()
        self.mentions = self.frames[-1].mentions if len(self.frames) > 1 else None
        head = frame.head
        if head is None:
            raise BuildError(
                _("a subgraph needs a name: write `subgraph sales [销售部]` or `subgraph 销售部`"),
                head_token.line,
                head_token.column,
                len("subgraph"),
            )
        subgraph_id = head.id if head.id is not None else f"subGraph{len(self.subgraphs)}"
        earlier = self.subgraphs_by_id.get(subgraph_id)
        if earlier is not None:
            # Mermaid draws two clusters with one id as one tangle; say so instead.
            raise BuildError(
                _(
                    "the subgraph id `{id}` is already used by the subgraph at line {line}: give each subgraph its "
                    "own id, e.g. `subgraph sales2 [销售部]`",
                    id=subgraph_id, line=earlier.span.line,
                ),
                head_token.line,
                head_token.column,
                len(str(head_token).split("\n")[0]),
            )
        members = [m for m in frame.mentions if m not in self.claimed]
        self.claimed.update(members)
        state = _SubgraphState(subgraph_id, head.title, members, frame.direction, frame.span, None, head.title_format)
        for member in members:
            earlier = self.subgraphs_by_id.get(member)
            if earlier is not None:
                earlier.parent = subgraph_id
        self.subgraphs.append(state)
        self.subgraphs_by_id.setdefault(subgraph_id, state)
        self._mention(subgraph_id)

    def keyword_statement(self, token: Token) -> None:
        kind = token.type
        raw = str(token)
        span = token_span(token)
        if kind == "DIRECTION_STMT":
            self.frames[-1].direction = _DIRECTIONS[raw.split()[-1]]
        elif kind == "CLASSDEF_STMT":
            rest = decode.statement_rest(raw, "classDef")
            parts = rest.split(None, 1)
            if len(parts) < 2:
                raise BuildError(_("`classDef` needs a class name and a style, e.g. `classDef hot fill:#fdd`"), token.line, token.column, len("classDef"))
            self._check_style(token, parts[1].strip())
            for name in parts[0].split(","):
                self.class_defs.append(ClassDef(name, parts[1].strip(), span))
        elif kind == "CLASS_STMT":
            rest = decode.statement_rest(raw, "class")
            parts = rest.rsplit(None, 1)
            if len(parts) < 2:
                raise BuildError(_("`class` needs node ids and a class name, e.g. `class A,B hot`"), token.line, token.column, len("class"))
            ids = [i.strip() for i in parts[0].split(",") if i.strip()]
            self.class_assignments.append((ids, parts[1]))
        elif kind == "STYLE_STMT":
            rest = decode.statement_rest(raw, "style")
            parts = rest.split(None, 1)
            if len(parts) < 2 or parts[0].startswith("-"):
                raise BuildError(_("`style` needs a node id and a style, e.g. `style A fill:#fdd`"), token.line, token.column, len("style"))
            node_id = parts[0]
            self._check_style(token, parts[1].strip())
            if node_id not in self.nodes:
                # Mermaid creates a node that is only styled; so does salesflow, to agree with it.
                self._check_node_count(token.line, token.column, len("style"))
                self.nodes[node_id] = _NodeState(node_id, span)
                self.unchecked_ids.add(node_id)
            self.styles.append(Style(node_id, parts[1].strip(), False, span))
        elif kind == "LINKSTYLE_STMT":
            rest = decode.statement_rest(raw, "linkStyle")
            parts = rest.split(None, 1)
            if len(parts) < 2:
                raise BuildError(_("`linkStyle` needs edge numbers (or `default`) and a style, e.g. `linkStyle 0 stroke:red`"), token.line, token.column, len("linkStyle"))
            style = parts[1].strip()
            self._check_style(token, style)
            import re  # a `linkStyle` statement is rare

            if re.search(r"#\w+$", style) and self.prepared.text[token.end_pos : token.end_pos + 1] == ";":
                raise BuildError(
                    _(
                        "Mermaid reads a colour followed by `;` (like `#f00;`) as a character code here; leave out "
                        "the `;` after the colour"
                    ),
                    token.line,
                    token.column + len(raw),
                )
            self.styles.append(Style(parts[0], style, True, span))
        elif kind == "CLICK_STMT":
            click = decode.decode_click(raw)
            if click is None:
                raise BuildError(_('`click` needs a node id and a link or callback, e.g. `click A "https://example.com"`'), token.line, token.column, len("click"))
            self.clicks.append(Click(click.node, click.action, click.target, click.tooltip, click.window, span))
        elif kind == "ACC_TITLE":
            self.acc_title = raw.split(":", 1)[1].strip()
        elif kind == "ACC_DESCR":
            self.acc_descr = raw.split(":", 1)[1].strip()
        elif kind == "ACC_DESCR_BLOCK":
            body = raw[raw.index("{") + 1 : -1]
            self.acc_descr = "\n".join(line.strip() for line in body.strip().split("\n"))

    # ------------------------------------------------------------------ node and edge data

    def _load_data(self, token: Token) -> list[Entry]:
        """Entries of an `@{ … }` block; errors point into the file."""
        content = str(token)[2:-1]
        multi_line = "\n" in content
        # Mermaid reads one-line data as a flow mapping and multi-line data as a block mapping.
        try:
            entries = load_mapping(content + "\n") if multi_line else load_flow_mapping(content)
        except MetadataError as exc:
            raise self._data_error(token, exc.message, exc.line, exc.column, multi_line) from exc
        return entries

    def _data_error(self, token: Token, message: str, line: int, column: int, multi_line: bool) -> BuildError:
        """An error at a position inside the YAML of `@{ … }`, pointing into the file."""
        file_line, file_column = _data_position(token, line, column, multi_line)
        return BuildError(_("in the data of this element: {message}", message=message), file_line, file_column)

    def _unreadable_data(self, token: Token, entry: Entry, text: str, problem: str, multi_line: bool) -> Unreadable:
        """A value in `@{ … }` that does not read, kept as written, at its place in the file."""
        line, column = _data_position(token, entry.value.line, entry.value.column, multi_line)
        source = self.prepared.lines[line - 1] if 0 < line <= len(self.prepared.lines) else ""
        if not text and source[column - 1 : column] not in ("'", '"'):
            # An empty value (`due: }`) has no place of its own: its key stands for it.
            line, column = _data_position(token, entry.key_line, entry.key_column, multi_line)
        return _unreadable(self.prepared, entry.key, text, problem, line, column)

    def _node_data(self, state: _NodeState, token: Token) -> None:
        text = str(token)
        decoded = self._decoded_data.get(text)
        if state.data is None:
            state.data = {}
        if decoded is not None:
            # Data given to a node with none yet is the block itself; given again, it is a mix.
            state.data_block = None if state.data else decoded
            _apply_decoded(decoded, state.data, state.unreadable)
            state.data_span = token_span(token)
            return
        state.data_block = None
        if state.unreadable is None:
            state.unreadable, state.mermaid_data = {}, {}
        entries = self._load_data(token)
        multi_line = "\n" in text
        clean = [True]

        def unreadable(entry: Entry, text: str, problem: str) -> Unreadable:
            clean[0] = False
            return self._unreadable_data(token, entry, text, problem, multi_line)

        try:
            entries = check_keys(entries, NODE_KEYS, MERMAID_NODE_KEYS, N_("unknown node data key"))
            for entry in entries:
                self._node_entry(state, entry, unreadable)
        except MetadataError as exc:
            raise self._data_error(token, exc.message, exc.line, exc.column, multi_line) from exc
        state.data_span = token_span(token)
        if clean[0] and all(entry.key in _NODE_KEYS for entry in entries):
            self._remember_data(text, entries, state.data)

    def _remember_data(self, text: str, entries: list[Entry], data: dict[str, Any]) -> None:
        if len(self._decoded_data) < _DECODED_DATA_KEPT:
            self._decoded_data[text] = tuple((entry.key, data[entry.key]) for entry in entries)

    def _node_entry(
        self, state: _NodeState, entry: Entry, unreadable: Callable[[Entry, str, str], Unreadable]
    ) -> None:
        key = entry.key
        if key in _NODE_KEYS:
            _keep(_NODE_KEYS[key], entry, state.data, state.unreadable, unreadable)
        elif key == "shape":
            shape = as_text(entry)
            if shape not in MERMAID_SHAPES:
                raise MetadataError(
                    _(
                        "unknown shape `{shape}`{hint}; Mermaid's shapes include rect, rounded, stadium, diamond, "
                        "hexagon, circle, doc",
                        shape=shape, hint=suggest.did_you_mean(shape, MERMAID_SHAPES),
                    ),
                    entry.value.line,
                    entry.value.column,
                )
            state.shape = shape
            state.mermaid_data["shape"] = shape
        elif key == "label":
            label = as_text(entry)
            if label:
                state.label = label
                state.label_format = "text"
            state.mermaid_data["label"] = label
        else:
            plain = entry.value.plain()
            state.mermaid_data[key] = plain if isinstance(plain, str) else str(plain)

    def _edge_data(self, edge: _EdgeState, token: Token) -> None:
        if edge.data is None:
            edge.data, edge.unreadable = {}, {}
        text = str(token)
        decoded = self._decoded_data.get(text)
        if decoded is not None:
            _apply_decoded(decoded, edge.data, edge.unreadable)
            edge.data_span = token_span(token)
            return
        entries = self._load_data(token)
        multi_line = "\n" in text
        clean = [True]
        try:
            entries = check_keys(entries, EDGE_KEYS, MERMAID_EDGE_KEYS, N_("unknown edge data key"))

            def unreadable(entry: Entry, text: str, problem: str) -> Unreadable:
                clean[0] = False
                return self._unreadable_data(token, entry, text, problem, multi_line)

            for entry in entries:
                if entry.key in _EDGE_KEYS:
                    _keep(_EDGE_KEYS[entry.key], entry, edge.data, edge.unreadable, unreadable)
        except MetadataError as exc:
            raise self._data_error(token, exc.message, exc.line, exc.column, multi_line) from exc
        edge.data_span = token_span(token)
        if clean[0] and all(entry.key in _EDGE_KEYS for entry in entries):
            self._remember_data(text, entries, edge.data)

    # ------------------------------------------------------------------ the model

    def swimlanes(self) -> Optional[list[str]]:
        """In a swimlane diagram, its lanes: the top-level subgraphs, in the order written (the
        order Mermaid draws them in). None in a flowchart, whose lanes only `lanes:` declares."""
        assert self.header is not None
        if not is_swimlane_header(str(self.header.keyword)):
            return None
        # Subgraphs are listed as they close, inner ones first: the top-level ones keep their order.
        return [s.id for s in self.subgraphs if s.parent is None]

    def process(self, path: str, front: dict[str, Any], line_offset: int) -> Process:
        subgraph_ids = {s.id for s in self.subgraphs}
        lanes = tuple(front.get("lanes", ()))
        swimlanes = self.swimlanes()
        if swimlanes is not None:
            # Every top-level subgraph is a lane; `lanes:` may only say in which order salesflow draws them.
            lanes += tuple(lane for lane in swimlanes if lane not in lanes)
        lane_titles = {s.id: s.title for s in self.subgraphs if s.id in lanes}
        membership = _innermost_subgraph(self.subgraphs)
        lane_of = _lanes_of_subgraphs(self.subgraphs, lanes)
        for ids, class_name in self.class_assignments:
            for node_id in ids:
                if node_id in self.nodes:
                    _add_class(self.nodes[node_id], class_name)

        nodes: list[Node] = []
        # A chart repeats the same few data blocks on stage after stage: the fields each block
        # gives are made once (the block is kept alive by the nodes holding it).
        values_of_block: dict[int, tuple] = {}
        for state in self.nodes.values():
            if state.id in subgraph_ids:
                if state.label is not None or state.data_span is not None:
                    # A bare id that is also a subgraph's is a link to the subgraph; one with a
                    # label or data is a node of its own, and the two cannot be told apart.
                    sub = self.subgraphs_by_id[state.id]
                    raise BuildError(
                        _(
                            "`{id}` is both a node here and the id of the subgraph at line {line}: give them different ids",
                            id=state.id, line=sub.span.line,
                        ),
                        state.span.line,
                        state.span.column,
                        len(state.id),
                    )
                continue
            subgraph = membership.get(state.id)
            lane = lane_of.get(subgraph) if subgraph is not None else None
            data = state.data
            own_owner = data.get("owner") if data else None
            owner = own_owner or (lane_titles.get(lane) if lane else None)
            if state.data_block is not None:
                data_values = _block_values(values_of_block, state.data_block, data)
            else:
                data_values = _node_data_values(data) if data else _EMPTY_NODE_VALUES
            due, steps, resources, checks, kpi, crm, kind, note = data_values
            # Nearly every node has no classes, no Mermaid data and no value that did not read.
            state.number = len(nodes)
            nodes.append(
                # Every field, in order: binding a call's keywords to twenty parameters costs more
                # than making the node.
                new_node(
                    state.id,
                    state.label if state.label is not None else state.id,
                    state.label_format,
                    state.shape,
                    state.span,
                    owner,
                    bool(owner) and not own_owner,
                    due, steps, resources, checks, kpi, crm, kind, note,
                    tuple(state.classes) if state.classes else (),
                    subgraph,
                    lane,
                    state.data_span,
                    tuple(sorted(state.mermaid_data.items())) if state.mermaid_data else (),
                    tuple(state.unreadable.values()) if state.unreadable else (),
                )
            )
        edges = []
        # Each edge's ends by node number, for the graph (`Process.link_numbers`); None for a
        # node that the model leaves out (a subgraph's id).
        sources: list[Optional[int]] = []
        targets: list[Optional[int]] = []
        for e in self.edges:
            stroke, start, end, length, _text, _empty, text_format = e.shape  # unpacked: see `chain`
            sources.append(e.source.number)
            targets.append(e.target.number)
            if e.data is None:  # most edges: nothing but the link
                edge = new_edge(
                    e.source.id, e.target.id, stroke, start, end, length, e.label, e.span, e.index,
                    e.id, None, None, None, None, (), text_format,  # no rate, note, data or unreadable value
                )
            else:
                data = _model_fields(_EDGE_KEYS, e.data, _EMPTY_EDGE)
                edge = new_edge(
                    e.source.id, e.target.id, stroke, start, end, length, e.label, e.span, e.index,
                    e.id, data["rate"], data["rate_text"], data["note"], e.data_span, tuple(e.unreadable.values()),
                    text_format,
                )
            edges.append(edge)
        subgraphs = tuple(
            Subgraph(s.id, s.title, tuple(s.members), s.direction, s.parent, s.span, s.id in lanes, s.title_format)
            for s in self.subgraphs
        )
        assert self.header is not None
        direction_token = self.header.direction
        node_tuple, edge_tuple = tuple(nodes), tuple(edges)
        return Process(
            path=path,
            direction=_DIRECTIONS[str(direction_token)] if direction_token is not None else "TB",
            header=str(self.header.keyword),
            nodes=node_tuple,
            edges=edge_tuple,
            subgraphs=subgraphs,
            **_model_fields(_FRONT_MATTER_KEYS, front, _EMPTY_FRONT_MATTER),
            lanes=tuple(lanes),
            class_defs=tuple(self.class_defs),
            styles=tuple(self.styles),
            clicks=tuple(self.clicks),
            comments=self.prepared.comments,
            acc_title=self.acc_title,
            acc_descr=self.acc_descr,
            front_matter_span=self.prepared.front_matter_span,
            mermaid_front_matter=tuple(sorted(front.get("_mermaid", {}).items())),
            unreadable=tuple(front.get("_unreadable", ())),
            line_offset=line_offset,
            _links=(node_tuple, edge_tuple, tuple(sources), tuple(targets)),
        )


@memoized(maxsize=1024)
def _parse_duration(text: str):
    from ..durations import parse_duration

    return parse_duration(text)


def _duration(text: str) -> tuple[Any, Optional[str]]:
    """(the duration, None), or (None, why `text` is not one)."""
    from ..errors import DurationError

    try:
        return _parse_duration(text), None
    except DurationError as exc:
        return None, str(exc)


# Words people write for a kind, for the did-you-mean of a `kind` that does not read.
_KIND_WORDS = {
    "开始": "start", "起点": "start", "起始": "start", "begin": "start",
    "结束": "end", "终点": "end", "完成": "end", "finish": "end", "stop": "end", "done": "end",
    "任务": "task", "步骤": "task", "环节": "task", "step": "task", "activity": "task",
    "判断": "decision", "决策": "decision", "分支": "decision", "choice": "decision", "gateway": "decision",
}


def _kind(text: str) -> tuple[Optional[str], Optional[str]]:
    """(the kind, None), or (None, why `text` is not one)."""
    if text in NODE_KINDS:
        return text, None
    meant = _KIND_WORDS.get(text.lower())
    hint = suggest.hint(meant) if meant else suggest.did_you_mean(text, NODE_KINDS)
    return None, _("`kind` is one of {kinds}, not `{written}`{hint}", kinds=_(", ").join(NODE_KINDS), written=text, hint=hint)


def _rate(text: str) -> tuple[Any, Optional[str]]:
    """((the rate, the text as written), None), or (None, why `text` is not a rate)."""
    rate = parse_rate(text)
    if rate is not None:
        return (rate, text), None
    if not text:
        return None, _("`rate` is empty: write a conversion rate such as `60%` or `0.6`")
    return None, _("`rate` is a conversion rate such as `60%` or `0.6`, not `{written}`", written=text)


# How each decoder of `metadata_keys` reads a text: (value, None) or (None, why it does not read).
_DECODERS = {"duration": _duration, "kind": _kind, "rate": _rate}
_FRONT_MATTER_KEYS = {key.name: key for key in keys_for(FRONT_MATTER)}
_NODE_KEYS = {key.name: key for key in keys_for(NODE)}
_EDGE_KEYS = {key.name: key for key in keys_for(EDGE)}


def _keep(
    key: Key,
    entry: Entry,
    data: dict[str, Any],
    unreadable: dict[str, Unreadable],
    place: Callable[[Entry, str, str], Unreadable],
) -> None:
    """Decode `entry` as its row of the key table says, into `data`.

    A value that does not read is kept as written in `unreadable` (placed by `place`), for its
    lint rule to report, and the rest of the chart is still read.
    """
    if key.decoder == "text":
        data[key.name] = as_text(entry) or None
    elif key.decoder == "texts":
        data[key.name] = as_text_list(entry)
    else:
        text = as_text(entry)
        value, problem = _DECODERS[key.decoder](text)
        if problem is None:
            data[key.name] = value
            unreadable.pop(key.name, None)
        else:
            data.pop(key.name, None)
            unreadable[key.name] = place(entry, text, problem)


# At most this many distinct data blocks are kept decoded per chart (see `Builder._decoded_data`).
_DECODED_DATA_KEPT = 4096


def _apply_decoded(
    decoded: tuple[tuple[str, Any], ...], data: dict[str, Any], unreadable: Optional[dict[str, Unreadable]]
) -> None:
    """What `_keep` does for each entry of a data block that read cleanly before."""
    for name, value in decoded:
        data[name] = value
        if unreadable:
            unreadable.pop(name, None)


def _empty_fields(keys: dict[str, Key], leave_out: str = "") -> dict[str, Any]:
    """The model's fields when no key of `keys` (one place of the key table) is given: None, or an
    empty tuple for a list; a rate fills its field and, as written, `<field>_text`. `leave_out` is
    a key the caller fills itself."""
    fields: dict[str, Any] = {}
    for name, key in keys.items():
        if name == leave_out:
            continue
        if key.decoder == "rate":
            fields[key.field] = fields[key.field + "_text"] = None
        else:
            fields[key.field] = () if key.decoder == "texts" else None
    return fields


_EMPTY_FRONT_MATTER = _empty_fields(_FRONT_MATTER_KEYS, leave_out="lanes")
_EMPTY_NODE = _empty_fields(_NODE_KEYS, leave_out="owner")
# The fields node data fills (all but the owner), in the order `Node` takes them: right after
# `owner_from_lane`, and before `classes`.
_NODE_DATA_FIELDS = tuple(name for name in Node._field_names if name in _EMPTY_NODE)  # the dataclass fields, in order
assert list(Node._field_names)[7 : 7 + len(_NODE_DATA_FIELDS)] == list(_NODE_DATA_FIELDS)
# as `Builder.process` unpacks them
assert _NODE_DATA_FIELDS == ("due", "steps", "resources", "checks", "kpi", "crm", "kind", "note")
_EMPTY_NODE_VALUES = tuple(_EMPTY_NODE[name] for name in _NODE_DATA_FIELDS)
_EMPTY_EDGE = _empty_fields(_EDGE_KEYS)
assert list(_EMPTY_EDGE) == ["rate", "rate_text", "note"]  # the edge data fields `Builder.process` passes on


def _model_fields(keys: dict[str, Key], data: dict[str, Any], empty: dict[str, Any]) -> dict[str, Any]:
    """The model's fields for decoded `data`: `empty` (see `_empty_fields`, made once per place)
    with the keys that `data` gives."""
    fields = dict(empty)
    for name, value in data.items():
        key = keys.get(name)
        if key is None or key.field not in fields:
            continue
        if key.decoder == "rate":
            fields[key.field], fields[key.field + "_text"] = value if value is not None else (None, None)
        else:
            fields[key.field] = value
    return fields


def _node_data_values(data: dict[str, Any]) -> tuple:
    """The model's node fields for decoded node `data` (see `_model_fields`), in `_NODE_DATA_FIELDS` order."""
    fields = _model_fields(_NODE_KEYS, data, _EMPTY_NODE)
    return tuple([fields[name] for name in _NODE_DATA_FIELDS])


def _block_values(values_of_block: dict[int, tuple], block: tuple, data: dict[str, Any]) -> tuple:
    """`_node_data_values(data)` for a node whose `data` is just `block`, made once per block."""
    values = values_of_block.get(id(block))
    if values is None:
        values = values_of_block[id(block)] = _node_data_values(data)
    return values


def _unreadable(prepared: Prepared, key: str, text: str, problem: str, line: int, column: int) -> Unreadable:
    """A value that does not read, kept as written, at its 1-based place in the file."""
    source = prepared.lines[line - 1] if 0 < line <= len(prepared.lines) else ""
    # A quoted value's quotes belong to its place too; one folded over lines ends with its first line.
    width = len(text) + 2 if source[column - 1 : column] in ("'", '"') else len(text)
    end = min(column + width, len(source) + 1) if source else column + width
    return Unreadable(key, text, problem, Span(line, column, line, max(column + 1, end)))


def _data_position(token: Token, line: int, column: int, multi_line: bool) -> tuple[int, int]:
    """The file's 1-based line and column of a position inside the YAML of `@{ … }`."""
    if multi_line:
        return token.line + line, (token.column + 2 + column if line == 0 else column + 1)
    if line == 1:  # one-line data is wrapped in `{` … `}` lines before YAML reads it
        return token.line, token.column + 2 + column
    return token.line, token.column


def _innermost_subgraph(subgraphs: list[_SubgraphState]) -> dict[str, str]:
    membership: dict[str, str] = {}
    for subgraph in subgraphs:
        for member in subgraph.members:
            membership.setdefault(member, subgraph.id)
    return membership


def _lanes_of_subgraphs(subgraphs: list[_SubgraphState], lanes: tuple[str, ...]) -> dict[str, Optional[str]]:
    """For every subgraph, the lane that holds it (itself, or the nearest enclosing lane)."""
    parents = {s.id: s.parent for s in subgraphs}
    result: dict[str, Optional[str]] = {}
    for subgraph in subgraphs:
        path = []
        current: Optional[str] = subgraph.id
        while current is not None and current not in result and len(path) <= len(subgraphs):
            if current in lanes:
                break
            path.append(current)
            current = parents.get(current)
        lane = current if current in lanes else result.get(current) if current is not None else None
        for visited in path:
            result[visited] = lane
        if subgraph.id in lanes:
            result[subgraph.id] = subgraph.id
    return result


def read_front_matter(
    prepared: Prepared, subgraph_ids: list[str], swimlanes: Optional[list[str]] = None
) -> dict[str, Any]:
    """The checked front matter: salesflow keys decoded, Mermaid's own kept under `_mermaid`,
    values that do not read under `_unreadable`. `swimlanes`: in a swimlane diagram, its lanes
    (the top-level subgraphs), the only subgraphs `lanes:` may name there."""
    if prepared.front_matter is None:
        return {}
    base = prepared.front_matter_line  # line of the first YAML line

    def error(message: str, line: int, column: int) -> BuildError:
        return BuildError(_("in the front matter: {message}", message=message), base + line, column + 1)

    unreadable: dict[str, Unreadable] = {}

    def unreadable_here(entry: Entry, text: str, problem: str) -> Unreadable:
        line, column = base + entry.value.line, entry.value.column + 1
        return _unreadable(prepared, entry.key, text, problem, line, column)

    try:
        entries = load_mapping(prepared.front_matter)
        entries = check_keys(entries, FRONT_MATTER_KEYS, MERMAID_FRONT_MATTER_KEYS, N_("unknown front matter key"))
        front: dict[str, Any] = {"_mermaid": {}}
        for entry in entries:
            key = entry.key
            decoder = _FRONT_MATTER_KEYS[key].decoder if key in _FRONT_MATTER_KEYS else None
            if decoder in _DECODERS or decoder in ("text", "texts"):
                _keep(_FRONT_MATTER_KEYS[key], entry, front, unreadable, unreadable_here)
            elif decoder == "lang":
                lang = as_text(entry)
                if lang not in LANGUAGES:
                    choices = _(" or ").join(f"`{code}`" for code in sorted(LANGUAGES, reverse=True))
                    raise MetadataError(
                        _("`lang` is {choices}, not `{written}`", choices=choices, written=lang),
                        entry.value.line, entry.value.column,
                    )
                front[key] = lang
            elif decoder == "lanes":
                lanes = as_text_list(entry)
                for index, lane in enumerate(lanes):
                    if lane not in subgraph_ids:
                        item = entry.value.value[index] if isinstance(entry.value.value, list) else entry.value
                        known = ", ".join(f"`{s}`" for s in subgraph_ids) or _("none")
                        raise MetadataError(
                            _(
                                "`lanes` names `{lane}`, but no subgraph has that id{hint}; subgraph ids here: {known}",
                                lane=lane, hint=suggest.did_you_mean(lane, subgraph_ids), known=known,
                            ),
                            item.line,
                            item.column,
                        )
                    if swimlanes is not None and lane not in swimlanes:
                        item = entry.value.value[index] if isinstance(entry.value.value, list) else entry.value
                        raise MetadataError(
                            _("{key} names {lane}, a subgraph inside another one; in a swimlane diagram the "
                              "lanes are the top-level subgraphs ({lanes}), and Mermaid draws each of them as a lane",
                              key="`lanes`", lane=f"`{lane}`", lanes=", ".join(f"`{s}`" for s in swimlanes)),
                            item.line,
                            item.column,
                        )
                front[key] = lanes
            else:
                front["_mermaid"][key] = entry.value.plain()
    except MetadataError as exc:
        raise error(exc.message, exc.line, exc.column) from exc
    if unreadable:
        front["_unreadable"] = list(unreadable.values())
    return front
