"""The handbook's "what the chart promises" section: the funnel and the times `salesflow analyze` works out."""

from __future__ import annotations

import html as html_module
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CASES, SAMPLES
from salesflow.cli import cli

SAAS = SAMPLES / "saas-funnel.flow"
BRANCH = CASES / "analytics" / "branch.flow"
LOOP = CASES / "analytics" / "loop.flow"

# Every handbook here is drawn with Graphviz.
pytestmark = pytest.mark.usefixtures("dot")


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def handbook(tmp_path: Path, chart: Path, *options: str) -> str:
    out = tmp_path / "handbook.html"
    result = run_cli("handbook", str(chart), "--date", "2026-12-01", "-o", str(out), *options)
    assert result.exit_code == 0, result.output
    return out.read_text("utf-8")


def section(page: str) -> str:
    match = re.search(r'<section class="section section-numbers".*?</section>', page, re.S)
    assert match, "no numbers section"
    return match.group(0)


def funnel_figures(part: str) -> list[tuple[str, str]]:
    """(label, figure) of each bar of the funnel, as drawn."""
    svg = re.search(r"<svg[^>]*>.*?</svg>", part, re.S).group(0)
    labels = [html_module.unescape(t) for t in re.findall(r'<text class="bar-label"[^>]*>([^<]*)</text>', svg)]
    figures = re.findall(r'<text class="bar-figure"[^>]*>([^<]*)</text>', svg)
    return list(zip(labels, figures))


def screen(part: str) -> str:
    """`part` as a screen shows it: without the bar charts' print form."""
    return re.sub(r'<div class="print-only bars-print">.*?</div></figure>', "</figure>", part, flags=re.S)


def printed_bars(part: str) -> list[list[list[tuple[str, str]]]]:
    """Each bar chart's print form: its parts, each part's (label, figure) a bar, as printed."""
    charts = []
    for form in re.findall(r'<div class="print-only bars-print">(.*?)</div></figure>', part, re.S):
        parts = []
        for labels, figures in re.findall(r'<p class="bar-labels"[^>]*>([^<]*)</p>\s*<p class="bar-figures"[^>]*>([^<]*)</p>', form):
            parts.append(list(zip(html_module.unescape(labels).split("\n"), html_module.unescape(figures).split("\n"))))
        charts.append(parts)
    return charts


def drawn_bars(svg: str) -> list[tuple[str, str]]:
    labels = [html_module.unescape(t) for t in re.findall(r'<text class="bar-label"[^>]*>([^<]*)</text>', svg)]
    return list(zip(labels, [html_module.unescape(t) for t in re.findall(r'<text class="bar-figure"[^>]*>([^<]*)</text>', svg)]))


def _paint(attributes: str) -> tuple:
    return tuple(re.search(rf' {name}="([^"]*)"', attributes).group(1) if f' {name}="' in attributes else None
                 for name in ("fill", "opacity", "stroke", "stroke-width"))


def screen_bars(svg: str) -> list[tuple]:
    """Each bar a `<rect>` of the screen's SVG draws: its box (x, y, width, height) and paint, by
    the numbers the SVG writes; a rect of no width draws nothing."""
    bars = []
    for attributes in re.findall(r"<rect([^>]*)/>", svg):
        x, y, width, height = (float(re.search(rf' {name}="([^"]*)"', attributes).group(1))
                               for name in ("x", "y", "width", "height"))
        if width > 0:
            bars.append(((round(x, 3), round(y, 3), round(width, 3), round(height, 3)), _paint(attributes)))
    return sorted(bars)


def printed_bars_drawn(svg: str) -> list[tuple]:
    """The same for the print form, whose bars are the closed subpaths of its paths (M, h, v, A, Z)."""
    bars = []
    for before, data, after in re.findall(r'<path([^>]*?) d="([^"]*)"([^>]*)/>', svg):
        attributes = before + after
        for subpath in re.findall(r"M[^M]*", data):
            x = y = 0.0
            points = []
            for command, numbers in re.findall(r"([MhvAZ])([^MhvAZ]*)", subpath):
                values = [float(v) for v in numbers.split()]
                if command == "M" or command == "A":
                    x, y = values[-2:]
                elif command == "h":
                    x += values[0]
                elif command == "v":
                    y += values[0]
                elif command == "Z":  # closed: back to where the subpath started
                    x, y = points[0]
                points.append((x, y))
            assert subpath.endswith("Z"), subpath
            left, top = min(p[0] for p in points), min(p[1] for p in points)
            box = (left, top, max(p[0] for p in points) - left, max(p[1] for p in points) - top)
            bars.append((tuple(round(v, 3) for v in box), _paint(attributes)))
    return sorted(bars)


