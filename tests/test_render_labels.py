"""What a Mermaid label shows in a drawing: decoding, line breaks, emphasis and CJK-aware wrapping."""

from __future__ import annotations

import pytest

from salesflow.render.labels import BOLD, ITALIC, Run, decode_entities, label_lines, line_width, plain_text, wrap


def texts(lines) -> list[str]:
    return ["".join(run.text for run in line) for line in lines]


@pytest.mark.parametrize(
    "label, shown",
    [
        ("客户说 #quot;太贵了#quot;", '客户说 "太贵了"'),
        ("感谢支持 #9829;", "感谢支持 ♥"),
        ("#35; and #amp; and #nosuch;", "# and & and #nosuch;"),
        ("#1114112; stays", "#1114112; stays"),
        ("需求分析<br>Needs analysis", "需求分析\nNeeds analysis"),
        ("a<br/>b<BR />c", "a\nb\nc"),
        ("<script>x</script>", "<script>x</script>"),
        ("  padded  ", "padded"),
    ],
)
def test_plain_text(label: str, shown: str) -> None:
    assert plain_text(label) == shown


@pytest.mark.parametrize(
    "label",
    ["报价", "  报价与谈判  ", "", " \t\u3000", "\xa0a b\xa0", "a\u2028b", "x & y > z ] 'q' \"r\"", "**not markdown**", "A_b_c"],
)
def test_a_label_without_markup_reads_as_the_full_reading_gives_it(label: str) -> None:
    """Most labels are plain text and are read in one step; a line break added at the end (which
    the full reading trims) gives the same lines, runs and styles."""
    assert label_lines(label) == label_lines(label + "<br>")


@pytest.mark.parametrize("label_format", ["text", "markdown"])
@pytest.mark.parametrize(
    "label",
    [
        "#NotEqualTilde;", "#acE;#acE;", "#1;#9;#133;", "#quot;#amp;#lt;", "#0;", "#99999999;", "#x;",
        "a<br>b<br/>c<BR />", "<b>**粗体**</b>", "*斜*_体_", "  <i> </i>  ", "\n#nvlt;\r\n", "`code`",
    ],
)
def test_a_label_reads_no_longer_than_it_is_written(label: str, label_format: str) -> None:
    """label-too-long measures only labels long enough as written to be too wide: what a reader
    sees (entity codes decoded, markup and breaks dropped) is never longer than the label."""
    assert len(plain_text(label, label_format)) <= len(label)


def test_known_tags_style_runs_and_unknown_ones_stay_text() -> None:
    (line,) = label_lines("<b>重点</b> <i>客户</i> <u>u</u> <blink>x</blink>")
    assert line[0] == Run("重点", frozenset({BOLD}))
    assert Run("客户", frozenset({ITALIC})) in line
    assert "".join(r.text for r in line).endswith("<blink>x</blink>")


def test_unclosed_and_stray_tags_do_not_leak() -> None:
    lines = label_lines("</b>a<b>b")
    assert texts(lines) == ["ab"] and lines[0][-1].styles == frozenset({BOLD})


def test_markdown_labels() -> None:
    lines = label_lines("**重点客户**\n_follow up_ within *2 days*", "markdown")
    assert texts(lines) == ["重点客户", "follow up within 2 days"]
    assert lines[0][0].styles == frozenset({BOLD}) and lines[1][0].styles == frozenset({ITALIC})


def test_wrap_breaks_between_cjk_characters_and_at_spaces() -> None:
    lines = wrap([(Run("非常非常长的中文阶段名称用来检查换行"),)], 12)
    assert texts(lines) == ["非常非常长的", "中文阶段名称", "用来检查换行"]
    assert all(line_width(line) <= 12 for line in lines)
    english = wrap([(Run("Does the customer approve the terms?"),)], 18)
    assert texts(english) == ["Does the customer", "approve the terms?"]


