"""`salesflow render -f FORMAT FILE… -o OUT` without click does exactly what it does with click.

salesflow/cli/fast_render.py reads the commonest render command lines. Its option names and
defaults must be the ones the click command gives; over generated command lines the reader
either leaves the line to click or calls `render_files` with exactly the values click passes it;
and whole commands, run both ways, write the same files, print the same bytes and exit with the
same status, without loading click when the reader takes the line.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import click
import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from salesflow.cli import cli, fast_render, render_run
from salesflow.cli.render_cmd import command
from salesflow.render import FORMATS

BROKEN = "flowchart LR\n  A[开始] --> B[报价\n  B --> C([成交])\n"


def test_the_options_and_defaults_are_what_the_click_command_says() -> None:
    defaults = dict(command.make_context("render", ["chart.flow"]).params)
    defaults["inputs"] = ()
    assert fast_render.RENDER_DEFAULTS == defaults
    assert [type(value) for value in fast_render.RENDER_DEFAULTS.values()] == [type(value) for value in defaults.values()]
    params = {param.name: param for param in command.params}
    read = {name: params[parameter] for name, parameter in fast_render.RENDER_OPTIONS.items()}
    for name, param in read.items():
        assert name in param.opts and param.callback is None and param.envvar is None and not param.multiple
    assert sorted(params["format_name"].opts + params["output"].opts) == sorted(fast_render.RENDER_OPTIONS)
    fmt = params["format_name"].type
    assert isinstance(fmt, click.Choice) and fmt.case_sensitive and sorted(fmt.choices) == sorted(FORMATS)
    output = params["output"].type
    assert isinstance(output, click.Path)
    checks = (output.exists, output.file_okay, output.dir_okay, output.readable, output.allow_dash, output.type)
    assert checks == (False, True, True, True, False, None)  # what _path_click_takes reads it as


def _click_values(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[Optional[dict[str, Any]], str]:
    """What click passes `render_files` for `salesflow ARGV`, and what it printed."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(render_run, "render_files", lambda **values: seen.append(values))
    result = CliRunner().invoke(cli, argv, prog_name="salesflow")
    return (seen[0] if seen else None), result.output


def _typed(values: dict[str, Any]) -> list[tuple[str, str, Any]]:
    return sorted((name, type(value).__name__, value) for name, value in values.items())


def test_the_reader_takes_a_line_only_as_click_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    chart = tmp_path / "chart.flow"
    chart.write_text((SAMPLES / "saas-funnel.flow").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "old.svg").write_text("", encoding="utf-8")
    formats = [["-f", "svg"], ["--format=png"], ["--format", "dot"], ["-f", "mermaid"], ["-f=svg"], ["-fsvg"]]
    outputs = [
        ["-o", "x.svg"], ["--output=out"], ["--output", "old.svg"], ["-o", str(tmp_path / "out")], ["-o", ""],
        ["-o", "-"], ["--output"],
    ]
    inputs = [[str(chart)], ["-"], ["missing.flow"], ["ünïcode é.flow"], [str(tmp_path)]]
    bad = [
        ["-h"], ["--help"], ["--form", "svg"], ["--"], ["--format", "SVG"], ["-f", "gif"], ["-o", "-x"], ["--no-meta"],
        ["--highlight"], ["--direction", "TB"], ["--wrap", "3"], ["--engine", "sfdp"], ["--lang", "zh"], ["-x"],
        ["---format", "svg"],
    ]
    pick = random.Random(7)
    lines = [["render", "-f", "svg", str(chart), "-o", "x.svg"], ["render", str(chart)], ["render", "-o", "x.svg"]]
    for _ in range(400):
        pieces = pick.sample(inputs, pick.randint(0, 3))
        for choices, chance in ((formats, 0.8), (outputs, 0.8)):
            if pick.random() < chance:
                pieces.insert(pick.randint(0, len(pieces)), pick.choice(choices))
        if pick.random() < 0.25:
            pieces.insert(pick.randint(0, len(pieces)), pick.choice(bad))
        if pick.random() < 0.1:
            pieces.append(pick.choice(formats + outputs))  # an option given twice
        group = ["--lang", "zh"] if pick.random() < 0.1 else []
        lines.append([*group, "render", *(word for piece in pieces for word in piece)])
    lines += [["render"], [], ["lint", str(chart)], ["render", "--", str(chart)]]
    taken = 0
    for argv in lines:
        fast = fast_render.render_values(argv)
        slow, printed = _click_values(argv, monkeypatch)
        if fast is not None:
            taken += 1
            assert slow is not None, f"{argv}: the reader took a line that click refuses:\n{printed}"
            assert _typed(fast) == _typed(slow), argv
    # Both kinds are well represented: the test would see a reader that declines everything.
    assert 50 < taken < len(lines) - 50, taken


