"""`salesflow import`: a BPMN 2.0 or draw.io file as a process file."""

from __future__ import annotations

import click

from ..i18n import N_
from .common import Run, exit_with
from .translated import TranslatedCommand


@click.command(
    "import",
    cls=TranslatedCommand,
    help=N_(
        "Read a BPMN 2.0 model or a draw.io diagram and write it as a process file.\n"
        "\n"
        "What the process file cannot say (a service task's type, a message flow's message, a data\n"
        "object) is listed on standard error, and in --report FILE.json; nothing is dropped silently.\n"
        "Nothing is written when the file cannot be read.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow import model.bpmn -o process.flow\n"
        "  salesflow import chart.drawio -o process.flow --report import-report.json"
    ),
)
@click.argument("source", metavar="FILE")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None,
    help=N_("The process file to write. Default: standard output."),
)
@click.option(
    "--from", "kind", type=click.Choice(["bpmn", "drawio"]), default=None,
    help=N_("What FILE is. Default: known by its extension (.bpmn, .drawio) or, for .xml, by its content."),
)
@click.option(
    "--report", "report_path", type=click.Path(dir_okay=False), default=None, metavar="FILE.json",
    help=N_("Also write what could not be kept as JSON (it is always listed on standard error)."),
)
def command(source: str, output: str | None, kind: str | None, report_path: str | None) -> None:
    from ..errors import SalesflowError
    from ..limits import one_input
    from ..output import InputFiles, refuse_shared_output, write_atomic, write_stdout
    from ..interop.draft import to_text
    from ..interop.reading import kind_of, read_draft, read_file

    run = Run()
    try:
        with one_input(source):
            inputs = InputFiles([source])
            refuse_shared_output([("-o", output), ("--report", report_path)])
            for target in (output, report_path):
                if target and target != "-":
                    inputs.refuse_overwrite(target)
            data = read_file(source)
            draft, report = read_draft(source, data, kind_of(source, data, kind))
            text, _process = to_text(draft, output or "<stdout>")
        from .common import warn

        for line in report.lines():
            warn(line)
        if report_path:
            write_atomic(report_path, report.to_json()) if report_path != "-" else write_stdout(report.to_json())
        if output is None or output == "-":
            write_stdout(text)
        else:
            write_atomic(output, text)
    except SalesflowError as exc:
        run.fail(exc)
    exit_with(run.exit_code())
