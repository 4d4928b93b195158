"""The command line as click defines it: a small group that loads each command's module only when it runs."""

from __future__ import annotations

from importlib import import_module
from typing import Optional

import click

from ..i18n import LANGUAGES, N_, _, resolve_language, set_language
from . import COMMANDS, _configured_language
from .translated import TranslatedGroup, speak_for_click

# Click words some messages as its decorators run (the version option's, below): through
# salesflow's catalog they cost nothing, where the standard library's gettext would look for
# catalogs on disk (and import locale) at every start.
speak_for_click()


class LazyGroup(TranslatedGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        from importlib.util import find_spec

        return sorted(name for name, (module, _help) in COMMANDS.items() if find_spec(module) is not None)

    def get_command(self, ctx: click.Context, name: str):
        from importlib.util import find_spec

        # Only the command asked for is looked up: listing them all costs a search per module.
        if name not in COMMANDS or find_spec(COMMANDS[name][0]) is None:
            return None
        return import_module(COMMANDS[name][0]).command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing the commands must not import them all: the help comes from the table above.
        rows = [(name, _(COMMANDS[name][1])) for name in self.list_commands(ctx)]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)


def _choose_language(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[str]:
    set_language(resolve_language(value, config=_configured_language))
    speak_for_click()
    if value:
        ctx.meta["salesflow.lang"] = value  # asked for by name: commands that also guess (serve) obey it
    return value


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "Sales processes as text: review them, draw them, hand them out.\n\n"
        "A process file is a Mermaid flowchart plus process metadata (owners, deadlines,\n"
        "checks); it still renders on GitHub and in the Mermaid live editor."
    ),
)
@click.option(
    "--lang", type=click.Choice(LANGUAGES), default=None, is_eager=True, expose_value=False,
    callback=_choose_language,
    help=N_("Language of every message: zh or en. Default: SALESFLOW_LANG, the configuration's lang, the locale."),
)
@click.version_option(package_name="salesflow", prog_name="salesflow")
def cli() -> None:
    pass


def finish_as_click(error: BaseException) -> None:
    """End the run as click ends one whose command raised `error`: Ctrl-C as "Aborted!" and exit
    status 1, a closed standard output as a quiet exit 1, a click exception as its message.

    For a command run without click (`salesflow.cli.fast_lint`): click's own handling is used, so
    that the two ways cannot differ in how such a run ends.
    """

    def raise_it() -> None:
        raise error

    speak_for_click()
    click.Command("lint", callback=raise_it).main([], prog_name="salesflow")
