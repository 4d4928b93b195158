"""`salesflow handbook`: write the training handbook (HTML, and a PDF of it) for one process."""

from __future__ import annotations

from typing import Optional

import click


from ..i18n import N_, _
from .common import Run, exit_with, warn
from .translated import TranslatedCommand


@click.command(
    "handbook",
    cls=TranslatedCommand,
    help=N_(
        "Turn one process FILE (or a Markdown chart, or - for stdin) into a training handbook.\n"
        "\n"
        "The HTML is one self-contained file (inline CSS and SVG, no scripts, no network): it opens\n"
        "from a USB stick. The PDF is the same document on A4 pages.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow handbook samples/annotated-ten-stages.flow -o handbook.html --pdf handbook.pdf\n"
        "  salesflow handbook samples/b2b-lanes.flow --role 销售部 --no-health -o sales.html\n"
        "  salesflow handbook samples/saas-funnel.flow --lang zh --template-dir our-templates/ -o saas.html"
    ),
)
@click.argument("source", metavar="FILE")
@click.option("-o", "--output", default=None, metavar="HTML",
              help=N_("Write the HTML handbook here (`-` for standard output; the default without --pdf)."))
@click.option("--pdf", "pdf_path", default=None, metavar="PDF", help=N_("Write a printable A4 PDF here (with -o as well, both are written)."))
@click.option("--lang", default=None, metavar="LANG",
              help=N_("Interface language: zh or en (or one a template folder adds). Default: the front matter's `lang`."))
@click.option("--role", default=None, metavar="NAME", help=N_("A handout for one role or department only."))
@click.option("--template-dir", default=None, type=click.Path(file_okay=False), metavar="DIR",
              help=N_("Templates (and messages.yaml) here replace the built-in ones of the same name."))
@click.option("--config", "config_path", default=None, type=click.Path(dir_okay=False), metavar="FILE",
              help=N_("Lint configuration for the health section (default: the usual discovery)."))
@click.option("--no-health", "no_health", is_flag=True,
              help=N_("Leave the review out (the health section and each stage's points to improve): a handout for reps."))
@click.option("--no-numbers", "no_numbers", is_flag=True,
              help=N_("Leave out what the chart promises (its funnel, and time in each stage against its deadline)."))
@click.option("--leads", default=100, show_default=True, type=click.IntRange(min=1), metavar="N",
              help=N_("How many leads the funnel in the handbook starts with."))
@click.option("--block", default=None, type=click.IntRange(min=1), metavar="N",
              help=N_("For a Markdown file with several charts: which ```mermaid block (1 = first)."))
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help=N_("Date on the cover. Default: SOURCE_DATE_EPOCH if set, else today."))
def command(source: str, output: Optional[str], pdf_path: Optional[str], lang: Optional[str],
            role: Optional[str], template_dir: Optional[str], config_path: Optional[str],
            block: Optional[int], date: Optional[str], no_health: bool, no_numbers: bool, leads: int) -> None:
    from ..errors import SalesflowError
    from ..output import refuse_input_overwrite, refuse_shared_output, write_atomic, write_stdout
    from ..parse import parse_text

    run = Run()
    try:
        # Before any work: otherwise the PDF would silently replace the HTML (or share stdout).
        refuse_shared_output([("-o", output), ("--pdf", pdf_path)])
    except SalesflowError as exc:
        run.fail(exc)
        exit_with(run.exit_code())
    if pdf_path is not None:
        from ..handbook.pdf import start_loading, stop_loading

        start_loading()  # meanwhile the chart is read, reviewed and drawn
        click.get_current_context().call_on_close(stop_loading)  # a printer left unused if the command fails
    charts = list(run.charts((source,)))
    if run.errors:
        exit_with(run.exit_code())
    try:
        # Only the chosen chart is parsed: an error in another block of the same file is not its concern.
        chosen = _pick(charts, source, block)
        process = parse_text(chosen.text, chosen.path, chosen.line_offset)
        html, pdf = _build(process, chosen.text, lang, role, template_dir, config_path, date,
                           want_pdf=pdf_path is not None, health=not no_health,
                           numbers=not no_numbers, leads=leads, pdf_only=pdf_path is not None and output is None)
        targets = [t for t in (output, pdf_path) if t not in (None, "-")]
        for target in targets:
            refuse_input_overwrite(target, run.inputs)
        if pdf_path is not None and pdf is not None:
            if pdf_path == "-":
                write_stdout(pdf)
            else:
                write_atomic(pdf_path, pdf)
        if output == "-" or (output is None and pdf_path is None):
            write_stdout(html)
        elif output is not None:
            write_atomic(output, html)
    except SalesflowError as exc:
        run.fail(exc)
    exit_with(run.exit_code())


def _pick(charts: list, source: str, block: Optional[int]):
    """The one chart the handbook is for."""
    from ..errors import InputError

    if not charts:
        raise InputError(source, _("no chart found (a Markdown file needs a ```mermaid block)"))
    if block is not None:
        chosen = [chart for chart in charts if (chart.block or 1) == block]
        if not chosen:
            raise InputError(source, _("there is no chart number {block}; it has {count}", block=block, count=len(charts)))
        return chosen[0]
    if len(charts) > 1:
        raise InputError(
            source, _("it holds {count} charts and a handbook is for one: choose with --block N", count=len(charts))
        )
    return charts[0]


def _build(process, text: str, lang: Optional[str], role: Optional[str], template_dir: Optional[str],
           config_path: Optional[str], date: Optional[str], want_pdf: bool,
           health: bool = True, numbers: bool = True, leads: int = 100,
           pdf_only: bool = False) -> tuple[str, Optional[bytes]]:
    from ..errors import ConfigError
    from ..handbook import speaking_handbook_language
    from ..handbook.chart import chart
    from ..handbook.messages import load_messages, match_language
    from ..handbook.render import process_title, render_html, start_compiling
    from ..handbook.view import role_names
    from ..lint import lint
    from ..lint.config import load_config, read_config

    if role is not None:
        known = role_names(process)
        if role not in known:
            raise ConfigError(_unknown_role(role, known))
    if lang is None and process.lang and match_language(process.lang, load_messages(template_dir)) is None:
        warn(_(
            "{path}: the handbook has no `{lang}` interface text; choosing by the chart's text (use --lang to pick one)",
            path=process.path, lang=process.lang,
        ))
    findings = []
    if health:
        config = read_config(config_path) if config_path else load_config(process.path)
        with speaking_handbook_language(process, lang, template_dir):
            findings = lint(process, config, source=text)
    start_compiling(process, lang, template_dir)  # while Graphviz draws
    # A PDF alone is printed from the HTML without what only screens show (see handbook/pdf.py).
    drawing = chart(process, process_title(process), role=role, for_screens=not pdf_only)
    html = render_html(process, drawing, findings, lang=lang, role=role, template_dir=template_dir, date=date,
                       health=health, numbers=numbers, leads=leads)
    pdf = None
    if want_pdf:
        from ..handbook.pdf import html_to_pdf

        pdf = html_to_pdf(html)
    return html, pdf


def _unknown_role(role: str, known: list[str]) -> str:
    from ..suggest import closest

    if not known:
        return _("--role {role}: the chart names no roles or owners", role=role)
    meant = closest(role, known, cutoff=0.5)
    hint = _("did you mean `{word}`? ", word=meant) if meant else ""
    return _(
        "--role {role}: no such role in the chart; {hint}the roles are: {roles}", role=role, hint=hint, roles=", ".join(known)
    )

