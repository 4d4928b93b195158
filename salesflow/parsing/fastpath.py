"""A fast reader of charts, made of the grammar's own terminals, for the charts it can vouch for.

Lark reads a chart with a contextual lexer: in each state of its LALR parser only the terminals
that state accepts are tried, in a fixed order (the first that matches wins), and whitespace is
skipped. The grammar's statements are simple enough that the state is known from the last token
read, so this module tries the same terminals, in the same order, in the same places, with plain
`re` matches and no parser tables: about three times faster than Lark, and without importing it.

It is a shortcut, never a second definition: the terminals are read from grammar/flowchart.lark
(salesflow/parsing/terminals.py); the terminals each place accepts, and their order, are Lark's
(tests/test_fast_path.py compares them with the lexer Lark builds); and the reader gives up
wherever the text is not a chart it can read to the end, so every syntax error is found and
explained by Lark as before. The same test parses every sample, every chart under tests/ (the
differential corpus included) and hundreds of mutated charts both ways and compares the models
or the errors.
"""

from __future__ import annotations

from ..mermaid_vocabulary import CLICK_WORDS
from ..regex_cache import escape
from .statements import SHAPE_TOKENS, Chain, Header, LinkRef, NodeRef, SubgraphBlock, SubgraphCloses, SubgraphOpens, Token

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    import re
    from typing import Any, Iterator, Optional

_LINKS = (
    "LINK", "LINK_THICK", "LINK_DOTTED", "LINK_INVISIBLE", "TEXT_LINK_DOTTED", "TEXT_LINK", "TEXT_LINK_THICK",
)
_SHAPES = (
    "SQUARE", "CIRCLE", "ROUND", "DOUBLECIRCLE", "DIAMOND", "CYLINDER", "HEXAGON", "LEAN_LEFT", "STADIUM",
    "SUBROUTINE", "INV_TRAPEZOID", "TRAPEZOID", "LEAN_RIGHT", "ODD",
)
_KEYWORD_STATEMENTS = (
    "SUBGRAPH_HEAD", "LINKSTYLE_STMT", "CLASSDEF_STMT", "CLASS_STMT", "DIRECTION_STMT", "STYLE_STMT",
    "CLICK_STMT", "ACC_DESCR_BLOCK", "ACC_DESCR", "ACC_TITLE",
)

# The terminals Lark's lexer tries at each place of a chart, in its order (whitespace aside: no
# terminal starts with a space or a tab, so skipping those first changes nothing).
CONTEXTS: dict[str, tuple[str, ...]] = {
    "start": ("GRAPH", "_SEP"),
    "after_graph": ("_SEP", "DIRECTION"),
    "after_header": ("_SEP",),
    # `end` is read as a NODE_ID and renamed END when it is the whole word, as Lark does.
    "statement": _KEYWORD_STATEMENTS + ("NODE_ID", "_SEP"),
    "after_node_id": ("EDGE_ID",) + _LINKS + _SHAPES + ("CLASS_SUFFIX", "NODE_DATA", "_SEP", "_AMP"),
    "after_shape": ("EDGE_ID",) + _LINKS + ("CLASS_SUFFIX", "NODE_DATA", "_SEP", "_AMP"),
    "after_node": ("EDGE_ID",) + _LINKS + ("_SEP", "_AMP"),
    "after_amp": ("NODE_ID",),
    "after_edge_id": _LINKS,
    "after_link": ("NODE_ID", "EDGE_LABEL"),
    "after_edge_label": ("NODE_ID",),
    "after_statement": ("_SEP",),
}

# Places read with the pattern of a larger place that tries their terminals in the same order,
# among others: one pattern fewer to build at each start. Where the larger pattern finds first a
# terminal the place does not accept (a second shape after a shape, say), the reader gives up and
# Lark reads the chart; anywhere else it finds what the place's own pattern would.
READ_WITH = {
    "after_shape": "after_node_id",
    "after_node": "after_node_id",
    "after_edge_id": "after_node_id",
    "after_amp": "after_link",
    "after_edge_label": "after_link",
}

