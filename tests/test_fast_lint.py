"""`salesflow lint FILE…` without click does exactly what it does with click.

salesflow/cli/fast_lint.py reads the commonest lint command lines with tables of the click
definitions' options. The tables must be the ones click's definitions give; over generated
command lines (options in every order, `--opt=value` and `--opt value`, repeated options, files,
folders, stdin, a configuration, the language, and bad ones), the reader either leaves the line
to click or calls the review with exactly the values click passes it; and whole commands, run
both ways, print the same bytes to standard output and standard error and exit with the same status.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from salesflow.cli import cli, fast_lint, lint_review

BROKEN = "flowchart LR\n  A[开始] --> B[报价\n  B --> C([成交])\n"


def test_the_tables_are_what_the_click_definitions_say() -> None:
    derived = fast_lint.tables_from_click()
    shipped = {
        "group_options": fast_lint.GROUP_OPTIONS,
        "lint_options": fast_lint.LINT_OPTIONS,
        "lint_multiple": fast_lint.LINT_MULTIPLE,
        "lint_defaults": fast_lint.LINT_DEFAULTS,
        "lint_argument": fast_lint.LINT_ARGUMENT,
        "group_reads": True,
        "lint_reads": True,
    }
    for key, value in derived.items():
        assert value == shipped[key], f"salesflow/cli/fast_lint.py: {key} should now be {value!r}"


def _files(folder: Path) -> dict[str, str]:
    (folder / "charts").mkdir(exist_ok=True)
    chart = folder / "charts" / "process.flow"
    chart.write_text((SAMPLES / "saas-funnel.flow").read_text(encoding="utf-8"), encoding="utf-8")
    config = folder / "review.toml"
    config.write_text('[tool.salesflow]\nrules = { missing-kpi = "off" }\n', encoding="utf-8")
    config = folder / ".salesflow.toml"
    config.write_text('[rules]\nmissing-kpi = "warning"\n', encoding="utf-8")
    return {"chart": str(chart), "folder": str(folder / "charts"), "config": str(config), "out": str(folder / "report.txt")}


def _pieces(files: dict[str, str]) -> tuple[list[list[str]], list[list[str]]]:
    """Pieces of a lint command line that the reader takes, and pieces it must leave to click."""
    good = [
        ["-f", "json"], ["--format=sarif"], ["--format", "text"], ["-o", files["out"]], ["--output=" + files["out"]],
        ["--config", files["config"]], ["--config=" + files["config"]], ["--select", "SF1"], ["--select=missing-owner,SF6"],
        ["--select="], ["--ignore", "SF6"], ["--ignore=unused-role"], ["--max-warnings", "3"], ["--max-warnings=0"],
        ["--max-warnings", "007"], ["--exit-zero"], ["--stdin-filename", "stdin.md"], ["--source"], ["--no-source"],
        ["--color", "never"], ["--color=always"], ["-q"], ["--quiet"], ["--date", "2027-01-02"], ["--date= 2027-03-31 "],
        [files["chart"]], [files["folder"]], ["-"], ["missing.flow"], ["ünïcode é.flow"], [""],
    ]
    bad = [
        ["-h"], ["--help"], ["--sel", "SF1"], ["--form", "json"], ["-qf", "json"], ["-fjson"], ["-f=json"], ["--"],
        ["--max-warnings", "-1"], ["--max-warnings", "x"], ["--max-warnings", "1_0"], ["--max-warnings", "٣"],
        ["--color", "blue"], ["--format", "JSON"], ["--date", "tomorrow"], ["--date", ""], ["-o", files["folder"]],
        ["--config", files["folder"]], ["--exit-zero=1"], ["--quiet=yes"], ["--select"], ["--format", "-q"],
        ["--select", "-x"], ["--lang", "zh"], ["--version"], ["-x"], ["---select", "x"],
    ]
    return good, bad


def _click_values(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[Optional[dict[str, Any]], str]:
    """What click passes the review for `salesflow ARGV`, and what it printed."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(lint_review, "review", lambda **values: seen.append(values))
    result = CliRunner().invoke(cli, argv, prog_name="salesflow")
    return (seen[0] if seen else None), result.output


