"""Where salesflow's configuration is: the file that governs a folder, read as TOML.

Kept apart from the lint configuration (`lint/config.py`, which checks what the file says) so
that the command line can look up the configured language (`lang`) at start-up without loading
the linter.
"""

from __future__ import annotations

import os

from .errors import ConfigError
from .i18n import _
from .memo import memoized

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Any, Optional

CONFIG_FILES = (".salesflow.toml", "pyproject.toml")


@memoized(maxsize=4096)
def find_config_file(directory: str) -> Optional[str]:
    """The configuration file that governs files in `directory` (an absolute path), if any."""
    for name in CONFIG_FILES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_salesflow_table(candidate)):
            return candidate
    parent = os.path.dirname(directory)
    if parent == directory:
        return None
    return find_config_file(parent)


def _has_salesflow_table(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    if b"salesflow" not in data:  # cheap test first: most pyproject files never mention it
        return False
    # Written as a key (`[tool.salesflow]`, `[tool."salesflow".rules]`, `salesflow.lang = …`,
    # `salesflow = {…}`), the name is followed by a dot, `=` or `]`, after a closing quote and
    # spaces perhaps; a project that only names salesflow (a dependency, a description) is
    # passed over without reading its TOML.
    import re

    if not re.search(rb"salesflow[\"']?[ \t]*[.=\]]", data):
        return False
    return "salesflow" in load_toml(path).get("tool", {})


@memoized(maxsize=64)
def configured_language(directory: str) -> Optional[str]:
    """The `lang` of the configuration that governs `directory` (an absolute path), as written."""
    found = find_config_file(directory)
    if found is None:
        return None
    with open(found, "rb") as handle:
        if b"lang" not in handle.read():  # cheap test first: most configurations leave it out
            return None
    data = load_toml(found)
    table = data.get("tool", {}).get("salesflow", {}) if os.path.basename(found) == "pyproject.toml" else data
    lang = table.get("lang") if isinstance(table, dict) else None
    return lang if isinstance(lang, str) else None


def load_toml(path: str) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(_("{path}: no such configuration file", path=path)) from None
    except OSError as exc:
        raise ConfigError(_("{path}: cannot read: {reason}", path=path, reason=exc.strerror or exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{path}: not valid TOML: {reason}", path=path, reason=exc)) from None
    except UnicodeDecodeError:
        raise ConfigError(_("{path}: not valid TOML: save it as UTF-8", path=path)) from None