# From this many characters on, each place tries only the alternatives that can begin with the
# next character (see `_ByFirstCharacter`). Its patterns and the first characters they are chosen
# by are kept beside the bytecode like the places' own, so making them costs about two million
# instructions: about what they save on 15,000 characters of chart (some 120 stages). Reading
# 1,000 to 2,000 stages then takes 6-7% fewer instructions.
BY_FIRST_CHARACTER_FROM = 20_000
# Places read with their whole pattern all the same: after a link come only a node id or a
# `|label|`, and choosing between two alternatives in Python costs more than the matcher trying
# both (after the 2,200 links of a 2,000-stage chart: 15.8 M instructions chosen, 10.0 M whole).
WHOLE_PATTERN_PLACES = frozenset({"after_link"})

_compiled: Optional[dict[str, re.Pattern[str]]] = None
_alternatives_kept: Optional[dict[str, list[str]]] = None  # as _patterns gave them to _contexts
_patterns_made_from: Optional[tuple] = None  # what they were derived from (see _made_from)
_matchers: Optional[dict[str, "_ByFirstCharacter | re.Pattern[str]"]] = None
# place → the terminals its pattern may find that the place does not accept
_refused: dict[str, frozenset[str]] = {}

# A node or link reference made as the tuple it is, without the Python-level `__new__` of a named
# tuple: a chart of 10,000 nodes makes some 40,000 of them (for the builder, the plain tuple).
_make_ref = tuple.__new__


def _contexts() -> dict[str, re.Pattern[str]]:
    """Each place's terminals as one pattern, built on first use, as Lark builds its scanner."""
    global _compiled, _alternatives_kept
    if _compiled is None:
        from ..regex_cache import compiled as compile_kept

        alternatives = _patterns()
        compiled = {name: compile_kept("[ \t]*(?:" + "|".join(texts) + ")") for name, texts in alternatives.items()}
        for name, names in CONTEXTS.items():
            reader = _reader(name)
            compiled[name] = compiled[reader]
            _refused[name] = frozenset(CONTEXTS[reader]) - frozenset(names)
        _compiled, _alternatives_kept = compiled, alternatives
    return _compiled


def _patterns() -> dict[str, list[str]]:
    """The alternatives of each place that has its own pattern (see READ_WITH), derived from the
    grammar, in the order they are tried.

    Deriving them reads every terminal of the grammar in Python at each start; they are kept
    beside the bytecode (salesflow/pycache.py) with what they were derived from — the grammar and
    the code of this module and of terminals.py, whole — and derived anew when any of it differs."""
    from .. import pycache
    from . import terminals

    global _patterns_made_from
    grammar = terminals.grammar_text()
    _patterns_made_from = _made_from(grammar)

    def derive() -> dict[str, list[str]]:
        sequences: dict = {}
        table = terminals.read_terminals(grammar, sequences)
        return {
            name: _alternatives(names, table, sequences) for name, names in CONTEXTS.items() if _reader(name) == name
        }

    return pycache.derived("fastpath", _patterns_made_from, derive)


def _made_from(grammar: str) -> Optional[tuple]:
    """What the places' patterns are derived from: the grammar and the code of this module and of
    terminals.py, whole; None when the code cannot be read back (then nothing is kept)."""
    import sys

    from . import terminals

    try:
        code = [module.__loader__.get_data(module.__file__) for module in (sys.modules[__name__], terminals)]
    except (AttributeError, OSError, TypeError):
        return None
    return (grammar, *code)


