"""The geometry checker over generated charts of another seed than tests/generated_charts.py's own,
to find the defects the tuned charts do not show. A few layout changes have since been measured on
the default seed too: a seed of your own gives charts nothing was tuned on.

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

    numbers = [int(a) for a in argv if a.isdigit()]
    count = numbers[0] if numbers else OTHER_COUNT
    seed = numbers[1] if len(numbers) > 1 else OTHER_SEED
    return generated_charts.print_counts(count, seed, verbose="-v" in argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
