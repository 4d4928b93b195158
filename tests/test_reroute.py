"""Links `dot` draws the long way round are drawn anew from its layout (salesflow/render/reroute.py).

A chart whose "retry" back to a stage of the lane above runs round the far end of the lanes
(1,399 pt for 366 pt between its stages) is drawn with the link between the two stages, its label
by it; a chart with no such link is drawn by `dot` exactly as before.
"""

from __future__ import annotations

import json
import math
import re
import subprocess

from conftest import ROOT, require_binary

from geometry import as_drawn, check, check_chart, dots_own, paths, read_layout, run_dot
from salesflow.parse import parse_text
from salesflow.render import picture, reroute
from salesflow.render.dot import to_dot

# (The loop back of tests/cases/reroute/loop-back-round-the-lane.flow, 1,120 pt for 104 pt when these
# tests were written, is now 183 pt as dot draws it from the writer's DOT: nothing left to repair.)
RETRY = ROOT / "tests" / "cases" / "reroute" / "handover-right-to-left.flow"
TEN_STAGES = ROOT / "samples" / "annotated-ten-stages.flow"


def _process(path):
    return parse_text(path.read_text(encoding="utf-8"), str(path))


def _as_dot_and_render_draw_it(text: str, key: str):
    """The link `key` of the DOT `text` as dot draws it, and as render draws it (repaired)."""
    before = {p.key: p for p in paths(read_layout(json.loads(dots_own(text, "json"))))}[key]
    after = {p.key: p for p in paths(read_layout(run_dot(text)))}[key]
    return before, after


def test_a_link_back_round_the_lanes_is_drawn_between_its_stages() -> None:
    require_binary("dot")
    require_binary("neato")
    process = _process(RETRY)
    text = to_dot(process)
    first = json.loads(dots_own(text, "json"))
    before = {p.key: p for p in paths(read_layout(first))}["sf-edge-25"]
    assert before.length > 1000  # as dot draws it: round the far end of the lanes
    after = {p.key: p for p in paths(read_layout(run_dot(text)))}["sf-edge-25"]
    assert after.length < 3 * after.distance and after.length < 400
    report = check_chart(process)
    assert report.total == 0, report.details


def test_the_picture_is_drawn_with_the_new_route_and_the_same_every_time() -> None:
    require_binary("dot")
    process = _process(RETRY)
    drawn = picture.render(process, output="svg", encoded=True)
    assert drawn == picture.render(process, output="svg", encoded=True)
    by_dot = dots_own(to_dot(process), "svg")
    assert drawn != by_dot
    assert drawn.startswith(b"<?xml") and drawn.rstrip().endswith(b"</svg>")
    assert b"sf&#45;edge&#45;25" in drawn  # the link keeps its id (and the stylesheet's hooks)


def test_a_drawing_without_a_detour_is_dots_own_byte_for_byte() -> None:
    require_binary("dot")
    process = _process(TEN_STAGES)
    by_dot = dots_own(to_dot(process), "svg")
    assert picture.render(process, output="svg", encoded=True) == by_dot


def _box(gvid: int, name: str, x: float, y: float) -> dict:
    return {"_gvid": gvid, "name": name, "pos": f"{x},{y}", "width": "1", "height": "0.5", "shape": "box"}


def test_a_link_round_a_stage_in_its_way_goes_round_it_close_by() -> None:
    # A → C drawn 1,000 pt up and back, B between them.
    far = "e,364,100 136,100 136,900 364,900 364,108"
    layout = {
        "bb": "0,0,500,1000", "_subgraph_cnt": 0,
        "objects": [_box(0, "A", 100, 100), _box(1, "B", 250, 100), _box(2, "C", 400, 100)],
        "edges": [{"tail": 0, "head": 2, "id": "sf-edge-0", "pos": far}],
    }
    routes = reroute.plan(layout)
    assert [route.key for route in routes] == ["sf-edge-0"]
    route = routes[0]
    assert route.length < 450
    tokens = route.positions["sf-edge-0"].split()
    assert tokens[0].startswith("e,")  # the arrow is kept, at C
    end = [float(v) for v in tokens[0][2:].split(",")]
    assert abs(end[0] - 400) <= 37 and abs(end[1] - 100) <= 19  # on C's outline
    points = [tuple(float(v) for v in token.split(",")) for token in tokens[1:]]
    assert (len(points) - 1) % 3 == 0  # whole cubic pieces
    for x, y in reroute._bezier_points(points):
        assert not (250 - 38 < x < 250 + 38 and 100 - 20 < y < 100 + 20), (x, y)  # clear of B
    assert max(y for _x, y in points) < 200  # round B close by, not round the chart


