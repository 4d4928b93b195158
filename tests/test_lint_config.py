"""Lint configuration: presets, rule settings, path patterns, discovery and its mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesflow.errors import ConfigError
from salesflow.lint.config import Config, PathPattern, from_table, load_config, preset_rules, read_config
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
    assert PathPattern(pattern).matches(path) is matches


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


# ------------------------------------------------------------------ path patterns: one meaning for both keys

PATTERN_FILES = ["drafts/a.flow", "team/drafts/b.flow", "team/a.flow", "team/sub/c.flow", "drafts.flow", "x.draft.flow"]


@pytest.mark.parametrize(
    "pattern, matched",
    [
        ("drafts/", {"drafts/a.flow", "team/drafts/b.flow"}),  # a folder, at any depth
        ("/drafts/", {"drafts/a.flow"}),  # a leading `/` anchors it at the config's folder
        ("drafts", {"drafts/a.flow", "team/drafts/b.flow"}),  # `drafts.flow` is another name
        ("team/*.flow", {"team/a.flow"}),  # `*` stays within one folder
        ("team/**/*.flow", {"team/a.flow", "team/sub/c.flow", "team/drafts/b.flow"}),  # `**` crosses folders
        ("team/**", {"team/a.flow", "team/sub/c.flow", "team/drafts/b.flow"}),
        ("*.draft.flow", {"x.draft.flow"}),
        ("team/drafts/b.flow", {"team/drafts/b.flow"}),
        ("./team/a.flow", {"team/a.flow"}),
    ],
)
def test_exclude_and_per_file_ignores_read_a_pattern_alike(tmp_path: Path, pattern: str, matched: set) -> None:
    config = from_table(
        {"exclude": [pattern], "per-file-ignores": {pattern: ["dead-end"]}}, str(tmp_path / ".salesflow.toml")
    )
    for name in PATTERN_FILES:
        path = str(tmp_path / name)
        ignored = "dead-end" not in {rule.NAME for rule, _s, _o in config.active(path)}
        assert config.excludes(path) is (name in matched), name
        assert ignored is (name in matched), name


def test_a_trailing_slash_matches_only_a_folder() -> None:
    assert PathPattern("drafts/").matches("drafts/a.flow")
    assert not PathPattern("drafts/").matches("drafts"), "a file called drafts is not a folder"
    assert PathPattern("drafts").matches("drafts")


def test_files_outside_the_config_folder_never_match(tmp_path: Path) -> None:
    config = from_table({"exclude": ["*.flow", "**"]}, str(tmp_path / "project" / ".salesflow.toml"))
    assert config.excludes(str(tmp_path / "project" / "a.flow"))
    assert not config.excludes(str(tmp_path / "elsewhere" / "a.flow"))


@pytest.mark.parametrize("pattern", ["", "/", "./"])
def test_a_pattern_naming_nothing_is_refused(pattern: str) -> None:
    with pytest.raises(ConfigError, match=f'exclude pattern "{pattern}" cannot be used'):
        from_table({"exclude": [pattern]}, "/p/.salesflow.toml")


def _reference_match(pattern: str, path: str) -> bool:
    """A slow, obviously right reading of the documented rules, built on fnmatch for single names."""
    import fnmatch

    def names_match(parts: list[str], names: list[str]) -> bool:
        if not parts:
            return not names
        if parts[0] == "**":
            return any(names_match(parts[1:], names[i:]) for i in range(len(names) + 1))
        return bool(names) and fnmatch.fnmatchcase(names[0], parts[0]) and names_match(parts[1:], names[1:])

    folder_only = pattern.endswith("/")
    parts = [part for part in pattern.split("/") if part]
    if "/" not in pattern.rstrip("/"):
        parts = ["**", *parts]
    names = path.split("/")
    # the file itself, or a folder it is in
    return any(names_match(parts, names[:k]) for k in range(len(names) + (0 if folder_only else 1)))


def test_path_patterns_agree_with_a_reference_on_random_cases() -> None:
    import random

    chooser = random.Random(20261201)
    pieces = ["a", "b", "ab", "*", "?", "[ab]", "[!a]", "/", "**/", "/**"]
    checked = 0
    while checked < 5000:
        pattern = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 6))).replace("***", "**")
        if not pattern.strip("/"):
            continue
        path = "/".join(
            "".join(chooser.choice("ab") for _ in range(chooser.randint(1, 4))) for _ in range(chooser.randint(1, 4))
        )
        assert PathPattern(pattern).matches(path) is _reference_match(pattern, path), (pattern, path)
        checked += 1


# ------------------------------------------------------------------ patterns that match nothing


def _project(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "team" / "legacy").mkdir(parents=True)
    (tmp_path / "team" / "legacy" / "old.flow").write_text("graph TD\n  A --> B\n", "utf-8")
    (tmp_path / "new.flow").write_text("graph TD\n  A --> B\n", "utf-8")
    (tmp_path / ".salesflow.toml").write_text(toml, "utf-8")
    return tmp_path


def _lint(cwd: Path, *arguments: str):
    import os

    from click.testing import CliRunner

    from salesflow.cli import cli
    from salesflow.lint.config import find_config_file, read_config

    find_config_file.cache_clear()
    read_config.cache_clear()
    before = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, ["lint", "--exit-zero", *arguments])
    finally:
        os.chdir(before)


def test_a_pattern_that_matches_no_file_is_reported(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        'exclude = ["drafts/", "team/legacy/"]\n[per-file-ignores]\n"legacy/**" = ["dead-end"]\n"new.flow" = ["SF1"]\n',
    )
    result = _lint(project, ".")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        '.salesflow.toml: warning: exclude pattern "drafts/" matches no file',
        # anchored at the config's folder: it would need legacy/ beside .salesflow.toml
        '.salesflow.toml: warning: per-file-ignores pattern "legacy/**" matches no file',
    ]
    assert "old.flow" not in result.stdout, "team/legacy/ is excluded"


def test_unmatched_patterns_are_judged_only_over_the_whole_folder(tmp_path: Path) -> None:
    project = _project(tmp_path, 'exclude = ["drafts/"]\n')
    assert _lint(project, "new.flow").stderr == "", "one named file does not show what a pattern could match"
    assert _lint(project / "team", ".").stderr == "", "a subfolder does not either"
    assert "matches no file" in _lint(project / "team", "..").stderr


# ------------------------------------------------------------------ the layout of each file


def test_a_salesflow_toml_written_like_a_pyproject_gets_told_the_layout(tmp_path: Path) -> None:
    path = tmp_path / ".salesflow.toml"
    path.write_text('[tool.salesflow]\nextends = "strict"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"settings sit at the top level .* is the table's name in pyproject.toml"):
        read_config(str(path))


def _readme_toml_blocks() -> list[tuple[str, str]]:
    """(file name the README gives it, text) for each ```toml block of the README's configuration section."""
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = []
    for match in re.finditer(r"(`pyproject\.toml`|`\.salesflow\.toml`)[^`]*?:\n\n```toml\n(.*?)```", readme, re.S):
        blocks.append((match.group(1).strip("`"), match.group(2)))
    return blocks


def test_the_readme_examples_read_in_the_file_each_is_for(tmp_path: Path) -> None:
    blocks = _readme_toml_blocks()
    assert sorted(name for name, _text in blocks) == [".salesflow.toml", "pyproject.toml"]
    configs = []
    for name, text in blocks:
        (tmp_path / name).write_text(text, "utf-8")
        configs.append(read_config(str(tmp_path / name)))
    first, second = configs
    assert first.rules == second.rules, "both examples say the same thing"
    assert [p.text for p in first.exclude] == [p.text for p in second.exclude] == ["drafts/"]
    assert first.severity("missing-kpi") == "warning"
