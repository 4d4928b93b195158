"""Charts of more than 60 stages: their SVG is looked over as dot drew it (salesflow/render/svg_look.py),
and only a drawing that may need it is repaired from the layout dot gave with it (picture.LOOK_FIRST)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT, require_binary

from geometry import dots_own
from salesflow.parse import parse_text
from salesflow.render import picture, reroute, svg_look
from salesflow.render.dot import to_dot

sys.path.insert(0, str(ROOT / "bench"))
from generate import chart  # noqa: E402

RETRY = ROOT / "tests" / "cases" / "reroute" / "handover-right-to-left.flow"
TEN_STAGES = ROOT / "samples" / "annotated-ten-stages.flow"


def _chain(stages: int, lanes: int) -> str:
    """A chart of `stages` stages one after the other, in `lanes` lanes: nothing dot draws the long way round."""
    lines = ["flowchart LR"]
    per_lane = -(-stages // lanes)
    for lane in range(lanes):
        lines.append(f"  subgraph lane{lane}[Team {lane}]")
        lines += [f"    s{n}[Step {n}]" for n in range(lane * per_lane, min(stages, (lane + 1) * per_lane))]
        lines.append("  end")
    lines += [f"  s{n} --> s{n + 1}" for n in range(stages - 1)]
    return "\n".join(lines) + "\n"


def _detours(svg: bytes) -> list[str]:
    """The links of an SVG the look takes for detours, by their key."""
    boxes = svg_look._boxes(re.findall(svg_look._NODE, svg))
    return [key for key in _keys(svg) if svg_look._maybe_detour(_only(svg, key), boxes)]


def _keys(svg: bytes) -> list[str]:
    return sorted({svg_look._key(identifier) for identifier in re.findall(rb'<g id="([^"]*)" class="edge">', svg)})


def _only(svg: bytes, key: str) -> bytes:
    """The SVG with the edges of every other link left out."""
    def kept(match: re.Match) -> bytes:
        return match.group() if svg_look._key(match.group(1)) == key else b""

    return re.sub(rb'<g id="([^"]*)" class="edge">.*?\n</g>\n(?=<!--|</g>)', kept, svg, flags=re.S)


def test_a_drawing_with_a_detour_is_taken_for_one_and_a_plain_one_is_not() -> None:
    require_binary("dot")
    retry = dots_own(to_dot(parse_text(RETRY.read_text("utf-8"))), "svg")
    assert svg_look.needs_a_look(retry)
    assert _detours(retry) == ["sf-edge-25"]  # the link the full check routes anew (test_reroute.py)
    assert not svg_look.needs_a_look(dots_own(to_dot(parse_text(TEN_STAGES.read_text("utf-8"))), "svg"))


def test_the_look_finds_every_detour_the_full_check_finds_on_the_bench_charts() -> None:
    # The look may take a link for a detour that is none (then dot is only run once more); it
    # must not miss one, or the drawing would keep it.
    require_binary("dot")
    for stages in (61, 100, 200):
        text = to_dot(parse_text(chart(stages)))
        found = reroute.Layout(json.loads(dots_own(text, "json0"))).detours()
        assert found, stages
        assert set(found) <= set(_detours(dots_own(text, "svg"))), stages


def test_a_large_chart_gets_its_detours_drawn_anew() -> None:
    require_binary("dot")
    require_binary("neato")
    process = parse_text(chart(100))
    assert len(process.nodes) > picture.REROUTE_MAX_NODES
    assert picture.repairs(process) == picture.LOOK_FIRST
    by_dot = dots_own(to_dot(process), "svg")
    assert len(_detours(by_dot)) == 3
    drawn = picture.render(process, output="svg", encoded=True)
    assert drawn != by_dot
    assert _detours(drawn) == []
    assert picture.render(process, output="svg", encoded=True) == drawn  # the same every time


def test_a_large_charts_repair_lays_it_out_once(monkeypatch) -> None:
    # The layout the repair reads comes after the SVG, from the same run of dot; the repaired
    # links are drawn into dot's own SVG (svg_redraw.py), with no second Graphviz run. A second
    # layout of a 200-stage chart cost about as much as the drawing itself.
    require_binary("dot")
    from svg_pictures import graphviz_commands

    commands = graphviz_commands(monkeypatch)
    process = parse_text(chart(100))
    drawn = picture.render(process, output="svg", encoded=True)
    assert [command[0] for command in commands] == ["dot"]
    assert commands[0][1:] == ["-Tsvg", "-Tjson0"]  # no `-Tdot` text: no neato to draw from it
    assert _detours(drawn) == []
    assert drawn.endswith(b"</svg>\n") and drawn.count(b"<?xml") == 1  # the SVG alone, not the layout after it


def test_the_drawing_is_told_from_the_layout_after_it() -> None:
    require_binary("dot")
    text = to_dot(parse_text(chart(80)))
    both = subprocess.run(["dot", "-Tsvg", "-Tjson0", "-Tdot"], input=text.encode("utf-8"), capture_output=True, check=True).stdout
    drawing, after = picture.split_drawing(both)
    assert drawing == dots_own(text, "svg")
    layout, laid_out = picture.split_layout(after)
    assert layout == json.loads(dots_own(text, "json0"))
    assert laid_out == dots_own(text, "dot")


def test_a_large_chart_with_nothing_to_mend_is_dots_own_byte_for_byte() -> None:
    require_binary("dot")
    process = parse_text(_chain(80, 4))
    assert picture.repairs(process) == picture.LOOK_FIRST
    by_dot = dots_own(to_dot(process), "svg")
    assert not svg_look.needs_a_look(by_dot)
    assert picture.render(process, output="svg", encoded=True) == by_dot


def test_a_large_charts_png_is_repaired_from_the_layout_given_with_it() -> None:
    process = parse_text(chart(100))
    assert picture.repairs(process, output="png") is True
    # Over REPAIR_MAX_NODES only an SVG's lanes are stretched (read from the SVG); a PNG is dot's own.
    assert picture.repairs(parse_text(chart(201))) == picture.LANES_ONLY
    assert picture.repairs(parse_text(chart(201)), output="png") is False


def test_the_router_is_bounded_on_a_large_chart() -> None:
    require_binary("dot")
    layout = json.loads(dots_own(to_dot(parse_text(chart(100))), "json0"))
    assert len(reroute.plan(layout)) == 3
    assert [route.key for route in reroute.plan(layout, most=1)] == [route.key for route in reroute.plan(layout)][:1]
    assert reroute.plan(layout, cells=100) == []  # no link's window is that small


def test_a_label_over_the_charts_title_is_taken_for_a_maybe() -> None:
    # generated-109: the first link's label (47% and its note) sits under the chart's title,
    # which relabel.py moves it off; the look sees it only if it counts the title.
    require_binary("dot")
    import generated_charts
    from salesflow.render import relabel

    text = to_dot(parse_text(generated_charts.charts(400)[109].text))
    both = subprocess.run(["dot", "-Tjson0", "-Tsvg"], input=text.encode("utf-8"), capture_output=True, check=True).stdout
    layout, svg = picture.split_layout(both)
    assert [move.key for move in relabel.plan(layout)] == ["sf-edge-0"]
    boxes = svg_look._boxes(re.findall(svg_look._NODE, svg))
    assert not svg_look._maybe_detour(svg, boxes)
    assert svg_look._maybe_covered(svg, boxes)


def test_a_large_charts_repair_planned_while_dot_writes_the_rest_draws_what_one_planned_after_it_does(monkeypatch) -> None:
    """The look and the plans run while dot writes its layout and its `-Tdot` text after the SVG
    (picture._look_alongside): the picture is the one they give when made once dot has ended."""
    require_binary("dot")
    require_binary("neato")
    process = parse_text(chart(200))  # three links dot draws the long way round
    found: list[dict] = []
    real = picture._look_alongside

    def keeping(written_through, early: dict, start_redrawing) -> None:
        real(written_through, early, start_redrawing)
        found.append(dict(early))

    monkeypatch.setattr(picture, "_look_alongside", keeping)
    alongside = picture.render(process, output="svg", encoded=True)
    assert len(found) == 1 and len(found[0]["plans"][0]) == 3  # planned before dot had ended
    assert found[0]["redrawn"] is not None and "neato" not in found[0]  # and drawn into dot's SVG
    assert found[0]["drawing"].endswith(b"</svg>\n") and alongside != found[0]["drawing"]  # dot's, then redrawn
    monkeypatch.setattr(picture, "_look_alongside", lambda written_through, early, start_redrawing: None)
    assert picture.render(process, output="svg", encoded=True) == alongside
    # A look that fails along the way leaves the work to be done after dot, where its error counts.
    monkeypatch.setattr(picture, "_look_alongside", lambda written_through, early, start_redrawing: early.update(drawing=b"<svg/>") or 1 / 0)
    assert picture.render(process, output="svg", encoded=True) == alongside
    # A run of neato started for a repair that is not drawn after all is stopped, not left behind.
    started = []

    def starting_in_vain(written_through, early: dict, start_redrawing) -> None:
        early["neato"] = start_redrawing()
        started.append(early["neato"].pid)

    monkeypatch.setattr(picture, "_look_alongside", starting_in_vain)
    assert picture.render(process, output="svg", encoded=True) == alongside
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0], os.WNOHANG)  # reaped already
