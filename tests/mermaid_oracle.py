"""The real Mermaid parser for the render and fmt tests: availability, one batch run, comparison.

The oracle (tests/mermaid/oracle.mjs) is slow to start, so each test module gathers every chart
it needs and runs it once (a module- or session-scoped fixture). Without `node` or
tests/mermaid/node_modules the tests skip, except under CI=true, where they fail — the same rule
as the differential test, whose comparison of a model with Mermaid's reading is reused here.
"""

from __future__ import annotations

import shutil
from typing import Any

from conftest import require

from test_mermaid_differential import NODE_MODULES, corpus, differences, lane_order_matters  # noqa: F401 (re-exported)


def require_oracle() -> None:
    """Skip (or, under CI=true, fail) unless Node and the pinned Mermaid are installed."""
    require(shutil.which("node") is not None, "`node` (needed to run the real Mermaid parser)")
    for package in ("mermaid", "jsdom"):
        require(
            (NODE_MODULES / package / "package.json").is_file(),
            f"tests/mermaid/node_modules/{package} (run `npm ci --prefix tests/mermaid`)",
        )


def run_mermaid(texts: list[str]) -> list[dict[str, Any]]:
    """Mermaid's reading of each text: {ok, vertices, edges, subgraphs} or {ok: False, error}."""
    require_oracle()
    return corpus.run_oracle(texts)


def error_of(result: dict[str, Any]) -> str:
    return str(result.get("error", "")).replace("\n", " | ")[:300]
