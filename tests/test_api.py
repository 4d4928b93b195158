"""The public Python API (README: "Using salesflow from Python"), used only through its public names."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import salesflow
from salesflow.errors import ConfigError, ParseError

from conftest import ROOT, SAMPLES

CLASSIC = str(SAMPLES / "classic-seven-stages.flow")
ANNOTATED = str(SAMPLES / "annotated-ten-stages.flow")

# Two stages, the second a dead end with no owner: the findings are known by reading it.
SMALL = """\
flowchart LR
  A[线索收集] --> B[报价]
  A@{ owner: 市场专员, due: 2d }
"""


def test_parse_text_reads_the_chart_with_its_metadata() -> None:
    process = salesflow.parse_text(SMALL, path="small.flow")
    assert [(n.id, n.label) for n in process.nodes] == [("A", "线索收集"), ("B", "报价")]
    assert [(e.source, e.target) for e in process.edges] == [("A", "B")]
    assert process.nodes[0].owner == "市场专员"
    assert process.nodes[0].due.hours == 48
    assert process.path == "small.flow"


def test_parse_text_refuses_bad_text_with_the_place_and_the_line() -> None:
    with pytest.raises(ParseError) as caught:
        salesflow.parse_text("flowchart TD\n  A --> end\n", path="bad.flow")
    error = caught.value
    assert (error.path, error.line) == ("bad.flow", 2)
    assert "`end`" in str(error)
    assert "A --> end" in error.format() and "^" in error.format()


def test_parse_file_reads_a_sample() -> None:
    process = salesflow.parse_file(ANNOTATED)
    assert process.title == "大客户销售流程（十阶段）"
    assert process.path == ANNOTATED
    assert len(process.nodes) >= 10


def test_lint_reviews_one_parsed_process() -> None:
    findings = salesflow.lint(salesflow.parse_text(SMALL))
    rules = {(f.rule, f.node) for f in findings}
    assert ("missing-owner", "B") in rules
    assert ("missing-owner", "A") not in rules
    assert ("dead-end", "B") in rules
    assert findings == sorted(findings, key=lambda f: (f.line, f.column, f.code))


def test_lint_takes_a_preset_a_mapping_or_nothing() -> None:
    process = salesflow.parse_file(CLASSIC)
    recommended = salesflow.lint(process)
    strict = salesflow.lint(process, "strict")
    # strict raises every warning to an error and drops nothing
    assert {f.rule for f in recommended} <= {f.rule for f in strict}
    assert {f.severity for f in strict} <= {"error", "info"}
    assert any(f.severity == "warning" for f in recommended)
    quiet = salesflow.lint(process, {"extends": "strict", "rules": {"missing-owner": "off"}})
    assert "missing-owner" in {f.rule for f in strict}
    assert "missing-owner" not in {f.rule for f in quiet}
    assert salesflow.lint(process, salesflow.lint.load_config(CLASSIC)) == recommended


def test_lint_refuses_a_preset_that_does_not_exist() -> None:
    with pytest.raises(ConfigError, match="`strickt`.*did you mean `strict`"):
        salesflow.lint(salesflow.parse_text(SMALL), "strickt")
    with pytest.raises(TypeError):
        salesflow.lint(salesflow.parse_text(SMALL), 3)  # type: ignore[arg-type]


def test_render_mermaid_reads_back_as_the_same_chart() -> None:
    process = salesflow.parse_file(ANNOTATED)
    text = salesflow.render(process, "mermaid")
    again = salesflow.parse_text(text)
    assert [(n.id, n.label, n.owner) for n in again.nodes] == [(n.id, n.label, n.owner) for n in process.nodes]
    assert "owner" not in salesflow.render(process, "mermaid", plain=True)


def test_render_json_is_the_documented_model() -> None:
    model = json.loads(salesflow.render(salesflow.parse_text(SMALL), "json"))
    assert model["schema"] == "salesflow.process/1"
    assert [n["id"] for n in model["nodes"]] == ["A", "B"]


def test_render_svg_marks_the_findings_it_is_given(dot: str) -> None:
    process = salesflow.parse_text(SMALL)
    plain = salesflow.render(process, "svg")
    reviewed = salesflow.render(process, "svg", findings=salesflow.lint(process))
    assert plain.startswith("<?xml") and "线索收集" in plain
    # B's two findings, named under it (SVG writes `-` as `&#45;`)
    assert "missing&#45;" not in plain and "missing&#45;deadline +1" in reviewed
    assert salesflow.render(process, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'html'.*svg"):
        salesflow.render(salesflow.parse_text(SMALL), "html")


def test_handbook_html_is_one_page_with_stages_and_review(dot: str) -> None:
    process = salesflow.parse_file(CLASSIC)
    findings = salesflow.lint(process)
    page = salesflow.handbook_html(process, findings, lang="en", date="2027-01-04")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "合同签订" in page and "2027-01-04" in page and "<svg" in page
    assert "has no owner" in page
    assert "has no owner" not in salesflow.handbook_html(process, health=False, date="2027-01-04")


def test_importing_salesflow_loads_nothing_else() -> None:
    """`import salesflow` stays cheap: the parser, linter, renderers and their libraries load on use."""
    probe = (
        "import sys, salesflow\n"
        "print(sorted(m for m in sys.modules if m.startswith(('salesflow', 'lark', 'jinja2', 'click', 'yaml', 'typing'))))\n"
        "salesflow.parse_text\n"
        "print('salesflow.parse' in sys.modules, 'lark' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True,
    )
    first, second = result.stdout.splitlines()
    assert first == "['salesflow']"
    assert second == "False False"  # looking a name up imports only the API module


def test_the_package_names_are_both_packages_and_functions() -> None:
    import salesflow.lint.config
    import salesflow.render.dot  # noqa: F401

    assert callable(salesflow.lint) and callable(salesflow.render)
    assert salesflow.lint.load_config is not None and "svg" in salesflow.render.FORMATS
    assert sorted(salesflow.__all__) == ["handbook_html", "lint", "parse_file", "parse_text", "render"]
