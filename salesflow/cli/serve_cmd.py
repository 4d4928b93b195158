"""`salesflow serve`: the live drafting studio (see salesflow/serve/)."""

from __future__ import annotations

from typing import Optional

import click

from ..i18n import N_
from .common import EXIT_ERROR, report
from .translated import TranslatedCommand


@click.command(
    "serve",
    cls=TranslatedCommand,
    help=N_(
        "Edit a process chart and see it drawn and reviewed as you type.\n"
        "\n"
        "PATH is a chart, a Markdown file with mermaid blocks, or a folder of them (default: the\n"
        "current folder). The studio prints its address, with a token every request must carry.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow serve samples/ --open\n"
        "  salesflow serve process.flow --port 8700 --lang zh"
    ),
)
@click.argument("path", default=".", type=click.Path(exists=True))
@click.option("--port", default=0, type=click.IntRange(0, 65535), help=N_("Port to listen on (default: a free one)."))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=N_("Address to listen on; anything but loopback lets other machines in (a warning says so)."))
@click.option("--open", "open_browser", is_flag=True, help=N_("Open the studio in the web browser."))
@click.option("--lang", default=None, type=click.Choice(["zh", "en"]),
              help=N_("Language of the page (default: salesflow --lang, SALESFLOW_LANG, else the charts' own)."))
def command(path: str, port: int, host: str, open_browser: bool, lang: Optional[str]) -> None:
    from ..errors import SalesflowError
    from ..serve.server import serve

    lang = lang or click.get_current_context().meta.get("salesflow.lang")
    try:
        serve(path, host=host, port=port, lang=lang, open_browser=open_browser,
              say=lambda text: click.echo(text), warn=lambda text: click.echo(text, err=True))
    except SalesflowError as exc:
        report(exc)
        raise SystemExit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        pass
