"""Display widths: how many columns a text takes in a label or a terminal (CJK counts two)."""

from __future__ import annotations

import pytest

from salesflow.textwidth import char_width, display_width


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("abc", 3),
        ("潜在客户", 8),
        ("线索收集10", 10),
        ("ｆｕｌｌ", 8),  # full-width Latin letters
        ("e\u0301t\u00e9", 3),  # a combining accent takes no column
        ("客\u200b户", 4),  # nor a zero-width space
        ("", 0),
    ],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width
    assert display_width(text) == width  # measured again, from what was kept


def test_a_text_with_a_new_character_is_measured_whole() -> None:
    """A text whose characters were partly met before counts each one, old and new."""
    display_width("报价")
    text = "报价\u3042\u0301单"  # ぁ and a combining accent not measured before
    assert display_width(text) == sum(char_width(ch) for ch in text) == 8