def _typed(values: dict[str, Any]) -> list[tuple[str, str, Any]]:
    return sorted((name, type(value).__name__, value) for name, value in values.items())


def test_the_reader_takes_a_line_only_as_click_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    good, bad = _pieces(files)
    pick = random.Random(13)
    lines = [["lint", files["chart"]], ["--lang", "zh", "lint", "-"], ["--lang=en", "lint", "--stdin-filename", "x.flow"]]
    for _ in range(700):
        pieces = pick.sample(good, pick.randint(1, 6))
        if pick.random() < 0.35:
            pieces.insert(pick.randint(0, len(pieces)), pick.choice(bad))
        if pick.random() < 0.2:
            pieces.append(pick.choice(good))  # a repeated option, or one more input
        group = pick.choice([[], [], ["--lang", "zh"], ["--lang=en"], ["--lang", "fr"], ["--version"], ["-h"], ["--lang"]])
        if pick.random() < 0.6:
            group = pick.choice([[], ["--lang", "zh"], ["--lang=en"]])
        lines.append([*group, "lint", *(word for piece in pieces for word in piece)])
    lines += [["lint"], ["--lang", "zh"], [], ["render", files["chart"]], ["lint", "--", files["chart"]]]
    taken = 0
    for argv in lines:
        fast = fast_lint.lint_values(argv)
        slow, printed = _click_values(argv, monkeypatch)
        if fast is not None:
            taken += 1
            assert slow is not None, f"{argv}: the reader took a line that click refuses:\n{printed}"
            assert _typed(fast) == _typed(slow), argv
    # Both kinds are well represented: the test would see a reader that declines everything.
    assert 200 < taken < len(lines) - 200, taken


def test_a_shell_asking_for_completions_goes_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fast_lint.lint_values(["lint", "x.flow"]) is not None
    monkeypatch.setenv(fast_lint.COMPLETION_VARIABLE, "bash_complete")
    assert fast_lint.lint_values(["lint", "x.flow"]) is None


# Runs salesflow as `python -m salesflow` does, with the reader on or off, and says on standard
# error's last line whether click was loaded.
RUNNER = """
import atexit, runpy, sys
if sys.argv.pop(1) == "off":
    import salesflow.cli.fast_lint as reader
    reader.lint_values = lambda argv: None
def loaded():
    sys.stderr.write("\\nCLICK " + str("click" in sys.modules))
atexit.register(loaded)  # after anything else, a traceback included
runpy.run_module("salesflow", run_name="__main__", alter_sys=True)
"""


def _run(argv: list[str], reader: str, cwd: Path, stdin: bytes, env: dict[str, str]) -> tuple[bytes, bytes, int, bool]:
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, reader, *argv], input=stdin, capture_output=True, cwd=cwd, env=env, check=False
    )
    stderr, _, flag = done.stderr.rpartition(b"\nCLICK ")
    return done.stdout, stderr, done.returncode, flag == b"True"


def _commands(files: dict[str, str], tmp_path: Path) -> list[tuple[list[str], dict[str, str]]]:
    broken = tmp_path / "broken.flow"
    broken.write_text(BROKEN, encoding="utf-8")
    escape = tmp_path / "escape\x1b[31m.flow"
    escape.write_text(BROKEN, encoding="utf-8")
    samples = sorted(str(path) for path in SAMPLES.iterdir() if path.suffix in (".flow", ".md"))
    zh = {"SALESFLOW_LANG": "zh"}
    return [
        *(([ "lint", path], {}) for path in samples),
        (["lint", str(SAMPLES)], {}),
        (["--lang", "zh", "lint", "--select", "SF1", "--select=SF6", *samples[:2]], {}),
        (["lint", "-f", "json", "--no-source", samples[0]], zh),
        (["lint", samples[1], "--format=sarif", "--date", "2027-01-02"], {}),
        (["lint", "-q", "--color", "always", "--source", samples[2]], {}),
        (["lint", "--max-warnings", "0", samples[3]], {}),
        (["lint", "--exit-zero", "--ignore", "SF1,SF6", samples[3]], {}),
        (["lint", str(broken)], {}),
        (["lint", "--source", str(broken), samples[0]], zh),
        (["--lang=en", "lint", str(broken), "--stdin-filename", "piped.flow", "-"], {}),
        (["lint", "-"], {}),
        (["lint", "--stdin-filename", "notes.md"], {}),
        (["lint", "--config", files["config"], files["folder"]], {}),
        (["lint", "--config", str(tmp_path / "nowhere.toml"), files["chart"]], {}),
        (["lint", "--select", "missing-ownr", files["chart"]], {}),
        (["lint", "missing.flow", str(escape)], {}),
        (["lint", "-o", files["out"], str(broken), files["chart"]], {}),
        (["lint", "-f", "github", files["chart"]], {"GITHUB_ACTIONS": "true"}),
        # Lines the reader leaves to click: the same output, from click both times.
        (["lint", "--date", "soon", files["chart"]], {}),
        (["lint"], {}),
        (["lint", "-fjson", files["chart"]], {}),
    ]


