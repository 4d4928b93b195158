"""Graph queries shared by rules and renderers: correct on small charts, linear on large ones."""

from __future__ import annotations

from conftest import no_hang
from salesflow.graph import ProcessGraph
from salesflow.parse import parse_text


def graph_of(text: str) -> ProcessGraph:
    return ProcessGraph(parse_text(text, "g.flow"))


LOOPS = """flowchart TD
  A --> B --> C --> D
  C -->|rework| B
  D --> E
  E -->|feedback| A
  D --> F
"""


def test_strong_components() -> None:
    graph = graph_of(LOOPS)
    parts = graph.strong_components
    assert parts["A"] == parts["B"] == parts["C"] == parts["D"] == parts["E"]
    assert parts["F"] != parts["A"]
    assert graph.on_cycle("C", "B") and not graph.on_cycle("D", "F")


def test_back_steps_and_forward_order() -> None:
    graph = graph_of(LOOPS)
    assert graph.back_steps == {("C", "B"), ("E", "A")}
    order = {n: i for i, n in enumerate(graph.forward_order)}
    for step in graph.steps:
        if (step.source, step.target) not in graph.back_steps:
            assert order[step.source] < order[step.target]


def test_longest_path_takes_each_loop_once() -> None:
    graph = graph_of(LOOPS)
    weights = {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 1}
    total, path = graph.longest_path(weights.__getitem__, ["A"], ["E", "F"])
    assert (total, path) == (15, ["A", "B", "C", "D", "E"])
    assert graph.longest_path(weights.__getitem__, ["F"], ["A"]) == (0.0, [])


def test_invisible_links_carry_no_flow() -> None:
    graph = graph_of("flowchart LR\n  A --> B\n  B ~~~ C\n")
    assert graph.successors["B"] == []
    assert graph.components == [["A", "B"], ["C"]]
    assert graph.starts == ("A", "C")


def test_sinks_sources_and_reachable() -> None:
    graph = graph_of("flowchart LR\n  A --> B --> C\n  D --> B\n")
    assert graph.sources == ("A", "D") and graph.sinks == ("C",)
    assert graph.reachable == {"A", "B", "C", "D"}


def chain(nodes: int) -> str:
    return "flowchart LR\n" + "".join(f"  n{i} --> n{i + 1}\n" for i in range(nodes - 1))


def test_deep_chains_need_no_recursion() -> None:
    graph = graph_of(chain(30_000) + "  n29999 --> n0\n")
    assert len(set(graph.strong_components.values())) == 1
    assert len(graph.forward_order) == 30_000
    total, path = graph.longest_path(lambda n: 1.0, ["n0"])
    assert total == 30_000 and len(path) == 30_000


def test_queries_stay_linear_where_quadratic_code_would_crawl() -> None:
    # 20,000 lone stages (20,000 components) and one stage fanning out to 20,000: each of these
    # took seconds with per-part scans or list membership tests; linear code takes milliseconds.
    lone = graph_of("flowchart LR\n" + "".join(f"  n{i}\n" for i in range(20_000)))
    fan = graph_of("flowchart LR\n" + "".join(f"  hub --> n{i}\n" for i in range(20_000)))
    with no_hang("graph queries on 20,000 stages"):  # quadratic code takes minutes here
        _ = (lone.components, lone.flow_order, lone.strong_components, lone.forward_order)
        _ = (fan.successors, fan.predecessors, fan.components, fan.flow_order, fan.strong_components)
    assert len(lone.components) == 20_000 and len(fan.successors["hub"]) == 20_000


def test_edges_inside_named_subgraphs_need_no_scan_per_subgraph() -> None:
    # 2,000 subgraphs, each linked from outside: entries are found in one pass over the edges.
    parts = ["flowchart LR"]
    for i in range(2_000):
        parts.append(f"  subgraph s{i}\n    a{i} --> b{i}\n  end")
        parts.append(f"  x{i} --> s{i}")
    graph = graph_of("\n".join(parts) + "\n")
    with no_hang("the steps of 2,000 subgraphs"):
        _ = graph.steps
    assert graph.successors["x7"] == ["a7"]


def test_start_and_end_markers_are_known_by_shape_and_place() -> None:
    graph = graph_of(
        "flowchart TD\n  In([新线索]) --> A[谈判] --> Q{是否成交?}\n  Q -->|是| Won([成交])\n  Q -->|否| Lost((丢单))\n"
        "  A --> M([电话回访]) --> Q\n  Q -->|再谈| X[开始] --> A\n  Z([结束]) --> A\n  A --> T([归档])\n  T@{ kind: task }\n"
    )
    markers = {n for n in graph.node_ids if graph.is_marker(graph.node(n))}
    # Outcomes and entries by shape and place; a stadium in mid-flow, a start word in a box, a
    # stadium whose node data says it is a task, and words like 结束 on an entry change nothing.
    assert markers == {"In", "Won", "Lost", "Z"}
    assert graph.is_start_marker(graph.node("Z")) and not graph.is_end(graph.node("Z"))
    assert graph.is_end(graph.node("Won")) and not graph.is_start_marker(graph.node("Won"))


def test_post_dominators_are_where_every_way_onward_meets() -> None:
    graph = graph_of(
        "flowchart TD\n  A --> Q{?} -->|x| B --> M --> E\n  Q -->|y| C --> M\n  M -.->|review| A\n"
        "  E --> W{won?} -->|yes| Won([Won])\n  W -->|no| Lost([Lost])\n"
    )
    pd = graph.post_dominators
    assert pd["Q"] == "M" and pd["B"] == "M" and pd["A"] == "Q" and pd["M"] == "E"
    assert pd["W"] is None and pd["Won"] is None  # the ways part for good: no common point


def test_post_dominators_need_no_recursion_and_stay_fast() -> None:
    # 10,000 decisions in a row, each with two branches that meet again, and a loop back.
    parts = ["flowchart LR"]
    for i in range(10_000):
        parts.append(f"  q{i}{{?}} -->|a| a{i} --> q{i + 1}\n  q{i} -->|b| b{i} --> q{i + 1}")
    parts.append("  q10000 -.-> q0")
    graph = graph_of("\n".join(parts) + "\n  q10000 --> z\n")
    with no_hang("post-dominators of 10,000 decisions"):
        _ = graph.post_dominators
    assert graph.post_dominators["q0"] == "q1" and graph.post_dominators["a9999"] == "q10000"
