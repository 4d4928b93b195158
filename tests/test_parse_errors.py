"""Every syntax or metadata mistake gives one positioned message in plain words (cases in cases/parse-errors/)."""

from __future__ import annotations

import re

import pytest

from conftest import CASES
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


def expectation(path) -> tuple[int, int, str]:
    if path.name in SPECIAL:
        return SPECIAL[path.name]
    match = EXPECT.search(path.read_text("utf-8"))
    assert match, f"{path.name} has no `%% expect LINE:COL message` line"
    return int(match.group(1)), int(match.group(2)), match.group(3)


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
