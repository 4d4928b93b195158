"""The fast reader of common charts reads exactly what Lark reads.

salesflow/parsing/fastpath.py reads most charts without Lark. It may only ever be a shortcut: it
matches the grammar's own terminals (read from grammar/flowchart.lark the way Lark reads them), in
the places and in the order Lark's contextual lexer tries them, and every chart parses to the same
model — or fails with the same error — with it and with Lark alone: every sample, every chart in
the tests (the differential corpus included) and hundreds of mutated charts.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SAMPLES, bench_charts
from salesflow import parse as parse_module
from salesflow.errors import ParseError
from salesflow.parsing import fastpath, preprocess, syntax, terminals
from test_parser_fuzz import mutate

CHARTS = sorted(SAMPLES.glob("*.flow")) + sorted(
    path for pattern in ("*.flow", "*.mmd") for path in (ROOT / "tests").rglob(pattern) if "node_modules" not in path.parts
)


def outcome(text: str, fast: bool) -> Any:
    """The model, or everything the error says, with the fast reader on or off."""
    parse_module.FAST_PATH = fast
    try:
        process = parse_module.parse_text(text, "chart.flow")
    except ParseError as error:
        return [(e.message, e.line, e.column, e.width, e.source_line) for e in (error, *error.following)]
    finally:
        parse_module.FAST_PATH = True
    # The graph takes each link's ends by the numbers the builder gave them as it read the link:
    # they must be the numbers of the nodes the ends name (None for an end that is no node).
    number = process.node_numbers.get
    assert process.link_numbers() == (
        tuple(number(edge.source) for edge in process.edges),
        tuple(number(edge.target) for edge in process.edges),
    )
    return process


def test_terminals_read_as_lark_reads_them() -> None:
    ours = terminals.terminals()
    for terminal in syntax.parser().terminals:
        assert ours[terminal.name] == (terminal.pattern.to_regexp(), terminal.priority), terminal.name


# Token sequences that bring Lark's parser to each place the fast reader knows.
_PLACES = {
    "start": [],
    "after_graph": [("GRAPH", "flowchart")],
    "after_header": [("GRAPH", "flowchart"), ("DIRECTION", "TD")],
    "statement": [("GRAPH", "flowchart"), ("_SEP", "\n")],
    "after_node_id": [("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A")],
    "after_shape": [("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A"), ("SQUARE", "[a]")],
    "after_node": [("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A"), ("NODE_DATA", "@{}")],
    "after_amp": [("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A"), ("_AMP", "&")],
    "after_edge_id": [("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A"), ("EDGE_ID", "e@")],
    "after_link": [("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A"), ("LINK", "-->")],
    "after_edge_label": [("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A"), ("LINK", "-->"), ("EDGE_LABEL", "|a|")],
    "after_statement": [("GRAPH", "flowchart"), ("_SEP", "\n"), ("CLASS_STMT", "class A b")],
}
# Places that look alike to the fast reader, and must look alike to Lark's lexer too.
_ALSO = {
    "statement": [[("GRAPH", "flowchart"), ("_SEP", "\n"), ("SUBGRAPH_HEAD", "subgraph s"), ("_SEP", "\n")]],
    "after_node_id": [
        [("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A"), ("LINK", "-->"), ("NODE_ID", "B")],
        [("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A"), ("_AMP", "&"), ("NODE_ID", "B")],
    ],
    "after_node": [[("GRAPH", "flowchart"), ("_SEP", "\n"), ("NODE_ID", "A"), ("CLASS_SUFFIX", ":::c")]],
    "after_statement": [
        [("GRAPH", "flowchart"), ("_SEP", "\n"), ("SUBGRAPH_HEAD", "subgraph s")],
        [("GRAPH", "flowchart"), ("_SEP", "\n"), ("SUBGRAPH_HEAD", "subgraph s"), ("_SEP", "\n"), ("END", "end")],
    ],
}


def _lark_terminals(tokens: list[tuple[str, str]]) -> tuple[list[str], Any]:
    """The terminals Lark's lexer tries after `tokens`, in its order, and that lexer."""
    from lark import Token

    parser = syntax.parser()
    interactive = parser.parse_interactive("")
    for kind, text in tokens:
        interactive.feed_token(Token(kind, text))
    lexer = parser.parser.lexer.lexers[interactive.parser_state.position]
    # What the grammar ignores (`%ignore`), the fast reader skips before each terminal.
    return [t.name for t in lexer.scanner.terminals if not t.name.startswith("__IGNORE")], lexer


