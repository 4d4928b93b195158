"""Lint configuration: presets, rule settings, path patterns, discovery and its mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesflow.errors import ConfigError
from salesflow.lint.config import Config, compile_glob, from_table, load_config, preset_rules, read_config
from salesflow.lint.rules import all_rules


def test_presets() -> None:
    recommended, strict, everything = (preset_rules(p) for p in ("recommended", "strict", "all"))
    for rule in all_rules():
        assert recommended[rule.NAME].severity == (rule.SEVERITY if rule.ENABLED else "off")
        assert everything[rule.NAME].severity == rule.SEVERITY
        assert strict[rule.NAME].severity in ("error", "info")
    assert recommended["missing-kpi"].severity == "off"
    with pytest.raises(ConfigError, match="did you mean `strict`"):
        preset_rules("strikt")


def test_rule_settings_by_name_or_code(tmp_path: Path) -> None:
    config = from_table(
        {"rules": {"SF101": "warning", "too-many-steps": {"max": 12}, "label-too-long": {"severity": "off"}}},
        str(tmp_path / ".salesflow.toml"),
    )
    assert config.severity("missing-owner") == "warning"
    assert config.rules["too-many-steps"].options == {"max": 12}
    assert config.rules["too-many-steps"].severity == "warning", "options alone keep the severity"
    assert config.severity("label-too-long") == "off"
    assert config.root == str(tmp_path)


@pytest.mark.parametrize(
    "table, message",
    [
        ({"rules": {"too-many-steps": {"max": 0}}}, "is at least 1, not 0"),
        ({"rules": {"too-many-steps": {"max": True}}}, "is a whole number, not `true`"),
        ({"rules": {"vague-owner": {"words": "TBD"}}}, "is a list of words"),
        ({"rules": {"missing-owner": {"ignore-markers": "yes"}}}, "is true or false"),
        ({"rules": {"missing-owner": 3}}, "is a severity"),
        ({"rules": "all"}, "`rules` must be a table"),
        ({"extends": ["recommended"]}, "`extends` is the name of a preset"),
        ({"exclude": [1]}, "`exclude` must be a list of path patterns"),
        ({"per-file-ignores": {"x": 3}}, "must be a list of rule names or codes"),
        ({"lint": {}}, "unknown key `lint`"),
    ],
)
def test_mistakes(table: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        from_table(table, "/p/.salesflow.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("/p/.salesflow.toml: ")


def test_select_and_ignore_words() -> None:
    base = Config.default()
    selected = base.selecting(["SF1", "dead-end"])
    on = {name for name, rule in selected.rules.items() if rule.severity != "off"}
    assert on == {"missing-owner", "vague-owner", "unknown-owner", "unused-role", "dead-end"}
    assert base.selecting([], ["ALL"]).active("x.flow") == []
    with pytest.raises(ConfigError, match="--ignore names `SF9`"):
        base.selecting([], ["SF9"])


@pytest.mark.parametrize(
    "pattern, path, matches",
    [
        ("drafts/", "drafts/a.flow", True),
        ("drafts/", "team/drafts/a.flow", True),
        ("drafts", "drafts-old/a.flow", False),
        ("legacy/**", "legacy/x/y.flow", True),
        ("legacy/**", "src/legacy/y.flow", False),
        ("*.draft.flow", "a/b/c.draft.flow", True),
        ("team/*.flow", "team/a.flow", True),
        ("team/*.flow", "team/sub/a.flow", False),
        ("./team/**/*.flow", "team/a/b/c.flow", True),
        ("q?.flow", "q1.flow", True),
        ("q[0-9].flow", "qa.flow", False),
        ("销售/*.flow", "销售/报价.flow", True),
    ],
)
def test_path_patterns(pattern: str, path: str, matches: bool) -> None:
    assert bool(compile_glob(pattern).fullmatch(path)) is matches


def test_discovery_is_cached_and_per_directory(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".salesflow.toml").write_text('[rules]\ndead-end = "off"\n', "utf-8")
    (tmp_path / "b").mkdir()
    first = load_config(str(tmp_path / "a" / "x.flow"))
    assert first is load_config(str(tmp_path / "a" / "y.flow"))
    assert first.severity("dead-end") == "off"
    assert load_config(str(tmp_path / "b" / "x.flow")).severity("dead-end") == "error"


def test_a_pyproject_named_with_config_needs_the_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"no \[tool.salesflow\] table"):
        read_config(str(path))


def test_per_file_ignores_and_exclude_relative_to_the_config(tmp_path: Path) -> None:
    config = from_table(
        {"per-file-ignores": {"legacy/**": ["missing-owner"]}, "exclude": ["drafts/"]},
        str(tmp_path / ".salesflow.toml"),
    )
    legacy = str(tmp_path / "legacy" / "a.flow")
    names = {rule.NAME for rule, _s, _o in config.active(legacy)}
    assert "missing-owner" not in names
    assert "missing-owner" in {rule.NAME for rule, _s, _o in config.active(str(tmp_path / "a.flow"))}
    assert config.excludes(str(tmp_path / "drafts" / "x.flow"))
    assert not config.excludes(str(tmp_path / "x.flow"))
