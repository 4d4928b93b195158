"""`salesflow render`: write a process in another format."""

from __future__ import annotations

import os
import sys

import click


from ..i18n import N_, _
from ..render import FORMATS
from ..limits import one_input
from .common import OutputNames, Run, collect_garbage_at_exit_only, exit_with
from .translated import TranslatedCommand

GRAPHVIZ_FORMATS = ("dot", "svg", "png", "pdf")
LAID_OUT_FORMATS = GRAPHVIZ_FORMATS + ("bpmn", "drawio")  # laid out by Graphviz as the pictures are


@click.command(
    "render",
    cls=TranslatedCommand,
    help=N_(
        "Render process files (or Markdown, or - for stdin) as FORMAT.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow render -f svg samples/b2b-lanes.flow -o b2b.svg\n"
        "  salesflow render -f png --highlight samples/classic-seven-stages.flow -o review.png\n"
        "  salesflow render -f png --fit phone samples/classic-seven-stages.flow -o share.png\n"
        "  salesflow render -f mermaid samples/saas-funnel.flow\n"
        "  salesflow render -f pdf samples/ -o out/"
    ),
)
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option(
    "-f", "--format", "format_name", type=click.Choice(sorted(FORMATS)), default="json", show_default=True,
    help=N_("Output format."),
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=True), default=None,
    help=N_("Output file (one chart) or directory (several charts); `-` or nothing: standard output."),
)
@click.option(
    "--meta/--no-meta", "show_meta", default=True, show_default=True,
    help=N_("dot/svg/png/pdf: show owner and deadline under each label, and notes on edges."),
)
@click.option(
    "--highlight", is_flag=True,
    help=N_("dot/svg/png/pdf: run the linter and colour the nodes and edges it reports, with a legend."),
)
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help=N_("With --highlight: the linter configuration file to use."),
)
@click.option(
    "--engine", type=click.Choice(["dot", "sfdp", "fdp", "neato"]), default="dot", show_default=True,
    help=N_("svg/png/pdf: Graphviz layout. sfdp is far faster on very large charts, but draws no swimlanes."),
)
@click.option(
    "--timeout", type=click.FloatRange(min=0), default=60, show_default=True, metavar="SECONDS",
    help=N_("svg/png/pdf: seconds Graphviz may take per chart (0: no limit)."),
)
@click.option("--font", default=None, metavar="FAMILY", help=N_("dot/svg/png/pdf: font family (default: Noto Sans CJK SC)."))
@click.option(
    "--direction", type=click.Choice(["LR", "RL", "TD", "TB", "BT"], case_sensitive=False), default=None,
    help=N_("dot/svg/png/pdf/bpmn/drawio: draw the flow this way instead of the chart's own direction."),
)
@click.option(
    "--wrap", "wrap", default=None, metavar="N|off", callback=lambda _ctx, _param, value: _wrap(value),
    help=N_("dot/svg/png/pdf/bpmn/drawio: stages per row (or column) of a long flow, or off. Default: wrap only a "
    "chart that would be more than about 5:1."),
)
@click.option(
    "--width", "width_px", type=click.IntRange(16, 32_000), default=None, metavar="PX",
    help=N_("png: the picture's width in pixels (the height follows the chart)."),
)
@click.option(
    "--dpi", type=click.FloatRange(24, 1200), default=None, metavar="N",
    help=N_("png: pixels per inch; 72 draws 12 pt text 12 px high (default: 144)."),
)
@click.option(
    "--fit", type=click.Choice(["phone", "screen"]), default=None,
    help=N_("png: size the picture for where it is read: phone (shared in a chat app, 1080 px wide) "
         "or screen (a 1280 px screen, sharp on high-density ones). Warns when the text is still too small."),
)
@click.option(
    "--plain", is_flag=True,
    help=N_("mermaid: leave out salesflow's metadata, for renderers older than Mermaid 11.3."),
)
@click.option(
    "--swimlane", is_flag=True,
    help=N_("mermaid: write department lanes as a Mermaid swimlane diagram (swimlane-beta, Mermaid 11.16+)."),
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
    direction: str | None,
    wrap: int | None,
    width_px: int | None,
    dpi: float | None,
    fit: str | None,
    plain: bool,
    swimlane: bool,
) -> None:
    from ..errors import SalesflowError
    from ..output import InputFiles, write_atomic, write_stdout

    if output == "-":  # as for handbook and import: `-` is standard output, not a file named `-`
        output = None
    fmt = FORMATS[format_name]
    if highlight and format_name not in GRAPHVIZ_FORMATS:
        raise click.UsageError(
            _("--highlight draws on a picture: use it with -f {formats}", formats="/".join(GRAPHVIZ_FORMATS))
        )
    if config_path and not highlight:
        raise click.UsageError(_("--config is the linter's configuration: use it with --highlight"))
    if plain and format_name != "mermaid":
        raise click.UsageError(_("--plain applies to -f mermaid"))
    if swimlane and format_name != "mermaid":
        raise click.UsageError(_("--swimlane applies to -f mermaid"))
    _check_size_options(format_name, width_px, dpi, fit)
    if output is None and fmt.binary and sys.stdout.isatty():
        raise click.UsageError(
            _("{format} is binary: write it to a file with -o, or redirect the output", format=format_name.upper())
        )

    options: dict[str, object] = {
        "show_meta": show_meta, "engine": engine, "timeout": timeout, "plain": plain, "swimlane": swimlane,
    }
    if font:
        options["font"] = font
    if (direction or wrap is not None) and format_name not in LAID_OUT_FORMATS:
        formats = "/".join(LAID_OUT_FORMATS)
        raise click.UsageError(_("--direction and --wrap shape the drawing: use them with -f {formats}", formats=formats))
    options.update(direction=direction, wrap=wrap)
    if format_name in GRAPHVIZ_FORMATS:
        from .common import warn

        options["warn"] = warn  # a picture drawn other than asked, or too small where it is read
        options["encoded"] = True  # an SVG is written as Graphviz drew it, not decoded and encoded again
    if width_px or dpi or fit:
        options.update({"width": width_px, "dpi": dpi, "fit": fit})

    collect_garbage_at_exit_only()
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
                    _(
                        "{count} charts cannot share standard output as {format}; give an output directory with -o",
                        count=len(results), format=format_name,
                    )
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


