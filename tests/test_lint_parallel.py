"""`salesflow lint` of many files shares them among processes, one per CPU, and says exactly what
one process would: the same bytes in every format, in the same order, with the same exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

# Run the CLI with the pool's threshold set: 10**9 never forks, 1 forks from the second file on.
CLI = "import sys, salesflow.lint.runner as r; r.PARALLEL_FROM_FILES = int(sys.argv.pop(1)); from salesflow.cli import main; main()"


def _lint(threshold: int, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    environment["PYTHONPATH"] = str(ROOT)
    environment["SOURCE_DATE_EPOCH"] = "1780272000"
    return subprocess.run(
        [sys.executable, "-c", CLI, str(threshold), "lint", *args], capture_output=True, cwd=cwd, env=environment
    )


@pytest.fixture(scope="module")
def many_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """80 files: the samples over and over, a chart with a syntax error, a file that is not text,
    a Markdown file, a broken configuration above some of them and an excluded folder."""
    root = tmp_path_factory.mktemp("many")
    samples = sorted(SAMPLES.glob("*.flow")) + [SAMPLES / "process-in-docs.md"]
    for number in range(72):
        source = samples[number % len(samples)]
        (root / f"chart-{number:03}{source.suffix}").write_bytes(source.read_bytes())
    (root / "broken-syntax.flow").write_text("flowchart LR\n  A[询盘 --> B\n", encoding="utf-8")
    (root / "not-text.flow").write_bytes(b"\xff\xfe\x00flowchart")
    (root / ".salesflow.toml").write_text('exclude = ["drafts/", "nothing-here/"]\n', encoding="utf-8")
    (root / "drafts").mkdir()
    (root / "drafts" / "draft.flow").write_text("flowchart LR\n  A --> B\n", encoding="utf-8")
    bad = root / "bad-config"
    bad.mkdir()
    (bad / ".salesflow.toml").write_text("rules = [\n", encoding="utf-8")
    for number in range(4):
        (bad / f"under-bad-{number}.flow").write_bytes(samples[0].read_bytes())
    # A folder with its own configuration, met only by the workers: its warnings still come out.
    team = root / "team"
    team.mkdir()
    (team / ".salesflow.toml").write_text('exclude = ["old/"]\n', encoding="utf-8")
    for number in range(3):
        (team / f"team-{number}.flow").write_bytes(samples[1].read_bytes())
    return root


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_parallel_run_says_byte_for_byte_what_one_process_says(many_files: Path, fmt: str) -> None:
    serial = _lint(10**9, "-f", fmt, ".", cwd=many_files)
    parallel = _lint(1, "-f", fmt, ".", cwd=many_files)
    assert serial.stdout, serial.stderr.decode()
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert parallel.returncode == serial.returncode == 2  # the unreadable file and the broken syntax
    if fmt == "text":
        # The run really covered the odd cases, each once, in the folder's order.
        out = serial.stdout.decode() + serial.stderr.decode()
        assert out.count("bad-config") >= 1 and "broken-syntax.flow:2" in out and "not-text.flow" in out
        assert "draft.flow" not in out and 'pattern "nothing-here/" matches no file' in out
        assert 'team/.salesflow.toml: warning: exclude pattern "old/" matches no file' in out


def test_errors_survive_the_trip_between_processes() -> None:
    import pickle

    from salesflow.errors import InputError, ParseError
    from salesflow.parse import parse_text

    with pytest.raises(ParseError) as caught:
        parse_text("flowchart LR\n  A[询盘 --> B\n", "x.flow")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is ParseError and copy.format() == caught.value.format()
    assert [e.format() for e in copy.each()] == [e.format() for e in caught.value.each()]
    missing = pickle.loads(pickle.dumps(InputError("a.flow", "no such file")))
    assert missing.format() == InputError("a.flow", "no such file").format()


@pytest.mark.e2e
def test_a_file_given_twice_gets_fresh_fingerprints_the_second_time(many_files: Path) -> None:
    # Fingerprints count earlier findings about the same thing in the same file: the workers'
    # own count, file by file, must give way to the run's when a path comes back.
    import json

    # Enough files for two workers (see runner._worker_count), the first one again at the end.
    files = [f"chart-{number:03}.flow" for number in range(17)] + ["chart-002.flow"]  # 002 has findings
    args = ("-f", "sarif", "--exit-zero", *files)
    serial = _lint(10**9, *args, cwd=many_files)
    parallel = _lint(1, *args, cwd=many_files)
    assert parallel.stdout == serial.stdout
    results = json.loads(serial.stdout)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["salesflowFinding/v1"] for r in results]
    assert results and len(set(prints)) == len(prints)
