"""What a Mermaid label shows: entity codes decoded, `<br>` as a line break, simple emphasis.

The model keeps labels as written (`客户说 #quot;太贵了#quot;`, `需求分析<br>Needs analysis`,
"`**重点客户**`"), as Mermaid receives them. A drawing needs what Mermaid would show: lines of
styled runs; messages, tables and the JSON model need the same text without the styles
(`plain_text`, which the model's `text` fields use). This is the one place that reads label markup. Only a few inline tags are honoured (`<b>`, `<i>`, `<u>`, `<s>`, `<sub>`, `<sup>`
and their synonyms); other markup is shown as text, never interpreted. Long lines are wrapped to a
display width, CJK-aware, so a shape stays readable instead of growing very wide. The deadline and
rate written beside labels are shown as written, marked `(?)` when they do not read.
"""

from __future__ import annotations

import unicodedata

from ..lazy_regex import LazyRegex
from ..model import Edge, Node
from ..regex_cache import IGNORECASE, compiled, escape
from ..textwidth import display_width
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    import re
    from typing import Optional

BOLD, ITALIC, UNDERLINE, STRIKE, SUB, SUP = "B", "I", "U", "S", "SUB", "SUP"
STYLE_ORDER = (BOLD, ITALIC, UNDERLINE, STRIKE, SUB, SUP)  # the order tags open in


class Run(Fields):
    __slots__ = ()
    _fields = (
        "text",  # str
        "styles",  # frozenset[str]
    )

    def __new__(cls, text, styles=frozenset()):
        return tuple.__new__(cls, (text, styles))


Line = tuple[Run, ...]

_ENTITY = LazyRegex(r"#(\d+);|#([A-Za-z][A-Za-z0-9]*);")
_BREAK = LazyRegex(r"<br\s*/?>", IGNORECASE)
_TAG = LazyRegex(r"<(/?)(b|strong|i|em|u|s|del|strike|sub|sup)\s*>", IGNORECASE)
_TAG_STYLE = {
    "b": BOLD, "strong": BOLD, "i": ITALIC, "em": ITALIC, "u": UNDERLINE,
    "s": STRIKE, "del": STRIKE, "strike": STRIKE, "sub": SUB, "sup": SUP,
}


def decode_entities(text: str) -> str:
    """Mermaid's entity codes: `#quot;` → `"`, `#9829;` → `♥`; unknown names stay as written."""

    def one(match: re.Match[str]) -> str:
        import html  # imported on the first entity met: few labels have one

        if match.group(1) is not None:
            digits = match.group(1).lstrip("0") or "0"
            if len(digits) > 7:  # beyond U+10FFFF; and int() refuses over 4,300 digits
                return match.group(0)
            code = int(digits)
            if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return match.group(0)  # stands for no character: shown as written
            # As a browser reads `&#N;`: 128–159 are the Windows-1252 characters (`#133;` → `…`);
            # a control or noncharacter it drops is shown as U+FFFD, like one written raw.
            return html.unescape(f"&#{code};") or "\ufffd"
        entity = f"&{match.group(2)};"
        decoded = html.unescape(entity)
        return match.group(0) if decoded == entity else decoded

    return _ENTITY.sub(one, text)


def _html_runs(text: str) -> list[Line]:
    """Lines of runs from a text label: `<br>` breaks lines, known tags set styles."""
    lines: list[list[Run]] = [[]]
    active: list[str] = []
    for part_index, part in enumerate(_BREAK.split(text.replace("\r", ""))):
        if part_index:
            lines.append([])
        for segment_index, segment in enumerate(part.split("\n")):
            if segment_index:
                lines.append([])
            position = 0
            for tag in _TAG.finditer(segment):
                if tag.start() > position:
                    lines[-1].append(Run(decode_entities(segment[position : tag.start()]), frozenset(active)))
                style = _TAG_STYLE[tag.group(2).lower()]
                if tag.group(1):
                    if style in active:
                        active.remove(style)
                else:
                    active.append(style)
                position = tag.end()
            if position < len(segment):
                lines[-1].append(Run(decode_entities(segment[position:]), frozenset(active)))
    return [tuple(line) for line in lines]


