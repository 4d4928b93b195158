"""The handbook: building the HTML (lint, chart, templates) and printing the PDF.

The chart is drawn by Graphviz and the PDF laid out by WeasyPrint, so those two columns are
mostly their time; the templates column is salesflow's own share. Sizes are of the HTML file.
"""

from __future__ import annotations

from pathlib import Path

from generate import chart
from timing import median_seconds

from salesflow.handbook.chart import chart as draw
from salesflow.handbook.render import process_title, render_html
from salesflow.lint import lint
from salesflow.parse import parse_file, parse_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _row(name: str, process, pdf: bool) -> None:
    findings = lint(process)
    drawing = draw(process, process_title(process))
    chart_s = median_seconds(lambda: draw(process, process_title(process)), 3)
    html = render_html(process, drawing, findings, date="2026-01-01")
    templates_s = median_seconds(lambda: render_html(process, drawing, findings, date="2026-01-01"), 3)
    pdf_cell = "-"
    if pdf:
        from salesflow.handbook.pdf import html_to_pdf

        pdf_cell = f"{median_seconds(lambda: html_to_pdf(html), 1):.2f}s"
    size = len(html.encode("utf-8")) / 1024
    print(f"{name:<28} {len(process.nodes):>6,} {chart_s:>8.2f}s {templates_s:>10.3f}s {pdf_cell:>8} {size:>8.0f} KiB")


def main() -> None:
    print(f"{'chart':<28} {'nodes':>6} {'drawing':>9} {'templates':>11} {'pdf':>8} {'html':>12}")
    for path in sorted(SAMPLES.glob("*.flow")):
        _row(path.stem, parse_file(str(path)), pdf=True)
    for nodes in (100, 1_000):
        _row(f"generated, {nodes:,} nodes", parse_text(chart(nodes)), pdf=nodes <= 100)


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
