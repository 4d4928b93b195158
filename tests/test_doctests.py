"""Every example in a docstring of the salesflow package runs and shows what it says.

Collected here rather than with pytest's --doctest-modules, which would also import every module
under tests/ as a top-level module (tests/corpus/generate.py would hide bench/generate.py).
"""

from __future__ import annotations

import doctest
import importlib

import pytest

from conftest import ROOT

PACKAGE = ROOT / "salesflow"
MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in PACKAGE.rglob("*.py")
    if ">>> " in path.read_text(encoding="utf-8")
)


def test_the_examples_are_found() -> None:
    assert {"salesflow.api", "salesflow.render.escape", "salesflow.terminal"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of the examples in {name} fail (details above)"
    assert result.attempted > 0, f"{name} shows `>>> ` but no example was found in its docstrings"
