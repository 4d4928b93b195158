"""Running the rules over one process: the rules find problems, the engine turns them into findings.

A rule is a module with a `check(ctx, options)` generator that yields `Problem`s (see `api`): a
place, a message and what it is about. The engine stamps each with the rule's code, name and the
severity the configuration gives it, drops what per-file ignores and `%%` suppression comments
switch off, reports suppressions that suppressed nothing, and sorts the result.
"""

from __future__ import annotations

from ..findings import Finding
from ..model import Process
from .api import Context, stamp

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    import datetime
    from typing import Any, Optional

    from .config import Config


def run(
    process: Process, config: "Config", source: Optional[str] = None, today: Optional[datetime.date] = None
) -> list[Finding]:
    """Every finding for `process` under `config`, sorted by line, column and code."""
    import gc

    from . import suppress
    from .rules import ENGINE_RULES

    # Findings, steps and indexes are many small objects that all live until the end; the cyclic
    # collector would only rescan them (as in parsing, it pauses for the run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(process, config, source, today, suppress, ENGINE_RULES)
    finally:
        if collecting:
            gc.enable()


def _run(
    process: Process,
    config: "Config",
    source: Optional[str],
    today: Optional[datetime.date],
    suppress: Any,
    engine_rules: Any,
) -> list[Finding]:
    ctx = Context(process, source, today)
    active = config.active(process.path)
    ran = {rule.NAME for rule, _severity, _options in active}
    findings: list[Finding] = []
    for rule, severity, options in active:
        if rule.NAME in engine_rules:
            continue
        for problem in rule.check(ctx, options):
            findings.append(stamp(process.path, rule, severity, problem))

    directives = suppress.read(process)
    findings = suppress.apply(process, directives, findings, ran, {r.NAME: (r, s) for r, s, _o in active})
    findings.sort(key=lambda f: (f.line, f.column, f.code, f.end_line, f.end_column, f.message))
    return findings
