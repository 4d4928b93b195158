"""Every message in the reader's language: choosing it, the catalogs, and Chinese that is Chinese.

A Chinese message may hold code (`A@{ owner: … }`), quoted chart labels (「…」), rule names and
codes and a few proper names; anything else in Latin script that reads as words is an English
sentence left behind, and fails.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, require
from salesflow import i18n
from salesflow.lint import docs, lint
from salesflow.lint.rules import all_rules
from salesflow.parse import parse_text
from test_rules import REVIEW_DATE, _cases, findings_of

LOCALE = ROOT / "salesflow" / "locale"
PLACEHOLDER = re.compile(r"{(\w*)}")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Words that stay as they are in a Chinese sentence: names of products, formats and the tool.
PROPER_NAMES = {"salesflow", "Mermaid", "GitHub", "KPI", "SVG", "PNG", "PDF", "DOT", "JSON", "HTML", "lint", "id"}


def english_left(text: str) -> list[str]:
    """Runs of Latin-script words in `text` outside code, quoted labels, ids and proper names."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"「[^」]*」", " ", text)
    text = re.sub(r"\[[a-z0-9-]+\]", " ", text)  # the rule name after a finding
    text = re.sub(r"\bSF\d{3}\b", " ", text)
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text) if w not in PROPER_NAMES]
    runs = re.findall(r"[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z][A-Za-z'’-]*){2,}", text)
    return [r for r in runs if any(w in r for w in words)]


def salesflow(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SALESFLOW_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "salesflow", *args], capture_output=True, text=True, env=clean, cwd=cwd or ROOT
    )


# ------------------------------------------------------------------ choosing the language


@pytest.mark.parametrize(
    "explicit, environ, config, expected",
    [
        ("zh", {"SALESFLOW_LANG": "en", "LANG": "en_US.UTF-8"}, "en", "zh"),
        (None, {"SALESFLOW_LANG": "zh", "LANG": "en_US.UTF-8"}, "en", "zh"),
        (None, {"LANG": "en_US.UTF-8"}, "zh", "zh"),
        (None, {"LANG": "zh_CN.UTF-8"}, None, "zh"),
        (None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, None, "en"),  # LC_ALL wins over LANG, C is English
        (None, {"LC_MESSAGES": "zh_TW", "LANG": "en_GB"}, None, "zh"),
        (None, {"LANG": "POSIX"}, None, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, None, "en"),  # no French catalog: English
        (None, {"SALESFLOW_LANG": "fr", "LANG": "zh_CN.UTF-8"}, None, "zh"),  # an unknown choice is passed over
        (None, {}, None, "en"),
    ],
)
def test_language_is_resolved_in_order(explicit, environ, config, expected) -> None:
    assert i18n.resolve_language(explicit, config=config, environ=environ) == expected


def test_every_language_has_a_catalog_and_every_catalog_a_language() -> None:
    with_catalog = sorted(p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/salesflow.po"))
    assert i18n.LANGUAGES[0] == "en"
    assert sorted(i18n.LANGUAGES[1:]) == with_catalog


def test_english_run_opens_no_catalog() -> None:
    code = (
        "import gettext, sys\n"
        "from salesflow.lint import lint\nfrom salesflow.parse import parse_text\n"
        "from salesflow.lint.formats.text import summary\n"
        "lint(parse_text('flowchart TD\\n  A --> B\\n'))\n"
        "from salesflow import i18n\nprint(i18n.translations.cache_size())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


# ------------------------------------------------------------------ the catalogs


def _babel():
    try:
        import babel  # noqa: F401
    except ImportError:
        require(False, "Babel (pip install babel) to check the message catalogs")


def _catalog(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle)


def _extracted() -> set:
    """The msgids in the code and templates now, as `make catalogs` extracts them."""
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.extract import extract_from_dir

    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {
        "_": None, "n_": (1, 2), "N_": None, "NN_": (1, 2), "NP_": ((1, "c"), 2), "gettext": None, "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
    }
    found = set()
    for folder in ("salesflow", "templates"):
        for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT / folder), method_map, options_map, keywords=keywords
        ):
            found.add((context, message))
    return found


