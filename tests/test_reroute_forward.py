"""A link forward that `dot` draws round the lanes is taken the short way sooner than a detour
is; a loop back keeps going round the flow (salesflow/render/reroute.py, `Layout.measure`).

In the store chart of tests/cases/layout/retail-store-lanes.flow, the two hand-offs from the
store manager's lane to the till (`否` from the discount check, `是，店长授权后` from the
authorisation) ran round the right of all three lanes to a stage below where they started, their
labels out past the lanes; the B2B sample's referral loop from after-sales back to lead scoring
runs round the right of the whole flow, as a loop back should.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, require_binary

from geometry import dots_own, paths, read_layout, run_dot
from salesflow.parse import parse_file
from salesflow.render import reroute
from salesflow.render.dot import to_dot

STORE = ROOT / "tests" / "cases" / "layout" / "retail-store-lanes.flow"
B2B = ROOT / "samples" / "b2b-lanes.flow"


def _edge_key(process, source: str, target: str) -> str:
    edge = next(e for e in process.edges if e.source == source and e.target == target)
    return f"sf-edge-{edge.index}"


def _lengths(text: str) -> tuple[dict, dict]:
    """Each link's path as dot draws the DOT `text`, and as render draws it (repaired)."""
    before = {p.key: p for p in paths(read_layout(json.loads(dots_own(text, "json"))))}
    after = {p.key: p for p in paths(read_layout(run_dot(text)))}
    return before, after


def test_hand_offs_drawn_round_the_lanes_are_drawn_the_short_way() -> None:
    require_binary("dot")
    process = parse_file(str(STORE))
    text = to_dot(process)
    before, after = _lengths(text)
    for source in ("M2", "M3"):
        key = _edge_key(process, source, "C1")
        drawn, redrawn = before[key], after[key]
        # As dot draws it: round the lanes' end, more than the forward measure allows.
        assert drawn.length > reroute.FORWARD_RATIO * drawn.distance, (key, drawn)
        assert drawn.length - drawn.distance > reroute.FORWARD_POINTS, (key, drawn)
        # As render draws it: the short way, by the stages.
        assert redrawn.length <= reroute.SHORTER * drawn.length, (key, drawn, redrawn)
    layout = run_dot(text)
    lanes_right = max(float(o["bb"].split(",")[2]) for o in layout["objects"] if "bb" in o)
    for edge in layout["edges"]:
        if edge.get("id") in ("sf-edge-8", "sf-edge-10") and "lp" in edge:
            # Their labels are by them inside the drawing's lanes, not out past their right end.
            assert float(edge["lp"].split(",")[0]) < lanes_right, edge["lp"]


def test_a_loop_back_keeps_going_round_the_flow() -> None:
    require_binary("dot")
    process = parse_file(str(B2B))
    text = to_dot(process)
    loop = _edge_key(process, "V3", "M2")
    layout = reroute.Layout(json.loads(dots_own(text, "json0")))
    assert loop in layout.loops
    assert layout.measure(loop) == (reroute.DETOUR_RATIO, reroute.DETOUR_POINTS)
    assert loop not in [route.key for route in reroute.plan(json.loads(dots_own(text, "json0")))]
    before, after = _lengths(text)
    assert after[loop].length == before[loop].length  # drawn as dot drew it, round the flow


def test_the_writer_names_the_links_back_for_the_repair_and_dot_draws_nothing_of_it() -> None:
    require_binary("dot")
    process = parse_file(str(STORE))
    text = to_dot(process)
    # 下次到店 (the customer comes back another day) and 次日改进 (the next day starts again).
    back = [_edge_key(process, "G5", "G1"), _edge_key(process, "M4", "M1")]
    assert f'sf_loops="{" ".join(key.removeprefix("sf-edge-") for key in back)}"' in text
    assert b"sf_loops" not in dots_own(text, "svg")


def _layout(stages: int, loops: str = "") -> dict:
    objects = [{"_gvid": n, "name": f"n{n}", "id": f"sf-node-{n}", "pos": f"{n * 100},0", "width": "1", "height": "0.5"}
               for n in range(stages)]
    return {"bb": "0,0,10000,100", "_subgraph_cnt": 0, "objects": objects, "edges": [], "sf_loops": loops}


def test_the_measure_is_the_detours_for_loops_back_and_large_charts() -> None:
    small = reroute.Layout(_layout(10, "3 7"))
    assert small.loops == {"sf-edge-3", "sf-edge-7"}
    assert small.measure("sf-edge-3") == (reroute.DETOUR_RATIO, reroute.DETOUR_POINTS)
    assert small.measure("sf-edge-4") == (reroute.FORWARD_RATIO, reroute.FORWARD_POINTS)
    large = reroute.Layout(_layout(reroute.FORWARD_MOST_STAGES + 1))
    assert large.measure("sf-edge-4") == (reroute.DETOUR_RATIO, reroute.DETOUR_POINTS)
    # A layout from DOT written before the writer named its loops: every link forward.
    assert reroute.Layout({"bb": "0,0,1,1", "objects": [], "edges": []}).loops == frozenset()
