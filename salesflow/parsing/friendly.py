"""Turning Lark's syntax errors into messages a sales manager can act on.

Lark says which terminals it expected at which offset; this module looks at the text around
that spot to recognise the common mistakes and say what to write instead.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..i18n import N_, _, gettext
from ..mermaid_vocabulary import BRACKETS


class Problem(NamedTuple):
    message: str
    line: int
    column: int
    width: int = 1


_LINK_TERMINALS = {
    "LINK", "LINK_THICK", "LINK_DOTTED", "LINK_INVISIBLE", "TEXT_LINK", "TEXT_LINK_THICK", "TEXT_LINK_DOTTED",
}
_NAMES = {
    "NODE_ID": N_("a node id"),
    "_SEP": N_("a new line or `;`"),
    "$END": N_("the end of the chart"),
    "GRAPH": N_("a header such as `flowchart TD`"),
    "DIRECTION": N_("a direction (TB, TD, BT, RL or LR)"),
    "END": N_("`end`"),
    "TEXT": N_("label text"),
    "STRING": N_('a quoted label ("…")'),
    "MD_STRING": N_('a markdown label ("`…`")'),
    "EDGE_LABEL": N_("a link label `|…|`"),
    "EDGE_ID": N_("an edge id such as `e1@`"),
    "NODE_DATA": N_("node data `@{ … }`"),
    "CLASS_SUFFIX": N_("a class such as `:::hot`"),
    "_AMP": N_("`&`"),
    "SUBGRAPH_HEAD": N_("`subgraph`"),
    "DIRECTION_STMT": N_("`direction`"),
    "CLASSDEF_STMT": N_("`classDef`"),
    "CLASS_STMT": N_("`class`"),
    "STYLE_STMT": N_("`style`"),
    "LINKSTYLE_STMT": N_("`linkStyle`"),
    "CLICK_STMT": N_("`click`"),
    "ACC_TITLE": N_("`accTitle:`"),
    "ACC_DESCR": N_("`accDescr:`"),
    "ACC_DESCR_BLOCK": N_("`accDescr {`"),
}
_LOWER_DIRECTION = re.compile(r"(?i)(tb|td|bt|rl|lr)(?![\w])")
_HEADER_WORD = re.compile(r"(?i)(graph|flowchart|swimlane-beta|swimlane)(?![\w])")


def _describe(name: str, terminal_patterns: dict[str, str]) -> str:
    if name in _NAMES:
        return gettext(_NAMES[name])
    if name in _LINK_TERMINALS:
        return _("a link such as `{link}`", link="-->")
    pattern = terminal_patterns.get(name)
    if pattern is not None:
        return f"`{pattern}`"
    return name.lower().replace("_", " ")


def _expected_list(expected: set[str], terminal_patterns: dict[str, str]) -> str:
    described: list[str] = []
    for name in sorted(expected):
        text = _describe(name, terminal_patterns)
        if text not in described:
            described.append(text)
    if len(described) > 6:
        described = described[:6] + ["…"]
    return _(", ").join(described)


def _offset(text: str, line: int, column: int) -> int:
    """Offset in `text` of a 1-based line and column."""
    position = 0
    for _ in range(line - 1):
        nxt = text.find("\n", position)
        if nxt < 0:
            return len(text)
        position = nxt + 1
    return min(len(text), position + column - 1)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


# The grammar names each shape terminal after its bracket shape, in upper case.
_SHAPE_TERMINALS = {shape.upper() for shape in BRACKETS}
# Each opening bracket and the closing brackets that may end its label, longest openers first.
_CLOSERS_OF = tuple(
    (opener, tuple(closing for opening, closing in BRACKETS.values() if opening == opener))
    for opener in sorted(dict.fromkeys(opening for opening, _closing in BRACKETS.values()), key=len, reverse=True)
)
_LINK_INSIDE = re.compile(r"--|==|-\.|~~~")


def _quoted_example() -> str:
    return _("A[\"text (with brackets)\"]")


def diagnose_label(text: str, offset: int) -> Optional[Problem]:
    """Why no shape could be read at `offset`, where a bracket follows a node id."""
    opener, closers = next(((o, c) for o, c in _CLOSERS_OF if text.startswith(o, offset)), (None, ()))
    if opener is None:
        return None
    o_line, o_col = _line_col(text, offset)
    closer_names = _(" or ").join(f"`{c}`" for c in closers)
    unclosed = Problem(
        _("this `{opener}` is never closed: end the label with {closers}", opener=opener, closers=closer_names),
        o_line, o_col, len(opener),
    )
    position = offset + len(opener)
    while position < len(text) and text[position] in " \t\n":
        position += 1
    if text.startswith('"', position):
        end_quote = text.find('"', position + 2 if text.startswith('"`', position) else position + 1)
        if end_quote < 0:
            return Problem(_("this quote is never closed: add the closing `{quote}`", quote='"'), *_line_col(text, position))
        after = end_quote + 1
        while after < len(text) and text[after] in " \t\n":
            after += 1
        if any(text.startswith(c, after) for c in closers):
            return None
        if after >= len(text):
            return unclosed
        return Problem(
            _("after a quoted label comes {closers}: put all of the label inside the quotes", closers=closer_names),
            *_line_col(text, after),
        )
    scan = position
    while scan < len(text):
        ch = text[scan]
        if ch in '[](){}"|' or (ch in "/\\" and text.startswith("]", scan + 1)):
            break
        scan += 1
    if scan >= len(text):
        return _full_width_closer(text, position, closers) or unclosed
    if scan == position and any(text.startswith(c, scan) for c in closers):
        return Problem(_("the label is empty: write some text between the brackets"), *_line_col(text, scan))
    swallowed = text[position:scan]
    if "\n" in swallowed or _LINK_INSIDE.search(swallowed):
        return _full_width_closer(text, position, closers) or unclosed
    ch = text[scan]
    if ch in "/\\" or any(text.startswith(c, scan) for c in closers):
        return Problem(
            _("this label must end with {closers} to match its `{opener}`", closers=closer_names, opener=opener),
            *_line_col(text, scan),
        )
    if swallowed and swallowed[0] in _CHINESE_QUOTES:
        return Problem(
            _(
                "`{mark}` is a Chinese quotation mark, which Mermaid reads as part of the text: quote the label with "
                "the ASCII `{quote}`, e.g. `{example}`",
                mark=swallowed[0], quote='"', example=_quoted_example(),
            ),
            *_line_col(text, position),
        )
    return Problem(
        _(
            "`{character}` cannot appear in a label without quotes: put the whole label in double quotes, e.g. `{example}`",
            character=ch, example=_quoted_example(),
        ),
        *_line_col(text, scan),
    )


def _diagnose_data(text: str, offset: int) -> Optional[Problem]:
    """Why node data `@{…}` at `offset` could not be read: a quote or the brace is never closed."""
    position = offset + 2
    while position < len(text):
        ch = text[position]
        if ch == "}":
            return None
        if ch == '"':
            closing = text.find('"', position + 1)
            if closing < 0:
                return Problem(_("this quote is never closed: add the closing `{quote}`", quote='"'), *_line_col(text, position))
            position = closing
        position += 1
    return Problem(_("this `{opener}` is never closed: end the node data with `{closer}`", opener="@{", closer="}"), *_line_col(text, offset), 2)


# Punctuation that a Chinese keyboard types in place of what Mermaid needs.
_FULL_WIDTH = {
    "【": "[", "】": "]", "（": "(", "）": ")", "｛": "{", "｝": "}", "；": ";", "｜": "|", "＆": "&", "：": ":",
    "＞": ">", "》": ">", "＜": "<", "《": "<", "－": "-", "—": "-", "–": "-", "＝": "=", "～": "~",
}
_FULL_WIDTH_BRACKETS = {"【": "A[线索]", "（": "A(线索)", "｛": "A{线索}"}
_LINK_RUN = re.compile(r"[<《＜]?[-—–－=＝.]+[>》＞]?")
_MERMAID_LINK = re.compile(r"<?(?:-{2,}>|-{3,}|={2,}>|={3,}|-\.+->?)")
# Quotation marks a Chinese keyboard types, which Mermaid reads as ordinary label text.
_CHINESE_QUOTES = "“”‘’「」『』"


def _keyboard_slip(text: str, offset: int) -> Optional[Problem]:
    """Full-width punctuation where Mermaid's own is needed: `A【线索】`, `A（线索）`, `A ——> B`."""
    line, column = _line_col(text, offset)
    run = _LINK_RUN.match(text, offset)
    written = run.group() if run else ""
    if len(written) >= 2 and any(ch in _FULL_WIDTH for ch in written):
        fixed = "".join(_FULL_WIDTH.get(ch, ch) for ch in written)
        if not _MERMAID_LINK.fullmatch(fixed):
            fixed = "-->"
        named = _(", ").join(f"`{ch}`" for ch in dict.fromkeys(written) if ch in _FULL_WIDTH)
        return Problem(
            _(
                "`{written}` is typed with full-width characters from a Chinese keyboard ({named}): write the link as `{fixed}`",
                written=written, named=named, fixed=fixed,
            ),
            line, column, len(written),
        )
    ch = text[offset : offset + 1]
    if ch not in _FULL_WIDTH:
        return None
    if ch in _FULL_WIDTH_BRACKETS:
        example = _FULL_WIDTH_BRACKETS[ch]
        return Problem(
            _(
                "`{character}` is a full-width bracket from a Chinese keyboard: write `{ascii}`, e.g. `{example}`",
                character=ch, ascii=_FULL_WIDTH[ch], example=example,
            ),
            line, column,
        )
    return Problem(
        _("`{character}` is a full-width character from a Chinese keyboard: write `{ascii}`", character=ch, ascii=_FULL_WIDTH[ch]),
        line, column,
    )