@pytest.mark.parametrize("place", sorted(fastpath.CONTEXTS))
def test_each_place_tries_the_terminals_lark_tries_in_its_order(place: str) -> None:
    for tokens in [_PLACES[place], *_ALSO.get(place, [])]:
        names, lexer = _lark_terminals(tokens)
        assert tuple(names) == fastpath.CONTEXTS[place], tokens
        if place == "statement":
            # `end` is lexed as a NODE_ID and renamed END when it is the whole word.
            assert "END" in {t.name for t in lexer.terminals} and "NODE_ID" in lexer.callback


@pytest.mark.parametrize("path", CHARTS, ids=lambda path: str(Path(path).relative_to(ROOT)))
def test_every_chart_gives_the_same_model_or_error_both_ways(path: Path) -> None:
    text = path.read_text("utf-8")
    assert outcome(text, fast=True) == outcome(text, fast=False)


def test_mutated_charts_give_the_same_model_or_error_both_ways() -> None:
    rng = random.Random(13)
    seeds = [path.read_text("utf-8") for path in CHARTS if path.suffix == ".flow" or "corpus" in path.parts]
    taken = 0
    for _ in range(600):
        text = mutate(rng.choice(seeds), rng)
        fast = outcome(text, fast=True)
        assert fast == outcome(text, fast=False), text
        taken += fastpath.read(preprocess.prepare(text).text) is not None
    assert taken > 100, "the fast reader should take many of the mutated charts"


# The fast reader gives a node it has already given as a token, named again without a label, as
# its plain text (the builder only looks it up): wherever the builder points at a mention, or the
# mention may be the node's first, it is a token with its place all the same.
NAMED_AGAIN = {
    "an edge's data, then its id as a node": "flowchart LR\n  A e1@--> B\n  e1@{ rate: 50% }\n  e1 --> C\n",
    "the data of an edge named twice": "flowchart LR\n  A e1@--> B\n  e1@{ rate: 50% }\n  e1@{ note: 再次 }\n  e1 --> C\n",
    "a click word followed by a space": "flowchart LR\n  call[致电]\n  A --> call\n  call --> B\n",
    "an empty label": 'flowchart LR\n  A --> B\n  B --> A\n  B[""]\n',
    "a new label": "flowchart LR\n  A --> B\n  B[签约] --> A\n",
    "an id a style made first": "flowchart LR\n  A --> B\n  style endX fill:#fff\n  B --> endX\n",
    "a node named in its own data's line": "flowchart LR\n  A --> B\n  B@{ due: 1d }\n  B:::hot --> A\n",
}


@pytest.mark.parametrize("text", NAMED_AGAIN.values(), ids=NAMED_AGAIN.keys())
def test_a_node_named_again_is_placed_as_lark_places_it(text: str) -> None:
    assert fastpath.read(preprocess.prepare(text).text) is not None
    assert outcome(text, fast=True) == outcome(text, fast=False)


def test_a_node_named_again_without_a_label_is_its_plain_text_for_the_builder_alone() -> None:
    text = "flowchart LR\n  A --> B\n  B --> A\n"
    _header, first, again = fastpath.statements(text, for_builder=True)
    # The builder unpacks each reference: a node's id comes first.
    assert [type(first.items[0][0][0]), type(first.items[2][0][0])] == [fastpath.Token, fastpath.Token]
    assert [type(again.items[0][0][0]), type(again.items[2][0][0])] == [str, str]
    # Others (fmt) read every id with its place, as Lark gives it.
    _header, first, again = fastpath.read(text)
    assert [again.items[0][0].id.line, again.items[2][0].id.line] == [3, 3]


