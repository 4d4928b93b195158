"""Analytics: `analyze` of a large chart, and `conform` of large stage-history logs.

The logs are simulated from samples/saas-funnel.flow (`salesflow simulate`), about 2.8 events
per case, written once into a temporary folder. `conform` runs as a whole command (start-up,
DuckDB reading the CSV, every figure, the JSON report); its peak memory is the child process's
maximum resident set. Set SALESFLOW_BENCH_EVENTS to other sizes (comma-separated), e.g.
`10000000` — generating that log takes about a minute.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from generate import chain_with_rework
from timing import command_peak, median_seconds

from salesflow.analytics.expectation import analyze
from salesflow.analytics.flow import Chain
from salesflow.analytics.simulation import write_log
from salesflow.parse import parse_file, parse_text

ROOT = Path(__file__).resolve().parent.parent
FUNNEL = ROOT / "samples" / "saas-funnel.flow"
EVENTS_PER_CASE = 2.77


def write_events(path: Path, events: int) -> int:
    chain = Chain(parse_file(str(FUNNEL)))
    cases = int(events / EVENTS_PER_CASE)
    with path.open("w", encoding="utf-8") as handle:
        # In slices, so the log never has to be held as one string.
        step = 200_000
        for first in range(0, cases, step):
            text = write_log(chain, min(step, cases - first), seed=first)
            handle.write(text if first == 0 else text.split("\n", 1)[1])
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def conform_run(log: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (both threads together; the fairer figure on a busy machine), peak MiB."""
    return command_peak([sys.executable, "-m", "salesflow", "conform", str(FUNNEL), str(log), "-f", "json", "-o",
                         os.devnull])


def main() -> None:
    print(f"{'analyze':<34} {'stages':>8} {'median':>9}")
    for stages in (16, 200, 1000):
        process = parse_text(chain_with_rework(stages))
        print(f"{'generated chain with loops':<34} {stages:>8,} {median_seconds(lambda: analyze(process), 5):>8.3f}s")

    sizes = [int(s) for s in os.environ.get("SALESFLOW_BENCH_EVENTS", "1000000,2000000").split(",")]
    print(f"\n{'conform (whole command)':<34} {'events':>12} {'median':>9} {'CPU':>9} {'peak RSS':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for size in sorted(sizes):
            log = Path(folder) / f"log-{size}.csv"
            events = write_events(log, size)
            runs = [conform_run(log) for _ in range(3 if size <= 2_000_000 else 1)]
            seconds = sorted(r[0] for r in runs)[len(runs) // 2]
            cpu = sorted(r[1] for r in runs)[len(runs) // 2]
            peak = max(r[2] for r in runs)
            print(f"{'saas-funnel, simulated':<34} {events:>12,} {seconds:>8.2f}s {cpu:>8.2f}s {peak:>8.0f} MiB")
            log.unlink()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
