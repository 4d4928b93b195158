"""Lanes drawn as bands of one length (salesflow/render/lane_ends.py): a lane `dot` starts or ends
sooner than the others is stretched along the flow, its title moved with its corner, in every
picture `render` draws of a chart of up to 200 stages."""

from __future__ import annotations

import re
from typing import Optional

from conftest import ROOT, require_binary
from salesflow.render import lane_ends, svg_look


def _layout(boxes: dict[str, str], rankdir: str = "TB", titles: Optional[dict[str, str]] = None) -> dict:
    """A `-Tjson0` layout holding only lanes, each `id` with its `bb` (and its title's `lp`)."""
    titles = titles or {}
    objects = [{"name": f"cluster_{n}", "id": lane, "class": "sf-lane", "bb": bb, **({"lp": titles[lane]} if lane in titles else {})}
               for n, (lane, bb) in enumerate(boxes.items())]
    return {"bb": "0,0,600,400", "rankdir": rankdir, "_subgraph_cnt": len(objects), "objects": objects}


def test_a_row_that_starts_late_and_ends_early_is_stretched_to_the_others() -> None:
    layout = _layout({"sales": "10,210,590,300", "finance": "130,100,470,190"}, titles={"finance": "150,180"})
    [stretch] = lane_ends.plan(layout)
    assert stretch.lane == "finance" and stretch.new == (10, 100, 590, 190)
    assert (stretch.dx, stretch.dy) == (-120, 0)  # the title keeps to the lane's left corner
    assert lane_ends.changes([stretch]) == {("id", "finance"): {"bb": "10,100,590,190", "lp": "30,180"}}


def test_columns_are_stretched_down_the_page_their_titles_to_the_top() -> None:
    # Drawn down the page, dot ranks left to right: each lane a column, the flow from the top (y upwards).
    layout = _layout({"sales": "10,20,200,380", "finance": "220,120,400,300"}, rankdir="LR")
    [stretch] = lane_ends.plan(layout)
    assert stretch.new == (220, 20, 400, 380) and (stretch.dx, stretch.dy) == (0, 80)


def test_lanes_in_line_or_not_stacked_are_left_alone() -> None:
    assert lane_ends.plan(_layout({"sales": "10,210,590,300", "finance": "10.3,100,589.8,190"})) == []
    # Side by side along the flow (no bands): stretched, they would cover each other.
    assert lane_ends.plan(_layout({"sales": "10,100,290,300", "finance": "300,150,590,250"})) == []
    assert lane_ends.plan(_layout({"sales": "10,210,590,300"})) == []
    layout = _layout({"sales": "10,210,590,300", "finance": "130,100,470,190"})
    layout["objects"][1]["class"] = "sf-group"  # a group inside the chart, not a lane
    assert lane_ends.plan(layout) == []


def _lane_boxes(svg: str) -> list[tuple[float, float, float, float, float]]:
    """Each lane's box in an SVG (x0, y0, x1, y1) and its title's x."""
    out = []
    for points, title_x in re.findall(
        r'class="cluster sf&#45;lane">\n<title>[^<]*</title>\n<polygon [^>]*? points="([^"]*)"/>\n<text [^>]*? x="([^"]*)"', svg,
    ):
        xs, ys = zip(*(map(float, pair.split(",")) for pair in points.split()))
        out.append((min(xs), min(ys), max(xs), max(ys), float(title_x)))
    return out


def test_render_draws_a_lane_dot_ends_short_as_long_as_the_others() -> None:
    """Corporate event services drawn left to right: dot starts Operations 123 pt after Sales
    team; the SVG `render` gives has both rows from one start to one end, each title 8 pt in
    from its lane's left edge, the rest as dot drew it."""
    require_binary("dot")
    import dataclasses

    from geometry import dots_own
    from salesflow.parse import parse_file
    from salesflow.render.dot import to_dot
    from salesflow.render.picture import render

    process = parse_file(str(ROOT / "tests" / "cases" / "layout" / "event-services-en.flow"))
    process = dataclasses.replace(process, direction="LR")
    own = _lane_boxes(dots_own(to_dot(process), "svg").decode("utf-8"))
    assert len(own) == 2 and own[0][0] != own[1][0]  # dot's own drawing: out of line
    drawn = _lane_boxes(render(process, output="svg"))
    assert len(drawn) == 2
    assert drawn[0][0] == drawn[1][0] and drawn[0][2] == drawn[1][2]
    assert all(title_x == x0 + 8 for x0, _y0, _x1, _y1, title_x in drawn)
    assert [box[1:4:2] for box in drawn] == [box[1:4:2] for box in own]  # the same rows, across the page


def test_a_picture_drawn_by_neato_has_its_lanes_stretched_too() -> None:
    """A PNG (and every output but SVG) is drawn from the repaired layout by `neato -n2`: the
    lanes' boxes of that layout, as the exports read it, are in line."""
    require_binary("dot")
    import dataclasses
    import json

    from salesflow.parse import parse_file
    from salesflow.render.dot import to_dot
    from salesflow.render.picture import run_graphviz

    process = parse_file(str(ROOT / "tests" / "cases" / "layout" / "six-lanes-40.flow"))
    for direction in ("LR", "TB"):
        drawn = json.loads(run_graphviz(to_dot(dataclasses.replace(process, direction=direction)), "json", repair=True))
        boxes = [[float(v) for v in obj["bb"].split(",")] for obj in drawn["objects"] if obj.get("class") == "sf-lane"]
        along = (0, 2) if direction == "LR" else (1, 3)
        assert len(boxes) == 6
        for side in along:
            assert max(box[side] for box in boxes) - min(box[side] for box in boxes) < 0.5, (direction, boxes)


def test_a_large_charts_svg_with_lanes_out_of_line_is_looked_at() -> None:
    """Over 60 stages the SVG is looked over before dot's layout is read (svg_look.py): lanes that
    do not start or end together are a maybe, lanes in line are not."""
    def svg(boxes: list[str]) -> bytes:
        return "".join(
            f'<g id="sf&#45;subgraph&#45;{n}" class="cluster sf&#45;lane">\n<title>cluster_{n}</title>\n'
            f'<polygon fill="#eef4fb" stroke="#9fb6d3" points="{points}"/>\n</g>\n' for n, points in enumerate(boxes)
        ).encode("ascii")

    in_line = ["8,-10 8,-100 500,-100 500,-10 8,-10", "8,-120 8,-200 500,-200 500,-120 8,-120"]
    assert not svg_look._lanes_out_of_line(svg(in_line))
    assert svg_look._lanes_out_of_line(svg([in_line[0], "60,-120 60,-200 500,-200 500,-120 60,-120"]))
    columns = ["8,-10 8,-400 100,-400 100,-10 8,-10", "120,-10 120,-400 200,-400 200,-10 120,-10"]
    assert not svg_look._lanes_out_of_line(svg(columns))
    assert svg_look._lanes_out_of_line(svg([columns[0], "120,-10 120,-300 200,-300 200,-10 120,-10"]))