def test_a_layout_without_a_detour_plans_nothing() -> None:
    layout = {
        "bb": "0,0,500,200", "_subgraph_cnt": 0,
        "objects": [_box(0, "A", 100, 100), _box(1, "B", 250, 100)],
        "edges": [{"tail": 0, "head": 1, "id": "sf-edge-0", "pos": "e,214,100 136,100 160,100 190,100 206,100"}],
    }
    assert reroute.plan(layout) == []


def test_as_drawn_leaves_a_layout_without_a_detour_alone() -> None:
    require_binary("dot")
    text = to_dot(_process(TEN_STAGES))
    first_run = subprocess.run(["dot", "-Tjson0", "-Tjson"], input=text.encode("utf-8"), capture_output=True, check=True).stdout
    assert as_drawn(text, first_run) == json.loads(dots_own(text, "json"))


FEEDBACK_LOOP = ROOT / "tests" / "cases" / "reroute" / "feedback-loop-on-a-phone.flow"


def test_a_picture_fitted_to_a_phone_gets_its_long_link_drawn_anew() -> None:
    # `render -f png --fit phone` measures the ways to draw the chart before it draws one; the
    # one it draws has "退回" (n4 → n5) round the top of the lane and back, and is repaired as the
    # picture without a fit is.
    require_binary("dot")
    require_binary("neato")
    process = _process(FEEDBACK_LOOP)
    text, _origins, chosen = picture.fitted(
        picture.fitting_layouts(process),
        lambda **layout: picture.dot.dot_with_origins(process, **layout),
        lambda candidate, _o: picture.sizing(picture.measure(candidate), picture.FITS["phone"]),
    )
    layout = json.loads(dots_own(text, "json0"))
    assert [route.key for route in reroute.plan(layout)] == ["sf-edge-6"]
    size = picture._size_options(min(chosen.width_px, picture.MAX_SIDE_PX))
    by_dot = picture.run_graphviz(text, "png", graph_options=size)
    drawn = picture.render(process, output="png", fit="phone")
    assert drawn != by_dot
    assert drawn == picture.render(process, output="png", fit="phone")
    assert drawn == picture.run_graphviz(text, "png", graph_options=size, repair=True)


HANDOVER = ROOT / "tests" / "cases" / "reroute" / "handover-with-a-loop-across-lanes.flow"


def _svg_size(svg: bytes) -> tuple[float, float]:
    box = re.search(rb'viewBox="([-0-9. ]+)"', svg)
    assert box is not None
    _x, _y, width, height = (float(value) for value in box.group(1).split())
    return width, height


def test_a_repaired_picture_keeps_the_size_and_margin_dot_gave_it() -> None:
    # neato -n2 measures the drawing again from its stages and links, and would make this one
    # 62 pt narrower and 4 pt lower than dot did: part of the margin lost, the chart moved.
    require_binary("dot")
    require_binary("neato")
    process = _process(HANDOVER)
    text = to_dot(process)
    layout = json.loads(dots_own(text, "json0"))
    assert [route.key for route in reroute.plan(layout)] == ["sf-edge-25"]
    by_dot = dots_own(text, "svg")
    drawn = picture.render(process, output="svg", encoded=True)
    assert drawn != by_dot
    width, height = _svg_size(by_dot)
    drawn_width, drawn_height = _svg_size(drawn)
    assert abs(drawn_width - width) <= 1 and abs(drawn_height - height) <= 1
    frame = rb'<g id="graph0" class="graph" transform="[^"]*"'
    assert re.search(frame, drawn).group(0) == re.search(frame, by_dot).group(0)  # the chart where dot put it