def test_the_fast_reader_takes_common_charts_whole() -> None:
    chart = bench_charts().chart  # the benchmark's fully annotated charts
    for text in [chart(200), *(path.read_text("utf-8") for path in sorted(SAMPLES.glob("*.flow")))]:
        assert fastpath.read(preprocess.prepare(text).text) is not None
        assert outcome(text, fast=True) == outcome(text, fast=False)


def test_each_place_finds_by_the_next_character_what_its_whole_pattern_finds() -> None:
    """Large charts are read trying at each place only the alternatives that can begin with the
    character there: every place, at every position of every sample and of a generated chart,
    finds the same terminal, text and groups as the place's whole pattern."""
    wholes, places = fastpath._contexts(), fastpath._places()

    def matched(match: Any) -> dict:
        # The narrowed pattern has no groups for the alternatives it leaves out, which take no part.
        return {name: (match.span(name), value) for name, value in match.groupdict().items() if value is not None}

    chart = bench_charts().chart
    texts = [preprocess.prepare(text).text for text in [chart(60), *(p.read_text("utf-8") for p in CHARTS[:40])]]
    for name in sorted(fastpath.CONTEXTS):
        whole, place = wholes[name], places[name]
        for text in texts:
            for pos in range(len(text) + 1):
                expected, found = whole.match(text, pos), place.match(text, pos)
                if expected is None:
                    assert found is None, (name, text[pos : pos + 20])
                else:
                    assert found is not None, (name, text[pos : pos + 20])
                    assert (found.lastgroup, found.span(), matched(found)) == (
                        expected.lastgroup, expected.span(), matched(expected)
                    ), (name, text[pos : pos + 20])


def test_a_large_chart_gives_the_same_model_both_ways(monkeypatch) -> None:
    """A chart past `BY_FIRST_CHARACTER_FROM` is read with the places' narrowed patterns."""
    monkeypatch.setattr(fastpath, "BY_FIRST_CHARACTER_FROM", 1_000)
    text = bench_charts().chart(150)
    assert len(preprocess.prepare(text).text) > 1_000
    assert fastpath.read(preprocess.prepare(text).text) is not None
    assert outcome(text, fast=True) == outcome(text, fast=False)


def test_a_chart_it_takes_is_read_without_lark(tmp_path: Path) -> None:
    import subprocess
    import sys

    chart = tmp_path / "chart.flow"
    chart.write_text((SAMPLES / "classic-seven-stages.flow").read_text("utf-8"), encoding="utf-8")
    check = (
        "import sys; from salesflow.parse import parse_file; parse_file(sys.argv[1]); "
        "print('lark' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", check, str(chart)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# Where a place borrows a larger place's pattern (fastpath.READ_WITH), that pattern can find a
# terminal the place does not take: the reader must give up there, and Lark decide.
@pytest.mark.parametrize(
    "statement",
    [
        "A[x][y]", "A[x]{y}", "A[x] -->B", "A[x]@{ owner: a }:::c", "A@{ owner: a }:::c", "A@{ a: 1 }[x]",
        "A:::c[x]", "A:::c@{ a: 1 }", "A e1@ e2@--> B", "A e1@[x]", "A e1@&B", "A & |x| B", "A -->|a||b| B",
        "A -->|a| |b| B", "A & B[x][y]", "A[(x)]((y))", "A e1@-->|a|B[x]:::c & C",
    ],
)
def test_a_terminal_a_place_does_not_take_is_left_to_lark(statement: str) -> None:
    text = f"flowchart TD\n  {statement}\n  B --> C\n"
    assert outcome(text, fast=True) == outcome(text, fast=False)


def test_the_shapes_are_one_alternative_that_reads_the_label_once() -> None:
    # Fourteen bracket pairs around one label: the pattern holds the label's expression once.
    from salesflow.parsing.terminals import terminals

    label = terminals()["_LABEL"].regexp
    pattern = fastpath._contexts()["after_node_id"].pattern
    assert pattern.count(label) == 1
    assert all(fastpath._contexts()[place] is fastpath._contexts()[larger] for place, larger in fastpath.READ_WITH.items())
