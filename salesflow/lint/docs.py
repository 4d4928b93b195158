"""Reading a rule's documentation (its module docstring) into parts: summary, sections, examples.

A docstring starts with a one-line summary and a description; then come sections, each a
heading line ending in `:` followed by an indented body:

    Why it matters:        why a sales reviewer cares
    Options:               each option with its default
    Failing example:       a chart the rule reports
    Passing example:       a similar chart it accepts
"""

from __future__ import annotations

import inspect
from types import ModuleType

SECTIONS = ("Why it matters", "Options", "Failing example", "Passing example")


def text(rule: ModuleType) -> str:
    """The documentation as written, without the docstring's indentation."""
    return inspect.cleandoc(rule.__doc__ or "")


def summary(rule: ModuleType) -> str:
    return text(rule).split("\n", 1)[0].strip().rstrip(".")


def sections(rule: ModuleType) -> dict[str, str]:
    """`description` plus each section heading → its body, dedented."""
    lines = text(rule).split("\n")[1:]
    result: dict[str, list[str]] = {"description": []}
    current = "description"
    for line in lines:
        stripped = line.strip()
        if not line.startswith(" ") and stripped.endswith(":") and stripped[:-1] in SECTIONS:
            current = stripped[:-1]
            result[current] = []
            continue
        result[current].append(line)
    return {name: _dedent(body) for name, body in result.items()}


def examples(rule: ModuleType) -> tuple[str, str]:
    """(failing, passing) example charts."""
    parts = sections(rule)
    return parts.get("Failing example", ""), parts.get("Passing example", "")


def _dedent(lines: list[str]) -> str:
    import textwrap

    return textwrap.dedent("\n".join(lines)).strip("\n") + ("\n" if any(l.strip() for l in lines) else "")
