"""Help in the reader's language: click commands whose help text is translated when it is shown.

Help strings are written in English and marked for the catalog (`help=N_("…")`); they are
translated when help is printed, not when a command's module is imported, so the language a run
speaks (`salesflow.i18n`) decides even if it is chosen after the import. Click's own headings
(`Usage:`, `Options`) go through the same catalog.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

import click

from ..i18n import N_, gettext

# Click's own words in help pages, in the catalog so that they are translated with the rest.
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
)


class TranslatedFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: Optional[str] = None) -> None:
        super().write_usage(prog, args, f"{gettext('Usage:')} " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(gettext(heading))


class TranslatedContext(click.Context):
    formatter_class = TranslatedFormatter


@contextmanager
def _help_translated(command: click.Command) -> Iterator[None]:
    """The command's and its options' help in the run's language while its help is written."""
    kept = [(command, command.help)] + [(param, getattr(param, "help", None)) for param in command.params]
    for owner, text in kept:
        if text:
            owner.help = gettext(text)
    try:
        yield
    finally:
        for owner, text in kept:
            owner.help = text


def _translated_help_option(option: Optional[click.Option]) -> Optional[click.Option]:
    # Click makes the --help option itself, with its own (English) help text.
    if option is not None and option.help:
        option.help = gettext(option.help)
    return option


class TranslatedCommand(click.Command):
    context_class = TranslatedContext

    def get_help_option(self, ctx: click.Context) -> Optional[click.Option]:
        return _translated_help_option(super().get_help_option(ctx))

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_translated(self):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _help_translated(self):
            return super().get_short_help_str(limit)


class TranslatedGroup(click.Group):
    context_class = TranslatedContext

    def get_help_option(self, ctx: click.Context) -> Optional[click.Option]:
        return _translated_help_option(super().get_help_option(ctx))

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_translated(self):
            super().format_help(ctx, formatter)
