"""Every rule against its case file (tests/rules/<rule-name>.yml), and its documented examples.

A case file lists charts with the findings the rule must give, by position (`"line:col"`, in the
chart) and optionally by node, edge, subgraph and a piece of the message:

    cases:
      - name: what the case shows
        options: {max: 3}          # optional: the rule's options for this case
        date: 2027-01-15           # optional: the day of the review (default: REVIEW_DATE)
        chart: |
          flowchart TD
            ...
        expect:
          - "2:5"
          - {at: "3:9", node: B, message: "has no owner"}

Each case runs the whole recommended preset with the rule switched on (other rules' findings
are ignored), so a case also shows that the rule works alongside the others.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from salesflow.lint import docs, lint
from salesflow.lint.config import Config, RuleConfig, check_option
from salesflow.lint.rules import all_rules, lookup
from salesflow.parse import parse_text

CASE_DIR = Path(__file__).resolve().parent / "rules"
# Cases are reviewed as of a fixed day, so that a goal's date does not pass while the tests stand still.
REVIEW_DATE = datetime.date(2026, 6, 1)


def _cases() -> list:
    params = []
    for path in sorted(CASE_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for case in data["cases"]:
            params.append(pytest.param(path.stem, case, id=f"{path.stem}/{case['name']}"))
    return params


def config_with(rule_name: str, options: dict | None = None) -> Config:
    """The recommended preset with `rule_name` on at its default severity and with `options`."""
    rule = lookup(rule_name)
    assert rule is not None, f"no rule called {rule_name}"
    config = Config.default()
    rules = dict(config.rules)
    merged = dict(rules[rule.NAME].options)

    def fail(message: str) -> Exception:
        return AssertionError(message)

    for key, value in (options or {}).items():
        assert key in rule.OPTIONS, f"{rule.NAME} has no option {key}"
        merged[key] = check_option(rule, key, value, fail)
    rules[rule.NAME] = RuleConfig(rule.SEVERITY, merged)
    return Config(rules=rules)


def findings_of(
    rule_name: str, chart: str, options: dict | None = None, today: datetime.date | None = REVIEW_DATE
) -> list:
    process = parse_text(chart, "case.flow")
    found = lint(process, config_with(rule_name, options), source=chart, today=today)
    return [f for f in found if f.rule == rule_name]


@pytest.mark.parametrize("rule_name, case", _cases())
def test_rule_case(rule_name: str, case: dict) -> None:
    found = findings_of(rule_name, case["chart"], case.get("options"), case.get("date", REVIEW_DATE))
    expected = [e if isinstance(e, dict) else {"at": e} for e in case["expect"]]
    got = [f"{f.line}:{f.column}" for f in found]
    assert got == [e["at"] for e in expected], "\n".join(f"{f.line}:{f.column} {f.message}" for f in found)
    for finding, expectation in zip(found, expected):
        for key in ("node", "edge", "subgraph"):
            if key in expectation:
                assert getattr(finding, key) == expectation[key], f"{key} of {finding}"
        if "message" in expectation:
            assert expectation["message"] in finding.message
        assert finding.code == lookup(rule_name).CODE


def test_every_rule_has_a_case_file_with_failing_and_passing_cases() -> None:
    for rule in all_rules():
        path = CASE_DIR / f"{rule.NAME}.yml"
        assert path.exists(), f"{rule.NAME} has no case file"
        cases = yaml.safe_load(path.read_text("utf-8"))["cases"]
        assert any(c["expect"] for c in cases), f"{rule.NAME}: no failing case"
        assert any(not c["expect"] for c in cases), f"{rule.NAME}: no passing case"
    names = {rule.NAME for rule in all_rules()}
    strays = {p.stem for p in CASE_DIR.glob("*.yml")} - names
    assert not strays, f"case files for no rule: {strays}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.NAME)
def test_failing_example_triggers_the_rule(rule) -> None:
    failing, _passing = docs.examples(rule)
    options, _ = docs.example_options(rule)
    assert failing.strip(), f"{rule.NAME} documents no failing example"
    assert findings_of(rule.NAME, failing, options, today=None), f"{rule.NAME}: the failing example does not trigger it"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.NAME)
def test_passing_example_does_not_trigger_the_rule(rule) -> None:
    _failing, passing = docs.examples(rule)
    _, options = docs.example_options(rule)
    assert passing.strip(), f"{rule.NAME} documents no passing example"
    found = findings_of(rule.NAME, passing, options, today=None)
    assert not found, f"{rule.NAME}: the passing example triggers it: {found}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.NAME)
def test_documentation_is_complete(rule) -> None:
    parts = docs.sections(rule)
    assert docs.summary(rule) and parts["description"].strip()
    for section in docs.SECTIONS:
        assert parts.get(section, "").strip(), f"{rule.NAME}: no '{section}:' section"
    for name, option in rule.OPTIONS.items():
        assert name in parts["Options"], f"{rule.NAME}: option {name} is not documented"
        if option.kind in ("bool", "int"):
            shown = str(option.default).lower()
            assert f"{name} (default: {shown})" in parts["Options"], f"{rule.NAME}: default of {name} not documented"
    assert rule.SEVERITY in ("error", "warning", "info")
    assert rule.CODE.startswith("SF") and len(rule.CODE) == 5
    assert rule.NAME == rule.__name__.rsplit(".", 1)[1].replace("_", "-")


def test_codes_and_names_are_unique() -> None:
    rules = all_rules()
    assert len({r.CODE for r in rules}) == len(rules)
    assert len({r.NAME for r in rules}) == len(rules)


def test_examples_are_valid_charts() -> None:
    for rule in all_rules():
        for example in docs.examples(rule):
            parse_text(example, f"{rule.NAME}.flow")  # raises ParseError if not


@pytest.mark.parametrize(
    "goal, smart",
    [("1" * 200_000, False), ("一" * 70_000, False), ("1 " * 100_000, False), ("2" * 200_000 + "天内", True),
     ("十" * 70_000 + "倍", False)],
    ids=["digits", "chinese-numerals", "spaced-digits", "digits-then-unit", "numerals-then-measure"],
)
def test_goal_not_smart_takes_linear_time_on_a_huge_goal(goal: str, smart: bool) -> None:
    # Linear takes ~0.2 s here; the quadratic reading took 9 s at a tenth of this size (15 minutes here).
    from conftest import no_hang

    chart = f'---\ngoals: ["{goal}"]\n---\nflowchart TD\n    A([线索]) --> B([成交])\n'
    process = parse_text(chart, "case.flow")
    with no_hang(f"goal-not-smart on a {len(chart):,}-character goal"):
        found = [f for f in lint(process, config_with("goal-not-smart"), source=chart) if f.rule == "goal-not-smart"]
    assert len(found) == (0 if smart else 1)


def test_lint_judges_goal_dates_as_of_the_date_given(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from salesflow.cli import cli

    chart = tmp_path / "goals.flow"
    chart.write_text("---\ngoals: [2026年6月30日前，赢单率从20%提升到30%]\n---\nflowchart LR\n    A[报价] --> B[签约]\n", "utf-8")
    args = ["lint", "-q", "--select", "goal-date-passed", "--no-source", str(chart)]
    before = CliRunner().invoke(cli, [*args, "--date", "2026-06-30"])
    after = CliRunner().invoke(cli, [*args, "--date", "2026-07-01"])
    assert before.exit_code == 0 and before.output == ""
    assert after.exit_code == 0  # a warning does not fail the run
    assert after.output.startswith(f"{chart}:2:9: SF805 warning: the goal '2026年6月30日前，赢单率从20%提升到30%' was due by 2026-06-30")
    wrong = CliRunner().invoke(cli, [*args, "--date", "30.6.2026"])
    assert wrong.exit_code == 2 and "'30.6.2026' is not a date: write it as YYYY-MM-DD" in wrong.output


def test_without_a_date_the_review_is_as_of_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    chart = "---\ngoals: [2026年6月30日前，赢单率从20%提升到30%]\n---\nflowchart LR\n    A[报价] --> B[签约]\n"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782864000")  # 2026-07-01 00:00 UTC
    [finding] = findings_of("goal-date-passed", chart, today=None)
    assert "(as of 2026-07-01)" in finding.message
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782777600")  # 2026-06-30
    assert findings_of("goal-date-passed", chart, today=None) == []


def _findings_without_hanging(rule_name: str, chart: str) -> list:
    from conftest import no_hang

    with no_hang(f"{rule_name} on {len(chart):,} characters"):
        return findings_of(rule_name, chart)


def test_missing_fallback_stays_linear_on_thousands_of_gates() -> None:
    # 4,000 gates in a row, each "no" going through a stage of its own to a shared archive: a
    # walk per gate up to the join took 11 s here.
    lines = ["flowchart TD", "  S([start]) --> q0"]
    for i in range(4_000):
        lines.append(f"  q{i}{{ok?}} -->|yes| q{i + 1}\n  q{i} -->|no| x{i}[note] --> Z[archive]")
    lines.append("  q4000[done] --> Z\n  Z --> W([end])")
    found = _findings_without_hanging("missing-fallback", "\n".join(lines) + "\n")
    assert found and found[0].node == "q0"  # every branch of the first gate moves forward


def test_missing_feedback_loop_stays_linear_with_many_late_stages() -> None:
    # A chain of 5,000 after-sales stages with nothing early before them: finding where a
    # feedback link could start must not walk the chain once per late stage.
    chart = "flowchart LR\n  A[线索] --> B[需求] --> C[报价] --> D[谈判] --> E([结案])\n"
    chart += "".join(f"  H{i}[售后回访{i}] --> H{i + 1}\n" for i in range(5_000))
    found = _findings_without_hanging("missing-feedback-loop", chart)
    assert [f.node for f in found] == ["D"] and "`D -->|客户反馈/转介绍| A`" in found[0].message
