"""What a rule works with: the `Context` it looks at, the `Problem`s it yields, its `Option`s.

Rules import from here and nowhere else in the linter, so the engine that runs them and the
suppression comments that silence them can change without touching a rule:

    from ..api import Context, Option, Problem

    OPTIONS = {"max": Option(20, "int", minimum=1)}

    def check(ctx: Context, options: dict) -> Iterator[Problem]:
        for node in ctx.process.nodes:
            ...
            yield Problem(node.span, _("{stage} …: what to do", stage=ctx.show(node.id)), node=node.id)

A message is a whole English sentence with named placeholders, passed through `_` so that it is
printed in the reader's language (`salesflow.i18n`); the Chinese is in the catalog.

The engine turns each `Problem` into a `Finding` (`stamp`) with the rule's code, name and severity.
"""

from __future__ import annotations

import os
import unicodedata

from ..findings import Finding
from ..graph import ProcessGraph
from ..i18n import _, current, n_, quote_label  # noqa: F401  rules word their messages through the catalog
from ..memo import cached_property, memoized
from ..model import Node, Process, Span, Subgraph
from ..regex_cache import compiled, escape  # noqa: F401  also for rules
from ..textwidth import display_width
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    import datetime
    import re
    from typing import Any, Callable, Optional


# Problem and Option are named tuples, not dataclasses: every run defines them, and a rule makes
# a Problem per finding; a dataclass costs a compile of its generated methods at each start-up.
# What a rule reports: where, what is wrong and what to do, and the element it is about.
class Problem(Fields):
    __slots__ = ()
    _fields = (
        "span",  # Span
        "message",  # str
        "node",  # Optional[str]
        "edge",  # Optional[int]
        "subgraph",  # Optional[str]
        "related",  # tuple[str, ...]
    )

    def __new__(cls, span, message, node=None, edge=None, subgraph=None, related=()):
        return tuple.__new__(cls, (span, message, node, edge, subgraph, related))


# One rule option: its default and the kind of value it takes (for config checking and docs).
class Option(Fields):
    __slots__ = ()
    _fields = (
        "default",  # Any
        "kind",  # str: "bool" | "int" | "words" | "duration"
        "minimum",  # Optional[int]
    )

    def __new__(cls, default, kind, minimum=None):
        return tuple.__new__(cls, (default, kind, minimum))


_SPACE = compiled(r"\s+")


