"""The shortcut for one-line node data must read exactly what YAML reads, positions included."""

from __future__ import annotations

import random

import pytest

from salesflow.parsing.metadata import MetadataError, _fast_flow_mapping, load_flow_mapping, load_mapping

TYPICAL = [
    "owner: 销售经理, due: 2个工作日",
    "steps: [打电话, 发邮件, 约拜访], checks: [信息完整]",
    "due: 3 workdays, kind: end, kpi: [转化率 ≥ 30%, 平均周期 < 5天]",
    " owner : 渠道部 ,due: 1w",
    "a: [ ]",
    "a: http://x.y/z?q=1, b: [http://x, y]",
    "rate: 60%, note: 交接客户资料",
]
# Texts where YAML must decide: quotes, nesting, anchors, comments, empty values, trailing commas.
TRICKY = ["a: 'q'", 'a: "q, r"', "a: [b, [c]]", "a: {b: c}", "a: &x b", "label: 见第3条 #重要", "a: [x,]", "a:", "a: b, a: c"]


def described(entries) -> list:
    def value(v):
        if isinstance(v.value, list):
            return [value(item) for item in v.value]
        return (v.value, v.line, v.column)

    return [(e.key, e.key_line, e.key_column, value(e.value), e.value.line, e.value.column) for e in entries]


def yaml_reading(content: str) -> list:
    return described(load_mapping("{\n" + content + "\n}"))


@pytest.mark.parametrize("content", TYPICAL)
def test_typical_data_takes_the_shortcut_and_agrees_with_yaml(content: str) -> None:
    fast = _fast_flow_mapping(content)
    assert fast is not None
    assert described(fast) == yaml_reading(content)


@pytest.mark.parametrize("content", TRICKY)
def test_tricky_data_goes_to_yaml(content: str) -> None:
    assert _fast_flow_mapping(content) is None


def test_random_texts_agree_with_yaml() -> None:
    alphabet = "ab :,[]{}#'\"-&*x 1%/\\\t报价"
    generator = random.Random(20261122)
    taken = 0
    for _ in range(20_000):
        content = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 16)))
        fast = _fast_flow_mapping(content)
        if fast is None:
            continue
        taken += 1
        try:
            expected = yaml_reading(content)
        except MetadataError as exc:  # pragma: no cover - a failure to report
            pytest.fail(f"the shortcut accepted {content!r}, YAML rejects it: {exc}")
        assert described(fast) == expected, content
    assert taken > 500, "the random texts should exercise the shortcut"


def test_errors_still_come_from_yaml() -> None:
    with pytest.raises(MetadataError) as caught:
        load_flow_mapping("steps: [a, b")
    assert "invalid YAML" in caught.value.message
