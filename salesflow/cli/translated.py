"""Help and usage errors in the reader's language: click, spoken through salesflow's catalog.

Help strings are written in English and marked for the catalog (`help=N_("…")`); they are
translated when help is printed, not when a command's module is imported, so the language a run
speaks (`salesflow.i18n`) decides even if it is chosen after the import.

Click words its own messages (`Usage:`, `Error: …`, `Missing argument`) through the standard
library's `gettext`, which each of its modules imports as `_` and `ngettext`; `speak_for_click`
points those names at salesflow's catalog, so a usage error reads in one language. The messages
below are the ones salesflow's catalog translates; any other stays as click writes it.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

import click

from ..i18n import NN_, N_, gettext, ngettext

# Click's own words (click 8.1–8.5), in the catalog so that they are translated with the rest.
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Aborted!"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("No such command {name!r}."),
    N_("No such option: {name}"),
    N_("No such option {name!r}."),
    N_("Option {name!r} does not take a value."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("default: {default}"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("file"),
    N_("directory"),
    N_("path"),
)
CLICK_PLURALS = (
    NN_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    NN_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    NN_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    NN_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
)
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def speak_for_click() -> None:
    """Let click's modules translate through salesflow's catalog (in the run's language)."""
    import importlib

    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


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


class _SpeaksTheReadersLanguage:
    """What a command and a group alike need to show their help and errors in the run's language."""

    context_class = TranslatedContext

    def get_help_option(self, ctx: click.Context) -> Optional[click.Option]:
        return _translated_help_option(super().get_help_option(ctx))  # type: ignore[misc]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_translated(self):
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _help_translated(self):
            return super().get_short_help_str(limit)  # type: ignore[misc]


class TranslatedCommand(_SpeaksTheReadersLanguage, click.Command):
    pass


class TranslatedGroup(_SpeaksTheReadersLanguage, click.Group):
    pass
