"""The geometry checker itself (tests/geometry.py), on tiny drawings whose defects are known.

Most cases are Graphviz JSON written by hand, so each position is known; one runs the real
`neato -n` on nodes pinned in place, to read what Graphviz itself writes.
"""

from __future__ import annotations

import json
import subprocess

from conftest import require_binary

from geometry import Lane, check, read_layout


def node(
    gvid: int, name: str, x: float, y: float, w: float = 72, h: float = 36, shape: str = "box", text: str = ""
) -> dict:
    obj = {"_gvid": gvid, "name": name, "pos": f"{x},{y}", "width": str(w / 72), "height": str(h / 72), "shape": shape}
    if text:
        obj["_ldraw_"] = [{"op": "F", "size": 12.0, "face": "x"},
                          {"op": "T", "pt": [x, y - 4], "align": "c", "width": 8.0 * len(text), "text": text}]
    return obj


def edge(tail: int, head: int, points: list, label: str = "", at: tuple = (0, 0), key: str = "") -> dict:
    obj: dict = {"tail": tail, "head": head, "_draw_": [{"op": "b", "points": points}]}
    if key:
        obj["id"] = key
    if label:
        obj["_ldraw_"] = [{"op": "F", "size": 10.0, "face": "x"},
                          {"op": "T", "pt": list(at), "align": "c", "width": 8.0 * len(label), "text": label}]
    return obj


def graph(objects: list, edges: list, bb: str = "0,0,400,200", rankdir: str = "LR", subgraphs: int = 0) -> dict:
    return {"bb": bb, "rankdir": rankdir, "_subgraph_cnt": subgraphs, "objects": objects, "edges": edges}


def straight(a: tuple, b: tuple) -> list:
    """A straight Bézier segment from a to b."""
    return [list(a), [a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3],
            [a[0] + 2 * (b[0] - a[0]) / 3, a[1] + 2 * (b[1] - a[1]) / 3], list(b)]


THREE_IN_A_ROW = [node(0, "A", 50, 100), node(1, "B", 200, 100), node(2, "C", 350, 100)]


def test_a_clean_chain_has_no_defect() -> None:
    report = check(read_layout(graph(THREE_IN_A_ROW, [
        edge(0, 1, straight((86, 100), (164, 100)), "yes", (125, 110)),
        edge(1, 2, straight((236, 100), (314, 100)), "no", (275, 110)),
    ])))
    assert report.total == 0, report.details


def test_an_edge_straight_through_a_node_between_its_ends() -> None:
    report = check(read_layout(graph(THREE_IN_A_ROW, [edge(0, 2, straight((86, 100), (314, 100)), key="e1")])))
    assert report.counts["edge_through_node"] == 1
    assert "e1 (A → C) through B" in report.details[0]


def test_an_edge_bowing_around_the_node_does_not_go_through_it() -> None:
    around = [[86, 100], [150, 180], [250, 180], [314, 100]]  # the curve's top is at y=160, B's at 118
    report = check(read_layout(graph(THREE_IN_A_ROW, [edge(0, 2, around)])))
    assert report.counts["edge_through_node"] == 0


def test_a_diamond_is_its_shape_not_its_box() -> None:
    objects = [node(0, "A", 50, 100), node(1, "D", 200, 100, 80, 80, "diamond"), node(2, "C", 350, 100)]
    corner = straight((160, 150), (175, 125))  # cuts the corner of D's box (160..240 × 60..140), not the diamond
    assert check(read_layout(graph(objects, [edge(0, 2, corner)]))).counts["edge_through_node"] == 0
    middle = straight((86, 110), (314, 110))
    assert check(read_layout(graph(objects, [edge(0, 2, middle)]))).counts["edge_through_node"] == 1


