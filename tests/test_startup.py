"""A short command starts fast: it imports what its work needs and nothing more.

Every module a command imports is paid on every run, before any work is done: `salesflow lint`
of a small chart should cost a few times `python -c pass`, not ten. These tests list the modules
a real run leaves in `sys.modules` (`-X importtime` misses those loaded with `import_module`)
and check that the heavy ones a run does not need stay out; each also checks that the module
does come in once the run needs it, so that the test cannot pass by looking in the wrong place.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# A chart without front matter, with one-line node data, as most charts are written.
CHART = """flowchart LR
  A([线索]) --> B[初次接触]@{ owner: 销售代表, due: 2个工作日 }
  B --> C{有需求?}@{ owner: 销售经理, due: 1d }
  C -->|是| D[报价]@{ owner: 销售经理, due: 3天 }
  C -->|否| A
  D --> E([成交])
"""

# What a lint run of a single small chart never needs: the process pool (a run of many files
# loads it), YAML (front matter and multi-line node data), TOML (a configuration file), the
# drawing and handbook libraries, what only error messages or other commands use, and
# importlib.resources (with pathlib, tempfile and zipfile), which reading the grammar does without;
# click, which a plain lint of files does without (salesflow/cli/fast_lint.py), and dataclasses
# (with inspect and ast), which only asking a record for its dataclass fields loads; typing,
# which only the type checker reads (about a tenth of a short lint); `re` and the enum module it
# loads (as much again), which a run whose patterns are kept does without (salesflow/regex_cache.py);
# datetime, which only a review date given as one (`lint --date`, the API's `today`) needs;
# functools and contextlib with the collections package they load (a tenth of a short lint),
# whose caches and blocks salesflow/memo.py and a few classes stand in for, and importlib with
# warnings, which importing a module by its name does without.
NOT_FOR_A_SMALL_LINT = (
    "salesflow.lint.pool", "multiprocessing", "concurrent.futures", "socket", "yaml", "tomllib", "graphviz", "jinja2",
    "difflib", "decimal", "salesflow.render.dot", "salesflow.handbook", "importlib.resources", "tempfile",
    "zipfile", "click", "dataclasses", "inspect", "ast", "typing", "re", "enum",
    "datetime", "functools", "contextlib", "collections", "importlib", "warnings",
)


def _modules_after(
    args: list[str], cwd: Path, python: str = sys.executable
) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules loaded by the end of `salesflow ARGS`, run as a user runs it, in `cwd`."""
    # Listed at exit: a command ends its process itself once it is done (salesflow/__main__.py),
    # after the functions registered to run at exit. Started as the `salesflow` command starts
    # (bin/salesflow), not through runpy, which `python -m` loads with functools and contextlib.
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules))))\n"
        f"sys.argv = ['salesflow', *{args!r}]\n"
        "from salesflow.__main__ import main\n"
        "sys.exit(main())\n"
    )
    # As a user's Python does, bytecode and what salesflow keeps beside it (its compiled patterns,
    # salesflow/regex_cache.py) are written, here in a folder of the test's own.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    command = [python, "-X", f"pycache_prefix={cwd / 'pycache'}", "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env)
    modules = set(done.stderr.rpartition("\nMODULES ")[2].split())
    assert "salesflow.cli" in modules, done.stderr[-2000:]
    return modules, done


def _loaded(modules: set[str], name: str) -> bool:
    return any(module == name or module.startswith(name + ".") for module in modules)


def test_lint_of_a_small_chart_loads_only_what_it_needs(tmp_path: Path) -> None:
    chart = tmp_path / "process.flow"
    chart.write_text(CHART, encoding="utf-8")
    # A project that names salesflow without configuring it: no configuration to read.
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "sales-charts"\ndescription = "charts reviewed by salesflow"\n'
        'dependencies = ["salesflow>=0.1"]\n', encoding="utf-8",
    )
    assert_small_lint_loads_only_what_it_needs(chart, sys.executable)


