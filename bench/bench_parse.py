"""Parsing generated realistic charts of 1,000, 10,000 and 50,000 nodes, and a cold CLI start."""

from __future__ import annotations

import os
import tempfile

from generate import chart
from timing import command_seconds, median_seconds, peak_mib, python

from salesflow.parse import parse_text


def main() -> None:
    parse_text(chart(10))  # build (or load) the parser once, as a long-running process would
    print(f"{'nodes':>8} {'chars':>11} {'parse (median)':>15} {'peak MiB':>9}")
    for nodes, repeat in ((1_000, 5), (10_000, 5), (50_000, 3)):
        text = chart(nodes)
        seconds = median_seconds(lambda: parse_text(text), repeat)
        peak = peak_mib(lambda: parse_text(text))
        print(f"{nodes:>8,} {len(text):>11,} {seconds:>14.3f}s {peak:>9.1f}")

    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "small.flow")
        with open(small, "w", encoding="utf-8") as handle:
            handle.write(chart(10))
        cold = command_seconds([python(), "-m", "salesflow", "render", "-f", "json", small], repeat=7)
        bare = command_seconds([python(), "-c", "pass"], repeat=7)
    print(f"cold `salesflow render -f json` on a 10-node file: {cold:.3f}s (bare Python start: {bare:.3f}s)")
