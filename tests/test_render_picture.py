"""`render -f svg|png|pdf`: the real Graphviz draws every sample; the same input gives the same
bytes; a missing, failing or slow `dot` is a clear one-line error, never a traceback."""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, require_binary

from salesflow.errors import RenderError
from salesflow.parse import parse_text
from salesflow.render import FORMATS
from salesflow.render.picture import draw, run_graphviz
from salesflow.sources import charts_in

SAMPLE_CHARTS = [
    (path.name + (f"#{chart.block}" if chart.block else ""), chart.text)
    for path in sorted(SAMPLES.iterdir())
    if path.suffix in (".flow", ".md")
    for chart in charts_in(str(path))
]


@pytest.fixture(scope="module")
def dot() -> str:
    return require_binary("dot")


@pytest.mark.parametrize("name, text", SAMPLE_CHARTS, ids=[n for n, _t in SAMPLE_CHARTS])
def test_every_sample_draws_in_every_format(name: str, text: str, dot: str) -> None:
    process = parse_text(text, name)
    svg = FORMATS["svg"].renderer()(process)
    root = ET.fromstring(svg.encode("utf-8"))
    nodes = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if (g.get("class") or "").startswith("node")]
    assert len(nodes) == len(process.nodes)
    assert 'font-family="Noto Sans CJK SC"' in svg
    png = FORMATS["png"].renderer()(process)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pdf = FORMATS["pdf"].renderer()(process)
    assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("output", ["svg", "png", "pdf"])
def test_the_same_input_gives_the_same_bytes(output: str, dot: str, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    process = parse_text((SAMPLES / "b2b-lanes.flow").read_text(encoding="utf-8"))
    first = draw(process, output)
    if output == "pdf":
        import time

        time.sleep(1.1)  # cairo stamps the PDF with the current second
    assert draw(process, output) == first


def test_pdf_date_is_fixed_or_taken_from_source_date_epoch(dot: str, monkeypatch) -> None:
    process = parse_text("flowchart LR\n  A --> B\n")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert b"/CreationDate (D:20000101000000" in draw(process, "pdf")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert b"/CreationDate (D:20260101000000" in draw(process, "pdf")


@pytest.mark.parametrize("epoch", [None, "1767225600"])
def test_pdf_is_the_same_in_every_time_zone(epoch: str | None, dot: str, monkeypatch) -> None:
    """cairo writes its date in the local zone (`+08'00`); the PDF says UTC (`Z`) whatever TZ is."""
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    process = parse_text((SAMPLES / "b2b-lanes.flow").read_text(encoding="utf-8"))
    drawn = []
    for zone in ("Asia/Shanghai", "America/New_York", "UTC"):
        monkeypatch.setenv("TZ", zone)
        drawn.append(draw(process, "pdf"))
    assert drawn[0] == drawn[1] == drawn[2]
    stamp = "20000101000000" if epoch is None else "20260101000000"
    assert f"/CreationDate (D:{stamp}Z)".encode("ascii") in drawn[0]


def test_png_is_sharp(dot: str) -> None:
    png = draw(parse_text("flowchart LR\n  A[报价] --> B[成交]\n"), "png")
    width = int.from_bytes(png[16:20], "big")
    assert width > 300  # 144 dpi, twice the screen default


# ---------------------------------------------------------------------------------------------
# When Graphviz is missing, fails or takes too long (fake `dot` programs on PATH)


def fake_dot(directory: Path, script: str) -> None:
    program = directory / "dot"
    program.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


def test_missing_dot_names_the_install_commands(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError) as caught:
        run_graphviz("digraph { a }", "svg")
    message = str(caught.value)
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert "\n" not in message


def test_slow_dot_stops_with_advice(tmp_path: Path, monkeypatch) -> None:
    fake_dot(tmp_path, "sleep 20")
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    process = parse_text("flowchart LR\n  A --> B\n")
    with pytest.raises(RenderError) as caught:
        draw(process, "svg", timeout=0.5)
    message = str(caught.value)
    assert "did not finish within 0.5 s" in message and "2 nodes and 1 edges" in message
    assert "split the chart" in message and "--engine sfdp" in message


def test_failing_dot_reports_its_error(tmp_path: Path, monkeypatch) -> None:
    fake_dot(tmp_path, 'cat > /dev/null; echo "Warning: something" >&2; echo "Error: <stdin>: syntax error in line 3" >&2; exit 1')
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    with pytest.raises(RenderError, match=r"Graphviz `dot` failed: Error: <stdin>: syntax error in line 3"):
        run_graphviz("digraph { a }", "svg")


def test_crashing_dot_is_an_error_not_a_traceback(tmp_path: Path, monkeypatch) -> None:
    fake_dot(tmp_path, "cat > /dev/null; kill -SEGV $$")
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    with pytest.raises(RenderError, match="failed"):
        run_graphviz("digraph { a }", "png")


def test_unknown_engine_and_format_are_refused() -> None:
    with pytest.raises(RenderError, match="engine"):
        run_graphviz("digraph { a }", "svg", engine="rm")
    with pytest.raises(RenderError, match="format"):
        run_graphviz("digraph { a }", "gif")


def test_sfdp_draws_a_large_chart(dot: str) -> None:
    require_binary("sfdp")
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from generate import chart

    svg = draw(parse_text(chart(300)), "svg", engine="sfdp")
    assert len(re.findall(r'class="node', svg)) == 300


def test_pdf_embeds_the_cjk_font(dot: str, tmp_path: Path) -> None:
    """Without the font, a PDF shows boxes for Chinese text; with it, the font travels inside."""
    import subprocess

    pdffonts = require_binary("pdffonts")
    path = tmp_path / "chart.pdf"
    path.write_bytes(draw(parse_text((SAMPLES / "classic-seven-stages.flow").read_text(encoding="utf-8")), "pdf"))
    fonts = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, timeout=60).stdout
    assert "NotoSansCJK" in fonts and " yes " in fonts
