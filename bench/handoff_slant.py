"""How far apart along the flow the two stages of each hand-off stand, in the lane charts of the
layout corpus (tests/layout_corpus.py) and, optionally, of generated charts (tests/generated_charts.py),
each in its own direction and flipped, laid out by dot as `render` writes them.

A hand-off is a link forward between stages of two different lanes. Drawn where readers expect
it, the stage it leads to stands in the next column or two after the one it leaves, so the link
runs across the lanes between them; drawn SLANT points or more apart along the flow (between the
boxes' near sides), it runs a long way across the page, the zigzag of a flow between many lanes
whose stages each lane sets from its own start. The geometry checker (tests/geometry.py) does not
count these: they cross nothing and are no detour for the distance between their stages. This
prints how many there are, the charts with the most, and the longest, so that a change to the lane
layout can be measured against it.

    python bench/handoff_slant.py [--seeds 20261201,...] [--count 400] [--slant 200] [-v]
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

SLANT = 200.0  # points between the two boxes along the flow: more than a column between them


def sources(seeds: list[int], count: int) -> list[tuple[str, str, str]]:
    """(name, path, text) of every chart measured."""
    import generated_charts
    import layout_corpus

    out = [(f"corpus:{chart.name}", chart.path, chart.text) for chart in layout_corpus.charts()]
    for seed in seeds:
        out += [(f"{seed}:{chart.name}", chart.name, chart.text) for chart in generated_charts.charts(count, seed)]
    return out


def _hand_offs(process, lanes) -> list[tuple[int, str, str]]:
    """(edge index, source, target) of the links between stages of two different drawn `lanes`
    (geometry.lanes_of of the process)."""
    lane_of = {node: lane.cluster for lane in lanes for node in lane.nodes}
    return [
        (edge.index, edge.source, edge.target)
        for edge in process.edges
        if edge.stroke != "invisible" and edge.source in lane_of and edge.target in lane_of
        and lane_of[edge.source] != lane_of[edge.target]
    ]


def _loops(dot_text: str) -> set[int]:
    """The links back that the DOT text names (the graph's `sf_loops`, see salesflow/render/dot.py)."""
    for line in dot_text.splitlines()[:40]:
        if line.strip().startswith("sf_loops="):
            return {int(part) for part in line.split("=", 1)[1].strip('" ').split()}
    return set()


def measure(charts: list[tuple[str, str, str]], slant: float) -> list[tuple[str, int, int, float]]:
    """(drawing, hand-offs, slanted hand-offs, the longest gap in points) of each lane chart drawn."""
    import generated_charts
    from geometry import lanes_of, read_layout
    from salesflow.parse import parse_text
    from salesflow.render.dot import to_dot

    drawings = []
    for name, path, text in charts:
        process = parse_text(text, path)
        lanes = lanes_of(process)
        if len(lanes) < 2:
            continue
        hand_offs = _hand_offs(process, lanes)  # the same links whichever way the chart is drawn
        for flip in (False, True):
            drawn = dataclasses.replace(process, direction=generated_charts.FLIPPED[process.direction]) if flip else process
            drawings.append((f"{name}{' flipped' if flip else ''}", hand_offs, to_dot(drawn)))
    out = []
    for (name, hand_offs, dot_text), document in zip(drawings, generated_charts.lay_out([d[2] for d in drawings])):
        if "error" in document:
            continue
        layout = read_layout(document)
        # Lanes are dot's ranks: the flow runs along each rank, across the page when ranks go down it.
        across = layout.rankdir in ("TB", "BT")
        loops = _loops(dot_text)
        gaps = []
        for index, source, target in hand_offs:
            tail, head = layout.nodes.get(source), layout.nodes.get(target)
            if index in loops or tail is None or head is None:
                continue
            if across:
                gaps.append(abs(tail.x - head.x) - (tail.width + head.width) / 2)
            else:
                gaps.append(abs(tail.y - head.y) - (tail.height + head.height) / 2)
        out.append((name, len(gaps), sum(gap > slant for gap in gaps), max(gaps, default=0.0)))
    return out


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Hand-offs drawn with their stages far apart along the flow.")
    parser.add_argument("--seeds", default="", help="generated charts of these seeds too, e.g. 20261201,777001")
    parser.add_argument("--count", type=int, default=400, help="generated charts per seed")
    parser.add_argument("--slant", type=float, default=SLANT, help="points apart that count as slanted")
    parser.add_argument("-v", action="store_true", help="every drawing with a slanted hand-off")
    args = parser.parse_args(argv)
    seeds = [int(part) for part in args.seeds.split(",") if part]
    measured = measure(sources(seeds, args.count), args.slant)
    hand_offs = sum(row[1] for row in measured)
    slanted = sum(row[2] for row in measured)
    print(f"{len(measured)} lane drawings (own direction and flipped), {hand_offs} hand-offs; "
          f"{slanted} with their stages over {args.slant:g} pt apart along the flow")
    worst = sorted(measured, key=lambda row: (-row[2], -row[3], row[0]))
    for name, total, count_slanted, longest in worst[: None if args.v else 10]:
        if count_slanted:
            print(f"  {name}: {count_slanted} of {total}, the longest {longest:,.0f} pt apart")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
