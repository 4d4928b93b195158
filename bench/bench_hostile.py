"""Hostile inputs: how long the inputs built to make work grow faster than its input really take.

The test suite feeds these inputs (and many more) to salesflow but judges no time: it only stops
work that hangs. Here each input is measured at two sizes, n and 4n. Linear work takes about four
times as long at 4n; quadratic work sixteen times, which is what the `growth` column shows.
"""

from __future__ import annotations

from typing import Callable

from timing import median_seconds

from salesflow.durations import parse_duration
from salesflow.errors import DurationError, ParseError
from salesflow.lint import lint
from salesflow.markdown import fenced_blocks
from salesflow.parse import parse_text


def _run(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def _parse(text: str) -> None:
    """Read and review the chart: the review decodes and measures every label."""
    try:
        lint(parse_text(text, "hostile.flow"), source=text)
    except ParseError:
        pass


def _duration(text: str) -> None:
    try:
        parse_duration(text)
    except DurationError:
        pass


def _gates(count: int) -> str:
    lines = ["flowchart TD", "  S([start]) --> q0"]
    for i in range(count):
        lines.append(f"  q{i}{{ok?}} -->|yes| q{i + 1}\n  q{i} -->|no| x{i}[note] --> Z[archive]")
    lines.append(f"  q{count}[done] --> Z\n  Z --> W([end])")
    return "\n".join(lines) + "\n"


# name → (what one size-n input does, n): each builds its input from n and works on it.
CASES: dict[str, tuple[Callable[[int], Callable[[], object]], int]] = {
    "label: Markdown emphasis that never closes": (
        lambda n: (lambda text=f'graph TD\n  A["`{_run("*a ", n)}`"] --> B\n': _parse(text)),
        100_000,
    ),
    "link text: a run of dashes": (lambda n: (lambda text=f'graph TD\n  A -- "{_run("-", n)}x" --> B\n': _parse(text)), 100_000),
    "label: half-written entities": (lambda n: (lambda text=f"graph TD\n  A[{_run('#quot#9', n)}] --> B\n": _parse(text)), 100_000),
    "node data: values padded with spaces": (
        lambda n: (lambda text="flowchart TD\n  A@{" + " a: v          ," * (n // 16) + "[ }\n": _parse(text)),
        100_000,
    ),
    "an unclosed quoted label": (lambda n: (lambda text='flowchart TD\n  A["' + "a" * n + "\n": _parse(text)), 100_000),
    "a duration (refused by its length)": (lambda n: (lambda text="内" * n: _duration(text)), 100_000),
    "Markdown: fences that never close": (lambda n: (lambda text=_run("```mermaid\ngraph TD\n  A --> B\n", n): fenced_blocks(text)), 100_000),
    "goal-not-smart: a huge goal": (
        lambda n: (
            lambda process=parse_text(f'---\ngoals: ["{_run("1 ", n)}"]\n---\nflowchart TD\n    A([线索]) --> B([成交])\n'): lint(process)
        ),
        25_000,
    ),
    "missing-fallback: gates in a row": (lambda n: (lambda process=parse_text(_gates(n)): lint(process)), 1_000),
}


def main() -> None:
    print(f"{'input':<42} {'n':>9} {'at n':>9} {'at 4n':>9} {'growth':>7}")
    for name, (build, size) in CASES.items():
        small = median_seconds(build(size), 3)
        large = median_seconds(build(4 * size), 3)
        print(f"{name:<42} {size:>9,} {small:>8.3f}s {large:>8.3f}s {large / small:>6.1f}×")
    print("linear work grows about 4× from n to 4n; quadratic work 16×")


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
