"""What a node is, which links lead back, which way is slowest: every output gives graph.py's answer.

The chart, the handbook and the linter once each worked these out their own way and told a reader
different things about the same chart; each case here is one such chart.
"""

from __future__ import annotations

import re

from salesflow.graph import ProcessGraph
from salesflow.handbook.view import build
from salesflow.lint import lint
from salesflow.parse import parse_text
from salesflow.render.dot import to_dot


def drawn_kinds(text: str) -> dict[str, str]:
    """Each node's kind as the drawing classes it (`sf-start`, `sf-end`, `sf-decision`, `sf-step`)."""
    process = parse_text(text, "k.flow")
    dot = to_dot(process)
    kinds = {}
    for node in process.nodes:
        line = next(l for l in dot.splitlines() if l.strip().startswith(f'"{node.id}" ['))
        kinds[node.id] = re.search(r'class="sf-node sf-(\w+)', line).group(1)
    return kinds


def handbook_kinds(text: str) -> dict[str, str]:
    hb = build(parse_text(text, "k.flow"))
    return {stage.node.id: ("step" if stage.kind == "task" else stage.kind) for stage in hb.all_stages}


# A stadium that only the first-node fallback makes the flow's start: something leads into it,
# so it is no start marker, and the drawing must not paint it as one.
LOOP_ONLY = "flowchart TD\n  A([跟进客户]) --> B[报价] --> A\n"
# A stadium nothing leads into, beside a declared start: a start marker all the same.
DECLARED_ELSEWHERE = "flowchart TD\n  In([新线索]) --> B[筛选] --> C[报价]\n  B@{ kind: start }\n"
# A plain box nothing leads into begins the flow, but it is a stage, not a marker.
PLAIN_FIRST = "flowchart TD\n  A[线索收集] --> B{合格?} -->|是| C([成交])\n  B -->|否| D([丢单])\n"


def test_the_drawing_colours_as_start_only_what_the_graph_calls_a_start_marker() -> None:
    for text in (LOOP_ONLY, DECLARED_ELSEWHERE, PLAIN_FIRST):
        graph = ProcessGraph(parse_text(text, "k.flow"))
        kinds = drawn_kinds(text)
        for node in graph.process.nodes:
            assert (kinds[node.id] == "start") == graph.is_start_marker(node), (text, node.id, kinds)


def test_the_handbook_and_the_drawing_give_every_node_the_same_kind() -> None:
    for text in (LOOP_ONLY, DECLARED_ELSEWHERE, PLAIN_FIRST):
        assert handbook_kinds(text) == drawn_kinds(text), text
    assert drawn_kinds(PLAIN_FIRST) == {"A": "step", "B": "decision", "C": "end", "D": "end"}
    assert drawn_kinds(DECLARED_ELSEWHERE) == {"In": "start", "B": "start", "C": "step"}


def test_the_linter_and_the_handbook_name_the_same_slowest_path() -> None:
    # No end marker: the handbook follows the flow to its last stage; the linter's message named
    # only the first stage, the one with all the time.
    text = (
        "---\ntarget: 1天\n---\nflowchart TD\n  A[线索] --> B[跟进] --> C[签约]\n"
        "  A@{ owner: 销售, due: 3天 }\n"
    )
    process = parse_text(text, "p.flow")
    (finding,) = [f for f in lint(process) if f.rule == "cycle-time-over-target"]
    handbook_path = build(process).path
    assert handbook_path is not None and handbook_path.nodes == ("A", "B", "C")
    assert "线索 → 跟进 → 签约 (3 stages)" in finding.message


def test_the_handbook_lists_as_hand_overs_exactly_the_links_the_linter_checks() -> None:
    # No link says what it carries, and every stage has an owner: each hand-over the handbook
    # lists is one the linter asks a note for, and the other way round. The same person in two
    # lanes still hands over between departments; `Sales Rep` and `sales rep` are one person;
    # a bare start marker in a lane does no work and hands nothing over.
    text = (
        "---\nlanes: [mkt, sales]\n---\nflowchart TD\n"
        "  subgraph mkt[市场部]\n    In([新线索]) --> A[收集线索]\n  end\n"
        "  subgraph sales[销售部]\n    B[初次接触] --> C[报价] --> D([成交])\n  end\n"
        "  A --> B\n"
        "  A@{ owner: 张三 }\n  B@{ owner: 张三 }\n  C@{ owner: Sales Rep }\n  D@{ owner: sales rep }\n"
    )
    process = parse_text(text, "h.flow")
    listed = {(c.source.node.id, c.target.node.id) for c in build(process).handovers}
    flagged = {
        (process.edges[f.edge].source, process.edges[f.edge].target)
        for f in lint(process)
        if f.rule == "handoff-without-note"
    }
    assert flagged == {("A", "B"), ("B", "C")}
    assert listed == flagged


def test_hand_overs_asked_by_node_number_agree_with_the_handbook_on_every_link() -> None:
    # The linter asks `Handovers.between` of every link, the handbook `is_handover`: on every
    # sample and case chart they name the same links. A chart of its own adds owners that read
    # alike only once folded (full-width letters, case, spacing), an owner that is only spaces
    # and links to and from bare markers.
    from pathlib import Path

    from salesflow.errors import ParseError
    from salesflow.handover import Handovers, is_handover

    root = Path(__file__).resolve().parent.parent
    folded = (
        "---\nlanes: [mkt, sales]\n---\nflowchart TD\n"
        "  S((开始)) --> A[线索] --> B[筛选] --> C[报价] --> D[谈判] --> E([结束])\n"
        "  subgraph mkt[市场部]\n    F[活动] --> G[培育]\n  end\n"
        "  subgraph sales[销售部]\n    H[跟进]\n  end\n  G --> H --> A\n"
        "  A@{ owner: Ｓａｌｅｓ　Rep }\n  B@{ owner: sales  rep }\n  C@{ owner: SALES REP }\n"
        "  D@{ owner: \"  \" }\n"
    )
    texts = [folded] + [p.read_text(encoding="utf-8") for p in sorted((root / "samples").glob("*.flow"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "tests" / "cases").rglob("*.flow"))]
    links = agreed = handing_over = 0
    for text in texts:
        try:
            process = parse_text(text, "x.flow")
        except ParseError:  # a chart of an error case: nothing to compare
            continue
        graph = ProcessGraph(process)
        handovers = Handovers(graph)
        nodes = process.nodes
        for source, target in zip(*graph.step_numbers):
            links += 1
            expected = is_handover(graph, nodes[source], nodes[target])
            handing_over += expected
            agreed += handovers.between(source, target) == expected
    assert links > 500 and handing_over > 100
    assert agreed == links
    process = parse_text(folded, "f.flow")
    graph = ProcessGraph(process)
    number = graph.number
    handovers = Handovers(graph)
    # Folded alike, one person: no hand-over between A, B and C; the owner of only spaces is
    # nobody's, so C hands over to D; bare markers hand nothing over; lanes differ from G to H.
    assert [handovers.between(number[s], number[t]) for s, t in ("AB", "BC", "CD", "SA", "GH", "HA")] == [
        False, False, True, False, True, True,
    ]
