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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesflow.cli import cli
from salesflow.errors import ParseError
from salesflow.parse import parse_text
from salesflow.render import FORMATS
from test_parser_fuzz import SEEDS, SNIPPETS, mutate

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
    if command.startswith(("render-svg", "render-png", "render-pdf", "render-bpmn", "render-drawio", "handbook")):
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


# How a chart may arrive: UTF-8 with or without a BOM, UTF-16 with or without one, GBK, Latin-1.
ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gbk", "latin-1"]


def check_run(args: list[str], text: str, tmp: Path, encoding: str = "utf-8") -> None:
    chart = tmp / "fuzz.flow"
    chart.write_bytes(text.encode(encoding, "replace"))
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
        check_run(rng.choice(commands), text, tmp, rng.choice(ENCODINGS))


def test_mutated_charts_through_every_command(tmp_path: Path) -> None:
    fuzz(FAST_COMMANDS, 300, seed=11, tmp=tmp_path)


@pytest.mark.usefixtures("dot")
def test_mutated_charts_through_the_graphviz_commands(tmp_path: Path) -> None:
    fuzz(SLOW_COMMANDS, 12, seed=12, tmp=tmp_path)


@pytest.mark.usefixtures("dot")
@pytest.mark.slow
def test_twenty_thousand_mutated_charts_through_every_command(tmp_path: Path) -> None:
    fuzz(FAST_COMMANDS, 20_000, seed=13, tmp=tmp_path)
    fuzz(SLOW_COMMANDS, 300, seed=14, tmp=tmp_path)


# ---------------------------------------------------------------------------------- properties

IDS = st.sampled_from(["A", "B", "线索", "end", "o", "x", "a-b", "e1", "graph", "A B"])
SHAPES = st.sampled_from(["", "[报价]", "(x)", "{是否成交?}", "([开始])", "((结束))", "[/x/]", '["a (b)"]', "[", "[x", "{{y}}"])
LINKS = st.sampled_from(["-->", "---", "-.->", "==>", "~~~", "--o", "--x", "<-->", "-- 文本 -->", "-->|是|", "--", " -> "])
DATA = st.sampled_from(["", "@{ owner: 销售经理, due: 2d }", "@{ due: soon }", "@{ kind: end }", "@{ steps: [a, b }", ":::hot"])
STATEMENT = st.one_of(
    st.tuples(IDS, SHAPES, DATA, LINKS, IDS, SHAPES).map(lambda t: f"{t[0]}{t[1]}{t[2]} {t[3]} {t[4]}{t[5]}"),
    st.tuples(IDS, SHAPES, DATA).map("".join),
    st.sampled_from(["subgraph sales [销售部]", "end", "direction LR", "%% 注释", "classDef hot fill:#f96",
                     "class A hot", "style A fill:#fff", "linkStyle 0 stroke:red", 'click A "https://x.example"']),
)
CHART = st.tuples(
    st.sampled_from(["flowchart LR", "graph TD", "flowchart", "graph td", "", "---\ntitle: x\n---\nflowchart LR"]),
    st.lists(STATEMENT, max_size=12),
    st.sampled_from(["\n", ";", "\r\n"]),
).map(lambda t: t[2].join([t[0], *t[1]]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHART)
def test_any_generated_chart_gives_a_model_or_a_positioned_error(text: str) -> None:
    try:
        parse_text(text, "generated.flow")
    except ParseError as error:
        assert error.line >= 1 and error.column >= 1
        assert "\n" not in error.message
        assert error.format().startswith(f"generated.flow:{error.line}:{error.column}: error: ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.sampled_from(SNIPPETS + ["A", "B", "报价", " ", "\n"]), max_size=30).map("".join))
def test_any_text_through_lint_and_render(tmp_path: Path, text: str) -> None:
    for args in (["lint", "--no-source"], ["render", "-f", "mermaid"], ["fmt", "--check"]):
        check_run(args, "flowchart LR\n" + text, tmp_path)
