"""The limits that keep work bounded on any input, each raisable through an environment variable.

A limit that is reached stops the run with a message that names the limit and the variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    name: str  # environment variable that raises it
    default: int
    what: str  # what is counted, for messages

    @property
    def value(self) -> int:
        raw = os.environ.get(self.name, "")
        try:
            return max(1, int(raw)) if raw.strip() else self.default
        except ValueError:
            return self.default

    def exceeded(self, found: str) -> str:
        """The end of a message: what was found, the limit, and how to raise it."""
        return f"{found}; salesflow stops at {self.value:,} {self.what} (set {self.name} to raise it)"


INPUT_MEGABYTES = Limit("SALESFLOW_MAX_INPUT_MB", 20, "MiB per input")
CHART_CHARACTERS = Limit("SALESFLOW_MAX_CHARS", 20_000_000, "characters per chart")
YAML_VALUES = Limit("SALESFLOW_MAX_YAML_VALUES", 100_000, "YAML values per block, aliases expanded")
SUBGRAPH_DEPTH = Limit("SALESFLOW_MAX_DEPTH", 100, "levels of nested subgraphs")
# A chart's size is bounded by its text, except for `a & b --> c & d`, which links every node on
# the left to every one on the right: 13.8 KB of `&` make a million edges. Counted while reading,
# before any edge is made.
NODES = Limit("SALESFLOW_MAX_NODES", 100_000, "nodes per chart")
EDGES = Limit("SALESFLOW_MAX_EDGES", 200_000, "edges per chart")