def _ids(catalog) -> set:
    return {(m.context, m.id) for m in catalog if m.id}


def test_the_template_holds_every_message_in_the_code() -> None:
    _babel()
    assert _ids(_catalog(LOCALE / "salesflow.pot")) == _extracted(), "run `make catalogs`"


@pytest.mark.parametrize("lang", i18n.LANGUAGES[1:])
def test_catalog_is_complete_and_compiled(lang: str) -> None:
    _babel()
    from babel.messages.mofile import write_mo

    po = LOCALE / lang / "LC_MESSAGES" / "salesflow.po"
    catalog = _catalog(po)
    assert _ids(catalog) == _ids(_catalog(LOCALE / "salesflow.pot")), "run `make catalogs`"
    assert not catalog.fuzzy
    for message in catalog:
        if not message.id:
            continue
        assert "fuzzy" not in message.flags, message.id
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{lang}: no translation for {ids[0]!r}"
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, f"{lang}: placeholders differ in {string!r}"
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert (po.with_suffix(".mo")).read_bytes() == compiled.getvalue(), "the .mo is older than the .po: run `make catalogs`"


def test_the_terminology_table_is_in_the_chinese_catalog() -> None:
    header = (LOCALE / "zh" / "LC_MESSAGES" / "salesflow.po").read_text("utf-8").split('\nmsgid ""', 1)[0]
    for term in ("责任人", "时限", "交接", "回退路径", "反馈闭环", "转化率", "周期"):
        assert term in header


# ------------------------------------------------------------------ findings


def _failing_charts() -> list:
    params = []
    for rule in all_rules():
        failing, _passing = docs.examples(rule)
        options, _ = docs.example_options(rule)
        params.append(pytest.param(rule.NAME, failing, options, None, id=f"{rule.NAME}/docs"))
    for param in _cases():
        name, case = param.values
        if case["expect"]:
            date = case.get("date", REVIEW_DATE)
            params.append(pytest.param(name, case["chart"], case.get("options"), date, id=param.id))
    return params


@pytest.mark.parametrize("rule_name, chart, options, date", _failing_charts())
def test_every_finding_is_worded_in_both_languages(rule_name: str, chart: str, options, date) -> None:
    with i18n.use("en"):
        english = findings_of(rule_name, chart, options, date)
    with i18n.use("zh"):
        chinese = findings_of(rule_name, chart, options, date)
    assert english, "the chart does not trigger the rule"
    assert [(f.line, f.column, f.code) for f in english] == [(f.line, f.column, f.code) for f in chinese]
    for finding in chinese:
        assert HAN.search(finding.message), finding.message
        assert not english_left(finding.message), f"English left in {finding.message!r}"
        assert "'" not in re.sub(r"`[^`]*`", "", finding.message), "labels are quoted 「」 in Chinese"


def test_counts_are_worded_with_plurals() -> None:
    from salesflow.lint.formats.text import summary
    from salesflow.lint.report import Entry, FileReport, Report

    process = parse_text("flowchart TD\n    A[需求分析] --> B[报价]\n    A@{ owner: 客户经理, due: 1天 }\n", "one.flow")
    found = [f for f in lint(process) if f.rule == "missing-owner"]
    assert len(found) == 1
    report = Report(files=[FileReport("one.flow", [Entry(found[0])])])
    with i18n.use("en"):
        assert summary(report) == "Found 1 problem (1 error) in 1 of 1 file."
    with i18n.use("zh"):
        assert summary(report) == "发现 1 个问题（1 个错误），出自 1 个文件（共检查 1 个文件）。"
    two = Report(files=[FileReport("a.flow"), FileReport("b.flow")])
    with i18n.use("en"):
        assert summary(two) == "No problems found in 2 files."
    with i18n.use("zh"):
        assert summary(two) == "检查了 2 个文件，未发现问题。"


