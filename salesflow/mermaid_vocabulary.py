"""Mermaid's flowchart vocabulary: the words and marks whose meaning Mermaid decides.

One place for what the parser, `fmt`, the linter and both renderers must agree on:

- the node shapes: the bracket shapes (`[…]`, `{…}`, `([…])`, …) and Mermaid 11's named shapes
  (`A@{ shape: doc }`) with all their aliases, in one table that says, per shape, what kind of
  step it implies (a decision, or a terminal that marks a start or an end), which bracket draws
  it when the chart is written without node data (`render -f mermaid --plain`), and which
  Graphviz shape draws it;
- the headers: which words start a flowchart and which a swimlane diagram, and the swimlane
  header salesflow writes;
- the node-id pattern (grammar/flowchart.lark keeps a copy as `NODE_ID`; a test checks that the
  two are the same text);
- the words Mermaid reserves, which cannot be node ids;
- the size limits of stock Mermaid (GitHub, mermaid.live);
- the `%%{…}%%` directive: how Mermaid removes it from a line, and which whole-line comments
  belong to one (`comment_blocks`).

Checked against Mermaid 11.17 and 12.3.
"""

from __future__ import annotations


from .lazy_regex import LazyRegex
from .memo import memoized
from .records import Fields
from .regex_cache import ASCII, escape

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:  # the model imports this module
    import re
    from typing import Iterable, Iterator, Optional

    from .model import Comment

# ---------------------------------------------------------------------------------------------
# Shapes

# Node shapes written with brackets, named as Mermaid names them in its flowchart database (the
# `type` of a vertex), with their opening and closing brackets. A node written without brackets
# has no shape of its own; Mermaid draws it as a rectangle.
BRACKETS = {
    "square": ("[", "]"),
    "round": ("(", ")"),
    "stadium": ("([", "])"),
    "subroutine": ("[[", "]]"),
    "cylinder": ("[(", ")]"),
    "circle": ("((", "))"),
    "doublecircle": ("(((", ")))"),
    "odd": (">", "]"),
    "diamond": ("{", "}"),
    "hexagon": ("{{", "}}"),
    "lean_right": ("[/", "/]"),
    "lean_left": ("[\\", "\\]"),
    "trapezoid": ("[/", "\\]"),
    "inv_trapezoid": ("[\\", "/]"),
}

DECISION = "decision"  # reads as a decision: `{}`, `{{}}`
TERMINAL = "terminal"  # reads as "the process starts or stops here" where nothing leads in or out


class Shape(Fields):
    __slots__ = ()
    _fields = (
        "names",  # tuple[str, ...]: Mermaid's `@{ shape: … }` names for it, its short name first
        "bracket",  # str: the bracket shape that draws it exactly, else the nearest one
        "exact",  # bool: whether `bracket` is this very shape (then the bracket name is one of its names)
        "kind",  # Optional[str]: DECISION, TERMINAL or None
        "graphviz",  # dict[str, str]: Graphviz node attributes; `_…` ones are hints for the DOT writer
    )

    def __new__(cls, names, bracket, exact, kind, graphviz):
        return tuple.__new__(cls, (names, bracket, exact, kind, graphviz))


def _graphviz(spec: str) -> dict[str, str]:
    shape, *attributes = spec.split()
    return {"shape": shape, **dict(attribute.split("=", 1) for attribute in attributes)}


