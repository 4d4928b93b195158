"""The lint engine and its public API: defaults, ordering, what findings point at, suppression comments."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import SAMPLES
from salesflow.lint import lint, load_config
from salesflow.lint.config import Config
from salesflow.parse import parse_text
from salesflow.sources import charts_in

RULE_CASES = Path(__file__).resolve().parent / "rules"

# Rules whose findings are about one stage, link or lane, so a renderer can highlight it.
ABOUT_AN_ELEMENT = {
    "missing-owner", "vague-owner", "unknown-owner", "missing-deadline", "invalid-duration", "multiple-starts",
    "unreachable", "dead-end", "disconnected", "duplicate-edge", "self-loop", "missing-feedback-loop",
    "decision-needs-two-branches", "unlabeled-decision-branch", "handoff-without-note", "too-many-branches",
    "label-too-long", "missing-kpi", "invalid-kind", "invalid-rate",
}
# Findings about the whole chart, which name no single element.
CHART_LEVEL = (
    "the chart has no stages", "the chart has no decision point", "no clear beginning", "the process's `target`",
)


def every_case_chart() -> list[str]:
    charts = []
    for path in sorted(RULE_CASES.glob("*.yml")):
        charts.extend(case["chart"] for case in yaml.safe_load(path.read_text("utf-8"))["cases"])
    return charts


def test_default_config_is_the_recommended_preset() -> None:
    process = parse_text((SAMPLES / "classic-seven-stages.flow").read_text("utf-8"), "classic.flow")
    assert lint(process) == lint(process, Config.default())
    assert "missing-kpi" not in {f.rule for f in lint(process)}
    assert "missing-kpi" in {f.rule for f in lint(process, Config.default("all"))}


def test_findings_are_sorted_by_line_column_and_code() -> None:
    process = parse_text((SAMPLES / "classic-seven-stages.flow").read_text("utf-8"))
    found = lint(process, Config.default("all"))
    keys = [(f.line, f.column, f.code) for f in found]
    assert keys == sorted(keys)


def test_every_finding_points_at_what_it_is_about() -> None:
    config = Config.default("all")
    for chart in every_case_chart() + [p.read_text("utf-8") for p in SAMPLES.glob("*.flow")]:
        process = parse_text(chart, "case.flow")
        for finding in lint(process, config, source=chart):
            assert finding.line >= 1 and finding.column >= 1
            assert (finding.end_line, finding.end_column) >= (finding.line, finding.column)
            if finding.node is not None:
                assert process.has_node(finding.node), finding
            if finding.edge is not None:
                assert 0 <= finding.edge < len(process.edges), finding
                assert process.edges[finding.edge].index == finding.edge
            if finding.subgraph is not None:
                assert finding.subgraph in {s.id for s in process.subgraphs}
            for related in finding.related:
                assert process.has_node(related)
            if finding.rule in ABOUT_AN_ELEMENT and not finding.message.startswith(CHART_LEVEL):
                assert finding.node or finding.edge is not None or finding.subgraph, finding
            assert "\n" not in finding.message


def test_messages_quote_the_label_and_say_what_to_do() -> None:
    process = parse_text((SAMPLES / "classic-seven-stages.flow").read_text("utf-8"))
    for finding in lint(process):
        assert ":" in finding.message, "what is wrong, then what to do"
    [dead] = [f for f in lint(process) if f.rule == "dead-end"]
    assert dead.message.startswith("'售后服务' is a dead end")
    assert "kind: end" in dead.message


def test_positions_in_markdown_point_into_the_markdown() -> None:
    [first, second] = charts_in(str(SAMPLES / "process-in-docs.md"))
    process = parse_text(second.text, second.path, second.line_offset)
    found = lint(process, source=second.text)
    assert min(f.line for f in found) == 49
    process = parse_text(first.text, first.path, first.line_offset)
    assert lint(process, source=first.text) == []


def test_front_matter_findings_point_at_their_line_with_the_source() -> None:
    chart = "---\ntitle: x\ngoals:\n  - 提升满意度\ntarget: 1天\n---\nflowchart LR\n  A([询盘]) --> B([签约])\n  A@{ due: 1天 }\n  B@{ due: 1天 }\n"
    process = parse_text(chart, "x.flow")
    with_source = {f.rule: f.line for f in lint(process, source=chart)}
    assert with_source["goal-not-smart"] == 4
    assert with_source["cycle-time-over-target"] == 5
    without = {f.rule: f.line for f in lint(process)}
    assert without["goal-not-smart"] == 1 and without["cycle-time-over-target"] == 1


def test_load_config_without_a_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(str(tmp_path / "x.flow"))
    assert config.path is None
    assert config.severity("missing-owner") == "error"
    assert config.severity("missing-kpi") == "off"


# ---------------------------------------------------------------------- suppression


def lint_text(chart: str, config: Config | None = None) -> list:
    return lint(parse_text(chart, "x.flow"), config, source=chart)


BASE = "flowchart LR\n  A[报价] --> B([签约])\n"


def test_next_line_suppression() -> None:
    assert {f.rule for f in lint_text(BASE)} == {"missing-owner", "missing-deadline"}
    chart = "flowchart LR\n  %% salesflow: disable-next-line=missing-owner,SF201\n  A[报价] --> B([签约])\n"
    assert lint_text(chart) == []


def test_next_line_skips_comment_lines_but_not_other_lines() -> None:
    chart = (
        "flowchart LR\n  %% salesflow: disable-next-line=missing-owner\n  %% a note for readers\n"
        "  A([报价]) --> B([签约])\n  A@{ due: 1d }\n  B@{ due: 1d }\n"
    )
    assert lint_text(chart) == []
    chart = "flowchart LR\n  %% salesflow: disable-next-line=missing-owner\n  A([报价])\n  A --> B([签约])\n  A@{ due: 1d }\n  B@{ due: 1d }\n"
    assert {(f.rule, f.line) for f in lint_text(chart)} == {("missing-owner", 4)}


def test_file_suppression_by_code_name_or_all() -> None:
    for directive in ("disable-file=missing-owner,missing-deadline", "disable-file=SF101,SF201", "disable-file"):
        chart = f"flowchart LR\n  %% salesflow: {directive}\n  A[报价] --> B([签约])\n"
        assert lint_text(chart) == [], directive


def test_a_reason_after_two_dashes_is_allowed() -> None:
    chart = "flowchart LR\n  %% salesflow: disable-file=missing-owner,missing-deadline -- drafted in the workshop\n" + BASE[13:]
    assert lint_text(chart) == []


def test_a_bare_file_directive_does_not_hide_its_own_uselessness() -> None:
    chart = "flowchart LR\n  %% salesflow: disable-file\n  A([报价]) --> B([签约])\n  A@{ owner: x, due: 1d }\n  B@{ owner: x, due: 1d }\n"
    [finding] = lint_text(chart)
    assert finding.rule == "unused-suppression" and finding.line == 2


def test_suppression_reports_can_be_switched_off() -> None:
    chart = "flowchart LR\n  %% salesflow: disable-file=unused-suppression,invalid-suppression\n  %% salesflow: disable-next-line=nope\n  %% salesflow: disable-next-line=dead-end\n" + BASE[13:]
    assert {f.rule for f in lint_text(chart)} == {"missing-owner", "missing-deadline"}


def test_suppressions_in_markdown_blocks() -> None:
    text = "# Doc\n\n```mermaid\nflowchart LR\n  %% salesflow: disable-next-line=missing-owner\n  A[报价] --> B([签约])\n```\n"
    [chart] = list(__import__("salesflow.sources", fromlist=["markdown_charts"]).markdown_charts(text, "doc.md"))
    process = parse_text(chart.text, "doc.md", chart.line_offset)
    assert {(f.rule, f.line) for f in lint(process, source=chart.text)} == {("missing-deadline", 6)}


@pytest.mark.parametrize(
    "directive, message",
    [
        ("disable-next-line=missing-onwer", "did you mean `missing-owner`"),
        ("disable-line=missing-owner", "`disable-line` is not a suppression directive"),
        ("", "`` is not a suppression directive"),
    ],
)
def test_invalid_directives(directive: str, message: str) -> None:
    chart = f"flowchart LR\n  %% salesflow: {directive}\n" + BASE[13:]
    [invalid] = [f for f in lint_text(chart) if f.rule == "invalid-suppression"]
    assert message in invalid.message and invalid.line == 2
