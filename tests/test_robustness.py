"""Every command, on any input, either succeeds or stops with a positioned one-line message.

The same input gives the same bytes in every format, whatever the hash seed and however the path
is spelled. Mutated charts are driven through each command in-process (a few hundred in the
normal suite; `--run-slow` runs 20,000 through lint, the text renderers and fmt, and a sample of
them through the Graphviz renderers and the handbook).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLES, require_binary
from salesflow.cli import cli
from salesflow.render import FORMATS
from test_parser_fuzz import SEEDS, mutate

DETERMINISM_SAMPLES = [SAMPLES / "b2b-lanes.flow", SAMPLES / "classic-seven-stages.flow"]
# `path:line:col: error: …` for charts, `path: error: …` for inputs that cannot be read.
POSITIONED = re.compile(r"^[^\n]+?(:\d+:\d+)?: error: [^\n]+$")


def run_cli(args: list[str], cwd: Path, seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1795000000"}
    return subprocess.run([sys.executable, "-m", "salesflow", *args], capture_output=True, cwd=cwd, env=env)


def outputs_of(command: list[str], sample: Path, spelling: str, seed: str, tmp: Path) -> bytes:
    path = str(sample) if spelling == "absolute" else os.path.relpath(sample, tmp)
    target = tmp / f"out-{spelling}-{seed}"
    result = run_cli([*command, path, "-o", str(target)], tmp, seed)
    assert result.returncode in (0, 1), result.stderr.decode()
    return target.read_bytes()


COMMANDS = {
    **{f"render-{name}": ["render", "-f", name] for name in FORMATS},
    **{f"lint-{fmt}": ["lint", "--exit-zero", "-f", fmt] for fmt in ("text", "json", "sarif", "github", "junit")},
    "handbook": ["handbook"],
}


@pytest.mark.parametrize("sample", DETERMINISM_SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", sorted(COMMANDS), ids=str)
def test_same_input_same_bytes(command: str, sample: Path, tmp_path: Path) -> None:
    if command.startswith(("render-svg", "render-png", "render-pdf", "handbook")):
        require_binary("dot")
    args = COMMANDS[command]
    first = outputs_of(args, sample, "absolute", "0", tmp_path)
    if not command.startswith("lint") or "classic" in sample.name:
        assert first, "an output was written"
    assert outputs_of(args, sample, "absolute", "4242", tmp_path) == first, "the hash seed changed the output"
    relative = outputs_of(args, sample, "relative", "77", tmp_path)
    if command.startswith(("lint", "render-json")):
        # These echo the path as given; with it replaced, nothing else may differ.
        relative = relative.replace(os.path.relpath(sample, tmp_path).encode(), str(sample).encode())
    assert relative == first, "the spelling of the path changed the output"


def test_fmt_is_deterministic(tmp_path: Path) -> None:
    text = (SAMPLES / "b2b-lanes.flow").read_bytes()
    results = {
        subprocess.run(
            [sys.executable, "-m", "salesflow", "fmt", "-"],
            input=text,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("0", "1", "99")
    }
    assert len(results) == 1 and next(iter(results))


# ---------------------------------------------------------------------------------- fuzzing

FAST_COMMANDS = [
    ["lint", "--no-source"],
    ["lint", "-f", "sarif"],
    ["render", "-f", "json"],
    ["render", "-f", "mermaid"],
    ["render", "-f", "dot"],
    ["fmt", "--check"],
]
SLOW_COMMANDS = [["render", "-f", "svg"], ["handbook"]]


def check_run(args: list[str], text: str, tmp: Path) -> None:
    chart = tmp / "fuzz.flow"
    chart.write_bytes(text.encode("utf-8", "replace"))
    extra = ["-o", str(tmp / "out")] if args[0] in ("render", "handbook") else []
    result = CliRunner().invoke(cli, [*args, str(chart), *extra], catch_exceptions=True)
    code = result.exit_code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args} raised {result.exception!r} on {text!r}") from result.exception
    assert code in (0, 1, 2), (args, code, text)
    output = result.output
    assert "Traceback" not in output, output
    if code == 2:
        errors = [line for line in output.splitlines() if ": error: " in line]
        assert errors, (args, output, text)
        assert POSITIONED.match(errors[0]), errors[0]


def fuzz(commands: list[list[str]], count: int, seed: int, tmp: Path) -> None:
    rng = random.Random(seed)
    texts = [path.read_text("utf-8") for path in SEEDS]
    for _ in range(count):
        text = mutate(rng.choice(texts), rng)
        check_run(rng.choice(commands), text, tmp)


def test_mutated_charts_through_every_command(tmp_path: Path) -> None:
    fuzz(FAST_COMMANDS, 300, seed=11, tmp=tmp_path)


def test_mutated_charts_through_the_graphviz_commands(tmp_path: Path) -> None:
    require_binary("dot")
    fuzz(SLOW_COMMANDS, 12, seed=12, tmp=tmp_path)


@pytest.mark.slow
def test_twenty_thousand_mutated_charts_through_every_command(tmp_path: Path) -> None:
    fuzz(FAST_COMMANDS, 20_000, seed=13, tmp=tmp_path)
    require_binary("dot")
    fuzz(SLOW_COMMANDS, 300, seed=14, tmp=tmp_path)
