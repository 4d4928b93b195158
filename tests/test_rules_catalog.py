"""The rule documentation in Chinese: the `rules` gettext catalog is complete, current and shown whole."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from salesflow.cli.rules_cmd import command
from salesflow.lint import docs, docs_catalog
from salesflow.lint.rules import all_rules
from salesflow.textwidth import display_width

from conftest import require

ZH_CATALOG = docs_catalog.LOCALE / "zh" / "LC_MESSAGES" / "rules.po"
_CODE = re.compile(r"`[^`]*`")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _messages() -> list:
    from importlib.util import find_spec

    require(find_spec("babel") is not None, "Babel (pip install -e '.[test]')")
    from babel.messages.pofile import read_po

    with ZH_CATALOG.open("rb") as source:
        return [m for m in read_po(source, domain="rules") if m.id]


def test_every_message_has_a_chinese_translation_and_none_is_fuzzy() -> None:
    messages = _messages()
    assert len(messages) > 100  # every rule's summary, paragraphs and options, and the fixed text
    untranslated = [m.id for m in messages if not m.string.strip()]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"no zh translation for {untranslated}; {docs_catalog.STALE}"
    assert not fuzzy, f"fuzzy translations: {fuzzy}"
    for message in messages:
        words = re.search(r"[A-Za-z]{2,}", _PLACEHOLDER.sub("", _CODE.sub("", message.id)))
        if words:  # anything worded, not bare punctuation such as ", "
            assert _HAN.search(message.string), f"not Chinese: {message.string!r}"


def test_placeholders_and_code_spans_are_the_same_in_both_languages() -> None:
    for message in _messages():
        assert Counter(_PLACEHOLDER.findall(message.string)) == Counter(_PLACEHOLDER.findall(message.id)), message.id
        assert Counter(_CODE.findall(message.string)) == Counter(_CODE.findall(message.id)), (
            f"code spans differ:\n  {message.id}\n  {message.string}"
        )


def test_the_committed_catalog_is_current_with_the_docstrings() -> None:
    _messages()  # needs Babel
    problems = docs_catalog.stale()
    assert not problems, f"the rules catalog is behind the sources; {docs_catalog.STALE}:\n" + "\n".join(problems)


def test_a_docstring_changed_without_re_extraction_is_caught() -> None:
    _messages()  # needs Babel
    source = (docs_catalog.ROOT / "salesflow" / "lint" / "rules" / "missing_owner.py").read_bytes()
    edited = source.replace(b"Every stage needs one role that answers for it.", b"Every stage needs one owner.")
    assert edited != source
    fresh = docs_catalog.template()
    [old] = [m for m in fresh if m.id.startswith("Every stage needs one role")]
    del fresh[old.id]
    for line, _func, text, comments in docs_catalog.extract_rule_docs(io.BytesIO(edited), {}, (), {}):
        if text.startswith("Every stage needs one owner."):
            fresh.add(text, locations=[("salesflow/lint/rules/missing_owner.py", line)], auto_comments=comments)
    problems = docs_catalog.stale(fresh)
    assert any("lacks 'Every stage needs one owner." in p for p in problems), problems
    assert any("still has 'Every stage needs one role" in p for p in problems), problems
    assert "make rule-catalog" in docs_catalog.STALE


def test_every_prose_unit_of_every_rule_is_in_the_catalog() -> None:
    translated = {m.id for m in _messages()}
    for rule in all_rules():
        units = list(docs.prose(docs.text(rule)))
        assert units[0].part == "summary" and any(u.part == "Why it matters" for u in units), rule.NAME
        for unit in units:
            assert unit.text in translated, f"{rule.NAME}: {unit.text!r} is not in the catalog"


def test_the_page_asks_for_exactly_the_units_the_catalog_extracts(monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(docs, "translator", lambda lang: lambda message: asked.append(message) or message)
    fixed = {*docs._SHOWN_HEADINGS.values(), docs._WITH_OPTIONS, docs._DEFAULT, docs._COLON}
    for rule in all_rules():
        asked.clear()
        docs.render(rule, "xx")
        assert set(asked) - fixed == {unit.text for unit in docs.prose(docs.text(rule))}, rule.NAME


# --- what a reader sees -----------------------------------------------------------------------

# Four words of Latin script in a row, separated by single spaces only, is an English sentence
# (or most of one); lists of option values are separated by commas and do not count.
_ENGLISH = re.compile(r"(?<![\w-])[A-Za-z][a-z']*(?: [A-Za-z][a-z']*){3,}")
_QUOTED = re.compile(r"「[^」]*」")
_EXAMPLE_HEADINGS = ("反例", "正例")


def _english_sentences(text: str) -> list[str]:
    """English sentences outside code spans, quoted chart words and the example charts."""
    prose = []
    for line in text.split("\n"):
        if line.startswith(_EXAMPLE_HEADINGS + ("Failing example", "Passing example")):
            break  # the examples are charts: they stay as written
        prose.append(line)
    joined = _QUOTED.sub(" ", _CODE.sub(" ", " ".join(l.strip() for l in prose)))
    return _ENGLISH.findall(joined)


def _rules(*args: str, env: dict | None = None):
    result = CliRunner().invoke(command, list(args), env=env or {"SALESFLOW_LANG": ""})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.NAME)
def test_each_rule_reads_in_chinese(rule) -> None:
    text = _rules(rule.NAME, "--lang", "zh")
    lines = text.split("\n")
    assert lines[0] == f"{rule.CODE} {rule.NAME}"
    assert lines[1].startswith("默认级别：") and lines[2].startswith("配置：") and lines[3].startswith("在图中忽略：")
    assert lines[4] and _HAN.search(lines[4]), "the summary comes first"
    for heading in ("为什么重要：", "选项：", "反例（会报告）", "正例（可通过）"):
        assert any(l.startswith(heading) for l in lines), heading
    assert not _english_sentences(text), _english_sentences(text)
    # The charts are the same in both languages.
    failing, passing = docs.examples(rule)
    assert docs.sections(rule, "zh")["Failing example"] == failing and failing in _indented(text)
    assert passing in _indented(text)
    for line in lines[4:]:  # the prose is wrapped, as the English is; the header's setting line is not
        if "`" not in line:
            assert display_width(line) <= docs.WIDTH + 8, f"{rule.NAME}: line too wide: {line}"


def _indented(text: str) -> str:
    return "\n".join(line[4:] for line in text.split("\n"))


def test_the_english_sentence_check_finds_english() -> None:
    english = _rules("missing-owner")
    assert len(_english_sentences(english)) > 5
    assert _english_sentences("每个阶段 `A@{ owner: 客户经理 }`，「by the end of Q3」") == []
    assert _english_sentences("这一段 has an English sentence in it。") == ["has an English sentence in it"]


def test_option_names_and_defaults_stay_as_written() -> None:
    text = _rules("vague-owner", "--lang", "zh")
    assert "    words（默认：见下方列表）\n        视为含糊的责任人写法" in text
    assert "    allow-shared（默认：false）\n" in text
    assert "{ severity = …, words = …, allow-shared = … }" in text


def test_a_list_in_a_description_keeps_its_items() -> None:
    text = _rules("missing-fallback", "--lang", "zh")
    items = [l for l in text.split("\n") if l.startswith("- ")]
    assert [i[:5] for i in items] == ["- 回退：", "- 退出：", "- 或者跳"]


def test_the_catalogue_in_chinese_shows_the_titles() -> None:
    text = _rules("--lang", "zh")
    for rule in all_rules():
        [line] = [l for l in text.split("\n") if l.startswith(rule.CODE + " ")]
        assert line.split()[1] == rule.NAME and line.endswith(rule.TITLE["zh"])
    assert text.endswith("`salesflow rules NAME` 查看单条规则的说明：检查什么、为什么重要、选项和示例。\n")


def test_english_is_the_docstring_as_written() -> None:
    for rule in all_rules():
        text = _rules(rule.NAME)
        assert text.endswith("\n" + docs.text(rule) + "\n")
        assert docs.render(rule) == docs.text(rule)
    catalogue = _rules()
    assert "SF101  missing-owner" in catalogue and "A stage that nobody is responsible for\n" in catalogue


def test_salesflow_lang_chooses_the_language_and_lang_wins() -> None:
    assert "为什么重要：" in _rules("dead-end", env={"SALESFLOW_LANG": "zh_CN.UTF-8"})
    assert "Why it matters:" in _rules("dead-end", "--lang", "en", env={"SALESFLOW_LANG": "zh"})
    # A language with no catalog in the environment leaves English; asked for by name, it is an error.
    assert "Why it matters:" in _rules("dead-end", env={"SALESFLOW_LANG": "fr"})
    result = CliRunner().invoke(command, ["dead-end", "--lang", "fr"])
    assert result.exit_code == 2
    assert "no rule documentation in `fr`; choose one of en, zh" in result.output


def test_the_catalog_loads_only_when_a_translation_is_shown() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from salesflow.cli.rules_cmd import catalogue, explain; from salesflow.lint import docs; "
        "from salesflow.lint.rules import all_rules; rules = all_rules(); "
        "catalogue(rules); explain(rules[0]); print(docs.rule_translations.cache_info().misses); "
        "explain(rules[0], 'zh'); print(docs.rule_translations.cache_info().misses)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "1"]
