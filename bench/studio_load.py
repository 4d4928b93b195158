"""A bounded load test of the studio: `python bench/studio_load.py [--clients 20] [--seconds 30]`.

Not part of `make bench` (it takes about a minute). It starts a real `salesflow serve` on
loopback over a folder of charts and measures what an author waits for: the time from sending a
draft to having its chart and review back ("update latency").

1. A 200-node chart, edited by one author: the end-to-end update time, median of 10 edits.
2. N authors (20 by default), each editing a different file of the folder for S seconds: each
   changes a stage label, sends the draft, waits for the chart, pauses for the editor's 300 ms
   settle time and goes on; every tenth edit is saved. Prints p50/p95/max latency, the edits
   reviewed and any failures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

from generate import chart  # noqa: E402
from studio_server import Studio  # noqa: E402

SETTLE_SECONDS = 0.3  # the page sends a draft 300 ms after the last keystroke


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def edit(studio: Studio, path: str, text: str) -> float:
    started = time.perf_counter()
    status, body = studio.request("POST", "/api/review", {"path": path, "text": text})
    elapsed = time.perf_counter() - started
    result = json.loads(body)
    if status != 200 or result.get("errors") or not result.get("svg"):
        raise RuntimeError(f"{path}: {status} {body[:200]}")
    return elapsed


def large_chart(folder: Path) -> None:
    text = chart(200)
    (folder / "large.flow").write_text(text, encoding="utf-8")
    studio = Studio(folder)
    try:
        times = [edit(studio, "large.flow", text.replace("线索收集", f"线索收集{n}", 1)) for n in range(11)][1:]
    finally:
        studio.close()
    print(f"200-node chart, one author: median update {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms ({len(times)} edits)")


def many_authors(folder: Path, clients: int, seconds: float) -> None:
    samples = sorted((ROOT / "samples").glob("*.flow"))
    names = []
    for number in range(clients):
        name = f"chart-{number:02d}.flow"
        shutil.copy(samples[number % len(samples)], folder / name)
        names.append(name)
    studio = Studio(folder)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def author(name: str) -> None:
        text = (folder / name).read_text(encoding="utf-8")
        version = json.loads(studio.request("GET", f"/api/file?path={name}")[1])["version"]
        edits = 0
        while time.monotonic() < deadline:
            edits += 1
            draft = text + f"\n%% edit {edits}\n"
            try:
                took = edit(studio, name, draft)
                if edits % 10 == 0:
                    status, body = studio.request("POST", "/api/save", {"path": name, "text": draft, "version": version})
                    if status != 200:
                        raise RuntimeError(f"{name}: save {status} {body[:200]}")
                    version = json.loads(body)["version"]
            except Exception as exc:  # a failure is counted and reported, the others go on
                with lock:
                    failures.append(str(exc))
                continue
            with lock:
                latencies.append(took)
            time.sleep(SETTLE_SECONDS)

    threads = [threading.Thread(target=author, args=(name,)) for name in names]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    studio.close()
    print(f"{clients} authors for {seconds:.0f} s on loopback: {len(latencies)} edits reviewed "
          f"({len(latencies) / wall:.1f}/s), update latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
          f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
          f"{len(failures)} failures")
    for failure in failures[:5]:
        print("  failure:", failure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as top:
        (Path(top) / "large").mkdir()
        (Path(top) / "many").mkdir()
        large_chart(Path(top) / "large")
        many_authors(Path(top) / "many", arguments.clients, arguments.seconds)


if __name__ == "__main__":
    main()