def test_whole_commands_print_the_same_both_ways(tmp_path: Path) -> None:
    files = _files(tmp_path)
    stdin = BROKEN.encode("utf-8")
    base = {key: value for key, value in os.environ.items() if key not in ("SALESFLOW_LANG", "GITHUB_ACTIONS", "NO_COLOR")}
    base.update(LANG="C.UTF-8", LC_ALL="", PYTHONPATH=str(ROOT))
    for argv, extra in _commands(files, tmp_path):
        env = {**base, **extra}
        slow = _run(argv, "off", tmp_path, stdin, env)
        report_slow = Path(files["out"]).read_bytes() if Path(files["out"]).exists() else None
        Path(files["out"]).unlink(missing_ok=True)
        fast = _run(argv, "on", tmp_path, stdin, env)
        report_fast = Path(files["out"]).read_bytes() if Path(files["out"]).exists() else None
        Path(files["out"]).unlink(missing_ok=True)
        assert slow[3], f"{argv}: click was not used with the reader off"
        assert fast[:3] == slow[:3], argv
        assert report_fast == report_slow, argv
        leaves_it = fast_lint.lint_values(argv) is None
        assert fast[3] == leaves_it, f"{argv}: click loaded: {fast[3]}"
    # The bad input's error, with its source line and caret, was among them.
    assert b"^" in _run(["lint", str(tmp_path / "broken.flow")], "on", tmp_path, stdin, base)[1]


@pytest.mark.parametrize("how", ["module", "script"])
def test_both_ways_of_starting_salesflow_take_the_short_way(tmp_path: Path, how: str) -> None:
    chart = tmp_path / "process.flow"
    chart.write_text((SAMPLES / "saas-funnel.flow").read_text(encoding="utf-8"), encoding="utf-8")
    script = Path(sys.executable).parent / "salesflow"
    assert how == "module" or script.exists(), f"{script}: the console script is not installed"
    start = [sys.executable, "-m", "salesflow"] if how == "module" else [str(script)]
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run([*start, "lint", str(chart)], capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert "in 1 file" in done.stdout, done.stderr[-2000:]
    imported = [line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert "salesflow.cli.lint_review" in imported
    assert "click" not in imported
    done = subprocess.run([*start, "lint", "--help"], capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert "--max-warnings" in done.stdout and "click" in [
        line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    ]


def test_a_closed_standard_output_ends_the_run_as_click_ends_it(tmp_path: Path) -> None:
    # What click handles when the review raises it (a closed pipe here, Ctrl-C likewise) is
    # handed to click's own handling by the short way too: exit status 1, nothing printed.
    chart = tmp_path / "process.flow"
    chart.write_text((SAMPLES / "saas-funnel.flow").read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ends = []
    for reader in ("off", "on"):
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            done = subprocess.run(
                [sys.executable, "-c", RUNNER, reader, "lint", str(chart)], stdout=write_end, stderr=subprocess.PIPE,
                cwd=tmp_path, env=env, check=False,
            )
        finally:
            os.close(write_end)
        stderr, _, loaded = done.stderr.rpartition(b"\nCLICK ")
        ends.append((done.returncode, stderr, loaded))
    assert ends[0] == (1, b"", b"True"), ends[0]
    assert ends[1] == ends[0], ends[1]