# One row per shape: names, bracket, exact, kind, Graphviz ("" = as its bracket's own row).
#
# The nearest bracket must imply the same kind as the shape: `--plain` output is read again by
# salesflow and by people, and a `cloud` written `((…))` would turn into an end marker. Within
# that, it is the bracket whose outline is closest: curved sides (`delay`, `display`,
# `stored-data`) are `(…)`, a process with extra vertical lines (`lin-rect`) is `[[…]]` like a
# subroutine, a paper tape `flag` is the flag-like `>…]`; everything else is a plain `[…]`.
# Graphviz has more outlines than Mermaid has brackets (a note for a document, a folder, a
# house for a loop limit), so that column may be nearer than the bracket.
_ROWS: tuple[tuple[str, str, bool, Optional[str], str], ...] = (
    # The bracket shapes, under all their names.
    ("rect proc process rectangle", "square", True, None, "box"),
    ("rounded event", "round", True, None, "box style=rounded"),
    ("stadium terminal pill", "stadium", True, TERMINAL, "box style=rounded _pill=1"),
    ("fr-rect subprocess subproc framed-rectangle subroutine", "subroutine", True, None, "box peripheries=2"),
    ("cyl db database cylinder", "cylinder", True, None, "cylinder"),
    ("circle circ", "circle", True, TERMINAL, "circle"),
    ("dbl-circ double-circle doublecircle", "doublecircle", True, TERMINAL, "doublecircle"),
    ("odd", "odd", True, None, "cds"),
    ("diam decision diamond question", "diamond", True, DECISION, "diamond"),
    ("hex hexagon prepare", "hexagon", True, DECISION, "hexagon"),
    ("lean-r lean-right in-out", "lean_right", True, None, "parallelogram"),
    ("lean-l lean-left out-in", "lean_left", True, None, "polygon sides=4 skew=-0.4"),
    ("trap-b priority trapezoid trapezoid-bottom", "trapezoid", True, None, "trapezium"),
    ("trap-t manual trapezoid-top inv-trapezoid", "inv_trapezoid", True, None, "invtrapezium"),
    # Start and stop markers: Mermaid calls the small circle `start` and the framed one `stop`;
    # the filled circle (`junction`) is the start or end dot of activity diagrams.
    ("sm-circ small-circle start", "circle", False, TERMINAL, ""),
    ("f-circ filled-circle junction", "circle", False, TERMINAL, "circle _filled=1"),
    ("fr-circ framed-circle stop", "doublecircle", False, TERMINAL, ""),
    # Storage.
    ("datastore data-store", "cylinder", False, None, ""),
    ("h-cyl das horizontal-cylinder", "cylinder", False, None, ""),
    ("lin-cyl disk lined-cylinder", "cylinder", False, None, ""),
    ("bucket", "square", False, None, "cylinder"),
    # Curved sides.
    ("delay half-rounded-rectangle", "round", False, None, ""),
    ("curv-trap curved-trapezoid display", "round", False, None, ""),
    ("bow-rect stored-data bow-tie-rectangle", "round", False, None, ""),
    ("person", "square", False, None, "box style=rounded"),
    # Processes.
    ("lin-rect lined-rectangle lined-process lin-proc shaded-process", "subroutine", False, None, ""),
    ("st-rect procs processes stacked-rectangle", "square", False, None, "box peripheries=2"),
    ("notch-rect card notched-rectangle", "square", False, None, ""),
    ("div-rect div-proc divided-rectangle divided-process", "square", False, None, ""),
    ("win-pane internal-storage window-pane", "square", False, None, ""),
    ("tag-rect tagged-rectangle tag-proc tagged-process", "square", False, None, ""),
    ("sl-rect manual-input sloped-rectangle", "square", False, None, ""),
    ("bolt com-link lightning-bolt", "square", False, None, ""),
    ("fork join", "square", False, None, "box _bar=1"),
    ("icon", "square", False, None, ""),
    ("console", "square", False, None, "box3d"),
    ("browser", "square", False, None, "box3d"),
    # Documents.
    ("doc document", "square", False, None, "note"),
    ("lin-doc lined-document", "square", False, None, "note"),
    ("tag-doc tagged-document", "square", False, None, "note"),
    ("docs documents st-doc stacked-document", "square", False, None, "note peripheries=2"),
    ("folder directory", "square", False, None, "folder"),
    ("flag paper-tape", "odd", False, None, "tab"),
    # Other outlines. `bang` and `cloud` are round but not markers, so not `((…))`.
    ("bang", "square", False, None, "circle"),
    ("cloud", "square", False, None, "circle"),
    ("cross-circ summary crossed-circle", "square", False, None, "Mcircle"),
    ("tri extract triangle", "square", False, None, "triangle"),
    ("hourglass collate", "square", False, None, "invtriangle"),
    ("flip-tri manual-file flipped-triangle", "square", False, None, "invtriangle"),
    ("notch-pent loop-limit notched-pentagon", "square", False, None, "house"),
    # Text without an outline, and an invisible anchor.
    ("text", "square", False, None, "plaintext"),
    ("brace brace-l comment", "square", False, None, "plaintext"),
    ("brace-r", "square", False, None, "plaintext"),
    ("braces", "square", False, None, "plaintext"),
    ("anchor", "square", False, None, "point"),
)


