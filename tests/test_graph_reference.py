"""The graph's judgements against plain reference versions of the same definitions.

`salesflow.graph` works on numbered nodes and flat lists so that large charts cost the same per
node as small ones; the references here are the slow, obvious reading of each definition (walk
from every node, intersect sets, try every path). Both must agree on many generated charts with
loops, self-loops, repeated links, invisible links, links to subgraphs and unreachable parts.
"""

from __future__ import annotations

import random
from itertools import chain
from typing import Optional

import pytest

from salesflow.graph import ProcessGraph
from salesflow.lint import lint
from salesflow.lint.config import Config
from salesflow.parse import parse_text

SHAPES = ["[{}]", "{{{}?}}", "([{}])", "(({}))", "[{}]", "[{}]"]


def random_chart(seed: int) -> str:
    """A small chart: 2–12 nodes, random links (loops and repeats included), sometimes a
    subgraph that links point at, declared starts and ends, and parts nothing reaches."""
    rng = random.Random(seed)
    count = rng.randint(2, 12)
    ids = [f"N{i}" for i in range(count)]
    lines = ["flowchart TD"]
    grouped = rng.sample(ids, rng.randint(0, min(4, count))) if rng.random() < 0.4 else []
    for node_id in ids:
        if node_id in grouped:
            continue
        lines.append(f"  {node_id}{rng.choice(SHAPES).format('s' + node_id)}")
    if grouped:
        lines.append("  subgraph G [组]")
        lines.extend(f"    {node_id}{rng.choice(SHAPES).format('s' + node_id)}" for node_id in grouped)
        if len(grouped) > 1 and rng.random() < 0.7:
            lines.append(f"    {grouped[0]} --> {grouped[1]}")
        lines.append("  end")
    for _ in range(rng.randint(0, count * 2)):
        source, target = rng.choice(ids), rng.choice(ids)
        if grouped and rng.random() < 0.15:
            source, target = rng.choice([("G", target), (source, "G")])
        arrow = rng.choice(["-->", "-->", "-->", "-.->", "~~~", "==>"])
        label = f"|{rng.choice(['是', '否', '退回'])}|" if rng.random() < 0.3 and arrow != "~~~" else ""
        lines.append(f"  {source} {arrow}{label} {target}")
    for node_id in ids:
        roll = rng.random()
        if roll < 0.08:
            lines.append(f"  {node_id}@{{ kind: start }}")
        elif roll < 0.16:
            lines.append(f"  {node_id}@{{ kind: end }}")
    return "\n".join(lines) + "\n"


CHARTS = [random_chart(seed) for seed in range(400)]


