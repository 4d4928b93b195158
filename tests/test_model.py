"""What a chart means: owners from lanes, starts and ends, links to subgraphs, edge data, durations."""

from __future__ import annotations

import pytest

from conftest import CASES, SAMPLES
from salesflow.graph import ProcessGraph
from salesflow.parse import parse_text

MODEL = CASES / "model"


def parse_case(name: str):
    path = MODEL / name
    return parse_text(path.read_text("utf-8"), path.name)


def test_a_lane_title_owns_its_nodes_unless_a_node_says_otherwise() -> None:
    process = parse_case("lanes-and-subgraph-links.flow")
    owners = {n.id: (n.owner, n.owner_from_lane, n.lane, n.subgraph) for n in process.nodes}
    assert owners["P1"] == ("渠道部", True, "partner", "partner")
    # A subgraph nested in a lane is still in the lane.
    assert owners["P2"] == ("渠道部", True, "partner", "vetting")
    assert owners["S1"] == ("销售部", True, "sales", "sales")
    assert owners["S2"] == ("法务专员", False, "sales", "sales")
    assert owners["Orphan"] == (None, False, None, None)
    lanes = {s.id: s.is_lane for s in process.subgraphs}
    assert lanes == {"vetting": False, "partner": True, "sales": True}


def test_links_to_a_subgraph_lead_to_its_entry_and_leave_from_its_exit() -> None:
    process = parse_case("lanes-and-subgraph-links.flow")
    graph = ProcessGraph(process)
    assert not process.has_node("vetting"), "a subgraph id is not a node"
    assert graph.successors["P1"] == ["P2"]
    assert graph.successors["P2"] == ["S1"]


def test_starts_and_ends() -> None:
    graph = ProcessGraph(parse_case("starts-and-ends.flow"))
    # A has an incoming link (the retry), so nothing is a pure source except the lone circle D.
    assert graph.starts == ("D",)
    # C is a stadium with no way onward; D is a circle with no way onward.
    assert graph.ends == ("C", "D")
    assert [n.id for n in graph.process.nodes if n.is_decision] == ["B"]


def test_a_flow_that_loops_into_its_start_starts_at_its_first_node() -> None:
    graph = ProcessGraph(parse_case("loop-start.flow"))
    assert graph.starts == ("A",)
    assert graph.ends == ()


def test_declared_kinds_win() -> None:
    process = parse_text((SAMPLES / "b2b-lanes.flow").read_text("utf-8"))
    graph = ProcessGraph(process)
    assert graph.starts == ("M1",)
    assert set(graph.ends) == {"F3", "V4"}


def test_edge_data_by_edge_id() -> None:
    process = parse_text((SAMPLES / "saas-funnel.flow").read_text("utf-8"))
    by_id = {e.id: e for e in process.edges if e.id}
    assert by_id["q1"].rate == pytest.approx(0.35)
    assert by_id["q1"].rate_text == "35%"
    assert by_id["q1"].note == "AE gets the BANT notes and call recording"
    assert not process.has_node("q1"), "edge data does not make a node"


def test_front_matter_and_node_data_are_read() -> None:
    process = parse_text((SAMPLES / "b2b-lanes.flow").read_text("utf-8"))
    assert process.title == "B2B项目型销售流程（部门泳道）"
    assert process.lang == "zh"
    assert process.target is not None and process.target.unit == "day" and process.target.hours == 120 * 24
    assert process.lanes == ("mkt", "sales", "finlegal", "delivery", "service")
    m1 = process.node("M1")
    assert m1.kind == "start"
    assert m1.due is not None and m1.due.text == "2个工作日" and m1.due.unit == "workday"
    assert m1.due.hours == pytest.approx(2 * 33.6)
    assert m1.steps == ("行业展会和线上研讨会收集名单", "官网留资24小时内入库")
    assert m1.owner == "市场部" and m1.owner_from_lane


def test_comments_are_kept_with_their_lines() -> None:
    text = (SAMPLES / "saas-funnel.flow").read_text("utf-8")
    process = parse_text(text)
    lines = text.split("\n")
    assert process.comments, "the sample has comments"
    for comment in process.comments:
        assert lines[comment.span.line - 1].strip() == "%%" + comment.text


