"""One reading of a label: what a reader sees in the drawing is what JSON, lint and the handbook say.

A chart keeps its labels as written (`#quot;`, `<b>…</b>`), and `fmt` gives them back that way;
everything meant for a reader shows the decoded text, as Mermaid's own SVG does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT

CHART = """\
flowchart LR
    A["客户说 #quot;太贵了#quot;"] -->|#9829; 感谢| B[<b>报价</b>]
    B --> C["#lt;b#gt;不是加粗"]
    subgraph s [#quot;销售#quot;部]
        C
    end
"""


def salesflow(*args: str, stdin: str = CHART, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "salesflow", *args],
        input=stdin.encode(),
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_json_labels_are_the_text_a_reader_sees_and_keep_the_source() -> None:
    result = salesflow("render", "-f", "json", "-")
    assert result.returncode == 0, result.stderr.decode()
    model = json.loads(result.stdout)
    nodes = {n["id"]: n for n in model["nodes"]}
    assert nodes["A"]["label"] == '客户说 "太贵了"'
    assert nodes["A"]["label_source"] == "客户说 #quot;太贵了#quot;"
    assert nodes["B"]["label"] == "报价"
    assert nodes["B"]["label_source"] == "<b>报价</b>"
    # An entity code that spells a tag is text, not markup: Mermaid shows `<b>` literally.
    assert nodes["C"]["label"] == "<b>不是加粗"
    assert model["edges"][0]["label"] == "♥ 感谢"
    assert model["edges"][0]["label_source"] == "#9829; 感谢"
    assert model["edges"][1]["label"] is None
    (subgraph,) = model["subgraphs"]
    assert (subgraph["title"], subgraph["title_source"]) == ('"销售"部', "#quot;销售#quot;部")


def test_lint_messages_quote_the_text_a_reader_sees() -> None:
    result = salesflow("lint", "--select", "missing-owner", "-")
    assert result.returncode == 1, result.stdout.decode()
    out = result.stdout.decode()
    assert "'客户说 \"太贵了\"' has no owner" in out
    assert "'报价' has no owner" in out
    assert "#quot;" not in out and "<b>报价" not in out


def test_fmt_keeps_the_labels_as_written() -> None:
    result = salesflow("fmt", "-")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert '["客户说 #quot;太贵了#quot;"]' in out
    assert "[<b>报价</b>]" in out
    assert "|#9829; 感谢|" in out
    assert "[#quot;销售#quot;部]" in out


@pytest.mark.usefixtures("dot")
def test_the_drawing_shows_the_same_text(tmp_path: Path) -> None:
    result = salesflow("render", "-f", "svg", "-", "-o", str(tmp_path / "chart.svg"))
    assert result.returncode == 0, result.stderr.decode()
    root = ET.parse(tmp_path / "chart.svg").getroot()
    texts = [t for t in ("".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")) if t]
    assert '客户说 "太贵了"' in texts
    assert "报价" in texts
    assert '"销售"部' in texts
    assert any("♥ 感谢" in t for t in texts)
    assert not any("#quot;" in t or "#9829;" in t for t in texts), texts


@pytest.mark.parametrize(
    "label, label_format, expected",
    [
        ("<b>报价</b>与<i>谈判</i>", "text", "<strong>报价</strong>与<em>谈判</em>"),
        ("#lt;b#gt;x", "text", "&lt;b&gt;x"),
        ("<u><s>旧价</s></u>", "text", "<u><s>旧价</s></u>"),
        ("<b>a<br>b</b>", "text", "<strong>a</strong><br><strong>b</strong>"),
        ("<blink>x</blink>", "text", "&lt;blink&gt;x&lt;/blink&gt;"),
        # `_` inside a word is not emphasis, `*` is (CommonMark, which Mermaid's markdown follows).
        ("a_b_c 2*3*4", "markdown", "a_b_c 2<em>3</em>4"),
    ],
)
def test_the_handbook_shows_the_styles_a_drawing_shows(label: str, label_format: str, expected: str) -> None:
    from salesflow.handbook.text import label_html

    assert str(label_html(label, label_format)) == expected


def test_the_model_reads_each_label_once() -> None:
    from salesflow.parse import parse_text

    process = parse_text(CHART)
    node = process.node("A")
    assert node.text == '客户说 "太贵了"'
    assert node.text is node.text  # read on first use, then kept
    assert process.node("B").text == "报价" and process.node("B").label == "<b>报价</b>"


def test_rule_messages_quote_links_and_lanes_as_shown() -> None:
    from salesflow.lint import lint
    from salesflow.parse import parse_text

    chart = (
        "---\nroles: [销售部]\nlanes: [s]\n---\nflowchart TD\n"
        "    A{#quot;合格#quot;?} -->|#quot;是#quot;| B[报价]\n    A -->|否| B\n"
        "    subgraph s [销售#38;市场]\n        B\n    end\n"
    )
    messages = [f.message for f in lint(parse_text(chart, path="x.flow"))]
    assert any("'\"是\"' and '否' both lead from '\"合格\"?' to '报价'" in m for m in messages), messages
    assert any("lane '销售&市场' is not a role" in m for m in messages), messages
    assert not any("#quot;" in m or "#38;" in m for m in messages), messages


def test_markdown_link_labels_and_titles_read_as_markdown() -> None:
    chart = 'flowchart TD\n    A -->|"`**是** _加急_`"| B\n    subgraph s ["`**销售**部`"]\n        B\n    end\n'
    result = salesflow("render", "-f", "json", "-", stdin=chart)
    assert result.returncode == 0, result.stderr.decode()
    model = json.loads(result.stdout)
    (edge,) = model["edges"]
    assert (edge["label"], edge["label_source"], edge["label_format"]) == ("是 加急", "**是** _加急_", "markdown")
    (subgraph,) = model["subgraphs"]
    assert (subgraph["title"], subgraph["title_format"]) == ("销售部", "markdown")
    # Written back as Markdown strings, so Mermaid still draws them bold and italic.
    written = salesflow("render", "-f", "mermaid", "-", stdin=chart).stdout.decode()
    assert '|"`**是** _加急_`"|' in written and 's ["`**销售**部`"]' in written
