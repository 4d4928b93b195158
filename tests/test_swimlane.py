"""Mermaid swimlane diagrams: read with their top-level subgraphs as lanes, written as one again.

Reading is compared with the real Mermaid parser in tests/test_mermaid_differential.py (the
corpus's accept/24x-swimlane-beta-*.mmd charts); here: what the lanes mean to salesflow (owners,
lint, the picture), what `render -f mermaid --swimlane` writes and that both pinned Mermaid
releases read it as a swimlane diagram with the same nodes, links and lanes, and `fmt`.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from salesflow.errors import ParseError, RenderError
from salesflow.fmt import format_text, meaning_differences
from salesflow.parse import parse_text
from salesflow.render.mermaid import to_mermaid

ACCEPT = ROOT / "tests" / "corpus" / "accept"
ZH = (ACCEPT / "240-swimlane-beta-real-lanes-zh.mmd").read_text(encoding="utf-8")
EN = (ACCEPT / "241-swimlane-beta-real-lanes-en.mmd").read_text(encoding="utf-8")
NESTED = (ACCEPT / "242-swimlane-beta-nested-and-statements.mmd").read_text(encoding="utf-8")
B2B = (SAMPLES / "b2b-lanes.flow").read_text(encoding="utf-8")

SMALL = """swimlane-beta LR
    subgraph sales [销售部]
        A[报价]
        subgraph key [大客户组]
            B[谈判]
        end
    end
    subgraph legal [法务部]
        C[合同审核]
    end
    X[客户来电] --> A --> B --> C
"""


# ---------------------------------------------------------------------------------------------
# Reading


def test_top_level_subgraphs_are_lanes_whose_titles_own_their_stages() -> None:
    process = parse_text(SMALL)
    assert process.is_swimlane and process.header == "swimlane-beta"
    assert process.lanes == ("sales", "legal")
    owners = {n.id: (n.owner, n.lane, n.owner_from_lane) for n in process.nodes}
    # A group inside a lane belongs to that lane's department; a stage outside every lane has no owner.
    assert owners == {
        "A": ("销售部", "sales", True),
        "B": ("销售部", "sales", True),
        "C": ("法务部", "legal", True),
        "X": (None, None, False),
    }
    assert {s.id: s.is_lane for s in process.subgraphs} == {"key": False, "sales": True, "legal": True}


def test_the_announced_swimlane_header_reads_the_same() -> None:
    later = parse_text(SMALL.replace("swimlane-beta LR", "swimlane LR"))
    assert later.header == "swimlane" and later.is_swimlane
    assert meaning_differences(parse_text(SMALL), later) == ["header: 'swimlane-beta' before, 'swimlane' after"]


def test_the_same_chart_as_a_flowchart_has_no_lanes() -> None:
    process = parse_text(SMALL.replace("swimlane-beta LR", "flowchart LR"))
    assert not process.is_swimlane and process.lanes == ()
    assert all(node.owner is None for node in process.nodes)


def test_an_own_owner_wins_over_the_lane() -> None:
    process = parse_text(ZH)
    quote = process.node("quote")
    assert (quote.owner, quote.owner_from_lane, quote.lane) == ("销售总监", False, "sales")
    assert process.node("win").owner == "销售部"


def test_lanes_in_the_front_matter_order_the_lanes() -> None:
    process = parse_text(NESTED)
    assert process.lanes == ("delivery", "sales")
    # Only the lanes it names come first; the other top-level subgraphs are lanes all the same.
    partly = parse_text("---\nlanes: [legal]\n---\n" + SMALL)
    assert partly.lanes == ("legal", "sales")
    assert partly.node("A").owner == "销售部"


def test_lanes_in_the_front_matter_cannot_name_a_nested_subgraph() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text("---\nlanes: [sales, key]\n---\n" + SMALL, "chart.flow")
    error = caught.value
    assert (error.line, error.column) == (2, 16)
    assert "`key`, a subgraph inside another one" in str(error)
    assert "the lanes are the top-level subgraphs (`sales`, `legal`)" in str(error)


@pytest.mark.parametrize(
    "text, message",
    [
        ("flowchart LR\n    A --> swimlane-beta\n", "`swimlane-beta` is a Mermaid keyword and cannot be a node id"),
        ("Swimlane-beta LR\n    A --> B\n", "write the header in lower case: `swimlane-beta`"),
        ("swimlane-beta;A-->B;\n", "write a direction before the `;`, e.g. `swimlane-beta TD;`"),
    ],
)
def test_what_mermaid_refuses_is_an_error(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_text(text)


# ---------------------------------------------------------------------------------------------
# Linting and drawing


def _lint(text: str) -> list:
    from salesflow.lint import lint

    return lint(parse_text(text, "chart.flow"), source=text)


def test_lint_takes_owners_from_lanes_and_sees_hand_offs_between_them() -> None:
    text = """swimlane-beta LR
    subgraph sales [销售部]
        A[报价]@{ due: 2d } --> B[谈判]@{ due: 1w }
    end
    subgraph legal [法务部]
        C[合同审核]@{ due: 3d }
    end
    B --> C
    C h1@--> D([签约])
    h1@{ note: 返还合同原件 }
