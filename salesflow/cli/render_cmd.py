"""`salesflow render`: write a process in another format."""

from __future__ import annotations

import os

import click

from ..render import FORMATS
from .common import EXIT_ERROR, Run, exit_with, output_name


@click.command("render")
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option(
    "-f", "--format", "format_name", type=click.Choice(sorted(FORMATS)), default="json", show_default=True,
    help="Output format.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=True), default=None,
    help="Output file (one chart) or directory (several charts). Default: standard output.",
)
def command(inputs: tuple[str, ...], format_name: str, output: str | None) -> None:
    """Render process files (or Markdown, or - for stdin) as FORMAT.

    \b
    Examples:
      salesflow render -f json samples/saas-funnel.flow
      salesflow render -f json samples/ -o out/
    """
    from ..errors import SalesflowError
    from ..output import refuse_input_overwrite, write_atomic, write_stdout

    fmt = FORMATS[format_name]
    run = Run()
    results = []
    for chart, process in run.processes(inputs):
        try:
            results.append((chart, fmt.renderer()(process)))
        except SalesflowError as exc:
            run.fail(exc)

    try:
        if output is None:
            if format_name == "json" and len(results) > 1:
                import json

                documents = [json.loads(text) for _chart, text in results]
                write_stdout(json.dumps(documents, ensure_ascii=False, indent=2) + "\n")
            else:
                for _chart, data in results:
                    write_stdout(data)
        elif len(results) == 1 and not os.path.isdir(output) and not output.endswith(os.sep):
            refuse_input_overwrite(output, run.inputs)
            write_atomic(output, results[0][1])
        else:
            taken: set[str] = set()
            for chart, data in results:
                target = os.path.join(output, output_name(chart.path, chart.block, fmt.extension, taken))
                refuse_input_overwrite(target, run.inputs)
                write_atomic(target, data)
    except SalesflowError as exc:
        run.fail(exc)
    exit_with(run.exit_code())
