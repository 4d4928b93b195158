"""`render -f dot`: the DOT graph — golden files for the samples, and what the layout must show.

The golden files in tests/golden/dot/ were read by eye (and their drawings looked at). After a
deliberate change to the drawing, regenerate them with
`SALESFLOW_UPDATE_GOLDEN=1 python3 -m pytest tests/test_render_dot.py`, look at the diff and at the
pictures (`salesflow render -f png`), and commit both together.

Layout properties are checked on the real `dot`'s own reading of the graph (`-Tjson`): lanes
that span the flow in their declared order, nodes inside their lane, shapes, edge kinds.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, bench_charts, golden, require_binary

from salesflow.findings import Finding
from salesflow.model import Process
from salesflow.parse import parse_text
from salesflow.render.dot import LARGE_CHART_NODES, to_dot
from salesflow.sources import charts_in

GOLDEN = ROOT / "tests" / "golden" / "dot"
ACCEPT = ROOT / "tests" / "corpus" / "accept"


def sample_charts() -> list[tuple[str, str]]:
    charts = []
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in (".flow", ".md"):
            for chart in charts_in(str(path)):
                charts.append((path.stem + (f"-{chart.block}" if chart.block else ""), chart.text))
    return charts


SAMPLE_CHARTS = sample_charts()

# Most tests here lay the graph out with the real `dot`; the module is marked as a whole.
pytestmark = pytest.mark.graphviz


@pytest.mark.parametrize("name, text", SAMPLE_CHARTS, ids=[n for n, _t in SAMPLE_CHARTS])
def test_golden(name: str, text: str) -> None:
    golden(GOLDEN / f"{name}.dot", to_dot(parse_text(text, name)))


def test_same_bytes_whatever_the_hash_seed() -> None:
    """No set or dict order leaks into the output: two interpreters with other seeds agree."""
    code = (
        "import sys; from salesflow.parse import parse_file; from salesflow.render.dot import to_dot;"
        "sys.stdout.write(to_dot(parse_file('samples/b2b-lanes.flow')))"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


# ---------------------------------------------------------------------------------------------
# Laid out by the real dot


def layout(dot_text: str) -> dict:
    dot = require_binary("dot")
    done = subprocess.run([dot, "-Tjson"], input=dot_text.encode("utf-8"), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return json.loads(done.stdout)


def boxes(graph: dict) -> dict[str, tuple[float, ...]]:
    return {o["name"]: tuple(map(float, o["bb"].split(","))) for o in graph["objects"] if "bb" in o}


def positions(graph: dict) -> dict[str, tuple[float, float]]:
    return {o["name"]: tuple(map(float, o["pos"].split(","))) for o in graph["objects"] if "pos" in o}


def load(name: str) -> Process:
    path = SAMPLES / name if (SAMPLES / name).exists() else ACCEPT / name
    return parse_text(path.read_text(encoding="utf-8"), name)


def test_lanes_are_swimlanes_across_the_whole_flow_in_declared_order() -> None:
    process = load("b2b-lanes.flow")
    graph = layout(to_dot(process))
    bb = boxes(graph)
    lanes = [f"cluster_{[s.id for s in process.subgraphs].index(lane)}" for lane in process.lanes]
    lefts = {round(bb[c][0], 1) for c in lanes}
    rights = {round(bb[c][2], 1) for c in lanes}
    assert len(lefts) == 1 and len(rights) == 1, "every lane spans the same width"
    tops = [bb[c][3] for c in lanes]
    assert tops == sorted(tops, reverse=True), "lanes are stacked in the order `lanes:` lists them"
    for upper, lower in zip(lanes, lanes[1:]):
        assert bb[upper][1] >= bb[lower][3], "lanes do not overlap"
    where = positions(graph)
    for node in process.nodes:
        x0, y0, x1, y1 = bb[lanes[list(process.lanes).index(node.lane)]]
        x, y = where[node.id]
        assert x0 <= x <= x1 and y0 <= y <= y1, f"{node.id} is inside its lane"


def test_lanes_in_a_top_down_chart_are_columns() -> None:
    text = (ACCEPT / "175-front-matter-salesflow-keys.mmd").read_text(encoding="utf-8").replace("flowchart LR", "flowchart TD")
    process = parse_text(text)
    bb = boxes(layout(to_dot(process)))
    lanes = [f"cluster_{[s.id for s in process.subgraphs].index(lane)}" for lane in process.lanes]
    assert len({round(bb[c][1], 1) for c in lanes}) == 1 and len({round(bb[c][3], 1) for c in lanes}) == 1
    lefts = [bb[c][0] for c in lanes]
    assert lefts == sorted(lefts)


def test_main_flow_runs_in_the_chart_direction_and_loops_do_not_rank() -> None:
    process = load("annotated-ten-stages.flow")
    dot = to_dot(process)
    assert '"S10" -> "S1"' in dot and 'constraint=false' in dot.split('"S10" -> "S1"')[1].split("\n")[0]
    where = positions(layout(dot))
    main = ["S1", "S2", "Q1", "S3", "S4", "S5", "S6", "S7", "Q2", "S8", "S9", "S10", "E1"]
    heights = [where[n][1] for n in main]
    assert heights == sorted(heights, reverse=True), "top to bottom, in order"


def node_attributes(graph: dict, node_id: str) -> dict:
    return next(o for o in graph["objects"] if o.get("name") == node_id)


def test_shapes_follow_mermaid() -> None:
    graph = layout(to_dot(load("039-shapes-all-in-one-chain.mmd")))
    expected = {
        "s1": "box", "s2": "box", "s3": "box", "s4": "box", "s5": "cylinder", "s6": "circle", "s7": "cds",
        "s8": "diamond", "s9": "hexagon", "s10": "parallelogram", "s11": "polygon", "s12": "trapezium",
        "s13": "invtrapezium", "s14": "doublecircle",
    }
    for node_id, shape in expected.items():
        assert node_attributes(graph, node_id)["shape"] == shape, node_id
    assert "rounded" in node_attributes(graph, "s2")["style"] and node_attributes(graph, "s4")["peripheries"] == "2"
    data_shapes = layout(to_dot(load("183-node-data-with-shape.mmd")))
    assert [node_attributes(data_shapes, n)["shape"] for n in ("A", "B", "C")] == ["box", "diamond", "note"]


def test_edge_kinds() -> None:
    text = (
        "flowchart LR\n  A --> B\n  B -.-> C\n  C ==> D\n  D ~~~ E\n  E --o F\n  F --x G\n"
        "  G <--> H\n  H --- I\n  I ----> J\n"
    )
    dot = to_dot(parse_text(text), wrap=0)  # unwrapped: ten stages in a row would otherwise wrap
    line = {edge: next(l for l in dot.splitlines() if l.strip().startswith(edge)) for edge in (
        '"A" -> "B"', '"B" -> "C"', '"C" -> "D"', '"D" -> "E"', '"E" -> "F"', '"F" -> "G"', '"G" -> "H"',
        '"H" -> "I"', '"I" -> "J"')}
    assert "style" not in line['"A" -> "B"']
    assert 'style="dashed"' in line['"B" -> "C"']
    assert "penwidth" in line['"C" -> "D"']
    assert 'style="invis"' in line['"D" -> "E"']
    assert "arrowhead=dot" in line['"E" -> "F"'] and "arrowhead=tee" in line['"F" -> "G"']
    assert "dir=both" in line['"G" -> "H"'] and "dir=none" in line['"H" -> "I"']
    assert "minlen=3" in line['"I" -> "J"']
    layout(dot)  # and dot takes it


def test_owner_and_deadline_under_the_label_and_switchable() -> None:
    process = load("annotated-ten-stages.flow")
    with_meta = to_dot(process)
    assert "市场专员 · 1个工作日" in with_meta
    without = to_dot(process, show_meta=False)
    assert "市场专员" not in without.split("S1")[1].split("\n")[0] and "1个工作日" not in without
    lanes = to_dot(load("b2b-lanes.flow"))
    s1 = next(l for l in lanes.splitlines() if l.strip().startswith('"S1"'))
    s4 = next(l for l in lanes.splitlines() if l.strip().startswith('"S4"'))
    assert "销售部" not in s1.split("label=")[1].split(", id=")[0], "the lane already names the owner"
    assert "销售总监 · 10个工作日" in s4


def test_edge_labels_rates_and_notes() -> None:
    dot = to_dot(load("saas-funnel.flow"))
    # `qual` leads to `disc` past `nurture`, in the same row of the wrapped flow: the link goes
    # round the outside of the row (above the first row, where no loop runs) through its label.
    label = next(l for l in dot.splitlines() if 'id="sf-edge-1-label"' in l)
    assert "yes, SQL" in label and "35%" in label and "AE gets the BANT notes" in label
    assert '"qual" -> "sf loop-1" [constraint=false' in dot and "tailport=n" in dot
    assert '"sf loop-1" -> "disc" [constraint=false' in dot


def finding(code: str, rule: str, severity: str, node: str | None = None, edge: int | None = None) -> Finding:
    return Finding("p.flow", 1, 1, 1, 2, code, rule, severity, f"{rule} here", node=node, edge=edge)


def test_highlight_marks_nodes_and_edges_and_adds_a_legend() -> None:
    process = load("classic-seven-stages.flow")
    findings = [
        finding("SF101", "missing-owner", "error", node="A"),
        finding("SF201", "missing-deadline", "warning", node="A"),
        finding("SF304", "dead-end", "warning", node="G"),
        finding("SF601", "handoff-without-note", "info", edge=2),
        finding("SF702", "goal-not-smart", "warning"),
        finding("SF999", "ghost", "error", node="nope"),
    ]
    dot = to_dot(process, findings=findings)
    line = {n: next(l for l in dot.splitlines() if l.strip().startswith(f'"{n}" [')) for n in "ABG"}
    assert 'color="#c92a2a"' in line["A"] and "⚠\u00a0missing-owner," in line["A"] and "missing-deadline<" in line["A"]
    assert 'color="#d9822b"' in line["G"] and "dead-end" in line["G"]
    assert "penwidth" not in line["B"]
    edge = next(l for l in dot.splitlines() if l.strip().startswith('"C" -> "D"'))
    assert 'color="#2f6fbf"' in edge and "handoff-without-note" in edge
    assert "error (2)" in dot and "warning (3)" in dot and "info (1)" in dot
    assert "whole chart: goal-not-smart, ghost" in dot
    assert "sf-error" in line["A"]
    layout(dot)
    assert "error (" not in to_dot(process), "no legend without findings"


def test_classdef_and_style_colours_are_honoured_and_nothing_else() -> None:
    text = (
        "flowchart LR\n  A --> B --> C\n  classDef hot fill:#f96,stroke:#333,stroke-width:3px\n"
        "  class A hot\n  style B fill:javascript:alert,color:expression,stroke:red\n"
        '  click A "https://example.com/a" "打开" _blank\n  click B "javascript:alert(1)"\n'
    )
    dot = to_dot(parse_text(text))
    a = next(l for l in dot.splitlines() if l.strip().startswith('"A" ['))
    b = next(l for l in dot.splitlines() if l.strip().startswith('"B" ['))
    assert 'fillcolor="#ff9966"' in a and 'color="#333333"' in a and 'penwidth="3"' in a
    assert 'URL="https://example.com/a"' in a and 'target="_blank"' in a
    assert "javascript" not in dot and 'color="red"' in b


def test_each_node_takes_its_own_clicks_the_first_tooltip_and_the_first_web_link() -> None:
    text = (
        "flowchart LR\n  A --> B --> C\n"
        '  click A callback\n  click B "javascript:alert(1)" "脚本"\n  click A "https://example.com/a" "打开报价单"\n'
        '  click B "https://example.com/b" _self\n  click A "https://example.com/second" "第二个"\n'
    )
    lines = {l.strip().split(" [")[0]: l for l in to_dot(parse_text(text)).splitlines() if l.strip().startswith('"')}
    assert 'URL="https://example.com/a"' in lines['"A"'] and "second" not in lines['"A"']
    assert 'tooltip="A\\n打开报价单' in lines['"A"'] and "第二个" not in lines['"A"']
    assert 'URL="https://example.com/b"' in lines['"B"'] and 'target="_self"' in lines['"B"']
    assert 'tooltip="B\\n脚本' in lines['"B"'] and "javascript" not in lines['"B"']
    assert "URL=" not in lines['"C"'] and "example.com" not in lines['"C"']


def test_drawing_a_chart_leaves_nothing_for_the_garbage_collector() -> None:
    """The studio draws the chart again on every edit: the drawing's working state (thousands of
    objects for a large chart) is freed as soon as the text is written, not kept alive by a
    reference cycle until the garbage collector runs."""
    import gc

    text = (
        "flowchart LR\n  subgraph Sales\n    A --> B --> C --> D --> E --> F --> G --> H\n  end\n"
        "  subgraph Review\n    subgraph Legal\n      L1 --> L2\n    end\n    R1 --> L1\n  end\n  H --> R1\n"
    )
    process = parse_text(text)
    for options in ({}, {"wrap": 3}, {"direction": "TB", "wrap": 2}):
        to_dot(process, **options)
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            to_dot(process, **options)
            gc.collect()
            left = [type(o).__name__ for o in gc.garbage]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
        assert not left, (options, left[:10])


def test_edges_to_subgraphs_meet_their_border_and_empty_subgraphs_show() -> None:
    dot = to_dot(load("136-subgraph-edges-to-subgraph.mmd"))
    assert "lhead=cluster_0" in dot and "ltail=cluster_0" in dot and "lhead=cluster_1" in dot
    empty = to_dot(parse_text("flowchart LR\n  subgraph e [空]\n  end\n  A --> e\n"))
    assert '"sf empty-0"' in empty and '"A" -> "sf empty-0"' in empty
    layout(empty)


# Every name the drawing gives its own invisible nodes, in the forms it has ever used, and the
# names of its clusters: as node ids, each must still be drawn as a visible node of its own.
INTERNAL_NAMES = [
    "sf-first", "sf-last", "sf-lane-0-first", "sf-lane-0-last", "sf-lane-1-first", "sf-lane-1-last",
    "sf-empty-0", "sf-empty-1", "sf-empty-2", "sf-band-0-first", "sf-band-1-last", "cluster_0", "cluster_1", "cluster_2", "sf-node-0", "sf-edge-0",
    "node", "edge",
]


def test_no_node_id_can_collide_with_the_drawing_s_own_nodes() -> None:
    nodes = "\n".join(f"        {name}[{name}]" for name in INTERNAL_NAMES)
    text = (
        "---\nlanes: [one, two]\n---\nflowchart LR\n"
        f"    subgraph one[One]\n{nodes}\n    end\n"
        "    subgraph two[Two]\n        T[Two]\n    end\n"
        "    subgraph empty[Empty]\n    end\n"
        + "".join(f"    {a} --> {b}\n" for a, b in zip(INTERNAL_NAMES, INTERNAL_NAMES[1:]))
        + f"    {INTERNAL_NAMES[-1]} --> T\n    T --> empty\n"
    )
    process = parse_text(text)
    assert [n.id for n in process.nodes] == INTERNAL_NAMES + ["T"]
    dot_text = to_dot(process)
    bands = set(re.findall(r'"sf band-(\d+)-first"', dot_text))
    assert len(bands) >= 2 and '"sf empty-2"' in dot_text  # the drawing's anchors are there
    svg = ET.fromstring(subprocess.run(
        [require_binary("dot"), "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, check=True, timeout=120
    ).stdout)
    ns = "{http://www.w3.org/2000/svg}"
    for index, name in enumerate(INTERNAL_NAMES):
        group = next((g for g in svg.iter(ns + "g") if g.get("id") == f"sf-node-{index}"), None)
        assert group is not None, name
        shown = "".join("".join(t.itertext()) for t in group.iter(ns + "text"))
        assert shown.startswith(name), (name, shown)
        outline = next(e for e in group.iter() if e.tag in (ns + "polygon", ns + "path"))
        assert outline.get("fill") not in (None, "none") and outline.get("stroke") not in (None, "none"), name
    graph = layout(dot_text)
    names = [o["name"] for o in graph["objects"] if "pos" in o]
    turns = set(re.findall(r'"sf turn-[^"]+"', dot_text))  # a wrapped lane's turning points
    assert len(names) == len(set(names)) == len(process.nodes) + 2 * len(bands) + 1 + len(turns)  # band anchors, stand-in


def test_large_lane_charts_keep_their_lanes_and_large_layered_charts_are_tuned() -> None:
    chart = bench_charts().chart

    # Lanes stay bands at any size: dot lays the bands out faster than a capped layered drawing.
    big = to_dot(parse_text(chart(LARGE_CHART_NODES + 1)))
    assert "nslimit" not in big and '"sf band-0-first"' in big and "cluster_0" in big
    small = to_dot(parse_text(chart(50)))
    assert "nslimit" not in small and '"sf band-0-first"' in small
    # Twenty parallel flows of twenty stages, no lanes: not a strip, so not wrapped; dot's own
    # ranks, capped.
    grid = "flowchart TD\n" + "".join(
        f"  s{row}_{col} --> s{row}_{col + 1}\n" for row in range(20) for col in range(19)
    )
    layered = to_dot(parse_text(grid))
    assert "nslimit=1" in layered and '"sf band-' not in layered


def test_other_engines_get_no_ranks() -> None:
    dot = to_dot(load("b2b-lanes.flow"), engine="sfdp")
    assert "overlap=scale" in dot and '"sf band-' not in dot and "constraint=false" not in dot


# ---------------------------------------------------------------------------------------------
# Hostile text all the way through dot

HOSTILE = [
    '"] [shape=box, label="pwned"] x [label="',
    ">]; injected [label=<x>]; a [label=<",
    "<script>alert(1)</script>",
    "x\\N\\G\\L\\n back\\",
    "&amp; &#60; #quot;",
    "line\nbreak\r\nand\ttab",
    "subgraph cluster_x { evil }",
]


def test_hostile_text_is_shown_not_obeyed() -> None:
    base = parse_text("---\ntitle: t\n---\nflowchart LR\n  subgraph s [S]\n    A\n  end\n  A -->|x| B\n  A@{ owner: o, due: 1d }\n")
    for text in HOSTILE:
        nodes = tuple(dataclasses.replace(n, label=text, owner=text) for n in base.nodes)
        edges = tuple(dataclasses.replace(e, label=text, note=text) for e in base.edges)
        subgraphs = tuple(dataclasses.replace(s, title=text) for s in base.subgraphs)
        process = dataclasses.replace(base, nodes=nodes, edges=edges, subgraphs=subgraphs, title=text)
        dot = require_binary("dot")
        done = subprocess.run([dot, "-Tsvg"], input=to_dot(process).encode("utf-8"), capture_output=True, timeout=60)
        assert done.returncode == 0, (text, done.stderr)
        root = ET.fromstring(done.stdout)
        ns = "{http://www.w3.org/2000/svg}"
        groups = [(g.get("class") or "").split(" ")[0] for g in root.iter(ns + "g")]
        assert groups.count("node") == 2 and groups.count("edge") == 1 and groups.count("cluster") == 1, text
        assert not list(root.iter(ns + "script")), text
        shown = " ".join("".join(t.itertext()) for t in root.iter(ns + "text")).replace("\xa0", " ")
        first_line = text.splitlines()[0].replace("\t", " ")
        assert first_line.split("<")[0][:10] in shown, (text, shown)


def test_cjk_font_is_used_for_every_text() -> None:
    dot = to_dot(load("b2b-lanes.flow"))
    assert dot.count('fontname="Noto Sans CJK SC"') == 3  # graph, nodes, edges
    assert "Times" not in dot


CORPUS = sorted(ACCEPT.glob("*.mmd"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_every_corpus_chart_draws_without_a_warning(path: Path) -> None:
    """Every construct the parser reads (edges to subgraphs, empty subgraphs, self-loops, every
    shape and link) gives DOT that dot lays out without an error or a warning."""
    dot = require_binary("dot")
    text = to_dot(parse_text(path.read_text(encoding="utf-8"), path.name))
    done = subprocess.run([dot, "-Tsvg"], input=text.encode("utf-8"), capture_output=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr.decode("utf-8", "replace")


def test_an_earlier_stage_stays_with_the_stages_it_belongs_to() -> None:
    """Lost and churned deals go back to nurturing: those edges are drawn as loops, so nurturing
    sits beside qualification rather than after the renewal at the far end."""
    process = load("saas-funnel.flow")
    dot = to_dot(process)
    for source in ("lost", "churn"):
        # Between two rows, a link back is written from the earlier row, its arrow turned.
        line = next(l for l in dot.splitlines() if l.strip().startswith(
            (f'"{source}" -> "nurture"', f'"nurture" -> "{source}"')) and "label=" in l)
        assert "constraint=false" in line
    where = positions(layout(dot))
    assert where["nurture"][0] < where["demo"][0]


def test_the_text_written_in_pieces_is_the_same_text() -> None:
    """What Graphviz is given while the text is written (render -f svg|png|pdf) is, piece by
    piece, the DOT text of `render -f dot`, with the same lines named for Graphviz's errors."""
    from salesflow.lint import lint
    from salesflow.render.dot import STREAM_LINES, dot_with_origins, stream_dot

    text = bench_charts().chart(120)
    process = parse_text(text, "big.flow")
    findings = lint(process, source=text)
    for options in ({}, {"findings": findings, "direction": "TB"}, {"wrap": 0, "show_meta": False}):
        whole, origins = dot_with_origins(process, **options)
        pieces: list[str] = []
        assert stream_dot(process, pieces.append, **options) == origins
        assert "".join(pieces) == whole
        assert len(pieces) == -(-whole.count("\n") // STREAM_LINES) > 1
        assert all(piece.endswith("\n") for piece in pieces)


def test_a_text_of_whole_pieces_ends_with_its_last_line(monkeypatch) -> None:
    """A text whose lines fill its last piece exactly is given no blank line after it."""
    from salesflow.render import dot

    process = parse_text(bench_charts().chart(50), "big.flow")
    whole = to_dot(process)
    lines = whole.count("\n")
    monkeypatch.setattr(dot, "STREAM_LINES", next(size for size in range(lines // 3, lines) if lines % size == 0))
    pieces: list[str] = []
    dot.stream_dot(process, pieces.append)
    assert "".join(pieces) == whole and len(pieces) == lines // dot.STREAM_LINES


def test_a_large_charts_bands_are_planned_from_a_sample_of_its_stages_as_from_all(monkeypatch) -> None:
    """Over 300 stages the mean room a stage takes, which sets how long a wrapped lane's rows are,
    is measured on 200 of them (dot_bands._measure_extents). On the bench's charts, whose stages
    repeat every ten, drawn both ways, the DOT text is the one every stage measured gives."""
    from salesflow.render import dot_bands

    chart = bench_charts().chart
    processes = [parse_text(chart(nodes)) for nodes in (400, 1_000, 2_000)]
    processes += [dataclasses.replace(process, direction="TB") for process in processes]
    sampled = [to_dot(process) for process in processes]
    monkeypatch.setattr(dot_bands, "LARGE_CHART_NODES", 10**9)  # every stage measured
    assert [to_dot(process) for process in processes] == sampled