def reach(links: dict[str, list[str]], starts) -> set[str]:
    seen = set(starts)
    todo = list(seen)
    while todo:
        for other in links[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def reference_links(graph: ProcessGraph) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    after: dict[str, list[str]] = {n: [] for n in graph.node_ids}
    before: dict[str, list[str]] = {n: [] for n in graph.node_ids}
    for step in graph.steps:
        if step.target not in after[step.source]:
            after[step.source].append(step.target)
        if step.source not in before[step.target]:
            before[step.target].append(step.source)
    return after, before


def reference_depth_first(graph: ProcessGraph, after: dict[str, list[str]]) -> tuple[list[str], set[tuple[str, str]]]:
    """Depth first from the starts, then every other node, recursively: reverse post-order and
    the steps to a node still on the current path."""
    state: dict[str, str] = {}
    post: list[str] = []
    back: set[tuple[str, str]] = set()

    def visit(node: str) -> None:
        state[node] = "open"
        for child in after[node]:
            if child not in state:
                visit(child)
            elif state[child] == "open":
                back.add((node, child))
        state[node] = "done"
        post.append(node)

    for root in chain(graph.starts, graph.node_ids):
        if root not in state:
            visit(root)
    return post[::-1], back


def reference_post_dominator(graph: ProcessGraph, after: dict[str, list[str]]) -> dict[str, Optional[str]]:
    """The nearest node every way from a node to a stage with no way onward passes, by the
    definition: the sets of post-dominators, intersected until nothing changes."""
    sinks = [n for n in graph.node_ids if not after[n]]
    before = {n: [m for m in graph.node_ids if n in after[m]] for n in graph.node_ids}
    stopping = reach(before, sinks)  # the nodes that reach a stop at all
    everything = set(stopping)
    sets = {n: ({n} if not after[n] else set(everything)) for n in stopping}
    changed = True
    while changed:
        changed = False
        for node in stopping:
            if not after[node]:
                continue
            onward = [sets[m] for m in after[node] if m in stopping]
            new = {node} | set.intersection(*onward)
            if new != sets[node]:
                sets[node], changed = new, True
    result: dict[str, Optional[str]] = {}
    for node in graph.node_ids:
        strict = sets.get(node, {node}) - {node}
        # The immediate one is the strict post-dominator that all the others post-dominate too.
        nearest = [d for d in strict if sets[d] - {d} == strict - {d}]
        result[node] = nearest[0] if nearest else None
    return result


@pytest.mark.parametrize("chunk", range(4))
def test_the_graph_answers_as_the_plain_definitions_do(chunk: int) -> None:
    for text in CHARTS[chunk::4]:
        graph = ProcessGraph(parse_text(text, "r.flow"))
        after, before = reference_links(graph)
        assert graph.successors == after and graph.predecessors == before, text
        ids = graph.node_ids
        numbered = [(ids[s], ids[t]) for s, t in zip(*graph.step_numbers)]
        assert numbered == [(step.source, step.target) for step in graph.steps], text
        assert graph.step_edges == [step.edge for step in graph.steps]
        assert set(graph.sinks) == {n for n in graph.node_ids if not after[n]}
        assert set(graph.sources) == {n for n in graph.node_ids if not before[n]}

        reached = {n: reach(after, [n]) for n in graph.node_ids}
        assert graph.reachable == reach(after, graph.starts), text
        for node in graph.node_ids:
            assert graph.reachable_from([node]) == reached[node]
            assert graph.reaching([node]) == {m for m in graph.node_ids if node in reached[m]}
        assert graph.reachable_from(["no-such-node"]) == set()

        # Weakly connected parts: reach over links taken both ways.
        both = {n: after[n] + before[n] for n in graph.node_ids}
        parts = sorted(sorted(reach(both, [n]), key=graph.node_ids.index) for n in graph.node_ids)
        assert sorted(graph.components) == [p for i, p in enumerate(parts) if p not in parts[:i]], text
        for index, node_id in enumerate(graph.node_ids):
            assert node_id in graph.components[graph.part_numbers[index]]

        # Loops: two nodes share a component exactly when each reaches the other, and a component
        # reached from another one is numbered before it (rules rely on that order).
        strong = graph.strong_components
        for a in graph.node_ids:
            for b in graph.node_ids:
                assert (strong[a] == strong[b]) == (b in reached[a] and a in reached[b]), (text, a, b)
                assert graph.on_cycle(a, b) == (a == b or strong[a] == strong[b])
            for b in after[a]:
                assert strong[b] <= strong[a], (text, a, b)

        order, back = reference_depth_first(graph, after)
        assert list(graph.forward_order) == order and graph.back_steps == back, text
        assert graph.post_dominators == reference_post_dominator(graph, after), text

        depth: dict[str, int] = {}
        for root in chain(graph.starts, graph.node_ids):
            if root in depth:
                continue
            depth[root], layer = 0, [root]
            while layer:
                following = []
                for node in layer:
                    for nxt in after[node]:
                        if nxt not in depth:
                            depth[nxt] = depth[node] + 1
                            following.append(nxt)
                layer = following
        assert graph.depths == depth, text
        assert graph.edges_leading_back == {
            s.edge.index for s in graph.steps if (s.source, s.target) in back or depth[s.target] < depth[s.source] - 1
        }

        flow: list[str] = []
        queue = list(graph.starts)
        while len(flow) < len(graph.node_ids):
            if not queue:
                queue = [next(n for n in graph.node_ids if n not in flow)]
            node = queue.pop(0)
            if node in flow:
                continue
            flow.append(node)
            queue.extend(m for m in after[node] if m not in flow)
        assert list(graph.flow_order) == flow, text


def heaviest(graph: ProcessGraph, after: dict[str, list[str]], weight, sources, targets) -> float:
    """The heaviest total of any forward path (back steps left out) from a source to a target,
    found by trying every path; -1 when there is none."""
    back = graph.back_steps
    best = -1.0

    def go(node: str, total: float) -> None:
        nonlocal best
        if targets is None or node in targets:
            best = max(best, total)
        for nxt in after[node]:
            if (node, nxt) not in back:
                go(nxt, total + weight(nxt))

    for source in set(sources):
        go(source, weight(source))
    return best


def test_the_longest_path_is_the_heaviest_of_all_forward_paths() -> None:
    rng = random.Random(7)
    for text in CHARTS[:200]:
        graph = ProcessGraph(parse_text(text, "r.flow"))
        after, _before = reference_links(graph)
        weights = {n: float(rng.randint(0, 5)) for n in graph.node_ids}
        sources = rng.sample(graph.node_ids, min(len(graph.node_ids), rng.randint(1, 2)))
        targets = rng.sample(graph.node_ids, min(len(graph.node_ids), rng.randint(1, 3))) if rng.random() < 0.7 else None
        total, path = graph.longest_path(weights.__getitem__, sources, targets)
        expected = heaviest(graph, after, weights.__getitem__, sources, targets)
        if expected < 0:
            assert (total, path) == (0.0, []), text
            continue
        assert total == expected, text
        assert path[0] in sources and (targets is None or path[-1] in targets)
        assert sum(weights[n] for n in path) == total
        assert all(b in after[a] and (a, b) not in graph.back_steps for a, b in zip(path, path[1:])), text


def reference_unhandled(graph: ProcessGraph) -> list[str]:
    """Decisions missing-fallback reports, read straight from its documentation with no shortcut:
    no branch runs out to a stop before joining, and no branch, walked up to where the branches
    join, returns to the decision or before it, stops, or reaches another branch."""
    process = graph.process
    after, before = graph.successors, graph.predecessors
    ends = set(graph.ends)
    position = {n: i for i, n in enumerate(graph.forward_order)}

    def runs_out(start: str) -> bool:
        current, seen = start, set()
        while current not in seen:
            seen.add(current)
            if current in ends or not after[current]:
                return True
            if len(after[current]) != 1 or process.node(current).is_decision:
                return False
            current = after[current][0]
            if len(before[current]) != 1 and current not in ends:
                return False
        return False

    found = []
    for node in process.nodes:
        branches = after[node.id]
        if not node.is_decision or len(branches) < 2 or any(runs_out(b) for b in branches):
            continue
        joined = graph.post_dominators[node.id]
        handled = False
        for branch in branches:
            if branch == joined:
                handled = True
                break
            region = {branch}
            todo = [branch]
            while todo:
                current = todo.pop()
                for nxt in after[current]:
                    if nxt != joined and nxt not in region:
                        region.add(nxt)
                        todo.append(nxt)
            if any(
                position[c] <= position[node.id] or c in ends or not after[c] or (c != branch and c in branches)
                for c in region
            ):
                handled = True
                break
        if not handled:
            found.append(node.id)
    return found


def test_missing_fallback_reports_what_its_definition_says() -> None:
    config = Config.default().selecting(("missing-fallback",), ())
    reported_some = False
    for seed in range(600):
        text = random_chart(10_000 + seed).replace("flowchart TD", "flowchart TD\n  Q0{开始?} --> N0\n  Q0 --> N1", 1)
        process = parse_text(text, "r.flow")
        graph = ProcessGraph(process)
        reported = sorted(f.node for f in lint(process, config) if f.node is not None)
        assert reported == sorted(reference_unhandled(graph)), text
        reported_some = reported_some or bool(reported)
    assert reported_some  # the charts do include decisions that handle nothing


def test_links_from_a_node_with_many_next_stages_are_each_counted_once() -> None:
    # Past a handful of links per node the repeats are found another way: both must agree.
    rng = random.Random(3)
    targets = [f"T{rng.randint(0, 59)}" for _ in range(200)]
    text = "flowchart LR\n" + "".join(f"  A --> {t}\n  {t} --> A\n" for t in targets)
    graph = ProcessGraph(parse_text(text, "fan.flow"))
    after, before = reference_links(graph)
    assert graph.successors == after and graph.predecessors == before
    assert graph.successors["A"] == list(dict.fromkeys(targets))
