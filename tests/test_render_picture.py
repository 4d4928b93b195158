"""`render -f svg|png|pdf`: the real Graphviz draws every sample; the same input gives the same
bytes; a missing, failing or slow `dot` is a clear one-line error, never a traceback."""

from __future__ import annotations

import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SAMPLES, bench_charts, require, require_binary

from salesflow import i18n
from salesflow.errors import RenderError
from salesflow.parse import parse_text
from salesflow.render import FORMATS, relabel, reroute
from salesflow.render.picture import draw, run_graphviz
from salesflow.sources import charts_in

SAMPLE_CHARTS = [
    (path.name + (f"#{chart.block}" if chart.block else ""), chart.text)
    for path in sorted(SAMPLES.iterdir())
    if path.suffix in (".flow", ".md")
    for chart in charts_in(str(path))
]


LAYOUT_CASES = sorted((Path(__file__).resolve().parent / "cases" / "layout").glob("*.flow"))
IDENTITY_CHARTS = [(path.name, path.read_text(encoding="utf-8")) for path in LAYOUT_CASES] + [
    (name, text) for name, text in SAMPLE_CHARTS if "#" not in name]


@pytest.mark.parametrize("name, text", IDENTITY_CHARTS, ids=[n for n, _t in IDENTITY_CHARTS])
def test_the_drawing_is_what_graphviz_draws_from_the_dot_text(name: str, text: str, dot: str, tmp_path: Path) -> None:
    """`render -f svg` hands Graphviz the DOT text while writing it, and keeps what Graphviz draws:
    the file is, byte for byte, what bare `dot -Tsvg` draws from `render -f dot`'s file (every
    sample and layout case; highlighted too, where the drawing's legend and colours come in), or
    for a drawing with a long link or a covered label to repair (render/reroute.py, relabel.py),
    what the repair draws from that file given whole."""
    import subprocess

    from click.testing import CliRunner

    from salesflow.cli import cli

    chart = tmp_path / name
    chart.write_text(text, encoding="utf-8")
    options = ["--highlight"] if len(name) % 2 else []  # half of the charts each way, to keep it short
    runner = CliRunner()
    for output in ("dot", "svg"):
        result = runner.invoke(cli, ["render", "-f", output, *options, str(chart), "-o", str(tmp_path / f"out.{output}")])
        assert result.exit_code == 0, result.output
    bare = subprocess.run([dot, "-Tsvg", str(tmp_path / "out.dot")], capture_output=True, check=True).stdout
    dot_text = (tmp_path / "out.dot").read_text(encoding="utf-8")
    layout = json.loads(subprocess.run([dot, "-Tjson0"], input=dot_text.encode(), capture_output=True, check=True).stdout)
    routes = reroute.plan(layout)
    if routes or relabel.plan(layout, routes):
        bare = run_graphviz(dot_text, "svg", repair=True)
    assert (tmp_path / "out.svg").read_bytes() == bare


@pytest.mark.parametrize("name, text", SAMPLE_CHARTS, ids=[n for n, _t in SAMPLE_CHARTS])
def test_every_sample_draws_in_every_format(name: str, text: str, dot: str) -> None:
    process = parse_text(text, name)
    svg = FORMATS["svg"].renderer()(process)
    root = ET.fromstring(svg.encode("utf-8"))
    # The chart's stages (a loop's label is drawn as a small node of its own, class sf-edge-label).
    nodes = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "sf-node" in (g.get("class") or "").split()]
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


def _graphviz_runs(monkeypatch) -> list[list[str]]:
    """The Graphviz commands drawing runs from now on, each without its `-G` graph options."""
    from salesflow.render import picture

    runs: list[list[str]] = []
    command = picture._command

    def recorded(*args, **kwargs) -> list[str]:
        made = command(*args, **kwargs)
        runs.append([part for part in made if not part.startswith("-G")])
        return made

    monkeypatch.setattr(picture, "_command", recorded)
    return runs


