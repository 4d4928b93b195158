"""Shared test helpers: paths, the rule that real components may be missing only outside CI, the
fixtures for those components (and the markers they give a test), and golden files.

Markers (README, "Development"): a test that takes the `dot` fixture is marked `graphviz`, one that
takes `browser` is marked `browser`, `weasyprint` gives `pdf`, and the Mermaid `oracle` gives `node`;
modules that need a component throughout say so with `pytestmark`. The modules in E2E_MODULES run
whole commands case after case and are marked `e2e`. `slow` tests are deselected unless
`--run-slow` is given (or `-m` names `slow`).
"""

from __future__ import annotations

import os
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CASES = Path(__file__).resolve().parent / "cases"
IN_CI = os.environ.get("CI") == "true"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots and pages a person looks at; not committed

# The expected outputs are English whatever the machine's locale: the commands the tests run (in
# this process or in a subprocess) speak English unless a test asks for another language.
os.environ["SALESFLOW_LANG"] = "en"

# Debian's Chromium, driven by Playwright; nothing downloads a browser. The flags keep it from
# reaching for the network at start-up.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require(ok: bool, what: str) -> None:
    """Skip when a real component is missing, except under CI=true, where it fails the run."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and under CI=true every real component must be installed")
    pytest.skip(f"{what} is not installed")


def require_binary(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"`{name}`")
    assert path is not None
    return path


def sample_paths() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*.flow"))


def corpus_paths(most_stages: int) -> list[Path]:
    """The charts of the layout corpus (tests/cases/layout/) with at most `most_stages` stages."""
    from salesflow.parse import parse_file

    return [p for p in sorted((CASES / "layout").glob("*.flow")) if len(parse_file(str(p)).nodes) <= most_stages]


# No test asserts how fast something runs: timings belong to bench/ (bench_hostile.py measures the
# inputs below), where a busy machine cannot turn them into a failure. What a test does guard
# against is work that never ends: inputs built so that super-linear code takes minutes to years
# run under `no_hang`, which stops them long after linear code is done (a few hundred times its
# time here) and fails with what was running.
HANG_SECONDS = 60


class Hung(Exception):
    pass


def bench_module(stem: str):
    """bench/<stem>.py, loaded by path and kept once, so no test has to put bench/ on sys.path (where
    its `generate` could shadow or be shadowed by another module of that name)."""
    import importlib.util
    import sys

    name = f"salesflow_bench_{stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{stem}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def bench_charts():
    """bench/generate.py, the benchmark's chart generator, which several tests draw charts from."""
    return bench_module("generate")


@contextmanager
def no_hang(what: str, seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Fail the test when the work inside runs for more than `seconds` (an alarm signal stops it)."""

    def stop(_signum: int, _frame: object) -> None:
        raise Hung(what)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except Hung:
        pytest.fail(f"{what} was still running after {seconds:g} s: work that grows faster than its input")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


UPDATE_GOLDEN = os.environ.get("SALESFLOW_UPDATE_GOLDEN") == "1"


def golden(path: Path, actual: str) -> None:
    """`actual` must be the reviewed text in `path`; SALESFLOW_UPDATE_GOLDEN=1 (re)writes it instead.

    A missing golden file fails: a test that wrote it would pass while checking nothing.
    """
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: write it with SALESFLOW_UPDATE_GOLDEN=1 and review it by eye"
    assert actual == path.read_text(encoding="utf-8"), (
        f"{path} differs; if the change is meant, rewrite it with SALESFLOW_UPDATE_GOLDEN=1 and review the diff"
    )


# ---------------------------------------------------------------------------------------------
# Real components, as fixtures: a test names what it needs, and gets the marker that says so.


@pytest.fixture(autouse=True)
def collector_as_found() -> Iterator[None]:
    """`salesflow.cli.main()` stops Python's garbage collector for the rest of its process, as a
    one-shot command's process ends with the command. A test that calls it in the test process
    (to check what a user's terminal shows) must not leave the next tests without a collector."""
    import gc
    import sys

    enabled = gc.isenabled()
    yield
    common = sys.modules.get("salesflow.cli.common")
    if common is not None:
        common.EXITS_AFTER_COMMAND = False
    if enabled:
        gc.enable()


@pytest.fixture(scope="session")
def dot() -> str:
    """The path of Graphviz's `dot`."""
    return require_binary("dot")


@pytest.fixture(scope="session")
def weasyprint() -> object:
    """WeasyPrint (the `pdf` extra), which prints the handbook."""
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: the pango libraries it loads are missing
        require(False, "WeasyPrint (the pdf extra)")
    return weasyprint


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium, launched once for the session through Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright (PyPI playwright)")
    require(os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# Which marker a test gets for each component fixture it takes (directly or through another).
MARKER_OF_FIXTURE = {"dot": "graphviz", "browser": "browser", "weasyprint": "pdf", "oracle": "node"}


# Modules that run salesflow's commands end to end (a subprocess or CliRunner per case, hundreds
# of cases): most of the suite's time, and left out of the quick run (`make quick`).
E2E_MODULES = {
    "test_adversarial.py",
    "test_cli.py",
    "test_install.py",
    "test_lint_cli.py",
    "test_readme.py",
    "test_robustness.py",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run the long, opt-in tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in E2E_MODULES:
            item.add_marker("e2e")
        for fixture in getattr(item, "fixturenames", ()):
            marker = MARKER_OF_FIXTURE.get(fixture)
            if marker is not None:
                item.add_marker(marker)
    if config.getoption("--run-slow") or "slow" in (config.getoption("markexpr") or ""):
        return
    kept = [item for item in items if "slow" not in item.keywords]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if "slow" in item.keywords])
        items[:] = kept
