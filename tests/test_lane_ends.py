"""Lanes drawn as bands of one length (salesflow/render/lane_ends.py): a lane `dot` starts or ends
sooner than the others is stretched along the flow, its title moved with its corner, in every
picture `render` draws of a chart of up to 200 stages, and in the SVG of a larger one."""

from __future__ import annotations

import re
from typing import Optional

from conftest import ROOT, bench_charts, require_binary
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


def _drawn_lanes(boxes: list[str]) -> bytes:
    """Lane groups as dot's SVG writes them, each its box's polygon (`points`) and its title."""
    return "".join(
        f'<g id="sf&#45;subgraph&#45;{n}" class="cluster sf&#45;lane">\n<title>cluster_{n}</title>\n'
        f'<polygon fill="#eef4fb" stroke="#9fb6d3" points="{points}"/>\n'
        f'<text text-anchor="start" x="0" y="0" font-size="13.00">Lane {n}</text>\n</g>\n' for n, points in enumerate(boxes)
    ).encode("ascii")


def test_a_drawing_whose_layout_is_not_read_is_planned_from_its_svg() -> None:
    """lane_ends.plan_drawn: the same plan as from the layout (y upwards, the SVG's turned), the
    flow's way told by how the lanes are stacked."""
    rows = _drawn_lanes(["8,-10 8,-100 500,-100 500,-10 8,-10", "60,-120 60,-200 440,-200 440,-120 60,-120"])
    [stretch] = lane_ends.plan_drawn(rows)
    assert stretch.lane == "sf-subgraph-1" and stretch.old == (60, 120, 440, 200)
    assert stretch.new == (8, 120, 500, 200) and (stretch.dx, stretch.dy) == (-52, 0) and stretch.title is None
    columns = _drawn_lanes(["8,-10 8,-400 100,-400 100,-10 8,-10", "120,-60 120,-300 200,-300 200,-60 120,-60"])
    [stretch] = lane_ends.plan_drawn(columns)
    assert stretch.new == (120, 10, 200, 400) and (stretch.dx, stretch.dy) == (0, 100)  # its title down to the top
    # Lanes apart both ways (the flow's way cannot be told), lanes in line, a single lane: left alone.
    assert lane_ends.plan_drawn(_drawn_lanes(["8,-10 8,-100 100,-100 100,-10 8,-10", "120,-120 120,-200 200,-200 200,-120 120,-120"])) == []
    assert lane_ends.plan_drawn(_drawn_lanes(["8,-10 8,-400 100,-400 100,-10 8,-10", "120,-10 120,-400 200,-400 200,-10 120,-10"])) == []
    assert lane_ends.plan_drawn(_drawn_lanes(["8,-10 8,-400 100,-400 100,-10 8,-10"])) == []


def _without_lanes(svg: str) -> str:
    """An SVG with its lanes' groups taken out."""
    return re.sub(r'<g id="[^"]*" class="cluster sf&#45;lane">.*?</g>\n', "", svg, flags=re.S)


def test_the_svg_of_a_chart_too_large_for_the_other_repairs_has_its_lanes_in_line() -> None:
    """400 stages in five lanes (over picture.REPAIR_MAX_NODES, so no layout is read): dot ends
    the lanes 81 pt apart drawn left to right, over 1,000 pt top-down; the SVG `render` gives has every lane from
    one start to one end, each title 8 pt in from its corner, and nothing else changed."""
    require_binary("dot")
    import dataclasses

    from geometry import dots_own
    from salesflow.parse import parse_text
    from salesflow.render import picture
    from salesflow.render.dot import to_dot

    process = parse_text(bench_charts().chart(400))
    assert picture.repairs(process) == picture.LANES_ONLY
    for direction, along in (("LR", (0, 2)), ("TB", (1, 3))):
        drawn_way = dataclasses.replace(process, direction=direction)
        own = dots_own(to_dot(drawn_way), "svg").decode("utf-8")
        assert max(max(box[side] for box in _lane_boxes(own)) - min(box[side] for box in _lane_boxes(own)) for side in along) > 50
        drawn = picture.render(drawn_way, output="svg")
        boxes = _lane_boxes(drawn)
        assert len(boxes) == 5
        for side in along:
            assert len({box[side] for box in boxes}) == 1, (direction, boxes)
        assert all(title_x == x0 + 8 for x0, _y0, _x1, _y1, title_x in boxes)
        titles_y = re.findall(r'class="cluster sf&#45;lane">\n<title>[^<]*</title>\n<polygon [^>]*? points="[^"]*"/>\n<text [^>]*? y="([^"]*)"', drawn)
        assert all(abs(float(y) - box[1] - 13.4) < 0.01 for y, box in zip(titles_y, boxes))  # its top corner
        assert _without_lanes(drawn) == _without_lanes(own)


def test_the_handbooks_drawing_of_a_large_chart_has_its_lanes_in_line() -> None:
    """The handbook draws its chart from the whole DOT text (picture.run_graphviz), as the studio does."""
    require_binary("dot")
    from salesflow.parse import parse_text
    from salesflow.render import picture
    from salesflow.render.dot import to_dot

    process = parse_text(bench_charts().chart(250))
    svg = picture.run_graphviz(to_dot(process), "svg", repair=picture.repairs(process)).decode("utf-8")
    boxes = _lane_boxes(svg)
    assert len(boxes) == 5 and len({box[0] for box in boxes}) == 1 and len({box[2] for box in boxes}) == 1


def test_a_large_charts_pdf_and_the_layout_its_exports_read_have_their_lanes_in_line(monkeypatch) -> None:
    """Over 200 stages a PDF, and the layout BPMN and draw.io exports read, are laid out first and
    drawn by neato with the lanes stretched (the bench's 400-stage chart, both ways); a PNG that
    large is dot's own drawing."""
    require_binary("dot")
    import dataclasses
    import json

    from salesflow.parse import parse_text
    from salesflow.render import picture
    from salesflow.render.dot import to_dot

    process = parse_text(bench_charts().chart(400))
    assert picture.repairs(process, output="pdf") == picture.repairs(process, output="json") == picture.LANES_ONLY
    for direction, along in (("LR", (0, 2)), ("TB", (1, 3))):
        drawn_way = dataclasses.replace(process, direction=direction)
        text = to_dot(drawn_way)
        layout = json.loads(picture.run_graphviz(text, "json", repair=picture.repairs(drawn_way, output="json")))
        boxes = [[float(v) for v in obj["bb"].split(",")] for obj in layout["objects"] if obj.get("class") == "sf-lane"]
        assert len(boxes) == 5
        for side in along:
            assert max(box[side] for box in boxes) - min(box[side] for box in boxes) < 0.5, (direction, boxes)
    runs: list[list[str]] = []
    command = picture._command
    monkeypatch.setattr(picture, "_command", lambda *a, **k: runs.append(command(*a, **k)) or runs[-1])
    assert picture.draw(process, "pdf").startswith(b"%PDF")
    assert [[part for part in run if not part.startswith("-G")] for run in runs] == [["dot", "-Tjson0", "-Tdot"], ["neato", "-n2", "-Tpdf"]]
