"""Fenced code blocks in a Markdown document, found the way a CommonMark reader finds them.

Charts live in ```` ```mermaid ```` blocks, and those are often indented inside list items or
written inside block quotes (`> ```mermaid`). Reading them, and above all rewriting them (`fmt`),
needs the document's block structure: which lines belong to a fence, what container markers and
indentation stand before each of its lines, where it ends. This module follows CommonMark's
line-by-line block algorithm for the parts that decide that — block quotes, list items, fenced and
indented code, HTML blocks, paragraphs and their lazy continuation lines — and leaves the inline
content alone. Tests compare what it finds with markdown-it-py over a corpus of documents.

Each block knows the prefix that continues its containers (`> `, the list item's indentation, the
fence's own indentation), so that its content can be replaced line by line and still be read as
the same block of the same document.
"""

from __future__ import annotations

import re
from typing import Optional

from .records import Record, record, set_field
from .regex_cache import compiled


# A frozen dataclass that writes its own `__init__` (see records.py): `@dataclass` would generate
# and compile its methods at every start of a lint of Markdown files. The helpers below are
# plain classes for the same reason.
@record
class FencedBlock(Record):
    """A fenced code block of a Markdown document, as a CommonMark reader finds it."""

    info: str  # the info string after the opening fence, e.g. "mermaid" or "mermaid title=x"
    fence_line: int  # 0-based index of the opening fence's line
    first_line: int  # 0-based index of the first content line (fence_line + 1)
    lines: tuple[str, ...]  # the content as a Markdown reader sees it: markers and fence indentation removed
    prefix: str  # what goes before a content line to put it back in place
    closed: bool  # False when the block ends with its container or the document, not a closing fence

    def __init__(
        self, info: str, fence_line: int, first_line: int, lines: tuple[str, ...], prefix: str, closed: bool
    ) -> None:
        set_field(self, "info", info)
        set_field(self, "fence_line", fence_line)
        set_field(self, "first_line", first_line)
        set_field(self, "lines", lines)
        set_field(self, "prefix", prefix)
        set_field(self, "closed", closed)

    @property
    def language(self) -> str:
        return self.info.split()[0] if self.info.strip() else ""

    def placed(self, content: str) -> str:
        """One content line as it is written in the document: `prefix` + line, and for an empty
        line only the markers that keep it inside the containers (`>` for a block quote)."""
        return self.prefix + content if content else self.prefix.rstrip(" ")