def visible(part: str) -> str:
    part = re.sub(r"<svg\b.*?</svg>", " ", part, flags=re.S)
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", part)).split())


@pytest.mark.parametrize("leads", [None, "1000"])
def test_the_saas_funnel_shows_the_figures_analyze_works_out(tmp_path: Path, leads: str | None) -> None:
    options = ("--leads", leads) if leads else ()
    page = handbook(tmp_path, SAAS, "--lang", "en", *options)
    part = screen(section(page))
    analysis = json.loads(run_cli("analyze", str(SAAS), "-f", "json", "--leads", leads or "100").output)
    # The funnel draws every stage's expected arrivals, in flow order, as analyze counts them.
    expected = [(s["label"][:25] + "…" if len(s["label"]) > 26 else s["label"], f"{s['arrivals']:,.1f}")
                for s in analysis["stages"]]
    assert funnel_figures(part) == expected
    text = visible(part)
    count = f"{int(leads or 100):,}"
    assert f"Expected wins per {count} leads {analysis['wins']:,.1f}" in text
    assert f"Where the {count} leads end" in text
    assert f"The bottleneck is {analysis['bottleneck']['label']}" in text
    for loop in analysis["loops"]:
        assert f"{loop['source']} {loop['target']} {loop['share'] * 100:.0f}% {loop['probability'] * 100:.0f}%" in text
    # Time per stage against deadline: one bar per stage with a deadline, the deadline written after it.
    bars = re.findall(r"<svg[^>]*>.*?</svg>", part, re.S)
    assert len(bars) == 2
    timed = [s for s in analysis["stages"] if s["due_hours"]]
    assert bars[1].count('class="bar-label"') == len(timed)
    # The won deals' expected cycle time against the 70-week target (490 days).
    assert "Target 490d" in text and "within the target" in text
    assert "<script" not in page.lower()
    # Listed in the contents, after the deadlines.
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    assert toc.index("Deadlines") < toc.index("What the chart promises") < toc.index("Process health")


def test_a_branch_with_rates_gives_the_wins_worked_out_by_hand(tmp_path: Path) -> None:
    text = visible(screen(section(handbook(tmp_path, BRANCH, "--lang", "en"))))
    # 30% qualify, 40% of those sign: 12 of 100 leads are won; 70 + 18 are lost.
    assert "Expected wins per 100 leads 12.0" in text
    assert "Won (won) 12.0" in text and "Lost 70.0" in text and "Lost after proposal 18.0" in text
    # Every branch has a rate and every stage a deadline: only the stay model is assumed.
    assert "Assumptions A stay lasts between 0.4 and 1.2 times its deadline" in text
    assert "split equally" not in text


def test_a_rework_loop_shows_its_chance(tmp_path: Path) -> None:
    text = visible(screen(section(handbook(tmp_path, LOOP, "--lang", "en"))))
    # Sent back one time in four: a quarter of the leads go round at least once.
    assert "Rework" in text and "Agreed? Negotiate 25% 25%" in text
    # 1 / (1 − 1/4) passes of 0.8 × 5 days each.
    assert "Expected cycle time, won deals 5.3d" in text


def test_a_decision_without_rates_is_split_equally_and_says_so(tmp_path: Path) -> None:
    chart = tmp_path / "equal.flow"
    chart.write_text("flowchart LR\n  A([Lead]) --> Q{Fit?}\n  Q -->|yes| W([Won])\n  Q -->|no| L([Lost])\n"
                     "  A@{ owner: SDR, due: 2d }\n", "utf-8")
    text = visible(screen(section(handbook(tmp_path, chart, "--lang", "en"))))
    assert "Won (won) 50.0" in text and "Lost 50.0" in text
    assert "Fit?: not every branch has a conversion rate, so the leads the rates leave are split equally" in text


