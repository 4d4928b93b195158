"""`render -f mermaid`: a process as canonical Mermaid text, with its metadata kept as node data.

The layout is always the same, whatever the input looked like:

    ---                                   front matter: salesflow keys, then Mermaid's own
    %%{init: …}%%                         directives the chart had
    flowchart TD
        accTitle: …
        A(["线索获取"])@{ owner: 市场专员, due: 1d }      nodes in the model's order, each once,
        subgraph sales ["销售部"]                          inside the subgraph that holds them
            B["报价"]
        end
        A h1@-->|交接| B                   edges in the model's order, one per line
        h1@{ rate: 60%, note: … }          edge data
        classDef … / class … / style … / linkStyle … / click …

Reading the text back gives the same model (positions aside): the same nodes in the same order,
the same subgraphs (ids, titles, members, nesting, the order they close in), edges, metadata and
styling. Comments are kept before the element they preceded. Labels are written exactly where
Mermaid's syntax can hold them; where it cannot (a `"` in a label, `%%{`), the text is written
with entity codes that Mermaid shows as the same characters, or, for a node, as a `label:` in its
node data. `plain=True` leaves out all salesflow metadata (and Mermaid 11's node data and edge
ids), for renderers older than Mermaid 11.3.

A swimlane diagram stays one, under the header the pinned Mermaid release accepts
(`SWIMLANE_HEADER`, whichever of `swimlane`/`swimlane-beta` it was written with), its `lanes:` left
out when it only repeats the order of the top-level subgraphs. `swimlane=True` writes a flowchart
with department lanes as a swimlane diagram: its lanes become the top-level subgraphs Mermaid
draws as lanes, so the chart must not have lanes nested in other subgraphs, nor top-level
subgraphs that are not lanes (Mermaid would draw those as lanes, and their titles would own their
stages when read back).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from ..errors import RenderError
from ..i18n import _
from ..mermaid_vocabulary import (
    BRACKETS,
    CLICK_WORDS,
    NODE_ID,
    SWIMLANE_HEADER,
    comment_blocks,
    is_reserved_id,
    nearest_bracket,
)
from ..model import END_ARROW, END_CIRCLE, END_CROSS, END_NONE, Edge, Node, Process, Subgraph
from ..textwidth import display_width
from .escape import mermaid_clean, mermaid_string, yaml_scalar

INDENT = "    "
MAX_INLINE_DATA = 100  # display columns of one-line node data; longer data gets a block


_EDGE_ID = re.compile(r"[^\s\"@{}\[\]()|;&:]+")

NodeData = list[tuple[str, Union[str, list[str]]]]


# ---------------------------------------------------------------------------------------------
# Text pieces


def _check_id(identifier: str) -> str:
    if not NODE_ID.fullmatch(identifier):
        raise RenderError(_("{id} cannot be written as a Mermaid id; rename it, e.g. with letters and digits", id=f"`{identifier}`"))
    if is_reserved_id(identifier):
        raise RenderError(
            _("{id} is a Mermaid keyword and cannot be an id; rename it, e.g. {example}",
              id=f"`{identifier}`", example=f"`{identifier.title()}`")
        )
    return identifier


def _line_start(statement: str) -> str:
    """A statement as the start of a line: one that begins with `%%` (an id such as `%%D`) would
    read as a comment there, so an empty statement (`;`) goes first."""
    return ";" + statement if statement.startswith("%%") else statement


def _mention(identifier: str) -> str:
    """An id alone on its line (`call;`: a `;` keeps `call` from reading as a keyword)."""
    return _line_start(_check_id(identifier) + (";" if identifier in CLICK_WORDS else ""))


def _edge_line(edge: Edge, plain: bool) -> str:
    source, target = _check_id(edge.source), _check_id(edge.target)
    gap = "" if source in CLICK_WORDS else " "
    if not gap and edge.id is not None and not plain:
        # `call e1@-->` reads as a `click … call` statement, and without the space the id runs
        # into the node's (`calle1@-->`): Mermaid has no way to write this link with its id.
        raise RenderError(
            _("the link {link} from {node} cannot keep its id in Mermaid, which reads {node} followed "
              "by a space as part of a {statement} statement; rename the node, e.g. {example}",
              link=edge.id, node=f"`{source}`", statement="`click`", example=f"`{source.capitalize()}`")
        )
    return _line_start(f"{source}{gap}{_link(edge, plain)} {target}" + (";" if target in CLICK_WORDS else ""))


_KEYWORDS = frozenset(
    "end subgraph graph flowchart flowchart-elk swimlane-beta swimlane style class classdef linkstyle click "
    "direction call href acctitle accdescr default".split()
)
_PLAIN_PUNCTUATION = frozenset("?!,.:'+")


def _plain_ok(text: str) -> bool:
    """Whether a label can go without quotes: letters, digits, single inner spaces, CJK
    punctuation, `?!,.:'+` and a hyphen between letters only, and not a keyword. Anything else is
    quoted, which always works."""
    if not text or text != text.strip() or text.lower() in _KEYWORDS or "  " in text:
        return False
    for index, ch in enumerate(text):
        if ch.isalnum() or ch == " " or ch in _PLAIN_PUNCTUATION:
            continue
        if ch == "-" and 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum():
            continue  # `re-score`, but never `--` or `->`
        category = unicodedata.category(ch)
        if ord(ch) > 0x7F and (category.startswith("P") or category.startswith("M")) and ch not in "\u2028\u2029":
            continue
        return False
    return True


def _label(text: str, markdown: bool = False, quoted: bool = False) -> str:
    """A label as written between brackets or pipes: bare when plain (unless `quoted`), else a
    quoted string, which reads back as the same text."""
    if not markdown and not quoted and _plain_ok(text):
        return text
    return mermaid_string(text, markdown)


def _read_back(text: str, markdown: bool) -> str:
    """What salesflow reads from `_label(text, markdown)` (the text itself when exact)."""
    written = _label(text, markdown)
    if not markdown and written == text:
        return text
    return written[2:-2] if markdown else written[1:-1]


def _edge_label(text: str, markdown: bool = False) -> str:
    """`|label|`: bare when plain, else quoted (a `"` inside shows as `#quot;`)."""
    return "|" + _label(text, markdown) + "|"


def _title(text: str, markdown: bool = False) -> str:
    """A subgraph title in brackets. A title may run over lines, as in Mermaid; the Unicode line and
    paragraph separators, which JavaScript reads as line ends, become `<br>`."""
    return "[" + _label(re.sub(r"[\u2028\u2029]", "<br>", mermaid_clean(text)), markdown) + "]"


def _free_text(text: str) -> str:
    """Text that runs to the end of its line (accTitle, accDescr): one line, no `%%{`."""
    one_line = re.sub(r"[\n\u2028\u2029]+", " ", mermaid_clean(text)).strip()
    return one_line.replace("%%{", "%#37;{")


def _link(edge: Edge, plain: bool) -> str:
    """The link between two nodes: id, line with its ends and length, label."""
    start = {END_NONE: "", END_ARROW: "<", END_CIRCLE: "o", END_CROSS: "x"}[edge.start]
    end = {END_NONE: "", END_ARROW: ">", END_CIRCLE: "o", END_CROSS: "x"}[edge.end]
    length = max(1, edge.length)
    if edge.stroke == "dotted":
        body = "-" + "." * length + "-" + end
    elif edge.stroke == "invisible":
        body = "~" * (length + 2)
    else:
        stroke = "=" if edge.stroke == "thick" else "-"
        body = stroke * (length + (1 if end else 2)) + end
    if edge.stroke != "invisible":
        body = start + body
    if edge.id is not None and not plain:
        if not _EDGE_ID.fullmatch(edge.id):
            raise RenderError(_("{id} cannot be written as a Mermaid edge id", id=f"`{edge.id}`"))
        body = edge.id + "@" + body
    if edge.label is not None and edge.label != "":
        body += _edge_label(edge.label, edge.label_format == "markdown")
    return body


# ---------------------------------------------------------------------------------------------
# Node statements: a bracket (`A["x"]`), node data (`A@{ … }`), or both


@dataclass(frozen=True)
class _Bracket:
    shape: str
    label: str
    label_format: str


@dataclass
class _Data:
    entries: NodeData = field(default_factory=list)


def _simulate(node_id: str, statements: list) -> tuple[str, str, Optional[str], dict[str, str]]:
    """What salesflow reads from these statements: (label, format, shape, Mermaid data keys)."""
    label: Optional[str] = None
    label_format = "text"
    shape: Optional[str] = None
    data: dict[str, str] = {}
    for statement in statements:
        if isinstance(statement, _Bracket):
            markdown = statement.label_format == "markdown"
            label, label_format, shape = _read_back(statement.label, markdown), statement.label_format, statement.shape
        else:
            for key, value in statement.entries:
                if not isinstance(value, str):
                    continue
                if key == "shape":
                    shape = value
                    data[key] = value
                elif key == "label":
                    if value.strip():
                        label, label_format = value.strip(), "text"
                    data[key] = value.strip()
                else:
                    data[key] = value
    return (label if label is not None else node_id), label_format, shape, data


def _node_statements(node: Node, plain: bool) -> list:
    """The fewest statements that give the node its label, shape and Mermaid data, in order."""
    mermaid = {} if plain else dict(node.mermaid_data)
    # Without node data a named shape is drawn with its nearest bracket (which implies the same kind).
    shape = nearest_bracket(node.shape) if plain and node.shape is not None else node.shape

    def attempts(data: dict[str, str]) -> list[list]:
        ordered = sorted(data.items(), key=lambda kv: (kv[0] not in ("shape", "label"), kv[0] != "shape", kv[0]))
        bracket = _Bracket(shape if shape in BRACKETS else "square", node.label, node.label_format)
        options: list[list] = [[], [bracket]]
        if data:
            options += [[_Data(list(ordered))], [bracket, _Data(list(ordered))], [_Data(list(ordered)), bracket]]
            if "shape" in data:
                options.append([_Data(list(ordered)), bracket, _Data([("shape", data["shape"])])])
        return options

    wanted = (node.label, node.label_format, shape, mermaid)
    for option in attempts(mermaid):
        if _simulate(node.id, option) == wanted:
            return option
    text = node.label
    if not plain and text == text.strip() and text and "label" not in mermaid:
        # The label cannot be written in brackets exactly: it goes into the node data instead.
        with_label = dict(mermaid, label=text)
        for option in attempts(with_label):
            if _simulate(node.id, option) == (node.label, "text", shape, with_label):
                return option
    # Nothing reads back exactly (e.g. a label with quotes and outer spaces): show the same text.
    return [_Bracket(shape if shape in BRACKETS else "square", node.label, node.label_format)] + (
        [_Data(sorted(mermaid.items()))] if mermaid else []
    )


def _as_written(element: Any, key: str, value: Optional[str]) -> Optional[str]:
    """The text of a value, or of one that did not read: either is kept exactly as written."""
    if value is not None:
        return value
    unreadable = element.unreadable_value(key)
    return unreadable.text if unreadable is not None else None


def _process_data(element: Union[Node, Edge]) -> NodeData:
    """salesflow's own node or edge data, written as the key table says (`metadata_keys.written_keys`).

    An owner that comes from the lane is left out; a value that did not read is kept as written.
    """
    from ..metadata_keys import EDGE, NODE, written_keys

    entries: NodeData = []
    for key in written_keys(NODE if isinstance(element, Node) else EDGE):
        value = getattr(element, key.field)
        if key.mermaid == "own":
            if value and not getattr(element, key.field + "_from_lane"):
                entries.append((key.name, value))
        elif key.mermaid == "as written":
            if key.decoder == "rate":
                value = getattr(element, key.field + "_text")
            elif key.decoder == "duration" and value is not None:
                value = value.text
            written = _as_written(element, key.name, value)
            if written is not None:
                entries.append((key.name, written))
        elif key.mermaid == "list":
            if value:
                entries.append((key.name, list(value)))
        elif value:
            entries.append((key.name, value))
    return entries


def _inline(entries: NodeData) -> str:
    parts = []
    for key, value in entries:
        if isinstance(value, list):
            parts.append(f"{key}: [" + ", ".join(yaml_scalar(item) for item in value) + "]")
        else:
            parts.append(f"{key}: {yaml_scalar(value)}")
    return "@{ " + ", ".join(parts) + " }"


def _block(entries: NodeData, indent: str) -> list[str]:
    """Node data as a YAML block: `@{` ends the first line, `}` stands alone on the last."""
    lines = []
    for key, value in entries:
        if isinstance(value, list):
            lines.append(f"{indent}  {key}:")
            lines += [f"{indent}    - {yaml_scalar(item, flow=False)}" for item in value]
        else:
            lines.append(f"{indent}  {key}: {yaml_scalar(value, flow=False)}")
    return lines + [indent + "}"]


def _data_lines(head: str, entries: NodeData, indent: str) -> list[str]:
    """`head@{ … }` on one line when short, else as a block."""
    head = _line_start(head)
    inline = _inline(entries)
    if display_width(indent + head + inline) <= MAX_INLINE_DATA or not entries:
        return [indent + head + inline]
    return [indent + head + "@{"] + _block(entries, indent)


def _bracket_text(bracket: _Bracket, after_percent: bool = False) -> str:
    """The brackets and label. After an id that ends in `%` (`A%%`), a bare label could complete
    a directive (`A%%{init: x}`: Mermaid removes `%%{init: x` before it parses), so it is quoted:
    no directive starts with `%%{"`."""
    opening, closing = BRACKETS[bracket.shape]
    return opening + _label(bracket.label, bracket.label_format == "markdown", quoted=after_percent) + closing


def node_lines(node: Node, indent: str, plain: bool = False) -> list[str]:
    """The declaration of one node: its brackets and its data, fewest lines first."""
    node_id = _check_id(node.id)
    statements = _node_statements(node, plain)
    extra = [] if plain else _process_data(node)
    if extra:
        data = next((s for s in statements if isinstance(s, _Data)), None)
        if data is None:
            statements = statements + [_Data(extra)]
        else:
            statements = [_Data(s.entries + extra) if s is data else s for s in statements]
    lines: list[str] = []
    index = 0
    while index < len(statements):
        statement = statements[index]
        if isinstance(statement, _Bracket):
            head = node_id + _bracket_text(statement, after_percent=node_id.endswith("%"))
            following = statements[index + 1] if index + 1 < len(statements) else None
            if isinstance(following, _Data):
                lines += _data_lines(head, following.entries, indent)
                index += 2
                continue
            lines.append(indent + _line_start(head))
        else:
            lines += _data_lines(node_id, statement.entries, indent)
        index += 1
    return lines or [indent + _mention(node_id)]


# ---------------------------------------------------------------------------------------------
# The document


def _top_level_subgraphs(process: Process) -> list[Subgraph]:
    """The subgraphs no other holds, in the order written (the order Mermaid draws lanes in)."""
    return [s for s in process.subgraphs if s.parent is None]


def _check_swimlanes(process: Process) -> None:
    """Refuse a flowchart whose lanes a swimlane diagram would read otherwise (see the module)."""
    subgraphs = {s.id: s for s in process.subgraphs}

    def place(subgraph: Subgraph) -> str:
        return f"{process.path}:{subgraph.span.line}:{subgraph.span.column}"

    for lane in process.lanes:
        parent = subgraphs[lane].parent
        if parent is not None:
            raise RenderError(
                _("{place}: cannot write a swimlane diagram: the lane {lane} is inside the subgraph {parent}, "
                  "but a swimlane diagram's lanes are its top-level subgraphs; move the lane out of it, or "
                  "leave out {option}",
                  place=place(subgraphs[lane]), lane=f"`{lane}`", parent=f"`{parent}`", option="--swimlane")
            )
    for subgraph in _top_level_subgraphs(process):
        if subgraph.id not in process.lanes:
            raise RenderError(
                _("{place}: cannot write a swimlane diagram: the subgraph {subgraph} is not a lane, but a "
                  "swimlane diagram draws every top-level subgraph as a lane (and its title would own its "
                  "stages); add it to {key}, put it inside a lane, or leave out {option}",
                  place=place(subgraph), subgraph=f"`{subgraph.id}`", key="`lanes:`", option="--swimlane")
            )


def _written_lanes(process: Process, swimlane: bool) -> tuple[str, ...]:
    """The `lanes:` to write: in a swimlane diagram only when it orders the lanes otherwise than
    the file does (the top-level subgraphs are the lanes anyway)."""
    if swimlane and list(process.lanes) == [s.id for s in _top_level_subgraphs(process)]:
        return ()
    return process.lanes


def _front_matter(process: Process, plain: bool, swimlane: bool = False) -> list[str]:
    lines: list[str] = []
    if process.title:
        lines.append(f"title: {yaml_scalar(process.title, flow=False)}")
    if not plain:
        if process.lang:
            lines.append(f"lang: {yaml_scalar(process.lang, flow=False)}")
        target = _as_written(process, "target", process.target.text if process.target is not None else None)
        if target is not None:
            lines.append(f"target: {yaml_scalar(target, flow=False)}")
        for key in ("goals", "roles"):
            values = getattr(process, key)
            if values:
                lines.append(f"{key}:")
                lines += [f"  - {yaml_scalar(value, flow=False)}" for value in values]
        lanes = _written_lanes(process, swimlane)
        if lanes:
            lines.append("lanes: [" + ", ".join(yaml_scalar(lane) for lane in lanes) + "]")
    for key, value in process.mermaid_front_matter:
        lines += _yaml_value(key, value, "")
    return ["---"] + lines + ["---"] if lines else []


def _yaml_value(key: str, value: object, indent: str) -> list[str]:
    """Mermaid's own front matter (config, displayMode), written back as nested YAML."""
    if isinstance(value, dict):
        if not value:
            return [f"{indent}{yaml_scalar(key)}: {{}}"]
        lines = [f"{indent}{yaml_scalar(key)}:"]
        for sub_key, sub_value in value.items():
            lines += _yaml_value(str(sub_key), sub_value, indent + "  ")
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{indent}{yaml_scalar(key)}: []"]
        lines = [f"{indent}{yaml_scalar(key)}:"]
        for item in value:
            if isinstance(item, (dict, list)):
                nested = _yaml_value("-", item, indent + "  ")
                lines.append(f"{indent}  -")
                lines += nested[1:] if nested and nested[0].endswith(":") else nested
            else:
                lines.append(f"{indent}  - {yaml_scalar(str(item), flow=False)}")
        return lines
    return [f"{indent}{yaml_scalar(key)}: {yaml_scalar('' if value is None else str(value), flow=False)}"]


