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


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("options", "code"),
    [((), 1), (("--exit-zero",), 0), (("--select", "SF401,SF503", "--max-warnings", "0"), 1), (("--select", "SF401,SF503"), 0)],
)
def test_parallel_run_exits_as_one_process_does(many_files: Path, options: tuple[str, ...], code: int) -> None:
    # Readable files only: the exit code then tells findings apart (1 for an error, or for more
    # warnings than allowed; 0 otherwise), not the unreadable file (2) that the test above has.
    files = sorted(path.name for path in many_files.glob("chart-*.flow"))
    serial = _lint(10**9, "-q", *options, *files, cwd=many_files)
    parallel = _lint(1, "-q", *options, *files, cwd=many_files)
    assert parallel.stdout == serial.stdout and parallel.stderr == serial.stderr
    assert parallel.returncode == serial.returncode == code, serial.stderr.decode()
    assert b" warning: " in serial.stdout  # findings were printed, not an empty run


def test_progress_counts_every_file_once_in_order(many_files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Files are counted as they are done, by whichever process: the count still goes 1, 2, 3 …
    from salesflow.lint import pool, runner

    real_share, shared = pool.share, []
    monkeypatch.setattr(runner, "PARALLEL_FROM_FILES", 1)
    monkeypatch.setattr(pool, "share", lambda *args: shared.append(args[1]) or real_share(*args))
    # Shared however the machine and this test process are: two CPUs, and no other thread (the
    # browser tests leave Playwright's idle event-loop threads running for the whole session,
    # which would keep this process from forking).
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr("threading.active_count", lambda: 1)
    counted = []
    files = [str(path) for path in sorted(many_files.glob("chart-*.flow"))]
    report = runner.run(files, on_file=lambda number, total: counted.append((number, total)))
    assert shared and shared[0] > 1  # the run was shared among processes
    assert counted == [(number, len(files)) for number in range(1, len(files) + 1)]
    assert [file_report.path for file_report in report.files] == files


def _wait_for(condition, seconds: float = 60) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker never came"
        time.sleep(0.002)


def _worker_dies(how: str) -> None:
    if how == "exits":
        os._exit(3)
    if how == "is killed":
        os.kill(os.getpid(), 9)
    raise RuntimeError("a bug in a worker")


@pytest.mark.parametrize("how", ["exits", "is killed", "raises"])
def test_the_tasks_a_dying_worker_took_are_done_by_this_process(tmp_path: Path, capfd: pytest.CaptureFixture, how: str) -> None:
    from salesflow.lint.pool import share

    here, worker_took = os.getpid(), tmp_path / "taken"
    taken_by_this_worker = []

    def work(task: int, between) -> int:
        if os.getpid() == here:
            _wait_for(lambda: worker_took.exists() and len(worker_took.read_text(encoding="utf-8").split()) == 2)
        else:
            taken_by_this_worker.append(task)  # this process's copy of the list
            with open(worker_took, "a", encoding="utf-8") as handle:
                handle.write(f"{task}\n")
            if len(taken_by_this_worker) == 2:  # one result sent back, then the end
                _worker_dies(how)
        between()
        return task * 10

    announced = []
    results = share(list(range(12)), 2, work, lambda result: result, lambda packed: packed, announced.append)
    assert results == [task * 10 for task in range(12)]
    assert sorted(announced) == results  # each result once
    assert len(worker_took.read_text(encoding="utf-8").split()) == 2  # the worker did take tasks, and died
    assert capfd.readouterr().err == ""  # the worker's end says nothing: this process did its task


def test_an_error_in_this_process_stops_the_workers(tmp_path: Path) -> None:
    import time

    from salesflow.lint.pool import share

    here, worker_pid = os.getpid(), tmp_path / "worker"

    def work(task: int, between) -> int:
        if os.getpid() != here:
            worker_pid.with_suffix(".new").write_text(str(os.getpid()), encoding="utf-8")
            worker_pid.with_suffix(".new").rename(worker_pid)
            time.sleep(0.05)
        elif task >= 2:
            _wait_for(worker_pid.exists)  # the worker is at work
            raise ValueError("a bug")
        return task

    with pytest.raises(ValueError, match="a bug"):
        share(list(range(200)), 2, work, lambda result: result, lambda packed: packed, lambda result: None)
    pid = int(worker_pid.read_text(encoding="utf-8"))
    with pytest.raises(ProcessLookupError):  # stopped and waited for, not left running
        os.kill(pid, 0)


def test_when_no_process_can_be_started_this_one_does_every_task(monkeypatch: pytest.MonkeyPatch) -> None:
    from salesflow.lint.pool import share

    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    announced = []
    results = share(list(range(9)), 3, lambda task, between: task + 1, lambda r: r, lambda p: p, announced.append)
    assert results == announced == list(range(1, 10))