"""
    findings = _lint(text)
    assert "missing-owner" not in [f.rule for f in findings], findings
    handoffs = [f for f in findings if f.rule == "handoff-without-note"]
    # B → C crosses from 销售部 to 法务部 with nothing said; A → B stays in the lane, and C → D
    # says what goes across.
    assert [(f.line, f.column) for f in handoffs] == [(8, 7)], handoffs
    assert "'销售部' to '法务部'" in handoffs[0].message
    # The same chart as a flowchart has no lanes, hence no owners at all.
    flowchart = _lint(text.replace("swimlane-beta LR", "flowchart LR"))
    assert sorted(f.node for f in flowchart if f.rule == "missing-owner") == ["A", "B", "C"]


def test_the_picture_draws_the_lanes_in_order_as_bands() -> None:
    from conftest import require_binary
    from geometry import check_chart, lanes_of

    require_binary("dot")
    for text, order in ((ZH, ["市场部", "销售部", "法务部", "客户成功部"]), (NESTED, ["交付部", "销售部"])):
        process = parse_text(text)
        lanes = lanes_of(process)
        assert [lane.title for lane in lanes] == order
        report = check_chart(process)
        assert report.counts["lane_order"] == 0 and report.counts["node_outside_lane"] == 0, report.details


def test_the_svg_marks_each_lane() -> None:
    from conftest import require_binary

    from salesflow.render.picture import render

    require_binary("dot")
    svg = render(parse_text(EN), output="svg")
    svg = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    lanes = re.findall(r'class="cluster sf&#45;lane">.*?<text[^>]* x="([-\d.]+)"[^>]*>([^<]*)</text>', svg, re.S)
    assert [title for _x, title in lanes] == ["Sales Development (SDR)", "Account Executive", "Deal Desk"]
    # The chart runs down, so its lanes are columns, left to right in the order written.
    assert [float(x) for x, _title in lanes] == sorted(float(x) for x, _title in lanes)


def test_the_handbook_lists_the_lanes_as_departments() -> None:
    from salesflow.handbook.view import role_names

    assert role_names(parse_text(ZH)) == ["市场部", "销售部", "法务部", "客户成功部", "销售总监"]


# ---------------------------------------------------------------------------------------------
# Writing: render -f mermaid, fmt


def test_render_keeps_a_swimlane_diagram_one() -> None:
    for text in (ZH, SMALL, SMALL.replace("swimlane-beta LR", "swimlane LR")):
        written = to_mermaid(parse_text(text))
        assert "\nswimlane-beta " in "\n" + written and "\nlanes:" not in written
        again = parse_text(written)
        assert again.is_swimlane and again.lanes == parse_text(text).lanes
        assert to_mermaid(parse_text(text), plain=True).count("swimlane-beta ") == 1


def test_render_keeps_lanes_that_reorder() -> None:
    written = to_mermaid(parse_text(NESTED))
    assert "lanes: [delivery, sales]" in written.splitlines()


def test_swimlane_writes_a_lane_chart_as_a_swimlane_diagram() -> None:
    original = parse_text(B2B, "b2b-lanes.flow")
    written = to_mermaid(original, swimlane=True)
    lines = written.splitlines()
    assert "swimlane-beta LR" in lines and not any(line.startswith("lanes:") for line in lines)
    again = parse_text(written)
    assert again.lanes == original.lanes == ("mkt", "sales", "finlegal", "delivery", "service")
    # Nothing but the header changes: owners, lanes, stages, links, metadata.
    assert meaning_differences(original, again, comments="unordered") == ["header: 'flowchart' before, 'swimlane-beta' after"]
    assert to_mermaid(again) == written


def test_swimlane_refuses_a_chart_whose_lanes_mermaid_would_draw_otherwise() -> None:
    nested = "---\nlanes: [sales]\n---\nflowchart LR\n    subgraph org [公司]\n        subgraph sales [销售部]\n            A\n        end\n    end\n"
    with pytest.raises(RenderError, match=r"chart.flow:6:9: .*the lane `sales` is inside the subgraph `org`"):
        to_mermaid(parse_text(nested, "chart.flow"), swimlane=True)
    other = "---\nlanes: [sales]\n---\nflowchart LR\n    subgraph sales [销售部]\n        A\n    end\n    subgraph phase [第一阶段]\n        B\n    end\n"
    with pytest.raises(RenderError, match=r"chart.flow:8:5: .*the subgraph `phase` is not a lane"):
        to_mermaid(parse_text(other, "chart.flow"), swimlane=True)
    # A chart without subgraphs is a swimlane diagram with one unnamed lane.
    assert to_mermaid(parse_text("flowchart TD\n    A --> B\n"), swimlane=True).startswith("swimlane-beta TB\n")


def test_the_render_command_takes_swimlane(tmp_path) -> None:
    from salesflow.cli import cli

    runner = CliRunner()
    out = tmp_path / "b2b.mmd"
    result = runner.invoke(cli, ["render", "-f", "mermaid", "--swimlane", str(SAMPLES / "b2b-lanes.flow"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert parse_text(out.read_text(encoding="utf-8")).is_swimlane
    result = runner.invoke(cli, ["render", "-f", "json", "--swimlane", str(SAMPLES / "b2b-lanes.flow")])
    assert result.exit_code == 2 and "--swimlane applies to -f mermaid" in result.output
    chart = tmp_path / "phases.flow"
    chart.write_text("---\nlanes: [a]\n---\nflowchart LR\n    subgraph a [销售部]\n        A\n    end\n    subgraph b [阶段]\n        B\n    end\n", encoding="utf-8")
    result = runner.invoke(cli, ["render", "-f", "mermaid", "--swimlane", str(chart)])
    assert result.exit_code == 2 and "the subgraph `b` is not a lane" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("header", ["swimlane-beta", "swimlane"])
def test_fmt_keeps_the_swimlane_header(header: str) -> None:
    text = SMALL.replace("swimlane-beta LR", f"{header}   LR;").replace("    ", "  ")
    formatted = format_text(text, "chart.flow")
    assert formatted.splitlines()[0] == f"{header} LR"
    assert meaning_differences(parse_text(text), parse_text(formatted)) == []


# ---------------------------------------------------------------------------------------------
# What Mermaid reads from what salesflow writes


def _swimlane_renderings() -> list[tuple[str, object, str]]:
    """(name, the model read from the original, the swimlane diagram written for it)."""
    charts = [("b2b-lanes.flow", B2B)] + [(p.name, p.read_text(encoding="utf-8")) for p in sorted(ACCEPT.glob("*.mmd"))]
    out = []
    for name, text in charts:
        process = parse_text(text, name)
        if process.is_swimlane or process.lanes:
            try:
                out.append((name, process, to_mermaid(process, swimlane=True)))
            except RenderError:
                continue
    return out


@pytest.mark.node
def test_mermaid_reads_the_swimlane_diagrams_salesflow_writes() -> None:
    from mermaid_oracle import corpus, differences, error_of, lane_order_matters, require_oracle

    require_oracle()
    jobs = _swimlane_renderings()
    assert len(jobs) >= 6  # the lane charts and the swimlane diagrams of the corpus
    for release in corpus.RELEASES:
        results = corpus.run_oracle([written for _name, _process, written in jobs], release=release)
        for (name, process, written), result in zip(jobs, results):
            assert result["ok"], f"{release} rejects the swimlane diagram written for {name}: {error_of(result)}\n{written}"
            assert result["diagram"] == "swimlane", (release, name)
            # The same nodes, links and subgraphs as salesflow read from the original, and its lanes.
            again = parse_text(written)
            problems = [p for p in differences(again, result, lane_order_matters(written)) if "<" not in p]
            assert problems == [], (release, name, written)
            assert sorted(result["lanes"]) == sorted(process.lanes), (release, name)
            if lane_order_matters(written):
                assert result["lanes"] == list(process.lanes), (release, name)


def test_a_swimlane_diagram_in_markdown_is_a_chart(tmp_path) -> None:
    from salesflow.sources import charts_in

    doc = tmp_path / "guide.md"
    doc.write_text("# 流程\n\n```mermaid\n" + SMALL + "```\n\n```mermaid\nsequenceDiagram\n    A->>B: hi\n```\n", encoding="utf-8")
    charts = charts_in(str(doc))
    assert len(charts) == 1
    process = parse_text(charts[0].text, str(doc), charts[0].line_offset)
    assert process.is_swimlane and process.lanes == ("sales", "legal")
    assert process.node("A").span.line == 6  # positions point into the Markdown file