class _Document:
    def __init__(self, process: Process, plain: bool, swimlane: bool = False) -> None:
        self.process = process
        self.plain = plain
        self.swimlane = swimlane or process.is_swimlane
        if self.swimlane and not process.is_swimlane:
            _check_swimlanes(process)
        self.subgraphs = {s.id: s for s in process.subgraphs}
        self.lines: list[str] = []
        self.comments = _Comments(process)

    # ------------------------------------------------------------------ layout of the blocks

    def _layout(self) -> tuple[list[tuple[str, str]], bool]:
        """Top-level items [("node"|"subgraph", id)], and whether subgraphs nest (else: flat)."""
        process = self.process
        position = {node.id: index for index, node in enumerate(process.nodes)}
        homes = {node.id: node.subgraph for node in process.nodes}
        children = {s.id: [m for m in s.members if m in self.subgraphs and self.subgraphs[m].parent == s.id]
                    for s in process.subgraphs}

        def first_node(subgraph_id: str, depth: int = 0) -> int:
            found = [position[m] for m in self.subgraphs[subgraph_id].members if homes.get(m) == subgraph_id]
            if depth < 64:
                found += [first_node(c, depth + 1) for c in children[subgraph_id]]
            return min(found, default=len(position))

        def merged(subgraph_ids: list[str]) -> list[tuple[str, str]]:
            nodes = [n.id for n in process.nodes if homes[n.id] not in self.subgraphs]
            out: list[tuple[str, str]] = []
            i = j = 0
            while i < len(nodes) or j < len(subgraph_ids):
                take_node = j >= len(subgraph_ids) or (
                    i < len(nodes) and position[nodes[i]] < first_node(subgraph_ids[j])
                )
                if take_node:
                    out.append(("node", nodes[i]))
                    i += 1
                else:
                    out.append(("subgraph", subgraph_ids[j]))
                    j += 1
            return out

        top = [s.id for s in process.subgraphs if s.parent not in self.subgraphs]
        nested = merged(top)
        closing: list[str] = []

        def close(subgraph_id: str, depth: int = 0) -> None:
            if depth < 64:
                for child in children[subgraph_id]:
                    close(child, depth + 1)
            closing.append(subgraph_id)

        for kind, item in nested:
            if kind == "subgraph":
                close(item)
        if closing == [s.id for s in process.subgraphs]:
            return nested, True
        return merged([s.id for s in process.subgraphs]), False

    def _declared_order(self, items: list[tuple[str, str]], nest: bool) -> list[str]:
        """Node ids in the order their declarations will appear."""
        homes = {node.id: node.subgraph for node in self.process.nodes}
        order: list[str] = []

        def walk(subgraph_id: str, depth: int = 0) -> None:
            for member in self.subgraphs[subgraph_id].members:
                if homes.get(member) == subgraph_id and self.process.has_node(member):
                    order.append(member)
                elif nest and member in self.subgraphs and self.subgraphs[member].parent == subgraph_id and depth < 64:
                    walk(member, depth + 1)

        for kind, item in items:
            if kind == "node":
                order.append(item)
            else:
                walk(item)
        return order

    # ------------------------------------------------------------------ writing

    def write(self) -> str:
        process = self.process
        out = self.lines
        out += _front_matter(process, self.plain, self.swimlane)
        out += self.comments.directives()
        out.append((SWIMLANE_HEADER if self.swimlane else process.header) + " " + process.direction)
        if process.acc_title is not None:
            out.append(f"{INDENT}accTitle: {_free_text(process.acc_title)}")
        if process.acc_descr is not None:
            # In the block form each line starts a line: one starting with `%%` would be a comment.
            descr_lines = [
                re.sub(r"^%(?=%)", "#37;", _free_text(line).replace("}", "#125;"))
                for line in process.acc_descr.split("\n")
            ]
            if len(descr_lines) == 1:
                out.append(f"{INDENT}accDescr: {_free_text(process.acc_descr)}")
            else:
                out.append(f"{INDENT}accDescr {{")
                out += [(INDENT * 2 + line).rstrip() for line in descr_lines]
                out.append(INDENT + "}")

        items, nest = self._layout()
        declared = self._declared_order(items, nest)
        # Nodes whose declaration would come after a node the model lists later are first
        # mentioned bare at the top, so the node order reads back unchanged.
        model_order = [node.id for node in process.nodes]
        where = {node_id: index for index, node_id in enumerate(declared)}
        keep = len(model_order)
        while keep > 0 and (keep == len(model_order) or where[model_order[keep - 1]] < where[model_order[keep]]):
            keep -= 1
        for node_id in model_order[:keep]:
            out.append(INDENT + _mention(node_id))

        for kind, item in items:
            if kind == "node":
                self._node(process.node(item), INDENT)
            else:
                self._subgraph(self.subgraphs[item], INDENT, nest)

        for edge in process.edges:
            self._comments_before(edge.span.line, INDENT)
            out.append(INDENT + _edge_line(edge, self.plain))
        if not self.plain:
            for edge in process.edges:
                entries = _process_data(edge)
                if edge.id is None or not entries:
                    continue
                if edge.data_span is not None:
                    self._comments_before(edge.data_span.line, INDENT)
                out += _data_lines(edge.id, entries, INDENT)

        for class_def in process.class_defs:
            self._comments_before(class_def.span.line, INDENT)
            out.append(f"{INDENT}classDef {class_def.name} {_statement_text(class_def.style)}")
        out += [INDENT + line for line in _class_statements(process)]
        for style in process.styles:
            self._comments_before(style.span.line, INDENT)
            keyword = "linkStyle" if style.is_link else "style"
            out.append(f"{INDENT}{keyword} {style.target} {_statement_text(style.style)}")
        for click in process.clicks:
            if not click.target.strip():
                continue  # a click with nothing to open or call does nothing
            self._comments_before(click.span.line, INDENT)
            out.append(INDENT + _click(click))
        out += [INDENT + line for line in self.comments.rest()]
        if self.comments.open_directive:
            # Nothing may follow it, not even the final line end (that would add an empty line).
            return "\n".join(line.rstrip() for line in out + self.comments.open_directive)
        return "\n".join(line.rstrip() for line in out) + "\n"

    def _comments_before(self, line: int, indent: str) -> None:
        self.lines += [indent + text for text in self.comments.before(line)]

    def _node(self, node: Node, indent: str) -> None:
        self._comments_before(node.span.line, indent)
        self.lines += node_lines(node, indent, self.plain)

    def _subgraph(self, subgraph: Subgraph, indent: str, nest: bool, depth: int = 0) -> None:
        self._comments_before(subgraph.span.line, indent)
        markdown = subgraph.title_format == "markdown"
        bare = subgraph.title == subgraph.id and not markdown
        if bare and NODE_ID.fullmatch(subgraph.id) and not subgraph.id.startswith("end"):
            head = subgraph.id
        else:
            head = f"{_check_id(subgraph.id)} {_title(subgraph.title, markdown)}"
        self.lines.append(f"{indent}subgraph {head}")
        inner = indent + INDENT
        if subgraph.direction:
            self.lines.append(f"{inner}direction {subgraph.direction}")
        for member in subgraph.members:
            if self.process.has_node(member) and self.process.node(member).subgraph == subgraph.id:
                self._node(self.process.node(member), inner)
            elif nest and member in self.subgraphs and self.subgraphs[member].parent == subgraph.id and depth < 64:
                self._subgraph(self.subgraphs[member], inner, nest, depth + 1)
            else:
                self.lines.append(inner + _mention(member))
        self.lines.append(f"{indent}end")


