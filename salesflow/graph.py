"""Graph questions about a process, answered once for rules and renderers alike.

An edge may point at a subgraph (`A --> 销售部`): it then leads into the subgraph's entry nodes
(those no edge inside the subgraph leads to), and an edge leaving a subgraph leaves from its exit
nodes. An invisible link (`A ~~~ B`) only places nodes on the page and carries no flow, so it is
not a step. Every query here runs in time linear in nodes plus steps (an edge between two
subgraphs makes one step per exit-entry pair, as the chart means).
"""

from __future__ import annotations

from operator import attrgetter

from .memo import cached_property
from .model import TERMINAL_SHAPES, Duration, Edge, Node, Process
from .records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Callable, Iterable, Optional, Sequence


# One node-to-node connection; `edge` is the edge that made it (several steps for `&` or subgraphs).
#
# A named tuple rather than a frozen dataclass: a chart has one per link, and a tuple is made
# in a third of the time.
class Step(Fields):
    __slots__ = ()
    _fields = (
        "source",  # str
        "target",  # str
        "edge",  # Edge
    )

    def __new__(cls, source, target, edge):
        return tuple.__new__(cls, (source, target, edge))


_ID, _OWNER, _DUE, _KIND, _UNREADABLE = map(attrgetter, ("id", "owner", "due", "kind", "unreadable"))


