"""`salesflow serve`: the live drafting studio (see salesflow/serve/)."""

from __future__ import annotations

from typing import Optional

import click

from .common import EXIT_ERROR, report


@click.command("serve")
@click.argument("path", default=".", type=click.Path(exists=True))
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port to listen on (default: a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback lets other machines in (a warning says so).")
@click.option("--open", "open_browser", is_flag=True, help="Open the studio in the web browser.")
@click.option("--lang", default=None, type=click.Choice(["zh", "en"]),
              help="Language of the page (default: SALESFLOW_LANG, else the charts' own).")
def command(path: str, port: int, host: str, open_browser: bool, lang: Optional[str]) -> None:
    """Edit a process chart and see it drawn and reviewed as you type.

    PATH is a chart, a Markdown file with mermaid blocks, or a folder of them (default: the
    current folder). The studio prints its address, with a token every request must carry.

    \b
    Examples:
      salesflow serve samples/ --open
      salesflow serve process.flow --port 8700 --lang zh
    """
    from ..errors import SalesflowError
    from ..serve.server import serve

    try:
        serve(path, host=host, port=port, lang=lang, open_browser=open_browser,
              say=lambda text: click.echo(text), warn=lambda text: click.echo(text, err=True))
    except SalesflowError as exc:
        report(exc)
        raise SystemExit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        pass
