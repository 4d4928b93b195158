"""Before the grammar runs: line ends, front matter, whole-line comments and directives.

Mermaid strips these before its own parser sees the chart; doing the same keeps the grammar small.
Every removed line is replaced by an empty one, so line numbers in the cleaned text are the
file's line numbers.

Mermaid removes a directive wherever it stands, even inside a line or a quoted label: `%%{`, a
word (with or without a `:` after it), then a word or everything up to the first `}%%` (over
line ends; to the end of the chart if none follows), then the `}%%` if there is one. So
`A["x %%{init: {}}%% y"]` is the label `x  y` to Mermaid, and `A["%%{init: {}}%%"]` an empty
label, which it refuses. salesflow removes the same text and keeps it as a comment (the Mermaid
writer puts directives before the header). Only positions after such a directive on its own
line shift; later lines keep their numbers. One that does not end with `}%%` is left in place and
marked (`unclosed_directive`): the builder refuses it, since Mermaid would silently drop all or
part of what follows it.
"""

from __future__ import annotations

import bisect

from ..mermaid_vocabulary import DIRECTIVE_CLOSE, DIRECTIVE_OPEN, closes_directive, inline_directives, opens_directive
from ..model import Comment, Span
from ..regex_cache import compiled

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional

_COMMENT_LINE = compiled(r"^([ \t]*)%%(.*)$")
_FRONT_MATTER_FENCE = compiled(r"^---[ \t]*$")


def _remove_inline_directives(text: str, comments: list[Comment]) -> tuple[str, Optional[Span]]:
    """`text` without the directives Mermaid would remove (see the module's docstring); each
    becomes a comment at its place.

    A directive that runs over line ends joins what stands before and after it into one line, as
    in Mermaid; the line ends it held are put back at the end of that line, so every later line
    keeps its number."""
    line_starts = [0] + [index + 1 for index, ch in enumerate(text) if ch == "\n"]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    out: list[str] = []
    owed = 0  # line ends taken out by directives, to put back at the next line end

    def keep(chunk: str) -> None:
        nonlocal owed
        if owed and "\n" in chunk:
            cut = chunk.index("\n")
            chunk = chunk[:cut] + "\n" * owed + chunk[cut:]
            owed = 0
        out.append(chunk)

    done = 0
    found: list[Comment] = []
    for match in inline_directives(text):
        if not match.group(0).endswith(DIRECTIVE_CLOSE):
            line, column = position(match.start())
            return text, Span(line, column, line, column + 3)
        keep(text[done : match.start()])
        # One line of comment, wherever it stood: it goes back on a line of its own, and its
        # line ends were only spaces between the words of its JSON.
        start_line, start_column = position(match.start())
        end_line, end_column = position(match.end())
        written = match.group(0)[2:].replace("\n", " ")
        found.append(Comment(written, Span(start_line, start_column, end_line, end_column)))
        owed += match.group(0).count("\n")
        done = match.end()
    if not found:
        return text, None
    keep(text[done:])
    out.append("\n" * owed)
    comments[:] = sorted(comments + found, key=lambda comment: (comment.span.line, comment.span.column))
    return "".join(out), None


class Prepared:
    """A chart made ready for the grammar."""

    __slots__ = ("text", "lines", "comments", "front_matter", "front_matter_line", "front_matter_span", "unclosed_directive")

    def __init__(
        self, text: str, lines: tuple[str, ...], comments: tuple[Comment, ...], front_matter: Optional[str],
        front_matter_line: int, front_matter_span: Optional[Span], unclosed_directive: Optional[Span] = None,
    ) -> None:
        self.text = text  # the chart with front matter, comments and directives blanked out
        self.lines = lines  # the original lines, for error messages
        self.comments = comments
        self.front_matter = front_matter  # the YAML between the fences
        self.front_matter_line = front_matter_line  # the line of the first YAML line (1-based), 0 without front matter
        self.front_matter_span = front_matter_span
        self.unclosed_directive = unclosed_directive  # a `%%{` inside a line that no `}%%` ends


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
    # Comments and directives all start with `%%`: a chart without one has no line to look at
    # (matching each line of a 2,000-stage chart costs about 13 M instructions).
    for i, line in enumerate(cleaned if "%%" in text else ()):
        if in_directive:
            comments.append(Comment(line, Span(i + 1, 1, i + 1, len(line) + 1)))
            cleaned[i] = ""
            if closes_directive(line):
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
        if opens_directive(body) and not closes_directive(line):
            in_directive = True

    text = "\n".join(cleaned)
    unclosed = None
    if DIRECTIVE_OPEN in text:
        text, unclosed = _remove_inline_directives(text, comments)

    return Prepared(
        text=text,
        lines=tuple(lines),
        comments=tuple(comments),
        front_matter=front_matter,
        front_matter_line=fm_line,
        front_matter_span=fm_span,
        unclosed_directive=unclosed,
    )
