"""fmt and the renderers on odd charts: mutations of the samples and the corpus that still parse.

The parser's fuzz test mutates real charts (see test_parser_fuzz.py); every mutant that parses
must also format (idempotently, its meaning kept), draw as DOT, and come back from Mermaid text
as the same model — except where Mermaid's syntax cannot hold a text exactly (a `"` in an edge
label or a subgraph title, which must then show the same; a `%%{` in style text, broken up so it
cannot act as a directive). A few hundred run in the normal suite;
`--run-slow` runs five thousand. Every few mutants, and every chart below that puts a code point
XML cannot hold into each place text can go, are also drawn by the real Graphviz and printed as a
handbook: the SVG must be well-formed XML and the page strict HTML (see well_formed.py).
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
from well_formed import assert_html, assert_svg


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


def check_drawn(process: Process) -> None:
    """The chart drawn by Graphviz is well-formed SVG, and its handbook strict HTML."""
    from salesflow.handbook import handbook_html
    from salesflow.render.picture import draw

    svg = draw(process, "svg")
    assert isinstance(svg, str)
    assert_svg(svg)
    assert_html(handbook_html(process, date="2026-01-01"))


def check(text: str, drawn: bool = False) -> bool:
    """Every check for one mutant; False when it does not parse (nothing to check)."""
    try:
        process = parse_text(text)
    except ParseError:
        return False
    if drawn:
        try:
            check_drawn(process)
        except RenderError as exc:
            assert "\n" not in str(exc), text  # a chart Graphviz cannot lay out: one clear line
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


def run(count: int, seed: int, draw_every: int = 0) -> int:
    """Mutants that parsed; every `draw_every`-th mutant is also drawn (0: none)."""
    rng = random.Random(seed)
    texts = [path.read_text("utf-8") for path in SEEDS]
    return sum(
        check(mutate(rng.choice(texts), rng), drawn=bool(draw_every) and index % draw_every == 0)
        for index in range(count)
    )


@pytest.mark.usefixtures("dot")
def test_mutated_charts_format_and_render() -> None:
    assert run(400, seed=4, draw_every=16) > 50


@pytest.mark.usefixtures("dot")
@pytest.mark.slow
def test_five_thousand_mutated_charts() -> None:
    assert run(5_000, seed=44, draw_every=10) > 1_000


# ---------------------------------------------------------------------------------------------
# Code points that XML cannot hold, in every place text can go

# Raw, and as the references that Graphviz (`&#…;`) and Mermaid (`#…;`) would decode.
UNSHOWABLE = [
    "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ufdd0", "\ufdef", "\ufffe", "\uffff",
    "\U0001fffe", "\U0010ffff", "&#x1;", "&#1;", "&#xD800;", "&#xDFFF;", "&#xFFFF;", "&#1114111;", "&#x10FFFE;",
    "#1;", "#8;", "#55296;", "#65535;", "#1114111;",
]
# {x}: as written in Mermaid text; {y}: inside a double-quoted YAML string (which refuses raw controls).
EVERY_PLACE = """---
title: "T {y}"
lanes: [lane]
roles: [销售部]
---
flowchart TD
    accTitle: Acc {x}
    subgraph lane["L {x}"]
        A(["S {x}"])
        A@{{ kind: start, owner: "O {y}", due: 2d, steps: ["step {y}"], checks: ["c {y}"], kpi: ["k {y}"] }}
    end
    subgraph group["G {x}"]
        B["`md **{x}**`"]
    end
    B@{{ owner: 销售部, due: 1d, note: "n {y}" }}
    C{{"D {x}?"}}
    A e1@-->|"E {x}"| B
    B -- "F {x}" --> C
    C -->|yes| A
    e1@{{ note: "H {y}", rate: 50% }}
    click A "https://example.com/{x}" "tip {x}"
"""


def _yaml_escaped(text: str) -> str:
    if len(text) > 1:
        return text
    code = ord(text)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@pytest.mark.usefixtures("dot")
@pytest.mark.parametrize("code_point", UNSHOWABLE, ids=lambda c: c.encode("unicode_escape").decode("ascii"))
def test_code_points_xml_cannot_hold_give_well_formed_svg_and_html(code_point: str) -> None:
    process = parse_text(EVERY_PLACE.format(x=code_point, y=_yaml_escaped(code_point)))
    check_drawn(process)
