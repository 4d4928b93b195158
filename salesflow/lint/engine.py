"""Running the rules over one process: the rules find problems, the engine turns them into findings.

A rule is a module with a `check(ctx, options)` generator that yields `Problem`s: a place, a
message and what it is about. The engine stamps each with the rule's code, name and the severity
the configuration gives it, drops what per-file ignores and `%%` suppression comments switch off,
reports suppressions that suppressed nothing, and sorts the result.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Optional

from ..findings import Finding
from ..graph import ProcessGraph
from ..model import Node, Process, Span
from ..textwidth import display_width

if TYPE_CHECKING:
    from .config import Config


@dataclass(frozen=True)
class Problem:
    """What a rule reports: where, what is wrong and what to do, and the element it is about."""

    span: Span
    message: str
    node: Optional[str] = None
    edge: Optional[int] = None
    subgraph: Optional[str] = None
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    """One rule option: its default and the kind of value it takes (for config checking and docs)."""

    default: Any
    kind: str  # "bool" | "int" | "words" | "duration"
    minimum: Optional[int] = None


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Text compared as a reader would: full-width folded, case-insensitive, spaces collapsed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split()).casefold()


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
    """`text` (as a reader sees it: a node's `text`, an owner) in single quotes for a message, on one
    line, cut to about `width` columns."""
    text = _SPACE.sub(" ", text).strip()
    # Every character is at most two columns wide, so short text needs no measuring.
    if len(text) * 2 > width and display_width(text) > width:
        kept = ""
        for ch in text:
            if display_width(kept + ch) > width - 1:
                break
            kept += ch
        text = kept + "…"
    return f"'{text}'"


def review_date() -> datetime.date:
    """The day a review is made as of when none is given: SOURCE_DATE_EPOCH if set, else today.

    SOURCE_DATE_EPOCH (reproducible builds) makes a run repeatable byte for byte, as it does the
    handbook's cover date.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


class Context:
    """What every rule may look at: the process, its graph and a few shared judgements."""

    def __init__(self, process: Process, source: Optional[str] = None, today: Optional[datetime.date] = None) -> None:
        self.process = process
        self.graph = ProcessGraph(process)
        self._source = source
        self._shown: dict[str, str] = {}
        # The day the review is made, for dates in the front matter.
        self.today = today if today is not None else review_date()

    # ------------------------------------------------------------------ wording

    @cached_property
    def chinese(self) -> bool:
        """Whether examples in messages should be written in Chinese."""
        if self.process.lang:
            return self.process.lang == "zh"
        return any(_CJK.search(node.text) for node in self.process.nodes[:50])

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
            key_pattern = re.compile(rf"(?:{'|'.join(map(re.escape, names))})\s*:")
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


def run(
    process: Process, config: "Config", source: Optional[str] = None, today: Optional[datetime.date] = None
) -> list[Finding]:
    """Every finding for `process` under `config`, sorted by line, column and code."""
    import gc

    from . import suppress
    from .rules import ENGINE_RULES

    # Findings, steps and indexes are many small objects that all live until the end; the cyclic
    # collector would only rescan them (as in parsing, it pauses for the run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(process, config, source, today, suppress, ENGINE_RULES)
    finally:
        if collecting:
            gc.enable()


def _run(
    process: Process,
    config: "Config",
    source: Optional[str],
    today: Optional[datetime.date],
    suppress: Any,
    engine_rules: Any,
) -> list[Finding]:
    ctx = Context(process, source, today)
    active = config.active(process.path)
    ran = {rule.NAME for rule, _severity, _options in active}
    findings: list[Finding] = []
    for rule, severity, options in active:
        if rule.NAME in engine_rules:
            continue
        for problem in rule.check(ctx, options):
            findings.append(stamp(process.path, rule, severity, problem))

    directives = suppress.read(process)
    findings = suppress.apply(process, directives, findings, ran, {r.NAME: (r, s) for r, s, _o in active})
    findings.sort(key=lambda f: (f.line, f.column, f.code, f.end_line, f.end_column, f.message))
    return findings


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