# ------------------------------------------------------------------ the command line


def test_lang_option_environment_and_configuration_choose_the_language(tmp_path: Path) -> None:
    sample = str(SAMPLES / "classic-seven-stages.flow")
    chinese = salesflow("--lang", "zh", "lint", sample)
    assert chinese.returncode == 1
    assert "「合同签订」没有责任人" in chinese.stdout
    assert chinese.stdout.strip().splitlines()[-1].startswith("发现 17 个问题（15 个错误、2 个警告）")
    assert salesflow("lint", sample, env={"SALESFLOW_LANG": "zh"}).stdout == chinese.stdout
    assert salesflow("lint", sample, env={"LANG": "zh_CN.UTF-8"}).stdout == chinese.stdout
    english = salesflow("lint", sample, env={"LANG": "C.UTF-8"})
    assert "'合同签订' has no owner" in english.stdout
    assert salesflow("--lang", "en", "lint", sample, env={"SALESFLOW_LANG": "zh"}).stdout == english.stdout

    (tmp_path / ".salesflow.toml").write_text('lang = "zh"\n', encoding="utf-8")
    configured = salesflow("lint", sample, cwd=tmp_path)
    assert configured.stdout == chinese.stdout
    (tmp_path / ".salesflow.toml").write_text('lang = "klingon"\n', encoding="utf-8")
    (tmp_path / "chart.flow").write_text((SAMPLES / "classic-seven-stages.flow").read_text("utf-8"), "utf-8")
    wrong = salesflow("lint", "chart.flow", cwd=tmp_path)
    assert wrong.returncode == 2 and "`lang`" in wrong.stderr


def test_a_missing_graphviz_is_told_in_the_locales_language(tmp_path: Path) -> None:
    chart = str(SAMPLES / "b2b-lanes.flow")
    out = str(tmp_path / "chart.svg")
    nowhere = {"PATH": str(tmp_path)}
    chinese = salesflow("render", "-f", "svg", chart, "-o", out, env={**nowhere, "LANG": "zh_CN.UTF-8"})
    assert chinese.returncode != 0
    assert "在 PATH 中找不到 Graphviz 的 `dot` 程序；请安装 Graphviz" in chinese.stderr, chinese.stderr
    assert "not found" not in chinese.stderr
    english = salesflow("render", "-f", "svg", chart, "-o", out, env=nowhere)
    assert "Graphviz `dot` was not found on PATH; install Graphviz: `sudo apt-get install graphviz`" in english.stderr


def test_help_is_in_the_chosen_language() -> None:
    top = salesflow("--lang", "zh", "--help")
    assert top.returncode == 0
    assert top.stdout.startswith("用法：") and "命令" in top.stdout and "显示本帮助并退出。" in top.stdout
    assert "Review process files" not in top.stdout and "像资深销售运营负责人那样审阅流程文件。" in top.stdout
    assert salesflow("--help", env={"SALESFLOW_LANG": "zh"}).stdout == top.stdout
    assert salesflow("--help").stdout.startswith("Usage:")
    lint = salesflow("--lang", "zh", "lint", "--help").stdout
    assert "审阅流程文件" in lint and "只运行这些规则" in lint and "Run only these rules" not in lint
    usage = salesflow("--lang", "zh", "lint", "--no-such-option")
    assert usage.returncode == 2 and "错误：没有 '--no-such-option' 这个选项。" in usage.stderr