def _is_word(line: str, index: int) -> bool:
    return 0 <= index < len(line) and (line[index].isalnum() or line[index] == "_")


# Where each emphasis marker stands, and the places a marker of emphasis may open.
_CLOSER = {marker: LazyRegex(f"(?={escape(marker)})") for marker in ("**", "__", "*", "_")}
_MARKER = LazyRegex(r"[*_]")


class _Closers:
    """Where a `marker` can close emphasis (right after a non-space character), asked in rising order."""

    def __init__(self, line: str, marker: str) -> None:
        after = len(marker)
        self.places = [
            match.start() for match in _CLOSER[marker].finditer(line)
            if match.start() > 0 and not line[match.start() - 1].isspace()
            and not (marker[0] == "_" and _is_word(line, match.start() + after))
        ]
        self.next = 0

    def first_from(self, position: int) -> int:
        """The first closing place at or after `position`, or -1; positions never go down."""
        while self.next < len(self.places) and self.places[self.next] < position:
            self.next += 1
        return self.places[self.next] if self.next < len(self.places) else -1


def emphasis(line: str) -> list[tuple[int, int, str, str]]:
    """(start, end, BOLD or ITALIC, inner text) for `**b**`, `__b__`, `*i*`, `_i_` in one line.

    An opener is followed by a non-space character, a closer follows one (and `_` never sits inside
    a word: `snake_case_name` stays plain, as in CommonMark); each opener takes the
    nearest closer (bold tried before italic), scanning left to right. Each closer is found from
    a precomputed list, so the work is linear: a pattern that searched ahead from every unclosed
    `*` would be quadratic (`*a *a *a …`).
    """
    closers = {marker: _Closers(line, marker) for marker in ("**", "__", "*", "_")}
    found = []
    position = 0
    for candidate in _MARKER.finditer(line):
        start = candidate.start()
        if start < position:
            continue
        char = line[start]
        if char == "_" and _is_word(line, start - 1):
            continue  # as in CommonMark, `_` inside a word (snake_case_name) is not emphasis
        for marker, style in ((char * 2, BOLD), (char, ITALIC)):
            inner = start + len(marker)
            if not line.startswith(marker, start) or inner >= len(line) or line[inner].isspace():
                continue
            close = closers[marker].first_from(inner + 1)
            if close != -1:
                found.append((start, close + len(marker), style, line[inner:close]))
                position = close + len(marker)
                break
    return found


def _markdown_runs(text: str) -> list[Line]:
    """Lines of runs from a "`…`" label: `**bold**`, `*italic*`/`_italic_`; newlines break lines."""
    lines = []
    for raw_line in _BREAK.sub("\n", text).split("\n"):
        runs: list[Run] = []
        position = 0
        for start, end, style, inner in emphasis(raw_line):
            if start > position:
                runs.append(Run(decode_entities(raw_line[position:start])))
            runs.append(Run(decode_entities(inner), frozenset({style})))
            position = end
        if position < len(raw_line):
            runs.append(Run(decode_entities(raw_line[position:])))
        lines.append(tuple(runs))
    return lines


def label_lines(label: str, label_format: str = "text") -> list[Line]:
    """The lines a label shows, each a tuple of styled runs; blank edges trimmed."""
    if label_format == "text" and not _MARKUP.search(label):
        stripped = label.strip()  # most labels: one line as written (see plain_text)
        return [(Run(stripped),)] if stripped else [()]
    lines = _markdown_runs(label) if label_format == "markdown" else _html_runs(label)
    trimmed = [_strip_line(line) for line in lines]
    while trimmed and not trimmed[0]:
        trimmed.pop(0)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed or [()]


def _strip_line(line: Line) -> Line:
    runs = [run for run in line if run.text]
    if runs:
        runs[0] = Run(runs[0].text.lstrip(), runs[0].styles)
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].styles)
    return tuple(run for run in runs if run.text)