def _wrap(value: str | None) -> int | None:
    """`--wrap`: None (automatic), 0 (`off`) or a number of stages per row."""
    if value is None:
        return None
    if value.strip().lower() in ("off", "0", "no", "none"):
        return 0
    if value.strip().isdigit() and int(value) >= 2:
        return int(value)
    raise click.BadParameter(
        _("`{written}` is not a number of stages per row (2 or more) or `off`", written=value), param_hint="--wrap"
    )


def _check_size_options(format_name: str, width_px: int | None, dpi: float | None, fit: str | None) -> None:
    given = [name for name, value in (("--width", width_px), ("--dpi", dpi), ("--fit", fit)) if value]
    if given and format_name != "png":
        raise click.UsageError(_("{option} sizes a bitmap: use it with -f png (svg and pdf scale without loss)", option=given[0]))
    if len(given) > 1:
        raise click.UsageError(_("{options} each set the picture's size: give one of them", options=_(" and ").join(given)))


def _warn_mermaid_limits(path: str, process, text: str) -> None:
    from ..mermaid_vocabulary import MAX_EDGES, MAX_TEXT_SIZE
    from .common import warn

    if len(process.edges) > MAX_EDGES or len(text) > MAX_TEXT_SIZE:
        warn(
            _(
                "{path}: warning: {edges} edges and {characters} characters; stock Mermaid (GitHub, mermaid.live) "
                "draws at most {max_edges} edges and {max_characters} characters, so split the chart or raise "
                "`maxEdges`/`maxTextSize` where you render it",
                path=path, edges=f"{len(process.edges):,}", characters=f"{len(text):,}", max_edges=MAX_EDGES,
                max_characters=f"{MAX_TEXT_SIZE:,}",
            )
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
        raise click.UsageError(_("--highlight needs the linter, which this installation does not include")) from None
    fixed = read_config(config_path) if config_path else None

    def review(chart, process):
        config = fixed if fixed is not None else load_config(chart.path)
        return lint(process, config, source=chart.text)

    return review
