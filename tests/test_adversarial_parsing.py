"""Hostile input cannot make parsing slow: every pattern the parser applies to user text runs in
linear time.

Each chart below is about 100 KB, built to hit one pattern where a backtracking regular expression
would take exponential or quadratic time (`A@{ a: v          , … ,[ }` once hung every command at
158 bytes). Linear code reads each in a small fraction of a second (bench/bench_hostile.py measures
it), while the patterns it guards against would take minutes to years. No test here judges a time:
each chart is read in a child process that is stopped after the hang guard's 60 s, so a regression
fails the test instead of hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import HANG_SECONDS, ROOT

SIZE = 100_000

HOSTILE = {
    # node data: a value followed by spaces, many times over, then something YAML must judge
    "node data, values padded with spaces": "A@{" + " a: v          ," * (SIZE // 16) + "[ }",
    "node data, list items padded with spaces": "A@{ a: [v          ," + " v          ," * (SIZE // 13) + " }",
    "node data, a value of words and spaces": "A@{ a: " + "v " * (SIZE // 2) + ": }",
    "node data, a value full of ` #`": "A@{ a: v" + " #v" * (SIZE // 3) + ", [ }",
    "node data, a value full of `:`": "A@{ a: " + "v:" * (SIZE // 2) + " }",
    # values read after YAML: durations and rates
    "a deadline of numbers and dashes": "A@{ due: " + "1-" * (SIZE // 2) + "x }",
    "a deadline of a long number": "A@{ due: " + "1" * SIZE + "天x }",
    "a deadline of Chinese numerals": "A@{ due: " + "十" * SIZE + "天 }",
    "a deadline of T+ and digits": "A@{ due: T+" + "1" * SIZE + "x }",
    "a deadline of a number and spaces": 'A@{ due: "1' + " " * SIZE + 'x" }',
    "a rate of a long number": "A e1@--> B\n  e1@{ rate: " + "1" * SIZE + "x% }",
    # links with text
    "dotted link text with a long run of dots": "A -. a" + "." * SIZE + "b .-> B",
    "link text with many single dashes": "A -- " + "a-" * (SIZE // 2) + " --> B",
    # syntax errors: what is never closed is scanned once, not once per place it could end
    "an unclosed quoted label": 'A["' + "a" * SIZE,
    "unclosed node data, opened again and again": "A@{ a" * (SIZE // 5),
    "an unclosed link text": "A -- " + "a " * (SIZE // 2),
    "an unclosed edge label": "A -->|" + "a|" * (SIZE // 2),
    # a syntax error after a long word: the explanation looks at the word before the error
    "an error after a long word": "A[" + "a" * SIZE + "] --> B\n  C D",
    # statements decoded after lexing
    "a subgraph head with an unclosed title": "subgraph " + "a-" * (SIZE // 2) + " [title\n  A\n  end",
    "a click with many quotes": 'click A "u" ' + '" ' * (SIZE // 2),
    "a link style ending in a long colour": "A --> B\n  linkStyle 0 color:#" + "a" * SIZE + " x",
}

# Reads one hostile chart. A ParseError is a fine outcome: what matters is that an answer comes.
_CHILD = textwrap.dedent(
    """
    import sys
    from salesflow.errors import ParseError
    from salesflow.parse import parse_text

    text = "flowchart TD\\n  " + sys.stdin.read() + "\\n"
    try:
        parse_text(text, "hostile.flow")
    except ParseError:
        pass
    print("read")
    """
)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_chart_is_read_in_linear_time(name: str) -> None:
    chart = HOSTILE[name]
    assert len(chart) >= SIZE * 0.9
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=chart,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=HANG_SECONDS,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: not read within {HANG_SECONDS} s: super-linear work on hostile input")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "read"