def test_two_edge_labels_on_top_of_each_other() -> None:
    report = check(read_layout(graph(THREE_IN_A_ROW, [
        edge(0, 1, straight((86, 100), (164, 100)), "yes", (125, 60)),
        edge(0, 1, straight((86, 90), (164, 90)), "rework", (128, 62)),
    ])))
    assert report.counts["label_overlap"] == 1
    # Labels apart: no defect.
    report = check(read_layout(graph(THREE_IN_A_ROW, [
        edge(0, 1, straight((86, 100), (164, 100)), "yes", (125, 60)),
        edge(0, 1, straight((86, 90), (164, 90)), "rework", (125, 40)),
    ])))
    assert report.counts["label_overlap"] == 0


def test_a_link_through_its_own_label() -> None:
    """A link drawn across its own label's text: the label stands clear of every other element,
    so only this category sees it; beside the link, or grazing it, it counts nothing."""
    down = [node(0, "A", 100, 150), node(1, "B", 100, 30)]
    # Two lines, the first (width 80) centred 20 pt left of the link: it runs across them.
    crossed = edge(0, 1, straight((100, 132), (100, 48)), "go", (80, 95), key="e1")
    crossed["_ldraw_"] += [{"op": "T", "pt": [80, 85], "align": "c", "width": 80.0, "text": "to the next"}]
    report = check(read_layout(graph(down, [crossed], rankdir="TB")))
    assert report.counts["link_through_own_label"] == 1, report.details
    assert "e1 (A → B) through its label's 'to the next'" in report.details[0]
    assert report.flaws == []  # held at a reviewed count (tests/test_layout.py), like detours
    beside = edge(0, 1, straight((100, 132), (100, 48)), "to the next", (145, 90))  # text 101..189
    assert check(read_layout(graph(down, [beside], rankdir="TB"))).counts["link_through_own_label"] == 0
    grazing = edge(0, 1, straight((100, 132), (100, 48)), "to the next", (144.5, 90))  # text from 100.5
    assert check(read_layout(graph(down, [grazing], rankdir="TB"))).counts["link_through_own_label"] == 0


def test_an_edge_label_over_a_node() -> None:
    report = check(read_layout(graph(THREE_IN_A_ROW, [
        edge(0, 1, straight((86, 100), (164, 100)), "hand over", (190, 110)),
    ])))
    assert report.counts["label_on_node"] == 1


def test_a_highlight_tag_over_an_edge_label() -> None:
    tagged = node(1, "B", 200, 100, 120, 60, text="Quote")
    tagged["_ldraw_"] += [{"op": "F", "size": 9.0, "face": "x"},
                          {"op": "T", "pt": [200, 80], "align": "c", "width": 90.0, "text": "⚠ duplicate-edge"}]
    objects = [node(0, "A", 50, 100), tagged, node(2, "C", 350, 100)]
    report = check(read_layout(graph(objects, [
        edge(0, 2, [[86, 100], [150, 20], [250, 20], [314, 100]], "yes, approved", (200, 78)),
    ])))
    assert report.counts["tag_over_label"] == 1
    assert report.counts["label_overlap"] == 1  # the edge's label also overlaps the node's text


def test_lanes_in_declared_order_and_nodes_inside() -> None:
    lane_a = {"_gvid": 0, "name": "cluster_0", "id": "sf-subgraph-0", "bb": "0,110,400,200"}
    lane_b = {"_gvid": 1, "name": "cluster_1", "id": "sf-subgraph-1", "bb": "0,0,400,100"}
    objects = [lane_a, lane_b, node(2, "A", 50, 150), node(3, "B", 200, 50), node(4, "C", 350, 150)]
    lanes = [Lane("Sales", "sf-subgraph-0", ("A", "C")), Lane("Finance", "sf-subgraph-1", ("B",))]
    layout = read_layout(graph(objects, [], subgraphs=2))
    assert check(layout, lanes).total == 0
    # Declared the other way round: the first lane is not on top.
    assert check(layout, lanes[::-1]).counts["lane_order"] == 1
    # In a top-down chart lanes are columns: these rows are out of order (not left to right).
    layout.rankdir = "TB"
    assert check(layout, lanes).counts["lane_order"] == 1
    # A node of Sales drawn in the Finance band.
    layout = read_layout(graph(objects, [], subgraphs=2))
    wrong = [Lane("Sales", "sf-subgraph-0", ("A", "B")), Lane("Finance", "sf-subgraph-1", ("C",))]
    assert check(layout, wrong).counts["node_outside_lane"] == 2


