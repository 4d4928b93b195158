"""The geometry checker over generated charts of another seed than tests/generated_charts.py's own:
charts no layout change was measured on, to find the defects the tuned charts do not show.

    python tests/generated_other_seed.py [COUNT [SEED]] [-v]

COUNT defaults to 300, SEED to 777001; the four variants (own direction and flipped, plain and
highlighted) are drawn as `render` draws them (generated_charts.drawings). `-v`: every defect, by
chart. Nothing here is a baseline: tests/test_layout.py holds the counts of the module's own seed.
"""

from __future__ import annotations

import sys

OTHER_COUNT = 300
OTHER_SEED = 777001


def main(argv: list[str]) -> int:
    import generated_charts
    from geometry import CATEGORIES

    numbers = [int(a) for a in argv if a.isdigit()]
    count = numbers[0] if numbers else OTHER_COUNT
    seed = numbers[1] if len(numbers) > 1 else OTHER_SEED
    generated = generated_charts.charts(count, seed)
    totals = {category: 0 for category in CATEGORIES}
    failed, unbanded = [], []
    for flip, highlight in generated_charts.VARIANTS:
        for drawing in generated_charts.drawings(generated, flip=flip, highlight=highlight):
            name = f"{drawing.chart.name} {drawing.variant}".strip()
            if drawing.report is None:
                failed.append(name)
                continue
            if not drawing.banded:
                unbanded.append(name)
            for category, number in drawing.report.counts.items():
                totals[category] += number
            if drawing.report.total and "-v" in argv:
                print(f"{name}: {drawing.report.aspect:.1f}:1")
                for detail in drawing.report.details:
                    print("    " + detail)
    print(f"{count} charts of seed {seed} × {len(generated_charts.VARIANTS)} variants (own, flipped; plain, highlighted)")
    for category in CATEGORIES:
        print(f"  {category:20} {totals[category]}")
    print(f"  dot failed on: {', '.join(failed) or 'none'}")
    print(f"  drawn without lane bands: {', '.join(unbanded) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