def test_the_handbooks_phone_drawing_gets_its_long_link_drawn_anew(monkeypatch) -> None:
    # The phone drawing (one stage a row, links back as lettered jumps) seldom has such a link:
    # none of the generated charts does. Drawn in the chart's own layout instead, this one has
    # a link dot takes 1,603 pt round for 504 pt between its stages; the handbook draws it anew
    # as `render` does.
    require_binary("dot")
    require_binary("neato")
    from salesflow.handbook import chart
    from salesflow.handbook.svg import inline_svg

    monkeypatch.setattr(chart, "NARROW_LAYOUT", {})
    process = _process(HANDOVER)
    narrow = chart._narrow(process, "Handover", frozenset(), {})
    by_dot = dots_own(to_dot(process), "svg")
    rendered = picture.render(process, output="svg")

    def inlined(svg: str):
        return inline_svg(svg, "Handover", id_prefix=chart.NARROW_ID_PREFIX).markup

    assert narrow is not None
    assert narrow.markup != inlined(by_dot.decode("utf-8"))
    assert narrow.markup == inlined(rendered)


def test_a_repair_graphviz_refuses_leaves_dots_own_drawing(monkeypatch) -> None:
    """The repair only improves a drawing dot has already made: if Graphviz refuses the repaired
    text, the user gets dot's drawing, not an error. (An SVG's repair is drawn by neato only
    when svg_redraw.py cannot be sure of it.)"""
    require_binary("dot")
    from salesflow.render import svg_redraw

    process = _process(RETRY)
    by_dot = dots_own(to_dot(process), "svg")
    monkeypatch.setattr(reroute, "repaired_dot", lambda laid_out, routes, more=None: laid_out + "\\n}} not DOT {{\\n")
    assert picture.render(process, output="svg", encoded=True) != by_dot  # drawn in place, no neato run
    monkeypatch.setattr(svg_redraw, "redraw", lambda svg, layout, routes, moves, stretches=(): None)
    assert picture.render(process, output="svg", encoded=True) == by_dot


WAYPOINTS = ROOT / "tests" / "cases" / "reroute" / "waypoints-and-a-label-round-the-lanes.flow"


def test_a_link_through_waypoints_and_its_label_is_drawn_between_its_stages() -> None:
    # "feedback" (n12 → n29) runs through two waypoints and its label's node, four parts: dot
    # takes it 1,730 pt round the lane below for 483 pt between its stages.
    require_binary("dot")
    require_binary("neato")
    process = _process(WAYPOINTS)
    text = to_dot(process)
    layout = json.loads(dots_own(text, "json0"))
    assert sorted(part.key for part in reroute.Layout(layout).parts["sf-edge-35"]) == [
        "sf-edge-35", "sf-edge-35-start", "sf-edge-35-via-1", "sf-edge-35-via-2",
    ]
    before, after = _as_dot_and_render_draw_it(text, "sf-edge-35")
    assert before.length > 3 * before.distance
    assert after.length < 1.2 * after.distance
    report = check_chart(process)
    assert report.total == 0, report.details


def _point(gvid: int, name: str, x: float, y: float) -> dict:
    return {"_gvid": gvid, "name": name, "pos": f"{x},{y}", "width": "0.01", "height": "0.01", "shape": "point",
            "style": "invis"}


