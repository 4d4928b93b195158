"""`salesflow analyze`: what a chart promises for N leads, from its rates and deadlines."""

from __future__ import annotations

from typing import Optional

import click

from ..i18n import N_
from .common import Run, exit_with
from .translated import TranslatedCommand


@click.command(
    "analyze",
    cls=TranslatedCommand,
    help=N_(
        "Expected numbers for N leads entering one process FILE.\n"
        "\n"
        "From the branches' `rate`s and the stages' `due`s: arrivals at each stage and end, expected\n"
        "wins, cycle time (mean; p50 and p90 from a seeded simulation) against the `target`, the\n"
        "slowest path, the bottleneck stage, how often each loop is taken, and workload per owner.\n"
        "A decision without rates is assumed to split equally, and the report says so.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow analyze samples/saas-funnel.flow --leads 1000\n"
        "  salesflow analyze samples/saas-funnel.flow -f json -o funnel.json\n"
        "  salesflow analyze samples/saas-funnel.flow -f html -o funnel.html"
    ),
)
@click.argument("source", metavar="FILE")
@click.option("--leads", default=1000, show_default=True, type=click.IntRange(min=1), metavar="N",
              help=N_("How many leads enter the process."))
@click.option("--seed", default=0, show_default=True, type=int, metavar="S",
              help=N_("Seed of the simulation behind the cycle-time quantiles."))
@click.option("-f", "--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json", "html"]),
              help=N_("Output format."))
@click.option("-o", "--output", default=None, metavar="PATH", help=N_("Write the report here (default: standard output)."))
@click.option("--block", default=None, type=click.IntRange(min=1), metavar="N",
              help=N_("For a Markdown file with several charts: which ```mermaid block (1 = first)."))
def command(source: str, leads: int, seed: int, fmt: str, output: Optional[str], block: Optional[int]) -> None:
    from ..errors import SalesflowError
    from ..i18n import use
    from .analytics_common import as_json, deliver, one_process, report_language

    run = Run()
    process = one_process(run, source, block)
    lang = report_language(process)
    try:
        from ..analytics.expectation import analyze

        with use(lang):  # the assumptions the analysis notes are worded in the report's language
            analysis = analyze(process, leads, seed)
            if fmt == "json":
                content = as_json(analysis.to_dict())
            elif fmt == "html":
                from ..analytics.report_html import analysis_html

                content = analysis_html(process, analysis, lang)
            else:
                from ..analytics.report_text import analysis_text

                content = analysis_text(analysis)
        deliver(run, output, content)
    except SalesflowError as exc:
        run.fail(exc)
    exit_with(run.exit_code())