_MARKUP = compiled(r"[#<\n\r]")  # a text label without these reads as written


def plain_text(label: str, label_format: str = "text") -> str:
    """The label as a reader sees it, as plain text: lines joined with newlines, each trimmed."""
    if label_format == "text" and not _MARKUP.search(label):
        return label.strip()
    return "\n".join("".join(run.text for run in line) for line in label_lines(label, label_format))


# ---------------------------------------------------------------------------------------------
# Wrapping

# No line may start with closing punctuation or end with opening punctuation (CJK line rules).
_NO_START = set("，。、；：？！）》」』】〉”’,.;:?!)]}%·…")
_NO_END = set("（《「『【〈“‘([{")


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


_BREAKING_SPACE = " \t\u3000"  # a no-break space (U+00A0) is not one: it keeps `⚠ rule` together
_SPACES_OR_CHARACTER = LazyRegex(r"[ \t\u3000]+|[^ \t\u3000]")
_AFTER_HYPHENS = LazyRegex(r"[^-]*-+|[^-]+$")


def _pieces(line: Line) -> list[Run]:
    """Break opportunities: each wide character alone, runs of other non-space characters, spaces.

    Each piece gathers its text as a list of strings, joined once at the end: growing a string one
    character at a time would take quadratic time on a long word.
    """
    out: list[tuple[list[str], frozenset[str]]] = []
    for run in line:
        for token in _SPACES_OR_CHARACTER.findall(run.text):
            glued = token[0] not in _BREAKING_SPACE and not _is_wide(token)
            if out and glued and out[-1][1] == run.styles:
                previous = out[-1][0][-1][-1]
                if previous not in _BREAKING_SPACE and not _is_wide(previous):
                    out[-1][0].append(token)
                    continue
            out.append(([token], run.styles))
    # Keep closing punctuation with the piece before it, opening punctuation with the one after.
    merged: list[tuple[list[str], frozenset[str]]] = []
    for parts, styles in out:
        if merged and (
            (parts[0][0] in _NO_START and merged[-1][0][-1][-1] not in _BREAKING_SPACE)
            or merged[-1][0][-1][-1] in _NO_END
        ):
            merged[-1][0].extend(parts)
            merged[-1] = (merged[-1][0], merged[-1][1] | styles)
        else:
            merged.append((list(parts), styles))
    return [Run("".join(parts), styles) for parts, styles in merged]


def _text_pieces(text: str) -> list[str]:
    """`_pieces` of a line of one run, as plain strings: the same break opportunities, worked out
    without a Run and a style comparison per character (a chart's long labels are wrapped by the
    thousand). Two neighbouring characters (or a character and a run of spaces) stay together
    exactly when `_pieces` keeps them together: both narrow and not spaces, or the second a
    closing mark after no space, or the first an opening mark."""
    pieces: list[str] = []
    parts: list[str] = []
    last = ""  # the last character of the previous token
    # The text's wide characters, each character asked about once, not at every token.
    wide = {character for character in set(text) if _is_wide(character)}
    for token in _SPACES_OR_CHARACTER.findall(text):
        first = token[0]
        if last and (
            (first not in _BREAKING_SPACE and last not in _BREAKING_SPACE and first not in wide and last not in wide)
            or (first in _NO_START and last not in _BREAKING_SPACE)
            or last in _NO_END
        ):
            parts.append(token)
        else:
            if parts:
                pieces.append("".join(parts))
            parts = [token]
        last = token[-1]
    if parts:
        pieces.append("".join(parts))
    return pieces


def _wrap_text(text: str, width: int) -> list[str]:
    """`wrap` of a line of one run, as the texts of its lines (none blank): what `_join` of the
    pieces gives, without a Run per piece."""
    out: list[str] = []
    current: list[str] = []
    used = 0
    for piece in _text_pieces(text):
        size = display_width(piece)
        if piece[0] in _BREAKING_SPACE:
            if current:
                current.append(piece)
                used += size
            continue
        if current and used + size > width:
            out.append("".join(current).strip())
            current, used = [], 0
        current.append(piece)
        used += size
    if current:
        out.append("".join(current).strip())
    return [line for line in out if line]


