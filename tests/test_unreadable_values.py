"""A metadata value that does not read is a finding at its place, not a stop.

`cases/unreadable/rough-draft.flow` is a first draft as a sales manager writes it: a target of
"一段时间", a deadline of "尽快", another of "一会儿" in quotes, `kind: 开始`, `rate: high` — and
the usual other mistakes. One `lint` run reports all of them; `render`, `handbook`, `fmt` and
`render -f mermaid` still work and keep each value as written.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, ROOT

from salesflow.cli import cli
from salesflow.fmt import format_text, meaning_differences
from salesflow.lint import lint
from salesflow.parse import parse_text

DRAFT = CASES / "unreadable" / "rough-draft.flow"

# Each value that does not read, where it is written (counted by hand in the file), and the
# finding it gives.
UNREADABLE = [
    ("3:9", "SF202", "the process's `target` does not read: `一段时间` is not a duration"),
    ("9:14", "SF803", "does not read: `rate` is a conversion rate such as `60%` or `0.6`, not `high`"),
    ("10:13", "SF308", "`kind` is one of start, end, task, decision, not `开始` (did you mean `start`?)"),
    ("11:23", "SF202", "the deadline of '迎宾接待' does not read: `尽快` is not a duration"),
    ("13:23", "SF202", "the deadline of '收银结账' does not read: `一会儿` is not a duration"),
]


def draft() -> str:
    return DRAFT.read_text("utf-8")


def test_a_rough_draft_is_reviewed_in_one_run() -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    environment["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "salesflow", "lint", str(DRAFT.relative_to(ROOT))],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=environment,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # findings at error level, not "could not be read"
    lines = done.stdout.splitlines()
    for at, code, message in UNREADABLE:
        assert any(f"rough-draft.flow:{at}: {code} error: " in line and message in line for line in lines), (at, done.stdout)
    # Every other rule ran on the rest of the chart too.
    rules = {line.rsplit("[", 1)[-1].rstrip("]") for line in lines if line.endswith("]")}
    assert {"missing-owner", "vague-owner", "dead-end"} <= rules, done.stdout
    assert "could not be read" not in done.stdout + done.stderr
    assert done.stderr == ""


def test_a_deadline_that_does_not_read_is_not_also_missing() -> None:
    process = parse_text(draft(), "rough-draft.flow")
    findings = lint(process, source=draft())
    missing = {f.node for f in findings if f.rule == "missing-deadline"}
    assert "E" in missing  # it has no `due` at all
    assert "A" not in missing  # the stadium nothing leads into is a start marker, which needs none
    assert not missing & {"B", "D"}  # theirs are written, and reported as invalid-duration
    # `kind: 开始` is read as no kind: the stadium nothing leads into is still the start.
    assert "no-start" not in {f.rule for f in findings}


def test_the_model_keeps_each_value_as_written_where_it_was_written() -> None:
    process = parse_text(draft(), "rough-draft.flow")
    b, d, a, c = process.node("B"), process.node("D"), process.node("A"), process.node("C")
    assert b.due is None and b.unreadable_value("due").text == "尽快"
    span = b.unreadable_value("due").span
    assert (span.line, span.column, span.end_line, span.end_column) == (11, 23, 11, 25)
    quoted = d.unreadable_value("due").span
    assert (quoted.column, quoted.end_column) == (23, 28)  # the quotes are part of what was written
    assert a.kind is None and a.unreadable_value("kind").text == "开始"
    assert c.unreadable == () and c.due is not None and c.due.text == "2h"
    assert process.target is None and process.unreadable_value("target").text == "一段时间"
    [rated] = [e for e in process.edges if e.id == "e1"]
    assert rated.rate is None and rated.rate_text is None and rated.unreadable_value("rate").text == "high"
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.unreadable[0].text = "1天"  # type: ignore[misc]


def test_the_json_model_shows_what_did_not_read() -> None:
    result = CliRunner().invoke(cli, ["render", "-f", "json", str(DRAFT)])
    assert result.exit_code == 0, result.output
    model = json.loads(result.output)
    nodes = {n["id"]: n for n in model["nodes"]}
    assert nodes["B"]["due"] is None
    assert nodes["B"]["unreadable"]["due"]["text"] == "尽快"
    assert "is not a duration" in nodes["B"]["unreadable"]["due"]["problem"]
    assert nodes["B"]["unreadable"]["due"]["span"] == {"line": 11, "column": 23, "end_line": 11, "end_column": 25}
    assert nodes["A"]["kind"] is None and nodes["A"]["unreadable"]["kind"]["text"] == "开始"
    assert nodes["C"]["unreadable"] == {}
    assert model["process"]["target"] is None and model["process"]["unreadable"]["target"]["text"] == "一段时间"
    [rated] = [e for e in model["edges"] if e["id"] == "e1"]
    assert rated["rate"] is None and rated["unreadable"]["rate"]["text"] == "high"


def test_mermaid_output_and_fmt_keep_each_value_exactly() -> None:
    result = CliRunner().invoke(cli, ["render", "-f", "mermaid", str(DRAFT)])
    assert result.exit_code == 0, result.output
    for written in ("target: 一段时间", "e1@{ rate: high }", "kind: 开始", "due: 尽快", "due: 一会儿"):
        assert written in result.output, result.output
    again = parse_text(result.output, "again.flow")
    assert meaning_differences(parse_text(draft(), "rough-draft.flow"), again, "ignore") == []

    formatted = format_text(draft(), "rough-draft.flow")
    for line in ("target: 一段时间", "e1@{ rate: high }", "A@{ kind: 开始 }", "B@{ owner: 导购, due: 尽快 }",
                 'D@{ owner: 收银, due: "一会儿" }'):
        assert line in formatted, formatted


def test_the_drawing_shows_each_value_as_written_and_marked() -> None:
    result = CliRunner().invoke(cli, ["render", "-f", "dot", str(DRAFT)])
    assert result.exit_code == 0, result.output
    assert "导购 · 尽快 (?)" in result.output  # the owner · deadline line under the label
    assert "收银 · 一会儿 (?)" in result.output
    assert "<B>high (?)</B>" in result.output  # the rate on the link
    assert "相关部门 · 2h<" in result.output  # a deadline that reads is not marked


@pytest.mark.usefixtures("dot")
def test_the_handbook_shows_each_value_as_written_and_marked(tmp_path: Path) -> None:
    out = tmp_path / "handbook.html"
    result = CliRunner().invoke(cli, ["handbook", str(DRAFT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert '<span class="due unreadable" title="时限无法识别">尽快 (?)</span>' in page
    assert '<span class="target unreadable" title="时限无法识别">一段时间 (?)</span>' in page
    assert "high (?)" in page
    assert "<dt>时限</dt><dd>2h</dd>" in page  # a readable deadline is written as it is, unmarked


def test_positions_inside_markdown_point_into_the_markdown_file(tmp_path: Path) -> None:
    doc = tmp_path / "process.md"
    doc.write_text("# 门店销售\n\n说明。\n\n```mermaid\n" + draft() + "```\n", "utf-8")
    result = CliRunner().invoke(cli, ["lint", str(doc)])
    assert result.exit_code == 1, result.output
    # The chart starts on line 6 of the Markdown file: five lines further down.
    assert "process.md:16:23: SF202 error: the deadline of '迎宾接待' does not read" in result.output
    assert "process.md:8:9: SF202 error: the process's `target` does not read" in result.output
