"""Graph questions about a process, answered once for rules and renderers alike.

An edge may point at a subgraph (`A --> 销售部`): it then leads into the subgraph's entry nodes
(those no edge inside the subgraph leads to), and an edge leaving a subgraph leaves from its exit
nodes. An invisible link (`A ~~~ B`) only places nodes on the page and carries no flow, so it is
not a step. Every query here runs in time linear in nodes plus steps (an edge between two
subgraphs makes one step per exit-entry pair, as the chart means).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable, Optional

from .model import TERMINAL_SHAPES, Edge, Node, Process


@dataclass(frozen=True, slots=True)
class Step:
    """One node-to-node connection; `edge` is the edge that made it (several steps for `&` or subgraphs)."""

    source: str
    target: str
    edge: Edge


class ProcessGraph:
    def __init__(self, process: Process) -> None:
        self.process = process

    # ------------------------------------------------------------------ structure

    @cached_property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(node.id for node in self.process.nodes)

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
        return tuple(e for e in self.process.edges if e.stroke != "invisible")

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        subgraphs = self._subgraph_nodes
        edges = self.flow_edges
        named = ({e.source for e in edges} | {e.target for e in edges}) & subgraphs.keys()
        if not named:
            # The common case: node-to-node edges only.
            has = self.process.has_node
            return tuple(Step(e.source, e.target, e) for e in edges if has(e.source) and has(e.target))

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

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """Each node's distinct next nodes, in edge order."""
        # dict keys keep insertion order and make the repeat check O(1) even at high fan-out.
        seen: dict[str, dict[str, None]] = {node_id: {} for node_id in self.node_ids}
        for step in self.steps:
            seen[step.source][step.target] = None
        return {node_id: list(targets) for node_id, targets in seen.items()}

    @cached_property
    def predecessors(self) -> dict[str, list[str]]:
        """Each node's distinct previous nodes, in edge order."""
        seen: dict[str, dict[str, None]] = {node_id: {} for node_id in self.node_ids}
        for step in self.steps:
            seen[step.target][step.source] = None
        return {node_id: list(sources) for node_id, sources in seen.items()}

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
        return node.shape in TERMINAL_SHAPES and not self.predecessors[node.id]

    def is_end(self, node: Node) -> bool:
        """`kind: end`, or a terminal shape (stadium, circle) with no way onward."""
        if node.kind is not None:
            return node.kind == "end"
        return node.shape in TERMINAL_SHAPES and not self.successors[node.id]

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
        result = set()
        for node in self.process.nodes:
            own_owner = node.owner and not node.owner_from_lane
            if own_owner or node.due or node.steps or node.checks or node.kpi or node.resources:
                continue
            if self.is_marker(node):
                result.add(node.id)
        return frozenset(result)

    @cached_property
    def ends(self) -> tuple[str, ...]:
        return tuple(node.id for node in self.process.nodes if self.is_end(node))

    @cached_property
    def sinks(self) -> tuple[str, ...]:
        """Nodes with no way onward, ends or not."""
        return tuple(n for n in self.node_ids if not self.successors[n])

    @cached_property
    def declared_starts(self) -> tuple[str, ...]:
        return tuple(node.id for node in self.process.nodes if node.kind == "start")

    @cached_property
    def sources(self) -> tuple[str, ...]:
        """Nodes that nothing leads to."""
        return tuple(n for n in self.node_ids if not self.predecessors[n])

    @cached_property
    def starts(self) -> tuple[str, ...]:
        """`kind: start` nodes; failing those, nodes nothing leads to; failing those, the first node."""
        if self.declared_starts:
            return self.declared_starts
        if self.sources:
            return self.sources
        return self.node_ids[:1]

    # ------------------------------------------------------------------ traversal

    def reachable_from(self, starts: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = [s for s in starts if s in self.successors]
        seen.update(stack)
        while stack:
            current = stack.pop()
            for nxt in self.successors[current]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    def reaching(self, targets: Iterable[str]) -> set[str]:
        """Nodes from which one of `targets` can be reached (the targets included)."""
        seen: set[str] = set()
        stack = [t for t in targets if t in self.predecessors]
        seen.update(stack)
        while stack:
            current = stack.pop()
            for prev in self.predecessors[current]:
                if prev not in seen:
                    seen.add(prev)
                    stack.append(prev)
        return seen

    @cached_property
    def reachable(self) -> frozenset[str]:
        """Nodes the flow can reach from the starts."""
        return frozenset(self.reachable_from(self.starts))

    @cached_property
    def components(self) -> list[list[str]]:
        """Weakly connected parts, each in declaration order, the parts ordered by their first node."""
        successors, predecessors = self.successors, self.predecessors
        part_of: dict[str, int] = {}
        count = 0
        for node_id in self.node_ids:
            if node_id in part_of:
                continue
            part_of[node_id] = count
            stack = [node_id]
            while stack:
                current = stack.pop()
                for nxt in successors[current]:
                    if nxt not in part_of:
                        part_of[nxt] = count
                        stack.append(nxt)
                for prev in predecessors[current]:
                    if prev not in part_of:
                        part_of[prev] = count
                        stack.append(prev)
            count += 1
        # One pass in declaration order fills every part in order: linear however many parts.
        parts: list[list[str]] = [[] for _ in range(count)]
        for node_id in self.node_ids:
            parts[part_of[node_id]].append(node_id)
        return parts

    @cached_property
    def flow_order(self) -> tuple[str, ...]:
        """Nodes in the order a reader follows them: breadth-first from the starts, then the rest."""
        order: list[str] = []
        seen: set[str] = set()
        queue = list(self.starts)
        seen.update(queue)
        head = 0
        rest = 0  # the declaration-order scan for unvisited nodes resumes where it stopped
        node_ids = self.node_ids
        while True:
            while head < len(queue):
                current = queue[head]
                head += 1
                order.append(current)
                for nxt in self.successors[current]:
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
            while rest < len(node_ids) and node_ids[rest] in seen:
                rest += 1
            if rest == len(node_ids):
                return tuple(order)
            seen.add(node_ids[rest])
            queue.append(node_ids[rest])

    # ------------------------------------------------------------------ cycles

    @cached_property
    def strong_components(self) -> dict[str, int]:
        """Each node's strongly connected component: two nodes share one iff each reaches the other.

        Tarjan's algorithm without recursion, so a 50,000-stage chain cannot overflow the stack.
        """
        successors = self.successors
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        result: dict[str, int] = {}
        counter = 0
        component = 0
        for root in self.node_ids:
            if root in index:
                continue
            work = [(root, iter(successors[root]))]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack.add(root)
            while work:
                node, children = work[-1]
                advanced = False
                for child in children:
                    if child not in index:
                        index[child] = low[child] = counter
                        counter += 1
                        stack.append(child)
                        on_stack.add(child)
                        work.append((child, iter(successors[child])))
                        advanced = True
                        break
                    if child in on_stack and index[child] < low[node]:
                        low[node] = index[child]
                if advanced:
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        result[member] = component
                        if member == node:
                            break
                    component += 1
        return result

    def on_cycle(self, source: str, target: str) -> bool:
        """Whether the step source → target closes a loop (target leads back to source)."""
        components = self.strong_components
        return source == target or components[source] == components[target]

    @cached_property
    def post_dominators(self) -> dict[str, Optional[str]]:
        """Each node's immediate post-dominator: the nearest node every way from it to a stop passes.

        None when the nearest such point is the stop itself (the ways part for good, e.g. into a
        won and a lost end) or when the node never reaches a stage with no way onward. The
        iterative algorithm of Cooper, Harvey and Kennedy on the reversed flow; a few passes
        over the steps on any real chart.
        """
        successors, predecessors = self.successors, self.predecessors
        exit_node = object()  # the one virtual stop every stage with no way onward leads to
        # Post-order of the reversed flow, walked from the virtual stop, without recursion.
        number: dict[object, int] = {}
        order: list[str] = []
        visited: set[str] = set()
        for sink in self.sinks:
            if sink in visited:
                continue
            visited.add(sink)
            work = [(sink, iter(predecessors[sink]))]
            while work:
                node, parents = work[-1]
                for parent in parents:
                    if parent not in visited:
                        visited.add(parent)
                        work.append((parent, iter(predecessors[parent])))
                        break
                else:
                    work.pop()
                    number[node] = len(order)
                    order.append(node)
        number[exit_node] = len(order)
        dominator: dict[object, object] = {exit_node: exit_node}

        def meet(a: object, b: object) -> object:
            while a != b:
                while number[a] < number[b]:
                    a = dominator[a]
                while number[b] < number[a]:
                    b = dominator[b]
            return a

        changed = True
        while changed:
            changed = False
            for node in reversed(order):
                # The reversed flow's predecessors: the steps onward already placed, or the stop.
                following = [n for n in successors[node] if n in dominator] if successors[node] else [exit_node]
                if not following:
                    continue
                new = following[0]
                for other in following[1:]:
                    new = meet(other, new)
                if dominator.get(node) != new:
                    dominator[node] = new
                    changed = True
        return {
            node_id: (None if dominator.get(node_id, exit_node) is exit_node else dominator[node_id])  # type: ignore[misc]
            for node_id in self.node_ids
        }

    @cached_property
    def _depth_first(self) -> tuple[tuple[str, ...], frozenset[tuple[str, str]]]:
        """Reverse post-order and back steps of a depth-first walk from the starts, then the rest.

        Dropping the back steps (the loops: rework, retries, feedback) leaves an acyclic flow in
        which the reverse post-order is a topological order.
        """
        successors = self.successors
        state: dict[str, int] = {}  # 1 on the walk's current path, 2 finished
        post: list[str] = []
        back: set[tuple[str, str]] = set()
        roots = list(self.starts) + list(self.node_ids)
        for root in roots:
            if root in state:
                continue
            state[root] = 1
            work = [(root, iter(successors[root]))]
            while work:
                node, children = work[-1]
                for child in children:
                    seen = state.get(child)
                    if seen is None:
                        state[child] = 1
                        work.append((child, iter(successors[child])))
                        break
                    if seen == 1:
                        back.add((node, child))
                else:
                    work.pop()
                    state[node] = 2
                    post.append(node)
        post.reverse()
        return tuple(post), frozenset(back)

    @cached_property
    def back_steps(self) -> frozenset[tuple[str, str]]:
        """(source, target) pairs that loop back to a node already on the way to them."""
        return self._depth_first[1]

    @cached_property
    def forward_order(self) -> tuple[str, ...]:
        """Every node, ordered so that each forward (non-back) step goes from earlier to later."""
        return self._depth_first[0]

    @cached_property
    def depths(self) -> dict[str, int]:
        """Each node's distance in steps from the starts (breadth first; unreached nodes start anew)."""
        depth: dict[str, int] = {}
        successors = self.successors
        for root in list(self.starts) + list(self.node_ids):
            if root in depth:
                continue
            depth[root] = 0
            queue = [root]
            head = 0
            while head < len(queue):
                current = queue[head]
                head += 1
                for target in successors[current]:
                    if target not in depth:
                        depth[target] = depth[current] + 1
                        queue.append(target)
        return depth

    @cached_property
    def edges_leading_back(self) -> frozenset[int]:
        """Edges (by index) that lead back to an earlier stage: feedback, rework, retries, recycling.

        Two kinds: an edge that closes a loop (one of its steps is in `back_steps`), and an edge to
        a node at least two steps nearer the start than its source (`销售部 → 线索培育`: back to an
        earlier stage, though not on the same path). Without them the flow has no cycle, and every
        node still has the edge that first reaches it.
        """
        back = self.back_steps
        depth = self.depths
        return frozenset(
            step.edge.index
            for step in self.steps
            if (step.source, step.target) in back or depth[step.target] < depth[step.source] - 1
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
        back = self.back_steps
        successors = self.successors
        best: dict[str, float] = {}
        previous: dict[str, Optional[str]] = {}
        for source in sources:
            if source in successors:
                best[source] = weight(source)
                previous[source] = None
        for node in self.forward_order:
            if node not in best:
                continue
            here = best[node]
            for nxt in successors[node]:
                if (node, nxt) in back:
                    continue
                total = here + weight(nxt)
                if nxt not in best or total > best[nxt]:
                    best[nxt] = total
                    previous[nxt] = node
        wanted = best.keys() if targets is None else [t for t in targets if t in best]
        end = None
        for node in wanted:
            if end is None or best[node] > best[end]:
                end = node
        if end is None:
            return 0.0, []
        path = []
        current: Optional[str] = end
        while current is not None:
            path.append(current)
            current = previous[current]
        path.reverse()
        return best[end], path

    @cached_property
    def slowest_path(self) -> tuple[float, tuple[str, ...]]:
        """The start→end path with the largest total deadline, loops left out: (hours, node ids).

        The one path the linter's cycle-time check names and the handbook's deadline table shows.
        A stage without a deadline (or with one that does not read) adds nothing. The path ends
        at a reachable end (see `is_end`); where the chart marks none, at a stage the forward flow
        leaves only by loops or not at all, so that it follows the flow to its last stage rather
        than stop after the last stage that has a deadline. (0.0, ()) when nothing can be reached.
        """
        hours = {node.id: (node.due.hours if node.due else 0.0) for node in self.process.nodes}
        reachable = self.reachable
        ends = [n for n in self.ends if n in reachable]
        if not ends:
            back = self.back_steps
            # In flow order (not set order), so that ties always go the same way.
            ends = [n for n in self.flow_order if n in reachable and all((n, m) in back for m in self.successors[n])]
        total, path = self.longest_path(hours.__getitem__, self.starts, ends or None)
        return total, tuple(path)

    def node(self, node_id: str) -> Optional[Node]:
        return self.process.node(node_id) if self.process.has_node(node_id) else None
