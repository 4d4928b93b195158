"""Chinese keys and Chinese keyboards: key names in Chinese, and full-width punctuation explained."""

from __future__ import annotations

import json

import pytest

from conftest import CASES
from salesflow.fmt import format_text, meaning_differences
from salesflow.parse import parse_text
from salesflow.parsing.metadata import (
    EDGE_KEYS,
    FRONT_MATTER_KEYS,
    KEY_ALIASES,
    KEY_SYNONYMS,
    NODE_KEYS,
    suggest_key,
)
from salesflow.render.json_model import render as render_json
from salesflow.render.mermaid import to_mermaid

ALIASES = CASES / "aliases"
CHINESE = (ALIASES / "chinese-keys.flow").read_text("utf-8")
ENGLISH = (ALIASES / "english-keys.flow").read_text("utf-8")


def test_chinese_keys_read_as_the_english_chart() -> None:
    chinese = parse_text(CHINESE, "chinese-keys.flow")
    english = parse_text(ENGLISH, "english-keys.flow")
    assert meaning_differences(chinese, english) == []
    # And the reading is the right one, not two empty charts that agree.
    assert (chinese.title, chinese.goals, chinese.target.text, chinese.roles, chinese.lanes, chinese.lang) == (
        "门店销售", ("2026年底前成交率提升到30%",), "1天", ("导购", "收银"), ("店面",), "zh",
    )
    nodes = {node.id: node for node in chinese.nodes}
    assert nodes["A"].kind == "start"
    assert (nodes["B"].due.text, nodes["B"].due.hours) == ("10分钟", pytest.approx(1 / 6, abs=1e-6))
    assert nodes["B"].steps == ("问候", "了解需求")
    assert (nodes["B"].resources, nodes["B"].checks, nodes["B"].kpi) == (("产品手册",), ("需求已记录",), ("进店转化率",))
    assert (nodes["C"].owner, nodes["C"].due.text, nodes["C"].due.amount) == ("导购", "2-3分钟", 3.0)
    assert (nodes["D"].owner, nodes["D"].due.text, nodes["D"].kind, nodes["D"].note) == ("收银", "5分钟内", "end", "开具发票")
    (edge,) = [e for e in chinese.edges if e.id == "e1"]
    assert (edge.rate, edge.rate_text, edge.note) == (0.6, "60%", "顾客需求")


def test_fmt_keeps_the_keys_as_written() -> None:
    formatted = format_text(CHINESE, "chinese-keys.flow")
    for written in ("标题: 门店销售", "目标周期: 1天", "泳道: [店面]", "负责人: 导购", "时限: 10分钟", "转化率: 60%", "备注: 开具发票"):
        assert written in formatted
    for english in ("title:", "target:", "owner:", "due:", "rate:", "note:"):
        assert english not in formatted
    assert format_text(formatted, "chinese-keys.flow") == formatted


def test_json_model_and_mermaid_write_the_english_keys() -> None:
    chinese = parse_text(CHINESE, "chinese-keys.flow")
    english = parse_text(ENGLISH, "chinese-keys.flow")
    model = json.loads(render_json(chinese))
    assert model["nodes"][3]["owner"] == "收银" and model["nodes"][3]["due"]["text"] == "5分钟内"
    assert "负责人" not in render_json(chinese) and "时限" not in render_json(chinese)
    assert _without_positions(model) == _without_positions(json.loads(render_json(english)))
    mermaid = to_mermaid(chinese)
    assert "owner: 收银" in mermaid and "rate: 60%" in mermaid
    assert not any(f"{alias}:" in mermaid for alias in KEY_ALIASES)


def _without_positions(value):
    # The keys differ in length, so where the data ends differs; what it says must not.
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k not in ("line", "column", "span", "data_span")}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


@pytest.mark.parametrize(
    "data, owner, due",
    [
        ("負責人: 收銀, 時限: 5分鐘", "收銀", "5分鐘"),  # traditional characters
        ("负责人: 收银, due: 5分钟", "收银", "5分钟"),  # mixed with English keys
    ],
)
def test_other_spellings(data: str, owner: str, due: str) -> None:
    process = parse_text(f"flowchart TD\n  A --> B\n  A@{{ {data} }}\n")
    node = process.nodes[0]
    assert (node.owner, node.due.text) == (owner, due)


