"""`salesflow conform`: check a process chart against a CRM's stage history."""

from __future__ import annotations

import datetime
from typing import Optional

import click

from ..i18n import N_, _
from .common import EXIT_FINDINGS, Run, exit_with
from .translated import TranslatedCommand

MESSAGES = {
    "below": N_("fitness {fitness} is below --fail-under {threshold}"),
    "no_cases": N_("no case in the log could be checked, so fitness is unknown"),
    "as_of": N_("--as-of {value}: not a date or time; write e.g. 2026-03-31 or 2026-03-31T18:00"),
}


@click.command(
    "conform",
    cls=TranslatedCommand,
    help=N_(
        "Check one process FILE against LOG, a CRM's stage history (CSV, Parquet or XES).\n"
        "\n"
        "Each record of LOG says that a case entered a stage at a time. CRM stage names are matched\n"
        "to the chart's stages by their `crm:` names, else by id or label, whatever their case and\n"
        "width; stages the log never records, usually decisions, are passed through.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow conform samples/saas-funnel.flow history.csv\n"
        "  salesflow conform pipeline.flow OpportunityHistory.csv --format salesforce --fail-under 0.9\n"
        "  salesflow conform pipeline.flow deals.csv --format hubspot -f html -o report.html"
    ),
)
@click.argument("source", metavar="FILE")
@click.argument("log", metavar="LOG")
@click.option("--format", "layout", default="generic", show_default=True,
              type=click.Choice(["generic", "salesforce", "hubspot", "zoho"]),
              help=N_("The export's layout: which columns hold case, stage, time and owner (see the README)."))
@click.option("--case", "case_column", default=None, metavar="COLUMN", help=N_("The column naming the case (deal, opportunity)."))
@click.option("--stage", "stage_column", default=None, metavar="COLUMN", help=N_("The column naming the stage entered."))
@click.option("--time", "time_column", default=None, metavar="COLUMN", help=N_("The column with the time it was entered."))
@click.option("--owner", "owner_column", default=None, metavar="COLUMN", help=N_("The column naming who held the stage."))
@click.option("--as-of", "as_of", default=None, metavar="TIME",
              help=N_("When open cases are judged (default: the last time in the log)."))
@click.option("-f", "--output-format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json", "html"]), help=N_("Report format."))
@click.option("-o", "--output", default=None, metavar="PATH", help=N_("Write the report here (default: standard output)."))
@click.option("--fail-under", default=None, type=click.FloatRange(0, 1), metavar="SHARE",
              help=N_("Exit 1 when the share of cases following the chart is below this (e.g. 0.9)."))
@click.option("--block", default=None, type=click.IntRange(min=1), metavar="N",
              help=N_("For a Markdown file with several charts: which ```mermaid block (1 = first)."))
def command(source: str, log: str, layout: str, case_column: Optional[str], stage_column: Optional[str],
            time_column: Optional[str], owner_column: Optional[str], as_of: Optional[str], fmt: str,
            output: Optional[str], fail_under: Optional[float], block: Optional[int]) -> None:
    from ..errors import SalesflowError
    from ..i18n import use
    from .analytics_common import as_json, deliver, one_process, report_language

    run = Run()
    process = one_process(run, source, block)
    fitness = None
    try:
        from ..analytics.conformance import conform
        from ..analytics.logs import Columns

        if log != "-":
            run.inputs.append(log)
        moment = _moment(as_of) if as_of else None
        result = conform(process, log, layout, Columns(case_column, stage_column, time_column, owner_column), moment)
        fitness = result["fitness"]["cases"]
        lang = report_language(process)
        if fmt == "json":
            content = as_json(result)
        elif fmt == "html":
            from ..analytics.report_html import conformance_html

            content = conformance_html(process, result, lang)
        else:
            from ..analytics.report_text import conformance_text

            with use(lang):
                content = conformance_text(result)
        deliver(run, output, content)
    except SalesflowError as exc:
        run.fail(exc)
    if run.errors:
        exit_with(run.exit_code())
    if fail_under is not None:
        from .common import warn

        if fitness is None:
            warn(_(MESSAGES["no_cases"]))
            exit_with(EXIT_FINDINGS)
        if fitness < fail_under:
            warn(_(MESSAGES["below"], fitness=f"{fitness:.3f}", threshold=fail_under))
            exit_with(EXIT_FINDINGS)
    exit_with(run.exit_code())


def _moment(value: str) -> datetime.datetime:
    from ..errors import ConfigError

    try:
        moment = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(_(MESSAGES["as_of"], value=value)) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment
