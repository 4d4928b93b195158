"""The linter as a library: `salesflow.lint.run`, the rule API, presets as data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from salesflow.cli import cli
from salesflow.errors import ConfigError
from salesflow.lint import run
from salesflow.lint.config import Config, preset_rules
from salesflow.lint.rules import all_rules

CHART = """flowchart TD
    A[线索收集] -->|移交线索| B[需求分析]
    A@{ owner: 市场专员, due: 1天 }
    B@{ owner: 相关部门, kind: end }
"""


def cli_findings(*arguments: str) -> list[tuple]:
    result = CliRunner().invoke(cli, ["lint", "-f", "json", *arguments])
    assert result.exit_code in (0, 1), result.output
    return [(f["file"], f["line"], f["column"], f["rule"], f["message"]) for f in json.loads(result.stdout)]


def library_findings(report) -> list[tuple]:
    return [(f.path, f.line, f.column, f.rule, f.message) for f in (e.finding for e in report.entries)]


def test_run_reviews_a_folder_as_the_command_does() -> None:
    report = run([str(SAMPLES)])
    assert [Path(f.path).name for f in report.files] == sorted(p.name for p in SAMPLES.glob("*.flow"))
    assert library_findings(report) == cli_findings(str(SAMPLES))
    assert report.count("error") > 0


def test_run_takes_a_configuration_file_and_rule_choices(tmp_path: Path) -> None:
    chart = tmp_path / "chart.flow"
    chart.write_text(CHART, "utf-8")
    config = tmp_path / "lint.toml"
    config.write_text('[rules]\nvague-owner = "error"\n', "utf-8")

    rules = {f.rule: f.severity for f in (e.finding for e in run(str(chart)).entries)}
    assert rules == {"missing-deadline": "error", "vague-owner": "warning"}
    configured = {f.rule: f.severity for f in (e.finding for e in run([str(chart)], str(config)).entries)}
    assert configured == {"missing-deadline": "error", "vague-owner": "error"}
    selected = {f.rule for f in (e.finding for e in run([str(chart)], select=["vague-owner"]).entries)}
    assert selected == {"vague-owner"}
    ignored = {f.rule for f in (e.finding for e in run([str(chart)], Config.default("all"), ignore=["SF2"]).entries)}
    assert ignored == {"vague-owner", "missing-kpi"}


def test_run_reports_unreadable_files_and_refuses_unknown_rules(tmp_path: Path) -> None:
    broken = tmp_path / "broken.flow"
    broken.write_text("flowchart TD\n    A[线索 --> B\n", "utf-8")
    heard = []
    report = run([str(broken)], on_error=heard.append)
    assert report.unreadable == 1 and len(heard) == 1 and heard[0].line == 2
    with pytest.raises(ConfigError, match="did you mean `vague-owner`"):
        run([str(broken)], select=["vage-owner"])


def test_run_warns_of_patterns_that_match_nothing(tmp_path: Path) -> None:
    (tmp_path / "chart.flow").write_text(CHART, "utf-8")
    (tmp_path / ".salesflow.toml").write_text('exclude = ["drafts/"]\n', "utf-8")
    warnings: list[str] = []
    run([str(tmp_path)], on_warning=warnings.append)
    assert len(warnings) == 1 and 'exclude pattern "drafts/" matches no file' in warnings[0]


@pytest.mark.parametrize(
    "preset, rule, severity",
    [
        ("recommended", "missing-kpi", "off"),  # off by default
        ("recommended", "vague-owner", "warning"),
        ("strict", "vague-owner", "error"),  # warnings become errors
        ("strict", "missing-kpi", "error"),  # every rule runs, warnings as errors
        ("strict", "unused-role", "info"),  # notes stay notes
        ("all", "missing-kpi", "warning"),  # every rule runs, at its own severity
        ("all", "vague-owner", "warning"),
    ],
)
def test_presets(preset: str, rule: str, severity: str) -> None:
    assert preset_rules(preset)[rule].severity == severity


def test_engine_and_suppression_comments_do_not_import_each_other() -> None:
    # Both build on lint/api.py; the engine calls on suppression comments only when it runs.
    code_suppress = "import sys, salesflow.lint.suppress; print('salesflow.lint.engine' in sys.modules)"
    code_engine = "import sys, salesflow.lint.engine; print('salesflow.lint.suppress' in sys.modules)"
    for code in (code_suppress, code_engine):
        assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_the_readme_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    readme = (SAMPLES.parent / "README.md").read_text("utf-8")
    [example] = [block for block in readme.split("```python\n")[1:] if "salesflow.lint import run" in block]
    monkeypatch.chdir(SAMPLES.parent)
    exec(example.split("```", 1)[0], {})
    printed = capsys.readouterr().out.splitlines()
    result = CliRunner().invoke(cli, ["lint", "-f", "json", "--select", "missing-owner,SF2", "samples/"])
    found = json.loads(result.stdout)
    assert found and printed[:-1] == [f"{f['file']}:{f['line']}:{f['column']}: {f['code']} {f['message']}" for f in found]
    errors = sum(f["severity"] == "error" for f in found)
    assert printed[-1] == f"{errors} errors, {len(found) - errors} warnings, 0 unreadable"


def test_every_rule_says_in_plain_words_what_it_found_and_how_to_fix_it() -> None:
    # The handbook's health section shows these beside each finding, in its language.
    for rule in all_rules():
        for texts in (rule.TITLE, rule.FIX):
            assert set(texts) == {"en", "zh"}, rule.NAME
            assert all(text.strip() == text and text for text in texts.values()), rule.NAME
        assert not any(text.endswith((".", "。")) for text in rule.TITLE.values()), rule.NAME
        assert rule.FIX["en"].endswith(".") and rule.FIX["zh"].endswith("。"), rule.NAME
        assert rule.TITLE["en"][0].isupper() and rule.FIX["en"][0].isupper(), rule.NAME


def test_rules_build_on_the_rule_api_only() -> None:
    # A rule sees the engine, the runner, configuration and suppression only through lint/api.py,
    # so those can change without touching a rule.
    import ast

    for rule in all_rules():
        tree = ast.parse(Path(rule.__file__).read_text("utf-8"))
        linter = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 2 and n.module}
        assert linter <= {"api"}, (rule.NAME, linter)


def test_matching_finds_what_searching_each_normalised_text_finds() -> None:
    """Texts searched in one go answer as each would alone: folding (full-width forms, case,
    spaces, `ß`, combining marks) does not carry from one text into the next, and a word with a
    space may span a label and its owner but never two texts."""
    import re

    from salesflow.lint.api import matching, normalise

    words = ["售后", "after sales", "customer success", "renewal", "ss"]
    pattern = re.compile("|".join(re.escape(normalise(w)) for w in words))
    texts = [
        "售后服务 客服专员", "ＡＦＴＥＲ　Sales", "plain stage ", " customer", "success ", "Customer\u00a0 SUCCESS",
        "", "   ", "straße", "\u0301renewal", "ren\u0301ewal", "RENEWAL\u0301", "after", "sales team", "线索收集12 部门0",
        "客户 成功", "ﬀ ligature", "after \n sales", "\u3000售后\u3000",
    ]
    expected = [index for index, text in enumerate(texts) if pattern.search(normalise.__wrapped__(text))]
    assert expected == [0, 1, 4, 5, 8, 9, 17, 18]  # checked by hand: `ss` in success and straße; ĺ is no l
    assert matching(pattern, texts) == expected
    assert matching(pattern, []) == []
    # A text holding the character that joins them is searched on its own.
    assert matching(pattern, ["a\x00售后", "b"]) == [0]