def test_a_png_is_drawn_once_whether_it_is_repaired_or_not(dot: str, monkeypatch) -> None:
    """Drawing a PNG costs far more than laying it out: a chart that may need a repair is laid out
    first with no drawing, then drawn once. six-lanes-40 has lanes to stretch: neato draws it from
    the layout's `-Tdot` text. The ten-stage sample has nothing to repair: dot draws it again, the
    very PNG bare `dot -Tpng` draws at salesflow's 144 dpi."""
    import subprocess

    from salesflow.parse import parse_file
    from salesflow.render.dot import to_dot

    runs = _graphviz_runs(monkeypatch)
    draw(parse_file(str(Path(__file__).resolve().parent / "cases" / "layout" / "six-lanes-40.flow")), "png")
    assert runs == [["dot", "-Tjson0", "-Tdot"], ["neato", "-n2", "-Tpng"]]
    runs.clear()
    sample = parse_file(str(SAMPLES / "annotated-ten-stages.flow"))
    png = draw(sample, "png")
    assert runs == [["dot", "-Tjson0", "-Tdot"], ["dot", "-Tpng"]]
    bare = subprocess.run([dot, "-Tpng", "-Gdpi=144"], input=to_dot(sample).encode("utf-8"), capture_output=True, check=True)
    assert png == bare.stdout


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


