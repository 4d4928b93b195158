"""Rendering: every sample to SVG, and generated charts of 200 to 1,000 nodes (target: a 200-node
chart in under 1 s), split into building the DOT text and Graphviz's own layout, then the whole
way from text to SVG as `render -f svg` takes it; plus Mermaid output and fmt on the largest chart, and `sfdp` for comparison."""

from __future__ import annotations

import sys
from pathlib import Path

from generate import chart
from timing import median_seconds

from salesflow.fmt import format_text
from salesflow.parse import parse_text
from salesflow.render.dot import to_dot
from salesflow.render.mermaid import to_mermaid
from salesflow.render.picture import draw, run_graphviz
from salesflow.sources import charts_in

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TARGET_200 = 1.0  # seconds, parse to SVG


def main() -> None:
    print(f"{'chart':<32} {'nodes':>6} {'dot text':>9} {'graphviz':>9} {'total svg':>10}")
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix not in (".flow", ".md"):
            continue
        for chart_ in charts_in(str(path)):
            name = path.name + (f"#{chart_.block}" if chart_.block else "")
            row(name, chart_.text, repeat=5)

    results = {}
    for nodes in (200, 400, 1_000):
        results[nodes] = row(f"generated chart({nodes})", chart(nodes), repeat=5 if nodes <= 400 else 3)
    verdict = "meets" if results[200] < TARGET_200 else "MISSES"
    print(f"200 nodes parse → SVG: {results[200]:.2f}s, {verdict} the {TARGET_200:g} s target")

    big = chart(1_000)
    process = parse_text(big)
    sfdp = median_seconds(lambda: run_graphviz(to_dot(process, engine="sfdp"), "svg", "sfdp", None), 3)
    mermaid = median_seconds(lambda: to_mermaid(process), 5)
    formatted = median_seconds(lambda: format_text(big), 3)
    print(f"chart(1000): sfdp → SVG {sfdp:.2f}s; render -f mermaid {mermaid:.3f}s; fmt {formatted:.3f}s")


def row(name: str, text: str, repeat: int) -> float:
    process = parse_text(text)
    dot_text = to_dot(process)
    build = median_seconds(lambda: to_dot(process), repeat)
    layout = median_seconds(lambda: run_graphviz(dot_text, "svg", "dot", None), repeat)
    total = median_seconds(lambda: draw(parse_text(text), "svg", timeout=None), repeat)
    print(f"{name:<32} {len(process.nodes):>6} {build:>8.3f}s {layout:>8.2f}s {total:>9.2f}s")
    sys.stdout.flush()
    return total


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