def _statement_text(text: str) -> str:
    """The style text of classDef/style/linkStyle: one line; a `;` would end the statement."""
    # Style text has no escapes (an entity's `;` would end it), so a `%%{` is broken up instead.
    return re.sub(r"[\n\u2028\u2029;]+", " ", mermaid_clean(text)).replace("%%{", "% %{").strip()


def _class_statements(process: Process) -> list[str]:
    """`class A,B name` statements that give every node its classes in its order.

    Round r assigns every node its r-th class, so each node's classes come in order; a class
    given with `:::` reads back the same as one given by `class`.
    """
    lines = []
    depth = max((len(node.classes) for node in process.nodes), default=0)
    for round_number in range(depth):
        by_class: dict[str, list[str]] = {}
        for node in process.nodes:
            if len(node.classes) > round_number:
                by_class.setdefault(node.classes[round_number], []).append(node.id)
        for name, ids in by_class.items():
            lines.append(f"class {','.join(_check_id(i) for i in ids)} {name}")
    return lines


def _click(click) -> str:
    url_or_call = click.target.replace('"', "%22")
    if click.action == "link":
        parts = [f'click {click.node} href "{url_or_call}"']
        if click.tooltip:
            parts.append(mermaid_string(click.tooltip))
        if click.window:
            parts.append(click.window)
        return " ".join(parts)
    if "(" in click.target:
        text = f"click {click.node} call {click.target}"
    else:
        text = f"click {click.node} {click.target}"
    if click.tooltip:
        text += " " + mermaid_string(click.tooltip)
    return text