def _first_character_classes(alternatives: dict[str, list[str]]) -> dict[str, list[Optional[str]]]:
    """For each place, the first characters of each of its alternatives (see `_first_characters`),
    kept beside the bytecode as the alternatives are: working them out reads every alternative
    with the standard library's own parser of patterns, at each start of a large chart's reading."""
    from .. import pycache

    # Made from what the alternatives themselves were (see _patterns).
    return pycache.derived("fastpath-firsts", _patterns_made_from, lambda: {
        name: [_first_characters(text) for text in texts] for name, texts in alternatives.items()})


def _places() -> dict[str, "_ByFirstCharacter | re.Pattern[str]"]:
    """Each place's pattern, matched through the alternatives that can start where it is used
    (see `_ByFirstCharacter`); made on first use, for a large chart."""
    global _matchers
    if _matchers is None:
        compiled = _contexts()
        assert _alternatives_kept is not None
        classes = _first_character_classes(_alternatives_kept)
        matchers: dict = {
            name: compiled[name] if name in WHOLE_PATTERN_PLACES else _ByFirstCharacter(compiled[name], texts, classes[name])
            for name, texts in _alternatives_kept.items()
        }
        _matchers = {name: matchers[_reader(name)] for name in CONTEXTS}
    return _matchers


class _ByFirstCharacter:
    """A place's pattern that, at each position, tries only the alternatives that can begin with
    the character found there: the same match, without trying alternatives that cannot match.

    Lark's order stays, and every alternative that could match is still tried: an alternative
    is left out only where its first character (worked out from the pattern itself by
    `_first_characters`, erring towards "any") can be neither the character at the position, nor
    the blank before it that the pattern's leading `[ \t]*` may give back. A position after two
    blanks, or at the end, is read with the whole pattern.
    """

    __slots__ = ("whole", "_alternatives", "_classes", "_firsts", "by_character", "_by_choice")

    def __init__(self, whole: re.Pattern[str], alternatives: list[str], classes: list[Optional[str]]) -> None:
        self.whole = whole
        self._alternatives = alternatives
        self._classes = classes  # each alternative's first characters, as a pattern (None: any)
        self._firsts: Optional[list[Optional[re.Pattern[str]]]] = None  # compiled on first use
        # The pattern for each character met so far (never a blank): the reader looks here first.
        self.by_character: dict[str, re.Pattern[str]] = {}
        self._by_choice: dict[tuple[int, ...], re.Pattern[str]] = {}  # few choices: one pattern each

    def match(self, text: str, pos: int = 0) -> Optional[re.Match[str]]:
        first = text[pos : pos + 1]
        if first == " " or first == "\t":
            first = text[pos + 1 : pos + 2]
            if first == " " or first == "\t":
                return self.whole.match(text, pos)
        if not first:
            return self.whole.match(text, pos)
        pattern = self.by_character.get(first)
        if pattern is None:
            pattern = self.by_character[first] = self._for(first)
        return pattern.match(text, pos)

    def _for(self, first: str) -> re.Pattern[str]:
        from ..regex_cache import compiled as compile_kept

        if self._firsts is None:
            self._firsts = [None if text is None else compile_kept(text) for text in self._classes]
        choice = tuple(
            index
            for index, firsts in enumerate(self._firsts)
            if firsts is None or firsts.match(first) or firsts.match(" ") or firsts.match("\t")
        )
        pattern = self._by_choice.get(choice)
        if pattern is None:
            if len(choice) == len(self._alternatives):
                pattern = self.whole
            else:
                texts = [self._alternatives[index] for index in choice] or ["(?!)"]
                pattern = compile_kept("[ \t]*(?:" + "|".join(texts) + ")")
            self._by_choice[choice] = pattern
        return pattern


def _by_character(place: "_ByFirstCharacter | re.Pattern[str]") -> dict[str, re.Pattern[str]]:
    """The table of a place's narrowed patterns by first character (see `statements`); an empty
    one for a place read with its whole pattern."""
    return place.by_character if type(place) is _ByFirstCharacter else {}


