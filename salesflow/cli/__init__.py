"""The command line: a small click group that loads each command's module only when it runs.

The language every message is printed in is decided before anything is printed, help included:
`--lang`, else `SALESFLOW_LANG`, the configuration's `lang`, the locale (`salesflow.i18n`).
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Optional

import click

from ..i18n import LANGUAGES, N_, _, resolve_language, set_language
from .translated import TranslatedGroup, speak_for_click

# Click words some messages as its decorators run (the version option's, below): through
# salesflow's catalog they cost nothing, where the standard library's gettext would look for
# catalogs on disk (and import locale) at every start.
speak_for_click()

# command name → (module, one-line help); the module defines `command`.
COMMANDS = {
    "lint": ("salesflow.cli.lint_cmd", N_("Review process files the way a sales-operations lead would.")),
    "rules": ("salesflow.cli.rules_cmd", N_("List the lint rules, or explain one.")),
    "render": ("salesflow.cli.render_cmd", N_("Draw a process: SVG, PNG, PDF, DOT, Mermaid, JSON, BPMN or draw.io.")),
    "fmt": ("salesflow.cli.fmt_cmd", N_("Rewrite process files in canonical form.")),
    "handbook": ("salesflow.cli.handbook_cmd", N_("Write the training handbook (HTML, PDF) for a process.")),
    "serve": ("salesflow.cli.serve_cmd", N_("The live studio: edit a process, see it drawn and reviewed.")),
    "init": ("salesflow.cli.init_cmd", N_("Write a starting process chart from a template.")),
    "import": ("salesflow.cli.import_cmd", N_("Read a BPMN 2.0 or draw.io file as a process file.")),
    "analyze": ("salesflow.cli.analyze_cmd", N_("Expected funnel, cycle time and workload for N leads.")),
    "simulate": ("salesflow.cli.simulate_cmd", N_("Write a synthetic stage-history log from a process.")),
    "conform": ("salesflow.cli.conform_cmd", N_("Check a process against a CRM's stage history.")),
}


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


def _configured_language() -> Optional[str]:
    """The `lang` of the configuration that governs the working directory, if it names one."""
    import os

    from ..errors import SalesflowError
    from ..config_files import configured_language

    try:
        return configured_language(os.getcwd())
    except (SalesflowError, OSError):
        return None  # a broken configuration is reported by the command that reads it


def _lang_argument(argv: list[str]) -> Optional[str]:
    """The group's `--lang` on a command line (before the command's name; `handbook --lang` is the
    handbook's own), read before click parses it, so that help is translated too."""
    for index, word in enumerate(argv):
        if word == "--" or word in COMMANDS:
            break
        if word.startswith("--lang="):
            return word.partition("=")[2]
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


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


def main() -> None:
    set_language(resolve_language(_lang_argument(sys.argv[1:]), config=_configured_language))
    speak_for_click()
    from . import common

    common.EXITS_AFTER_COMMAND = True
    exhausted = None
    try:
        cli(prog_name="salesflow")
    except SystemExit:
        # The command is done. Python's last garbage collections at exit would walk every object
        # the run made (about 20 ms after a drawing), only to free memory the system frees anyway.
        import gc

        gc.freeze()
        raise
    except RecursionError:
        exhausted = "stack"
    except MemoryError:
        exhausted = "memory"
    if exhausted is None:
        return
    # Each command reports these per input and goes on; this catches the rest, once the exception
    # (and the memory its frames hold) is gone.
    from ..limits import out_of_memory_message, too_deep_message

    click.echo(_("error: {message}", message=too_deep_message() if exhausted == "stack" else out_of_memory_message()), err=True)
    raise SystemExit(2)