class _Comments:
    """Whole-line comments, each placed before the element that followed it in the source.

    Directives (`%%{init: …}%%`) go before the header. One left open (no `}%%` before the end of
    the file) made every later line a comment; it goes last, so it still swallows nothing.
    """

    def __init__(self, process: Process) -> None:
        self.directive_lines: list[str] = []
        self.open_directive: list[str] = []
        self.pending: list[tuple[int, str]] = []
        for block in comment_blocks(process.comments):
            if not block.directive:
                self.pending.append((block.comments[0].span.line, block.lines[0]))
            elif block.closed:
                self.directive_lines += block.lines
            else:
                self.open_directive = block.lines

    def directives(self) -> list[str]:
        return list(self.directive_lines)

    def before(self, line: int) -> list[str]:
        taken = [text for where, text in self.pending if where < line]
        if taken:
            self.pending = [(where, text) for where, text in self.pending if where >= line]
        return taken

    def rest(self) -> list[str]:
        taken = [text for _where, text in self.pending]
        self.pending = []
        return taken


def to_mermaid(process: Process, plain: bool = False, swimlane: bool = False) -> str:
    """Canonical Mermaid text for `process`; `plain` drops salesflow's metadata; `swimlane` writes
    a flowchart's department lanes as a swimlane diagram (a swimlane diagram always stays one)."""
    return _Document(process, plain, swimlane).write()


def render(process: Process, **options: object) -> str:
    """`render -f mermaid` (`--plain`: without metadata; `--swimlane`: as a swimlane diagram)."""
    return to_mermaid(process, plain=bool(options.get("plain", False)), swimlane=bool(options.get("swimlane", False)))