def test_a_chart_without_rates_or_deadlines_has_no_such_section(tmp_path: Path) -> None:
    chart = tmp_path / "bare.flow"
    chart.write_text("flowchart LR\n  A[Lead] --> B[Call] --> C[Close]\n", "utf-8")
    page = handbook(tmp_path, chart, "--lang", "en")
    assert "section-numbers" not in page and "What the chart promises" not in page


def test_no_numbers_leaves_the_section_out(tmp_path: Path) -> None:
    page = handbook(tmp_path, SAAS, "--lang", "en", "--no-numbers")
    assert "section-numbers" not in page and "What the chart promises" not in page
    assert 'class="section section-deadlines"' in page


def test_the_chinese_handbook_shows_the_section_in_chinese(tmp_path: Path) -> None:
    from test_i18n import english_left

    part = screen(section(handbook(tmp_path, SAAS, "--lang", "zh")))
    text = visible(part)
    assert "流程预期" in part and "每 100 条线索预计成交" in text and "测算假设" in text
    own = [html_module.unescape(label) for label in re.findall(r'<td[^>]*>([^<]+)', part)]
    for label in sorted(own, key=len, reverse=True):
        text = text.replace(label, " ")
    assert not english_left(text), text


def test_a_long_bar_chart_prints_whole_in_parts_that_fit_a_page(tmp_path: Path) -> None:
    from conftest import bench_charts

    chart = tmp_path / "long.flow"
    chart.write_text(bench_charts().chart(100), "utf-8")
    part = section(handbook(tmp_path, chart))
    printed = printed_bars(part)
    for heading, printed_parts in zip(("numbers-funnel", "numbers-time"), printed, strict=True):
        figure = re.search(rf'id="{heading}".*?<figure[^>]*>(.*?)</figure>', part, re.S).group(1)
        drawn, print_form = figure.split('<div class="print-only bars-print">')
        # The same parts on screen and in print, the printed ones with their text beside the SVG.
        for form in (drawn, print_form):
            svgs = re.findall(r'<svg viewBox="0 ([\d.]+) 790 ([\d.]+)"[^>]*>(.*?)</svg>', form, re.S)
            # A single SVG of 100 bars would be some 560 mm tall at the page's width, cut off at the
            # page's foot: the chart is drawn in parts of at most 32 bars, every bar in one of them.
            assert len(svgs) == 4
            # Printed 178 mm wide (A4 less its margins), each part fits the page's 259 mm under a
            # heading, and its smallest text (11 units) prints at 7 pt or more.
            scale_mm = 178 / 790
            assert all(float(height) * scale_mm <= 259 - 40 for _top, height, _body in svgs)
            assert 11 * scale_mm / 25.4 * 72 >= 7
            # The parts follow on, each showing its own bars and none of the next's.
            for (top, height, body), (next_top, _h, _b) in zip(svgs, svgs[1:]):
                assert float(top) + float(height) <= float(next_top) + 6
                bars = [box[1] for box, _paint in (screen_bars(body) or printed_bars_drawn(body))]
                assert float(top) <= min(bars) and max(bars) + 20 <= float(top) + float(height)
        # Print draws the bars of one paint as one path: each the box and paint of the screen's bar.
        drawn_svgs, printed_svgs = (re.findall(r"<svg[^>]*>.*?</svg>", form, re.S) for form in (drawn, print_form))
        assert "<rect" not in print_form and len(drawn_svgs) == len(printed_svgs) == 4
        for screen_svg, print_svg in zip(drawn_svgs, printed_svgs):
            assert printed_bars_drawn(print_svg) == screen_bars(screen_svg) and len(screen_bars(screen_svg)) >= 25
        labels = [re.findall(r'<text class="bar-label"[^>]*>([^<]*)</text>', body) for body in drawn.split("</svg>")[:-1]]
        assert [len(names) for names in labels] == [25, 25, 25, 25]
        assert [name for names in labels for name in names][:3] == ["线索收集0", "线索筛选1", "初次接触2"]
        assert len({name for names in labels for name in names}) == 100
        # Each printed part says, a line a bar, what its drawn part says.
        assert [[label for label, _figure in lines] for lines in printed_parts] == labels
        assert [lines for lines in printed_parts] == [drawn_bars(body) for body in drawn.split("</svg>")[:-1]]


