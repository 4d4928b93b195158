"""`render -f mermaid`: canonical Mermaid that the real Mermaid parser accepts and reads as salesflow
read the original, and that salesflow reads back as the same model.

Covered: every sample (Markdown blocks included) and every chart of the parser corpus's accept/
folder, with and without `--plain`; a corpus of hostile labels put into every place text goes
(node labels of every shape, edge labels, subgraph titles, owners, notes, lists, front matter).
"""

from __future__ import annotations

import dataclasses

import pytest
from conftest import ROOT, SAMPLES

from salesflow.fmt import meaning_differences
from salesflow.model import BRACKETS, Process
from salesflow.parse import parse_text
from salesflow.render.labels import plain_text
from salesflow.render.mermaid import to_mermaid
from salesflow.sources import charts_in

ACCEPT = ROOT / "tests" / "corpus" / "accept"


def _charts() -> list[tuple[str, str]]:
    charts = []
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in (".flow", ".md"):
            for chart in charts_in(str(path)):
                name = path.name + (f"#{chart.block}" if chart.block else "")
                charts.append((name, chart.text))
    for path in sorted(ACCEPT.glob("*.mmd")):
        charts.append((path.name, path.read_text(encoding="utf-8")))
    return charts


CHARTS = _charts()


@pytest.mark.parametrize("name, text", [pytest.param(n, t, id=n) for n, t in CHARTS])
def test_reads_back_as_the_same_model(name: str, text: str) -> None:
    original = parse_text(text, name)
    written = to_mermaid(original)
    again = parse_text(written, name)
    assert meaning_differences(original, again, comments="unordered") == [], written


@pytest.mark.parametrize("name, text", [pytest.param(n, t, id=n) for n, t in CHARTS])
def test_is_canonical(name: str, text: str) -> None:
    """Rendering what was rendered changes nothing; so does `--plain`."""
    for plain in (False, True):
        written = to_mermaid(parse_text(text, name), plain)
        assert to_mermaid(parse_text(written, name), plain) == written


def test_plain_drops_metadata_but_keeps_the_chart() -> None:
    text = (SAMPLES / "saas-funnel.flow").read_text(encoding="utf-8")
    process = parse_text(text)
    plain = to_mermaid(process, plain=True)
    assert "@{" not in plain and "@--" not in plain and "goals:" not in plain
    again = parse_text(plain)
    assert [n.id for n in again.nodes] == [n.id for n in process.nodes]
    assert [(e.source, e.target, e.label) for e in again.edges] == [(e.source, e.target, e.label) for e in process.edges]
    assert again.title == process.title
    shapes = parse_text((ACCEPT / "183-node-data-with-shape.mmd").read_text(encoding="utf-8"))
    assert [n.shape for n in parse_text(to_mermaid(shapes, plain=True)).nodes] == ["stadium", "diamond", "square"]


def test_layout_is_the_documented_one() -> None:
    process = parse_text((SAMPLES / "b2b-lanes.flow").read_text(encoding="utf-8"))
    lines = to_mermaid(process).splitlines()
    assert lines[0] == "---" and "flowchart LR" in lines
    header = lines.index("flowchart LR")
    assert lines[header + 1] == "    subgraph mkt [市场部]"
    assert "        M1([线索获取])@{" in lines  # node data after its brackets; the lane gives the owner
    assert not any("owner: 市场部" in line for line in lines)
    first_edge = next(i for i, line in enumerate(lines) if "-->" in line)
    assert all(line.startswith("    ") for line in lines[header + 1 :])
    assert lines.index("    classDef decision fill:#fff4e5,stroke:#e8a33d") > first_edge


def test_subgraphs_nested_by_reference_keep_their_order() -> None:
    text = "flowchart TB\n  subgraph a [A]\n    x\n  end\n  subgraph b [B]\n    y\n  end\n  subgraph p [P]\n    a\n  end\n"
    original = parse_text(text)
    again = parse_text(to_mermaid(original))
    assert [s.id for s in again.subgraphs] == ["a", "b", "p"]
    assert meaning_differences(original, again) == []