def test_sarif_keeps_rule_ids_and_carries_the_localized_text() -> None:
    sample = str(SAMPLES / "classic-seven-stages.flow")
    english = json.loads(salesflow("lint", "-f", "sarif", sample).stdout)
    chinese = json.loads(salesflow("--lang", "zh", "lint", "-f", "sarif", sample).stdout)
    en_results, zh_results = english["runs"][0]["results"], chinese["runs"][0]["results"]
    assert [r["ruleId"] for r in en_results] == [r["ruleId"] for r in zh_results]
    assert [r["partialFingerprints"] for r in en_results] != [] and all(
        HAN.search(r["message"]["text"]) and not english_left(r["message"]["text"]) for r in zh_results
    )
    assert [d["id"] for d in english["runs"][0]["tool"]["driver"]["rules"]] == [
        d["id"] for d in chinese["runs"][0]["tool"]["driver"]["rules"]
    ]


def test_sarif_rule_descriptors_follow_the_language_of_each_render() -> None:
    # The descriptors are kept from one render to the next (a parallel run makes them while its
    # workers review files): renders in two languages in one process still get each their own.
    from salesflow.lint.formats import render
    from salesflow.lint.report import Report

    before = i18n.current()
    shown: dict[str, list] = {}
    try:
        for lang in ("en", "zh", "en"):
            i18n.set_language(lang)
            document = json.loads(render("sarif", Report()))
            shown.setdefault(lang, []).append(document["runs"][0]["tool"]["driver"]["rules"])
    finally:
        i18n.set_language(before)
    assert shown["en"][0] == shown["en"][1] != shown["zh"][0]
    assert not HAN.search(shown["en"][0][0]["shortDescription"]["text"])
    assert HAN.search(shown["zh"][0][0]["shortDescription"]["text"])  # the unreadable-file rule


@pytest.mark.parametrize("fmt", ["json", "github", "junit"])
def test_other_formats_carry_the_localized_text(fmt: str) -> None:
    result = salesflow("--lang", "zh", "lint", "-f", fmt, str(SAMPLES / "classic-seven-stages.flow"))
    assert "「售后服务」是断头路" in result.stdout
    assert "is a dead end" not in result.stdout


# ------------------------------------------------------------------ the handbook


def _visible_text(html: str) -> str:
    import html as html_module

    html = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<code>.*?</code>", " ", html, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", "\n", html))


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.flow")))
def test_a_chinese_handbook_has_no_english_sentence(sample: str) -> None:
    from salesflow.handbook import handbook_html

    text = (SAMPLES / sample).read_text("utf-8")
    process = parse_text(text, sample)
    with i18n.use("en"):
        html = handbook_html(process, lang="zh")
    # The chart's own words are shown as written, whatever language they are in.
    own = {process.title or "", *(n.text for n in process.nodes), *(n.owner or "" for n in process.nodes)}
    own |= {e.text or "" for e in process.edges} | {e.label or "" for e in process.edges} | {s.text for s in process.subgraphs}
    own |= {w for n in process.nodes for w in (*n.steps, *n.resources, *n.checks, *n.kpi, n.note or "")}
    own |= {e.note or "" for e in process.edges} | set(process.goals) | set(process.roles)
    own |= {part.strip() for words in own for part in words.split(",")}  # a label may be shown in pieces
    leftovers = []
    for line in _visible_text(html).splitlines():
        for words in sorted((w for w in own if w), key=len, reverse=True):
            line = line.replace(words, " ")
        line = line.replace(sample, " ")
        if english_left(line):
            leftovers.append(line.strip())
    assert not leftovers, leftovers


def test_chinese_handbook_quotes_its_findings_in_chinese() -> None:
    from salesflow.handbook import handbook_html

    process = parse_text((SAMPLES / "classic-seven-stages.flow").read_text("utf-8"), "classic-seven-stages.flow")
    with i18n.use("en"):  # the run speaks English; the chart's language decides the handbook's
        html = handbook_html(process)
    text = _visible_text(html)
    assert "没有责任人" in text
    leftovers = [line for line in text.splitlines() if english_left(line) and "classic-seven-stages" not in line]
    assert not leftovers, leftovers
    with i18n.use("zh"):
        english = handbook_html(process, lang="en")
    assert "has no owner" in _visible_text(english)