class ProcessGraph:
    def __init__(self, process: Process) -> None:
        self.process = process

    # ------------------------------------------------------------------ structure

    @cached_property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(map(_ID, self.process.nodes))

    # Facts of every node by number, each read once for every rule and query that asks: a rule
    # that goes through the stages reads a compact list, and visits a node itself only where it
    # may have something to report.

    @cached_property
    def owners(self) -> list[Optional[str]]:
        """Each node's owner (`Node.owner`), by number."""
        return list(map(_OWNER, self.process.nodes))

    @cached_property
    def dues(self) -> list[Optional[Duration]]:
        """Each node's deadline (`Node.due`), by number."""
        return list(map(_DUE, self.process.nodes))

    @cached_property
    def kinds(self) -> list[Optional[str]]:
        """Each node's declared kind (`Node.kind`), by number."""
        return list(map(_KIND, self.process.nodes))

    @cached_property
    def unreadable_numbers(self) -> list[int]:
        """The nodes with a value that does not read (`Node.unreadable`), by number, in order."""
        return [index for index, values in enumerate(map(_UNREADABLE, self.process.nodes)) if values]

    @cached_property
    def _subgraph_nodes(self) -> dict[str, list[str]]:
        """Every subgraph's nodes, nested subgraphs' nodes included, in order."""
        direct = {s.id: list(s.members) for s in self.process.subgraphs}
        result: dict[str, list[str]] = {}
        for subgraph in self.process.subgraphs:  # inner subgraphs come first, so they are done
            nodes: list[str] = []
            for member in direct[subgraph.id]:
                if member in result:
                    nodes.extend(result[member])
                elif self.process.has_node(member):
                    nodes.append(member)
            result[subgraph.id] = nodes
        return result

    def subgraph_nodes(self, subgraph_id: str) -> list[str]:
        return self._subgraph_nodes.get(subgraph_id, [])

    @cached_property
    def flow_edges(self) -> tuple[Edge, ...]:
        """The edges that carry flow: every edge but invisible layout links."""
        edges = self.process.edges
        return tuple([e for e in edges if e.stroke != "invisible"])

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        edges, _sources, _targets, through = self._numbered_steps
        if through is not None:
            return through
        return tuple(Step(edge.source, edge.target, edge) for edge in edges)

    @cached_property
    def _numbered_steps(self) -> tuple[list[Edge], Sequence[int], Sequence[int], Optional[tuple[Step, ...]]]:
        """Each step's edge, source and target by number (see `number`), in the order of `steps`;
        and the steps themselves when some edge starts or ends at a subgraph (else None)."""
        number = self.number
        edges = self.flow_edges
        subgraph_ids = {s.id for s in self.process.subgraphs}
        # An id both a node's and a subgraph's is read as the subgraph, as the chart's edges mean.
        if not subgraph_ids.isdisjoint(number):
            if self._ends_at_subgraph(edges):
                return self._numbered(self._steps_through_subgraphs(edges))
            subgraph_ids = set()
        # The common case: node-to-node edges only. Each end's number says both that the node
        # exists and where; the parser gave it as it read the link (`Process.link_numbers`), and an
        # end that is not a node is None. No Step is made unless `steps` is asked for.
        sources, targets = self.process.link_numbers()
        if len(edges) != len(self.process.edges):  # some invisible links: only the others are steps
            flows = [edge.stroke != "invisible" for edge in self.process.edges]
            sources = [number for number, flow in zip(sources, flows) if flow]
            targets = [number for number, flow in zip(targets, flows) if flow]
        if None not in sources and None not in targets:
            return list(edges), sources, targets, None
        kept, kept_sources, kept_targets = [], [], []
        for edge, source, target in zip(edges, sources, targets):
            if source is not None and target is not None:
                kept.append(edge)
                kept_sources.append(source)
                kept_targets.append(target)
            elif edge.source in subgraph_ids or edge.target in subgraph_ids:
                return self._numbered(self._steps_through_subgraphs(edges))
        return kept, kept_sources, kept_targets, None

    def _numbered(self, steps: tuple[Step, ...]) -> tuple[list[Edge], list[int], list[int], tuple[Step, ...]]:
        number = self.number
        return [s.edge for s in steps], [number[s.source] for s in steps], [number[s.target] for s in steps], steps

    @property
    def step_edges(self) -> list[Edge]:
        """Each step's edge, in the order of `steps`."""
        return self._numbered_steps[0]

    @property
    def step_numbers(self) -> tuple[Sequence[int], Sequence[int]]:
        """Each step's source and target by number (see `number`), in the order of `steps`."""
        return self._numbered_steps[1], self._numbered_steps[2]

    @property
    def node_to_node(self) -> bool:
        """Whether every flow edge links two nodes: then each makes one step, in the same order."""
        edges, _sources, _targets, through = self._numbered_steps
        return through is None and len(edges) == len(self.flow_edges)

    def _ends_at_subgraph(self, edges: tuple[Edge, ...]) -> bool:
        subgraphs = self._subgraph_nodes
        return any(e.source in subgraphs or e.target in subgraphs for e in edges)

    def _steps_through_subgraphs(self, edges: tuple[Edge, ...]) -> tuple[Step, ...]:
        subgraphs = self._subgraph_nodes
        named = ({e.source for e in edges} | {e.target for e in edges}) & subgraphs.keys()

        # Each node's chain of enclosing subgraphs, so an edge inside a named subgraph is found by
        # walking up from its source (nesting depth, not subgraph count, bounds the walk).
        parent = {s.id: s.parent for s in self.process.subgraphs}
        innermost = {node.id: node.subgraph for node in self.process.nodes}

        def enclosing(node_id: str) -> list[str]:
            chain = []
            current = innermost.get(node_id)
            while current is not None and len(chain) <= len(parent):
                chain.append(current)
                current = parent.get(current)
            return chain

        reached: dict[str, set[str]] = {s: set() for s in named}  # targets of edges inside s
        leaving: dict[str, set[str]] = {s: set() for s in named}  # sources of edges inside s
        for e in edges:
            if e.source in subgraphs or e.target in subgraphs:
                continue
            target_chain = set(enclosing(e.target))
            for subgraph_id in enclosing(e.source):
                if subgraph_id in named and subgraph_id in target_chain:
                    reached[subgraph_id].add(e.target)
                    leaving[subgraph_id].add(e.source)

        entries = {s: [m for m in subgraphs[s] if m not in reached[s]] or subgraphs[s] for s in named}
        exits = {s: [m for m in subgraphs[s] if m not in leaving[s]] or subgraphs[s] for s in named}

        has = self.process.has_node
        result = []
        for edge in edges:
            sources = exits[edge.source] if edge.source in subgraphs else [edge.source]
            targets = entries[edge.target] if edge.target in subgraphs else [edge.target]
            for source in sources:
                if not has(source):
                    continue
                for target in targets:
                    if has(target):
                        result.append(Step(source, target, edge))
        return tuple(result)

    # Nodes are numbered once, in declaration order, and the judgements below work on lists
    # indexed by those numbers: flat lists of small ints cost the same per node at 50,000 nodes
    # as at 1,000, where dicts and sets of names slow down as they outgrow the caches.

    @property
    def number(self) -> dict[str, int]:
        """Each node's number: its place in declaration order (`Process.node_numbers`)."""
        return self.process.node_numbers

    @cached_property
    def _links(self) -> tuple[list[list[int]], list[list[int]]]:
        _edges, sources, targets, _steps = self._numbered_steps
        count = len(self.node_ids)
        after: list[list[int]] = [[] for _ in range(count)]
        before: list[list[int]] = [[] for _ in range(count)]
        # A repeated link is found in the few links a node has; a node with many keeps a set.
        many: dict[int, set[int]] = {}
        for source, target in zip(sources, targets):
            following = after[source]
            if len(following) < 16:
                if target in following:
                    continue
            else:
                known = many.get(source)
                if known is None:
                    known = many[source] = set(following)
                if target in known:
                    continue
                known.add(target)
            following.append(target)
            before[target].append(source)
        return after, before

    @property
    def successor_numbers(self) -> list[list[int]]:
        """Each node's distinct next nodes, in edge order, by number (see `number`)."""
        return self._links[0]

    @property
    def predecessor_numbers(self) -> list[list[int]]:
        """Each node's distinct previous nodes, in edge order, by number (see `number`)."""
        return self._links[1]

    def _names(self, numbers: list[list[int]]) -> dict[str, list[str]]:
        ids = self.node_ids
        return {ids[index]: [ids[other] for other in others] for index, others in enumerate(numbers)}

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """Each node's distinct next nodes, in edge order."""
        return self._names(self.successor_numbers)

    @cached_property
    def predecessors(self) -> dict[str, list[str]]:
        """Each node's distinct previous nodes, in edge order."""
        return self._names(self.predecessor_numbers)

    @cached_property
    def outgoing(self) -> dict[str, list[Step]]:
        result: dict[str, list[Step]] = {node_id: [] for node_id in self.node_ids}
        for step in self.steps:
            result[step.source].append(step)
        return result

    @cached_property
    def incoming(self) -> dict[str, list[Step]]:
        result: dict[str, list[Step]] = {node_id: [] for node_id in self.node_ids}
        for step in self.steps:
            result[step.target].append(step)
        return result

    # ------------------------------------------------------------------ starts and ends

    # A start or end marker is known by its shape and its place, never by its words: `([成交])`,
    # `((开始))` and `([Lost])` alike. `kind:` in the node data overrides the drawing.

    def is_start_marker(self, node: Node) -> bool:
        """`kind: start`, or a terminal shape (stadium, circle) that nothing leads into."""
        if node.kind is not None:
            return node.kind == "start"
        return node.shape in TERMINAL_SHAPES and not self.predecessor_numbers[self.number[node.id]]

    def is_end(self, node: Node) -> bool:
        """`kind: end`, or a terminal shape (stadium, circle) with no way onward."""
        if node.kind is not None:
            return node.kind == "end"
        return node.shape in TERMINAL_SHAPES and not self.successor_numbers[self.number[node.id]]

    def is_marker(self, node: Node) -> bool:
        """Whether `node` marks where the process starts or ends (see `is_start_marker`, `is_end`)."""
        return self.is_start_marker(node) or self.is_end(node)

    def kind(self, node: Node) -> str:
        """What a node is to a reader: "start", "end", "decision" or "task".

        The one answer the drawing and the handbook both show: a decision is declared or drawn as
        one (`Node.is_decision`); start and end are the markers (`is_start_marker`, `is_end`), so
        a plain box that merely begins the flow is a task like any other.
        """
        if node.is_decision:
            return "decision"
        if self.is_start_marker(node):
            return "start"
        if self.is_end(node):
            return "end"
        return "task"

    @cached_property
    def bare_markers(self) -> frozenset[str]:
        """Start and end markers with no data of their own: nobody owns them and they take no time.

        Bare whatever their label says (`([成交])`, `((开始))`); an owner a lane gives them does
        not count as their own.
        """
        ids = self.node_ids
        return frozenset(ids[index] for index, bare in enumerate(self.bare_marker_flags) if bare)

    @cached_property
    def bare_marker_flags(self) -> bytearray:
        """Whether each node is a bare marker (see `bare_markers`), by number."""
        flags = bytearray(len(self.node_ids))
        # As `is_marker` asks, with each node's links at hand by number rather than looked up by id.
        for index, (node, following, previous) in enumerate(
            zip(self.process.nodes, self.successor_numbers, self.predecessor_numbers)
        ):
            own_owner = node.owner and not node.owner_from_lane
            if own_owner or node.due or node.steps or node.checks or node.kpi or node.resources:
                continue
            kind = node.kind
            if kind is not None:
                if kind == "start" or kind == "end":
                    flags[index] = 1
            elif node.shape in TERMINAL_SHAPES and not (previous and following):
                flags[index] = 1
        return flags

    @cached_property
    def ends(self) -> tuple[str, ...]:
        # As `is_end` asks, with each node's next nodes at hand by number rather than looked up by id.
        ids, nodes = self.node_ids, self.process.nodes
        return tuple(
            ids[index]
            for index, (kind, following) in enumerate(zip(self.kinds, self.successor_numbers))
            if (kind == "end" if kind is not None else not following and nodes[index].shape in TERMINAL_SHAPES)
        )

    @cached_property
    def decision_flags(self) -> list[bool]:
        """Whether each node is a decision (`Node.is_decision`), by number: asked once for every rule."""
        return [node.is_decision for node in self.process.nodes]

    @cached_property
    def decision_edges(self) -> tuple[Edge, ...]:
        """The flow edges that leave a decision, in order."""
        flags = self.decision_flags
        if not any(flags):
            return ()
        if self.node_to_node:
            # Each flow edge is a step, in order: its source's number says whether it leaves a decision.
            edges, sources, _targets, _steps = self._numbered_steps
            return tuple([edge for edge, source in zip(edges, sources) if flags[source]])
        ids = self.node_ids
        decisions = {ids[index] for index, decides in enumerate(flags) if decides}
        return tuple([edge for edge in self.flow_edges if edge.source in decisions])

    @cached_property
    def sinks(self) -> tuple[str, ...]:
        """Nodes with no way onward, ends or not."""
        ids = self.node_ids
        return tuple(ids[index] for index, following in enumerate(self.successor_numbers) if not following)

    @cached_property
    def declared_starts(self) -> tuple[str, ...]:
        ids = self.node_ids
        return tuple(ids[index] for index, kind in enumerate(self.kinds) if kind == "start")

    @cached_property
    def sources(self) -> tuple[str, ...]:
        """Nodes that nothing leads to."""
        ids = self.node_ids
        return tuple(ids[index] for index, previous in enumerate(self.predecessor_numbers) if not previous)

    @cached_property
    def starts(self) -> tuple[str, ...]:
        """`kind: start` nodes; failing those, nodes nothing leads to; failing those, the first node."""
        if self.declared_starts:
            return self.declared_starts
        if self.sources:
            return self.sources
        return self.node_ids[:1]

    # ------------------------------------------------------------------ traversal

    def _numbers(self, node_ids: Iterable[str]) -> list[int]:
        number = self.number
        return [number[n] for n in node_ids if n in number]

    def _walk(self, starts: list[int], links: list[list[int]]) -> bytearray:
        """Which nodes `links` lead to from `starts` (the starts included), as a flag per number."""
        seen = bytearray(len(links))
        stack = []
        for start in starts:
            if not seen[start]:
                seen[start] = 1
                stack.append(start)
        while stack:
            for other in links[stack.pop()]:
                if not seen[other]:
                    seen[other] = 1
                    stack.append(other)
        return seen

    def _named(self, flags: bytearray) -> set[str]:
        ids = self.node_ids
        return {ids[index] for index, flag in enumerate(flags) if flag}

    def reachable_from(self, starts: Iterable[str]) -> set[str]:
        return self._named(self._walk(self._numbers(starts), self.successor_numbers))

    def reaching(self, targets: Iterable[str]) -> set[str]:
        """Nodes from which one of `targets` can be reached (the targets included)."""
        return self._named(self._walk(self._numbers(targets), self.predecessor_numbers))

    @cached_property
    def reachable(self) -> frozenset[str]:
        """Nodes the flow can reach from the starts."""
        return frozenset(self._named(self.reachable_flags))

    @cached_property
    def reachable_flags(self) -> bytearray:
        """Whether the flow can reach each node from the starts, by number."""
        return self._walk(self._numbers(self.starts), self.successor_numbers)

    @cached_property
    def components(self) -> list[list[str]]:
        """Weakly connected parts, each in declaration order, the parts ordered by their first node."""
        part_of = self.part_numbers
        # One pass in declaration order fills every part in order: linear however many parts.
        result: list[list[str]] = [[] for _ in range(max(part_of, default=-1) + 1)]
        for node_id, part in zip(self.node_ids, part_of):
            result[part].append(node_id)
        return result

    @cached_property
    def part_numbers(self) -> list[int]:
        """Each node's weakly connected part (its index in `components`), by number."""
        after, before = self.successor_numbers, self.predecessor_numbers
        count = len(after)
        part_of = [-1] * count
        parts = 0
        for root in range(count):
            if part_of[root] >= 0:
                continue
            part_of[root] = parts
            stack = [root]
            while stack:
                current = stack.pop()
                for other in after[current]:
                    if part_of[other] < 0:
                        part_of[other] = parts
                        stack.append(other)
                for other in before[current]:
                    if part_of[other] < 0:
                        part_of[other] = parts
                        stack.append(other)
            parts += 1
        return part_of

    @cached_property
    def flow_order(self) -> tuple[str, ...]:
        """Nodes in the order a reader follows them: breadth-first from the starts, then the rest."""
        after = self.successor_numbers
        count = len(after)
        seen = bytearray(count)
        queue = self._numbers(self.starts)
        for start in queue:
            seen[start] = 1
        head = 0
        rest = 0  # the declaration-order scan for unvisited nodes resumes where it stopped
        while True:
            while head < len(queue):
                current = queue[head]
                head += 1
                for other in after[current]:
                    if not seen[other]:
                        seen[other] = 1
                        queue.append(other)
            while rest < count and seen[rest]:
                rest += 1
            if rest == count:
                ids = self.node_ids
                return tuple(ids[index] for index in queue)
            seen[rest] = 1
            queue.append(rest)

    # ------------------------------------------------------------------ cycles

    # The depth-first walks below keep their place in each node's list of neighbours in one flat
    # list of counts (`gone`), and their path as bare node numbers: a walk down a 50,000-stage
    # chain would otherwise hold a tuple and a list iterator for every node on its path, megabytes
    # of small objects made and dropped per walk, which made the walks slower per node on large charts.

    @cached_property
    def strong_parts(self) -> list[int]:
        """Each node's strongly connected component, by number (see `strong_components`)."""
        after = self.successor_numbers
        count = len(after)
        index = [-1] * count
        low = [0] * count
        on_stack = bytearray(count)
        stack: list[int] = []
        result = [-1] * count
        gone = [0] * count  # how far each node's next nodes have been gone through
        counter = 0
        component = 0
        for root in range(count):
            if index[root] >= 0:
                continue
            work = [root]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack[root] = 1
            while work:
                node = work[-1]
                children = after[node]
                at, end = gone[node], len(children)
                while at < end:
                    child = children[at]
                    at += 1
                    if index[child] < 0:
                        gone[node] = at
                        index[child] = low[child] = counter
                        counter += 1
                        stack.append(child)
                        on_stack[child] = 1
                        work.append(child)
                        break
                    if on_stack[child] and index[child] < low[node]:
                        low[node] = index[child]
                else:
                    work.pop()
                    if work:
                        parent = work[-1]
                        if low[node] < low[parent]:
                            low[parent] = low[node]
                    if low[node] == index[node]:
                        while True:
                            member = stack.pop()
                            on_stack[member] = 0
                            result[member] = component
                            if member == node:
                                break
                        component += 1
        return result

    @cached_property
    def strong_components(self) -> dict[str, int]:
        """Each node's strongly connected component: two nodes share one iff each reaches the other.

        Tarjan's algorithm without recursion, so a 50,000-stage chain cannot overflow the stack.
        """
        return dict(zip(self.node_ids, self.strong_parts))

    def on_cycle(self, source: str, target: str) -> bool:
        """Whether the step source → target closes a loop (target leads back to source)."""
        parts, number = self.strong_parts, self.number
        return source == target or parts[number[source]] == parts[number[target]]

    @cached_property
    def post_dominator_numbers(self) -> list[int]:
        """`post_dominators` by number; -1 for None."""
        after, before = self.successor_numbers, self.predecessor_numbers
        count = len(after)
        stop = count  # the one virtual stop every stage with no way onward leads to
        # Post-order of the reversed flow, walked from the virtual stop, without recursion.
        place = [-1] * (count + 1)
        gone = [0] * count  # how far each node's previous nodes have been gone through
        order: list[int] = []
        for sink in range(count):
            if after[sink] or place[sink] != -1:
                continue
            place[sink] = -2  # visited, not yet placed
            work = [sink]
            while work:
                node = work[-1]
                parents = before[node]
                at, end = gone[node], len(parents)
                while at < end:
                    parent = parents[at]
                    at += 1
                    if place[parent] == -1:
                        gone[node] = at
                        place[parent] = -2
                        work.append(parent)
                        break
                else:
                    work.pop()
                    place[node] = len(order)
                    order.append(node)
        place[stop] = len(order)
        dominator = [-1] * (count + 1)
        dominator[stop] = stop

        changed = True
        while changed:
            changed = False
            for node in reversed(order):
                # The reversed flow's predecessors: the steps onward already placed, or the stop.
                if after[node]:
                    following = [n for n in after[node] if dominator[n] != -1]
                    if not following:
                        continue
                else:
                    following = [stop]
                new = following[0]
                for other in following[1:]:
                    # The nearest point both ways pass (the two fingers of the algorithm).
                    while other != new:
                        while place[other] < place[new]:
                            other = dominator[other]
                        while place[new] < place[other]:
                            new = dominator[new]
                if dominator[node] != new:
                    dominator[node] = new
                    changed = True
        return [-1 if d == stop else d for d in dominator[:count]]

    @cached_property
    def post_dominators(self) -> dict[str, Optional[str]]:
        """Each node's immediate post-dominator: the nearest node every way from it to a stop passes.

        None when the nearest such point is the stop itself (the ways part for good, e.g. into a
        won and a lost end) or when the node never reaches a stage with no way onward. The
        iterative algorithm of Cooper, Harvey and Kennedy on the reversed flow; a few passes
        over the steps on any real chart.
        """
        ids = self.node_ids
        return {node_id: (None if d < 0 else ids[d]) for node_id, d in zip(ids, self.post_dominator_numbers)}

    @cached_property
    def _depth_first(self) -> tuple[list[int], set[int]]:
        """Reverse post-order and back steps (source × node count + target) of a depth-first walk
        from the starts, then the rest, by number.

        Dropping the back steps (the loops: rework, retries, feedback) leaves an acyclic flow in
        which the reverse post-order is a topological order.
        """
        after = self.successor_numbers
        count = len(after)
        state = bytearray(count)  # 1 on the walk's current path, 2 finished
        gone = [0] * count  # how far each node's next nodes have been gone through
        post: list[int] = []
        back: set[int] = set()
        for root in self._numbers(self.starts) + list(range(count)):
            if state[root]:
                continue
            state[root] = 1
            work = [root]
            while work:
                node = work[-1]
                children = after[node]
                at, end = gone[node], len(children)
                while at < end:
                    child = children[at]
                    at += 1
                    seen = state[child]
                    if not seen:
                        gone[node] = at
                        state[child] = 1
                        work.append(child)
                        break
                    if seen == 1:
                        back.add(node * count + child)
                else:
                    work.pop()
                    state[node] = 2
                    post.append(node)
        post.reverse()
        return post, back

    @cached_property
    def forward_successor_numbers(self) -> list[list[int]]:
        """Each node's next nodes by number (see `number`) over forward steps only: the acyclic flow
        that `back_steps` leave."""
        after = self.successor_numbers
        back = self._depth_first[1]
        if not back:
            return after
        count = len(after)
        # Only the few nodes a back step leaves get a list of their own; the others share theirs.
        onward = list(after)
        for node in {pair // count for pair in back}:
            onward[node] = [nxt for nxt in after[node] if node * count + nxt not in back]
        return onward

    def is_back_step(self, source: int, target: int) -> bool:
        """Whether the step between nodes numbered `source` and `target` is a back step."""
        return source * len(self.node_ids) + target in self._depth_first[1]

    @cached_property
    def back_steps(self) -> frozenset[tuple[str, str]]:
        """(source, target) pairs that loop back to a node already on the way to them."""
        ids = self.node_ids
        count = len(ids)
        return frozenset((ids[pair // count], ids[pair % count]) for pair in self._depth_first[1])

    @cached_property
    def forward_order(self) -> tuple[str, ...]:
        """Every node, ordered so that each forward (non-back) step goes from earlier to later."""
        ids = self.node_ids
        return tuple(ids[index] for index in self._depth_first[0])

    @cached_property
    def forward_positions(self) -> list[int]:
        """Each node's place in `forward_order`, by number."""
        positions = [0] * len(self.node_ids)
        for place, index in enumerate(self._depth_first[0]):
            positions[index] = place
        return positions

    @cached_property
    def depth_numbers(self) -> list[int]:
        """`depths` by number."""
        after = self.successor_numbers
        count = len(after)
        depth = [-1] * count
        for root in self._numbers(self.starts) + list(range(count)):
            if depth[root] >= 0:
                continue
            depth[root] = 0
            queue = [root]
            head = 0
            while head < len(queue):
                current = queue[head]
                head += 1
                onward = depth[current] + 1
                for target in after[current]:
                    if depth[target] < 0:
                        depth[target] = onward
                        queue.append(target)
        return depth

    @cached_property
    def depths(self) -> dict[str, int]:
        """Each node's distance in steps from the starts (breadth first; unreached nodes start anew)."""
        return dict(zip(self.node_ids, self.depth_numbers))

    @cached_property
    def edges_leading_back(self) -> frozenset[int]:
        """Edges (by index) that lead back to an earlier stage: feedback, rework, retries, recycling.

        Two kinds: an edge that closes a loop (one of its steps is in `back_steps`), and an edge to
        a node at least two steps nearer the start than its source (`销售部 → 线索培育`: back to an
        earlier stage, though not on the same path). Without them the flow has no cycle, and every
        node still has the edge that first reaches it.
        """
        back = self._depth_first[1]
        depth = self.depth_numbers
        count = len(depth)
        edges, sources, targets, _steps = self._numbered_steps
        return frozenset(
            edge.index
            for edge, source, target in zip(edges, sources, targets)
            if source * count + target in back or depth[target] < depth[source] - 1
        )

    def longest_path(
        self,
        weight: Callable[[str], float],
        sources: Iterable[str],
        targets: Optional[Iterable[str]] = None,
    ) -> tuple[float, list[str]]:
        """The heaviest forward path from one of `sources` to one of `targets` (any node if None).

        Loops are left out (see `back_steps`): a rework loop is taken at most once in spirit,
        and a path that went round it would have no longest form. Returns (0, []) if no target
        is reachable.
        """
        ids = self.node_ids
        total, path = self._longest_path(
            lambda index: weight(ids[index]), self._numbers(sources), None if targets is None else self._numbers(targets)
        )
        return total, [ids[index] for index in path]

    def _longest_path(
        self, weight: Callable[[int], float], sources: list[int], targets: Optional[list[int]]
    ) -> tuple[float, list[int]]:
        order = self._depth_first[0]
        onward = self.forward_successor_numbers
        count = len(onward)
        best: list[Optional[float]] = [None] * count
        previous = [-1] * count
        reached: list[int] = []  # in the order first reached, so that ties always go the same way
        for source in sources:
            if best[source] is None:
                reached.append(source)
            best[source] = weight(source)
            previous[source] = -1
        for node in order:
            here = best[node]
            if here is None:
                continue
            for nxt in onward[node]:
                total = here + weight(nxt)
                known = best[nxt]
                if known is None:
                    reached.append(nxt)
                elif total <= known:
                    continue
                best[nxt] = total
                previous[nxt] = node
        wanted = reached if targets is None else [t for t in targets if best[t] is not None]
        end = -1
        for node in wanted:
            if end < 0 or best[node] > best[end]:  # type: ignore[operator]
                end = node
        if end < 0:
            return 0.0, []
        path = []
        current = end
        while current >= 0:
            path.append(current)
            current = previous[current]
        path.reverse()
        return best[end], path  # type: ignore[return-value]

    @cached_property
    def slowest_path(self) -> tuple[float, tuple[str, ...]]:
        """The start→end path with the largest total deadline, loops left out: (hours, node ids).

        The one path the linter's cycle-time check names and the handbook's deadline table shows.
        A stage without a deadline (or with one that does not read) adds nothing. The path ends
        at a reachable end (see `is_end`); where the chart marks none, at a stage the forward flow
        leaves only by loops or not at all, so that it follows the flow to its last stage rather
        than stop after the last stage that has a deadline. (0.0, ()) when nothing can be reached.
        """
        hours = [due.hours if due else 0.0 for due in self.dues]
        number = self.number
        reachable = self.reachable_flags
        ends = [index for index in self._numbers(self.ends) if reachable[index]]
        if not ends:
            onward = self.forward_successor_numbers
            # In flow order (not set order), so that ties always go the same way.
            ends = [index for index in (number[n] for n in self.flow_order) if reachable[index] and not onward[index]]
        total, path = self._longest_path(hours.__getitem__, self._numbers(self.starts), ends or None)
        ids = self.node_ids
        return total, tuple(ids[index] for index in path)

    def node(self, node_id: str) -> Optional[Node]:
        return self.process.node(node_id) if self.process.has_node(node_id) else None