def _first_characters(pattern: str) -> Optional[str]:
    """A pattern of one character that every match of `pattern` begins with; None for "any" (a
    negated class, a flag, a construct not looked into, or a pattern that can match nothing at all)."""
    try:
        from re import _constants as op, _parser  # the standard library's own reading of a pattern
    except ImportError:  # pragma: no cover - another Python: every alternative is tried
        return None
    # \w, \d and \s as a class of the same kind, compiled the same way (Unicode), reads them alike.
    categories = {
        op.CATEGORY_WORD: r"\w", op.CATEGORY_DIGIT: r"\d", op.CATEGORY_SPACE: r"\s",
        op.CATEGORY_NOT_WORD: r"\W", op.CATEGORY_NOT_DIGIT: r"\D", op.CATEGORY_NOT_SPACE: r"\S",
    }

    def of_class(items: list) -> Optional[list[str]]:
        found = []
        for kind, value in items:
            if kind is op.LITERAL:
                found.append(escape(chr(value)))
            elif kind is op.RANGE:
                found.append(f"[{escape(chr(value[0]))}-{escape(chr(value[1]))}]")
            elif kind is op.CATEGORY and value in categories:
                found.append(categories[value])
            else:  # a negated class, or something else
                return None
        return found

    def of_sequence(items: Any) -> tuple[Optional[list[str]], bool]:
        """(first characters as parts of a pattern; whether the sequence can match nothing)."""
        found: list[str] = []
        for kind, value in items:
            if kind is op.LITERAL:
                first, empty = [escape(chr(value))], False
            elif kind is op.IN:
                first, empty = of_class(value), False
            elif kind in (op.MAX_REPEAT, op.MIN_REPEAT, op.POSSESSIVE_REPEAT):
                first, empty = of_sequence(value[2])
                empty = empty or value[0] == 0
            elif kind is op.SUBPATTERN:
                if value[1] or value[2]:  # flags switched on or off inside
                    return None, True
                first, empty = of_sequence(value[3])
            elif kind is op.ATOMIC_GROUP:
                first, empty = of_sequence(value)
            elif kind is op.BRANCH:
                first, empty = [], False
                for branch in value[1]:
                    branch_first, branch_empty = of_sequence(branch)
                    if branch_first is None:
                        return None, True
                    first += branch_first
                    empty = empty or branch_empty
            elif kind is op.GROUPREF_EXISTS:
                first, empty = of_sequence(value[1])
                if first is not None:
                    other_first, other_empty = of_sequence(value[2]) if value[2] is not None else ([], True)
                    first = None if other_first is None else first + other_first
                    empty = empty or other_empty
            elif kind in (op.ASSERT, op.ASSERT_NOT, op.AT):
                continue  # takes no character: the next item begins the match
            else:
                return None, True
            if first is None:
                return None, True
            found += first
            if not empty:
                return found, False
        return found, True

    try:
        first, empty = of_sequence(_parser.parse(pattern))
    except Exception:  # pragma: no cover - a pattern read otherwise than expected: try it everywhere
        return None
    return None if first is None or empty or not first else "|".join(first)


def _reader(place: str) -> str:
    """The place whose pattern reads `place`: READ_WITH's, if it does try the place's terminals in
    the place's order."""
    larger = READ_WITH.get(place)
    if larger is None:
        return place
    tried = iter(CONTEXTS[larger])
    return larger if all(name in tried for name in CONTEXTS[place]) else place


