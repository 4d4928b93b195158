"""Every syntax or metadata mistake gives one positioned message in plain words (cases in cases/parse-errors/).

A case file states every error it holds, in file order, one `%% expect LINE:COL message` line each:
syntax errors are all reported in one pass, and a mistake never drags bogus follow-on errors along.
"""

from __future__ import annotations

import re

import pytest

from conftest import CASES, SAMPLES
from salesflow.errors import ParseError
from salesflow.parse import parse_text

CASE_DIR = CASES / "parse-errors"
EXPECT = re.compile(r"^%% expect (\d+):(\d+) (.+)$", re.M)
# Files that cannot hold an `expect` comment of their own.
SPECIAL = {
    "empty-file.flow": (1, 1, "the chart is empty"),
    "only-comments.flow": (1, 1, "the chart is empty"),
    "unclosed-front-matter.flow": (1, 1, "the front matter is not closed"),
}


def cases() -> list:
    return sorted(CASE_DIR.glob("*.flow"))


def expectations(path) -> list[tuple[int, int, str]]:
    if path.name in SPECIAL:
        return [SPECIAL[path.name]]
    found = [(int(m.group(1)), int(m.group(2)), m.group(3)) for m in EXPECT.finditer(path.read_text("utf-8"))]
    assert found, f"{path.name} has no `%% expect LINE:COL message` line"
    return found


def expectation(path) -> tuple[int, int, str]:
    return expectations(path)[0]


@pytest.mark.parametrize("path", cases(), ids=lambda p: p.stem)
def test_error_is_positioned_and_explained(path) -> None:
    line, column, message = expectation(path)
    with pytest.raises(ParseError) as caught:
        parse_text(path.read_text("utf-8"), path.name)
    error = caught.value
    assert message in error.message
    assert (error.line, error.column) == (line, column), error.format()
    assert error.path == path.name


@pytest.mark.parametrize("path", cases(), ids=lambda p: p.stem)
def test_every_error_is_reported_and_nothing_else(path) -> None:
    with pytest.raises(ParseError) as caught:
        parse_text(path.read_text("utf-8"), path.name)
    found = [(e.line, e.column, e.message) for e in caught.value.each()]
    expected = expectations(path)
    assert [(line, column) for line, column, _ in found] == [(line, column) for line, column, _ in expected], (
        caught.value.format()
    )
    for (_, _, message), (_, _, wanted) in zip(found, expected):
        assert wanted in message


@pytest.mark.parametrize("path", cases(), ids=lambda p: p.stem)
def test_error_shows_the_line_and_a_caret(path) -> None:
    with pytest.raises(ParseError) as caught:
        parse_text(path.read_text("utf-8"), path.name)
    formatted = caught.value.format().split("\n")
    assert formatted[0].startswith(f"{path.name}:{caught.value.line}:{caught.value.column}: error: ")
    assert "\n" not in caught.value.message.strip(), "a message is one line"
    if caught.value.source_line:
        assert formatted[1] == "  " + caught.value.source_line.replace("\t", " ")
        assert formatted[2].strip().startswith("^")


def test_caret_lands_under_wide_characters() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text("flowchart TD\n  报价[报价与谈判(关键)] --> B\n", "x.flow")
    _, source, caret = caught.value.format().split("\n")
    # Each Chinese character before the `(` takes two columns, so the caret moves two for each.
    shown = source[2:]
    before = shown[: shown.index("(")]
    width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in before)
    assert caret[2:].index("^") == width


def test_error_lines_are_shifted_for_charts_inside_markdown() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text("flowchart TD\n  A -->\n", "doc.md", line_offset=10)
    assert (caught.value.line, caught.value.column) == (12, 5)
    assert caught.value.source_line == "  A -->"


def test_each_error_shows_its_own_line_and_caret() -> None:
    text = "flowchart TD\n  A --> B %% 交接\n  B -->\n  C --> D\n"
    with pytest.raises(ParseError) as caught:
        parse_text(text, "x.flow")
    assert caught.value.format().split("\n") == [
        "x.flow:2:11: error: a `%%` comment must be on a line of its own: move it to the line above",
        "    A --> B %% 交接",
        "            ^^",
        "x.flow:3:5: error: this link has no target: write the node it leads to, e.g. `A --> B`",
        "    B -->",
        "      ^^^",
    ]


def test_several_errors_inside_markdown_keep_file_lines() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text("flowchart TD\n  A -->\n  B --> C\n  C -->\n", "doc.md", line_offset=10)
    assert [(e.line, e.column, e.source_line) for e in caught.value.each()] == [(12, 5, "  A -->"), (14, 5, "  C -->")]


def test_the_number_of_errors_is_limited_and_the_limit_can_be_raised(monkeypatch) -> None:
    text = "flowchart TD\n" + "".join(f"  A{i} -->\n" for i in range(60))
    with pytest.raises(ParseError) as caught:
        parse_text(text, "x.flow")
    errors = caught.value.each()
    assert len(errors) == 51
    assert [e.line for e in errors[:50]] == list(range(2, 52))
    last = errors[-1]
    assert (last.line, last.column) == (52, 7)
    assert "more syntax errors follow" in last.message and "SALESFLOW_MAX_ERRORS" in last.message
    monkeypatch.setenv("SALESFLOW_MAX_ERRORS", "100")
    with pytest.raises(ParseError) as caught:
        parse_text(text, "x.flow")
    assert len(caught.value.each()) == 60
    assert all("link has no target" in e.message for e in caught.value.each())


def test_a_text_that_is_not_a_flowchart_gives_one_error() -> None:
    text = "sequenceDiagram\n  Alice->>Bob: 你好\n  Bob-->>Alice: 好\n"
    with pytest.raises(ParseError) as caught:
        parse_text(text, "x.flow")
    assert len(caught.value.each()) == 1
    assert "starts with a header" in caught.value.message


def _statement_lines(lines: list[str]) -> list[int]:
    """Indexes of one-line link statements outside front matter, node data and quotes."""
    header = next(i for i, line in enumerate(lines) if line.startswith(("flowchart", "graph")))
    return [
        i for i, line in enumerate(lines)
        if i > header and "-->" in line and not any(mark in line for mark in ('"', "@{", "%%", "; "))
    ]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.flow")), ids=lambda p: p.stem)
def test_mistakes_spread_over_a_real_chart_are_each_reported_once(path) -> None:
    """A trailing comment on every other link line: one error per broken line, at the `%%`, no others."""
    lines = path.read_text("utf-8").split("\n")
    broken = _statement_lines(lines)[::2]
    assert len(broken) >= 2, "the sample is too small for this test"
    expected = []
    for i in broken:
        statement = lines[i].rstrip().rstrip(";")
        separator = lines[i].rstrip()[len(statement):]  # `graph TD;` charts end each line with `;`
        lines[i] = f"{statement} %% 备注{separator}"
        expected.append((i + 1, len(statement) + 2))
    with pytest.raises(ParseError) as caught:
        parse_text("\n".join(lines), path.name)
    assert [(e.line, e.column) for e in caught.value.each()] == expected, caught.value.format()
    assert all("comment must be on a line of its own" in e.message for e in caught.value.each())
