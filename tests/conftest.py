"""Shared test helpers: paths, and the rule that real components may be missing only outside CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CASES = Path(__file__).resolve().parent / "cases"
IN_CI = os.environ.get("CI") == "true"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots and pages a person looks at; not committed

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run the long, opt-in tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip_slow = pytest.mark.skip(reason="long test: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)