@memoized(maxsize=8192)
def normalise(text: str) -> str:
    """Text compared as a reader would: full-width folded, case-insensitive, spaces collapsed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split()).casefold()


# Joins the texts `matching` folds at once: a character that `normalise` leaves as it is and
# never joins to its neighbours (not a space, a starter that composes with nothing).
_APART = "\x00"


def matching(pattern: "re.Pattern[str]", texts: list[str]) -> list[int]:
    """The places in `texts` of those in which `pattern` (plain words, as `normalise` folds them)
    finds something once each is normalised (`normalise`).

    The texts are folded together in one piece and searched once, rather than each made anew:
    on a large chart that is thousands of short-lived strings fewer. Folding does not carry across
    the joints, and a word has no joint in it, so each text answers as it would alone (spaces next
    to a joint, which folding alone would drop, begin or end no word).
    """
    if not texts:
        return []
    joined = _APART.join(texts)
    if joined.count(_APART) != len(texts) - 1 or _APART in pattern.pattern:
        fold = normalise.__wrapped__  # type: ignore[attr-defined]
        return [index for index, text in enumerate(texts) if pattern.search(fold(text))]
    folded = normalise.__wrapped__(joined)  # type: ignore[attr-defined]
    found: list[int] = []
    index = position = 0
    for match in pattern.finditer(folded):
        index += folded.count(_APART, position, match.start())
        position = match.start()
        if not found or found[-1] != index:
            found.append(index)
    return found


def plain_label(text: str) -> str:
    """A label (as written) on one line, as a reader sees it: entity codes decoded, markup dropped,
    line breaks as spaces. A node's or subgraph's own `text` is the same reading, already done."""
    from ..render.labels import plain_text

    return _SPACE.sub(" ", plain_text(text)).strip()


def label_lines(text: str) -> list[str]:
    """The lines a label (as written) is drawn on, as a reader sees them."""
    from ..render.labels import plain_text

    return plain_text(text).split("\n")


def quote(text: str, width: int = 32) -> str:
    """`text` (as a reader sees it: a node's `text`, an owner) quoted for a message ('…' in English,
    「…」 in Chinese), on one line, cut to about `width` columns."""
    text = _SPACE.sub(" ", text).strip()
    # Every character is at most two columns wide, so short text needs no measuring.
    if len(text) * 2 > width and display_width(text) > width:
        kept = ""
        for ch in text:
            if display_width(kept + ch) > width - 1:
                break
            kept += ch
        text = kept + "…"
    return quote_label(text)


def review_date() -> datetime.date:
    """The day a review is made as of when none is given: SOURCE_DATE_EPOCH if set, else today.

    SOURCE_DATE_EPOCH (reproducible builds) makes a run repeatable byte for byte, as it does the
    handbook's cover date.
    """
    import datetime

    return datetime.date(*review_day())


def review_day() -> tuple[int, int, int]:
    """`review_date()` as (year, month, day), read without the datetime module (importing it is
    a thirtieth of a short lint): SOURCE_DATE_EPOCH's day in UTC, else today's local day."""
    import time

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    day = time.gmtime(int(epoch)) if epoch.isdigit() else time.localtime()
    return day.tm_year, day.tm_mon, day.tm_mday


class Context:
    """What every rule may look at: the process, its graph and a few shared judgements."""

    def __init__(self, process: Process, source: Optional[str] = None, today: Optional[datetime.date] = None) -> None:
        self.process = process
        self.graph = ProcessGraph(process)
        self._source = source
        self._shown: dict[str, str] = {}
        self._today = today

    # ------------------------------------------------------------------ the day of the review

    @cached_property
    def today(self) -> datetime.date:
        """The day the review is made, for dates in the front matter."""
        return self._today if self._today is not None else review_date()

    @cached_property
    def day(self) -> tuple[int, int, int]:
        """`today` as (year, month, day), which dates read from a chart compare with as tuples."""
        given = self._today
        return (given.year, given.month, given.day) if given is not None else review_day()

    # ------------------------------------------------------------------ wording

    @cached_property
    def chinese(self) -> bool:
        """Whether examples in messages should be written in Chinese: for a Chinese reader, or a chart
        written in Chinese."""
        from ..language import chart_language

        return current() == "zh" or chart_language(self.process) == "zh"

    def show(self, node_id: str) -> str:
        """A node (or subgraph) as a message names it: its label, as a reader sees it, in quotes."""
        shown = self._shown.get(node_id)
        if shown is None:
            if self.process.has_node(node_id):
                shown = quote(self.process.node(node_id).text)
            else:
                titles = {s.id: s.text for s in self.process.subgraphs}
                shown = quote(titles.get(node_id, node_id))
            self._shown[node_id] = shown
        return shown

    def example_due(self) -> str:
        return "2个工作日" if self.chinese else "2 workdays"

    def example_label(self, zh: str, en: str) -> str:
        return zh if self.chinese else en

    def for_reader(self, zh: str, en: str) -> str:
        """An example for a message, in the reader's language (not the chart's)."""
        return zh if current() == "zh" else en

    # ------------------------------------------------------------------ judgements

    @cached_property
    def markers(self) -> frozenset[str]:
        """Bare start and end markers: nobody owns them and they take no time.

        A marker is a start or end by shape and place (`ProcessGraph.is_marker`); it is bare
        when it carries no data of its own (`ProcessGraph.bare_markers`).
        """
        return self.graph.bare_markers

    def is_marker(self, node: Node) -> bool:
        return node.id in self.markers

    @property
    def marker_flags(self) -> bytearray:
        """Whether each node is a bare marker (`markers`), by number: for rules that go through
        every node, in order."""
        return self.graph.bare_marker_flags

    @cached_property
    def stage_count(self) -> int:
        """How many nodes are stages: every node but the bare markers (`markers`)."""
        return len(self.process.nodes) - len(self.markers)

    # ------------------------------------------------------------------ places

    @cached_property
    def _source_lines(self) -> Optional[list[str]]:
        if self._source is None:
            return None
        return self._source.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def front_matter_line(self, key: str, item: Optional[str] = None) -> Span:
        """Where front matter `key` (or one `item` of its list) is written, as well as is known.

        The model keeps only the span of the whole front matter; with the source text at hand the
        line of the key or item is found in it. Without it, the front matter's first line.
        """
        block = self.process.front_matter_span
        offset = self.process.line_offset
        if block is None:
            return Span.point(offset + 1, 1)
        lines = self._source_lines
        if lines is not None:
            from ..parsing.metadata import KEY_ALIASES

            # The key may be written under its Chinese name (`目标周期` for `target`).
            names = [key, *(alias for alias, canonical in KEY_ALIASES.items() if canonical == key)]
            key_pattern = compiled(rf"(?:{'|'.join(map(escape, names))})\s*:")
            first, last = block.line - offset, block.end_line - offset  # 1-based within the chart
            key_at = None
            for number in range(first + 1, min(last, len(lines) + 1)):
                text = lines[number - 1]
                stripped = text.lstrip()
                if key_at is None:
                    if key_pattern.match(text):
                        key_at = number
                        if item is None:
                            return Span(number + offset, 1, number + offset, len(text.rstrip()) + 1)
                        if item in text[text.index(":") + 1 :]:
                            column = text.index(item) + 1
                            return Span(number + offset, column, number + offset, column + len(item))
                    continue
                if text and not text[0].isspace() and not stripped.startswith("-"):
                    break  # the next key: the item was not found under this one
                if item is not None and item in text:
                    column = text.index(item) + 1
                    return Span(number + offset, column, number + offset, column + len(item))
            if key_at is not None:
                return Span(key_at + offset, 1, key_at + offset, len(lines[key_at - 1].rstrip()) + 1)
        return Span(block.line, block.column, block.line, block.column + 3)

    @property
    def source_length(self) -> Optional[int]:
        """The chart's length in characters, when its text was given."""
        return None if self._source is None else len(self._source)

    def node_data_span(self, node: Node) -> Span:
        """Where a node's own data is written, or the node itself if it has none."""
        return node.data_span or node.span

    @cached_property
    def _subgraphs(self) -> dict[str, Subgraph]:
        return {s.id: s for s in self.process.subgraphs}

    def owner_problem(
        self, node: Node, reported_lanes: set[str], at_lane: Callable[[str], str], at_node: Callable[[], str]
    ) -> Optional[Problem]:
        """A problem with `node`'s owner, reported where that owner is written.

        A stage that takes its owner from a department lane has it from the lane's title, so the
        problem is the lane's and is reported once, at the lane: `at_lane(title)` words it, given
        the lane's title in quotes, the first time (`reported_lanes` remembers the lanes, per
        rule), and None comes back for the lane's other stages. Any other stage is reported at its
        node data, worded by `at_node()`.
        """
        if node.owner_from_lane and node.lane in self._subgraphs:
            if node.lane in reported_lanes:
                return None
            reported_lanes.add(node.lane)
            lane = self._subgraphs[node.lane]
            return Problem(lane.span, at_lane(quote(lane.text)), subgraph=lane.id)
        return Problem(self.node_data_span(node), at_node(), node=node.id)


def stamp(path: str, rule: Any, severity: str, problem: Problem) -> Finding:
    span = problem.span
    return Finding(
        path=path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        code=rule.CODE,
        rule=rule.NAME,
        severity=severity,
        message=problem.message,
        node=problem.node,
        edge=problem.edge,
        subgraph=problem.subgraph,
        related=problem.related,
    )