def test_missing_dot_is_told_in_the_readers_language(tmp_path: Path, monkeypatch) -> None:
    """The sentence is translated; the program's name and the install commands stay as typed."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with i18n.use("en"), pytest.raises(RenderError) as english:
        run_graphviz("digraph { a }", "svg")
    assert str(english.value) == (
        "Graphviz `dot` was not found on PATH; install Graphviz: `sudo apt-get install graphviz` on Debian or Ubuntu, "
        "`brew install graphviz` on macOS"
    )
    with i18n.use("zh"), pytest.raises(RenderError) as chinese:
        run_graphviz("digraph { a }", "svg")
    assert str(chinese.value) == (
        "在 PATH 中找不到 Graphviz 的 `dot` 程序；请安装 Graphviz：Debian 或 Ubuntu 上运行 "
        "`sudo apt-get install graphviz`，macOS 上运行 `brew install graphviz`"
    )


def test_slow_dot_gives_its_advice_in_chinese(tmp_path: Path, monkeypatch) -> None:
    fake_dot(tmp_path, "sleep 20")
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    process = parse_text("flowchart LR\n  A --> B\n")
    with i18n.use("zh"), pytest.raises(RenderError) as caught:
        draw(process, "svg", timeout=0.5)
    message = str(caught.value)
    assert "Graphviz `dot` 排布 2 个节点和 1 条连线时，在 0.5 秒内没有画完" in message
    assert "请把流程图拆成几张小图" in message and "试试 `--engine sfdp`" in message


def test_failing_dot_keeps_its_own_message_in_chinese(tmp_path: Path, monkeypatch) -> None:
    fake_dot(tmp_path, 'cat > /dev/null; echo "Error: <stdin>: syntax error in line 3" >&2; exit 1')
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    with i18n.use("zh"), pytest.raises(RenderError) as caught:
        run_graphviz("digraph { a }", "svg")
    assert str(caught.value) == "Graphviz `dot` 出错：Error: <stdin>: syntax error in line 3"


def test_slow_dot_stops_with_advice(tmp_path: Path, monkeypatch) -> None:
    fake_dot(tmp_path, "sleep 20")
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    process = parse_text("flowchart LR\n  A --> B\n")
    with pytest.raises(RenderError) as caught:
        draw(process, "svg", timeout=0.5)
    message = str(caught.value)
    assert "did not finish within 0.5 s" in message and "2 nodes and 1 edges" in message
    assert "split the chart" in message and "--engine sfdp" in message


def test_a_dot_that_stops_reading_a_large_chart_is_an_error_not_a_hang(tmp_path: Path, monkeypatch) -> None:
    """Graphviz is given the text while it is written: one that fails early, or never reads
    (and is stopped at the time limit), ends the writing too, with its message."""
    process = parse_text(bench_charts().chart(300), "big.flow")  # ≈ 150 KB of DOT: more than a pipe holds
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    fake_dot(tmp_path, 'head -c 100 > /dev/null; echo "Error: <stdin>: syntax error in line 1" >&2; exit 1')
    with pytest.raises(RenderError, match=r"^big.flow: Graphviz `dot` failed: Error: <stdin>: syntax error in line 1$"):
        draw(process, "svg")
    fake_dot(tmp_path, "exec sleep 20")  # stopped at the limit, it lets go of the pipe
    with pytest.raises(RenderError, match=r"did not finish within 0.5 s laying out 300 nodes"):
        draw(process, "svg", timeout=0.5)


def test_a_dot_that_says_much_before_reading_is_drawn_not_a_hang(tmp_path: Path, monkeypatch) -> None:
    """dot's messages are read while the text is written: a dot that fills its standard error
    before it reads (warnings about every link, say) would otherwise wait on us as we wait on it."""
    process = parse_text(bench_charts().chart(300), "big.flow")  # ≈ 150 KB of DOT: more than a pipe holds
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    fake_dot(tmp_path, 'yes "Warning: a link" | head -n 20000 >&2; cat > /dev/null; echo "Error: <stdin>: too much" >&2; exit 1')
    with pytest.raises(RenderError, match=r"^big.flow: Graphviz `dot` failed: Error: <stdin>: too much$"):
        draw(process, "svg", timeout=20)


@pytest.mark.parametrize("output", ["svg", "png"])
def test_dot_run_from_a_thread_where_it_cannot_be_started_directly_draws_the_same(output: str, dot: str, tmp_path: Path, monkeypatch) -> None:
    """Where dot cannot be started with posix_spawn (not Linux), a thread runs it through
    subprocess: the same bytes, and the same messages when it fails or is too slow."""
    from salesflow.render import graphviz_child

    process = parse_text(bench_charts().chart(60), "chart.flow")
    direct = draw(process, output)
    monkeypatch.setattr(graphviz_child, "available", lambda: False)
    assert draw(process, output) == direct
    messages = []
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    for script in ('cat > /dev/null; echo "Error: <stdin>: syntax error in line 3" >&2; exit 1', "exec sleep 20"):
        fake_dot(tmp_path, script)
        for way in (lambda: False, lambda: True):
            monkeypatch.setattr(graphviz_child, "available", way)
            with pytest.raises(RenderError) as caught:
                draw(process, output, timeout=0.5)
            messages.append(str(caught.value))
    assert messages[0] == messages[1] and "syntax error in line 3" in messages[0]
    assert messages[2] == messages[3] and "did not finish within 0.5 s" in messages[2]


def test_what_dot_wrote_first_is_read_while_it_writes_the_rest(tmp_path: Path, monkeypatch) -> None:
    """A repair reads dot's first output while dot still writes the next (picture._look_alongside):
    it gets what was written up to the mark, and nothing once dot has ended without writing it."""
    from salesflow.render import graphviz_child

    fake_dot(tmp_path, "cat > /dev/null; printf 'drawing\\n</svg>\\n'; sleep 1; printf 'layout\\n'")
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    child = graphviz_child.Graphviz(["dot"], dict(os.environ), 20)
    child.send("digraph { a }")
    child.end_text()
    assert child.written_through(b"</svg>\n") == b"drawing\n</svg>\n"
    assert os.waitpid(child.pid, os.WNOHANG) == (0, 0)  # dot still at work
    assert child.written_through(b"\n}\n", len(b"drawing\n</svg>\n")) is None  # it ended without
    assert child.finish() == (b"drawing\n</svg>\nlayout\n", b"")


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


def test_failing_dot_names_the_file_and_the_element(tmp_path: Path, monkeypatch) -> None:
    process = parse_text("flowchart LR\n  A --> B\n", "chart.flow")
    node_line = next(i for i, line in enumerate(FORMATS["dot"].renderer()(process).splitlines(), 1) if line.startswith('  "A" ['))
    fake_dot(tmp_path, f'cat > /dev/null; echo "Error: <stdin>: syntax error in line {node_line} near x" >&2; exit 1')
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    with pytest.raises(RenderError) as caught:
        draw(process, "svg")
    assert str(caught.value).startswith("chart.flow:2:3: node `A`: Graphviz `dot` failed: "), caught.value
    # An error inside a label counts the label's own lines: Graphviz's next line names the element.
    fake_dot(tmp_path, "cat > /dev/null; printf 'Error: syntax error in line 1\\n... x ...\\nin label of edge A -> B\\n' >&2; exit 1")
    with pytest.raises(RenderError) as caught:
        draw(process, "svg")
    message = str(caught.value)
    assert message.startswith("chart.flow: Graphviz `dot` failed: ") and message.endswith("(in label of edge A -> B)")
    assert "\n" not in message


@pytest.mark.parametrize(
    "text, shown",
    [
        ('flowchart LR\n  subgraph s[" "]\n    A\n  end\n', ["A"]),
        ('flowchart LR\n  A -->|"]"| B\n', ["A", "]", "B"]),
        ('flowchart LR\n  A -- "]]" --> B["]"]\n', ["A", "]]", "]"]),
        ('flowchart LR\n  A -->|"<b></b>"| B["<b></b>x"]\n  B --> C["<i></i>"]\n', ["A", "x"]),
        ('flowchart LR\n  A e1@--> B\n  e1@{ note: "]", rate: 50% }\n', ["A", "B", "50%", "]"]),
    ],
)
def test_charts_with_texts_graphviz_refuses_are_drawn(text: str, shown: list[str], dot: str) -> None:
    """Graphviz refuses an empty <B></B> or <FONT></FONT> and a label that is only `]`."""
    svg = draw(parse_text(text), "svg")
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg.encode("utf-8")).iter("{http://www.w3.org/2000/svg}text")]
    assert sorted(t for t in texts if t.strip()) == sorted(shown)


def test_empty_titles_are_drawn(dot: str) -> None:
    """Charts cannot write an empty title (`[""]` is refused, as by Mermaid), but a model made
    otherwise (an import, a program) may hold one: a lane and a group without a title still draw."""
    import dataclasses

    process = parse_text("---\nlanes: [l]\n---\nflowchart LR\n  subgraph l[L]\n    A --> B\n  end\n"
                         "  subgraph t[T]\n  end\n")
    process = dataclasses.replace(process, subgraphs=tuple(dataclasses.replace(s, title="") for s in process.subgraphs))
    svg = draw(process, "svg")
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg.encode("utf-8")).iter("{http://www.w3.org/2000/svg}text")]
    assert sorted(t for t in texts if t.strip()) == ["A", "B"]


@pytest.mark.parametrize(
    "text, element",
    [
        ('flowchart LR\n  A["{long}"] --> B\n', "x.flow:2:3: node `A`"),
        ('flowchart LR\n  A -->|"{long}"| B\n', "x.flow:2:5: edge `A → B`"),
        ('flowchart LR\n  subgraph s["{long}"]\n    A\n  end\n', "x.flow:2:3: subgraph `s`"),
        ('---\ntitle: "{long}"\n---\nflowchart LR\n  A\n', "x.flow: the chart's title"),
        ('flowchart LR\n  A --> B\n  click A "https://example.com/" "{long}"\n', "x.flow:2:3: node `A`"),
    ],
)
def test_texts_too_long_for_graphviz_are_refused_before_it_runs(text: str, element: str, tmp_path: Path, monkeypatch) -> None:
    """Graphviz reads no string over 16 KB; the chart is refused at once, naming the element.
    (Graphviz is started while the text is written, and is given none of it.)"""
    fake_dot(tmp_path, "cat > given; exit 1")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    process = parse_text(text.replace("{long}", "报价 " * 3_000), "x.flow")  # 9,000 characters, 24,000 bytes
    with pytest.raises(RenderError) as caught:
        draw(process, "svg")
    message = str(caught.value)
    assert message.startswith(element + " is too long to draw: "), message
    assert "SALESFLOW_MAX_DOT_STRING" in message and "\n" not in message
    assert not (tmp_path / "given").exists() or (tmp_path / "given").read_bytes() == b""


def test_the_dot_string_limit_can_be_raised_and_graphviz_then_names_the_element(dot: str, monkeypatch) -> None:
    monkeypatch.setenv("SALESFLOW_MAX_DOT_STRING", "100000")
    process = parse_text('flowchart LR\n  A --> B["' + "x" * 17_000 + '"]\n', "big.flow")
    with pytest.raises(RenderError) as caught:
        draw(process, "svg")
    assert str(caught.value).startswith("big.flow:2:9: node `B`: Graphviz `dot` failed: "), caught.value


def test_unknown_engine_and_format_are_refused() -> None:
    with pytest.raises(RenderError, match="engine"):
        run_graphviz("digraph { a }", "svg", engine="rm")
    with pytest.raises(RenderError, match="format"):
        run_graphviz("digraph { a }", "gif")


def test_sfdp_draws_a_large_chart(dot: str) -> None:
    require_binary("sfdp")
    chart = bench_charts().chart
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


# ---------------------------------------------------------------------------------------------
# Picture size: --width, --dpi and --fit (measured on the PNG and on Graphviz's own layout)

PHONE_CSS_PX, PHONE_PIXELS, SMALLEST_PX = 390, 1080, 11


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def laid_out(process, **layout) -> tuple[float, float, float]:
    """Width and height in points (margin included) and the smallest font size, as `dot -Tjson`
    lays out salesflow's DOT for this chart (`layout`: options of `to_dot`): read here from
    Graphviz's own drawing operations."""
    import json
    import subprocess

    from salesflow.render.dot import to_dot

    text = to_dot(process, **layout) if layout else FORMATS["dot"].renderer()(process)
    data = json.loads(subprocess.run(["dot", "-Tjson"], input=text.encode(), capture_output=True, check=True, timeout=60).stdout)
    x0, y0, x1, y1 = map(float, data["bb"].split(","))
    pad = 72 * float(data.get("pad", 4 / 72)) * 2
    fonts = [op["size"] for element in [data, *data.get("objects", []), *data.get("edges", [])]
             for key, ops in element.items() if key.endswith("draw_") for op in ops if op["op"] == "F"]
    return x1 - x0 + pad, y1 - y0 + pad, min(fonts)


