"""`salesflow render`: write a process in another format."""

from __future__ import annotations

import os
import sys

import click

from ..render import FORMATS
from ..limits import one_input
from .common import OutputNames, Run, exit_with

GRAPHVIZ_FORMATS = ("dot", "svg", "png", "pdf")


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
@click.option(
    "--meta/--no-meta", "show_meta", default=True, show_default=True,
    help="dot/svg/png/pdf: show owner and deadline under each label, and notes on edges.",
)
@click.option(
    "--highlight", is_flag=True,
    help="dot/svg/png/pdf: run the linter and colour the nodes and edges it reports, with a legend.",
)
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="With --highlight: the linter configuration file to use.",
)
@click.option(
    "--engine", type=click.Choice(["dot", "sfdp", "fdp", "neato"]), default="dot", show_default=True,
    help="svg/png/pdf: Graphviz layout. sfdp is far faster on very large charts, but draws no swimlanes.",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0), default=60, show_default=True, metavar="SECONDS",
    help="svg/png/pdf: seconds Graphviz may take per chart (0: no limit).",
)
@click.option("--font", default=None, metavar="FAMILY", help="dot/svg/png/pdf: font family (default: Noto Sans CJK SC).")
@click.option(
    "--plain", is_flag=True,
    help="mermaid: leave out salesflow's metadata, for renderers older than Mermaid 11.3.",
)
def command(
    inputs: tuple[str, ...],
    format_name: str,
    output: str | None,
    show_meta: bool,
    highlight: bool,
    config_path: str | None,
    engine: str,
    timeout: float,
    font: str | None,
    plain: bool,
) -> None:
    """Render process files (or Markdown, or - for stdin) as FORMAT.

    \b
    Examples:
      salesflow render -f svg samples/b2b-lanes.flow -o b2b.svg
      salesflow render -f png --highlight samples/classic-seven-stages.flow -o review.png
      salesflow render -f mermaid samples/saas-funnel.flow
      salesflow render -f pdf samples/ -o out/
    """
    from ..errors import SalesflowError
    from ..output import InputFiles, write_atomic, write_stdout

    fmt = FORMATS[format_name]
    if highlight and format_name not in GRAPHVIZ_FORMATS:
        raise click.UsageError(f"--highlight draws on a picture: use it with -f {'/'.join(GRAPHVIZ_FORMATS)}")
    if config_path and not highlight:
        raise click.UsageError("--config is the linter's configuration: use it with --highlight")
    if plain and format_name != "mermaid":
        raise click.UsageError("--plain applies to -f mermaid")
    if output is None and fmt.binary and sys.stdout.isatty():
        raise click.UsageError(f"{format_name.upper()} is binary: write it to a file with -o, or redirect the output")

    options: dict[str, object] = {"show_meta": show_meta, "engine": engine, "timeout": timeout, "plain": plain}
    if font:
        options["font"] = font

    run = Run()
    try:
        review = _linter(config_path) if highlight else None
    except SalesflowError as exc:
        run.fail(exc)
        exit_with(run.exit_code())
        return
    results = []
    charts_read = 0
    for chart, process in run.processes(inputs):
        charts_read += 1
        try:
            with one_input(chart.path):
                if review is not None:
                    options["findings"] = review(chart, process)
                results.append((chart, fmt.renderer()(process, **options)))
            if format_name == "mermaid":
                _warn_mermaid_limits(chart.path, process, results[-1][1])
        except SalesflowError as exc:
            run.fail(exc)

    try:
        if output is None:
            if format_name == "json" and len(results) > 1:
                import json

                documents = [json.loads(text) for _chart, text in results]
                write_stdout(json.dumps(documents, ensure_ascii=False, indent=2) + "\n")
            elif len(results) > 1:
                raise click.UsageError(
                    f"{len(results)} charts cannot share standard output as {format_name}; "
                    "give an output directory with -o"
                )
            else:
                for _chart, data in results:
                    write_stdout(data)
        elif len(results) == 1 and charts_read + run.errors == 1 and not os.path.isdir(output) and not output.endswith(os.sep):
            # One chart: -o names the file. Several (even if only one could be drawn): a directory.
            InputFiles(run.inputs).refuse_overwrite(output)
            write_atomic(output, results[0][1])
        else:
            inputs = InputFiles(run.inputs)  # once: thousands of outputs are each checked in one look-up
            names = OutputNames()
            for chart, data in results:
                target = os.path.join(output, names.name(chart.path, chart.block, fmt.extension))
                inputs.refuse_overwrite(target)
                write_atomic(target, data)
    except SalesflowError as exc:
        run.fail(exc)
    exit_with(run.exit_code())


def _warn_mermaid_limits(path: str, process, text: str) -> None:
    from ..mermaid_vocabulary import MAX_EDGES, MAX_TEXT_SIZE
    from .common import warn

    if len(process.edges) > MAX_EDGES or len(text) > MAX_TEXT_SIZE:
        warn(
            f"{path}: warning: {len(process.edges):,} edges and {len(text):,} characters; stock Mermaid "
            f"(GitHub, mermaid.live) draws at most {MAX_EDGES} edges and {MAX_TEXT_SIZE:,} "
            "characters, so split the chart or raise `maxEdges`/`maxTextSize` where you render it"
        )


def _linter(config_path: str | None):
    """A function (chart, process) → findings, from the linter, loaded only for --highlight.

    Each chart is reviewed under the configuration `salesflow lint` would use for it: the
    --config file, or the one found above the chart's own file.
    """
    try:
        from ..lint import lint, load_config
        from ..lint.config import read_config
    except ImportError:
        raise click.UsageError("--highlight needs the linter, which this installation does not include") from None
    fixed = read_config(config_path) if config_path else None

    def review(chart, process):
        config = fixed if fixed is not None else load_config(chart.path)
        return lint(process, config, source=chart.text)

    return review
