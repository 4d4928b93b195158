"""Planning the drawing's size and bands, for the DOT writer (dot.py): how long the flow is and
how wide (extents, measured from the labels before dot lays anything out), where a long flow
wraps into rows (or columns), which stages each band (a lane, or a stretch of a wrapped flow)
holds and in what order, and the invisible anchors and chains that keep the bands in line."""

from __future__ import annotations

from collections import defaultdict

from ..memo import cached_property
from ..textwidth import display_width
from ..model import Edge, Node
from . import labels as label_text
from .escape import dot_quote
from .dot_constants import (
    WRAP_TARGET, COMPACT_ASPECT, COMPACT_MOST_RANKS, BAND_WEIGHT, BAND_GAP, JUMP_ANCHOR_INCHES, LANE_ENDS, ONE_LANE_MARGIN,
    ONE_LANE_BROAD, BOX_LEAST_HEIGHT, BOX_MARGINS, BOX_LINE, COLUMN_GAP, COLUMN_LABEL_LINE, COLUMN_LABEL_STACK, COLUMN_ENDS,
    DRAWN_COLUMN_EM, FRAME_MARGINS, LEGEND_SWATCH, LABEL_CLEARANCE, ROW_LEAST_WIDTH, ROW_STAGE_COLUMN, ROW_STAGE_MARGINS,
    ROW_DIAMOND_COLUMN, ROW_DIAMOND_MARGINS, ROW_GAP, ROW_LABEL_GAP, ROW_LABEL_LINE, ROW_LABEL_OFF_LINE, ROW_BOW,
    ROW_FRAME_EXTRA, ROW_MARGIN, WRAP_ASPECT, COLUMN_PAST_SKIP, LANE_STAGE_GAP, LANE_LABEL_GAP, LANE_LABEL_LINE,
    LANE_PATH_ENDS, LANE_MARGINS, LOOP_BOW_PER_RANK, LOOP_BOW_FROM, LARGE_CHART_NODES, EXTENT_SAMPLE,
    UNWRAPPED_TRIAL_MOST, DRAWN_MARGIN, NEAR_BAR, COMPACT_LABEL_COLUMNS,
)
from .dot_markup import _plain_lines, _internal

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional, Sequence

GOLDEN = (5 ** 0.5 - 1) / 2  # the golden ratio's fraction, which steps round a chart without repeating (_measure_extents)


class _Band:
    """One row of a left-to-right drawing, or one column of a top-down one: a lane (or a part of
    a lane, when lanes wrap) or, in a wrapped chart without lanes, a stretch of the flow."""

    __slots__ = ("index", "lane", "nodes", "turned", "extra")

    def __init__(self, index: int, lane: Optional[str], nodes: list[str], turned: bool = False) -> None:
        self.index = index
        self.lane = lane  # the lane's subgraph id
        self.nodes = nodes  # DOT names, in the order the flow runs along the band
        self.turned = turned  # runs the other way, as every second row of a wrapped flow does
        self.extra: list[str] = []  # stand-ins of empty subgraphs

    @property
    def first(self) -> str:
        return _internal(f"band-{self.index}-first")

    @property
    def last(self) -> str:
        return _internal(f"band-{self.index}-last")


def _widest(lines: list[label_text.Line], default: int = 0) -> int:
    """The display width of the widest of `lines`; `default` when there are none."""
    if len(lines) == 1 and len(lines[0]) == 1:
        return display_width(lines[0][0].text)  # most labels: one line of plain text
    return max((sum(display_width(run.text) for run in line) for line in lines), default=default)


def _grouped(members: list[str], depth: int, paths: dict[str, list[str]]) -> list[str]:
    """`members` in their order, except that those inside one subgraph at `depth` (by `paths`,
    each node's subgraphs from the outermost in) come together where the first of them comes.
    A function of its own, not a closure calling itself: that would be a reference cycle, and
    the drawing's whole working state would wait for the garbage collector instead of being
    freed at once."""
    buckets: dict[tuple[str, str], list[str]] = {}
    for node_id in members:
        chain = paths[node_id]
        key = ("subgraph", chain[depth]) if len(chain) > depth else ("node", node_id)
        buckets.setdefault(key, []).append(node_id)
    out = []
    for (kind, _name), bucket in buckets.items():
        out += bucket if kind == "node" else _grouped(bucket, depth + 1, paths)
    return out


