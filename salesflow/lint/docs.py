"""Reading a rule's documentation (its module docstring) into parts: summary, sections, examples.

A docstring starts with a one-line summary and a description; then come sections, each a
heading line ending in `:` followed by an indented body:

    Why it matters:        why a sales reviewer cares
    Options:               each option with its default
    Failing example:       a chart the rule reports
    Passing example:       a similar chart it accepts

An example heading may name the options it is run with, as TOML, when the defaults are too big
to show: `Failing example (with max-edges = 2):`.
"""

from __future__ import annotations

import inspect
import re
from types import ModuleType

SECTIONS = ("Why it matters", "Options", "Failing example", "Passing example")


def text(rule: ModuleType) -> str:
    """The documentation as written, without the docstring's indentation."""
    return inspect.cleandoc(rule.__doc__ or "")


def summary(rule: ModuleType) -> str:
    return text(rule).split("\n", 1)[0].strip().rstrip(".")


_HEADING = re.compile(r"^(?P<name>[A-Z][a-z ]+?)(?: \(with (?P<options>[^)]*)\))?:$")


def _headings(rule: ModuleType) -> list[tuple[str, str, list[str]]]:
    """(section, options text, body lines) for each part of the documentation."""
    lines = text(rule).split("\n")[1:]
    parts: list[tuple[str, str, list[str]]] = [("description", "", [])]
    for line in lines:
        match = _HEADING.match(line) if not line.startswith(" ") else None
        if match and match.group("name") in SECTIONS:
            parts.append((match.group("name"), match.group("options") or "", []))
            continue
        parts[-1][2].append(line)
    return parts


def sections(rule: ModuleType) -> dict[str, str]:
    """`description` plus each section heading → its body, dedented."""
    return {name: _dedent(body) for name, _options, body in _headings(rule)}


def examples(rule: ModuleType) -> tuple[str, str]:
    """(failing, passing) example charts."""
    parts = sections(rule)
    return parts.get("Failing example", ""), parts.get("Passing example", "")


def example_options(rule: ModuleType) -> tuple[dict, dict]:
    """The options the (failing, passing) examples run with: none unless their heading says."""
    import tomllib

    found = {name: tomllib.loads(options.replace(", ", "\n")) for name, options, _body in _headings(rule) if options}
    return found.get("Failing example", {}), found.get("Passing example", {})


def _dedent(lines: list[str]) -> str:
    import textwrap

    return textwrap.dedent("\n".join(lines)).strip("\n") + ("\n" if any(l.strip() for l in lines) else "")
