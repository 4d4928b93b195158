"""The linter: the review a seasoned sales-operations lead would give a process chart.

    from salesflow.lint import run

    report = run(["samples/"])              # files, folders, Markdown files, "-"
    for entry in report.entries:
        print(entry.finding.path, entry.finding.line, entry.finding.message)

    from salesflow.parse import parse_text
    from salesflow.lint import lint, load_config

    process = parse_text(text, path)
    findings = lint(process, load_config(path))

`run` reviews whole inputs as `salesflow lint` does and returns a `Report`; `lint` reviews one
parsed chart and returns its `Finding`s sorted by line, column and code. The rules live in
`salesflow.lint.rules` (one module each, built on `salesflow.lint.api`); `salesflow rules`
lists them.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional
    import datetime

    from ..findings import Finding
    from ..model import Process
    from .config import Config
    from .runner import run

__all__ = ["run", "lint", "load_config", "default_config"]


def __getattr__(name: str):
    # `run`, the whole-input review (see `runner.run`), is imported when first asked for: the
    # command line imports this package for every command.
    if name == "run":
        from .runner import run

        return run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def lint(
    process: "Process",
    config: Optional["Config"] = None,
    *,
    source: Optional[str] = None,
    today: Optional["datetime.date"] = None,
) -> list["Finding"]:
    """Every finding for `process`; `config` None means the `recommended` preset.

    `source`, the chart's text, is optional: with it, findings about the front matter (goals,
    the target cycle time) point at their own line rather than at the front matter's first line.
    `today` is the date dates in goals are judged against (default: today).
    """
    from .engine import run

    return run(process, config if config is not None else default_config(), source, today)


def load_config(path: str) -> "Config":
    """The configuration for the file at `path`, found by walking up from its directory."""
    from .config import load_config as load

    return load(path)


def default_config() -> "Config":
    from .config import _default

    return _default()


# `salesflow.lint(process, …)`: the public API's function, answered by this package.
from ..api import make_callable as _make_callable  # noqa: E402

_make_callable(__name__)