def test_width_and_dpi_set_the_picture_size(dot: str) -> None:
    import dataclasses

    process = parse_text((SAMPLES / "saas-funnel.flow").read_text(encoding="utf-8"))
    width_pt, height_pt, _font = laid_out(process)
    assert png_size(draw(process, "png", width=800))[0] == 800
    assert png_size(draw(process, "png", width=5000))[0] == 5000  # enlarged by Graphviz, not by stretching pixels
    width, height = png_size(draw(process, "png", dpi=72))
    assert abs(width - width_pt) <= 1 and abs(height - height_pt) <= 1  # 72 dpi: a point is a pixel
    width, _height = png_size(draw(process, "png", dpi=216))
    assert abs(width - width_pt * 3) <= 2
    assert dataclasses.replace(process, direction="LR") == process  # sizing leaves the chart alone


def test_the_picture_is_drawn_at_its_size_not_stretched(dot: str) -> None:
    """Text drawn at the final size has crisp edges; a small picture blown up has soft ones:
    at the same width the sharply drawn picture has clearly more strong edge pixels."""
    import io

    try:
        from PIL import Image, ImageFilter
    except ImportError:
        require(False, "Pillow (WeasyPrint's dependency, installed with the pdf extra)")

    process = parse_text((SAMPLES / "annotated-ten-stages.flow").read_text(encoding="utf-8"))
    sharp = Image.open(io.BytesIO(draw(process, "png", width=1080))).convert("L")
    blown_up = Image.open(io.BytesIO(draw(process, "png", dpi=72))).convert("L").resize(sharp.size, Image.LANCZOS)

    def strong_edges(image) -> int:
        return sum(image.filter(ImageFilter.FIND_EDGES).histogram()[129:])

    assert strong_edges(sharp) > 1.2 * strong_edges(blown_up)