def test_the_printed_bar_charts_say_what_the_drawn_ones_say(tmp_path: Path) -> None:
    part = section(handbook(tmp_path, SAAS, "--lang", "zh"))
    drawn = re.findall(r'<div class="bars-screen">(.*?)</div><!--/screen-only-->', part, re.S)
    printed = printed_bars(part)
    assert len(drawn) == len(printed) == 2
    for screen_chart, printed_chart in zip(drawn, printed):
        assert [bar for lines in printed_chart for bar in lines] == drawn_bars(screen_chart)
    # No text is left in the printed SVGs: a PDF sets an SVG's text letter by letter.
    print_forms = re.findall(r'<div class="print-only bars-print">(.*?)</div></figure>', part, re.S)
    assert print_forms and not any("<text" in form for form in print_forms)
    # Each bar prints where the screen draws it, in its paint (one path a paint, see the long chart's test).
    for screen_chart, print_form in zip(drawn, print_forms, strict=True):
        assert printed_bars_drawn(print_form) == screen_bars(screen_chart) != []


def test_a_long_label_prints_cut_to_its_column_on_one_line(tmp_path: Path) -> None:
    from salesflow.textwidth import display_width

    chart = tmp_path / "long-label.flow"
    long_label = "与客户一起梳理现有流程中的全部痛点并排定优先级"
    chart.write_text(f"flowchart LR\n  A([线索]) --> B[{long_label}] --> C([成交])\n"
                     "  A@{ owner: 销售, due: 2d }\n  B@{ owner: 销售, due: 3d }\n", "utf-8")
    printed = printed_bars(section(handbook(tmp_path, chart)))
    labels = [label for chart_parts in printed for lines in chart_parts for label, _figure in lines]
    # At 12 units a character the label column (182 units) holds 26 columns: a longer label is
    # cut there, so that its line cannot wrap and push the labels below off their bars.
    assert "与客户一起梳理现有流程中…" in labels
    assert all(display_width(label) <= 26 for label in labels)


def test_the_printed_figures_and_labels_stand_where_the_drawing_puts_its_text(tmp_path: Path, weasyprint) -> None:
    """In the PDF each funnel figure starts at the drawing's figure column and each label ends 8
    units before the bars (the drawing is 790 units across the 178 mm between A4's margins), each
    figure on its label's line."""
    import subprocess
    import xml.etree.ElementTree as ET

    from conftest import require_binary

    from salesflow.handbook.pdf import html_to_pdf

    page = handbook(tmp_path, SAAS, "--lang", "zh")
    (bars,) = printed_bars(section(page))[:1]
    pdf = tmp_path / "handbook.pdf"
    pdf.write_bytes(html_to_pdf(page))
    bbox = subprocess.run([require_binary("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    words = [(word.text, *(float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
             for pdf_page in ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", bbox)).iter("{http://www.w3.org/1999/xhtml}page")
             if any((w.text or "").startswith("各阶段到达的线索") for w in pdf_page.iter("{http://www.w3.org/1999/xhtml}word"))
             for word in pdf_page.iter("{http://www.w3.org/1999/xhtml}word")]
    mm = 72 / 25.4
    unit = 178 * mm / 790
    figures_at, labels_end = 16 * mm + (190 + 528) * unit, 16 * mm + (190 - 8) * unit
    lines = [(label, figure) for lines in bars for label, figure in lines]
    assert len(lines) > 5
    for label, figure in lines:
        figure_words = [w for w in words if w[0] == figure and abs(w[1] - figures_at) < 0.5]
        label_words = [w for w in words if w[0] and label.endswith(w[0]) and abs(w[3] - labels_end) < 1]
        assert any(abs(f[4] - w[4]) < 0.5 for f in figure_words for w in label_words), (label, figure)
