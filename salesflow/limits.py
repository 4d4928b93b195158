"""The limits that keep work bounded on any input, each raisable through an environment variable.

A limit that is reached stops the run with a message that names the limit and the variable.
"""

from __future__ import annotations

import os

from .i18n import N_, _, gettext
from .records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional


class Limit(Fields):
    __slots__ = ()
    _fields = (
        "name",  # str: environment variable that raises it
        "default",  # int
        "what",  # str: what is counted, for messages
    )

    def __new__(cls, name, default, what):
        return tuple.__new__(cls, (name, default, what))

    @property
    def value(self) -> int:
        raw = os.environ.get(self.name, "")
        try:
            return max(1, int(raw)) if raw.strip() else self.default
        except ValueError:
            return self.default

    def exceeded(self, found: str) -> str:
        """The end of a message: what was found, the limit, and how to raise it."""
        return _(
            "{found}; salesflow stops at {limit} {what} (set {name} to raise it)",
            found=found, limit=f"{self.value:,}", what=gettext(self.what), name=self.name,
        )


INPUT_MEGABYTES = Limit("SALESFLOW_MAX_INPUT_MB", 20, N_("MiB per input"))
CHART_CHARACTERS = Limit("SALESFLOW_MAX_CHARS", 20_000_000, N_("characters per chart"))
YAML_VALUES = Limit("SALESFLOW_MAX_YAML_VALUES", 100_000, N_("YAML values per block, aliases expanded"))
SUBGRAPH_DEPTH = Limit("SALESFLOW_MAX_DEPTH", 100, N_("levels of nested subgraphs"))
SYNTAX_ERRORS = Limit("SALESFLOW_MAX_ERRORS", 50, N_("syntax errors per chart"))
# Graphviz's scanner reads no quoted or HTML-like string longer than 16,384 bytes; a longer label
# makes `dot` fail, after it has spent seconds on the rest. Raise it only for a Graphviz built
# with a larger buffer.
DOT_STRING_BYTES = Limit("SALESFLOW_MAX_DOT_STRING", 16_000, N_("bytes of DOT text per label or tooltip"))
# A chart's size is bounded by its text, except for `a & b --> c & d`, which links every node on
# the left to every one on the right: 13.8 KB of `&` make a million edges. Counted while reading,
# before any edge is made.
NODES = Limit("SALESFLOW_MAX_NODES", 100_000, N_("nodes per chart"))
EDGES = Limit("SALESFLOW_MAX_EDGES", 200_000, N_("edges per chart"))


def too_deep_message() -> str:
    """What to do about a chart whose nesting ran Python out of stack."""
    if SUBGRAPH_DEPTH.value > SUBGRAPH_DEPTH.default:
        advice = _(
            "flatten it, or leave {name} at its default ({default}), which stops deeper subgraphs in time",
            name=SUBGRAPH_DEPTH.name, default=SUBGRAPH_DEPTH.default,
        )
    else:
        advice = _("flatten it")
    return _(
        "this chart is nested too deeply to work on (front matter, node data or subgraphs hundreds of levels deep); {advice}",
        advice=advice,
    )


def out_of_memory_message() -> str:
    """What to do about an input that ran Python out of memory."""
    return _(
        "ran out of memory on this input; split the chart into smaller ones "
        "(lower SALESFLOW_MAX_NODES and SALESFLOW_MAX_EDGES to stop such charts early)"
    )


class one_input:
    """Work on one input (`with one_input(path):`): running out of stack or memory on it becomes
    an error naming it, so that the other inputs of a run are still read.

    A class, not a `contextlib.contextmanager`: a lint imports this module, and `contextlib`
    (with `functools` and `collections`) is a tenth of a short one (salesflow/memo.py).
    """

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Optional[type], error: object, traceback: object) -> None:
        if kind is None or not issubclass(kind, (RecursionError, MemoryError)):
            return
        from .errors import InputError

        # Let go of the exception and its frames first: the message itself needs memory.
        exhausted = kind
        error = traceback = None
        raise InputError(self.path, too_deep_message() if issubclass(exhausted, RecursionError) else out_of_memory_message())
