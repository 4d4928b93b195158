r"""The attribute lists of a DOT text Graphviz wrote (`dot -Tdot`), read and rewritten.

The repairs (reroute.py, relabel.py) put new positions into the text `dot` laid out: a link's
`pos` and `lp`, a node's `pos`, `width` and `height`. Found as text, an attribute could be
missed: a stage's label holding `];` ends the search for the node's list in the middle of its
label, and a label holding `id="sf-edge-3"` could be taken for the edge. So the text is read
the way Graphviz reads it: quoted strings with their escapes (`\"`, a backslash before a line
break), HTML-like labels `<...>` with their nested angle brackets, and each attribute list with
the statement it belongs to.

    >>> text = 'digraph {\n  a [label="x];y", pos="1,2"];\n  a -> b [id="e1", pos="1,2 3,4"];\n}\n'
    >>> print(with_attributes(text, {("node", "a"): {"pos": "5,6"}, ("id", "e1"): {"pos": "7,8 9,9"}}))
    digraph {
      a [label="x];y", pos="5,6"];
      a -> b [id="e1", pos="7,8 9,9"];
    }
    <BLANKLINE>
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from typing import Iterator, Mapping

# A token of DOT: a quoted string, an HTML-like string (its tags nested up to three deep, which
# is more than Graphviz writes: a table's cells hold tags, none holds a table), a bare word or
# numeral, or one of the characters that separate them. Spaces between tokens are passed over.
# An ID followed by `=` and another ID is taken in one match (the IDs as groups 1 and 2): an
# attribute is nearly every token of the text, and a 200-stage chart's text is read twice as
# fast so. (Possessive quantifiers: a string is read to its end, never given back in part;
# `(?s)`: an escaped line break inside a quoted string is part of it.)
_ID = r'"(?:[^"\\]++|\\.)*+"|<(?:[^<>]++|<(?:[^<>]++|<[^<>]*+>)*+>)*+>|[^\s"<\[\]{};=,]++'
_TOKEN = r"(?s)(" + _ID + r")(?:\s*+=\s*+(" + _ID + r"))?|[\[\]{};=,]"
# What `_lists_to_change` stops at: a string (passed over whole, as `_TOKEN` reads it), a whole
# `[...]` (group 1) and the marks that end a statement's head. A `"` or `<` that begins no string
# is passed over as `_TOKEN` skips it, and nothing else `_TOKEN` reads holds either, nor a `[`,
# `]` or `;{}`: so this stops where `_TOKEN`'s reading would find each, and a list ends at the `]`
# where `_TOKEN`'s reading of it would.
_STRING = r'"(?:[^"\\]++|\\.)*+"|<(?:[^<>]++|<(?:[^<>]++|<[^<>]*+>)*+>)*+>'
_STATEMENT_END = r"(?s)" + _STRING + r'|(\[(?:[^\]"<]++|' + _STRING + r'|["<])*+\])|[\[;{}]'
PATTERNS = (_TOKEN, _STATEMENT_END)  # compiled ahead while dot works (picture.py)
_KEYWORDS = frozenset(("graph", "node", "edge", "digraph", "subgraph", "strict"))


class AttributeList:
    """One `[...]` of the text: the statement's head (its IDs, decoded, `->` kept) and where
    each attribute's value lies (`values`: name → (start, end, quoted)), and where the list ends."""

    __slots__ = ("head", "values", "end")

    def __init__(self, head: tuple[str, ...], values: dict[str, tuple[int, int, bool]], end: int) -> None:
        self.head, self.values, self.end = head, values, end

    @property
    def node(self) -> str | None:
        """The node's name when this is a node statement's list."""
        if len(self.head) == 1 and self.head[0] not in _KEYWORDS:
            return self.head[0]
        return None


def attribute_lists(text: str) -> Iterator[AttributeList]:
    """Every attribute list of `text`, in order."""
    import re

    return _read(text, re.finditer(_TOKEN, text), [])


def _read(text: str, tokens: Iterator[re.Match], head: list[str]) -> Iterator[AttributeList]:
    """The attribute lists among `tokens` (matches of `_TOKEN` in `text`), the first statement's
    head read so far being `head`."""
    head = list(head)
    values: dict[str, tuple[int, int, bool]] = {}
    listing = False  # inside a `[...]`
    name = None  # the attribute named last
    equals = False  # whether an `=` came after it: the next token is its value

    def listed(word: str, start: int) -> None:
        """One token of a list other than `]`, `=`, `,` and `;`: a name, or the value of the last."""
        nonlocal name, equals
        if equals and name is not None:
            values[name] = (start, start + len(word), word.startswith('"'))
            name = None
        else:
            name = decoded(word)
        equals = False

    for match in tokens:
        word, value = match.group(1, 2)
        if listing:
            if value is not None and not (equals and name is not None):
                # `name=value`: what `listed` makes of the name, the `=` and the value.
                values[decoded(word)] = (match.start(2), match.end(2), value.startswith('"'))
                name, equals = None, False
            elif value is not None:
                listed(word, match.start(1))
                equals = True
                listed(value, match.start(2))
            elif word is not None:
                listed(word, match.start())
            else:
                mark = match.group()
                if mark == "]":
                    yield AttributeList(tuple(head), values, match.start())
                    head, values, listing = [], {}, False
                elif mark == "=":
                    equals = True
                elif mark != "," and mark != ";":
                    listed(mark, match.start())
        elif word is not None:
            head.append(decoded(word))
            if value is not None:
                head.append(decoded(value))
        else:
            mark = match.group()
            if mark == "[":
                listing, name, equals = True, None, False
            elif mark in (";", "{", "}"):
                head = []