def _alternatives(names: tuple[str, ...], table: dict, sequences: dict) -> list[str]:
    """The alternatives of a place's pattern: each terminal a named group, in order; but a run of
    terminals that all wrap the same terminal (the shapes: brackets around a label) as one
    alternative that tries their openings in order, reads the label once and then the closing of
    the opening that matched (a conditional group: an opening whose alternative failed counts as
    unmatched when the next is tried). The regular expression engine tries the same texts in the
    same order as it would the terminals one by one, and the shapes take a quarter of the room."""
    alternatives: list[str] = []
    run: list[tuple[str, str, str, str]] = []  # (terminal, opening, wrapped terminal, closing)

    def close_run() -> None:
        if len(run) == 1:
            alternatives.append(f"(?P<{run[0][0]}>{table[run[0][0]].regexp})")
        elif run:
            openings = "|".join(f"(?P<{name}>{opening})" for name, opening, _middle, _closing in run)
            closing = f"(?:{run[-1][3]})"
            for name, _opening, _middle, closing_text in reversed(run[:-1]):
                closing = f"(?({name})(?:{closing_text})|{closing})"
            alternatives.append(f"(?:{openings})(?:{table[run[0][2]].regexp}){closing}")
        run.clear()

    for name in names:
        wrapped = _wrapping(name, table, sequences)
        if wrapped is None or (run and run[0][2] != wrapped[1]):
            close_run()
        if wrapped is None:
            alternatives.append(f"(?P<{name}>{table[name].regexp})")
        else:
            run.append((name, wrapped[0], wrapped[1], wrapped[2]))
    close_run()
    return alternatives


def _wrapping(name: str, table: dict, sequences: dict) -> Optional[tuple[str, str, str]]:
    """(opening, wrapped terminal, closing) when terminal `name` is a sequence of plain parts, one
    other terminal, plain parts; None otherwise. Only parts without a `|` are taken, and a wrapped
    terminal that is a choice (which the grammar reader puts in a group), so that reading the
    three as groups one after another changes nothing."""
    parts = sequences.get(name)
    if not parts:
        return None
    inner = [index for index, (part_name, _text) in enumerate(parts) if part_name is not None]
    if len(inner) != 1:
        return None
    middle = parts[inner[0]][0]
    opening = "".join(text for _name, text in parts[: inner[0]])
    closing = "".join(text for _name, text in parts[inner[0] + 1 :])
    if middle in sequences or "|" in opening or "|" in closing or not opening or not closing:
        return None
    return opening, middle, closing


class _Reader:
    """Reads one chart from the start; every token it makes carries Lark's positions."""

    __slots__ = ("text", "line", "line_start", "pos")

    def __init__(self, text: str) -> None:
        self.text = text
        self.line = 1
        self.line_start = 0  # offset of the first character of the current line
        self.pos = 0  # offset up to which lines are counted

    def token(self, kind: str, start: int, end: int) -> Token:
        text = self.text
        if self.pos < start:
            newlines = text.count("\n", self.pos, start)
            if newlines:
                self.line += newlines
                self.line_start = text.rindex("\n", self.pos, start) + 1
        token = Token(text[start:end])
        token.type = kind
        token.start_pos = start
        token.line = self.line
        token.column = start - self.line_start + 1
        if "\n" in token:  # rarely: most tokens are one line, and the test costs no call
            self.line += token.count("\n")
            self.line_start = text.rindex("\n", start, end) + 1
        token.end_line = self.line
        token.end_column = end - self.line_start + 1
        token.end_pos = end
        self.pos = end
        return token


def read(text: str) -> Optional[list]:
    """The statements of `text` (the prepared chart) as Lark's parser gives them, subgraphs
    nested; None where the chart is not one this reader can read to the end."""
    body: list = []
    outer: list[list] = []
    for statement in statements(text):
        if statement is None:
            return None
        kind = type(statement)
        if kind is SubgraphOpens:
            outer.append(body)
            body = [statement.head]
        elif kind is SubgraphCloses:
            block = SubgraphBlock(body[0], body[1:], statement.end)
            body = outer.pop()
            body.append(block)
        else:
            body.append(statement)
    return body


