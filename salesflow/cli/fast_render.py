"""`salesflow render -f FORMAT FILE… -o OUT` read without click, for the runs that are nothing else.

Loading click and building the render command costs about 64 M instructions, a fifth of drawing
a 50-stage chart and more than the rest of the command line's start, so the commonest render
command lines are read here and `render_files` is called with the values click would pass it.
Only the format, the output (a file or folder, not standard output) and the inputs are read;
any other word goes to click, which then prints what it always prints (help, another option, a
bad value, no input, completions).

The values are not a second definition of the command line: RENDER_DEFAULTS and the option
names below are what the click command (`salesflow.cli.render_cmd`) gives, and
tests/test_fast_render.py compares them, then holds both ways to the same values over generated
command lines and to the same output over whole commands.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing only for the type checker, as in fast_lint
if TYPE_CHECKING:
    from typing import Any, Optional

from .fast_lint import COMPLETION_VARIABLE

# The render command's options this reader understands: option → parameter.
RENDER_OPTIONS = {"-f": "format_name", "--format": "format_name", "-o": "output", "--output": "output"}
# What `render_files` is given for an option that is not on the command line.
RENDER_DEFAULTS: dict[str, Any] = {
    "inputs": (),
    "format_name": "json",
    "output": None,
    "show_meta": True,
    "highlight": False,
    "config_path": None,
    "engine": "dot",
    "timeout": 60.0,
    "font": None,
    "direction": None,
    "wrap": None,
    "width_px": None,
    "dpi": None,
    "fit": None,
    "plain": False,
    "swimlane": False,
}


class _Declined(Exception):
    """The command line is one for click."""


def render_values(argv: list[str]) -> Optional[dict[str, Any]]:
    """The values click would pass `render_files` for `salesflow ARGV`, or None when click should read it."""
    if COMPLETION_VARIABLE in os.environ or not argv or argv[0] != "render":
        return None
    try:
        return _read(argv[1:])
    except _Declined:
        return None


def _read(words: list[str]) -> dict[str, Any]:
    from ..render import FORMATS

    values = dict(RENDER_DEFAULTS)
    inputs: list[str] = []
    given: set[str] = set()
    rest = iter(words)
    for word in rest:
        # Click reads `-` and anything not starting with `-` as an input, wherever it stands.
        if word == "-" or not word.startswith("-"):
            inputs.append(word)
            continue
        # A long option may carry its value after `=`; a short one is read only on its own.
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        parameter = RENDER_OPTIONS.get(name)
        if parameter is None or parameter in given:
            raise _Declined
        given.add(parameter)
        if not equals:
            value = next(rest, None)
            if value is None:
                raise _Declined
        # Click would take a word that starts with `-` as the value; such a line is rare enough for it.
        if value.startswith("-") and value != "-":
            raise _Declined
        if parameter == "format_name":
            if value not in FORMATS:
                raise _Declined
        elif not _path_click_takes(value):
            raise _Declined
        values[parameter] = value
    if not inputs:
        raise _Declined  # click's usage error: nothing to read
    if values["output"] in (None, "-"):
        # Standard output refuses a binary format on a terminal, and several charts: click's messages.
        raise _Declined
    values["inputs"] = tuple(inputs)
    return values


def _path_click_takes(value: str) -> bool:
    """Whether click's `Path(dir_okay=True)` passes `value` on as it is: one that does not exist
    yet, or a file or folder that can be read."""
    try:
        os.stat(value)
    except OSError:
        return True
    return os.access(value, os.R_OK)
