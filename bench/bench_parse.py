"""Parsing generated realistic charts of 1,000, 10,000 and 50,000 nodes, and a cold CLI start.

`parse` is what every command does (the fast reader of salesflow/parsing/fastpath.py, which takes
these charts whole); `Lark alone` is the same parse with the fast reader switched off, as a chart
it gives up on (one with a syntax error) is read.
"""

from __future__ import annotations

import os
import tempfile

from generate import chart
from timing import command_seconds, median_seconds, peak_mib, python

import salesflow.parse as parse_module
from salesflow.parse import parse_text


def _lark_alone(text: str) -> None:
    parse_module.FAST_PATH = False
    try:
        parse_text(text)
    finally:
        parse_module.FAST_PATH = True


def main() -> None:
    parse_text(chart(10))  # build (or load) the parser once, as a long-running process would
    _lark_alone(chart(10))
    print(f"{'nodes':>8} {'chars':>11} {'parse (median)':>15} {'peak MiB':>9} {'Lark alone':>11} {'peak MiB':>9}")
    for nodes, repeat in ((1_000, 5), (10_000, 5), (50_000, 3)):
        text = chart(nodes)
        seconds = median_seconds(lambda: parse_text(text), repeat)
        peak = peak_mib(lambda: parse_text(text))
        lark_seconds = median_seconds(lambda: _lark_alone(text), repeat)
        lark_peak = peak_mib(lambda: _lark_alone(text))
        print(f"{nodes:>8,} {len(text):>11,} {seconds:>14.3f}s {peak:>9.1f} {lark_seconds:>10.3f}s {lark_peak:>9.1f}")

    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "small.flow")
        with open(small, "w", encoding="utf-8") as handle:
            handle.write(chart(10))
        cold = command_seconds([python(), "-m", "salesflow", "render", "-f", "json", small], repeat=7)
        bare = command_seconds([python(), "-c", "pass"], repeat=7)
    print(f"cold `salesflow render -f json` on a 10-node file: {cold:.3f}s (bare Python start: {bare:.3f}s)")
