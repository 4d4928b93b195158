"""`salesflow rules`: the catalogue and each rule's documentation."""

from __future__ import annotations

from click.testing import CliRunner

from salesflow.cli.rules_cmd import command
from salesflow.lint.rules import all_rules


def test_the_catalogue_lists_every_rule_with_its_default_severity() -> None:
    result = CliRunner().invoke(command, [])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for rule in all_rules():
        [line] = [l for l in lines if l.startswith(rule.CODE + " ")]
        words = line.split()
        assert words[1] == rule.NAME
        assert words[2] == (rule.SEVERITY if rule.ENABLED else "off")
    assert any(l.split()[:3] == ["SF801", "missing-kpi", "off"] for l in lines)


def test_one_rule_by_name_or_code() -> None:
    by_name = CliRunner().invoke(command, ["dead-end"])
    by_code = CliRunner().invoke(command, ["sf304"])
    assert by_name.exit_code == 0 and by_name.output == by_code.output
    text = by_name.output
    assert text.startswith("SF304 dead-end\nDefault: error (the recommended preset); error in strict, error in all")
    for heading in ("Why it matters:", "Options:", "Failing example:", "Passing example:"):
        assert heading in text


def test_options_are_shown_with_the_configuration_hint() -> None:
    text = CliRunner().invoke(command, ["too-many-steps"]).output
    assert "too-many-steps = \"error\" | \"warning\" | \"info\" | \"off\", or { severity = …, max = … }" in text
    assert "max (default: 30)" in text
    off = CliRunner().invoke(command, ["missing-kpi"]).output
    assert "Default: off (the recommended preset); error in strict, warning in all" in off


def test_an_unknown_rule_is_a_usage_error_with_a_suggestion() -> None:
    result = CliRunner().invoke(command, ["dead-ends"])
    assert result.exit_code == 2
    assert "did you mean `dead-end`?" in result.output
