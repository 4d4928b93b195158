"""`salesflow analyze`: the chart's promises checked against figures worked out by hand."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from salesflow.analytics.expectation import analyze
from salesflow.cli import cli
from salesflow.parse import parse_file, parse_text

from conftest import CASES, SAMPLES

CHARTS = CASES / "analytics"


def stage(analysis, node_id):
    return next(s for s in analysis.stages if s.id == node_id)


def test_a_chain_passes_every_lead_through_every_stage_and_adds_up_the_stays() -> None:
    a = analyze(parse_file(str(CHARTS / "chain.flow")), leads=1000)
    assert [round(s.arrivals, 6) for s in a.stages] == [1000.0] * 4
    assert a.wins == pytest.approx(1000)
    # Each stay averages 0.8 × due: (1d + 2d + 5d) × 24h × 0.8.
    assert a.mean_hours == pytest.approx(0.8 * 192)
    assert a.mean_hours_at_deadlines == pytest.approx(192)
    assert a.p50_hours == pytest.approx(153.6, rel=0.05)  # the sum of symmetric stays: median ≈ mean
    assert 153.6 < a.p90_hours < 1.2 * 192
    assert a.slowest_path == (192.0, ["Lead", "Qualify", "Propose", "Won"])
    assert a.bottleneck["id"] == "C" and a.bottleneck["share"] == pytest.approx(5 / 8)
    assert a.target_hours == 240
    # Per 1,000 leads: SDR owns 3 days of deadlines, AE 5, at 0.8 of each.
    assert {o["owner"]: round(o["hours"]) for o in a.owners} == {"SDR": 57600, "AE": 96000}


def test_a_branch_splits_leads_by_its_rates_and_lost_ends_are_not_wins() -> None:
    a = analyze(parse_file(str(CHARTS / "branch.flow")), leads=1000)
    arrivals = {s.id: s.arrivals for s in a.stages}
    assert arrivals["P"] == pytest.approx(300)
    assert arrivals["L"] == pytest.approx(700)
    assert arrivals["D"] == pytest.approx(120)
    assert arrivals["L2"] == pytest.approx(180)
    assert a.wins == pytest.approx(120)
    assert {e["id"]: e["won"] for e in a.ends} == {"D": True, "L": False, "L2": False}
    assert a.flags == []


def test_a_rework_loop_adds_the_geometric_number_of_passes() -> None:
    a = analyze(parse_file(str(CHARTS / "loop.flow")), leads=1000)
    # Negotiation is repeated with probability 1/4: 1 / (1 − 1/4) passes per lead.
    assert stage(a, "B").arrivals == pytest.approx(1000 / 0.75)
    assert a.mean_hours == pytest.approx(0.8 * 120 / 0.75)
    (loop,) = a.loops
    assert (loop.source, loop.target, loop.share) == ("Agreed?", "Negotiate", 0.25)
    assert loop.probability == pytest.approx(0.25)
    assert loop.passes_per_lead == pytest.approx(0.25 / 0.75)
    assert a.wins == pytest.approx(1000)


def test_rates_short_of_100_percent_let_leads_drop_out() -> None:
    process = parse_text("flowchart LR\n  A([Lead]) e@--> B([Won])\n  e@{ rate: 20% }\n", "leak.flow")
    a = analyze(process, leads=500)
    assert a.wins == pytest.approx(100)
    assert stage(a, "A").drop_outs == pytest.approx(400)
    assert a.dropped == pytest.approx(400)


def test_a_decision_without_rates_is_split_equally_and_flagged() -> None:
    a = analyze(parse_file(str(CHARTS / "unrated.flow")), leads=900)
    assert {s.id: round(s.arrivals, 6) for s in a.stages if s.id in "PNL"} == {"P": 300, "N": 300, "L": 300}
    assert a.flags[0] == "Fit?: its 3 branches carry no rate; assumed equal shares"
    assert "Propose: no deadline; counted as taking no time" in a.flags


def test_a_feedback_edge_that_closes_the_only_loop_ends_the_case_there() -> None:
    process = parse_text("flowchart LR\n  A[Lead] --> B[Sell] --> C[After-sales]\n  C --> A\n", "fb.flow")
    a = analyze(process, leads=10)
    assert [round(s.arrivals, 6) for s in a.stages] == [10, 10, 10]
    assert any("After-sales" in flag and "feeds back" in flag for flag in a.flags)


def test_the_cli_prints_text_and_json_and_the_json_reads_back() -> None:
    runner = CliRunner()
    text = runner.invoke(cli, ["analyze", str(CHARTS / "branch.flow"), "--leads", "1000"])
    assert text.exit_code == 0, text.output
    assert "Expected wins: 120.0 of 1,000 (12.0%)" in text.output
    result = runner.invoke(cli, ["analyze", str(CHARTS / "branch.flow"), "-f", "json"])
    data = json.loads(result.output)
    assert data["wins"] == 120.0 and data["leads"] == 1000
    again = runner.invoke(cli, ["analyze", str(CHARTS / "branch.flow"), "-f", "json"])
    assert again.output == result.output  # seeded: the same report every time


def test_hours_per_owner_are_labelled_as_calendar_hours() -> None:
    """A stage's deadline counts elapsed time (a day is 24 h), so an owner's hours are the calendar
    time leads spend in their stages, not effort; the reports say so, in either language."""
    chart = str(CHARTS / "chain.flow")
    runner = CliRunner()
    text = runner.invoke(cli, ["analyze", chart, "--leads", "1000"]).output
    assert "Workload per owner (expected calendar hours in their stages per 1,000 leads)" in text
    assert "  SDR: 57,600h over 2 stage(s)" in text  # 0.8 × (1d + 2d) × 24 h × 1,000 leads
    chinese = runner.invoke(cli, ["--lang", "zh", "analyze", chart, "--leads", "1000"]).output
    assert "各责任人工作量（每 1,000 条线索在其阶段停留的预计日历时间，单位：小时）" in chinese
    page = runner.invoke(cli, ["analyze", chart, "-f", "html"]).output
    assert "calendar hours per 1,000 leads</th>" in page


def test_a_loop_that_never_exits_is_a_one_line_error() -> None:
    chart = "flowchart LR\n  A --> B\n  B x@--> A\n  B y@--> C\n  x@{ rate: 100% }\n  y@{ rate: 0% }\n"
    result = CliRunner().invoke(cli, ["analyze", "-"], input=chart)
    assert result.exit_code == 2
    assert "never lets a lead out" in result.output
    assert "Traceback" not in result.output


def test_every_sample_analyzes() -> None:
    for path in sorted(SAMPLES.glob("*.flow")):
        a = analyze(parse_file(str(path)))
        assert a.stages, path


def chain_with_rework(stages: int) -> str:
    """The benchmark's chain with a rework loop every tenth stage (bench/generate.py)."""
    from conftest import bench_charts

    return bench_charts().chain_with_rework(stages)


def test_a_200_stage_chart_is_analyzed_quickly() -> None:
    process = parse_text(chain_with_rework(200), "big.flow")
    started = time.perf_counter()
    a = analyze(process)
    elapsed = time.perf_counter() - started
    assert len(a.loops) == 19
    assert elapsed < 2.0  # 0.5 s on a quiet machine: bench/bench_analytics.py measures it


def test_the_html_report_draws_the_funnel_without_scripts(tmp_path) -> None:
    chart = tmp_path / "x.flow"
    chart.write_text((CHARTS / "branch.flow").read_text("utf-8").replace("[Propose]", '["<script>x</script>"]'), "utf-8")
    out = tmp_path / "funnel.html"
    result = CliRunner().invoke(cli, ["analyze", str(chart), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "<script" not in page.lower() and "&lt;script&gt;x&lt;/script&gt;" in page
    assert page.count("<svg") == 2  # the funnel and the time per stage
    assert "120.0 <span class=\"muted\">(12%)</span>" in page  # expected wins
