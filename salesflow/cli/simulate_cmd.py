"""`salesflow simulate`: a synthetic stage-history log from a chart's rates and deadlines."""

from __future__ import annotations

from typing import Optional

import click

from ..i18n import N_
from .common import Run, exit_with
from .translated import TranslatedCommand


@click.command(
    "simulate",
    cls=TranslatedCommand,
    help=N_(
        "Write a stage-history log of N simulated cases of one process FILE, as CSV.\n"
        "\n"
        "Columns: case_id, stage, timestamp, owner — one row per stage a case enters (decisions are\n"
        "not recorded, as in a CRM). Cases branch by the charted `rate`s (equal shares where a\n"
        "decision has none) and drop out where rates add up to less than 100%. The time in a stage is\n"
        "triangular between 0.4 and 1.2 times its `due`, most likely 0.8 times: one stay in eight runs late.\n"
        "Cases start spread over 90 days from 2026-01-05 09:00.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow simulate samples/saas-funnel.flow --cases 5000 --seed 7 -o log.csv\n"
        "  salesflow simulate samples/saas-funnel.flow --cases 5000 | salesflow conform samples/saas-funnel.flow -"
    ),
)
@click.argument("source", metavar="FILE")
@click.option("--cases", "count", required=True, type=click.IntRange(min=1), metavar="N",
              help=N_("How many cases (leads) to walk through the chart."))
@click.option("--seed", default=0, show_default=True, type=int, metavar="S",
              help=N_("The same seed gives the same log, byte for byte."))
@click.option("-o", "--output", default=None, metavar="CSV", help=N_("Write the log here (default: standard output)."))
@click.option("--block", default=None, type=click.IntRange(min=1), metavar="N",
              help=N_("For a Markdown file with several charts: which ```mermaid block (1 = first)."))
def command(source: str, count: int, seed: int, output: Optional[str], block: Optional[int]) -> None:
    from ..errors import SalesflowError
    from .analytics_common import deliver, one_process

    run = Run()
    process = one_process(run, source, block)
    try:
        from ..analytics.flow import Chain
        from ..analytics.simulation import write_log

        deliver(run, output, write_log(Chain(process), count, seed))
    except SalesflowError as exc:
        run.fail(exc)
    exit_with(run.exit_code())