def assert_small_lint_loads_only_what_it_needs(chart: Path, python: str) -> None:
    """The check above, for salesflow as `python` has it (tests/test_install.py: a regular install)."""
    _modules_after(["lint", "--select", "ALL", str(chart)], chart.parent, python)  # a first run keeps its patterns
    modules, done = _modules_after(["lint", "--select", "ALL", str(chart)], chart.parent, python)
    assert "[missing-kpi]" in done.stdout, done.stdout  # the review itself ran, every rule of it
    # What the interpreter loads before salesflow does is not salesflow's (a development install's
    # import hook loads `re` at every start); a regular install loads none of these at start.
    at_start = subprocess.run(
        [python, "-c", "import sys; print(' '.join(sys.modules))"], capture_output=True, text=True, check=True
    ).stdout.split()
    loaded = [name for name in NOT_FOR_A_SMALL_LINT if _loaded(modules, name) and not _loaded(set(at_start), name)]
    assert loaded == [], f"a lint of one small chart imported {loaded}"


def test_simple_front_matter_is_read_without_yaml(tmp_path: Path) -> None:
    # Front matter as charts write it: `key: value` lines and lists (tests/test_simple_yaml.py).
    chart = tmp_path / "process.flow"
    chart.write_text(
        "---\ntitle: 销售流程\ntarget: 3周\ngoals:\n  - 2027年底前成交率提升 10%\nroles: [销售代表, 市场专员]\n---\n" + CHART,
        encoding="utf-8",
    )
    modules, done = _modules_after(["lint", "--select", "ALL", str(chart)], tmp_path)
    # The roster was read, at its place: 市场专员 owns nothing, 销售经理 is not in it.
    assert "process.flow:6:15:" in done.stdout and "[unused-role]" in done.stdout, done.stdout
    assert "[unknown-owner]" in done.stdout, done.stdout
    assert not _loaded(modules, "yaml")
    # The goal's date was read and judged against today, as days, not datetime's dates.
    modules, done = _modules_after(["lint", "--select", "goal-date-passed", str(chart)], tmp_path)
    assert done.returncode == 0 and not _loaded(modules, "datetime"), done.stdout
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(60 * 60 * 24 * 366 * 60)}  # in 2030
    done = subprocess.run([sys.executable, "-m", "salesflow", "lint", "--select", "goal-date-passed", str(chart)],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert "was due by 2027-12-31, which has passed (as of 2030-" in done.stdout, done.stdout


def test_the_same_run_loads_them_once_it_needs_them(tmp_path: Path) -> None:
    # A configuration file brings TOML in; front matter that is more than `key: value` lines
    # brings YAML in; a mistyped rule name, the "did you mean" search. The checks above would
    # see each of them.
    (tmp_path / ".salesflow.toml").write_text('[rules]\nmissing-kpi = "warning"\n', encoding="utf-8")
    chart = tmp_path / "process.flow"
    chart.write_text("---\ntitle: 销售流程\nconfig:\n  theme: base\n---\n" + CHART, encoding="utf-8")
    modules, done = _modules_after(["lint", str(chart)], tmp_path)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert _loaded(modules, "tomllib") and _loaded(modules, "yaml")
    modules, done = _modules_after(["lint", "--select", "missing-ownr", str(chart)], tmp_path)
    assert "did you mean" in done.stderr and _loaded(modules, "difflib")
    # Colours are click's; a record asked for its dataclass fields (fmt compares them) loads dataclasses.
    modules, done = _modules_after(["lint", "--color", "always", str(chart)], tmp_path)
    assert "\x1b[" in done.stdout and _loaded(modules, "click") and _loaded(modules, "typing")
    assert _loaded(modules, "functools") and _loaded(modules, "contextlib")
    modules, done = _modules_after(["fmt", str(chart)], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _loaded(modules, "dataclasses")


def test_a_drawing_of_a_small_chart_loads_only_what_it_needs(tmp_path: Path, monkeypatch) -> None:
    # `render -f svg` runs without click (salesflow/cli/fast_render.py), and its named tuples are
    # written as classes: typing (whose NamedTuple compiled each field's annotation, about a
    # tenth of drawing a small chart besides dot's own work) and dataclasses stay out. dot is
    # started without subprocess (salesflow/render/graphviz_child.py): subprocess, threading,
    # signal, selectors and locale, with the re and enum modules locale loads, were a fifth of
    # drawing a 50-stage chart. Without threading the process also ends itself (__main__.py).
    # The findings module comes in with --highlight only.
    chart = tmp_path / "process.flow"
    chart.write_text(CHART, encoding="utf-8")
    _modules_after(["render", "-f", "svg", str(chart), "-o", str(tmp_path / "first.svg")], tmp_path)
    modules, done = _modules_after(["render", "-f", "svg", str(chart), "-o", str(tmp_path / "process.svg")], tmp_path)
    assert done.returncode == 0 and (tmp_path / "process.svg").read_bytes().startswith(b"<?xml"), done.stderr[-2000:]
    assert _loaded(modules, "salesflow.render.dot") and _loaded(modules, "salesflow.render.graphviz_child")
    not_needed = (
        "click", "typing", "dataclasses", "inspect", "graphviz", "yaml", "subprocess", "threading", "signal",
        "selectors", "locale", "re", "enum", "salesflow.findings",
    )
    # As for a lint: what the interpreter loads before salesflow does is not salesflow's.
    at_start = subprocess.run(
        [sys.executable, "-c", "import sys; print(' '.join(sys.modules))"], capture_output=True, text=True, check=True
    ).stdout.split()
    loaded = [name for name in not_needed if _loaded(modules, name) and not _loaded(set(at_start), name)]
    assert loaded == [], f"a drawing of one small chart imported {loaded}"
    # A PDF's date is fixed with a pattern, and Graphviz's failures are told apart by subprocess's
    # exceptions: each comes in when it is needed.
    modules, done = _modules_after(["render", "-f", "pdf", str(chart), "-o", str(tmp_path / "process.pdf")], tmp_path)
    assert done.returncode == 0 and (tmp_path / "process.pdf").read_bytes().startswith(b"%PDF"), done.stderr[-2000:]
    assert _loaded(modules, "re") or _loaded(set(at_start), "re")
    (tmp_path / "dot").write_text("#!/bin/sh\ncat > /dev/null; echo 'Error: syntax error in line 1' >&2; exit 1\n")
    (tmp_path / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    modules, done = _modules_after(["render", "-f", "svg", str(chart), "-o", str(tmp_path / "failed.svg")], tmp_path)
    assert done.returncode != 0 and "syntax error in line 1" in done.stderr and _loaded(modules, "subprocess")


def test_help_loads_no_command(tmp_path: Path) -> None:
    modules, done = _modules_after(["--help"], tmp_path)
    assert "lint" in done.stdout
    assert not [name for name in modules if name.startswith(("salesflow.lint", "salesflow.parse", "salesflow.model"))]


def test_many_files_still_share_the_work(tmp_path: Path) -> None:
    # The pool is imported only when the run is large enough to use it, and then it is used.
    for number in range(70):
        (tmp_path / f"p{number:02}.flow").write_text(CHART, encoding="utf-8")
    modules, done = _modules_after(["lint", str(tmp_path)], tmp_path)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert _loaded(modules, "salesflow.lint.pool") == (sys.platform.startswith("linux") and _cpus() > 1)
    assert done.stdout.count("p00.flow") == done.stdout.count("p69.flow") > 0


def _cpus() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1



def test_a_command_that_ends_its_process_itself_leaves_nothing_out(tmp_path: Path) -> None:
    # `salesflow` ends its process as soon as the command is done, without Python's shutdown
    # (salesflow/__main__.py): the output, however long, the exit code and the functions
    # registered to run at exit must be as when the command returns to Python.
    chart = tmp_path / "process.flow"
    chart.write_text(
        "flowchart LR\n" + "".join(f"  N{i}[第{i}步] --> N{i + 1}[第{i + 1}步]\n" for i in range(600)), encoding="utf-8"
    )
    at_exit = "import atexit, sys; atexit.register(lambda: sys.stderr.write('AT EXIT'))\n"
    own_end = subprocess.run(
        [sys.executable, "-c", at_exit + f"import runpy; sys.argv = ['salesflow', 'lint', {str(chart)!r}]; "
         "runpy.run_module('salesflow', run_name='__main__', alter_sys=True)"],
        capture_output=True, cwd=tmp_path,
    )
    python_end = subprocess.run(
        [sys.executable, "-c", at_exit + f"sys.argv = ['salesflow', 'lint', {str(chart)!r}]; "
         "from salesflow.cli import main; main()"],
        capture_output=True, cwd=tmp_path,
    )
    assert len(own_end.stdout) > 100_000  # more than a pipe holds: written while the reader reads
    assert own_end.stdout == python_end.stdout
    assert own_end.returncode == python_end.returncode == 1
    assert own_end.stderr.endswith(b"AT EXIT") and python_end.stderr.endswith(b"AT EXIT")
