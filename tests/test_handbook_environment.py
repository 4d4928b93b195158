"""The shipped templates run without Jinja2's sandbox, a user's folder within it: the same page either way.

The sandbox only refuses what a template may not do (tests/test_handbook.py tries the known
escapes through `--template-dir`); a template that does none of it writes the same text. These
tests hold the shipped templates to that: every sample and layout-corpus chart, in both
languages, for the whole team and for one role, written once in each environment.
"""

from __future__ import annotations

from pathlib import Path

import jinja2.sandbox
import pytest
from conftest import corpus_paths, sample_paths

from salesflow.handbook.environment import environment
from salesflow.handbook.render import render_html
from salesflow.handbook.svg import InlineSvg
from salesflow.lint import lint
from salesflow.lint.config import load_config
from salesflow.parse import parse_file

# A stand-in chart: what the templates do around the drawing is the same for any drawing.
DRAWING = InlineSvg('<svg viewBox="0 0 100 50" role="img"><text x="5" y="20">chart</text></svg>', 100.0, 50.0)
CHARTS = [*sample_paths(), *corpus_paths(40)]


def test_only_a_users_folder_is_sandboxed(tmp_path: Path) -> None:
    assert not isinstance(environment("zh"), jinja2.sandbox.SandboxedEnvironment)
    assert isinstance(environment("zh", str(tmp_path)), jinja2.sandbox.ImmutableSandboxedEnvironment)


@pytest.mark.parametrize("path", CHARTS, ids=[p.stem for p in CHARTS])
def test_shipped_templates_write_the_same_page_in_the_sandbox(path: Path, tmp_path: Path) -> None:
    process = parse_file(str(path))
    findings = lint(process, load_config(str(path)))
    owners = sorted({node.owner for node in process.nodes if node.owner})
    # An empty folder of one's own: the sandbox, with every template the shipped one.
    (tmp_path / "mine").mkdir()
    for lang in ("zh", "en"):
        for role in (None, *owners[:1]):
            plain = render_html(process, DRAWING, findings, lang=lang, role=role, date="2026-05-01")
            boxed = render_html(process, DRAWING, findings, lang=lang, role=role, date="2026-05-01",
                                template_dir=str(tmp_path / "mine"))
            assert plain == boxed, (lang, role)
