"""The command line: a small click group that loads each command's module only when it runs."""

from __future__ import annotations

from importlib import import_module

import click

# command name → (module, one-line help); the module defines `command`.
COMMANDS = {
    "lint": ("salesflow.cli.lint_cmd", "Review process files the way a sales-operations lead would."),
    "rules": ("salesflow.cli.rules_cmd", "List the lint rules, or explain one."),
    "render": ("salesflow.cli.render_cmd", "Draw a process: SVG, PNG, PDF, DOT, Mermaid, JSON, BPMN or draw.io."),
    "fmt": ("salesflow.cli.fmt_cmd", "Rewrite process files in canonical form."),
    "handbook": ("salesflow.cli.handbook_cmd", "Write the training handbook (HTML, PDF) for a process."),
    "serve": ("salesflow.cli.serve_cmd", "The live studio: edit a process, see it drawn and reviewed."),
    "init": ("salesflow.cli.init_cmd", "Write a starting process chart from a template."),
    "import": ("salesflow.cli.import_cmd", "Read a BPMN 2.0 or draw.io file as a process file."),
    "analyze": ("salesflow.cli.analyze_cmd", "Expected funnel, cycle time and workload for N leads."),
    "simulate": ("salesflow.cli.simulate_cmd", "Write a synthetic stage-history log from a process."),
    "conform": ("salesflow.cli.conform_cmd", "Check a process against a CRM's stage history."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        from importlib.util import find_spec

        return sorted(name for name, (module, _help) in COMMANDS.items() if find_spec(module) is not None)

    def get_command(self, ctx: click.Context, name: str):
        if name not in self.list_commands(ctx):
            return None
        return import_module(COMMANDS[name][0]).command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing the commands must not import them all: the help comes from the table above.
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="salesflow", prog_name="salesflow")
def cli() -> None:
    """Sales processes as text: review them, draw them, hand them out.

    A process file is a Mermaid flowchart plus process metadata (owners, deadlines,
    checks); it still renders on GitHub and in the Mermaid live editor.
    """


def main() -> None:
    exhausted = None
    try:
        cli(prog_name="salesflow")
    except RecursionError:
        exhausted = "stack"
    except MemoryError:
        exhausted = "memory"
    if exhausted is None:
        return
    # Each command reports these per input and goes on; this catches the rest, once the exception
    # (and the memory its frames hold) is gone.
    from ..limits import OUT_OF_MEMORY, too_deep_message

    click.echo(f"error: {too_deep_message() if exhausted == 'stack' else OUT_OF_MEMORY}", err=True)
    raise SystemExit(2)
