"""Where a handbook PDF's time goes, counted so that a busy machine cannot blur it:
`python bench/pdf_cost.py [--flow FILE]` (a few minutes; not part of `bench/run.py`).

WeasyPrint is mostly Python, so the number of Python function calls it makes to print a
handbook follows its CPU time and, unlike a time, varies between runs by hundredths of a
percent. It is a stand-in, not a measure: the time pango spends shaping text is not counted.
The handbook is printed whole, then once with each part left out by a print-only
rule added to its stylesheet, and the calls each part costs are printed: a section, the
contents page's numbers (laid out with the pages three times, see handbook-print.css), the
page headers and footers. A part that costs most is the next one to make lighter.

The default chart is the generated 100-node chart of `bench/bench_ratios.py`'s PDF ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# What is left out to find each part's cost: a print-only rule that hides it.
PARTS = {
    "contents page numbers": "@media print { .toc a::before { content: none } }",
    "page headers and footers": "@page { @top-left { content: none } @top-right { content: none } "
                                "@bottom-center { content: none } }",
    **{f"section {name}": f"@media print {{ .section-{name} {{ display: none }} }}"
       for name in ("chart", "stages", "roles", "handovers", "deadlines", "numbers", "health")},
}


def _calls(html: str, extra_rule: str = "") -> int:
    """Python calls to print `html` (with `extra_rule` at the end of its first stylesheet)."""
    from salesflow.handbook import pdf

    if extra_rule:
        html = html.replace("</style>", extra_rule + "</style>", 1)
    gc.collect()
    profile = cProfile.Profile()
    profile.enable()
    pdf.html_to_pdf(html)
    profile.disable()
    return pstats.Stats(profile).total_calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flow", help="a process file (default: the generated 100-node chart)")
    options = parser.parse_args()
    from generate import chart

    from salesflow.handbook import handbook_html
    from salesflow.parse import parse_file, parse_text

    process = parse_file(options.flow) if options.flow else parse_text(chart(100))
    html = handbook_html(process, date="2026-01-01")
    _calls(html)  # the first print also loads the faces and the rest of WeasyPrint: not counted
    whole = _calls(html)
    print(f"whole handbook: {whole:,} calls")
    for name, rule in PARTS.items():
        without = _calls(html, rule)
        print(f"  {name:<28} {whole - without:>10,} calls  {100 * (whole - without) / whole:5.1f} %")


if __name__ == "__main__":
    main()
