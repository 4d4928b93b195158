"""Mermaid's flowchart vocabulary, read the same way by the parser, fmt and both renderers.

The shapes (bracket shapes and Mermaid 11's named shapes with their aliases), the node-id
pattern, the reserved words, Mermaid's size limits and the `%%{…}%%` directive each have one
owner, salesflow/mermaid_vocabulary.py; these tests pin what a user sees of them.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import ROOT

from salesflow import mermaid_vocabulary as vocabulary
from salesflow.graph import ProcessGraph
from salesflow.parse import parse_text
from salesflow.render.mermaid import to_mermaid


def _markers(shape: str) -> tuple[bool, bool]:
    """Whether a node of `shape` reads as a start marker at the head and an end marker at the tail."""
    process = parse_text(
        f"flowchart LR\n    S@{{ shape: {shape} }}\n    S --> A[报价] --> E\n    E@{{ shape: {shape} }}\n"
    )
    graph = ProcessGraph(process)
    return graph.is_start_marker(process.node("S")), graph.is_end(process.node("E"))


@pytest.mark.parametrize(
    ("alias", "same_as"),
    [("start", "circ"), ("sm-circ", "circ"), ("small-circle", "circ"), ("junction", "f-circ")],
)
def test_every_spelling_of_a_round_marker_marks_a_start_and_an_end(alias: str, same_as: str) -> None:
    # Mermaid names the small circle `start`; `junction` is another name for `f-circ`.
    assert _markers(same_as) == (True, True)
    assert _markers(alias) == (True, True)


def _plain_bracket(shape: str) -> str:
    text = to_mermaid(parse_text(f"flowchart LR\n    D@{{ shape: {shape}, label: 等待 }}\n"), plain=True)
    return next(line.strip() for line in text.splitlines() if line.strip().startswith("D"))


@pytest.mark.parametrize(
    ("shape", "written"),
    [
        ("delay", "D(等待)"),
        ("half-rounded-rectangle", "D(等待)"),
        ("curv-trap", "D(等待)"),
        ("display", "D(等待)"),
        ("bow-rect", "D(等待)"),
        ("stored-data", "D(等待)"),
        ("lin-rect", "D[[等待]]"),
        ("shaded-process", "D[[等待]]"),
        # unchanged: these were already written with the bracket the picture uses
        ("rounded", "D(等待)"),
        ("fr-rect", "D[[等待]]"),
        ("doc", "D[等待]"),
        ("flag", "D>等待]"),
        ("cloud", "D[等待]"),  # not `((…))`: a circle would read as a start or end marker
    ],
)
def test_plain_mermaid_draws_a_named_shape_with_the_bracket_the_picture_uses(shape: str, written: str) -> None:
    assert _plain_bracket(shape) == written


def test_every_named_shape_keeps_its_kind_when_written_with_brackets() -> None:
    """`render -f mermaid --plain` writes a named shape with its nearest bracket; read back, a
    decision stays a decision and a start or end marker stays one."""
    for name in vocabulary.MERMAID_SHAPES:
        bracket = vocabulary.nearest_bracket(name)
        assert vocabulary.shape_kind(name) == vocabulary.shape_kind(bracket), (name, bracket)


def test_the_table_knows_every_shape_the_parser_accepts_and_nothing_else() -> None:
    for name in vocabulary.MERMAID_SHAPES | set(vocabulary.BRACKETS):
        assert vocabulary.graphviz_attributes(name)["shape"], name
        assert vocabulary.nearest_bracket(name) in vocabulary.BRACKETS, name
    assert not set(vocabulary.BRACKETS) - {"square", "round", "lean_right", "lean_left", "inv_trapezoid"} - (
        vocabulary.MERMAID_SHAPES
    ), "a bracket shape that also has a Mermaid name"
    with pytest.raises(KeyError):
        vocabulary.nearest_bracket("img")  # Mermaid has no shape of this name (an image is `img:`)


def _grammar_terminal(name: str) -> str:
    grammar = (ROOT / "grammar" / "flowchart.lark").read_text(encoding="utf-8")
    match = re.search(rf"^{name}: /(.*)/$", grammar, re.M)
    assert match, name
    return match.group(1)


def test_the_grammar_reads_node_ids_with_the_vocabulary_pattern() -> None:
    # The grammar keeps its own copy of the pattern (Lark reads it from the .lark file).
    assert _grammar_terminal("NODE_ID") == vocabulary.NODE_ID_PATTERN
    assert _grammar_terminal("CLASS_SUFFIX") == ":::" + vocabulary.NODE_ID_PATTERN


@pytest.mark.parametrize(
    "node_id",
    ["end", "end-stage", "end.x", "graph", "subgraph", "classDef", "swimlane-beta", "graph-x", "style.x",
     "swimlane-beta-2", "flowchart-elkx", "graph中"],
)
def test_reserved_words_are_refused_as_ids_by_the_parser_and_the_writer_alike(node_id: str) -> None:
    assert vocabulary.is_reserved_id(node_id)
    from salesflow.errors import SalesflowError

    with pytest.raises(SalesflowError):
        parse_text(f"flowchart LR\n    A --> {node_id}[x]\n")
    # A model built by other means (a library caller) cannot be written with such an id either.
    process = parse_text("flowchart LR\n    A --> B[x]\n")
    renamed = dataclasses.replace(
        process,
        nodes=tuple(dataclasses.replace(n, id=node_id) if n.id == "B" else n for n in process.nodes),
        edges=tuple(dataclasses.replace(e, target=node_id) for e in process.edges),
    )
    with pytest.raises(SalesflowError, match="Mermaid keyword"):
        to_mermaid(renamed)


@pytest.mark.parametrize(
    "node_id", ["End", "endgame", "end_x", "Graph", "click", "direction", "graph_x", "classes", "swimlane", "styleA"]
)
def test_words_that_only_look_reserved_are_ids(node_id: str) -> None:
    assert not vocabulary.is_reserved_id(node_id)
    assert parse_text(f"flowchart LR\n    A --> {node_id}[x]\n").has_node(node_id)


def test_size_limits_are_mermaids_and_the_lint_rule_defaults_to_them() -> None:
    from salesflow.lint.rules import too_large_for_mermaid as rule

    assert (vocabulary.MAX_EDGES, vocabulary.MAX_TEXT_SIZE) == (500, 50_000)  # Mermaid's maxEdges, maxTextSize
    assert rule.OPTIONS["max-edges"].default == vocabulary.MAX_EDGES
    assert rule.OPTIONS["max-characters"].default == vocabulary.MAX_TEXT_SIZE


def _blocks(text: str) -> list[tuple[list[str], bool, bool]]:
    process = parse_text(text)
    return [
        ([c.text for c in block.comments], block.directive, block.closed)
        for block in vocabulary.comment_blocks(process.comments)
    ]


def test_directives_are_read_once_for_everyone() -> None:
    text = (
        "%%{init: {\n"
        '  "theme": "forest"\n'
        "}}%%\n"
        "flowchart LR\n"
        "    %% an ordinary comment\n"
        "    A --> B\n"
        "    %%{init: {}}%%\n"
        "    %%{wrap\n"
    )
    assert _blocks(text) == [
        (["{init: {", '  "theme": "forest"', "}}%%"], True, True),
        ([" an ordinary comment"], False, True),
        (["{init: {}}%%"], True, True),
        (["{wrap", ""], True, False),
    ]


def test_an_open_directive_ends_the_text_in_fmt_and_in_the_mermaid_writer() -> None:
    from salesflow.fmt import format_text

    # Nothing may follow it, not even a final line end: that would add a line to the directive.
    text = "flowchart LR\n    A --> B\n%%{init: {"
    assert format_text(text).endswith("\n%%{init: {")
    assert to_mermaid(parse_text(text)).endswith("\n%%{init: {")


def test_only_an_id_starting_with_a_keywords_initial_can_be_refused_as_a_keyword() -> None:
    # The parser tries the keyword patterns only on ids that start with one of KEYWORD_INITIALS.
    words = sorted(vocabulary.RESERVED_WORDS | {"end"})
    assert all(vocabulary.is_reserved_id(word) and word[0] in vocabulary.KEYWORD_INITIALS for word in words)
    for code in range(0x3000):
        first = chr(code)
        if first not in vocabulary.KEYWORD_INITIALS:
            assert not any(vocabulary.is_reserved_id(first + word[1:]) for word in words), first
