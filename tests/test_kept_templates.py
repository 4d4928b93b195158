"""The shipped templates' compiled code is kept (salesflow/handbook/kept_templates.py): a later run
loads it instead of compiling, writes the same page, and compiles afresh whenever the source or
the environment's setup is not what the kept code was compiled from."""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import pytest
from conftest import ROOT

from salesflow import pycache
from salesflow.handbook import environment as environment_module
from salesflow.handbook.kept_templates import KeptTemplates
from salesflow.handbook.render import render_html
from salesflow.handbook.svg import InlineSvg
from salesflow.parse import parse_file

DRAWING = InlineSvg('<svg viewBox="0 0 100 50" role="img"><text x="5" y="20">chart</text></svg>', 100.0, 50.0)


@pytest.fixture
def kept_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Kept values go to a folder of the test's own, and are written even where the shell says not to."""
    monkeypatch.setattr(pycache, "path", lambda name: str(tmp_path / f"{name}.marshal"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    environment_module.environment.cache_clear()
    yield tmp_path
    environment_module.environment.cache_clear()


def _page() -> str:
    environment_module.environment.cache_clear()  # a new run: a new environment
    process = parse_file(str(ROOT / "samples" / "annotated-ten-stages.flow"))
    return render_html(process, DRAWING, date="2026-05-01")


def test_a_later_run_loads_the_kept_code_and_writes_the_same_page(kept_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _page()
    kept = sorted(kept_in.glob("template-*.marshal"))
    assert len(kept) >= 5  # the handbook and the templates it includes

    def must_not_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although its code was kept")

    monkeypatch.setattr(jinja2.Environment, "compile", must_not_compile)
    assert _page() == first


def test_a_users_folder_is_not_kept(kept_in: Path) -> None:
    env = environment_module.environment("zh", str(kept_in))
    assert env.bytecode_cache is None
    assert isinstance(environment_module.environment("zh").bytecode_cache, KeptTemplates)


def _render(source: str, **settings: object) -> str:
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.j2": source}), **settings)  # type: ignore[arg-type]
    env.bytecode_cache = KeptTemplates(env)
    return env.get_template("t.j2").render(name="<b>")


def test_changed_source_is_compiled_afresh(kept_in: Path) -> None:
    assert _render("one {{ name }}") == "one <b>"
    assert _render("two {{ name }}") == "two <b>"
    assert _render("one {{ name }}") == "one <b>"


def test_another_setup_is_compiled_afresh(kept_in: Path) -> None:
    source = "{% if name %}\n{{ name }}\n{% endif %}"
    assert _render(source) == "\n<b>\n"
    assert _render(source, trim_blocks=True) == "<b>\n"
    assert _render(source, autoescape=True) == "\n&lt;b&gt;\n"
    assert _render(source) == "\n<b>\n"


def test_a_damaged_file_means_compiling_again(kept_in: Path) -> None:
    assert _render("three {{ name }}") == "three <b>"
    for path in kept_in.glob("template-*.marshal"):
        path.write_bytes(b"not what was kept")
    assert _render("three {{ name }}") == "three <b>"