SIZE_CHARTS = SAMPLE_CHARTS + [
    ("long-lr", "flowchart LR\n  " + " --> ".join(f"S{i}[阶段{i}]" for i in range(1, 9)) + "\n"),
    ("short-lr", "flowchart LR\n  A[线索] --> B[报价] --> C[成交]\n"),
]


@pytest.mark.parametrize("name, text", SIZE_CHARTS, ids=[n for n, _t in SIZE_CHARTS])
def test_phone_pictures_read_at_a_phones_width_or_say_why_not(name: str, text: str, dot: str) -> None:
    """The rule: shown across a phone (390 CSS px, the picture fills the width as chat apps show it),
    the smallest text is at least 11 px; the picture is 1080 px wide, a phone's screen pixels.
    The chart is drawn the first way, of those `fitting_layouts` lists, that reads so (as it is
    first, then top to bottom, then narrower drawings); if none does, the most readable, the
    user is told, and the picture is drawn large enough that zooming in shows 11 px text sharply."""
    from salesflow.render.picture import fitting_layouts

    process = parse_text(text, name)
    warnings: list[str] = []
    width, height = png_size(draw(process, "png", fit="phone", warn=warnings.append))
    candidates = [laid_out(process, **layout) for layout in fitting_layouts(process)]
    shown = [font_pt * PHONE_CSS_PX / width_pt for width_pt, _height_pt, font_pt in candidates]
    legible = [index for index, px in enumerate(shown) if px >= SMALLEST_PX - 0.05]
    expected = legible[0] if legible else max(range(len(shown)), key=lambda index: (shown[index], -index))
    width_pt, height_pt, font_pt = candidates[expected]
    assert abs(height / width - height_pt / width_pt) < 0.01  # the picture has that layout's proportions
    if legible:
        assert width == PHONE_PIXELS and warnings == []
        assert font_pt * width / width_pt >= SMALLEST_PX * PHONE_PIXELS / PHONE_CSS_PX - 0.5
    else:
        assert len(warnings) == 1 and f"{shown[expected]:.1f} px" in warnings[0] and "\n" not in warnings[0]
        image_px = font_pt * width / width_pt
        assert image_px >= SMALLEST_PX * PHONE_PIXELS / PHONE_CSS_PX - 0.5


