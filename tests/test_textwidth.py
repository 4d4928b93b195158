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


def test_a_label_is_measured_as_graphviz_draws_it() -> None:
    # The repairs of a drawing (salesflow/render/relabel.py) tell from these widths whether a
    # link runs through its own label: "no" at 10 pt is 13 points wide as drawn, not the 11
    # that half an em a character gives, and a line 2 points off it passed for clear.
    import json
    import subprocess

    from conftest import require_binary

    from salesflow.render.dot_constants import FONT
    from salesflow.textwidth import drawn_points

    require_binary("dot")
    texts = ["no", "yes", "won", "lost", "rework", "Review", "approved", "feedback", "Close", "移交报价单和底线"]
    graph = "digraph{node[shape=plaintext, fontname=\"%s\"]\n%s}" % (
        FONT, "\n".join(f'n{i} [label="{text}", fontsize={9 + i % 4}]' for i, text in enumerate(texts)))
    drawn = json.loads(subprocess.run(["dot", "-Tjson"], input=graph.encode(), capture_output=True, check=True).stdout)
    widths = {op["text"]: (op["width"], size) for obj in drawn["objects"] for op in obj.get("_ldraw_", ())
              for size in [float(next(o["size"] for o in obj["_ldraw_"] if o["op"] == "F"))] if op["op"] == "T"}
    for text, (width, size) in widths.items():
        assert abs(drawn_points(text, size) - width) <= 1, (text, size, width, drawn_points(text, size))
    assert len(widths) == len(texts)