def _full_width_closer(text: str, start: int, closers: tuple[str, ...]) -> Optional[Problem]:
    """A label that ends with a full-width bracket (`A[线索】`), which Mermaid reads as text."""
    end_of_line = text.find("\n", start)
    line_text = text[start : end_of_line if end_of_line >= 0 else len(text)]
    for opener, wide in (("【", "】"), ("（", "）"), ("｛", "｝")):
        index = line_text.find(wide)
        # `A[【重要】报价` uses the pair as text on purpose; only a lone closer is the slip.
        if index >= 0 and _FULL_WIDTH[wide] in closers and opener not in line_text[:index]:
            return Problem(
                _(
                    "`{character}` is a full-width bracket from a Chinese keyboard: end the label with `{ascii}`",
                    character=wide, ascii=_FULL_WIDTH[wide],
                ),
                *_line_col(text, start + index),
            )
    return None


def _stack(exc: UnexpectedInput) -> list:
    interactive = getattr(exc, "interactive_parser", None)
    return list(interactive.parser_state.value_stack) if interactive is not None else []


def explain(exc: UnexpectedInput, text: str, terminal_patterns: dict[str, str]) -> Problem:
    """A positioned, plain-words account of a syntax error in the (preprocessed) chart `text`."""
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        found_type = token.type
        expected = set(exc.expected)
        if found_type == "$END" or getattr(token, "line", -1) in (-1, None):
            offset = len(text.rstrip())
            found_text = ""
        else:
            offset = token.start_pos if token.start_pos is not None else _offset(text, token.line, token.column)
            found_text = str(token)
    else:
        assert isinstance(exc, UnexpectedCharacters)
        offset = exc.pos_in_stream
        expected = set(exc.allowed or ())
        found_type = None
        found_text = text[offset : offset + 1]
    line, column = _line_col(text, offset)
    rest = text[offset:]
    first_line_rest = rest.split("\n", 1)[0]
    shown = (found_text or first_line_rest[:1]).split("\n", 1)[0]
    width = max(1, len(shown))

    header_done = any(type(value).__name__ == "Header" for value in _stack(exc))
    if "GRAPH" in expected and not header_done:
        header = _HEADER_WORD.match(first_line_rest)
        if header:
            return Problem(
                _(
                    "write the header in lower case: `{lower}`, not `{written}`",
                    lower=header.group(1).lower(), written=header.group(1),
                ),
                line, column, len(header.group(1)),
            )
        if first_line_rest.startswith("---"):
            return Problem(
                _("the front matter is not closed: end the YAML with a line `---`, then write the header"),
                line, column, 3,
            )
        return Problem(
            _(
                "a process chart starts with a header such as `flowchart TD` or `graph LR`; found `{found}` instead",
                found=first_line_rest[:20],
            ),
            line, column, max(1, min(len(first_line_rest), 20)),
        )

    if "DIRECTION" in expected:
        lower = _LOWER_DIRECTION.match(first_line_rest)
        if lower:
            word = lower.group(1)
            return Problem(
                _("the direction is written in capitals: `{upper}`, not `{written}`", upper=word.upper(), written=word),
                line, column, len(word),
            )
        word = re.match(r"\S+", first_line_rest)
        if word and found_type not in ("_SEP", "$END"):
            return Problem(
                _("unknown direction `{written}`: use TB or TD (top-down), BT, LR or RL", written=word.group(0)),
                line, column, len(word.group(0)),
            )

    if first_line_rest.startswith("@{"):
        problem = _diagnose_data(text, offset)
        if problem is not None:
            return problem

    slip = _keyboard_slip(text, offset)
    if slip is not None:
        return slip

    if first_line_rest.startswith("%%"):
        return Problem(
            _("a `%%` comment must be on a line of its own: move it to the line above"),
            line, column, 2,
        )

    if expected & _SHAPE_TERMINALS and first_line_rest[:1] in "[({>":
        problem = diagnose_label(text, offset)
        if problem is not None:
            return problem

    if shown == '"' and '"' not in rest[1:]:
        return Problem(_("this quote is never closed: add the closing `{quote}`", quote='"'), line, column)

    if "NODE_ID" in expected and (found_type in ("_SEP", "$END") or not first_line_rest.strip()):
        before = text[:offset].rstrip()
        if before.endswith(("&",)):
            return Problem(_("`&` must be followed by another node id, e.g. `A & B --> C`"), *_line_col(text, len(before) - 1))
        links = [v for v in _stack(exc) if isinstance(v, Token) and v.type in _LINK_TERMINALS | {"EDGE_LABEL"}]
        if links and before and before[-1] in "->.=ox|~":
            link = links[-1]
            return Problem(
                _("this link has no target: write the node it leads to, e.g. `A --> B`"),
                link.line, link.column, len(str(link).split("\n")[0]),
            )

    # Before the `end`-as-id check: a chart may end right after an inner subgraph's `end`.
    if found_type == "$END" and "END" in expected:
        heads = [v for v in _stack(exc) if isinstance(v, Token) and v.type == "SUBGRAPH_HEAD"]
        if heads:
            head = heads[-1]
            return Problem(
                _("this subgraph is never closed: add a line `end` after its last node"), head.line, head.column, len("subgraph")
            )

    # The word before the error, found without a regular expression: `(\S+)\s*$` searched from
    # every start takes quadratic time over a long word earlier in the chart.
    before = text[:offset].rstrip()
    if before.endswith("end") and (len(before) == 3 or before[-4].isspace()):
        p_line, p_col = _line_col(text, len(before) - 3)
        return Problem(
            _("`end` closes a subgraph, so it cannot be a node id; rename the node, e.g. `End` or `done`"),
            p_line, p_col, 3,
        )

    if expected & _LINK_TERMINALS and re.match(r"[xo<]?(?:--|==|-\.)", first_line_rest):
        return Problem(
            _("this link's text is never closed: end it with a link, e.g. `{open}`, or write the text as `{piped}`",
              open=_("A -- text --> B"), piped=_("A -->|text| B")),
            line, column, 2,
        )

    if found_type == "END":
        return Problem(_("this `end` closes no subgraph: remove it, or add the `subgraph` line it belongs to"), line, column, 3)

    if found_type is not None and found_type in _LINK_TERMINALS and "NODE_ID" in expected:
        return Problem(_("this link has no source: write the node it starts from, e.g. `A --> B`"), line, column, width)

    expected_words = _expected_list(expected, terminal_patterns)
    if found_type == "$END" or not shown:
        return Problem(_("the chart ends here; expected {expected}", expected=expected_words), line, column, width)
    return Problem(_("unexpected `{found}`; expected {expected}", found=shown, expected=expected_words), line, column, width)
