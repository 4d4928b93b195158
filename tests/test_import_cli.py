"""`salesflow import` as a command: which reader a file needs, where the chart and the report go,
and what it refuses to overwrite."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import CASES
from salesflow.cli import cli
from salesflow.parse import parse_text

BPMN = CASES / "bpmn" / "two-pools-order-to-cash.bpmn"
DRAWIO = CASES / "drawio" / "hand-drawn-lead-flow.drawio"


def run(*args: str):
    return CliRunner().invoke(cli, ["import", *args])


def test_an_xml_file_is_known_by_its_content(tmp_path: Path) -> None:
    for source, title in ((BPMN, "Order to cash"), (DRAWIO, "Lead handling")):
        copy = tmp_path / f"{source.stem}.xml"
        shutil.copy(source, copy)
        result = run(str(copy), "-o", str(tmp_path / f"{source.stem}.flow"))
        assert result.exit_code == 0, result.output
        assert parse_text((tmp_path / f"{source.stem}.flow").read_text(encoding="utf-8")).title == title


def test_from_says_what_a_file_is_when_its_name_does_not(tmp_path: Path) -> None:
    unnamed = tmp_path / "export.txt"
    shutil.copy(DRAWIO, unnamed)
    result = run(str(unnamed), "--from", "drawio")
    assert result.exit_code == 0 and "flowchart LR" in result.output
    other = tmp_path / "notes.txt"
    other.write_text("hello\n", encoding="utf-8")
    result = run(str(other))
    assert result.exit_code == 2
    assert f"{other}: error: cannot tell what this file is: name it .bpmn or .drawio, or say which with --from" in result.output


def test_the_chart_goes_to_standard_output_and_the_notes_to_standard_error() -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "salesflow", "import", str(BPMN)], capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("---\ntitle: Order to cash\n")
    assert "note: bpmn:sendTask SendPO" in result.stderr and ": note: bpmn:" not in result.stdout


def test_the_report_is_json_and_nothing_overwrites_the_input(tmp_path: Path) -> None:
    source = tmp_path / "model.bpmn"
    shutil.copy(BPMN, source)
    result = run(str(source), "-o", str(source))
    assert result.exit_code == 2 and "refusing to overwrite an input file" in result.output
    assert source.read_bytes() == BPMN.read_bytes()
    result = run(str(source), "-o", str(tmp_path / "same.flow"), "--report", str(tmp_path / "same.flow"))
    assert result.exit_code == 2 and "name the same file" in result.output
    result = run(str(source), "-o", str(tmp_path / "chart.flow"), "--report", str(tmp_path / "report.json"))
    assert result.exit_code == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    entry = next(e for e in report["entries"] if e["id"] == "SendPO")
    assert entry == {
        "element": "bpmn:sendTask", "id": "SendPO", "name": "Send purchase order", "line": 17, "column": 5,
        "what": "read as a stage; the chart does not say that it is a sendTask",
    }