def statements(text: str, for_builder: bool = False) -> Iterator[Optional[object]]:
    """The statements of `text` (the prepared chart), one at a time, in the order Lark's parser
    makes them: the header, then chains and keyword statements, a subgraph as where it opens, its
    statements and where it closes. Where the chart is not one this reader can read to the end,
    the last thing it gives is None: Lark then reads the chart, and gives every error.

    `for_builder`: the statements are for the builder alone, which unpacks node and link
    references (plain tuples, not the named tuples a tuple costs several times to become) and
    takes a node named again without a label as its plain text (see `named` below); otherwise
    every node id is a token with its place, as Lark gives it (fmt places comments by them)."""
    patterns = _places() if len(text) >= BY_FIRST_CHARACTER_FROM else _contexts()
    start_context = patterns["start"]
    statement_context = patterns["statement"]
    after_node_id = patterns["after_node_id"]
    after_shape = patterns["after_shape"]
    after_node = patterns["after_node"]
    after_amp = patterns["after_amp"]
    after_edge_id = patterns["after_edge_id"]
    after_link = patterns["after_link"]
    after_edge_label = patterns["after_edge_label"]
    after_statement = patterns["after_statement"]
    # Where a place's narrowed pattern for the character found is known already, the reader
    # takes it from the place's table itself: going through `_ByFirstCharacter.match` is a Python
    # call at each of some 15,000 places of a 2,000-stage chart, and costs about half as much as
    # the match. A blank, the end of the text or a character not met yet goes through `match`,
    # which fills the table; a place read with its whole pattern has no table.
    statement_by = _by_character(statement_context)
    after_statement_by = _by_character(after_statement)
    after_node_id_by = _by_character(after_node_id)
    after_shape_by = _by_character(after_shape)
    after_node_by = _by_character(after_node)
    # What a place's pattern may find that the place does not take (see READ_WITH): the reader
    # gives up there.
    refused_after_shape = _refused["after_shape"]
    refused_after_node = _refused["after_node"]
    refused_after_amp = _refused["after_amp"]
    refused_after_edge_id = _refused["after_edge_id"]
    refused_after_edge_label = _refused["after_edge_label"]
    reader = _Reader(text)
    make = reader.token
    length = len(text)
    # For the builder, the node ids already given as tokens. A node named again without a label
    # (most often in a link, after its own line) is given as its plain text: the builder only
    # looks it up, as it has made the node already, and a token costs several times the text. Where the builder
    # would point at the mention — a label (`A[""]`), or one of the words a `click` statement
    # starts with — the mention is a token all the same; and the builder treats an id first
    # made by a `style` statement as new, which this reader does not count (no token of its).
    named: set[str] = set()

    # ------------------------------------------------------------------ the header
    match = start_context.match(text)
    if match is not None and match.lastgroup == "_SEP":
        match = start_context.match(text, match.end())
    if match is None or match.lastgroup != "GRAPH":
        yield None
        return
    keyword = make("GRAPH", match.start("GRAPH"), match.end())
    pos = match.end()
    match = patterns["after_graph"].match(text, pos)
    direction = None
    if match is not None and match.lastgroup == "DIRECTION":
        direction = make("DIRECTION", match.start("DIRECTION"), match.end())
        pos = match.end()
        match = patterns["after_header"].match(text, pos)
    yield Header(keyword, direction)
    open_blocks: list[Token] = []  # the heads of the subgraphs open here

    # ------------------------------------------------------------------ statements
    while True:
        # Here `match` is what follows a statement: a separator, or nothing but the end.
        if match is None or match.lastgroup != "_SEP":
            if text[pos:].strip(" \t") or open_blocks:
                yield None
            return
        pos = match.end()
        if pos == length:
            if open_blocks:
                yield None
            return
        match = (statement_by.get(text[pos : pos + 1]) or statement_context).match(text, pos)
        if match is None:
            yield None
            return
        kind = match.lastgroup
        if kind != "NODE_ID":
            if kind == "_SEP":  # only a separator takes a separator's place; it cannot follow one
                yield None
                return
            token = make(kind, match.start(kind), match.end())
            pos = match.end()
            if kind == "SUBGRAPH_HEAD":
                open_blocks.append(token)
                yield SubgraphOpens(token)
            else:
                yield token
            match = (after_statement_by.get(text[pos : pos + 1]) or after_statement).match(text, pos)
            continue
        start = match.start(kind)
        pos = match.end()
        if pos - start == 3 and text.startswith("end", start):
            if not open_blocks:
                yield None  # Lark reads an `end` there too, and refuses it
                return
            yield SubgraphCloses(open_blocks.pop(), make("END", start, pos))
            match = (after_statement_by.get(text[pos : pos + 1]) or after_statement).match(text, pos)
            continue

        # A chain: groups of nodes joined by links.
        items: list = []
        group: list = []
        while True:
            # The node whose NODE_ID runs from `start` to `pos`.
            id_start, id_end = start, pos
            shape = label = data = suffix = None
            match = (after_node_id_by.get(text[pos : pos + 1]) or after_node_id).match(text, pos)
            kind = match.lastgroup if match is not None else None
            if kind in SHAPE_TOKENS:
                shape, opening, closing = SHAPE_TOKENS[kind]
                label = text[match.start(kind) + opening : match.end() - closing]
                pos = match.end()
                match = (after_shape_by.get(text[pos : pos + 1]) or after_shape).match(text, pos)
                kind = match.lastgroup if match is not None else None
                if kind in refused_after_shape:
                    yield None
                    return
            written = text[id_start:id_end]
            if shape is None and written in named and written not in CLICK_WORDS:
                # A node named again, without a label: the builder only looks it up (see `named`).
                node_id = written
            else:
                node_id = make("NODE_ID", id_start, id_end)
                if for_builder:
                    named.add(written)
            if kind == "NODE_DATA" or kind == "CLASS_SUFFIX":
                pos = match.end()
                token = make(kind, match.start(kind), pos)
                if kind == "NODE_DATA":
                    data = token
                else:
                    suffix = token
                match = (after_node_by.get(text[pos : pos + 1]) or after_node).match(text, pos)
                kind = match.lastgroup if match is not None else None
                if kind in refused_after_node:
                    yield None
                    return
            ref = (node_id, shape, label, data, suffix)
            group.append(ref if for_builder else _make_ref(NodeRef, ref))
            if kind is None or kind == "_SEP":
                items.append(group)
                break
            if kind == "_AMP":
                match = after_amp.match(text, match.end())
                if match is None or match.lastgroup in refused_after_amp:
                    yield None
                    return
                start, pos = match.start("NODE_ID"), match.end()
                continue
            # A link, perhaps after an edge id and before a `|label|`.
            edge_id = pipe = None
            if kind == "EDGE_ID":
                edge_id = make(kind, match.start(kind), match.end())
                match = after_edge_id.match(text, match.end())
                if match is None or match.lastgroup in refused_after_edge_id:
                    yield None
                    return
                kind = match.lastgroup
            link = make(kind, match.start(kind), match.end())
            match = after_link.match(text, match.end())
            if match is None:
                yield None
                return
            if match.lastgroup == "EDGE_LABEL":
                pipe = make("EDGE_LABEL", match.start("EDGE_LABEL"), match.end())
                match = after_edge_label.match(text, match.end())
                if match is None or match.lastgroup in refused_after_edge_label:
                    yield None
                    return
            items.append(group)
            ref = (link, edge_id, pipe)
            items.append(ref if for_builder else _make_ref(LinkRef, ref))
            group = []
            start, pos = match.start("NODE_ID"), match.end()
        if len(items) == 1 and len(items[0]) == 1 and data is not None and shape is None:
            # `e1@{ … }` alone: the builder reads it as the data of edge `e1` if there is one,
            # and makes no node; a later mention must be a token, in case it is the first.
            named.discard(written)
        # `match` is what follows the chain: a separator, or None at the end of the text.
        yield Chain(items)