class BandPlanning:
    """Planning the bands and the drawing's size (see the module docstring). A part of `dot._Writer`: its methods work on the writer's state."""

    # -------------------------------------------------------------- bands: lanes and wrapped rows

    def _rankdir(self) -> str:
        """Graphviz's rank direction. A banded drawing (see _plan_bands) turns dot's ranks across
        the flow: each rank is one band, and the flow runs along it."""
        if not self.bands:
            return self.direction
        return "TB" if self.across else "LR"

    def _plan_bands(self) -> list[_Band]:
        """The bands of the drawing: rows when the flow runs left to right, columns when it runs down.

        Lanes are bands, in the order `lanes:` lists them, so `dot` ranks them and cannot reorder
        them or let an edge cut across a lane's stages; `dot` keeps a lane's band to its own
        nodes. A chart without lanes is banded only when it wraps: a long flow is cut into rows
        (or columns) of a few stages each, in the order the flow runs, like a printed process
        poster. Nodes outside every lane get a band after the lanes. Empty: no bands (`dot`
        ranks along the flow as usual).
        """
        order = self._flow_order()
        wrap = self.options.wrap
        if self.swimlanes:
            # Each stage in the first lane that holds it, in flow order: one pass over the flow,
            # not one per lane.
            lane_number: dict[str, int] = {}
            for number, lane in enumerate(self.swimlanes):
                for member in self.graph.subgraph_nodes(lane.id):
                    lane_number.setdefault(member, number)
            in_lane: list[list[str]] = [[] for _lane in self.swimlanes]
            rest: list[str] = []
            for n in order:
                number = lane_number.get(n)
                (rest if number is None else in_lane[number]).append(n)
            groups: list[tuple[Optional[str], list[str]]] = [
                (lane.id, nodes) for lane, nodes in zip(self.swimlanes, in_lane)]
            if rest:
                groups.append((None, rest))
            per_row = wrap if wrap else None
            if wrap is None:
                per_row = self._row_length([len(nodes) for _lane, nodes in groups])
        else:
            if not wrap and wrap is not None:
                return []
            per_row = wrap if wrap else self._row_length([len(order)], ranks=self._ranks_count())
            if per_row is None or per_row >= len(order):
                return []
            if wrap is None and self._one_column_reads():
                return []
            # Each group's stages together over the whole flow, not only within each row: a
            # group cut in two then ends one row and starts the next, at the turn, where its
            # box can hold both parts (cut within each row, channel sales at three a row had
            # 直销团队 start the first row and end the second, on the other side of the page).
            groups = [(None, self._clusters_together(order) if self.subgraphs else order)]
        bands: list[_Band] = []
        quoted = self.stage_ends  # each stage's name quoted once (see dot._Writer)
        for lane_id, nodes in groups:
            size = per_row or max(len(nodes), 1)
            size = -(-len(nodes) // max(-(-len(nodes) // size), 1)) if nodes else 1  # rows of even length
            chunks = [nodes[start : start + size] for start in range(0, len(nodes), size)] or [[]]
            for number, chunk in enumerate(chunks):
                chunk = self._clusters_together(chunk)
                names = [quoted[n][0] if n in quoted else dot_quote(n) for n in chunk]
                bands.append(_Band(len(bands), lane_id, names, turned=number % 2 == 1))
        return bands

    def _clusters_together(self, nodes: list[str]) -> list[str]:
        """`nodes` in flow order, except that the members of each drawn subgraph come together,
        where its first member comes. dot draws a subgraph's nodes side by side within a rank;
        a band that interleaves two subgraphs (a wrapped row through two groups) would have dot
        break the band's order instead, and draw part of the flow backwards."""
        def path(node_id: str) -> list[str]:
            chain, holder, guard = [], self._drawn_holder(self.process.node(node_id).subgraph), 0
            while holder in self.subgraphs and guard < 64:
                chain.append(holder)
                holder, guard = self._drawn_holder(self.subgraphs[holder].parent), guard + 1
            return chain[::-1]

        node = self.process.node
        if len({node(node_id).subgraph for node_id in nodes}) <= 1 and len(set(nodes)) == len(nodes):
            return list(nodes)  # most bands: every stage held by the same subgraph (a lane's), none to group
        paths = {node_id: path(node_id) for node_id in nodes}
        if len(paths) == len(nodes) and len({tuple(chain) for chain in paths.values()}) <= 1:
            return list(nodes)  # most bands: every stage in the same subgraphs (a lane's), none to group
        return _grouped(nodes, 0, paths)

    def _flow_ranks(self) -> dict[str, int]:
        """Each node's longest distance from a start along the forward edges (loops back left
        out), invisible links (`~~~`) included, since they place nodes too."""
        if hasattr(self, "_ranks"):
            return self._ranks
        # By the nodes' numbers (node_index), in lists: a large chart has thousands of links.
        back = self._back_edges()
        index = self.node_index
        count = len(self.process.nodes)
        forward: list[list[int]] = [[] for _node in range(count)]
        indegree = [0] * count
        for step in self.graph.steps:
            if step.edge.index not in back and step.source != step.target:
                target = index[step.target]
                forward[index[step.source]].append(target)
                indegree[target] += 1
        for edge in self.process.edges:
            if edge.stroke == "invisible" and edge.source != edge.target:
                if self.process.has_node(edge.source) and self.process.has_node(edge.target):
                    target = index[edge.target]
                    forward[index[edge.source]].append(target)
                    indegree[target] += 1
        rank = [0] * count
        ready = [number for number in range(count) if not indegree[number]]
        head = 0
        while head < len(ready):  # nodes on a cycle of invisible links keep the rank reached so far
            current = ready[head]
            head += 1
            onward = rank[current] + 1
            for target in forward[current]:
                if rank[target] < onward:
                    rank[target] = onward
                indegree[target] -= 1
                if not indegree[target]:
                    ready.append(target)
        self._ranks = dict(zip([node.id for node in self.process.nodes], rank))
        return self._ranks

    def _flow_order(self) -> list[str]:
        """Node ids in the order the flow runs: part by part of a chart in several unconnected
        parts (in the chart's order), then by rank (see _flow_ranks), the flow's starts first
        among the stages of the first rank (a stage only a loop leads back to ranks there too:
        in channel sales, tests/corpus/accept/201-real-channel-sales.mmd, the partner's first
        stage, written before the flow's start, came first and took its group ahead of the
        start's), then in the chart's order."""
        rank = self._flow_ranks()
        starts = set(self.graph.starts)
        index = self.node_index
        ids = list(rank)  # in the chart's order
        # Each node's link towards the first node of its part, by number; a part is named by
        # its node that comes first in the chart.
        part = list(range(len(ids)))
        links = [(s.source, s.target) for s in self.graph.steps] + [
            (e.source, e.target) for e in self.process.edges
            if e.stroke == "invisible" and self.process.has_node(e.source) and self.process.has_node(e.target)
        ]
        for source, target in links:
            a, b = index[source], index[target]
            while part[a] != a:
                a = part[a]
            while part[b] != b:
                b = part[b]
            if a < b:
                part[b] = a
            elif b < a:
                part[a] = b
        keys = []
        for number, node_id in enumerate(ids):
            first = number
            while part[first] != first:
                first = part[first]
            keys.append((first, rank[node_id], node_id not in starts, number))
        return [ids[number] for number in sorted(range(len(ids)), key=keys.__getitem__)]

    def _ranks_count(self) -> tuple[int, int]:
        """(ranks, most nodes on one rank) of the flow drawn unwrapped."""
        counts: dict[int, int] = defaultdict(int)
        for value in self._flow_ranks().values():
            counts[value] += 1
        return (max(counts) + 1 if counts else 0), max(counts.values(), default=0)

    def _label_lines(self, text: str) -> list[label_text.Line]:
        """An edge label's lines, wrapped as the drawing wraps it."""
        return self._wrapped(text, self.columns["edge"])

    def _wrapped(self, label: str, width: int, label_format: str = "text") -> list[label_text.Line]:
        """A label's lines wrapped at `width` columns. Each label is measured (see _extents) before
        it is drawn: its lines are worked out once. The lists are shared: read them, never change them."""
        key = (label, label_format, width)
        lines = self.wrapped_labels.get(key)
        if lines is None:
            lines = self.wrapped_labels[key] = label_text.wrapped_label(label, label_format, width)
        return lines

    def _label_width(self, text: str, points: float) -> float:
        """Estimated width in points of a label wrapped as the drawing wraps it."""
        return self._label_columns(text) * points * 0.55

    def _label_columns(self, text: str) -> int:
        """The display width of a label's widest line, wrapped as the drawing wraps it."""
        widest = self.widest_labels.get(text)
        if widest is None:  # links repeat their labels, notes and rates (`是`, `否`, `交接客户资料`)
            lines = self._label_lines(text)
            widest = _widest(lines)
            self.widest_labels[text] = widest
        return widest

    def _extents(self) -> tuple[float, float, float]:
        """Estimated room, in points, that a stage takes along the flow and beside it, and the
        room that loops drawn beside the flow take (their labels included). Calibrated on the
        layout corpus (tests/cases/layout/): within about a fifth of what dot draws."""
        if not hasattr(self, "_extents_by_columns"):
            self._extents_by_columns: dict[tuple[int, ...], tuple[float, float, float]] = {}
        if self.label_columns not in self._extents_by_columns:
            self._extents_by_columns[self.label_columns] = self._measure_extents()
        return self._extents_by_columns[self.label_columns]

    def _stage_extent(self, node: Node) -> tuple[float, float]:
        """The estimated width and height, in points, of a stage's box."""
        text, rows = self._stage_text(node)
        return _box_width(text), 22.0 + 15 * rows

    def _stage_text(self, node: Node) -> tuple[float, float]:
        """The columns of a stage's widest line of text and its lines, as many as a label's lines
        take (a line of owner and deadline, or of a highlight tag, takes less)."""
        columns = self.label_columns[1] if node.is_decision else self.label_columns[0]
        lines = self._wrapped(node.label, columns, node.label_format)
        text = _widest(lines, default=4)
        rows = len(lines)
        if self.options.show_meta:
            # (_in_drawn_lane and _hidden_lane_title, answered without a call for a stage in a drawn lane.)
            hidden = node.lane is not None and node.lane in self.hidden_lanes
            meta = self._meta_lines(
                node, node.lane is not None and not hidden, max(columns, self.label_columns[2]),
                self._hidden_lane_title(node) if hidden or node.subgraph in self.hidden_groups else None)
            if meta:
                # Meta text is 9.5 pt against the label's 12.
                text = max(text, 0.8 * _widest(meta))
                rows += 0.8 * len(meta)
        if node.id in self.marks.nodes:
            # The highlight tag, as _node wraps it, in 9 pt against the label's 12.
            tag = self._tag_lines(self.marks.nodes[node.id], max(columns, self.columns["tag"] - 2))
            text = max(text, 0.75 * _widest(tag))
            rows += 0.8 * len(tag)
        return text, rows

    def _measure_extents(self) -> tuple[float, float, float]:
        nodes = self.process.nodes
        if len(nodes) > LARGE_CHART_NODES:
            # A large chart's mean is taken over a sample of its stages: measuring each wraps its
            # label before the first line of DOT is written, while dot waits; drawn, each label is
            # wrapped anyway, while dot reads the text (render of 2,000 stages: 15 ms, now 2). The
            # stages are picked at multiples of the golden ratio round the chart, not every k-th:
            # a chart whose stages repeat every k (the bench's repeat every 10) would give a mean
            # of one kind of stage.
            count = len(nodes)
            nodes = [nodes[int(count * ((i * GOLDEN) % 1.0))] for i in range(EXTENT_SAMPLE)]
        extents = [self._stage_extent(node) for node in nodes]
        widths, heights = [width for width, _height in extents], [height for _width, height in extents]
        width = sum(widths) / len(widths) if widths else 100.0
        height = sum(heights) / len(heights) if heights else 40.0
        back = self._back_edges()
        tag = 24 * 9 * 0.55  # a highlight tag under an edge label (`⚠ handoff-without-note`)

        def label(edge: Edge) -> float:
            widths = [self._label_width(edge.label or "", 10), tag if edge.index in self.marks.edges else 0]
            if edge.note and self.options.show_meta:
                widths.append(self._label_width(edge.note, 9))
            if edge.rate is not None:
                widths.append(self._label_width(edge.rate_text or "", 10))
            return max(widths)

        forward_labels = [label(edge) for edge in self.graph.flow_edges if edge.index not in back]
        loop_labels = [label(edge) for edge in self.graph.flow_edges if edge.index in back]
        if self.across:
            along = width + 40 + (sum(forward_labels) / len(forward_labels) if forward_labels else 0)
            return along, height + 35, 20.0 if loop_labels else 0.0
        # Down a lane, a label takes its lines' height between two stages (12 points a line).
        # (Without lanes, dot's own ranks leave room for most labels already.)
        lines = self._link_lines
        if self.swimlanes:
            forward = [12.0 * lines(edge) for edge in self.graph.flow_edges if edge.index not in back]
        else:
            # dot's ranks leave room for a label's first line, not for more: a chain whose links
            # carry a rate and a note (two lines) or a highlight tag under the label ran longer
            # than estimated (generated-095 of charts(300, 20261203), drawn highlighted down
            # the page: estimated 5.0:1, drawn 5.7:1).
            forward = [12.0 * max(lines(edge) - 1, 0) for edge in self.graph.flow_edges if edge.index not in back]
        along = height + 40 + (sum(forward) / len(forward) if forward else 0)
        if not loop_labels:
            return along, width + 30, 0.0
        # A long loop back bows out beside the flow (see LOOP_BOW_PER_RANK). (The loops' room
        # counts only for a chart without lanes, see _unwrapped_aspect.)
        ranks = self._flow_ranks()
        longest = max(abs(ranks[edge.source] - ranks[edge.target]) for edge in self.graph.flow_edges if edge.index in back)
        bow = LOOP_BOW_PER_RANK * max(longest - LOOP_BOW_FROM, 0)
        return along, width + 30, 50 + max(loop_labels) + bow

    def _link_lines(self, edge: Edge) -> int:
        """The lines of text a link's label takes as drawn: the label's, its rate, its note and
        its highlight tag."""
        count = len(self._label_lines(edge.label or "")) if edge.label else 0
        count += edge.rate is not None
        if edge.note and self.options.show_meta:
            count += len(_plain_lines(edge.note, self.columns["note"]))
        if edge.index in self.marks.edges:
            count += len(self._tag_lines(self.marks.edges[edge.index], self.columns["tag"]))
        return count

    def _plain_chain(self, skips: bool) -> bool:
        """Whether the flow is one chain drawn along dot's own ranks: no lanes, no groups, no loop
        back, every stage on a rank of its own and every link to the next stage, or with `skips`
        also to one further on, past the stages between."""
        if self.swimlanes or self.subgraphs:
            return False
        return self._one_stage_a_rank(skips)

    def _one_stage_a_rank(self, skips: bool) -> bool:
        """Whether the flow, lanes and groups aside, is one chain along dot's ranks: stages, no
        loop back, every stage on a rank of its own and every link to the next stage, or with
        `skips` also to one further on."""
        if self._back_edges() or not self.process.nodes:
            return False
        ranks = self._flow_ranks()
        if len(set(ranks.values())) != len(ranks):
            return False
        for edge in self.graph.flow_edges:
            step = ranks.get(edge.target, -1) - ranks.get(edge.source, -1)
            if step != 1 and not (skips and step > 1):
                return False
        return True

    def _stacked_stages(self) -> tuple[float, dict[str, float]]:
        """The points the stages take one under another down a column (a diamond twice its
        box's height), and each stage's box width: for _column_extent and _lane_path_extent."""
        length = 0.0
        widths = {}
        for node in self.process.nodes:
            text, rows = self._stage_text(node)
            height = max(BOX_LEAST_HEIGHT, BOX_MARGINS + BOX_LINE * rows)
            length += height * (2 if self._drawn_shape(node) == "diamond" else 1)
            widths[node.id] = _box_width(text)
        return length, widths

    def _link_text_points(self, edge: Edge) -> float:
        """Points across the widest line of a link's label as drawn (its text and rate 10 pt, its
        note and highlight tag 9 pt, DRAWN_COLUMN_EM a column); 0 for a link without one."""
        widths = [self._label_columns(edge.label or "") * 10]
        if edge.index in self.marks.edges:
            widths.append(_widest(self._tag_lines(self.marks.edges[edge.index], self.columns["tag"])) * 9)
        if edge.note and self.options.show_meta:
            widths.append(self._label_columns(edge.note) * 9)
        if edge.rate is not None:
            widths.append(self._label_columns(edge.rate_text or "") * 10)
        return max(widths) * DRAWN_COLUMN_EM

    def _column_extent(self) -> Optional[tuple[float, float]]:
        """The length and breadth, in points, of a flow down the page without lanes or groups,
        drawn as one column: a chain, each link to the next stage or past stages to a later one
        (in a narrow drawing, whose stages sit closer, to the next only), none back. None for
        any other drawing. Counted stage by stage and link by link as dot draws them, not from the
        mean stage (_extents): a column is as broad as its broadest stage or the widest label
        beside its links, not the mean stage and a margin; and a highlight tag under a link takes
        its line between the stages as a label's does. Estimated the mean way, generated-025 of
        charts(300, 20261203), eleven stages about 190 pt broad, highlighted (nine tags on its
        links), was 4.91:1 and drawn 199.5 x 1,000 pt (5.01:1); plain, 4.86:1 and 4.62:1."""
        if self.across or not self._plain_chain(skips=not self.options.narrow):
            return None
        length, widths = self._stacked_stages()
        breadth = max(widths.values())
        beside = past = 0.0
        ranks = self._flow_ranks()
        by_rank = sorted(widths, key=ranks.__getitem__)  # one stage a rank
        place = {name: number for number, name in enumerate(by_rank)}
        for edge in self.graph.flow_edges:
            if ranks[edge.target] - ranks[edge.source] > 1:
                # A link past stages takes no room along the column; dot sets the stages it
                # passes aside (see COLUMN_PAST_SKIP).
                passed = max(widths[name] for name in by_rank[place[edge.source] + 1:place[edge.target]])
                past = max(past, breadth / 2 + passed / 2 + COLUMN_PAST_SKIP)
                continue
            count = self._link_lines(edge)
            length += COLUMN_GAP + COLUMN_LABEL_LINE * count + (COLUMN_LABEL_STACK if count > 1 else 0)
            points = self._link_text_points(edge)
            if points:
                beside = max(beside, points + LABEL_CLEARANCE)
        # A link's label sits beside it, from the column's middle out; over the column, the title
        # and the legend may be broader still.
        return length + self._frame() + COLUMN_ENDS, max(breadth, breadth / 2 + beside, self._frame_width(), past)

    def _measured_extent(self) -> Optional[tuple[float, float]]:
        """The length and breadth, in points, of a chain without lanes drawn unwrapped, measured
        stage by stage and link by link (a column down the page, see _column_extent; a row across
        it, see _row_extent); None for a drawing the mean stage estimates (_extents)."""
        return self._column_extent() or self._row_extent()

    def _row_extent(self) -> Optional[tuple[float, float]]:
        """The length and breadth, in points, of a flow across the page drawn as one row: a plain
        chain (see _plain_chain), links past stages allowed. None for any other drawing. See
        _measure_row."""
        if not self.across or self.options.narrow or not self._plain_chain(skips=True):
            return None  # (a narrow drawing's larger text and closer stages are not measured here)
        if not hasattr(self, "_row_extents"):
            self._row_extents: dict[tuple[int, ...], tuple[float, float]] = {}
        if self.label_columns not in self._row_extents:
            self._row_extents[self.label_columns] = self._measure_row()
        return self._row_extents[self.label_columns]

    def _measure_row(self) -> tuple[float, float]:
        """A row counted stage by stage and link by link as dot draws it (see ROW_STAGE_COLUMN in
        dot_constants), not from the mean stage and the mean label (_extents), which took many a
        chain dot draws under 5:1 for a strip and wrapped it: along the row, each stage's box
        and the gap to the next stage, as wide as the widest label of the links between them;
        across it, the tallest stage, the labels above its middle line, the links past stages
        bowing below the stages they pass with their labels, and the title and the legend over
        it all."""
        ranks = self._flow_ranks()
        nodes = sorted(self.process.nodes, key=lambda node: ranks[node.id])
        place = {node.id: number for number, node in enumerate(nodes)}
        heights = []
        length = 0.0
        for node in nodes:
            text, rows = self._stage_text(node)
            diamond = self._drawn_shape(node) == "diamond"
            height = max(BOX_LEAST_HEIGHT, BOX_MARGINS + BOX_LINE * rows)
            if diamond and rows > 1:  # a diamond of one line is as tall as a box; of more, twice
                height *= 2
            heights.append(height)
            length += max(ROW_LEAST_WIDTH, ROW_DIAMOND_COLUMN * text + ROW_DIAMOND_MARGINS if diamond
                          else ROW_STAGE_COLUMN * text + ROW_STAGE_MARGINS)
        edges = self.graph.flow_edges
        points = {edge.index: self._link_text_points(edge) for edge in edges}
        # With a label anywhere, dot gives every link a rank of its own for it: one point more.
        bare = ROW_GAP + (1 if any(points.values()) else 0)
        above = below = max(heights) / 2
        gaps: dict[str, float] = {}  # after each stage: links side by side share one gap
        for edge in edges:
            label = ROW_LABEL_LINE * self._link_lines(edge) if points[edge.index] else 0.0
            source, target = place[edge.source], place[edge.target]
            if target == source + 1:
                gap = points[edge.index] + ROW_LABEL_GAP if points[edge.index] else bare
                gaps[edge.source] = max(gaps.get(edge.source, 0.0), gap)
                above = max(above, label + ROW_LABEL_OFF_LINE)
            else:
                below = max(below, max(heights[source + 1:target]) / 2 + ROW_BOW + label)
        length += sum(gaps.values())
        # Over the row, the title and the legend may be longer still.
        return max(length, self._frame_width()), above + below + self._frame() + ROW_FRAME_EXTRA

    def _frame_width(self) -> float:
        """Estimated points across the chart's title and the highlight legend (see _frame), with
        the drawing's margins beside them."""
        widest = 0.0
        if self.options.title and self.process.title:
            widest = _widest(_plain_lines(self.process.title, self.columns["title"])) * 16 * DRAWN_COLUMN_EM
        if self.marks.any:
            counts, text = self._legend_texts()
            # Each count: its swatch, its words and the table's spacing round both.
            widest = max(widest, sum(LEGEND_SWATCH + display_width(counted) * 10 * DRAWN_COLUMN_EM for _severity, counted in counts))
            if text is not None:
                widest = max(widest, display_width(text) * 10 * DRAWN_COLUMN_EM)
        return widest + FRAME_MARGINS if widest else 0.0

    def _lane_counts(self) -> list[int]:
        """The stages of each drawn lane, and of the rest when some are in none."""
        counts, placed = [], set()
        for lane in self.swimlanes:
            nodes = set(self.graph.subgraph_nodes(lane.id)) - placed
            placed |= nodes
            counts.append(len(nodes))
        if len(placed) < len(self.process.nodes):
            counts.append(len(self.process.nodes) - len(placed))
        return counts

    def _short_strip(self) -> bool:
        """Whether this is a short flow across the page that, drawn as it is, would be a strip
        (see COMPACT_ASPECT); only when the user left wrapping to the drawing."""
        if not self.across or self.options.wrap is not None or not self.process.nodes:
            return False
        if self.swimlanes:
            counts, ranks = self._lane_counts(), None
            longest = max(counts)
        else:
            counts, ranks = [len(self.process.nodes)], self._ranks_count()
            longest = ranks[0]
        # A row measured stage by stage is a strip only past the bar it wraps at (see _row_length).
        bar = COMPACT_ASPECT if ranks is None or self._row_extent() is None else WRAP_ASPECT - ROW_MARGIN
        return longest <= COMPACT_MOST_RANKS and self._unwrapped_aspect(counts, ranks) > bar

    def _one_column_reads(self) -> bool:
        """Whether this flow down the page without lanes, which the estimate would wrap, is drawn
        by dot within WRAP_ASPECT - DRAWN_MARGIN unwrapped, one column (see UNWRAPPED_TRIAL_MOST).

        Not for a flow across the page: tried there too, 243 of its 4,920 drawings in
        bench/wrap_estimate.py stayed unwrapped, and some (the layout case event-services-en drawn
        left to right) had their links past stages drawn as arcs over the lanes' titles, where the
        rows wrapped had them inside the lanes. Nor for lanes down the page: 132 more drawings
        stayed unwrapped, whose loops back dot drew the long way round (left for reroute.py to
        draw anew), where the writer keeps them short in a wrapped lane (tests/test_layout.py)."""
        if self.across:
            return False
        drawn = self._drawn_unwrapped_aspect
        return drawn is not None and drawn <= WRAP_ASPECT - DRAWN_MARGIN

    def _strip_after_all(self, estimated: float, bar: float) -> bool:
        """Whether a drawing the estimate keeps unwrapped, just under its bar (within NEAR_BAR),
        is drawn by dot over WRAP_ASPECT:1 unwrapped all the same (see UNWRAPPED_TRIAL_MOST). Not
        a short flow drawn with narrower boxes (_short_strip): its text with no wrap given has
        the boxes of every other drawing, and would be measured broader than it is drawn."""
        if estimated <= bar - NEAR_BAR or self.label_columns == COMPACT_LABEL_COLUMNS:
            return False
        drawn = self._drawn_unwrapped_aspect
        return drawn is not None and drawn > WRAP_ASPECT

    @cached_property
    def _drawn_unwrapped_aspect(self) -> Optional[float]:
        """The ratio of the longer side to the shorter of this drawing with no wrap, as dot lays
        it out (`dot -Tplain`: the drawing's size, nothing drawn); None for a chart of more than
        UNWRAPPED_TRIAL_MOST stages, and where Graphviz is missing or fails on it (the estimate
        then decides). Laid out once per writer."""
        if self.large or len(self.process.nodes) > UNWRAPPED_TRIAL_MOST or not self.layered:
            return None
        from ..errors import RenderError
        from .picture import SIZE_ONLY, run_graphviz

        try:
            # This drawing's writer with no wrap: its text is the one drawn if the flow stays unwrapped.
            unwrapped = type(self)(self.process, self.options._replace(wrap=0)).write()
            plain = run_graphviz(unwrapped, SIZE_ONLY, self.options.engine)
        except RenderError:  # (a text too long for dot is reported by the drawing's own writer)
            return None
        head = plain.split(b"\n", 1)[0].split()  # graph SCALE WIDTH HEIGHT (inches)
        try:
            width, height = float(head[2]), float(head[3])
        except (IndexError, ValueError):
            return None
        if width <= 0 or height <= 0:
            return None
        return max(width / height, height / width)

    def _unwrapped_aspect(self, counts: list[int], ranks: Optional[tuple[int, int]] = None, ends: float = 0.0) -> float:
        """The estimated ratio of the longer side to the shorter of the drawing unwrapped; 0 for
        a chart with no room. `counts` and `ranks`: see _row_length; `ends`: points a lane's
        band takes past its stages (see _lane_ends)."""
        along, beside, loops = self._extents()
        measured = self._measured_extent() if ranks is not None else None
        lane_path = None
        if measured is not None:
            length, breadth = measured
        elif ranks is not None:
            length, breadth = ranks[0] * along, ranks[1] * beside + loops
        else:
            lane_path = self._lane_path_extent(counts)
            if lane_path is not None:
                length, breadth = lane_path
            else:
                length, breadth = max(counts, default=0) * along + ends, len(counts) * (beside + self._band_gap(counts))
        if not length or not breadth:
            return 0.0
        if not self.across and self.swimlanes and lane_path is None:  # (counted in the lane's path)
            length += self._frame()
        return max(length / breadth, breadth / length)

    def _lane_path_extent(self, counts: list[int]) -> Optional[tuple[float, float]]:
        """The length and breadth, in points, of a lone lane running down the page that is one
        path: every stage in the lane, each linked to the next and to nothing else, no group, no
        loop back (see LANE_STAGE_GAP in dot_constants). None for any other drawing. Counted stage
        by stage as dot draws it, not from the mean stage and the mean label (_extents): dot sets
        the stages twice as far apart when any link carries text, which the mean of the links'
        lines missed. 424242's generated-383, seven short stages and one labelled link, was
        estimated 677 x 141 pt (4.82:1) and drawn 140 x 754 pt (5.39:1), unwrapped."""
        if self.across or self.options.narrow or len(counts) != 1 or len(self.swimlanes) != 1:
            return None
        if set(self.subgraphs) != {self.swimlanes[0].id}:
            return None
        # Asked for each wrap decision twice (the aspect, and the lone lane's margin): worked out once.
        key = (self.label_columns, counts[0])
        if not hasattr(self, "_lane_paths"):
            self._lane_paths: dict[tuple, Optional[tuple[float, float]]] = {}
        if key not in self._lane_paths:
            self._lane_paths[key] = self._measure_lane_path()
        return self._lane_paths[key]

    def _measure_lane_path(self) -> Optional[tuple[float, float]]:
        """_lane_path_extent of a chart whose one lane is every group it has."""
        nodes, edges = self.process.nodes, self.graph.flow_edges
        if len(edges) != len(nodes) - 1 or any(edge.stroke == "invisible" for edge in self.process.edges):
            return None
        if not self._one_stage_a_rank(skips=False):
            return None
        lines = [self._link_lines(edge) for edge in edges]
        gap = LANE_LABEL_GAP if any(lines) else LANE_STAGE_GAP
        stages, widths = self._stacked_stages()
        # The stages and the band's two anchors, a gap apart.
        length = stages + (len(nodes) + 1) * gap + LANE_LABEL_LINE * sum(max(count - 1, 0) for count in lines)
        broadest = max(widths.values())
        # A link's label sits beside it, from the lane's middle out, within one of its margins.
        beside = max((self._link_text_points(edge) for edge in edges), default=0.0)
        breadth = max(broadest + LANE_MARGINS, broadest / 2 + beside + LABEL_CLEARANCE + LANE_MARGINS / 2)
        return length + self._frame() + LANE_PATH_ENDS, max(breadth, self._frame_width())

    def _frame(self) -> float:
        """Estimated points above the stages of a top-down lane drawing: the chart's title, the
        highlight legend and the lanes' titles. They lengthen a lane running down (a tall lane
        with every stage tagged was 5.1:1 while estimated under 5:1). (Drawn along dot's own
        ranks, the estimate of the stages' room already leaves enough for them.)"""
        frame = 0.0
        if self.options.title and self.process.title:
            frame += 24 * len(_plain_lines(self.process.title, self.columns["title"]))
        if self.marks.any:
            frame += 22 + (16 if self.marks.chart else 0)
        if self.swimlanes:
            frame += 40  # a lane's title and its margins
        return frame

    def _lane_ends(self) -> float:
        """Estimated points a lane's band takes past its first and last stages (LANE_ENDS), for a
        chart with lanes and no loop back. Left out, lanes of stages just under the bar were
        drawn over 5:1: charts(300, 20261203) number 229 drawn left to right, 1,447 x 283 pt
        (estimated 4.91:1), and charts(300, 90210) number 72 highlighted, one lane down the
        page, 225 x 1,170 pt (estimated 4.81:1). A loop back is drawn beside its lane, which the
        estimate of a lane's breadth leaves out: such a chart is drawn broader than estimated by
        more than the ends (a median 150 to 370 pt on the charts measured for LANE_ENDS), so
        its estimate is long enough as it is."""
        if not self.swimlanes or self._back_edges():
            return 0.0
        return LANE_ENDS

    def _one_lane_margin(self, counts: list[int]) -> float:
        """How far under the bar for wrapping a single lane running down the page, with no loop
        back beside it, still wraps. Its estimate is within a few hundredths of what dot draws,
        either way, and one that ends just under the bar is drawn over it: charts(300, 123456)
        number 255, estimated 4.81:1, drawn 5.18:1 (216 x 1,118 pt), and charts(300, 7) number
        180 flipped and highlighted, 4.98:1 and 5.12:1. Only a lane of broad stages (ONE_LANE_BROAD):
        beside narrow ones, labels and stages outside the lane make the drawing broader than the
        estimate (charts(300, 8675309) numbers 140 and 267, estimated 4.94:1 and 4.80:1, are
        drawn 3.85:1 and 2.88:1, with stages 128 and 86 pt broad at most, against 185 and 191)."""
        if self.across or len(counts) != 1 or not self.swimlanes or self._back_edges():
            return 0.0
        if self._lane_path_extent(counts) is not None:
            return 0.0  # measured stage by stage, near the bar on the right side of it (see LANE_MARGINS)
        if max(self._stage_extent(node)[0] for node in self.process.nodes) < ONE_LANE_BROAD:
            return 0.0
        return ONE_LANE_MARGIN

    def _band_gap(self, counts: list[int]) -> float:
        """Estimated points beside each band for the labels of its links (BAND_GAP). A lone lane
        of broad stages down the page (see _one_lane_margin) whose links carry no label has none
        to leave room for: a link's rate and note sit beside it within the breadth of its broad
        stages. With the room counted, charts(300, 42) number 138 flipped, one lane of stages
        191 pt broad at most, was estimated 261 pt broad (4.50:1) and drawn 221 pt (5.38:1)."""
        if self._one_lane_margin(counts) and not any(edge.label for edge in self.graph.flow_edges):
            return 0.0
        return BAND_GAP

    def _row_length(self, counts: list[int], ranks: Optional[tuple[int, int]] = None) -> Optional[int]:
        """Stages per band when the drawing, unwrapped, would be more than WRAP_ASPECT:1 (see
        `wrap_aspect`); else None.

        `counts`: the nodes of each lane (one count for a chart without lanes); `ranks`: for a
        chart without lanes, its ranks and the most nodes on one rank, which give its unwrapped
        length and breadth."""
        # Too long along the flow, or too broad across it (many stages side by side): either
        # way, bands of a few stages make the drawing squarer.
        bar = self.wrap_aspect - self._one_lane_margin(counts)
        if ranks is not None and self._row_extent() is not None:
            # Measured within 0.2 of what dot draws near the bar: a short margin, also for a
            # short row whose boxes were made narrower (see _short_strip), as it is measured anew.
            bar = WRAP_ASPECT - ROW_MARGIN
        estimated = self._unwrapped_aspect(counts, ranks, self._lane_ends())
        if estimated <= bar and not self._strip_after_all(estimated, bar):
            return None
        along, beside, _loops = self._extents()
        gap = BAND_GAP
        best, best_score = None, None
        for per_row in range(2, max(counts) + 1):
            bands = sum(-(-count // per_row) for count in counts)
            ratio = per_row * along / (bands * (beside + gap))
            score = abs(ratio - WRAP_TARGET) / WRAP_TARGET
            if best_score is None or score < best_score - 1e-9:
                best, best_score = per_row, score
        return best

    def _lane_items_as_drawn(self, lane: str, items: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """A lane's stages (`items`, as _ordered_items gives them) in the order its bands set them
        out from their first anchors, band by band: in a band that runs backwards (right to left,
        bottom to top, every second row of a wrapped lane) that is against the flow. A lane that
        holds groups keeps the chart's order.

        dot's first ordering of a rank follows the order the nodes are written in, and the links
        between lanes (which do not rank, so their crossings cost nothing) keep the places that
        ordering gives them: written in flow order, against its band's chain, a lane that runs
        backwards sent links to and from it round the lanes' far end (measured on the layout
        corpus and the generated charts: detours 14 → 14 and 253 → 230, nothing else drawn
        worse; written the other way round in every band, 84 on the corpus alone, with labels
        over stages)."""
        if any(kind != "node" for kind, _item in items):
            return items
        drawn: dict[str, tuple[int, int]] = {}
        for band in self.bands:
            if band.lane == lane:
                nodes = band.nodes[::-1] if self._runs_backwards(band) else band.nodes
                drawn.update((name, (band.index, place)) for place, name in enumerate(nodes))
        # Each stage by the DOT name its link ends already have (see stage_ends), not quoted anew.
        ends = self.stage_ends
        return sorted(items, key=lambda item: drawn.get((ends.get(item[1]) or (dot_quote(item[1]),))[0], (0, 0)))

    def _band_anchors(self, band: _Band, depth: int, ends: tuple[str, ...] = ("first", "last")) -> None:
        # A jump's line runs from its stage over the band's last anchor to its tag (see _jump).
        # `dot` 2.43 cannot route a link along a rank over a node of no size when nodes sit as
        # close as in a narrow drawing ("triangulation failed"); over an anchor of 0.12 in with
        # nodes 0.02 in apart it can (measured: 0.08 in and 0.02 in fail on some charts), and the
        # drawing is no wider than with 0.05 in between.
        sizes = {"first": 0, "last": JUMP_ANCHOR_INCHES if self.jumps else 0}
        for end in ends:
            anchor, size = getattr(band, end), sizes[end]
            self.line(depth, f"{anchor} [shape=point, style=invis, width={size:g}, height={size:g}, label=\"\"]")

    def _band_constraints(self) -> None:
        """Each band is one rank of `dot`, its nodes in flow order between two invisible anchors;
        the anchors of successive bands are tied, first to first and last to last, so bands
        come in order, start in one line and (lanes) share one length.

        The flow's edges do not rank (they run along and between bands); an edge that runs
        backwards within a band is written the other way round (see _edge), so no edge disputes
        the order."""
        if not self.bands:
            return
        for band in self.bands:
            members = [band.first, *self._with_point_before_lone_stage(band, self._with_turn_points(band, band.nodes)),
                       *band.extra, band.last]
            self.line(1, f"{{ rank=same; {'; '.join(members)} }}")
            # Seen on the page, a band is its first anchor, its stages in the way the flow runs
            # along it (backwards for RL and BT, and in every second row of a wrapped flow), and
            # its last anchor, so bands line up at their first anchors. dot orders a rank left
            # to right, or with rankdir=LR top to bottom, but inside a cluster (a lane) bottom
            # to top: there the chain is written the other way round.
            nodes = self._with_waypoints(band) if self._waypoints_in(band.index) else band.nodes
            nodes = self._with_turn_points(band, nodes)
            nodes = self._with_waypoints_past_turns(band, nodes)
            nodes = self._with_point_before_lone_stage(band, nodes)
            written = self._written_chain(band, nodes)
            self.written_chains[band.index] = written
            self.line(1, " -> ".join(written) + " [style=invis]")
        self._groups_in_order()
        if self.loop_labels:
            # The spaces between bands (and before the first and after the last) become ranks
            # of their own, in the line of first anchors, to hold the loops' labels.
            gaps = [_internal(f"gap-{number}") for number in range(len(self.bands) + 1)]
            labels_before: dict[int, list[str]] = defaultdict(list)  # gathered once, not looked for in every space
            for before, name in self.loop_labels:
                labels_before[before].append(name)
            for number, gap in enumerate(gaps):
                self.line(1, f"{gap} [shape=point, style=invis, width=0, height=0, label=\"\"]")
                self._hold_gap_anchor_in_lane(gap, number)
                members = [gap, *labels_before.get(number, ())]
                if len(members) > 1:
                    self.line(1, f"{{ rank=same; {'; '.join(members)} }}")
                    self._labels_past_gap_anchor(gap, number, members[1:])
                    self._pulled_labels_beside_others(members[1:])
        for end in ("first", "last"):
            anchors = [getattr(band, end) for band in self.bands]
            if end == "first" and self.loop_labels:
                anchors = [gaps[0]] + [anchor for pair in zip(anchors, gaps[1:]) for anchor in pair]
            if len(anchors) > 1:
                self.line(1, " -> ".join(anchors) + f" [style=invis, weight={BAND_WEIGHT}]")
            for anchor in anchors:
                self.line(1, f"{anchor} [group={dot_quote('sf ' + end)}]")

    def _groups_in_order(self) -> None:
        """Hold the groups (subgraphs that are not lanes) of a wrapped row in the row's order.

        dot keeps no link within a rank between a cluster's node and a node outside it: it
        orders the rank with each cluster as one block and drops such links. The band's
        invisible chain then orders neither two groups in one row nor a group and a stage
        outside it, and where crossings do not decide, dot may swap them (channel sales,
        tests/corpus/accept/201-real-channel-sales.mmd: 渠道伙伴 and 直销团队 the other way
        round, the row's flow running back from its third stage). Invisible links without
        weight from each stage of a row through two or more groups to the stage across from it
        in the next row (from the turn on) make a swapped order cross them. (Measured on the
        charts with groups in tests/corpus/accept, every direction, wrapped by default and at
        two to four stages a row, with and without `around`: with each group's stages together
        over the whole flow too, see _plan_bands, rows drawn against their chain 215 → 133 of
        376 drawings, the checker's defects 140 → 71, dot failing 8 → 4, against tying only the
        row's two ends to a next row outside every group; channel sales at three a row then
        reads in order every way, but drawn upwards its `是` and `否` share a spot.)"""
        if not self.subgraphs or self.swimlanes or self.options.around:
            return
        holders = self._band_holders()
        for band, following in zip(self.bands, self.bands[1:]):
            if len(holders[band.index]) < 2:
                continue
            # The flow turns from the row's end to the next row's start: those two are across
            # from each other, and so on back along the row (the last row may be shorter).
            for stage, across in zip(reversed(band.nodes), following.nodes):
                self.line(1, f"{stage} -> {across} [style=invis, weight=0]")

    def _band_holders(self) -> list[set[Optional[str]]]:
        """For each band of a wrapped flow without lanes, the groups its stages are in (None:
        in none); empty sets with lanes."""
        if not hasattr(self, "_holders") and self.swimlanes:
            self._holders = [set() for _band in self.bands]
        elif not hasattr(self, "_holders"):
            holder = {dot_quote(n.id): n.subgraph for n in self.process.nodes if n.subgraph in self.subgraphs}
            self._holders = [set() if self.swimlanes else {holder.get(name) for name in band.nodes}
                             for band in self.bands]
        return self._holders

    def _chain(self, band: _Band, nodes: Optional[Sequence[str]] = None) -> list[str]:
        """`band`'s anchors and stages (`nodes`: its stages with the waypoints of links across it)
        in the order dot is to set them out (see _band_constraints)."""
        nodes = band.nodes if nodes is None else nodes
        chain = [band.first, *(reversed(nodes) if self._runs_backwards(band) else nodes), band.last]
        if band.lane is not None and not self.across:
            chain.reverse()
        return chain

    def _written_chain(self, band: _Band, nodes: Sequence[str]) -> list[str]:
        """`band`'s chain (see _chain) as the DOT text writes it. In a row of a flow wrapped
        without lanes that runs down the page (`rankdir=LR`), dot sets the stages of a group
        (a subgraph that is no lane) bottom to top along their links, as it does a lane's: each
        run of stages of one group is written the other way round. (Links between a group's
        stage and one outside it, dot drops: only the runs order anything.)"""
        chain = self._chain(band, nodes)
        if self.across or self.swimlanes or not self.subgraphs:
            return chain
        holder = {dot_quote(n.id): n.subgraph for n in self.process.nodes if n.subgraph in self.subgraphs}
        out: list[str] = []
        run: list[str] = []
        for name in chain + [""]:
            if run and (name == "" or holder.get(name) is None or holder.get(name) != holder.get(run[0])):
                out += run[::-1]
                run = []
            if name and holder.get(name) is not None:
                run.append(name)
            elif name:
                out.append(name)
        return out

    def _runs_backwards(self, band: _Band) -> bool:
        """Whether `band`'s stages run from its last anchor to its first: drawn right to left or
        bottom to top, and in every second row of a wrapped flow."""
        return (self.direction in ("RL", "BT")) != band.turned


def _box_width(text: float) -> float:
    """The estimated width, in points, of a stage's box whose widest line is `text` columns."""
    return max(60.0, 6.2 * text + 30)
