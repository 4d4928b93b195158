"""`salesflow lint FILE…` read without click, for the runs that are nothing else.

Loading click costs about three times Python's own start, more than a small lint itself, so the
commonest command lines are read here, with the tables below, and the review is called with the
values click would pass it. The tables are not a second definition of the command line: they are
what `tables_from_click` reads from the click group and the lint command (`salesflow.cli.group`,
`salesflow.cli.lint_cmd`), and tests/test_fast_lint.py regenerates them and fails when they
differ, then holds both ways to the same values and the same output over generated command lines.

Anything not read here exactly as click reads it goes to click, which then prints what it always
prints: help, the version, another command, an unknown or abbreviated option, a short option with
its value attached or several flags in one word, `--`, a value that starts with `-`, an option
given twice that keeps one value, a bad value (a choice, a count, a date, a file that is a
folder), no input at all, and shell completion.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Any, Optional

# The group's options this reader understands, before the command's name: option → its choices.
GROUP_OPTIONS: dict[str, tuple[str, ...]] = {"--lang": ("en", "zh")}

# The lint command's options: option → (parameter, what it takes). What it takes is "on" or "off"
# (a flag, or the --no- side of a pair), "text", "path" (a file name click checks: it may not be
# a folder, and a file that exists must be readable), "count" (a whole number, 0 or more), or the
# tuple of the words allowed.
LINT_OPTIONS: dict[str, tuple[str, Any]] = {
    "-f": ("format_name", ("text", "json", "sarif", "github", "junit")),
    "--format": ("format_name", ("text", "json", "sarif", "github", "junit")),
    "-o": ("output", "path"),
    "--output": ("output", "path"),
    "--config": ("config_path", "path"),
    "--select": ("select", "text"),
    "--ignore": ("ignore", "text"),
    "--max-warnings": ("max_warnings", "count"),
    "--exit-zero": ("exit_zero", "on"),
    "--stdin-filename": ("stdin_filename", "text"),
    "--source": ("show_source", "on"),
    "--no-source": ("show_source", "off"),
    "--color": ("color", ("auto", "always", "never")),
    "-q": ("quiet", "on"),
    "--quiet": ("quiet", "on"),
    "--date": ("review_date", "text"),
}
# The parameters that collect every occurrence into a tuple.
LINT_MULTIPLE = ("select", "ignore")
# What the review is given for an option that is not on the command line, and the paths' name.
LINT_DEFAULTS: dict[str, Any] = {
    "inputs": (),
    "format_name": None,
    "output": None,
    "config_path": None,
    "select": (),
    "ignore": (),
    "max_warnings": None,
    "exit_zero": False,
    "stdin_filename": None,
    "show_source": None,
    "color": "auto",
    "quiet": False,
    "review_date": None,
}
LINT_ARGUMENT = "inputs"

# Set by a shell asking click for completions.
COMPLETION_VARIABLE = "_SALESFLOW_COMPLETE"


class _Declined(Exception):
    """The command line is one for click."""


def lint_values(argv: list[str]) -> Optional[dict[str, Any]]:
    """The values click would pass the review for `salesflow ARGV`, or None when click should read it."""
    if COMPLETION_VARIABLE in os.environ:
        return None
    try:
        return _read(argv)
    except _Declined:
        return None


def _read(argv: list[str]) -> dict[str, Any]:
    words = iter(argv)
    word = next(words, None)
    given: set[str] = set()
    # The group's options: it reads options up to its command's name.
    while word is not None and word != "lint":
        name, equals, value = word.partition("=")
        if name not in GROUP_OPTIONS or name in given:
            raise _Declined
        given.add(name)
        if not equals:
            value = _next_value(words)
        if value not in GROUP_OPTIONS[name]:
            raise _Declined
        word = next(words, None)
    if word is None:
        raise _Declined

    values = dict(LINT_DEFAULTS)
    collected: dict[str, list[Any]] = {name: [] for name in (LINT_ARGUMENT, *LINT_MULTIPLE)}
    given = set()
    for word in words:
        # Click reads `-` and anything not starting with `-` as an input, wherever it stands.
        if word == "-" or not word.startswith("-"):
            collected[LINT_ARGUMENT].append(word)
            continue
        # A long option may carry its value after `=`; a short one is read only on its own.
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if name not in LINT_OPTIONS:
            raise _Declined
        parameter, takes = LINT_OPTIONS[name]
        if takes in ("on", "off"):
            if equals:
                raise _Declined
            value = takes == "on"
        else:
            value = _converted(takes, value if equals else _next_value(words))
        if parameter in collected:
            collected[parameter].append(value)
        elif parameter in given:
            raise _Declined
        else:
            given.add(parameter)
            values[parameter] = value
    for parameter, occurrences in collected.items():
        if occurrences:
            values[parameter] = tuple(occurrences)
    if not values[LINT_ARGUMENT] and not values["stdin_filename"]:
        raise _Declined  # click's usage error: nothing to read
    if values["review_date"] is not None:
        import datetime

        try:
            datetime.date.fromisoformat(values["review_date"].strip())
        except ValueError:
            raise _Declined from None
    return values


def _next_value(words: Any) -> str:
    value = next(words, None)
    # Click would take a word that starts with `-` as the value; such a line is rare enough for it.
    if value is None or value.startswith("-"):
        raise _Declined
    return value


def _converted(takes: Any, value: str) -> Any:
    if value.startswith("-"):
        raise _Declined
    if isinstance(takes, tuple):
        if value not in takes:
            raise _Declined
        return value
    if takes == "count":
        if not (value.isascii() and value.isdigit()):
            raise _Declined
        return int(value)
    if takes == "path":
        import stat

        try:
            status = os.stat(value)
        except OSError:
            return value  # click lets a file that does not exist yet through
        if stat.S_ISDIR(status.st_mode) or not os.access(value, os.R_OK):
            raise _Declined
        return value
    return value


def tables_from_click() -> dict[str, Any]:
    """The tables above as click's definitions give them, with what this reader relies on.

    An option of a kind this reader does not handle is left out of the option tables (so it is
    declined when given), but not out of the defaults (so the tables then differ and the test fails).
    """
    import click

    from .group import cli
    from .lint_cmd import command

    group_options: dict[str, tuple[str, ...]] = {}
    context = click.Context(cli, info_name="salesflow")
    for param in cli.get_params(context):
        if isinstance(param, click.Option) and _plain(param) and isinstance(param.type, click.Choice) and param.expose_value is False:
            for name in param.opts:
                group_options[name] = tuple(sorted(param.type.choices))
    lint_options: dict[str, tuple[str, Any]] = {}
    multiple: list[str] = []
    argument = None
    for param in command.params:
        if isinstance(param, click.Argument):
            if param.nargs == -1 and isinstance(param.type, click.types.StringParamType) and param.envvar is None:
                argument = param.name
            continue
        if not (isinstance(param, click.Option) and _plain(param)):
            continue
        if param.is_flag:
            # What each spelling of a flag sets, as click sets it.
            for name in (*param.opts, *param.secondary_opts):
                value = command.make_context("lint", ["-", name]).params[param.name]
                if param.is_bool_flag and isinstance(value, bool):
                    lint_options[name] = (param.name, "on" if value else "off")
            continue
        takes = _takes(param)
        if takes is None:
            continue
        if param.multiple:
            multiple.append(param.name)
        for name in param.opts:
            lint_options[name] = (param.name, takes)
    defaults = dict(command.make_context("lint", ["-"]).params)
    defaults[argument] = ()
    return {
        "group_options": group_options,
        "lint_options": lint_options,
        "lint_multiple": tuple(multiple),
        "lint_defaults": defaults,
        "lint_argument": argument,
        "group_reads": _reads_as_expected(cli, "salesflow"),
        "lint_reads": _reads_as_expected(command, "lint"),
    }


def _plain(param: Any) -> bool:
    """An option whose value comes from the command line alone and is passed on as read."""
    return (
        param.envvar is None and param.callback is None and not param.required and not param.prompt
        and not param.count and param.nargs == 1 and not param.is_eager and not getattr(param, "deprecated", False)
    ) or (param.name == "lang" and param.is_eager and param.expose_value is False)


def _takes(param: Any) -> Any:
    import click

    kind = param.type
    if isinstance(kind, click.Choice):
        return tuple(kind.choices) if kind.case_sensitive else None
    if isinstance(kind, click.IntRange):
        plain_range = (kind.min, kind.max, kind.min_open, kind.max_open, kind.clamp) == (0, None, False, False, False)
        return "count" if plain_range else None
    if isinstance(kind, click.Path):
        checks = (kind.exists, kind.file_okay, kind.dir_okay, kind.readable, kind.writable, kind.executable,
                  kind.resolve_path, kind.allow_dash, kind.type)
        return "path" if checks == (False, True, False, True, False, False, False, False, None) else None
    if isinstance(kind, click.types.StringParamType):
        return "text"
    return None


def _reads_as_expected(command: Any, name: str) -> bool:
    """The reading this module does: no options from the environment or a default map, no
    abbreviations or other spellings, unknown options an error, options anywhere among the inputs
    for the command and before the command's name for the group."""
    settings = command.context_settings
    context = command.make_context(name, [], resilient_parsing=True)
    interspersed = context.allow_interspersed_args
    return (
        not any(key in settings for key in ("default_map", "auto_envvar_prefix", "token_normalize_func"))
        and context.token_normalize_func is None and context.auto_envvar_prefix is None
        and not context.ignore_unknown_options and context.allow_extra_args == (name != "lint")
        and interspersed == (name == "lint") and not getattr(command, "chain", False)
    )
