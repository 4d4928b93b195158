"""`salesflow analyze`: what a chart promises for N leads, from its rates and deadlines."""

from __future__ import annotations

from typing import Optional

import click

from .common import Run, exit_with


@click.command("analyze")
@click.argument("source", metavar="FILE")
@click.option("--leads", default=1000, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="How many leads enter the process.")
@click.option("--seed", default=0, show_default=True, type=int, metavar="S",
              help="Seed of the simulation behind the cycle-time quantiles.")
@click.option("-f", "--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json", "html"]),
              help="Output format.")
@click.option("-o", "--output", default=None, metavar="PATH", help="Write the report here (default: standard output).")
@click.option("--block", default=None, type=click.IntRange(min=1), metavar="N",
              help="For a Markdown file with several charts: which ```mermaid block (1 = first).")
def command(source: str, leads: int, seed: int, fmt: str, output: Optional[str], block: Optional[int]) -> None:
    """Expected numbers for N leads entering one process FILE.

    From the branches' `rate`s and the stages' `due`s: arrivals at each stage and end, expected
    wins, cycle time (mean; p50 and p90 from a seeded simulation) against the `target`, the
    slowest path, the bottleneck stage, how often each loop is taken, and workload per owner.
    A decision without rates is assumed to split equally, and the report says so.

    \b
    Examples:
      salesflow analyze samples/saas-funnel.flow --leads 1000
      salesflow analyze samples/saas-funnel.flow -f json -o funnel.json
      salesflow analyze samples/saas-funnel.flow -f html -o funnel.html
    """
    from ..errors import SalesflowError
    from .analytics_common import as_json, deliver, one_process

    run = Run()
    process = one_process(run, source, block)
    try:
        from ..analytics.expectation import analyze

        analysis = analyze(process, leads, seed)
        if fmt == "json":
            content = as_json(analysis.to_dict())
        elif fmt == "html":
            from ..analytics.report_html import analysis_html

            content = analysis_html(process, analysis)
        else:
            from ..analytics.report_text import analysis_text

            content = analysis_text(analysis)
        deliver(run, output, content)
    except SalesflowError as exc:
        run.fail(exc)
    exit_with(run.exit_code())
