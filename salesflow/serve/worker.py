"""Reviewing a draft: parse, lint and draw it with the functions the command line uses.

The work runs in a small pool of threads, so that a slow `dot` never holds up the server while
the author types, and under a time limit: a draft that takes longer gets a message instead of
a chart (the page keeps the last one it drew). Graphviz is given the same limit (the renderer's
`timeout`), so no thread is left drawing long after the page has been told.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional

from ..i18n import N_, _

# The salesflow messages a review is made of, as the command line prints them, in the page's
# language (the page's own words are the `studio` messages of the catalog, see texts.py).
NO_FLOWCHART = N_("this Markdown file has no mermaid flowchart block yet")
NO_SUCH_BLOCK = N_("this Markdown file has no mermaid block {block}")

DEFAULT_SECONDS = 20.0


class Worker:
    def __init__(self, threads: int = 2, seconds: float = DEFAULT_SECONDS) -> None:
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="salesflow-review")
        self.seconds = seconds

    async def run(self, function, *args: Any) -> Any:
        """`function(*args)` on a worker thread; `TimeoutError` past the time limit."""
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(loop.run_in_executor(self.pool, function, *args), self.seconds)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def chart_of(text: str, path: str, block: Optional[int]):
    """The chart to review: the whole text, or one mermaid block of a Markdown file (the first
    by default). Returns (chart, the file's flowchart blocks as {number, first, last}: their
    number and the Markdown lines their chart spans, so the page can follow the cursor)."""
    from ..errors import InputError
    from ..sources import Chart, is_markdown, markdown_charts

    if not is_markdown(path):
        return Chart(path, text), []
    charts = list(markdown_charts(text, path))
    if not charts:
        raise InputError(path, _(NO_FLOWCHART))
    spans = [
        {"number": chart.block, "first": chart.line_offset + 1, "last": chart.line_offset + chart.text.count("\n") + 1}
        for chart in charts
    ]
    if block is None:
        return charts[0], spans
    for chart in charts:
        if chart.block == block:
            return chart, spans
    raise InputError(path, _(NO_SUCH_BLOCK, block=block))


def review(text: str, path: str, full_path: str, block: Optional[int] = None, seconds: float = DEFAULT_SECONDS,
           lang: Optional[str] = None) -> dict:
    """Everything the page shows about one draft, as JSON-ready data, its messages in `lang` (the
    page's language; None: the run's).

    `path` is the name the page knows; `full_path` finds the configuration that governs the file.
    A draft that does not parse gives its errors (each at its line) and no chart. Graphviz is
    stopped after `seconds`, the same limit the server waits for the whole review.
    """
    from ..i18n import use

    # A worker thread does not share the server's language: it is set here, for this review.
    with use(lang):
        return _review(text, path, full_path, block, seconds)


def _review(text: str, path: str, full_path: str, block: Optional[int], seconds: float) -> dict:
    from .. import api
    from ..errors import ConfigError, ParseError, RenderError, SalesflowError
    from ..handbook.view import role_names
    from ..language import chart_language
    from ..limits import one_input
    from ..parse import parse_text

    result: dict[str, Any] = {"errors": [], "findings": [], "svg": None, "nodes": [], "roles": [], "blocks": []}
    try:
        chart, result["blocks"] = chart_of(text, path, block)
        result["block"] = chart.block
        with one_input(path):
            # api.parse_text with the Markdown block's line offset, so lines match the editor's.
            process = parse_text(chart.text, path, chart.line_offset)
    except ParseError as exc:
        result["errors"] = [_error(one) for one in exc.each()]
        return result
    except SalesflowError as exc:
        result["errors"] = [{"line": 1, "column": 1, "message": getattr(exc, "message", str(exc))}]
        return result
    try:
        from ..lint.config import load_config

        config = load_config(full_path)
    except ConfigError as exc:
        result["config_error"] = str(exc)
        config = None
    try:
        with one_input(path):
            findings = api.lint(process, config, source=chart.text)
    except SalesflowError as exc:
        result["errors"] = [{"line": 1, "column": 1, "message": str(exc)}]
        return result
    index = {node.id: number for number, node in enumerate(process.nodes)}
    result["nodes"] = [{"index": index[node.id], "id": node.id, "line": node.span.line} for node in process.nodes]
    result["findings"] = [_finding(finding, index) for finding in findings]
    result["lang"] = chart_language(process)
    result["roles"] = role_names(process)
    try:
        result["svg"] = api.render(process, "svg", findings=findings, timeout=seconds)
    except (RenderError, SalesflowError) as exc:
        result["render_error"] = str(exc)
    return result


def handbook(text: str, path: str, full_path: str, block: Optional[int], role: Optional[str], lang: Optional[str]) -> str:
    """The real handbook of the draft (for one role, if given); a `SalesflowError` if it does not parse."""
    from .. import api
    from ..errors import ConfigError
    from ..handbook import speaking_handbook_language
    from ..handbook.view import role_names
    from ..lint.config import load_config
    from ..parse import parse_text

    chart, _blocks = chart_of(text, path, block)
    process = parse_text(chart.text, path, chart.line_offset)
    try:
        config = load_config(full_path)
    except ConfigError:
        config = None
    # The findings it quotes speak the handbook's language, as in `salesflow handbook`.
    with speaking_handbook_language(process, lang, None):
        findings = api.lint(process, config, source=chart.text)
    if role not in role_names(process):
        role = None
    return api.handbook_html(process, findings, lang=lang, role=role)


def _error(error) -> dict:
    return {"line": error.line, "column": error.column, "width": error.width, "message": error.message}


def _finding(finding, index: dict[str, int]) -> dict:
    return {
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "node": index.get(finding.node) if finding.node else None,
    }


def files_language(root: str, names: list[str]) -> Optional[str]:
    """The language of the first served chart that reads, for the page's words; None if none does."""
    from ..language import chart_language, mostly_chinese
    from ..parse import parse_text
    from ..sources import read_text

    from ..sources import is_markdown

    for name in sorted(names, key=is_markdown)[:5]:
        full = os.path.join(root, name)
        try:
            text = read_text(full)
            chart, _blocks = chart_of(text, name, None)
            return chart_language(parse_text(chart.text, name, chart.line_offset))
        except Exception:  # a chart that does not read says nothing about the language; try the next
            try:
                return "zh" if mostly_chinese(read_text(full)) else None
            except Exception:
                continue
    return None