# ------------------------------------------------------------------ parse errors and command errors


def _parse_error_cases() -> list:
    from test_parse_errors import cases

    return cases()


@pytest.mark.parametrize("path", _parse_error_cases(), ids=lambda p: p.stem)
def test_every_parse_error_is_worded_in_both_languages(path: Path) -> None:
    from salesflow.errors import ParseError

    text = path.read_text("utf-8")
    errors, shown = {}, {}
    for lang in ("en", "zh"):
        with i18n.use(lang), pytest.raises(ParseError) as caught:
            parse_text(text, path.name)
        with i18n.use(lang):
            errors[lang] = caught.value.each()
            shown[lang] = [e.format() for e in errors[lang]]
    assert [(e.line, e.column) for e in errors["en"]] == [(e.line, e.column) for e in errors["zh"]]
    for chinese, english_shown, chinese_shown in zip(errors["zh"], shown["en"], shown["zh"]):
        assert ": error: " in english_shown
        assert chinese_shown.startswith(f"{path.name}:{chinese.line}:{chinese.column}: 错误: ")
        # What the chart itself holds is quoted as written; everything else is Chinese.
        assert HAN.search(chinese.message), chinese.message
        assert not english_left(chinese.message), f"English left in {chinese.message!r}"


COMMAND_ERRORS = [
    (["lint"], "请至少给出一个流程文件"),
    (["lint", "--date", "tomorrow", "x.flow"], "不是日期"),
    (["lint", "no-such-file.flow"], "文件不存在"),
    (["lint", "--config", "no-such.toml", "x.flow"], "配置文件不存在"),
    (["lint", "--select", "no-such-rule", "x.flow"], "不是规则名"),
    (["render", "-f", "json", "--highlight", "x.flow"], "是在图片上标注"),
    (["render", "-f", "json", "--plain", "x.flow"], "只用于 -f mermaid"),
    (["render", "-f", "svg", "--width", "800", "x.flow"], "用来设定位图尺寸"),
    (["render", "-f", "svg", "--wrap", "one", "x.flow"], "每行阶段数"),
    (["fmt"], "请至少给出一个流程文件"),
    (["handbook", "--role", "财务部", "x.flow"], "图里没有这个岗位"),
    (["handbook", "--date", "2026/1/1", "x.flow"], "--date 2026/1/1：日期请写成 YYYY-MM-DD"),
    (["handbook", "--template-dir", "no-such-folder", "x.flow"], "没有这个目录"),
]