def test_a_layout_graphviz_gives_up_on_is_passed_over() -> None:
    """`fitted` tries layouts in order; one that `dot` fails on is skipped, not the end of the
    picture; only when every one fails is that failure the user's error."""
    from salesflow.render.picture import GraphvizFailed, Layout, Sizing, fitted

    def dot_text(name: str) -> tuple[str, dict]:
        return name, {}

    def size(text: str, _origins: dict) -> Sizing:
        if text.startswith("broken"):
            raise GraphvizFailed(f"{text}: Graphviz `dot` failed: Error: lost n1 n2 edge")
        return Sizing(Layout(300, 900, 11), 1.3 if text == "reads" else 0.5, 1080)

    layouts = [{"name": "broken"}, {"name": "small"}, {"name": "reads"}, {"name": "never tried"}]
    assert fitted(layouts, dot_text, size)[0] == "reads"
    assert fitted(layouts[:2], dot_text, size)[0] == "small"
    with pytest.raises(GraphvizFailed, match="lost n1 n2 edge"):
        fitted([{"name": "broken one"}, {"name": "broken two"}], dot_text, size)


def test_phone_fit_turns_a_long_sideways_chart_upright(dot: str) -> None:
    process = parse_text(SIZE_CHARTS[-2][1])
    warnings: list[str] = []
    # Drawn as it is (the long flow wrapped into rows), it already reads on a phone.
    width, _height = png_size(draw(process, "png", fit="phone", warn=warnings.append))
    assert (width, warnings) == (PHONE_PIXELS, [])
    # Not wrapped, it is a strip: the phone fit draws it top to bottom instead.
    width, height = png_size(draw(process, "png", fit="phone", wrap=0, warn=warnings.append))
    assert (width, warnings) == (PHONE_PIXELS, []) and height > 3 * width
    # ... unless the user chose the direction.
    width, height = png_size(draw(process, "png", fit="phone", wrap=0, direction="LR", warn=warnings.append))
    assert width > height and len(warnings) == 1


def test_screen_fit_keeps_text_at_least_11_px_and_the_width_within_the_screen(dot: str) -> None:
    process = parse_text((SAMPLES / "annotated-ten-stages.flow").read_text(encoding="utf-8"))
    width_pt, _height_pt, font_pt = laid_out(process)
    warnings: list[str] = []
    width, _height = png_size(draw(process, "png", fit="screen", warn=warnings.append))
    css_width = width / 2  # two image pixels per CSS px, for high-density screens
    assert warnings == [] and css_width <= 1280
    assert font_pt * css_width / width_pt >= SMALLEST_PX


def test_size_options_on_the_command_line(tmp_path: Path, dot: str) -> None:
    from click.testing import CliRunner

    from salesflow.cli import cli

    runner = CliRunner()
    out = tmp_path / "share.png"
    result = runner.invoke(cli, ["render", "-f", "png", "--fit", "phone", str(SAMPLES / "classic-seven-stages.flow"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert png_size(out.read_bytes())[0] == PHONE_PIXELS
    result = runner.invoke(cli, ["render", "-f", "png", "--fit", "phone", str(SAMPLES / "b2b-lanes.flow"), "-o", str(out)])
    assert result.exit_code == 0 and result.output == ""  # one stage a row, its long links jumps
    # Held to its own direction, the five-lane chart cannot be drawn narrow enough: the user is told.
    result = runner.invoke(cli, [
        "render", "-f", "png", "--fit", "phone", "--direction", "LR", str(SAMPLES / "b2b-lanes.flow"), "-o", str(out)])
    assert result.exit_code == 0 and "b2b-lanes.flow: warning: shown across a phone's width" in result.output
    for arguments, message in [
        (["-f", "svg", "--width", "800"], "--width sizes a bitmap: use it with -f png"),
        (["-f", "png", "--width", "800", "--dpi", "96"], "--width and --dpi each set the picture's size"),
        (["-f", "png", "--fit", "phone", "--dpi", "96"], "--dpi and --fit each set"),
        (["-f", "png", "--fit", "watch"], "'watch' is not one of"),
    ]:
        result = runner.invoke(cli, ["render", *arguments, str(SAMPLES / "classic-seven-stages.flow"), "-o", str(out)])
        assert result.exit_code == 2 and message in result.output, result.output