def decoded(word: str) -> str:
    """A DOT ID as Graphviz reads it: a quoted string without its quotes, its escaped quotes and
    its broken lines (a backslash before a line break) taken back."""
    if not word.startswith('"'):
        return word
    return word[1:-1].replace("\\\r\n", "").replace("\\\n", "").replace('\\"', '"')


def with_attributes(text: str, changes: Mapping[tuple[str, str], Mapping[str, str]]) -> str:
    """`text` with attributes set: `changes` maps ("id", an `id` value) or ("node", a node's
    name) to the attributes to set on that element's list. A value is written quoted unless it
    replaces a bare one and is a number; an attribute the list lacks is added at its end."""
    edits: list[tuple[int, int, str]] = []
    for listed in _lists_to_change(text, changes):
        wanted: dict[str, str] = {}
        node = listed.node
        if node is not None:
            wanted.update(changes.get(("node", node), {}))
        if "id" in listed.values:
            start, end, _was_quoted = listed.values["id"]
            wanted.update(changes.get(("id", decoded(text[start:end])), {}))
        missing = []
        for name, value in wanted.items():
            if name in listed.values:
                start, end, quoted = listed.values[name]
                edits.append((start, end, value if not quoted and _numeral(value) else _quoted(value)))
            else:
                missing.append(f"{name}={_quoted(value)}")
        if missing:
            separator = "," if listed.values else ""
            edits.append((listed.end, listed.end, separator + ",".join(missing)))
    out = []
    done = 0
    for start, end, value in sorted(edits):
        out += [text[done:start], value]
        done = end
    out.append(text[done:])
    return "".join(out)


def _lists_to_change(text: str, changes: Mapping[tuple[str, str], Mapping[str, str]]) -> Iterator[AttributeList]:
    """The attribute lists of `text` that `changes` may touch, in order, each read as
    `attribute_lists` reads it; the others are passed over whole. A 200-stage chart's text has
    some 900 lists, of which a repair changes a handful: reading every one attribute by
    attribute took 20 of the 25 ms the repaired text took to write.

    A list may be touched when its statement is a node named in `changes`, or when its text
    holds one of the `id`s named there as it is written: an ID with no quote or backslash is
    written as it is, unless a long line is broken inside it (a backslash before the line
    break), and a list with such a break is read all the same."""
    import re

    names = {name for _kind, name in changes}
    if any(not name or '"' in name or "\\" in name for name in names):
        yield from attribute_lists(text)  # written escaped: not found as it is
        return
    # Where each name, or a broken line, is written: a list is read when one lies in its
    # statement (a few more than need it: "n3" is found in "n30" too).
    hits = iter(sorted(at for name in (*names, *_BROKEN) for at in _occurrences(text, name)))
    hit = next(hits, len(text))
    token = re.compile(_TOKEN)
    start = 0  # where the head of the statement under way begins
    for match in re.finditer(_STATEMENT_END, text):
        if match.start(1) >= 0:
            end = match.end()
            if hit < end:
                head = [decoded(word) for word in _head_words(token.finditer(text, start, match.start()))]
                yield from _read(text, token.finditer(text, match.start(), end), head)
                while hit < end:
                    hit = next(hits, len(text))
            start = end
        else:
            mark = match.group()
            if mark == "[":
                return  # a list never closed: `attribute_lists` finds no more lists either
            if mark == ";" or mark == "{" or mark == "}":
                start = match.end()


def _occurrences(text: str, name: str) -> Iterator[int]:
    at = text.find(name)
    while at >= 0:
        yield at
        at = text.find(name, at + 1)


_BROKEN = ["\\\n", "\\\r"]  # a backslash before a line break: a long line broken, perhaps in an ID


def _head_words(tokens: Iterator[re.Match]) -> Iterator[str]:
    """The IDs of a statement's head, as `_read` takes them in."""
    for match in tokens:
        word, value = match.group(1, 2)
        if word is not None:
            yield word
            if value is not None:
                yield value


def _numeral(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'
