"""Graph questions about a process, answered once for rules and renderers alike.

An edge may point at a subgraph (`A --> 销售部`): it then leads into the subgraph's entry nodes
(those no edge inside the subgraph leads to), and an edge leaving a subgraph leaves from its exit
nodes. Every query here runs in time linear in nodes plus edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Optional

from .model import TERMINAL_SHAPES, Edge, Node, Process


@dataclass(frozen=True)
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
    def steps(self) -> tuple[Step, ...]:
        subgraphs = self._subgraph_nodes
        inside_edges: dict[str, list[Edge]] = {}
        plain = [e for e in self.process.edges if e.source not in subgraphs and e.target not in subgraphs]
        # Only subgraphs that an edge names need their inner edges.
        named = {e.source for e in self.process.edges} | {e.target for e in self.process.edges}
        for subgraph_id in named & subgraphs.keys():
            member_set = set(subgraphs[subgraph_id])
            inside_edges[subgraph_id] = [e for e in plain if e.source in member_set and e.target in member_set]

        def entries(subgraph_id: str) -> list[str]:
            members = subgraphs[subgraph_id]
            reached = {e.target for e in inside_edges[subgraph_id]}
            return [m for m in members if m not in reached] or members

        def exits(subgraph_id: str) -> list[str]:
            members = subgraphs[subgraph_id]
            leaving = {e.source for e in inside_edges[subgraph_id]}
            return [m for m in members if m not in leaving] or members

        result = []
        for edge in self.process.edges:
            sources = exits(edge.source) if edge.source in subgraphs else [edge.source]
            targets = entries(edge.target) if edge.target in subgraphs else [edge.target]
            for source in sources:
                for target in targets:
                    if self.process.has_node(source) and self.process.has_node(target):
                        result.append(Step(source, target, edge))
        return tuple(result)

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {node_id: [] for node_id in self.node_ids}
        for step in self.steps:
            if step.target not in result[step.source]:
                result[step.source].append(step.target)
        return result

    @cached_property
    def predecessors(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {node_id: [] for node_id in self.node_ids}
        for step in self.steps:
            if step.source not in result[step.target]:
                result[step.target].append(step.source)
        return result

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

    def is_end(self, node: Node) -> bool:
        """`kind: end`, or a terminal shape (stadium, circle) with no way onward."""
        if node.kind == "end":
            return True
        if node.kind is not None:
            return False
        return not self.successors[node.id] and node.shape in TERMINAL_SHAPES

    @cached_property
    def ends(self) -> tuple[str, ...]:
        return tuple(node.id for node in self.process.nodes if self.is_end(node))

    @cached_property
    def declared_starts(self) -> tuple[str, ...]:
        return tuple(node.id for node in self.process.nodes if node.kind == "start")

    @cached_property
    def starts(self) -> tuple[str, ...]:
        """`kind: start` nodes; failing those, nodes nothing leads to; failing those, the first node."""
        if self.declared_starts:
            return self.declared_starts
        sources = tuple(n for n in self.node_ids if not self.predecessors[n])
        if sources:
            return sources
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
    def components(self) -> list[list[str]]:
        """Weakly connected parts, each in declaration order, the parts ordered by their first node."""
        neighbours = {n: set(self.successors[n]) | set(self.predecessors[n]) for n in self.node_ids}
        seen: set[str] = set()
        parts = []
        for node_id in self.node_ids:
            if node_id in seen:
                continue
            part = {node_id}
            stack = [node_id]
            while stack:
                current = stack.pop()
                for nxt in neighbours[current]:
                    if nxt not in part:
                        part.add(nxt)
                        stack.append(nxt)
            seen |= part
            parts.append([n for n in self.node_ids if n in part])
        return parts

    @cached_property
    def flow_order(self) -> tuple[str, ...]:
        """Nodes in the order a reader follows them: breadth-first from the starts, then the rest."""
        order: list[str] = []
        seen: set[str] = set()
        queue = list(self.starts)
        seen.update(queue)
        head = 0
        while True:
            while head < len(queue):
                current = queue[head]
                head += 1
                order.append(current)
                for nxt in self.successors[current]:
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
            rest = next((n for n in self.node_ids if n not in seen), None)
            if rest is None:
                return tuple(order)
            seen.add(rest)
            queue.append(rest)

    def node(self, node_id: str) -> Optional[Node]:
        return self.process.node(node_id) if self.process.has_node(node_id) else None