def test_lanes_that_do_not_start_and_end_in_one_line() -> None:
    """Rows of one length are in line; a row that starts 120 pt after the other is out of line,
    measured along the flow; columns (top-down) are measured down the page."""
    lane_a = {"_gvid": 0, "name": "cluster_0", "id": "sf-subgraph-0", "bb": "0,110,400,200"}
    lane_b = {"_gvid": 1, "name": "cluster_1", "id": "sf-subgraph-1", "bb": "0,0,400,100"}
    objects = [lane_a, lane_b, node(2, "A", 50, 150), node(3, "B", 200, 50), node(4, "C", 350, 150)]
    lanes = [Lane("Sales", "sf-subgraph-0", ("A", "C")), Lane("Finance", "sf-subgraph-1", ("B",))]
    assert check(read_layout(graph(objects, [], subgraphs=2)), lanes).total == 0
    lane_b["bb"] = "120,0,400,100"
    report = check(read_layout(graph(objects, [], subgraphs=2)), lanes)
    assert report.counts["lanes_out_of_line"] == 1 and report.total == 1
    assert "120 pt apart" in report.details[0]
    lane_b["bb"] = "1,0,399,100"  # within LANES_IN_LINE: in line
    assert check(read_layout(graph(objects, [], subgraphs=2)), lanes).total == 0
    # The same boxes as columns of a top-down chart: one runs from 0 to 100 down the page, the
    # other from 110 to 200 (and they are not side by side, so out of order too).
    report = check(read_layout(graph(objects, [], subgraphs=2)), lanes, "TB")
    assert report.counts["lanes_out_of_line"] == 1 and "110 pt apart" in report.details[-1]


def test_aspect_ratio_over_five_to_one() -> None:
    assert check(read_layout(graph([], [], bb="0,0,1010,200"))).counts["aspect"] == 1
    assert check(read_layout(graph([], [], bb="0,0,990,200"))).counts["aspect"] == 0
    assert check(read_layout(graph([], [], bb="0,0,100,600"))).counts["aspect"] == 1