def test_node_order_is_kept_when_a_subgraph_claims_an_earlier_node() -> None:
    text = "flowchart TB\n  A[线索] --> B[商机]\n  subgraph team [销售团队]\n    C[报价]\n    A\n  end\n"
    original = parse_text(text)
    written = to_mermaid(original)
    again = parse_text(written)
    assert [n.id for n in again.nodes] == ["A", "B", "C"] and again.subgraphs[0].members == ("C", "A")
    assert meaning_differences(original, again) == [], written


# ---------------------------------------------------------------------------------------------
# Hostile text

HOSTILE = [
    'say "hi"',
    "]) } ]] /] \\] )) ))) >",
    "a|b",
    "%% comment?",
    "%%{init: {'theme': 'dark'}}%%",
    "one\ntwo",
    "first\n%%{init: {\"theme\": \"dark\"}}%%",
    "first\n    %% hidden?",
    "end",
    "subgraph",
    "A --> B; C --> D",
    "x & y",
    "@{ shape: circle }",
    ":::hot",
    "`code`",
    "#quot;quoted#quot;",
    "<b>b</b><br>next",
    "click A call alert(1)",
    "---",
    "a: b, c: [d]",
    "#35; 50% 100%%",
    "客户说“太贵了”「再议」",
    "café ✓ 🚀",
    "\\ back \\",
]

TEMPLATE = """---
title: 模板
roles: [销售]
---
flowchart LR
    subgraph lane [部门]
        A[a]
    end
    B([b])
    C{c}
    A e1@-->|x| B
    B --> C
    e1@{ rate: 50%, note: 交接 }
    A@{ owner: 销售, due: 2d, steps: [s], checks: [c], note: n }
"""


def _hostile_process(text: str, shape: str) -> Process:
    """The template with `text` in every place text can go."""
    base = parse_text(TEMPLATE)
    nodes = []
    for node in base.nodes:
        changes: dict = {"label": text}
        if node.id == "A":
            changes.update(owner=text, note=text, steps=(text, "ok"), checks=(text,), shape=shape)
        nodes.append(dataclasses.replace(node, **changes))
    edges = [dataclasses.replace(e, label=text, note=text if e.id else None) for e in base.edges]
    subgraphs = [dataclasses.replace(s, title=text) for s in base.subgraphs]
    return dataclasses.replace(
        base, nodes=tuple(nodes), edges=tuple(edges), subgraphs=tuple(subgraphs), title=text, goals=(text,)
    )


def _shown(text: str) -> str:
    """What Mermaid shows for a text: entity codes decoded, `<br>` as a line break."""
    return plain_text(text)


def _expected(process: Process) -> Process:
    """What reading the rendering back must give: the same, except that a node label brackets
    cannot hold goes into the node data (`label:`, exact), and an edge label or a subgraph title
    that no syntax holds exactly (a `%%{` or a line break in a title) comes back with entity codes
    or `<br>` that show the same text."""
    written = parse_text(to_mermaid(process))
    nodes = []
    for node, back in zip(process.nodes, written.nodes):
        data = dict(back.mermaid_data)
        if data.get("label") == node.label and "label" not in dict(node.mermaid_data):
            node = dataclasses.replace(node, mermaid_data=back.mermaid_data, label_format=back.label_format)
        nodes.append(node)
    edges = [
        dataclasses.replace(e, label=back.label) if e.label and _shown(e.label) == _shown(back.label or "") else e
        for e, back in zip(process.edges, written.edges)
    ]
    subgraphs = [
        dataclasses.replace(s, title=back.title) if _shown(s.title) == _shown(back.title) else s
        for s, back in zip(process.subgraphs, written.subgraphs)
    ]
    return dataclasses.replace(process, nodes=tuple(nodes), edges=tuple(edges), subgraphs=tuple(subgraphs))


HOSTILE_CASES = [(text, shape) for text in HOSTILE for shape in ("square",)] + [
    ("a]b) \"c\" %%{x}", shape) for shape in BRACKETS
]