def test_every_part_of_a_link_through_waypoints_is_drawn_anew_and_meets_the_next() -> None:
    # A → C through two waypoints, drawn 1,000 pt up and back; the waypoints go onto the new
    # route, where one part ends and the next begins.
    layout = {
        "bb": "0,0,500,1000", "_subgraph_cnt": 0,
        "objects": [_box(0, "A", 100, 100), _box(1, "B", 250, 100), _box(2, "C", 400, 100),
                    _point(3, "w1", 136, 900), _point(4, "w2", 364, 900)],
        "edges": [
            {"tail": 0, "head": 3, "id": "sf-edge-0-start", "pos": "136,100 136,400 136,700 136,900"},
            {"tail": 3, "head": 4, "id": "sf-edge-0-via-1", "pos": "136,900 200,900 300,900 364,900"},
            {"tail": 4, "head": 2, "id": "sf-edge-0", "pos": "e,364,100 364,900 364,700 364,400 364,108"},
        ],
    }
    routes = reroute.plan(layout)
    assert [route.key for route in routes] == ["sf-edge-0"]
    route = routes[0]
    assert sorted(route.positions) == ["sf-edge-0", "sf-edge-0-start", "sf-edge-0-via-1"]
    assert route.length < 450
    curves = {}
    for key, pos in route.positions.items():
        tokens = pos.split()
        curves[key] = [tuple(float(v) for v in token.split(",")) for token in tokens if not token.startswith("e,")]
    assert route.positions["sf-edge-0"].startswith("e,")  # the arrow is kept, on the last part
    for before, after, waypoint in (("sf-edge-0-start", "sf-edge-0-via-1", "w1"), ("sf-edge-0-via-1", "sf-edge-0", "w2")):
        assert curves[before][-1] == curves[after][0]
        assert math.dist(curves[before][-1], route.moved_nodes[waypoint]) < 0.01
    for points in curves.values():
        for x, y in reroute._bezier_points(points):
            assert not (250 - 38 < x < 250 + 38 and 100 - 20 < y < 100 + 20), (x, y)  # clear of B
            assert y < 200  # round B close by, not round the chart


def test_a_link_drawn_through_a_stage_is_routed_round_it() -> None:
    # A → C drawn straight through B, which is no detour: the link is routed round B all the same.
    layout = {
        "bb": "0,0,500,200", "_subgraph_cnt": 0,
        "objects": [_box(0, "A", 100, 100), _box(1, "B", 250, 100), _box(2, "C", 400, 100)],
        "edges": [{"tail": 0, "head": 2, "id": "sf-edge-0", "pos": "e,364,100 136,100 200,100 300,100 356,100"}],
    }
    assert reroute.Layout(layout).detours() == []
    routes = reroute.plan(layout)
    assert [route.key for route in routes] == ["sf-edge-0"]
    tokens = routes[0].positions["sf-edge-0"].split()
    points = [tuple(float(v) for v in token.split(",")) for token in tokens[1:]]
    for x, y in reroute._bezier_points(points):
        assert not (250 - 36 < x < 250 + 36 and 100 - 18 < y < 100 + 18), (x, y)  # clear of B


def test_a_link_that_only_grazes_a_stage_is_left_as_dot_drew_it() -> None:
    layout = {
        "bb": "0,0,500,200", "_subgraph_cnt": 0,
        "objects": [_box(0, "A", 100, 100), _box(1, "B", 250, 100), _box(2, "C", 400, 100)],
        "edges": [{"tail": 0, "head": 2, "id": "sf-edge-0", "pos": "e,364,118 136,118 200,118 300,118 356,118"}],
    }
    assert reroute.plan(layout) == []


THROUGH_A_STAGE = ROOT / "tests" / "cases" / "reroute" / "link-through-a-stage.flow"


def test_a_link_dot_draws_through_a_stage_is_drawn_round_it() -> None:
    # "won" (n17 → n18): dot draws it through the stage n19 between them.
    require_binary("dot")
    require_binary("neato")
    process = _process(THROUGH_A_STAGE)
    text = to_dot(process)
    before = check(read_layout(json.loads(dots_own(text, "json"))), [], process.direction, [])
    assert [d for d in before.details if d.startswith("edge_through_node")] == [
        "edge_through_node: edge sf-edge-21 (n17 → n18) through n19",
    ]
    report = check_chart(process)
    assert report.total == 0, report.details


def _highlighted(path):
    """A chart and the findings `render --highlight` draws on it."""
    from salesflow.lint import lint

    text = path.read_text(encoding="utf-8")
    process = parse_text(text, str(path))
    return process, tuple(lint(process, source=text))


def _flipped_and_highlighted(path):
    """A generated chart drawn as `render --direction <the other one> --highlight` draws it."""
    import dataclasses

    from geometry import FLIPPED

    process, findings = _highlighted(path)
    return dataclasses.replace(process, direction=FLIPPED[process.direction]), findings


ALONG_OTHER_LINKS = ROOT / "tests" / "cases" / "reroute" / "only-a-way-along-other-links.flow"