def _table() -> dict[str, Shape]:
    own = {bracket: _graphviz(spec) for _names, bracket, exact, _kind, spec in _ROWS if exact}
    table: dict[str, Shape] = {}
    for names, bracket, exact, kind, spec in _ROWS:
        shape = Shape(tuple(names.split()), bracket, exact, kind, _graphviz(spec) if spec else own[bracket])
        for name in shape.names + ((bracket,) if exact else ()):
            table[name] = shape
    return table


# Every name a node's shape can have: a bracket name or a Mermaid shape name.
SHAPES: dict[str, Shape] = _table()
# The names Mermaid 11 accepts in `A@{ shape: … }`, aliases included.
MERMAID_SHAPES = frozenset(name for shape in SHAPES.values() for name in shape.names)
TERMINAL_SHAPES = frozenset(name for name, shape in SHAPES.items() if shape.kind == TERMINAL)
DECISION_SHAPES = frozenset(name for name, shape in SHAPES.items() if shape.kind == DECISION)
# A node without a shape of its own, as Graphviz draws it.
PLAIN_GRAPHVIZ = SHAPES["square"].graphviz


def shape_kind(name: str) -> Optional[str]:
    """DECISION, TERMINAL or None for a shape name (bracket or Mermaid name)."""
    return SHAPES[name].kind


def nearest_bracket(name: str) -> str:
    """The bracket shape that draws shape `name` in Mermaid without node data."""
    return SHAPES[name].bracket


def graphviz_attributes(name: Optional[str]) -> dict[str, str]:
    """Graphviz attributes for shape `name` (None: a node written without brackets); a fresh dict."""
    return dict(SHAPES[name].graphviz if name is not None else PLAIN_GRAPHVIZ)


# ---------------------------------------------------------------------------------------------
# Headers

# Mermaid's swimlane diagram (11.16 and later) is a flowchart — the same parser, the same database
# — whose top-level subgraphs are drawn as lanes. Mermaid 11.16 to 12.3 detect it by
# `swimlane-beta`; `swimlane` is the word announced for the releases after the beta. salesflow
# reads both (grammar/flowchart.lark, GRAPH) and writes the one the pinned current release accepts:
# tests/test_mermaid_differential.py checks this against Mermaid 11.17.2 and 12.3.0.
SWIMLANE_HEADERS = ("swimlane-beta", "swimlane")
SWIMLANE_HEADER = "swimlane-beta"


def is_swimlane_header(header: str) -> bool:
    """Whether a chart with this header keyword is a swimlane diagram (else a flowchart)."""
    return header in SWIMLANE_HEADERS


# ---------------------------------------------------------------------------------------------
# Node ids and reserved words

# A node id as Mermaid lexes one (the same text as NODE_ID in grammar/flowchart.lark): ASCII
# letters, digits and a few marks, letters and digits of any other script; a `-` only when no
# link follows it (`A-B` is one id, `A-->B` is two).
NODE_ID_PATTERN = r"(?:[A-Za-z0-9_!#$%&'*+.`?\/\\]|(?![\x00-\x7f])\w|-(?![->.]))+"
NODE_ID = LazyRegex(NODE_ID_PATTERN)  # compiled where ids are written (drafts, imports), not to lint

# `end` closes a subgraph wherever a node id could stand, and `end-stage` starts with it as
# Mermaid reads a word: `-` and `.` end one.
_STARTS_WITH_END = LazyRegex(r"end(?![A-Za-z0-9_])")
# Words Mermaid reserves wherever a node id could stand (`click`, `direction` are only keywords
# at the start of a statement, and stay usable as ids).
# Mermaid's flowchart lexer knows `swimlane-beta` as a header word everywhere, in flowcharts too.
RESERVED_WORDS = frozenset(
    {"graph", "flowchart", "flowchart-elk", "swimlane-beta", "subgraph", "style", "class", "classDef", "linkStyle"}
)
# The first characters of `end` and of the reserved words: an id starting with any other needs
# neither pattern below (most ids), and a chart names thousands of them.
KEYWORD_INITIALS = frozenset(word[0] for word in RESERVED_WORDS | {"end"})
# Words Mermaid reads as part of a `click` statement when a space or the line end follows them.
CLICK_WORDS = frozenset({"call", "href"})


# Mermaid's lexer takes a reserved word where a node id could stand whenever no ASCII letter, digit
# or `_` follows it (JavaScript's `\b`): `graph-x`, `style.x` and `swimlane-beta-2` are the keyword
# and then something Mermaid cannot read, not one id. Longer words first: `flowchart-elkx` starts
# with `flowchart`. (Words of one length in a fixed order: the same pattern at every start, so
# that its compiled form can be kept; see regex_cache.py.)
_STARTS_WITH_RESERVED = LazyRegex(
    "(?:" + "|".join(escape(w) for w in sorted(RESERVED_WORDS, key=lambda w: (-len(w), w))) + ")(?![A-Za-z0-9_])"
)


