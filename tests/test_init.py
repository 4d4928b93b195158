"""`salesflow init`: a starting chart whose blanks the linter points at, never over an existing file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from salesflow import api
from salesflow.cli import cli
from salesflow.starters import STARTERS, starter_text


def run(*arguments: str, cwd: Path):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(cli, list(arguments), catch_exceptions=False)
    written = {p.name: p.read_text(encoding="utf-8") for p in cwd.glob("*.flow")}
    return result, written


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", STARTERS)
def test_every_template_reads_and_its_review_is_the_list_of_blanks(name: str, lang: str) -> None:
    text = starter_text(name, lang)
    process = api.parse_text(text, f"{name}.flow")
    assert process.lang == lang
    findings = api.lint(process, source=text)
    # What the linter finds is exactly what is left to fill in: owners, deadlines, the goal.
    assert {f.rule for f in findings} == {"vague-owner", "invalid-duration", "goal-not-smart"} - (
        {"vague-owner"} if name == "b2b" else set()  # in lanes, the department is the owner
    )
    blank = "待定" if lang == "zh" else "TBD"
    lines = text.split("\n")
    for finding in findings:
        if finding.rule != "goal-not-smart":
            assert blank in lines[finding.line - 1][finding.column - 1 :], finding
    # Every stage has a deadline to fill in: one invalid-duration per node.
    assert sum(f.rule == "invalid-duration" for f in findings) == len(process.nodes)


def test_classic_is_the_seven_stages() -> None:
    process = api.parse_text(starter_text("classic", "zh"))
    labels = [node.label for node in process.nodes if not node.is_decision]
    assert labels == ["潜在客户获取", "客户需求分析", "销售机会评估", "报价与谈判", "合同签订", "交付与实施", "售后服务"]


def test_init_writes_the_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result, written = run("init", "team.flow", "--template", "b2b", "--lang", "en", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert written["team.flow"] == starter_text("b2b", "en")
    assert "salesflow lint team.flow" in result.output
    # With no language chosen anywhere, a starting chart is Chinese, like most of the people who draft.
    monkeypatch.delenv("SALESFLOW_LANG", raising=False)
    result, written = run("init", cwd=tmp_path)
    assert result.exit_code == 0
    assert written["process.flow"] == starter_text("classic", "zh")
    monkeypatch.setenv("SALESFLOW_LANG", "en")
    result, written = run("init", "english.flow", cwd=tmp_path)
    assert result.exit_code == 0
    assert written["english.flow"] == starter_text("classic", "en")


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "mine.flow"
    target.write_text("graph TD\n    A[my own chart]\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 2
    assert "refusing to overwrite" in result.output and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "graph TD\n    A[my own chart]\n"
    result = runner.invoke(cli, ["init", str(target), "--force", "-t", "export", "--lang", "zh"])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == starter_text("export", "zh")


def test_an_unknown_template_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "x.flow"), "--template", "retial"])
    assert result.exit_code == 2 and "retail" in result.output
    assert not (tmp_path / "x.flow").exists()


def test_init_writes_the_chart_in_the_language_asked_for_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`salesflow --lang en init` and a configuration's `lang` choose the chart's language as
    `init --lang` does; `init --lang` still wins, and the locale alone does not."""
    monkeypatch.delenv("SALESFLOW_LANG", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    result, written = run("init", "locale.flow", cwd=tmp_path)
    assert result.exit_code == 0 and written["locale.flow"] == starter_text("classic", "zh")
    result, written = run("--lang", "en", "init", "group.flow", cwd=tmp_path)
    assert result.exit_code == 0 and written["group.flow"] == starter_text("classic", "en")
    team = tmp_path / "team"
    team.mkdir()
    (team / ".salesflow.toml").write_text('lang = "en"\n', encoding="utf-8")
    result, _written = run("init", "configured.flow", "-t", "retail", cwd=team)
    assert result.exit_code == 0
    assert (team / "configured.flow").read_text(encoding="utf-8") == starter_text("retail", "en")
    result, _written = run("init", "asked.flow", "-t", "retail", "--lang", "zh", cwd=team)
    assert (team / "asked.flow").read_text(encoding="utf-8") == starter_text("retail", "zh")
