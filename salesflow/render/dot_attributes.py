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
    from typing import Iterator, Mapping

# A token of DOT outside an HTML-like string: a quoted string, a bare word or numeral, or one of
# the characters that separate them. `<` starts an HTML-like string, read by `_html_end`.
_TOKEN = r'"(?:[^"\\]|\\.)*"|[^\s"<\[\]{};=,]+|[<\[\]{};=,]'
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

    token = re.compile(_TOKEN, re.S)
    space = re.compile(r"\s*")
    head: list[str] = []
    at = space.match(text, 0).end()  # type: ignore[union-attr]
    while at < len(text):
        match = token.match(text, at)
        if match is None:  # a stray character Graphviz does not write: passed over
            at = space.match(text, at + 1).end()  # type: ignore[union-attr]
            continue
        word = match.group()
        at = match.end()
        if word == "<":
            end = _html_end(text, match.start())
            head.append(text[match.start():end])
            at = end
        elif word == "[":
            listed, at = _attributes(text, at, token, space)
            yield AttributeList(tuple(head), listed, at - 1)
            head = []
        elif word in (";", "{", "}"):
            head = []
        elif word not in ("=", ","):
            head.append(decoded(word))
        at = space.match(text, at).end()  # type: ignore[union-attr]


def _attributes(text: str, at: int, token, space) -> tuple[dict[str, tuple[int, int, bool]], int]:
    """The attributes of a list whose `[` ends before `at`, and the place after its `]`."""
    values: dict[str, tuple[int, int, bool]] = {}
    name = None
    after_equals = False
    while at < len(text):
        at = space.match(text, at).end()  # type: ignore[union-attr]
        match = token.match(text, at)
        if match is None:
            at += 1
            continue
        word, start, at = match.group(), match.start(), match.end()
        if word == "]":
            return values, at
        if word == "=":
            after_equals = True
            continue
        if word in (",", ";"):
            continue
        if word == "<":
            at = _html_end(text, start)
        if after_equals and name is not None:
            values[name] = (start, at, word.startswith('"'))
            name, after_equals = None, False
        else:
            name = decoded(word)
    return values, at


def _html_end(text: str, start: int) -> int:
    """The place after the `>` that closes the HTML-like string opened at `start`."""
    depth = 0
    for at in range(start, len(text)):
        if text[at] == "<":
            depth += 1
        elif text[at] == ">":
            depth -= 1
            if depth == 0:
                return at + 1
    return len(text)


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
    for listed in attribute_lists(text):
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


def _numeral(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'