def test_a_link_with_no_way_but_along_other_links_takes_it_rather_than_dots() -> None:
    # "否" (n12 → n17), drawn left to right and highlighted: dot takes it 1,156 pt round the far
    # end of the lane for 342 pt between its stages. Kept off other links and other lanes, the
    # shortest route is as long (1,043 pt); the shortest one clear of stages and labels, 786 pt,
    # runs by the orange hand-off into 立项 for a while.
    require_binary("dot")
    require_binary("neato")
    process, findings = _flipped_and_highlighted(ALONG_OTHER_LINKS)
    text = to_dot(process, findings=findings)
    before, after = _as_dot_and_render_draw_it(text, "sf-edge-21")
    assert before.length > 3 * before.distance
    assert after.length < 2.5 * after.distance
    report = check_chart(process, findings=findings)
    assert report.total == 0, report.details


ALONG_THE_LANES_EDGE = ROOT / "tests" / "cases" / "reroute" / "loop-back-along-the-lanes-edge.flow"


def test_a_label_with_no_room_by_its_route_is_set_a_little_further_off() -> None:
    # "退回" (n6 → n4), drawn top-down and highlighted: dot takes the loop back 2,541 pt round
    # for 197 pt between its stages. Its new route runs down the lane's edge, with a border on
    # either side within the label's width: the label goes 24 pt off it, outside the lane.
    require_binary("dot")
    require_binary("neato")
    process, findings = _flipped_and_highlighted(ALONG_THE_LANES_EDGE)
    text = to_dot(process, findings=findings)
    before, after = _as_dot_and_render_draw_it(text, "sf-edge-9")
    assert before.length > 3 * before.distance
    assert after.length < 400
    report = check_chart(process, findings=findings)
    assert report.total == 0, report.details


ROUND_A_STAGE_WITH_ITS_LABEL = ROOT / "tests" / "cases" / "reroute" / "labelled-link-round-a-stage.flow"


def test_a_link_routed_round_a_stage_keeps_clear_of_its_own_labels_text() -> None:
    # "82% 附上报价单" (n14 → n15), drawn top-down and highlighted: dot draws it through n13. Its
    # label's text sits left of the label's middle, by the empty cell the writer puts on its
    # right; routed round n13 with the label beside it, the line ran through the text. (dot
    # gives up on its lanes' bands drawn the first way: drawn, as render does then, with links
    # past stages round the outside of their rows.)
    require_binary("dot")
    require_binary("neato")
    process, findings = _flipped_and_highlighted(ROUND_A_STAGE_WITH_ITS_LABEL)
    text = to_dot(process, findings=findings, around=True)
    before = check(read_layout(json.loads(dots_own(text, "json"))), [], process.direction, [])
    assert "edge_through_node: edge sf-edge-17 (n14 → n15) through n13" in before.details
    report = check_chart(process, findings=findings, around=True)
    assert not [d for d in report.details if "sf-edge-17 " in d], report.details


LABEL_ON_A_MIDDLE_PART = ROOT / "tests" / "cases" / "reroute" / "label-on-a-middle-part.flow"


def test_a_link_through_waypoints_drawn_anew_takes_its_label_along() -> None:
    # Highlighted, n15 → n12 is a hand-off drawn through waypoints, its label (the tag
    # "⚠ handoff-without-note") on its middle part, sf-edge-14-via-1. Drawn anew with the label's
    # new place written on the link's first part instead, the new line ran through the label
    # left where dot had set it.
    require_binary("dot")
    require_binary("neato")
    process, findings = _highlighted(LABEL_ON_A_MIDDLE_PART)
    dot_text = to_dot(process, findings=findings)
    before, after = _as_dot_and_render_draw_it(dot_text, "sf-edge-14")
    assert before.length > 3 * before.distance  # 578 pt for 173 pt
    assert after.length < before.distance
    report = check_chart(process, findings=findings)
    assert report.total == 0, report.details


BETWEEN_A_STAGE_AND_A_BORDER = ROOT / "tests" / "cases" / "reroute" / "label-between-a-stage-and-a-lanes-border.flow"