@pytest.mark.parametrize("text, shape", HOSTILE_CASES, ids=[f"{i}-{s}" for i, (_t, s) in enumerate(HOSTILE_CASES)])
def test_hostile_text_reads_back(text: str, shape: str) -> None:
    process = _hostile_process(text, shape)
    written = to_mermaid(process)
    again = parse_text(written)
    assert "%%{" not in written
    assert meaning_differences(_expected(process), again) == [], written
    for node in again.nodes:
        assert node.label == text.strip() or node.label == text, written


# An id that ends in `%` right before the brackets: a bare label there would complete a directive
# (`A%%{init: x}`), which Mermaid removes before it parses.
PERCENT_IDS = [
    (f"{node_id}{BRACKETS[shape][0]}{quoted}{BRACKETS[shape][1]}", shape)
    for node_id in ("A%%", "A%", "%%")
    for shape in BRACKETS
    for quoted in ('"init: x"', '"theme dark"')
]


def _percent_chart(node: str) -> str:
    return f"flowchart LR\n    B --> {node}\n"


@pytest.mark.parametrize("node, shape", PERCENT_IDS)
def test_labels_after_an_id_ending_in_percent_read_back(node: str, shape: str) -> None:
    process = parse_text(_percent_chart(node))
    written = to_mermaid(process)
    assert meaning_differences(process, parse_text(written)) == [], written
    assert parse_text(written).nodes[1].shape == shape


# ---------------------------------------------------------------------------------------------
# The real Mermaid parser


@pytest.fixture(scope="module")
def mermaid_reading() -> dict[str, tuple]:
    """Mermaid's reading of every rendering this module checks, from one run of the oracle."""
    from mermaid_oracle import run_mermaid

    jobs: list[tuple[str, Process, str]] = []
    for name, text in CHARTS:
        process = parse_text(text, name)
        jobs.append((name, process, to_mermaid(process)))
        jobs.append((name + " --plain", process, to_mermaid(process, plain=True)))
    for index, (text, shape) in enumerate(HOSTILE_CASES):
        process = _hostile_process(text, shape)
        jobs.append((f"hostile-{index}", _expected(process), to_mermaid(process)))
    for index, (node, _shape) in enumerate(PERCENT_IDS):
        process = parse_text(_percent_chart(node))
        jobs.append((f"percent-id-{index}", process, to_mermaid(process)))
    results = run_mermaid([written for _name, _process, written in jobs])
    return {name: (process, written, result) for (name, process, written), result in zip(jobs, results)}


READINGS = (
    [n for n, _t in CHARTS]
    + [n + " --plain" for n, _t in CHARTS]
    + [f"hostile-{i}" for i in range(len(HOSTILE_CASES))]
    + [f"percent-id-{i}" for i in range(len(PERCENT_IDS))]
)


@pytest.mark.node
@pytest.mark.parametrize("name", READINGS)
def test_mermaid_reads_the_rendering_as_salesflow_read_the_original(name: str, mermaid_reading) -> None:
    from mermaid_oracle import differences, error_of, lane_order_matters

    process, written, result = mermaid_reading[name]
    assert result["ok"], f"Mermaid rejects the rendering: {error_of(result)}\n{written}"
    if name.endswith("--plain"):
        # Without node data, shapes given by `@{ shape: … }` become the nearest bracket shape.
        process = parse_text(written)
    # Mermaid's sanitiser rewrites markup (`<b>`) in labels; everything else must agree exactly.
    problems = [p for p in differences(process, result, lane_order_matters(written)) if "<" not in p]
    assert problems == [], written


def test_a_link_with_an_id_from_a_node_called_call_is_refused_not_garbled() -> None:
    # `call[x] e2@--> C` reads, but Mermaid cannot read it back written either way: `call e2@-->`
    # is a click statement, `calle2@-->` a link from another node. Links without an id are fine.
    from salesflow.errors import RenderError

    process = parse_text("flowchart LR\n  call[x] e2@--> C\n  href[y] --> C\n")
    with pytest.raises(RenderError, match=r"the link e2 from `call` cannot keep its id in Mermaid.*rename the node, e\.g\. `Call`"):
        to_mermaid(process)
    assert "    href--> C" in to_mermaid(parse_text("flowchart LR\n  href[y] --> C\n"))