def test_yaml_scalars_stay_text() -> None:
    process = parse_text("flowchart LR\n  A@{ owner: no, note: 0123, steps: [yes, null, 1.50] }\n")
    node = process.node("A")
    assert node.owner == "no" and node.note == "0123"
    assert node.steps == ("yes", "null", "1.50")


def test_multi_line_node_data() -> None:
    text = "flowchart LR\n  A[报价]@{\n    owner: 销售经理\n    steps:\n      - 确认折扣\n      - 发送报价单\n  }\n"
    node = parse_text(text).node("A")
    assert node.owner == "销售经理" and node.steps == ("确认折扣", "发送报价单")
    assert node.data_span is not None and (node.data_span.line, node.data_span.end_line) == (2, 7)


def test_a_yaml_bomb_stops_with_a_clear_message() -> None:
    from salesflow.errors import ParseError

    # Each level repeats the one before ten times: 10**8 values if it were expanded.
    levels = ['  l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 8):
        levels.append(f"  l{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 10) + "]")
    text = "---\nconfig:\n" + "\n".join(levels) + "\ngoals: *l7\n---\nflowchart LR\n  A\n"
    with pytest.raises(ParseError) as caught:
        parse_text(text, "bomb.flow")
    assert "expands to too many values" in caught.value.message
    assert "100,000" in caught.value.message and "SALESFLOW_MAX_YAML_VALUES" in caught.value.message
    assert caught.value.path == "bomb.flow"


def test_nesting_deeper_than_the_limit_is_refused_by_name() -> None:
    from salesflow.errors import ParseError

    text = "flowchart TD\n" + "subgraph s\n" * 101 + "A\n" + "end\n" * 101
    with pytest.raises(ParseError) as caught:
        parse_text(text.replace("subgraph s\n", "subgraph s{}\n").format(*range(101)), "deep.flow")
    assert caught.value.line == 102
    assert "nest 101 levels deep" in caught.value.message
    assert "100 levels of nested subgraphs (set SALESFLOW_MAX_DEPTH to raise it)" in caught.value.message


def test_ten_thousand_nested_subgraphs_are_read_without_recursion(monkeypatch) -> None:
    monkeypatch.setenv("SALESFLOW_MAX_DEPTH", "20000")
    depth = 10_000
    text = (
        "---\nlanes: [s5]\n---\nflowchart TD\n"
        + "".join(f"subgraph s{i} [层{i}]\n" for i in range(depth))
        + "A --> B\n"
        + "end\n" * depth
    )
    process = parse_text(text)
    assert len(process.subgraphs) == depth
    assert process.node("A").subgraph == f"s{depth - 1}"
    assert process.node("A").lane == "s5" and process.node("A").owner == "层5"
    assert process.subgraphs[-1].id == "s0" and process.subgraphs[0].parent == f"s{depth - 2}"


def test_click_statements() -> None:
    text = (
        "flowchart LR\n  A --> B --> C --> D\n"
        '  click A "https://crm.example.com" "打开 CRM" _blank\n'
        '  click B href "https://contracts.example.com"\n'
        '  click C call showContract("C", 2024) "查看合同"\n'
        "  click D openInvoice\n"
    )
    clicks = [(c.node, c.action, c.target, c.tooltip, c.window) for c in parse_text(text).clicks]
    assert clicks == [
        ("A", "link", "https://crm.example.com", "打开 CRM", "_blank"),
        ("B", "link", "https://contracts.example.com", None, None),
        ("C", "callback", 'showContract("C", 2024)', "查看合同", None),
        ("D", "callback", "openInvoice", None, None),
    ]


def test_a_copy_with_other_nodes_or_edges_numbers_its_own_links() -> None:
    import dataclasses

    process = parse_text("flowchart LR\n  A --> B\n  B --> C\n")
    assert process.link_numbers() == ((0, 1), (1, 2))
    turned = dataclasses.replace(process, edges=process.edges[::-1])
    assert turned.link_numbers() == ((1, 0), (2, 1))
    assert ProcessGraph(turned).successors == {"A": ["B"], "B": ["C"], "C": []}
    reordered = dataclasses.replace(process, nodes=process.nodes[::-1])
    assert reordered.link_numbers() == ((2, 1), (1, 0))
    assert ProcessGraph(reordered).successors == {"C": [], "B": ["C"], "A": ["B"]}
    assert ProcessGraph(reordered).flow_order == ("A", "B", "C")
