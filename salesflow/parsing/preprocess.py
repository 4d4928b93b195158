"""Before the grammar runs: line ends, front matter, whole-line comments and directives.

Mermaid strips these before its own parser sees the chart; doing the same keeps the grammar small.
Every removed line is replaced by an empty one, so line numbers in the cleaned text are the
file's line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..model import Comment, Span

_COMMENT_LINE = re.compile(r"^([ \t]*)%%(.*)$")
_FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$")


@dataclass(frozen=True)
class Prepared:
    text: str  # the chart with front matter, comments and directives blanked out
    lines: tuple[str, ...]  # the original lines, for error messages
    comments: tuple[Comment, ...]
    front_matter: Optional[str]  # the YAML between the fences
    front_matter_line: int  # the line of the first YAML line (1-based), 0 without front matter
    front_matter_span: Optional[Span]


def normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def prepare(text: str, line_offset: int = 0) -> Prepared:
    """Clean `text` for the grammar. With a `line_offset` (a chart inside Markdown), the chart is
    shifted down by that many empty lines, so every position the parser reports is a file position."""
    text = normalise_newlines(text)
    lines = [""] * line_offset + text.split("\n")
    cleaned = list(lines)

    front_matter: Optional[str] = None
    fm_line = 0
    fm_span: Optional[Span] = None
    first = line_offset
    if len(lines) > first and _FRONT_MATTER_FENCE.match(lines[first]):
        for closing in range(first + 1, len(lines)):
            if _FRONT_MATTER_FENCE.match(lines[closing]):
                front_matter = "\n".join(lines[first + 1 : closing])
                fm_line = first + 2
                fm_span = Span(first + 1, 1, closing + 1, len(lines[closing]) + 1)
                for i in range(first, closing + 1):
                    cleaned[i] = ""
                break
        # An unclosed front matter block is left for the grammar to reject at `---`,
        # where the error message explains it.

    comments: list[Comment] = []
    in_directive = False
    for i, line in enumerate(cleaned):
        if in_directive:
            comments.append(Comment(line, Span(i + 1, 1, i + 1, len(line) + 1)))
            cleaned[i] = ""
            if "}%%" in line:
                in_directive = False
            continue
        match = _COMMENT_LINE.match(line)
        if match is None:
            continue
        body = match.group(2)
        column = len(match.group(1)) + 1
        comments.append(Comment(body, Span(i + 1, column, i + 1, len(line) + 1)))
        cleaned[i] = ""
        # A directive `%%{init: …}%%` may run over several lines.
        if body.startswith("{") and "}%%" not in line:
            in_directive = True

    return Prepared(
        text="\n".join(cleaned),
        lines=tuple(lines),
        comments=tuple(comments),
        front_matter=front_matter,
        front_matter_line=fm_line,
        front_matter_span=fm_span,
    )
