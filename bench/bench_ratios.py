"""The speed targets as ratios, measured side by side in one run so that a busy machine slows
both sides alike (`python bench/run.py ratios`).

- lint vs Mermaid: whole-process `salesflow lint` of a 10,000-node chart over Mermaid's own parse of
  the same file (the pinned release in tests/mermaid, warm, in one Node process). Target ≤ 0.075.
- cold start: the `salesflow lint` command of a 10-node file over `python -c pass`, both in a fresh venv
  with a regular install (see `_installed_python`), `python -m salesflow lint` beside it. Target ≤ 3.
- many files: `salesflow lint -f sarif` of 1,000 small files, one process over all CPUs. Target ≥ 1.7.
- lint per node: the rules alone (parse excluded) in µs per node at 1,000 / 10,000 / 50,000
  nodes; target flat. The 50,000-node whole process: target ≤ 3 s and peak RSS ≤ 250 MiB.
- render: `salesflow render -f svg` minus bare `dot -Tsvg` on the same DOT, the `salesflow` command of
  the same regular install as the cold start; target ≤ 100 ms (in wall time; CPU time beside it).
- PDF: the whole `salesflow handbook --pdf` command (process file to PDF) over Chromium's
  `--headless --print-to-pdf` of the HTML salesflow writes for the same file, both cold commands,
  interleaved; target ≤ 1.

A yardstick that is not installed (Node's Mermaid, Chromium) prints "-" and the reason.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import chart
from timing import command_peak, command_seconds, median_seconds, python

ROOT = Path(__file__).resolve().parent.parent
SALESFLOW = [python(), "-m", "salesflow"]


def _write(folder: str, name: str, text: str) -> str:
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def mermaid_ratio(folder: str) -> None:
    path = _write(folder, "chart-10000.flow", chart(10_000))
    ours = command_seconds([*SALESFLOW, "lint", path], repeat=5)
    theirs = None
    if shutil.which("node") and (ROOT / "tests" / "mermaid" / "node_modules" / "mermaid").is_dir():
        done = subprocess.run(
            ["node", str(ROOT / "bench" / "mermaid_parse.mjs"), path, "3"], capture_output=True, text=True, check=False
        )
        if done.returncode == 0:
            theirs = float(done.stdout)
    if theirs is None:
        print(f"lint 10,000 nodes: {ours:.3f}s; Mermaid: - (run `npm ci` in tests/mermaid)")
        return
    print(f"lint 10,000 nodes {ours:.3f}s / Mermaid's parse {theirs:.3f}s = {ours / theirs:.3f} (target ≤ 0.075)")


_installed: dict[str, tuple[str, str, list[str]]] = {}  # folder → what _install made there


def _installed_python(folder: str) -> tuple[str, str]:
    """A Python with salesflow installed as a user has it, and what it is; made once per folder,
    so that the measures taken from it in one run (cold start, render overhead) share it.

    The development venv's editable install adds an import hook that every start of that Python
    loads (pathlib and more), `python -c pass` included: it would slow both sides and make the
    ratio look better than a user's. So the cold start is measured in a venv made for the run,
    with a regular install of this checkout (bytecode written by pip) and this interpreter's own
    dependencies reached through a plain path entry, which costs nothing at start-up.
    """
    if folder not in _installed:
        _installed[folder] = _install(folder)
    return _installed[folder][:2]


def _installed_command(folder: str) -> list[str]:
    """The `salesflow` command of that install (bin/salesflow, run by the venv's Python as its
    first line would have it), or `python -m salesflow` where there is none."""
    _installed_python(folder)
    return _installed[folder][2]


def _install(folder: str) -> tuple[str, str, list[str]]:
    venv = os.path.join(folder, "venv")
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, capture_output=True)
        venv_python = os.path.join(venv, "bin", "python")
        site = subprocess.run(
            [venv_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
             "--target", site, str(ROOT)],
            check=True, capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        return sys.executable, f"this Python (a regular install failed: {exc})", [sys.executable, "-m", "salesflow"]
    dependencies = [entry for entry in sys.path if os.path.basename(entry) in ("site-packages", "dist-packages")]
    with open(os.path.join(site, "dependencies.pth"), "w", encoding="utf-8") as handle:
        handle.write("".join(entry + "\n" for entry in dependencies))
    # pip --target puts the command in the target's bin/, its first line naming pip's own Python.
    command = os.path.join(site, "bin", "salesflow")
    return venv_python, "a regular install in a fresh venv", [venv_python, command] if os.path.isfile(command) else [venv_python, "-m", "salesflow"]


def cold_start(folder: str) -> None:
    small = _write(folder, "small.flow", chart(10))
    interpreter, where = _installed_python(folder)
    commands = {
        "lint": [*_installed_command(folder), "lint", small],
        "bare": [interpreter, "-c", "pass"],
        "click": [interpreter, "-c", "import click"],
        "module": [interpreter, "-m", "salesflow", "lint", small],
    }
    # Once first, as a user's first run after installing: it keeps the compiled patterns beside the
    # bytecode (salesflow/pycache.py) for the runs that follow.
    subprocess.run(
        commands["lint"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder, check=False, env=_as_a_user(),
    )
    # Interleaved, so that load on the machine weighs on all alike; wall time is the target's
    # measure, CPU time (user + system) the steadier one on a busy machine.
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(15):
        for name, args in commands.items():
            start = time.perf_counter()
            # In the temporary folder: `-m` puts the working directory first on the path, and a
            # checkout's salesflow/ there would be run instead of the installed one.
            child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
            _pid, _status, usage = os.wait4(child.pid, 0)
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(usage.ru_utime + usage.ru_stime)
    a, b, c, m = (statistics.median(wall[name]) for name in ("lint", "bare", "click", "module"))
    a_cpu, b_cpu, c_cpu, m_cpu = (statistics.median(cpu[name]) for name in ("lint", "bare", "click", "module"))
    print(f"cold lint of 10 nodes {a * 1000:.0f} ms / `python -c pass` {b * 1000:.0f} ms = {a / b:.2f} (target ≤ 3); "
          f"CPU {a_cpu * 1000:.0f} / {b_cpu * 1000:.0f} ms = {a_cpu / b_cpu:.2f}; `python -m salesflow lint` "
          f"{m / b:.2f} ({m_cpu / b_cpu:.2f} CPU); `import click` alone {c / b:.1f} ({c_cpu / b_cpu:.1f} CPU); {where}")


def many_files(folder: str) -> None:
    files = os.path.join(folder, "many")
    os.mkdir(files)
    for number in range(1_000):
        _write(files, f"process-{number:04}.flow", chart(8 + number % 25))
    # The same command with the process pool switched off, interleaved with the real one.
    serial_cli = "import sys, salesflow.lint.runner as r; r.PARALLEL_FROM_FILES = 10**9; from salesflow.cli import main; main()"
    # Wall time is the target's measure; CPU time (all processes, user + system) shows what
    # sharing costs, and is steadier on a busy machine.
    runs: dict[str, list[tuple[float, float]]] = {"one": [], "pooled": []}
    # Wall time on two CPUs is only the code's when nothing else runs: the load average before
    # and after says whether it was.
    load_before = os.getloadavg()[0]
    for _ in range(5):
        for name, args in (("one", [python(), "-c", serial_cli]), ("pooled", SALESFLOW)):
            start = time.perf_counter()
            child = subprocess.Popen([*args, "lint", "-f", "sarif", files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _pid, _status, usage = os.wait4(child.pid, 0)
            runs[name].append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime))
    a, a_cpu = (statistics.median(run[i] for run in runs["one"]) for i in (0, 1))
    b, b_cpu = (statistics.median(run[i] for run in runs["pooled"]) for i in (0, 1))
    print(f"lint of 1,000 small files: one process {a:.2f}s / {os.cpu_count()} CPUs {b:.2f}s = {a / b:.2f}x (target ≥ 1.7x); "
          f"CPU {a_cpu:.2f}s / {b_cpu:.2f}s; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")


def per_node(folder: str) -> None:
    from salesflow.lint import lint
    from salesflow.parse import parse_text

    cells = []
    for nodes, repeat in ((1_000, 5), (10_000, 3), (50_000, 3)):
        text = chart(nodes)
        process = parse_text(text)
        cells.append(f"{nodes:,}: {median_seconds(lambda: lint(process, source=text), repeat) / nodes * 1e6:.1f}")
    print("lint alone, µs per node at " + ", ".join(cells) + " (target: flat)")
    path = _write(folder, "chart-50000.flow", chart(50_000))
    runs = [command_peak([*SALESFLOW, "lint", path]) for _ in range(3)]
    seconds = statistics.median(run[0] for run in runs)
    peak = max(run[2] for run in runs)
    print(f"whole `salesflow lint` of 50,000 nodes: {seconds:.2f}s (target ≤ 3), peak RSS {peak:.0f} MiB (target ≤ 250)")


def render_overhead(folder: str) -> None:
    # salesflow as a user runs it: the `salesflow` command of the regular install the cold start
    # is measured with (the development venv's editable install would add its import hook to
    # every start, and `python -m` loads runpy, importlib.util and contextlib, 3 ms, first).
    _interpreter, where = _installed_python(folder)
    salesflow = _installed_command(folder)
    cells = []
    for nodes in (50, 200, 1_000, 2_000):
        source = _write(folder, f"render-{nodes}.flow", chart(nodes))
        dot_file = os.path.join(folder, f"render-{nodes}.dot")
        # In the temporary folder, as the cold start runs: where there is no command, `-m` would
        # otherwise find a checkout's salesflow/ in the working directory before the installed one.
        # The first run of each size also keeps the patterns it compiles, as a user's would.
        subprocess.run([*salesflow, "render", "-f", "dot", source, "-o", dot_file], check=True, cwd=folder, env=_as_a_user())
        repeat = 9 if nodes <= 200 else 7  # medians of enough runs to hold still on a busy machine
        # Interleaved; wall time is the target's measure, CPU time (user + system, dot's
        # included: it is the command's child) the steadier one on a busy machine.
        ours, bare = [], []
        for _ in range(repeat):
            ours.append(_wall_and_cpu([*salesflow, "render", "-f", "svg", source, "-o", dot_file + ".svg"], folder))
            bare.append(_wall_and_cpu(["dot", "-Tsvg", dot_file, "-o", dot_file + ".bare.svg"], folder))
        extra, extra_cpu = (statistics.median(run[i] for run in ours) - statistics.median(run[i] for run in bare) for i in (0, 1))
        dot_wall = statistics.median(run[0] for run in bare)
        cells.append(f"{nodes:,}: {extra * 1000:+.0f} ms (dot {dot_wall:.2f}s; CPU {extra_cpu * 1000:+.0f} ms)")
    print("render -f svg minus bare dot, at " + "; ".join(cells) + f" (target ≤ 100 ms); {where}")


def _as_a_user() -> dict[str, str]:
    """The environment without PYTHONDONTWRITEBYTECODE: set in a development shell, it would keep
    the first run from writing what later runs read (salesflow/pycache.py), and every measured run
    would compile its patterns again, as no user's does."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _wall_and_cpu(args: list[str], cwd: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, its children's included) of one run of a command."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _pid, _status, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def pdf_ratio(folder: str) -> None:
    """Both PDFs the way a user makes them, each a whole command from a cold start: `salesflow
    handbook --pdf` from the process file (reading, linting, drawing, the HTML and WeasyPrint's
    layout) against Chromium printing the HTML that salesflow writes for the same file."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        print("handbook PDF: - (install salesflow[pdf])")
        return
    cases = [("ten-stage sample", str(ROOT / "samples" / "annotated-ten-stages.flow"), 5),
             ("100-node chart", _write(folder, "handbook-100.flow", chart(100)), 3)]
    for name, source, repeat in cases:
        html_path = os.path.join(folder, "handbook.html")
        subprocess.run([*SALESFLOW, "handbook", source, "-o", html_path], check=True, stderr=subprocess.DEVNULL)
        ours_command = [*SALESFLOW, "handbook", source, "--pdf", os.path.join(folder, "handbook.pdf")]
        if not browser:
            ours = command_seconds(ours_command, repeat=repeat)
            print(f"handbook PDF, {name}: salesflow {ours:.2f}s; Chromium: - (not installed)")
            continue
        theirs_command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                          f"--print-to-pdf={os.path.join(folder, 'chromium.pdf')}", Path(html_path).as_uri()]
        # Interleaved, so that load on the machine weighs on both sides alike.
        ours_runs, theirs_runs = [], []
        for _ in range(repeat):
            ours_runs.append(command_seconds(ours_command, repeat=1))
            theirs_runs.append(command_seconds(theirs_command, repeat=1))
        ours, theirs = statistics.median(ours_runs), statistics.median(theirs_runs)
        print(f"handbook PDF, {name}: `salesflow handbook --pdf` {ours:.2f}s / Chromium's print of the HTML "
              f"{theirs:.2f}s = {ours / theirs:.2f} (target ≤ 1)")


def main() -> None:
    # Commands start as they do for a user: with the bytecode pip writes at install (or Python
    # writes on first run), not recompiling every module each time.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # `python bench/bench_ratios.py pdf_ratio` runs only the parts named.
    parts = (cold_start, mermaid_ratio, many_files, per_node, render_overhead, pdf_ratio)
    named = [part for part in parts if part.__name__ in sys.argv[1:]] if __name__ == "__main__" else []
    with tempfile.TemporaryDirectory() as folder:
        for part in named or parts:
            part(folder)
            sys.stdout.flush()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
