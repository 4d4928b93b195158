"""The public Python API: what a CRM integration or a notebook calls instead of the command line.

    import salesflow

    process = salesflow.parse_file("samples/annotated-ten-stages.flow")
    findings = salesflow.lint(process, "strict")
    svg = salesflow.render(process, "svg", findings=findings)
    page = salesflow.handbook_html(process, findings, lang="en")

`import salesflow` loads none of this: each name is looked up on first use (see
`salesflow.__getattr__`), and each function imports the parser, linter or renderer it needs only
when it is called, so the command line and a plain `import salesflow` stay fast.

Every refusal is a `salesflow.errors.SalesflowError` with a one-line message: a `ParseError`
(path, line, column, the line quoted with a caret) for a chart that does not read, a
`ConfigError` for a configuration that does not, a `RenderError` when Graphviz cannot draw.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping, Sequence
    from typing import Any, Optional, Union

    from .findings import Finding
    from .lint.config import Config
    from .model import Process

__all__ = ["parse_text", "parse_file", "lint", "render", "handbook_html"]


class _CallablePackage(type(sys)):  # types.ModuleType, without importing types
    """A package that is also the API function of its name: `salesflow.lint(process)`.

    `salesflow.lint` and `salesflow.render` name both a subpackage and a function of this API;
    once the subpackage is imported, the import system makes `salesflow.lint` the package, so
    the package answers the call.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return globals()[self.__name__.rpartition(".")[2]](*args, **kwargs)


def make_callable(package: str) -> None:
    """Let the package `package` (salesflow.lint or salesflow.render) be called as its API function."""
    sys.modules[package].__class__ = _CallablePackage


def parse_text(text: str, path: str = "<string>") -> "Process":
    """Parse the text of one chart into an immutable `Process`; `path` is the name errors show.

    >>> process = parse_text("flowchart LR\\n  A[线索] --> B[成交]")
    >>> [node.label for node in process.nodes]
    ['线索', '成交']
    """
    from .parse import parse_text as parse

    return parse(text, path)


def parse_file(path: str) -> "Process":
    """Read (UTF-8, or UTF-16 with a byte-order mark) and parse one process file (not Markdown)."""
    from .parse import parse_file as parse

    return parse(path)


def lint(
    process: "Process",
    config: Union["Config", Mapping[str, Any], str, None] = None,
    *,
    source: Optional[str] = None,
    today: Optional[datetime.date] = None,
) -> list["Finding"]:
    """Review one parsed process; the findings come sorted by line, column and rule code.

    `config` is one of: None (the `recommended` preset); a preset's name (`"strict"`, `"all"`);
    a mapping laid out like a `.salesflow.toml` (`{"extends": "strict", "rules": {...}}`); or a
    `Config`, e.g. `salesflow.lint.load_config(path)` for the file a chart at `path` is governed by.
    `source`, the chart's text, lets findings about the front matter point at their own line.
    `today` is the date goals' deadlines are judged against (default: today).
    """
    from .lint import lint as run
    from .lint.config import Config, from_table

    if config is None or isinstance(config, Config):
        chosen = config
    elif isinstance(config, str):
        chosen = from_table({"extends": config}, "<preset>")
    elif _is_mapping(config):
        chosen = from_table(dict(config), "<configuration>")
    else:
        raise TypeError(f"config must be a preset name, a mapping or a Config, not {type(config).__name__}")
    return run(process, chosen, source=source, today=today)


def _is_mapping(value: object) -> bool:
    # collections.abc loads the collections package (a twentieth of a short lint): only asked here.
    from collections.abc import Mapping

    return isinstance(value, Mapping)


def render(
    process: "Process",
    format: str = "svg",
    *,
    findings: Optional[Sequence["Finding"]] = None,
    **options: Any,
) -> Union[str, bytes]:
    """The process in one output format of `salesflow render -f`: text, or bytes for png and pdf.

    `format` is one of json, mermaid, dot, svg, png, pdf. `findings` (from `lint`) mark the stages
    they concern in dot/svg/png/pdf, as `render --highlight` does. Further options are the
    format's own: `plain=True` for Mermaid without metadata, `swimlane=True` for department lanes
    as a Mermaid swimlane diagram, `show_meta=False` to leave owner and
    deadline out of the drawing, `engine="sfdp"` for very large charts.

    >>> print(render(parse_text("flowchart LR\\n  A[线索] --> B"), "mermaid"), end="")
    flowchart LR
        A[线索]
        B
        A --> B
    """
    from .render import FORMATS

    chosen = FORMATS.get(format)
    if chosen is None:
        raise ValueError(f"unknown format {format!r}; formats: {', '.join(FORMATS)}")
    if findings is not None:
        options["findings"] = tuple(findings)
    return chosen.renderer()(process, **options)


def __getattr__(name: str) -> Any:
    # `handbook_html` is the handbook package's own function, whose signature and docstring say
    # it all (lang, role, template_dir, date, health); it is looked up here on first use.
    if name == "handbook_html":
        from .handbook import handbook_html

        return handbook_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
