"""`salesflow render` for the drawing and Mermaid formats: options, outputs and errors, end to end."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, bench_charts, require_binary

from salesflow.cli import cli

B2B = SAMPLES / "b2b-lanes.flow"
CLASSIC = SAMPLES / "classic-seven-stages.flow"


def render(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli, ["render", *args], input=input)


def test_svg_to_a_file(tmp_path: Path, dot: str) -> None:
    out = tmp_path / "b2b.svg"
    result = render("-f", "svg", str(B2B), "-o", str(out))
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    # Graphviz writes the `-` in attribute values as `&#45;`.
    assert svg.startswith("<?xml") and "市场部" in svg and 'class="cluster sf&#45;lane"' in svg


def test_binary_formats_to_a_directory_name_each_chart(tmp_path: Path, dot: str) -> None:
    out = tmp_path / "out"
    result = render("-f", "png", str(SAMPLES / "process-in-docs.md"), str(CLASSIC), "-o", f"{out}{os.sep}")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["classic-seven-stages.png", "process-in-docs-1.png", "process-in-docs-2.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in out.iterdir())


def test_several_charts_cannot_share_standard_output(dot: str) -> None:
    result = render("-f", "svg", str(SAMPLES / "process-in-docs.md"))
    assert result.exit_code == 2 and "give an output directory with -o" in result.output


def test_meta_can_be_switched_off() -> None:
    with_meta = render("-f", "dot", str(SAMPLES / "annotated-ten-stages.flow"))
    without = render("-f", "dot", "--no-meta", str(SAMPLES / "annotated-ten-stages.flow"))
    assert "市场专员 · 1个工作日" in with_meta.output and "1个工作日" not in without.output


def test_highlight_runs_the_linter_and_adds_a_legend() -> None:
    result = render("-f", "dot", "--highlight", str(CLASSIC))
    assert result.exit_code == 0, result.output
    assert "missing-owner" in result.output and "error (" in result.output and 'class="sf-node sf-step sf-error"' in result.output


def test_highlight_with_a_configuration_file(tmp_path: Path) -> None:
    config = tmp_path / ".salesflow.toml"
    config.write_text('[rules]\nmissing-owner = "off"\nmissing-deadline = "off"\n', encoding="utf-8")
    result = render("-f", "dot", "--highlight", "--config", str(config), str(CLASSIC))
    assert result.exit_code == 0, result.output
    assert "missing-owner" not in result.output


def test_highlight_with_a_broken_configuration_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text("[rules\n", encoding="utf-8")
    result = render("-f", "dot", "--highlight", "--config", str(config), str(CLASSIC))
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["-f", "json", "--highlight"], "--highlight draws on a picture"),
        (["-f", "svg", "--plain"], "--plain applies to -f mermaid"),
        (["-f", "dot", "--config", "x.toml"], "use it with --highlight"),
    ],
)
def test_options_that_do_not_fit_the_format(args: list[str], message: str) -> None:
    result = render(*args, str(CLASSIC))
    assert result.exit_code == 2 and message in result.output


def test_mermaid_and_plain_mermaid() -> None:
    full = render("-f", "mermaid", str(SAMPLES / "saas-funnel.flow"))
    plain = render("-f", "mermaid", "--plain", str(SAMPLES / "saas-funnel.flow"))
    assert full.exit_code == 0 and plain.exit_code == 0
    assert "q1@{ rate: 35%" in full.output and "@{" not in plain.output


def test_mermaid_from_stdin() -> None:
    result = render("-f", "mermaid", "-", input="graph TD;\n  A[报价]-->B[成交];\n")
    assert result.exit_code == 0 and result.output == "graph TB\n    A[报价]\n    B[成交]\n    A --> B\n"


def test_an_input_is_never_overwritten(tmp_path: Path) -> None:
    chart = tmp_path / "p.flow"
    chart.write_text("flowchart LR\n  A --> B\n", encoding="utf-8")
    result = render("-f", "mermaid", str(chart), "-o", str(chart))
    assert result.exit_code == 2 and "refusing to overwrite an input" in result.output
    assert chart.read_text(encoding="utf-8") == "flowchart LR\n  A --> B\n"


def test_sfdp_engine(tmp_path: Path, dot: str) -> None:
    require_binary("sfdp")
    out = tmp_path / "b2b.svg"
    assert render("-f", "svg", "--engine", "sfdp", str(B2B), "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").count('class="node') == 21


def run_cli(*args: str, path: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=path, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "salesflow", *args], capture_output=True, text=True, env=env, timeout=120)


def test_missing_dot_is_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("render", "-f", "svg", str(CLASSIC), "-o", str(tmp_path / "x.svg"), path=str(tmp_path))
    assert result.returncode == 2
    assert "apt-get install graphviz" in result.stderr and "brew install graphviz" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.svg").exists()


def test_timeout_is_one_clear_line(tmp_path: Path) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    result = run_cli(
        "render", "-f", "svg", "--timeout", "0.5", str(CLASSIC), path=str(tmp_path) + os.pathsep + os.environ["PATH"]
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "did not finish within 0.5 s" in result.stderr and "--engine sfdp" in result.stderr


def test_mermaid_warns_about_stock_mermaid_limits(tmp_path: Path) -> None:
    chart = bench_charts().chart

    big = tmp_path / "big.flow"
    big.write_text(chart(600), encoding="utf-8")
    result = render("-f", "mermaid", str(big), "-o", str(tmp_path / "big.mmd"))
    assert result.exit_code == 0 and "stock Mermaid" in result.output and "500 edges" in result.output
    small = render("-f", "mermaid", str(CLASSIC))
    assert "stock Mermaid" not in small.output
