"""`salesflow handbook` options for handouts: without the review, and one chart of a Markdown file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from salesflow.cli import cli

CLASSIC = ROOT / "samples" / "classic-seven-stages.flow"

# Every handbook here is drawn with Graphviz.
pytestmark = pytest.mark.usefixtures("dot")


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_no_health_leaves_the_review_out_of_a_handout(tmp_path: Path) -> None:
    reviewed, handout = tmp_path / "reviewed.html", tmp_path / "handout.html"
    assert run_cli("handbook", str(CLASSIC), "--lang", "zh", "-o", str(reviewed)).exit_code == 0
    result = run_cli("handbook", str(CLASSIC), "--lang", "zh", "--no-health", "-o", str(handout))
    assert result.exit_code == 0, result.output
    before, after = reviewed.read_text("utf-8"), handout.read_text("utf-8")
    # The classic chart has findings, so the reviewed handbook shows both parts of the review.
    assert "流程体检" in before and "本阶段待改进" in before and "has-findings" in before
    assert "流程体检" not in after and "本阶段待改进" not in after and "has-findings" not in after
    assert 'class="section section-health"' not in after
    # Everything else is still there: every stage card, in the same order.
    cards = re.compile(r'<article class="card[^"]*" id="(stage-\d+)"')
    assert cards.findall(after) == cards.findall(before) and cards.findall(after)
    assert "潜在客户获取" in after and "售后服务" in after


def test_no_health_works_with_a_role_handout(tmp_path: Path) -> None:
    out = tmp_path / "sales.html"
    result = run_cli("handbook", str(ROOT / "samples" / "b2b-lanes.flow"), "--role", "销售部", "--no-health",
                     "--lang", "en", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "Your duties" in text and "Process health" not in text and "To fix in this stage" not in text


def test_block_is_read_alone_when_another_block_has_errors(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# Handbook\n\n"
        "```mermaid\nflowchart LR\n    A[线索收集] --> B[商机确认]\n```\n\n"
        "Draft, not finished:\n\n"
        "```mermaid\nflowchart LR\n    C[报价 --> D\n```\n",
        encoding="utf-8",
    )
    result = run_cli("handbook", str(doc), "--block", "1", "--lang", "zh", "-o", str(tmp_path / "h.html"))
    assert result.exit_code == 0, result.output
    assert result.output == ""  # the broken block 2 is not this handbook's business
    text = (tmp_path / "h.html").read_text("utf-8")
    assert "线索收集" in text and "商机确认" in text and "报价" not in text

    result = run_cli("handbook", str(doc), "--block", "2", "-o", str(tmp_path / "h2.html"))
    assert result.exit_code == 2
    assert result.output.startswith(f"{doc}:12:6: error: ") and "Traceback" not in result.output, result.output

    result = run_cli("handbook", str(doc), "-o", str(tmp_path / "h3.html"))
    assert result.exit_code == 2 and "--block" in result.output