def test_a_shell_asking_for_completions_goes_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["render", "-f", "svg", "x.flow", "-o", "x.svg"]
    assert fast_render.render_values(argv) is not None
    monkeypatch.setenv(fast_render.COMPLETION_VARIABLE, "bash_complete")
    assert fast_render.render_values(argv) is None


# Runs salesflow as `python -m salesflow` does, with the reader on or off, and says on standard
# error's last line whether click was loaded.
RUNNER = """
import atexit, runpy, sys
if sys.argv.pop(1) == "off":
    import salesflow.cli.fast_render as reader
    reader.render_values = lambda argv: None
def loaded():
    sys.stderr.write("\\nCLICK " + str("click" in sys.modules))
atexit.register(loaded)  # after anything else, a traceback included
runpy.run_module("salesflow", run_name="__main__", alter_sys=True)
"""


def _run(argv: list[str], reader: str, cwd: Path, env: dict[str, str]) -> tuple[bytes, bytes, int, bool]:
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, reader, *argv], stdin=subprocess.DEVNULL, capture_output=True, cwd=cwd, env=env,
        check=False,
    )
    stderr, _, flag = done.stderr.rpartition(b"\nCLICK ")
    return done.stdout, stderr, done.returncode, flag == b"True"


def _written(folder: Path) -> dict[str, bytes]:
    """The files under `folder`, by path; empties the folder."""
    found = {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    return found


def test_whole_commands_write_and_print_the_same_both_ways(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    broken = tmp_path / "broken.flow"
    broken.write_text(BROKEN, encoding="utf-8")
    samples = sorted(str(path) for path in SAMPLES.iterdir() if path.suffix == ".flow")
    markdown = str(SAMPLES / "process-in-docs.md")
    commands = [
        ["render", "-f", "svg", samples[0], "-o", "out/chart.svg"],
        ["render", "--format=dot", "--output", "out/chart.dot", samples[1]],
        ["render", "-f", "png", samples[2], "-o", "out/chart.png"],
        ["render", "-f", "pdf", samples[3], "-o", "out/chart.pdf"],
        ["render", "-f", "mermaid", "-o", "out/", markdown, samples[0]],
        ["render", "-f", "json", "-o", "out", str(SAMPLES)],
        ["render", "-f", "svg", str(broken), "-o", "out/broken.svg"],
        ["render", "-f", "svg", str(broken), samples[0], "-o", "out"],
        ["render", "-f", "svg", "missing.flow", "-o", "out/missing.svg"],
        # Lines the reader leaves to click: the same output, from click both times.
        ["render", "-f", "svg", "--no-meta", samples[0], "-o", "out/chart.svg"],
        ["render", "-o", "out/chart.svg"],
    ]
    env = {key: value for key, value in os.environ.items() if key not in ("SALESFLOW_LANG", "NO_COLOR")}
    env.update(LANG="C.UTF-8", LC_ALL="", PYTHONPATH=str(ROOT))
    for argv in commands:
        slow = _run(argv, "off", tmp_path, env)
        written_slow = _written(out)
        fast = _run(argv, "on", tmp_path, env)
        written_fast = _written(out)
        assert slow[3], f"{argv}: click was not used with the reader off"
        assert fast[:3] == slow[:3], argv
        assert written_fast == written_slow, argv
        leaves_it = fast_render.render_values(argv) is None
        assert fast[3] == leaves_it, f"{argv}: click loaded: {fast[3]}"
    # The drawings were made, and the broken chart's error was among the messages.
    assert _run(commands[0], "on", tmp_path, env)[2] == 0 and (out / "chart.svg").read_bytes().startswith(b"<?xml")
    assert b"broken.flow" in _run(commands[6], "on", tmp_path, env)[1]
