"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
import tracemalloc
from typing import Callable


def median_seconds(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mib(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


def command_seconds(args: list[str], repeat: int = 5, stdin: bytes | None = None, cwd: str | None = None) -> float:
    """Median wall time of a whole command, start-up included (a cold CLI), run in `cwd` if given."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def python() -> str:
    return sys.executable


# Runs the command it is given and prints the command's wall seconds, CPU seconds and peak resident
# memory (KiB). A child's `ru_maxrss` counts the memory of the process it was started from, as it was
# when the child replaced it with the command (Linux records the old image's peak at exec): started
# straight from a benchmark that holds a 50,000-node chart, a small command would be charged for the
# benchmark's hundreds of MiB. This launcher is a bare Python of a few MiB.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_pid, _status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def command_peak(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (MiB) of one run of a
    command, measured from a small process of its own (see _LAUNCHER)."""
    done = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, *args], capture_output=True, text=True, check=True)
    wall, cpu, peak_kib = (float(part) for part in done.stdout.split())
    return wall, cpu, peak_kib / 1024