def starts_with_end(node_id: str) -> bool:
    """Whether Mermaid reads the keyword `end` at the start of `node_id` (`end`, `end-stage`)."""
    return _STARTS_WITH_END.match(node_id) is not None


def reserved_word_at_start(node_id: str) -> Optional[str]:
    """The reserved word Mermaid reads at the start of `node_id` (`graph` in `graph-x`), if any."""
    match = _STARTS_WITH_RESERVED.match(node_id)
    return match.group() if match else None


def is_reserved_id(node_id: str) -> bool:
    """Whether `node_id` can never be a node id: `end…` or a reserved word, alone or at its start."""
    return starts_with_end(node_id) or reserved_word_at_start(node_id) is not None


# ---------------------------------------------------------------------------------------------
# Size limits of stock Mermaid (GitHub, GitLab, Notion, mermaid.live): beyond these it draws an
# error box instead of the chart, unless the site raises `maxEdges` / `maxTextSize`.

MAX_EDGES = 500
MAX_TEXT_SIZE = 50_000


# ---------------------------------------------------------------------------------------------
# Directives: `%%{init: …}%%`

DIRECTIVE_OPEN = "%%{"
DIRECTIVE_CLOSE = "}%%"

# How Mermaid finds a directive inside a line (even inside a quoted label) before it parses:
# `%%{`, a word (with or without a `:` after it), then a word or everything up to the first
# `}%%` (over line ends; to the end of the chart if none follows), then the `}%%` if there is
# one. `\s` and `.` as in JavaScript, where Mermaid runs.
_JS_SPACE = "[\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_JS_ANY = "[^\n\r\u2028\u2029]"
_INLINE_DIRECTIVE = (
    rf"%%\{{{_JS_SPACE}*(?:\w+{_JS_SPACE}*:|\w+){_JS_SPACE}*"
    rf"(?:\w+|(?:(?!\}}%%){_JS_ANY}|\r?\n)*)?{_JS_SPACE}*(?:\}}%%)?"
)


@memoized(maxsize=None)
def _inline_directive() -> re.Pattern[str]:
    from .regex_cache import compiled

    return compiled(_INLINE_DIRECTIVE, ASCII)  # compiled on first use: it takes milliseconds


def inline_directives(text: str) -> Iterator[re.Match[str]]:
    """The directives in `text` as Mermaid finds them; one without `}%%` runs to the end."""
    return _inline_directive().finditer(text)


def opens_directive(comment_text: str) -> bool:
    """Whether a whole-line comment (its text after `%%`) starts a directive."""
    return comment_text.startswith("{")


def closes_directive(line: str) -> bool:
    """Whether a directive's line ends it (a directive may run over several lines)."""
    return DIRECTIVE_CLOSE in line


class CommentBlock(Fields):
    """An ordinary whole-line comment, or a directive with all its lines."""

    __slots__ = ()
    _fields = (
        "comments",  # tuple[Comment, ...]
        "directive",  # bool
        "closed",  # bool: False for a directive that no `}%%` ends: every later line is part of it
    )

    def __new__(cls, comments, directive, closed):
        return tuple.__new__(cls, (comments, directive, closed))

    @property
    def lines(self) -> list[str]:
        """As Mermaid text, unindented: `%%` and the first line's text, then the later lines."""
        first, *rest = self.comments
        return ["%%" + first.text.rstrip()] + [comment.text.rstrip() for comment in rest]


def comment_blocks(comments: Iterable[Comment]) -> list[CommentBlock]:
    """The comments of a chart (as the parser keeps them: the text after `%%` on a comment's
    first line, the whole line on a directive's later lines), grouped into blocks."""
    blocks: list[CommentBlock] = []
    directive: list[Comment] = []
    for comment in comments:
        if directive:
            directive.append(comment)
        elif opens_directive(comment.text):
            directive = [comment]
        else:
            blocks.append(CommentBlock((comment,), False, True))
            continue
        if closes_directive(comment.text):
            blocks.append(CommentBlock(tuple(directive), True, True))
            directive = []
    if directive:
        blocks.append(CommentBlock(tuple(directive), True, False))
    return blocks