def test_a_label_that_fits_only_between_a_stage_and_a_lanes_border_is_set_there() -> None:
    # "rework" (n12 → n5), drawn left to right: dot takes it 1,895 pt round the far end of the
    # lanes for 288 pt between its stages. The new route runs straight up across the gap
    # between two lanes, which other links cross; the only room for the label is a slot of a few
    # points between n12 and the lane's upper border, or just off the links in the gap, none of
    # the five spots first tried along the route. Looked along closely, it is set there.
    require_binary("dot")
    require_binary("neato")
    import dataclasses

    process = _process(BETWEEN_A_STAGE_AND_A_BORDER)
    text = to_dot(dataclasses.replace(process, direction="LR"))
    before, after = _as_dot_and_render_draw_it(text, "sf-edge-15")
    assert before.length > 3 * before.distance
    assert after.length < after.distance
    report = check_chart(process, flip=True)
    assert report.total == 0, report.details


BETWEEN_TWO_STAGES = ROOT / "tests" / "cases" / "reroute" / "label-between-two-stages.flow"


def test_a_label_that_fits_only_off_the_middle_between_two_stages_is_set_there() -> None:
    # "no" (n5 → n4), drawn left to right and highlighted: dot takes the loop back 1,303 pt round
    # for 340 pt between the two neighbours. The new route runs straight between them, under
    # the link the other way; its label, with the tag "⚠ handoff-without-note" 111 pt wide, has
    # 122 pt between the diamond's corner and n4, a little right of the route's middle.
    require_binary("dot")
    require_binary("neato")
    process, findings = _flipped_and_highlighted(BETWEEN_TWO_STAGES)
    text = to_dot(process, findings=findings)
    before, after = _as_dot_and_render_draw_it(text, "sf-edge-7")
    assert before.length > 3 * before.distance
    assert after.length < after.distance
    report = check_chart(process, findings=findings)
    assert report.total == 0, report.details


NO_ROOM_BY_THE_SHORTEST_WAY = ROOT / "tests" / "cases" / "reroute" / "label-with-no-room-by-the-shortest-way.flow"


def test_a_link_whose_label_has_no_room_by_the_shortest_way_takes_one_with_room() -> None:
    # "no" (n5 → n4), drawn top-down and highlighted: dot takes the loop back 907 pt round the
    # gap below for 145 pt between the two stages, one above the other in a narrow lane. The
    # shortest new way runs straight up between them, by "Upsell", where its label ("no" and the
    # tag "⚠ handoff-without-note", 111 pt wide) has no room, nor beside a way down the lane's
    # other side: the way taken runs out into the gap between the lanes and back, 228 pt, its
    # label beside it in the gap.
    require_binary("dot")
    require_binary("neato")
    process, findings = _highlighted(NO_ROOM_BY_THE_SHORTEST_WAY)
    dot_text = to_dot(process, findings=findings)
    before, after = _as_dot_and_render_draw_it(dot_text, "sf-edge-6")
    assert before.length > 3 * before.distance
    assert after.length < 2 * after.distance
    report = check_chart(process, findings=findings)
    assert report.total == 0, report.details


PAST_THE_LINK_BETWEEN = ROOT / "tests" / "cases" / "reroute" / "label-past-the-link-between-two-stages.flow"


def test_a_way_round_for_a_label_keeps_the_way_into_its_stages_open() -> None:
    # "否" (n14 → n13), drawn top-down and highlighted: dot takes the loop back 979 pt round for
    # 108 pt between the two stages, one above the other. Neither the way straight up beside
    # the link down, nor one round its other side, has room for the label and its tag; the
    # room kept free of the first two ways is only beside them, not past their ends, or it would
    # close every way into 签约: the way taken runs out past the lane's border, 226 pt.
    require_binary("dot")
    require_binary("neato")
    process, findings = _highlighted(PAST_THE_LINK_BETWEEN)
    dot_text = to_dot(process, findings=findings)
    before, after = _as_dot_and_render_draw_it(dot_text, "sf-edge-18")
    assert before.length > 3 * before.distance
    assert after.length < 2.5 * after.distance
    report = check_chart(process, findings=findings)
    assert report.total == 0, report.details
