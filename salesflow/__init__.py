"""salesflow: sales processes written as Mermaid flowcharts, reviewed, drawn and turned into handbooks.

The public API (documented in README.md, "Using salesflow from Python") is five functions:
`parse_text`, `parse_file`, `lint`, `render` and `handbook_html`, defined in `salesflow.api`
(`handbook_html` is `salesflow.handbook`'s own).
They are looked up on first use, so `import salesflow` (and the command line) loads nothing else.
"""

__version__ = "0.1.0"
__all__ = ["parse_text", "parse_file", "lint", "render", "handbook_html"]

# Not `typing.TYPE_CHECKING`: importing typing would double the time `import salesflow` takes.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .api import parse_file, parse_text
    from .handbook import handbook_html


def __getattr__(name: str) -> "Any":
    # `lint` and `render` are also the names of subpackages: the import system sets those
    # attributes to the packages once either is imported, so each package is itself callable as
    # the API function (see the end of salesflow/lint/__init__.py and salesflow/render/__init__.py)
    # and looking the name up here imports the package.
    if name in ("lint", "render"):
        from importlib import import_module

        return import_module(f"{__name__}.{name}")
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