@pytest.mark.parametrize("args, chinese", COMMAND_ERRORS, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_command_errors_are_worded_in_both_languages(tmp_path: Path, args: list, chinese: str) -> None:
    (tmp_path / "x.flow").write_text((SAMPLES / "b2b-lanes.flow").read_text("utf-8"), "utf-8")
    english = salesflow(*args, cwd=tmp_path)
    translated = salesflow("--lang", "zh", *args, cwd=tmp_path)
    assert english.returncode == translated.returncode == 2, translated.stderr
    assert chinese in translated.stderr
    assert "error" in english.stderr.lower() and chinese not in english.stderr


def test_fmt_refuses_a_read_only_file_in_the_chosen_language(tmp_path: Path) -> None:
    path = tmp_path / "x.flow"
    path.write_text("flowchart LR\n  A-->B\n", "utf-8")
    os.chmod(path, 0o444)
    english = salesflow("fmt", "x.flow", cwd=tmp_path)
    chinese = salesflow("--lang", "zh", "fmt", "x.flow", cwd=tmp_path)
    assert english.returncode == chinese.returncode == 2, chinese.stderr
    assert "x.flow: read-only, left as it is (fmt --force rewrites it anyway)" in english.stderr
    assert "错误: x.flow：文件只读，已保持原样（fmt --force 会强制改写）" in chinese.stderr
    assert not english_left(chinese.stderr), chinese.stderr


@pytest.mark.parametrize("node_id, english_text, chinese_text", [
    ("style", "`style` is a Mermaid keyword and cannot be an id; rename it, e.g. `Style`",
     "`style` 是 Mermaid 的关键字，不能当 id：请改名，例如 `Style`"),
    ("a b", "`a b` cannot be written as a Mermaid id; rename it, e.g. with letters and digits",
     "`a b` 无法写成 Mermaid 的 id：请改名，例如只用字母和数字"),
], ids=["keyword", "space"])
def test_an_id_mermaid_cannot_hold_is_refused_in_the_chosen_language(node_id: str, english_text: str, chinese_text: str) -> None:
    import dataclasses

    from salesflow.errors import RenderError
    from salesflow.render.mermaid import to_mermaid

    process = parse_text("flowchart LR\n  A-->B\n", "x.flow")
    # An id from another source (an import, the API) that Mermaid would read as something else.
    process = dataclasses.replace(process, nodes=(dataclasses.replace(process.nodes[0], id=node_id), process.nodes[1]))
    with i18n.use("zh"), pytest.raises(RenderError) as chinese:
        to_mermaid(process)
    assert str(chinese.value) == chinese_text
    with i18n.use("en"), pytest.raises(RenderError) as english:
        to_mermaid(process)
    assert str(english.value) == english_text


def test_a_link_style_naming_no_edge_is_refused_in_the_chosen_language() -> None:
    from salesflow.errors import ParseError

    text = "graph TD\n  A --> B\n  linkStyle 5 stroke:red\n"
    with i18n.use("zh"), pytest.raises(ParseError) as chinese:
        parse_text(text, "x.flow")
    assert chinese.value.message == "`linkStyle 5` 没有对应的连线：连线按书写顺序从 0 开始编号，这张图的编号是 0 到 0"
    with i18n.use("en"), pytest.raises(ParseError) as english:
        parse_text(text, "x.flow")
    assert english.value.message == (
        "`linkStyle 5` names no edge: edges are numbered from 0 in the order they are written, and this chart has 0 to 0"
    )


@pytest.mark.parametrize("mo", sorted(LOCALE.glob("*/LC_MESSAGES/*.mo")), ids=lambda path: f"{path.parent.parent.name}-{path.stem}")
def test_a_kept_catalog_reads_as_gettext_reads_the_file(mo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The table read from a .mo file is kept beside the bytecode and used by later runs: it must
    # translate every message, plural and context as gettext's own reading of the file does.
    import gettext

    from salesflow import pycache

    monkeypatch.setattr(pycache, "path", lambda name: str(tmp_path / f"{name}.marshal"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    compiled = mo.read_bytes()
    expected = gettext.GNUTranslations(io.BytesIO(compiled))
    first = i18n._catalog(compiled, "catalog")  # reads the file and keeps the table
    assert (tmp_path / "catalog.marshal").is_file()
    kept = i18n._catalog(compiled, "catalog")  # from the kept table
    for catalog in (first, kept):
        assert catalog._catalog == expected._catalog and len(expected._catalog) > 50
        assert (catalog._info, catalog._charset) == (expected._info, expected._charset)
        assert [catalog.plural(n) for n in range(300)] == [expected.plural(n) for n in range(300)]
        for key in list(expected._catalog)[:200]:
            if isinstance(key, str):
                assert catalog.gettext(key) == expected.gettext(key)
            else:
                assert catalog.ngettext(key[0], key[0] + "s", 2) == expected.ngettext(key[0], key[0] + "s", 2)
    # A changed file is read anew, not answered from the table kept for the old one.
    changed = compiled.replace("阶段".encode(), "步骤".encode())
    assert changed != compiled
    assert i18n._catalog(changed, "catalog")._catalog == gettext.GNUTranslations(io.BytesIO(changed))._catalog
