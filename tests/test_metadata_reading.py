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


def test_a_repeated_data_block_gives_every_element_what_it_says() -> None:
    # A block read once is reused for the next element that repeats it: each element must still
    # get exactly what its own block says, and a value that does not read is placed at each spot.
    from salesflow.parse import parse_text

    block = "due: 2d, steps: [打电话, 发邮件], 负责人: 销售经理"
    chart = (
        "flowchart LR\n"
        f"  A[询盘]@{{ {block} }} --> B[报价]@{{ {block} }}\n"
        "  B@{ due: 尽快 }\n"
        f"  B@{{ {block} }}\n"
        "  C[签约]@{ due: 尽快 } --> D@{ due: 尽快 }\n"
        "  A e1@--> C\n"
        "  e1@{ rate: 60% }\n"
        "  C e2@--> D\n"
        "  e2@{ rate: 60% }\n"
    )
    process = parse_text(chart)
    a, b, c, d = (process.node(name) for name in "ABCD")
    for node in (a, b):
        assert (node.due.text, node.steps, node.owner) == ("2d", ("打电话", "发邮件"), "销售经理")
    # B's unreadable `due` is replaced by the block that follows it, as without any reuse.
    assert b.unreadable == ()
    assert [(n.unreadable[0].text, n.unreadable[0].span.line, n.unreadable[0].span.column) for n in (c, d)] == [
        ("尽快", 5, 16),
        ("尽快", 5, 34),
    ]
    assert [(e.rate, e.rate_text) for e in process.edges if e.id] == [(0.6, "60%"), (0.6, "60%")]


def test_stages_that_share_a_data_block_keep_what_each_is_given_after_it() -> None:
    # The fields a repeated block gives are made once for all the stages that have just that
    # block: a stage given more data later (before or after it) must show its own.
    from salesflow.parse import parse_text

    chart = (
        "flowchart LR\n"
        "  A[询盘]@{ due: 1d } --> B[报价]@{ due: 1d }\n"
        "  B@{ steps: [打电话] }\n"
        "  C@{ steps: [打电话] }\n"
        "  C@{ due: 1d }\n"
        "  D@{ due: 1d }\n"
        "  D@{ due: 尽快 }\n"
        "  E@{ due: 1d }\n"
    )
    process = parse_text(chart)
    fields = {n.id: (n.due.text if n.due else None, n.steps, tuple(u.text for u in n.unreadable)) for n in process.nodes}
    assert fields == {
        "A": ("1d", (), ()),
        "B": ("1d", ("打电话",), ()),
        "C": ("1d", ("打电话",), ()),
        "D": (None, (), ("尽快",)),
        "E": ("1d", (), ()),
    }