@pytest.mark.parametrize("line", [(Run("报价与谈判"),), (Run(""),), (Run("报价"), Run("谈判", frozenset({BOLD}))), ()])
def test_a_line_that_fits_comes_back_as_it_is(line) -> None:
    assert wrap([line], 10) == ([line] if line else [()])


def test_wrap_keeps_punctuation_with_its_word() -> None:
    lines = wrap([(Run("报价单（含税）已发送，请确认。"),)], 8)
    assert not any(t[0] in "，。）" for t in texts(lines))
    assert not any(t[-1] in "（" for t in texts(lines))


def test_a_word_longer_than_the_width_stays_whole() -> None:
    assert texts(wrap([(Run("⚠\u00a0unlabeled-decision-branch, x"),)], 10)) == ["⚠\u00a0unlabeled-decision-branch,", "x"]


def test_a_word_too_wide_may_break_after_its_hyphens_when_asked() -> None:
    """A narrow drawing asks for it, so that a rule's name in a tag is no wider than its box:
    the hyphen ends the line; a word that fits, or has no hyphen, stays whole."""
    assert texts(wrap([(Run("⚠\u00a0handoff-without-note"),)], 12, hyphens=True)) == ["⚠\u00a0handoff-", "without-note"]
    assert texts(wrap([(Run("⚠\u00a0missing-owner, missing-deadline"),)], 12, hyphens=True)) == [
        "⚠\u00a0missing-", "owner,", "missing-", "deadline"]
    assert texts(wrap([(Run("re-check the well-known list"),)], 12, hyphens=True)) == ["re-check the", "well-known", "list"]
    assert texts(wrap([(Run("handoff-without-note 交接"),)], 12, hyphens=True)) == ["handoff-", "without-note", "交接"]
    assert texts(wrap([(Run("unlabeled_decision_branch"),)], 12, hyphens=True)) == ["unlabeled_decision_branch"]


def test_styles_survive_wrapping() -> None:
    (line,) = label_lines("<b>加粗的很长很长的标题</b>普通文字")
    wrapped = wrap([line], 10)
    assert all(run.styles == frozenset({BOLD}) for run in wrapped[0])
    assert wrapped[-1][-1].styles == frozenset()


@pytest.mark.parametrize(
    "text, shown",
    [
        ("#quot;#9829;#65;", '"♥A'),
        ("#133; #150;", "\u2026 \u2013"),  # 128–159 as a browser reads them: Windows-1252
        ("#1; #8; #127; #65535; #1114111;", "\ufffd \ufffd \ufffd \ufffd \ufffd"),  # no such text: shown as �
        ("#0; #55296; #1114112; #nosuch;", "#0; #55296; #1114112; #nosuch;"),  # no character at all: as written
    ],
)
def test_entity_codes_for_every_code_point(text: str, shown: str) -> None:
    assert decode_entities(text) == shown


def test_a_line_of_one_run_wraps_as_a_line_of_runs_does() -> None:
    """A long label of plain text is wrapped as strings, without a run per piece; its lines are
    the ones the wrapping of runs gives (every break rule: spaces, wide characters and closing or
    opening marks, a no-break space, combining wide marks), for labels from random characters."""
    import random

    from salesflow.render.labels import _wrap_runs, _wrap_text

    alphabet = list("ab1-2 .,，。、；：？！）》」』】〉”’（《「『【〈“‘([{)]}%·…\t\u3000\u00a0潜在客户报价谈判é\u302a\u3099")
    alphabet += ["xyz", "  ", "`code`"]
    rng = random.Random(20261202)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        width = rng.randint(1, 20)
        for styles in (frozenset(), frozenset({BOLD})):
            runs = [line for line in _wrap_runs((Run(text, styles),), width, hyphens=False) if line]
            assert [(Run(line, styles),) for line in _wrap_text(text, width)] == runs, (text, width)
    # and through `wrap` itself, a label that needs it
    assert texts(wrap(label_lines("方案设计1234 是否通过?"), 18)) == ["方案设计1234 是否", "通过?"]
