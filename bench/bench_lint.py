"""Linting: a 10,000-node chart (parse included), lint time alone as charts grow, 1,000 small files.

Targets: a 10,000-node chart parsed and linted in under 1.5 s; 1,000 small files in one
`salesflow lint` invocation in under 10 s. The lint-only column shows the rules stay linear.
"""

from __future__ import annotations

import os
import tempfile

from generate import chart
from timing import command_seconds, median_seconds, python

from salesflow.lint import lint
from salesflow.parse import parse_text


def main() -> None:
    lint(parse_text(chart(10)))  # load the parser and the rules once, as a long-running process would
    print(f"{'nodes':>8} {'parse + lint':>13} {'lint alone':>11} {'findings':>9}")
    for nodes, repeat in ((1_000, 5), (10_000, 5), (50_000, 3)):
        text = chart(nodes)
        process = parse_text(text)
        both = median_seconds(lambda: lint(parse_text(text), source=text), repeat)
        alone = median_seconds(lambda: lint(process, source=text), repeat)
        count = len(lint(process, source=text))
        print(f"{nodes:>8,} {both:>12.3f}s {alone:>10.3f}s {count:>9,}")
    print("target: parse + lint of 10,000 nodes under 1.5 s (the parser takes most of it)")

    with tempfile.TemporaryDirectory() as tmp:
        for number in range(1_000):
            with open(os.path.join(tmp, f"process-{number:04}.flow"), "w", encoding="utf-8") as handle:
                handle.write(chart(8 + number % 25))
        for fmt in ("text", "sarif"):
            seconds = command_seconds([python(), "-m", "salesflow", "lint", "-f", fmt, tmp], repeat=3)
            print(f"`salesflow lint -f {fmt}` on 1,000 files of 8-32 nodes: {seconds:.2f}s (target: under 10 s)")
        single = os.path.join(tmp, "process-0000.flow")
        cold = command_seconds([python(), "-m", "salesflow", "--lang", "en", "lint", single], repeat=7)
        print(f"cold `salesflow lint` on one small file: {cold:.3f}s")
        # The Chinese catalog is read only when a message is printed in Chinese.
        cold_zh = command_seconds([python(), "-m", "salesflow", "--lang", "zh", "lint", single], repeat=7)
        print(f"cold `salesflow --lang zh lint` on the same file: {cold_zh:.3f}s")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