def test_every_alias_names_a_key_salesflow_reads() -> None:
    read = set(NODE_KEYS) | set(EDGE_KEYS) | set(FRONT_MATTER_KEYS)
    assert set(KEY_ALIASES.values()) <= read
    # Every key salesflow reads has a Chinese name.
    assert read <= set(KEY_ALIASES.values())


def test_every_synonym_points_at_a_key_and_is_not_accepted() -> None:
    read = set(NODE_KEYS) | set(EDGE_KEYS) | set(FRONT_MATTER_KEYS)
    for word, keys in KEY_SYNONYMS.items():
        assert set(keys) <= read, word
        assert word not in KEY_ALIASES and word not in read


@pytest.mark.parametrize(
    "word, known, suggestion",
    [
        ("deadline", NODE_KEYS, "due"),
        ("Due_Date", NODE_KEYS, "due"),
        ("deadline", FRONT_MATTER_KEYS, "target"),
        ("assignee", NODE_KEYS, "owner"),
        ("responsible", NODE_KEYS, "owner"),
        ("期限", NODE_KEYS, "时限"),  # a Chinese word gets the Chinese name
        ("截止时间", NODE_KEYS, "时限"),
        ("责任人", NODE_KEYS, "负责人"),
        ("负责", NODE_KEYS, "负责人"),
        ("周期", FRONT_MATTER_KEYS, "目标周期"),
        ("ower", NODE_KEYS, "owner"),
    ],
)
def test_did_you_mean(word: str, known: tuple, suggestion: str) -> None:
    assert suggest_key(word, known) == f" (did you mean `{suggestion}`?)"


def test_an_alias_only_counts_where_its_key_does() -> None:
    from salesflow.errors import ParseError

    with pytest.raises(ParseError, match="unknown edge data key `负责人`"):
        parse_text("flowchart TD\n  A e1@--> B\n  e1@{ 负责人: 销售 }\n")


HOSTILE_YAML = [
    " " * 100_000 + "x",
    "a" * 100_000 + "：",
    "a" * 100_000 + " " * 1000 + "x",
    "，" * 50_000 + "x",
    "，a" * 50_000,
    "- " * 50_000 + "x",
    "{ " * 20_000,
    "a:" * 50_000,
    "\t" * 100_000,
]


@pytest.mark.parametrize("line", HOSTILE_YAML, ids=lambda t: repr(t[:8]))
def test_looking_for_keyboard_slips_stays_linear(line: str) -> None:
    from conftest import no_hang
    from salesflow.errors import ParseError

    for text in (f"---\ntitle: x\n{line}\n---\nflowchart TD\n  A --> B\n", f"flowchart TD\n  A@{{\n  {line}\n  }}\n"):
        try:
            with no_hang("looking for keyboard slips in a 100,000-character line"):
                parse_text(text)
        except ParseError as error:
            assert "\n" not in error.message and len(error.message) < 400


def test_full_width_punctuation_anywhere_gives_one_clean_message() -> None:
    import random

    from conftest import sample_paths
    from salesflow.errors import ParseError

    rng = random.Random(9)
    typed = "【】（）｛｝；｜＆：，》《＞－—“”\t"
    charts = [path.read_text("utf-8") for path in sample_paths() if path.suffix == ".flow"]
    assert charts
    for _ in range(400):
        chart = rng.choice(charts)
        at = rng.randrange(len(chart) + 1)
        text = chart[:at] + rng.choice(typed) * rng.randint(1, 2) + chart[at:]
        try:
            parse_text(text, "typed.flow")
        except ParseError as error:
            assert error.message and "\n" not in error.message


def test_findings_about_front_matter_point_at_the_key_as_written() -> None:
    from salesflow.lint import lint

    chart = "---\n标题: 门店\n目标周期: 1小时\n目标:\n  - 提升满意度\n---\nflowchart TD\n  A[接待] --> B[收银]\n  A@{ 时限: 2天 }\n"
    findings = {f.rule: (f.line, f.column) for f in lint(parse_text(chart), source=chart)}
    assert findings["cycle-time-over-target"] == (3, 1)  # 目标周期
    assert findings["goal-not-smart"] == (5, 5)  # the goal under 目标