def wrapped_label(label: str, label_format: str, width: int) -> list[Line]:
    """`wrap(label_lines(label, label_format), width)`: a label's lines, wrapped; for the commonest
    label, one line of plain text that fits, without making its lines twice."""
    if label_format == "text" and not _MARKUP.search(label):
        stripped = label.strip()
        if stripped and display_width(stripped) <= width:
            return [(Run(stripped),)]
    return wrap(label_lines(label, label_format), width)


def _join(pieces: list[Run]) -> Line:
    groups: list[tuple[list[str], frozenset[str]]] = []
    for piece in pieces:
        if groups and groups[-1][1] == piece.styles:
            groups[-1][0].append(piece.text)
        else:
            groups.append(([piece.text], piece.styles))
    return _strip_line(tuple(Run("".join(parts), styles) for parts, styles in groups))


def wrap(lines: list[Line], width: int, hyphens: bool = False) -> list[Line]:
    """Lines no wider than `width` display columns where a break is possible (CJK counts 2).

    `hyphens`: a word too wide for a line may also break after a hyphen, which stays at the
    line's end (`handoff-` / `without-note`), for words such as rule names in a narrow drawing."""
    if len(lines) == 1 and len(lines[0]) == 1 and display_width(lines[0][0].text) <= width:
        return [lines[0]]  # most labels: one short run
    out: list[Line] = []
    for line in lines:
        if sum(display_width(run.text) for run in line) <= width:
            out.append(line)
            continue
        if len(line) == 1 and not hyphens:  # most long labels: one run of plain text
            out += [(Run(text, line[0].styles),) for text in _wrap_text(line[0].text, width)]
        else:
            out += _wrap_runs(line, width, hyphens)
    return [line for line in out if line] or [()]


def _wrap_runs(line: Line, width: int, hyphens: bool) -> list[Line]:
    """One line too wide for `width` cut into lines (some possibly blank) at its pieces."""
    out: list[Line] = []
    current: list[Run] = []
    used = 0
    pieces = _pieces(line)
    if hyphens:
        pieces = [part for piece in pieces for part in _at_hyphens(piece, width)]
    for piece in pieces:
        size = display_width(piece.text)
        if piece.text[0] in _BREAKING_SPACE:
            if current:
                current.append(piece)
                used += size
            continue
        if current and used + size > width:
            out.append(_join(current))
            current, used = [], 0
        current.append(piece)
        used += size
    if current:
        out.append(_join(current))
    return out


def _at_hyphens(piece: Run, width: int) -> list[Run]:
    """A piece wider than `width` cut after each hyphen in it (a hyphen ends its part); else as it is."""
    if "-" not in piece.text.rstrip("-") or display_width(piece.text) <= width:
        return [piece]
    return [Run(part, piece.styles) for part in _AFTER_HYPHENS.findall(piece.text)]


def line_width(line: Line) -> int:
    return sum(display_width(run.text) for run in line)


# A metadata value that does not read is still shown, as written, with this mark after it.
UNREADABLE_MARK = " (?)"


def due_text(node: Node) -> Optional[str]:
    """A node's deadline as shown: as written, marked when it does not read; None without one."""
    if node.due is not None:
        return node.due.text
    unreadable = node.unreadable_value("due")
    return (unreadable.text + UNREADABLE_MARK).strip() if unreadable is not None else None


def rate_text(edge: Edge) -> Optional[str]:
    """A link's conversion rate as shown: as written, marked when it does not read; None without one."""
    if edge.rate is not None:
        return edge.rate_text
    unreadable = edge.unreadable_value("rate")
    return (unreadable.text + UNREADABLE_MARK).strip() if unreadable is not None else None
