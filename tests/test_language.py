"""The chart's language, decided once: the linter's advice and the handbook's interface agree."""

from __future__ import annotations

import pytest

from salesflow.handbook.render import render_html
from salesflow.handbook.svg import InlineSvg
from salesflow.lint import lint
from salesflow.parse import parse_text

DRAWING = InlineSvg('<svg viewBox="0 0 10 10" role="img"></svg>', 10.0, 10.0)

# One Chinese label among English ones: the chart is written in English.
MOSTLY_ENGLISH = """flowchart TD
    A[Inbound lead] --> B[Qualify the lead] --> C[Send the proposal] --> D[合同]
    A@{ owner: SDR, due: 1d }
    B@{ owner: SDR, due: 1d }
    C@{ owner: Account executive }
    D@{ owner: Account executive, due: 2d }
"""
MOSTLY_CHINESE = """flowchart TD
    A[线索收集] --> B[需求分析] --> C[方案报价] --> D[Demo]
    A@{ owner: 市场专员, due: 1天 }
    B@{ owner: 客户经理, due: 1天 }
    C@{ owner: 客户经理 }
    D@{ owner: 售前顾问, due: 2天 }
"""


def lint_language(text: str) -> str:
    """The language of the missing-deadline advice on stage C."""
    [message] = [f.message for f in lint(parse_text(text, "chart.flow")) if f.rule == "missing-deadline"]
    assert ("2个工作日" in message) != ("2 workdays" in message), message
    return "zh" if "2个工作日" in message else "en"


def handbook_language(text: str) -> str:
    page = render_html(parse_text(text, "chart.flow"), DRAWING, date="2026-05-01")
    return "zh" if '<html lang="zh-CN"' in page else "en"


@pytest.mark.parametrize(
    "text, expected",
    [
        (MOSTLY_ENGLISH, "en"),
        (MOSTLY_CHINESE, "zh"),
        # The front matter's `lang` wins over the labels.
        ("---\nlang: zh\n---\n" + MOSTLY_ENGLISH, "zh"),
        ("---\nlang: en\n---\n" + MOSTLY_CHINESE, "en"),
    ],
)
def test_linter_and_handbook_read_the_same_language(text: str, expected: str) -> None:
    assert (lint_language(text), handbook_language(text)) == (expected, expected)


@pytest.mark.parametrize(
    "words, chinese",
    [
        ("", False),
        ("Lead", False),
        ("线索", True),
        ("ab 线", True),  # one Han character for two letters: just enough
        ("abc 线", False),  # three letters want two Han characters
        ("abc 线索", True),
        ("abcd 线索", True),  # as many characters past ASCII as it takes, all of them Han
        ("abcd 线é", False),  # as many, one of them a Latin letter with an accent
        ("12 34 —", False),  # no Han character at all
        # The deciding characters come last: counting may not stop before them.
        ("x" * 1001 + " 报价" * 250, False),  # 500 Han characters for 1,001 letters
        ("x" * 1001 + " 报价" * 250 + "单", True),  # 501
        ("报价" * 250 + " " + "x" * 1001, False),
        ("报价" * 250 + "单 " + "x" * 1001, True),
        # Only the Han ideographs count, not kana or full-width letters; only A-Z, a-z count as letters.
        ("ab カナ ＡＢ é", False),
        ("ab 㐀", True),  # CJK extension A
        ("ab 豈", True),  # compatibility ideographs
    ],
)
def test_chinese_needs_one_han_character_for_every_two_latin_letters(words: str, chinese: bool) -> None:
    from salesflow.language import language_of

    assert language_of(None, words) == ("zh" if chinese else "en")
    # A declared language is taken as it is, whatever the words.
    assert language_of("en", words) == "en" and language_of("zh-CN", words) == "zh"
