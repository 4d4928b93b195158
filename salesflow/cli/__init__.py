"""The command line: `salesflow COMMAND …`, as a click group that loads each command's module only
when it runs (`salesflow.cli.group`), and, for the commonest runs, a lint of files and a drawing
written to a file, without click.

The language every message is printed in is decided before anything is printed, help included:
`--lang`, else `SALESFLOW_LANG`, the configuration's `lang`, the locale (`salesflow.i18n`).

This module does not import click: a `salesflow lint FILE…` that `salesflow.cli.fast_lint`
understands, or a `salesflow render -f FORMAT FILE… -o OUT` that `salesflow.cli.fast_render`
does, runs without it (click alone costs about three times Python's own start).
"""

from __future__ import annotations

import sys

from ..i18n import N_, _, resolve_language, set_language

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Any, Optional

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


def __getattr__(name: str) -> Any:
    # The click group (`cli`) and its class, loaded with click when something asks for them.
    if name in ("cli", "LazyGroup"):
        from . import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _configured_language() -> Optional[str]:
    """The `lang` of the configuration that governs the working directory, if it names one."""
    import os

    from ..config_files import configured_language
    from ..errors import SalesflowError

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


def main() -> None:
    argv = sys.argv[1:]
    set_language(resolve_language(_lang_argument(argv), config=_configured_language))
    from . import common
    from .fast_lint import lint_values

    common.EXITS_AFTER_COMMAND = True
    values = lint_values(argv)
    render = None
    if values is None:
        from .fast_render import render_values

        render = render_values(argv)
    exhausted = None
    try:
        if values is not None:
            _run_lint(values)
        elif render is not None:
            _run_render(render)
        else:
            _run_click()
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
    from .common import echo_error

    echo_error(_("error: {message}", message=too_deep_message() if exhausted == "stack" else out_of_memory_message()))
    raise SystemExit(2)


def _run_click() -> None:
    from .group import cli
    from .translated import speak_for_click

    speak_for_click()
    cli(prog_name="salesflow")


def _run_lint(values: dict[str, Any]) -> None:
    """`salesflow lint` with the values click would have passed it, ending the run as click does."""
    from . import lint_review

    _run_without_click(lint_review.review, values)


def _run_render(values: dict[str, Any]) -> None:
    """`salesflow render` with the values click would have passed it, ending the run as click does."""
    from .render_run import render_files

    _run_without_click(render_files, values)


def _run_without_click(command: Any, values: dict[str, Any]) -> None:
    try:
        command(**values)
    except (SystemExit, RecursionError, MemoryError):
        raise
    except BaseException as error:  # Ctrl-C, a closed pipe: click's own handling
        from .group import finish_as_click

        finish_as_click(error)
    raise SystemExit(0)  # as click's standalone mode ends a command that returns