def test_reads_what_graphviz_writes() -> None:
    """Pinned nodes in a row and a straight edge from the first to the last: through the middle one."""
    neato = require_binary("neato")
    text = """digraph { splines=line; node [shape=box, width=1, height=0.5, fixedsize=true]
      A [pos="0,0!"]; B [pos="150,0!"]; C [pos="300,0!"]
      A -> C [label="skip", id="skip"]; A -> B [label="next"] }"""
    done = subprocess.run([neato, "-n", "-Tjson"], input=text.encode(), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    layout = read_layout(json.loads(done.stdout))
    assert set(layout.nodes) == {"A", "B", "C"}
    assert {t.text for t in layout.texts} >= {"A", "B", "C", "skip", "next"}
    report = check(layout)
    assert report.counts["edge_through_node"] == 1
    assert any("skip (A → C) through B" in detail for detail in report.details)


def test_a_flow_drawn_backwards() -> None:
    """Left to right, the start on the right of its row is a flow drawn backwards; top-down, a start
    at the bottom of its column likewise."""
    row = read_layout(graph(THREE_IN_A_ROW, []))
    assert check(row, direction="LR", starts=["A"]).counts["start_not_first"] == 0
    assert check(row, direction="LR", starts=["C"]).counts["start_not_first"] == 1
    assert check(row, direction="RL", starts=["C"]).counts["start_not_first"] == 0
    column = read_layout(graph([node(0, "A", 100, 350), node(1, "B", 100, 200), node(2, "C", 100, 50)], []))
    assert check(column, direction="TB", starts=["A"]).counts["start_not_first"] == 0
    assert check(column, direction="TB", starts=["C"]).counts["start_not_first"] == 1
    assert check(column, direction="BT", starts=["C"]).counts["start_not_first"] == 0
    # Within lanes, the start is compared with the stages of its own lane only.
    lane_a = {"_gvid": 0, "name": "cluster_0", "id": "sf-subgraph-0", "bb": "0,110,400,200"}
    lane_b = {"_gvid": 1, "name": "cluster_1", "id": "sf-subgraph-1", "bb": "0,0,400,100"}
    objects = [lane_a, lane_b, node(2, "S", 200, 150), node(3, "X", 50, 50), node(4, "Y", 350, 150)]
    lanes = [Lane("One", "sf-subgraph-0", ("S", "Y")), Lane("Two", "sf-subgraph-1", ("X",))]
    assert check(read_layout(graph(objects, [], subgraphs=2)), lanes, "LR", ["S"]).total == 0


def polyline(*points: tuple) -> list:
    """Straight Bézier segments through `points`, as xdot writes a path of several segments."""
    out = [list(points[0])]
    for a, b in zip(points, points[1:]):
        out += straight(a, b)[1:]
    return out


def test_a_link_the_long_way_round_is_a_detour() -> None:
    """A and B are neighbours 150 pt apart: a link that runs out 400 pt and back is a detour; one
    that bows a little round a label is not."""
    far = polyline((86, 100), (86, 20), (600, 20), (600, 60), (164, 60), (164, 100))
    report = check(read_layout(graph(THREE_IN_A_ROW, [edge(0, 1, far, key="sf-edge-4")])))
    assert report.counts["detour"] == 1
    assert "sf-edge-4 (A → B)" in report.details[0]
    bow = [[86, 100], [110, 160], [140, 160], [164, 100]]
    assert check(read_layout(graph(THREE_IN_A_ROW, [edge(0, 1, bow)]))).counts["detour"] == 0


def test_a_link_through_its_label_is_measured_from_stage_to_stage() -> None:
    """salesflow draws a loop through its label as two edges, `sf-edge-N-start` to the label node
    and `sf-edge-N` on: their lengths add up, between the two stages."""
    label = node(3, "sf loop-4", 600, 40, 40, 16, "plaintext")
    out = straight((350, 82), (600, 40))
    back = straight((600, 40), (50, 82))
    near = [label, *THREE_IN_A_ROW]
    report = check(read_layout(graph(near, [edge(2, 3, out, key="sf-edge-4-start"), edge(3, 0, back, key="sf-edge-4")])))
    assert report.counts["detour"] == 0  # 850 pt for 300 between C and A: under three times
    far_label = node(3, "sf loop-4", 1500, 40, 40, 16, "plaintext")
    report = check(read_layout(graph([far_label, *THREE_IN_A_ROW], [
        edge(2, 3, straight((350, 82), (1500, 40)), key="sf-edge-4-start"),
        edge(3, 0, straight((1500, 40), (50, 82)), key="sf-edge-4"),
    ])))
    assert report.counts["detour"] == 1 and "sf-edge-4 (C → A)" in report.details[-1]


def test_a_link_through_waypoints_is_measured_from_stage_to_stage() -> None:
    """salesflow draws a link across lanes as parts through a waypoint in each lane between
    (`sf-edge-N-start`, `sf-edge-N-via-1`, `sf-edge-N`): they make one link from A to C, and their
    lengths add up; a way out past the end of the rows is a detour."""
    def link(*xs: float) -> list:
        points = [(50, 82), *((x, 40 - 10 * number) for number, x in enumerate(xs)), (350, 82)]
        waypoints = [node(3 + number, f"sf via-4-{number}", x, 40 - 10 * number, 2, 2, "point")
                     for number, x in enumerate(xs)]
        parts = [edge(tail, head, straight(a, b), key=f"sf-edge-4{suffix}") for tail, head, a, b, suffix in zip(
            [0, 3, 4], [3, 4, 2], points, points[1:], ["-start", "-via-1", ""])]
        return check(read_layout(graph([*THREE_IN_A_ROW, *waypoints], parts)))

    assert link(150, 250).counts["detour"] == 0
    report = link(1500, 1500)
    assert report.counts["detour"] == 1 and "sf-edge-4 (A → C)" in report.details[-1]