class _Cursor:
    """A position in one line, counted in characters and in columns (a tab reaches the next
    multiple of 4), which CommonMark uses to measure indentation."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.pos = 0
        self.column = 0
        self.partial = 0  # columns still unused of a tab at `pos`, if part of it was consumed
        self.tabs = "\t" in line
        self._nonblank = -1  # cached: index of the first character after the blank space at `pos`
        self._nonblank_column = 0
        self._break_tails: dict[str, int] = {}

    def nonblank(self) -> int:
        """Index of the first character that is not blank space, from here on (or the length).
        Cached with its column, so that measuring the same indentation again and again (once
        per open container) stays cheap: both are facts about the line, whatever was consumed."""
        if self._nonblank < self.pos:
            end, column = self.pos, self.column
            if self.partial:
                end, column = end + 1, column + self.partial
            while end < len(self.line) and self.line[end] in " \t":
                column += 1 if self.line[end] == " " else 4 - column % 4
                end += 1
            self._nonblank, self._nonblank_column = end, column
        return self._nonblank

    def blank(self) -> bool:
        """Whether nothing but blank space is left."""
        return self.nonblank() >= len(self.line)

    def indent(self) -> int:
        """Columns of blank space from here to the next other character."""
        self.nonblank()
        return self._nonblank_column - self.column

    def advance(self, columns: int) -> None:
        """Consume `columns` of blank space (a tab may be consumed in part)."""
        if not self.tabs:
            used = min(columns, self.nonblank() - self.pos)
            self.pos += used
            self.column += used
            return
        while columns > 0:
            if self.partial:
                used = min(self.partial, columns)
                self.partial -= used
                self.column += used
                columns -= used
                if not self.partial:
                    self.pos += 1
                continue
            if self.pos >= len(self.line) or self.line[self.pos] not in " \t":
                return
            if self.line[self.pos] == " ":
                self.pos += 1
                self.column += 1
                columns -= 1
            else:
                width = 4 - self.column % 4
                if width <= columns:
                    self.pos += 1
                    self.column += width
                    columns -= width
                else:
                    self.partial = width - columns
                    self.column += columns
                    columns = 0

    def skip_blank(self) -> None:
        self.advance(self.indent())

    def rest(self) -> str:
        """The rest of the line; the unused part of a half-consumed tab as spaces."""
        if self.partial:
            return " " * self.partial + self.line[self.pos + 1 :]
        return self.line[self.pos :]

    def next_char(self) -> str:
        """The first character after the blank space from here ('' at the end)."""
        end = self.nonblank()
        return self.line[end : end + 1]

    def thematic_break_at(self, start: int) -> bool:
        """Whether the line from `start` is a thematic break (`***`, `- - -`, `___`). The end of
        the line that could belong to one is found once per line, not once per marker."""
        char = self.line[start : start + 1]
        if char not in ("*", "-", "_"):
            return False
        if char not in self._break_tails:
            self._break_tails[char] = len(self.line.rstrip(char + " \t"))
        return start >= self._break_tails[char] and self.line.count(char, start) >= 3

    def take_char(self) -> None:
        """Step over one character that is not blank space (a marker such as `>`)."""
        self.pos += 1
        self.column += 1

    def take_optional_space(self) -> None:
        """After `>`: one column of blank space belongs to the marker."""
        if self.partial or self.line[self.pos : self.pos + 1] in (" ", "\t"):
            self.advance(1)


class _Quote:
    __slots__ = ("piece",)

    def __init__(self, piece: str = "> ") -> None:
        self.piece = piece  # the prefix that continues it


class _Item:
    __slots__ = ("width", "empty")

    def __init__(self, width: int, empty: bool = True) -> None:
        self.width = width  # columns a continuation line must be indented by
        self.empty = empty  # nothing written in it yet: then a blank line ends it

    @property
    def piece(self) -> str:
        return " " * self.width


class _Fence:
    __slots__ = ("char", "length", "indent", "info", "line", "prefix", "content")

    def __init__(self, char: str, length: int, indent: int, info: str, line: int, prefix: str, content: list) -> None:
        self.char = char
        self.length = length
        self.indent = indent
        self.info = info
        self.line = line
        self.prefix = prefix
        self.content = content


# Containers deeper than this are read as text: no document needs them, and each one costs
# every later line of the block a step.
MAX_CONTAINERS = 100

_FENCE = compiled(r"(`{3,}|~{3,})(.*)\Z", re.S)
_BULLET = compiled(r"([-+*])(?=[ \t]|\Z)")
_ORDERED = compiled(r"([0-9]{1,9})([.)])(?=[ \t]|\Z)")
_BLANK_REST = compiled(r"[ \t]*\Z")
_SETEXT_UNDERLINE = compiled(r"(?:=+|-+)[ \t]*\Z")
_ATX = compiled(r"#{1,6}(?:[ \t]|\Z)")
_HTML_BLOCK_TAGS = frozenset(
    "address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div "
    "dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe "
    "legend li link main menu menuitem nav noframes ol optgroup option p param search section summary table "
    "tbody td tfoot th thead title tr track ul".split()
)
_HTML_RAW = compiled(r"<(script|pre|style|textarea)(?:[ \t>]|\Z)", re.I)
_HTML_TAG_NAME = compiled(r"</?([A-Za-z][A-Za-z0-9-]*)(?:[ \t>]|/>|\Z)")
# A whole opening or closing tag alone on its line (HTML block type 7). Each part has one way
# to match, so the engine never backtracks over the same text twice.
_HTML_LONE_TAG = compiled(
    r"(?:<[A-Za-z][A-Za-z0-9-]*"
    r"(?:[ \t]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t]*=[ \t]*(?:[^ \t\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"[ \t]*/?>|</[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*\Z"
)
# HTML block kinds 1–5 end at a line holding their end marker; 6 and 7 end at a blank line.
_HTML_ENDS = {1: None, 2: "-->", 3: "?>", 4: ">", 5: "]]>"}
_RAW_END = compiled(r"</(?:script|pre|style|textarea)>", re.I)


def _html_start(text: str, interrupts_paragraph: bool) -> Optional[int]:
    """The kind (1–7) of HTML block that `text` opens, or None."""
    if not text.startswith("<"):
        return None
    if _HTML_RAW.match(text):
        return 1
    if text.startswith("<!--"):
        return 2
    if text.startswith("<?"):
        return 3
    if text.startswith("<![CDATA["):
        return 5
    if len(text) > 2 and text.startswith("<!") and text[2].isalpha():
        return 4
    name = _HTML_TAG_NAME.match(text)
    if name and name.group(1).lower() in _HTML_BLOCK_TAGS:
        return 6
    if not interrupts_paragraph and _HTML_LONE_TAG.match(text):
        return 7
    return None


def _html_ends(kind: int, text: str) -> bool:
    if kind == 1:
        return bool(_RAW_END.search(text))
    return _HTML_ENDS[kind] in text


def fenced_blocks(text: str) -> list[FencedBlock]:
    """Every fenced code block of a Markdown text (lines split at `\\n`), in document order."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the end of the last line, not a line of its own
    found: list[FencedBlock] = []
    containers: list = []
    leaf: Optional[object] = None  # the open leaf block of the innermost container: see below
    # leaf is None, "paragraph", "code" (indented), ("html", kind) or a _Fence.

    def close_fence(fence: _Fence, closed: bool) -> None:
        found.append(FencedBlock(fence.info, fence.line, fence.line + 1, tuple(fence.content), fence.prefix, closed))

    for number, line in enumerate(lines):
        cursor = _Cursor(line)
        pieces: list[str] = []
        matched = 0
        for container in containers:
            if isinstance(container, _Quote):
                indent = cursor.indent()
                if indent > 3 or cursor.next_char() != ">":
                    break
                cursor.advance(indent)
                cursor.take_char()
                cursor.take_optional_space()
                pieces.append(" " * indent + "> ")
            else:
                if cursor.blank():
                    if container.empty:
                        break  # a list item can start with at most one blank line
                    cursor.advance(min(cursor.indent(), container.width))  # a blank line stays in the item
                elif cursor.indent() >= container.width:
                    cursor.advance(container.width)
                else:
                    break
                pieces.append(container.piece)
            matched += 1
        all_matched = matched == len(containers)
        blank = cursor.blank()

        if isinstance(leaf, _Fence):
            if all_matched:
                indent = cursor.indent()
                after = cursor.rest().lstrip(" \t")
                run = len(after) - len(after.lstrip(leaf.char))
                if indent <= 3 and run >= leaf.length and not after[run:].strip(" \t"):
                    close_fence(leaf, True)
                    leaf = None
                else:
                    cursor.advance(min(indent, leaf.indent))
                    leaf.content.append(cursor.rest())
                continue
            close_fence(leaf, False)
            leaf = None
        elif isinstance(leaf, tuple):  # an HTML block
            if all_matched:
                kind = leaf[1]
                if kind >= 6:
                    if blank:
                        leaf = None
                    continue
                if _html_ends(kind, cursor.rest()):
                    leaf = None
                continue
            leaf = None
        elif leaf == "code":
            if all_matched and (blank or cursor.indent() >= 4):
                continue
            leaf = None

        # New containers at the start of what is left of the line.
        paragraph_here = all_matched and leaf == "paragraph"  # a new block would interrupt it
        opened = False
        while matched < MAX_CONTAINERS:
            indent = cursor.indent()
            if indent >= 4:
                break
            if cursor.next_char() == ">":
                containers[matched:] = []
                cursor.advance(indent)
                cursor.take_char()
                cursor.take_optional_space()
                containers.append(_Quote())
                pieces.append(" " * indent + "> ")
                matched = len(containers)
                leaf, opened, paragraph_here = None, True, False
                continue
            # Patterns are matched in place, from the first character after the blank space:
            # a line of many markers must not be copied once per marker.
            line, start = cursor.line, cursor.nonblank()
            if paragraph_here and _SETEXT_UNDERLINE.match(line, start):
                break  # the paragraph above becomes a heading: see below
            if cursor.thematic_break_at(start):
                break
            bullet = _BULLET.match(line, start)
            ordered = None if bullet else _ORDERED.match(line, start)
            marker = bullet or ordered
            if marker is None:
                break
            empty = bool(_BLANK_REST.match(line, marker.end()))
            if paragraph_here and (empty or (ordered and ordered.group(1) != "1")):
                break
            containers[matched:] = []
            cursor.advance(indent)
            width = marker.end() - start
            cursor.pos += width
            cursor.column += width
            spaces = cursor.indent()
            if empty:
                cursor.skip_blank()
                padding = 1
            elif spaces >= 5:
                cursor.advance(1)
                padding = 1
            else:
                cursor.advance(spaces)
                padding = spaces
            item = _Item(indent + width + padding)
            containers.append(item)
            pieces.append(item.piece)
            matched = len(containers)
            leaf, opened, paragraph_here = None, True, False

        # The leaf block this line starts or continues.
        indent = cursor.indent()
        rest = cursor.rest().lstrip(" \t")
        all_matched = matched == len(containers)
        lazy_paragraph = leaf == "paragraph" and not opened
        if rest or opened:
            for container in containers[:matched]:
                if isinstance(container, _Item) and (rest or container is not containers[matched - 1]):
                    container.empty = False
        if not rest:
            if not all_matched:
                containers[matched:] = []
            leaf = None
            continue
        if indent >= 4:
            if lazy_paragraph:
                continue  # paragraph continuation text, even where containers did not match
            containers[matched:] = []
            leaf = "code"
            continue
        fence = _FENCE.match(rest)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            containers[matched:] = []
            cursor.advance(indent)
            leaf = _Fence(fence.group(1)[0], len(fence.group(1)), indent, fence.group(2).strip(" \t"), number,
                          "".join(pieces) + " " * indent, [])
            continue
        kind = _html_start(rest, interrupts_paragraph=lazy_paragraph)
        if kind is not None:
            containers[matched:] = []
            leaf = None if kind < 6 and _html_ends(kind, rest) else ("html", kind)
            continue
        if _ATX.match(rest) or cursor.thematic_break_at(cursor.nonblank()) or (leaf == "paragraph" and all_matched and not opened
                                                         and _SETEXT_UNDERLINE.match(rest)):
            containers[matched:] = []
            leaf = None
            continue
        if lazy_paragraph:
            continue
        containers[matched:] = []
        leaf = "paragraph"

    if isinstance(leaf, _Fence):
        close_fence(leaf, False)
    return found
