"""The layout corpus, drawn every way a user can draw it, and its defects counted.

Run as a script to print the defect counts per category (and with `-v`, every defect):

    python tests/layout_corpus.py [-v] [--only NAME]

The corpus: the charts in tests/cases/layout/ (written the way sales managers write them) and
the samples. Each is drawn in its own direction and flipped (LR ↔ TD), plain and with the
linter's findings highlighted (`render --highlight`).
"""

from __future__ import annotations

import functools
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator, NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "cases" / "layout"
SAMPLES = ROOT / "samples"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from geometry import CATEGORIES, Report, check_chart  # noqa: E402

VARIANTS = (("own", False), ("flipped", False), ("own", True), ("flipped", True))


class Chart(NamedTuple):
    name: str
    path: str
    text: str


def charts() -> list[Chart]:
    from salesflow.sources import charts_in

    found = [Chart(p.stem, str(p), p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.flow"))]
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in (".flow", ".md"):
            for chart in charts_in(str(path)):
                name = "sample-" + path.stem + (f"-{chart.block}" if chart.block else "")
                found.append(Chart(name, str(path), chart.text))
    return found


@functools.lru_cache(maxsize=None)  # a test run measures each drawing once, whichever tests read it
def measure(chart: Chart, direction: str, highlight: bool) -> Report:
    from salesflow.lint import lint
    from salesflow.parse import parse_text

    process = parse_text(chart.text, chart.path)
    findings = lint(process, source=chart.text) if highlight else ()
    return check_chart(process, flip=direction == "flipped", findings=findings)


def measure_all(jobs: list[tuple[Chart, str, bool]], workers: int = 2) -> Iterator[tuple[Chart, str, bool, Report]]:
    with ThreadPoolExecutor(workers) as pool:  # dot runs in child processes: threads keep both cores busy
        reports = pool.map(lambda job: measure(*job), jobs)
        for job, report in zip(jobs, reports):
            yield (*job, report)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    jobs = [(c, d, h) for c in charts() if only is None or only in c.name for d, h in VARIANTS]
    totals = {category: 0 for category in CATEGORIES}
    worst_aspect = (0.0, "")
    for chart, direction, highlight, report in measure_all(jobs):
        variant = f"{chart.name} [{direction}{', highlight' if highlight else ''}]"
        for category, count in report.counts.items():
            totals[category] += count
        if report.aspect > worst_aspect[0]:
            worst_aspect = (report.aspect, variant)
        if report.total and verbose:
            print(f"{variant}: {report.total} ({report.aspect:.1f}:1)")
            for detail in report.details:
                print("    " + detail)
    print(f"{len(jobs) // len(VARIANTS)} charts × {len(VARIANTS)} variants")
    for category in CATEGORIES:
        print(f"  {category:20} {totals[category]}")
    print(f"  worst aspect ratio: {worst_aspect[0]:.1f}:1 ({worst_aspect[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
