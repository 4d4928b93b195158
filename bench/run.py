"""All benchmarks, one command: `python bench/run.py [name...]` (or `make bench`).

Runs every bench/bench_*.py module's `main()` in name order, or those whose name contains one
of the names given (`python bench/run.py ratios render`); each prints its own table.
Times are medians of several runs on this machine; peak memory is tracemalloc's peak of Python
allocations during one run.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    if {"-h", "--help"} & set(sys.argv[1:]):
        print(__doc__.strip())
        return
    sys.path.insert(0, str(HERE))
    only = sys.argv[1:]
    for path in sorted(HERE.glob("bench_*.py")):
        if only and not any(word in path.stem for word in only):
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n## {path.stem[len('bench_'):]}")
        module.main()


if __name__ == "__main__":
    main()
