"""fmt and the renderers on odd charts: mutations of the samples and the corpus that still parse.

The parser's fuzz test mutates real charts (see test_parser_fuzz.py); every mutant that parses
must also format (idempotently, its meaning kept), draw as DOT, and come back from Mermaid text
as the same model — except where Mermaid's syntax cannot hold a text exactly (a `"` in an edge
label or a subgraph title, which must then show the same; a `%%{` in style text, broken up so it
cannot act as a directive). A few hundred run in the normal suite;
`--run-slow` runs five thousand.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from salesflow.errors import ParseError, RenderError
from salesflow.fmt import format_text, meaning_differences
from salesflow.model import Process
from salesflow.parse import parse_text
from salesflow.render.dot import to_dot
from salesflow.render.labels import plain_text
from salesflow.render.mermaid import to_mermaid
from test_parser_fuzz import SEEDS, mutate


def _shown_alike(original: Process, again: Process) -> Process:
    """`again` with edge labels and subgraph titles taken from `original` where both show the same,
    and without the `label:` node data that holds a label brackets cannot."""
    nodes = tuple(
        dataclasses.replace(n, mermaid_data=o.mermaid_data, label_format=o.label_format)
        if dict(n.mermaid_data).get("label") == o.label and "label" not in dict(o.mermaid_data)
        else n
        for n, o in zip(again.nodes, original.nodes)
    )
    edges = tuple(
        dataclasses.replace(e, label=o.label) if plain_text(e.label or "") == plain_text(o.label or "") else e
        for e, o in zip(again.edges, original.edges)
    )
    subgraphs = tuple(
        dataclasses.replace(s, title=o.title) if plain_text(s.title) == plain_text(o.title) else s
        for s, o in zip(again.subgraphs, original.subgraphs)
    )
    return dataclasses.replace(again, nodes=nodes, edges=edges, subgraphs=subgraphs)


def check(text: str) -> bool:
    """Every check for one mutant; False when it does not parse (nothing to check)."""
    try:
        process = parse_text(text)
    except ParseError:
        return False
    formatted = format_text(text)
    assert format_text(formatted) == formatted, text
    assert meaning_differences(process, parse_text(formatted)) == [], text
    to_dot(process)
    try:
        written = to_mermaid(process)
    except RenderError as exc:
        # Only ids that no Mermaid statement can hold (the parser takes any word after `style`).
        assert "cannot be written as a Mermaid id" in str(exc), text
        return True
    again = _shown_alike(process, parse_text(written))
    problems = meaning_differences(process, again, comments="unordered")
    if "%%{" in text:  # style text cannot escape a directive: it is broken up (`% %{`)
        problems = [p for p in problems if not p.startswith(("styles", "class_defs"))]
    assert problems == [], (text, written)
    return True


def run(count: int, seed: int) -> int:
    rng = random.Random(seed)
    texts = [path.read_text("utf-8") for path in SEEDS]
    return sum(check(mutate(rng.choice(texts), rng)) for _ in range(count))


def test_mutated_charts_format_and_render() -> None:
    assert run(400, seed=4) > 50


@pytest.mark.slow
def test_five_thousand_mutated_charts() -> None:
    assert run(5_000, seed=44) > 1_000
