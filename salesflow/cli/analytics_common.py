"""What `analyze`, `simulate` and `conform` share: one chart in, one report out."""

from __future__ import annotations

from typing import Optional

from .common import Run, exit_with


def one_process(run: Run, source: str, block: Optional[int] = None):
    """The one chart of `source`, parsed; errors are reported and end the run with exit code 2."""
    from ..errors import SalesflowError
    from ..parse import parse_text
    from .handbook_cmd import _pick

    charts = list(run.charts((source,)))
    if run.errors:
        exit_with(run.exit_code())
    try:
        chosen = _pick(charts, source, block)
        return parse_text(chosen.text, chosen.path, chosen.line_offset)
    except SalesflowError as exc:
        run.fail(exc)
        exit_with(run.exit_code())


def deliver(run: Run, output: Optional[str], content: str) -> None:
    """Write a report to `output` atomically (never over an input), or to standard output."""
    from ..output import refuse_input_overwrite, write_atomic, write_stdout

    if output in (None, "-"):
        write_stdout(content)
        return
    refuse_input_overwrite(output, run.inputs)
    write_atomic(output, content)


def as_json(data: dict) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def report_language(process) -> str:
    """The language of a report: the one `salesflow --lang` names, else the chart's, as for the
    handbook (a Chinese chart gets a Chinese report)."""
    import click

    from ..i18n import match_language
    from ..language import chart_language

    context = click.get_current_context(silent=True)
    asked = context.meta.get("salesflow.lang") if context is not None else None
    return match_language(asked) or match_language(chart_language(process)) or "en"
