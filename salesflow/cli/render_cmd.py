"""`salesflow render`: write a process in another format."""

from __future__ import annotations

import click

from ..i18n import N_, _
from ..render import FORMATS
from .translated import TranslatedCommand


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
    from . import render_run  # the command's work, which also runs without click (see fast_render)

    render_run.render_files(
        inputs=inputs, format_name=format_name, output=output, show_meta=show_meta, highlight=highlight,
        config_path=config_path, engine=engine, timeout=timeout, font=font, direction=direction, wrap=wrap,
        width_px=width_px, dpi=dpi, fit=fit, plain=plain, swimlane=swimlane,
    )


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
