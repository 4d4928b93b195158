"""Differential test: salesflow reads every flowchart exactly as the real Mermaid parser does.

The cases are the corpus under tests/corpus (accept/ and reject/), the large charts that
tests/corpus/generate.py builds at run time, and CRLF copies of a few accept/ files; see
tests/corpus/check_corpus.py, which lists them and can be run by hand. The real parser is
Mermaid running in Node (tests/mermaid/oracle.mjs), in two pinned releases: 11.17.2 and the
current 12.x (`corpus.RELEASES`). Each release reads every chart in one Node process, once per
session, and every test below runs against each of them; the two must also agree with each other.
Without `node` or tests/mermaid/node_modules the tests are skipped, except under CI=true, where
they fail (install with `npm ci --prefix tests/mermaid`).

What is compared, per chart (the oracle's field names on the left):

* acceptance: Mermaid accepts ⇔ `parse_text` returns; when Mermaid rejects, salesflow must raise
  `ParseError`, not any other exception.
* direction: the oracle's `direction` (Mermaid's `getDirection()`) == `process.direction`.
  Mermaid normalises the header itself: TD → TB, `>` → LR, `<` → RL, `^` → BT, `v` → TB, and no
  direction at all → TB. A `direction` statement outside a subgraph does not change it.
* nodes: the vertex ids, minus subgraph ids (an edge to a subgraph makes Mermaid record a vertex
  with the subgraph's id; salesflow keeps it as the subgraph only) == the ids of `process.nodes`,
  as sets. Per node: `text` vs `label`, `type` vs `shape` (None when the node has no shape of its
  own), `classes` vs `classes`.
* edges, in order: `start`/`end` vs `source`/`target`, `stroke`, `length` (Mermaid clamps it at
  10), `text` vs `label or ""`, `type` vs the pair (`start`, `end`) of end markers (EDGE_TYPES
  below), and a user-defined id (`isUserDefinedId`) vs `edge.id`, which is None for edges whose
  id Mermaid made up (`L_A_B_0`).
* diagram: a swimlane diagram (Mermaid's diagram type `swimlane`, header `swimlane-beta`) ⇔
  `process.is_swimlane`; its lanes (the top-level subgraphs, in the order Mermaid draws them) are
  `process.lanes` — as a set when the front matter's `lanes:` orders them for salesflow's drawing,
  in order otherwise.
* subgraphs, by id (Mermaid's automatic ids `subGraph0`, `subGraph1`, … count every subgraph in
  the order they close, inner before outer, named or not): `title`, the set of `nodes` vs
  `set(members)` (Mermaid lists them newest first), `dir` vs `direction` (a subgraph's
  `direction TD` is reported by Mermaid as TD; both sides are compared with TD read as TB).

Text normalisation, applied to labels, edge text and titles:

* Mermaid encodes entity codes such as `#quot;` and `#9829;` into private placeholders before it
  parses; those are turned back into the text as written. salesflow may keep the code as written
  (`#quot;`) or decode it (`"`); both are accepted.
* Mermaid's HTML sanitiser rewrites `<br/>` and `<br />` as `<br>`; all three count as equal.

Two pieces of Mermaid bookkeeping are left out: the class `clickable` that Mermaid adds to every
node with a `click` statement (salesflow keeps clicks in `process.clicks`), and repeats of a class
given to a node twice (Mermaid lists it twice; the order of first appearance is compared).
Mermaid also lists, among a subgraph's nodes, the id of an edge whose `e1@{ … }` data is written
inside the subgraph; only ids of vertices and subgraphs count as members.
"""

from __future__ import annotations

import copy
import html
import importlib.util
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from conftest import require

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SAMPLES = ROOT / "samples"
MERMAID_DIR = TESTS / "mermaid"
NODE_MODULES = MERMAID_DIR / "node_modules"


def _load_corpus():
    spec = importlib.util.spec_from_file_location("salesflow_corpus_check", TESTS / "corpus" / "check_corpus.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()
CASES = corpus.cases()

# Mermaid's edge `type` for salesflow's (start, end) end markers.
EDGE_TYPES = {
    ("none", "arrow"): "arrow_point",
    ("none", "none"): "arrow_open",
    ("none", "circle"): "arrow_circle",
    ("none", "cross"): "arrow_cross",
    ("arrow", "arrow"): "double_arrow_point",
    ("circle", "circle"): "double_arrow_circle",
    ("cross", "cross"): "double_arrow_cross",
}

MAX_REPORTED = 40  # differences listed per chart before "… and N more"


# ----------------------------------------------------------------------------------------------
# Samples: every chart under samples/ must be one Mermaid accepts: each .flow/.mmd/.mermaid file,
# and each ```mermaid block of a Markdown file there (other files, such as images, are not charts).

SAMPLE_CHART_SUFFIXES = (".flow", ".mmd", ".mermaid")
SAMPLE_MARKDOWN_SUFFIXES = (".md", ".markdown")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*mermaid\s*$")


def _markdown_blocks(text: str) -> list[str]:
    """The bodies of the ```mermaid blocks of a Markdown text."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, body, i = match.group("fence"), [], i + 1
        while i < len(lines) and not (
            lines[i].strip().startswith(fence[0] * len(fence)) and set(lines[i].strip()) == {fence[0]}
        ):
            body.append(lines[i])
            i += 1
        blocks.append("\n".join(body) + "\n")
        i += 1
    return blocks


def _sample_charts() -> list[tuple[str, str]]:
    """(name, text) for each chart file under samples/ and each mermaid block of its Markdown files,
    and of the README, whose examples must render wherever Mermaid does too."""
    charts = []
    if not SAMPLES.is_dir():
        return charts
    for path in [ROOT / "README.md"] + sorted(p for p in SAMPLES.rglob("*") if p.is_file()):
        name = path.relative_to(ROOT).as_posix()
        if path.suffix in SAMPLE_CHART_SUFFIXES:
            charts.append((name, path.read_text(encoding="utf-8-sig")))
        elif path.suffix in SAMPLE_MARKDOWN_SUFFIXES:
            for number, block in enumerate(_markdown_blocks(path.read_text(encoding="utf-8-sig")), 1):
                charts.append((f"{name}#mermaid-{number}", block))
    return charts


SAMPLE_CHARTS = _sample_charts()


# ----------------------------------------------------------------------------------------------
# The `swimlane` header: announced for the releases after the beta, not known to the pinned ones,
# which detect a swimlane diagram by `swimlane-beta` only. salesflow reads a chart under either
# header alike, so each swimlane-beta chart of the corpus is also read with `swimlane` in its place
# and compared with Mermaid's reading of the original. (name, text with `swimlane`, original name)

_BETA_HEADER = re.compile(r"^(\s*)swimlane-beta(?![\w-])", re.MULTILINE)


def _swimlane_header_cases() -> list[tuple[str, str, str]]:
    out = []
    for case in CASES:
        if case.accept and case.name.startswith("accept/") and _BETA_HEADER.search(case.text):
            text = _BETA_HEADER.sub(r"\1swimlane", case.text, count=1)
            out.append((f"swimlane-header/{case.name.split('/', 1)[1]}", text, case.name))
    return out


SWIMLANE_HEADER_CASES = _swimlane_header_cases()
assert len(SWIMLANE_HEADER_CASES) >= 4, "the corpus holds swimlane diagrams (accept/24x-swimlane-beta-*.mmd)"


# ----------------------------------------------------------------------------------------------
# The oracle, once per session.


_READINGS: dict[str, dict[str, dict]] = {}


def readings(release: str) -> dict[str, dict]:
    """One release's reading of every corpus chart and every sample, by name (run once per session)."""
    if release in _READINGS:
        return _READINGS[release]
    require(shutil.which("node") is not None, "`node` (needed to run the real Mermaid parser)")
    for package in ("jsdom", release):
        require(
            (NODE_MODULES / package / "package.json").is_file(),
            f"tests/mermaid/node_modules/{package} (run `npm ci --prefix tests/mermaid`)",
        )
    names = [case.name for case in CASES] + [name for name, _ in SAMPLE_CHARTS] + [n for n, _, _ in SWIMLANE_HEADER_CASES]
    texts = [case.text for case in CASES] + [text for _, text in SAMPLE_CHARTS] + [t for _, t, _ in SWIMLANE_HEADER_CASES]
    try:
        results = corpus.run_oracle(texts, release=release)
    except Exception as exc:  # the oracle itself broke: that is a failure, not a skip
        pytest.fail(f"running the Mermaid oracle ({release}) failed: {exc}", pytrace=False)
    _READINGS[release] = dict(zip(names, results))
    return _READINGS[release]


@pytest.fixture(scope="session", params=corpus.RELEASES)
def oracle(request) -> dict[str, dict]:
    """Mermaid's reading of every corpus chart and every sample, by name, for each pinned release."""
    return readings(request.param)


@pytest.fixture(scope="session")
def parse_text() -> Callable[..., Any]:
    from salesflow.parse import parse_text

    return parse_text


# ----------------------------------------------------------------------------------------------
# Comparison.

_MERMAID_ENTITY = re.compile(r"ﬂ°°(\d+)¶ß|ﬂ°(\w+)¶ß")
_ENTITY_CODE = re.compile(r"#(\d+);|#([A-Za-z]\w*);")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _as_written(text: Any) -> str:
    """Mermaid's text with its entity placeholders turned back into `#name;` / `#123;`."""
    text = "" if text is None else str(text)
    return _MERMAID_ENTITY.sub(lambda m: f"#{m.group(1) or m.group(2)};", text)


def _decode_entities(text: str) -> str:
    def one(match: re.Match) -> str:
        if match.group(1):
            return chr(int(match.group(1)))
        decoded = html.unescape(f"&{match.group(2)};")
        return match.group(0) if decoded.startswith("&") else decoded

    return _ENTITY_CODE.sub(one, text)


def _same_text(mermaid_text: Any, ours: Optional[str]) -> bool:
    expected = _BREAK.sub("<br>", _as_written(mermaid_text))
    actual = _BREAK.sub("<br>", ours or "")
    return actual == expected or actual == _decode_entities(expected)


def _shown(mermaid_text: Any) -> str:
    return repr(_as_written(mermaid_text))


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def _direction(value: Optional[str]) -> Optional[str]:
    return "TB" if value == "TD" else value


def differences(process: Any, result: dict, lane_order: bool = True) -> list[str]:
    """What salesflow's `Process` says differently from Mermaid's reading of the same chart.
    `lane_order`: whether a swimlane diagram's lanes must also come in Mermaid's order."""
    out: list[str] = []

    if process.direction != result["direction"]:
        out.append(f"direction: salesflow {process.direction!r}, Mermaid {result['direction']!r}")

    swimlane = result.get("diagram") == "swimlane"
    if process.is_swimlane != swimlane:
        out.append(f"diagram: salesflow reads a {'swimlane diagram' if process.is_swimlane else 'flowchart'}, "
                   f"Mermaid a {result.get('diagram')}")
    elif swimlane:
        ours, theirs = list(process.lanes), list(result["lanes"])
        if (ours if lane_order else sorted(ours)) != (theirs if lane_order else sorted(theirs)):
            out.append(f"lanes: salesflow {ours}, Mermaid {theirs}")

    subgraph_ids = {s["id"] for s in result["subgraphs"]}
    vertices = {v["id"]: v for v in result["vertices"] if v["id"] not in subgraph_ids}
    nodes = {node.id: node for node in process.nodes}
    for node_id in sorted(set(vertices) - set(nodes)):
        out.append(f"node {node_id!r}: Mermaid has it, salesflow does not")
    for node_id in sorted(set(nodes) - set(vertices)):
        if node_id in subgraph_ids:
            out.append(f"node {node_id!r}: salesflow makes a node of it, Mermaid knows it as a subgraph")
        else:
            out.append(f"node {node_id!r}: salesflow has it, Mermaid does not")

    clicked = {click.node for click in getattr(process, "clicks", ())}
    for node_id in sorted(set(vertices) & set(nodes)):
        vertex, node = vertices[node_id], nodes[node_id]
        if not _same_text(vertex["text"], node.label):
            out.append(f"node {node_id!r}: label {node.label!r}, Mermaid {_shown(vertex['text'])}")
        if node.shape != vertex["type"]:
            out.append(f"node {node_id!r}: shape {node.shape!r}, Mermaid {vertex['type']!r}")
        theirs, ours = list(vertex["classes"]), list(node.classes)
        if node_id in clicked:
            theirs = [c for c in theirs if c != "clickable"]
            ours = [c for c in ours if c != "clickable"]
        if _unique(ours) != _unique(theirs):
            out.append(f"node {node_id!r}: classes {_unique(ours)}, Mermaid {_unique(theirs)}")

    theirs_edges, ours_edges = result["edges"], list(process.edges)
    if len(theirs_edges) != len(ours_edges):
        out.append(f"edges: salesflow has {len(ours_edges)}, Mermaid {len(theirs_edges)}")
    for index, (edge, theirs) in enumerate(zip(ours_edges, theirs_edges)):
        where = f"edge #{index} ({theirs['start']} -> {theirs['end']})"
        if (edge.source, edge.target) != (theirs["start"], theirs["end"]):
            out.append(f"{where}: salesflow reads {edge.source} -> {edge.target}")
            continue  # the rest would only repeat the misalignment
        kind = EDGE_TYPES.get((edge.start, edge.end), f"<no Mermaid type for ends {edge.start}/{edge.end}>")
        if kind != theirs["type"]:
            out.append(f"{where}: type {kind} (ends {edge.start}/{edge.end}), Mermaid {theirs['type']}")
        if edge.stroke != theirs["stroke"]:
            out.append(f"{where}: stroke {edge.stroke!r}, Mermaid {theirs['stroke']!r}")
        if edge.length != theirs["length"]:
            out.append(f"{where}: length {edge.length}, Mermaid {theirs['length']}")
        if not _same_text(theirs["text"], edge.label or ""):
            out.append(f"{where}: text {edge.label or ''!r}, Mermaid {_shown(theirs['text'])}")
        expected_id = theirs["id"] if theirs["isUserDefinedId"] else None
        if edge.id != expected_id:
            out.append(f"{where}: id {edge.id!r}, Mermaid {expected_id!r}")

    theirs_sgs = {s["id"]: s for s in result["subgraphs"]}
    ours_sgs = {s.id: s for s in process.subgraphs}
    theirs_count = Counter(s["id"] for s in result["subgraphs"])
    ours_count = Counter(s.id for s in process.subgraphs)
    for sg_id in sorted(set(theirs_count) | set(ours_count)):
        if theirs_count[sg_id] != ours_count[sg_id]:
            out.append(f"subgraph {sg_id!r}: salesflow has it {ours_count[sg_id]}×, Mermaid {theirs_count[sg_id]}×")
    members_known = {v["id"] for v in result["vertices"]} | subgraph_ids
    for sg_id in sorted(set(theirs_sgs) & set(ours_sgs)):
        theirs, ours = theirs_sgs[sg_id], ours_sgs[sg_id]
        if not _same_text(theirs["title"], ours.title):
            out.append(f"subgraph {sg_id!r}: title {ours.title!r}, Mermaid {_shown(theirs['title'])}")
        expected = {n for n in theirs["nodes"] if n in members_known}
        actual = set(ours.members)
        if actual != expected:
            missing, extra = sorted(expected - actual), sorted(actual - expected)
            out.append(f"subgraph {sg_id!r}: members lack {missing} and have extra {extra}")
        if _direction(ours.direction) != _direction(theirs["dir"]):
            out.append(f"subgraph {sg_id!r}: direction {ours.direction!r}, Mermaid {theirs['dir']!r}")
    return out


def _mermaid_error(result: dict) -> str:
    return result["error"].replace("\n", " | ")[:300]


def compare(text: str, name: str, result: dict, parse_text: Callable[..., Any]) -> list[str]:
    """Every way salesflow's reading of `text` differs from Mermaid's `result` (empty: they agree)."""
    from salesflow.errors import ParseError

    try:
        process = parse_text(text, path=name)
    except ParseError as exc:
        if result["ok"]:
            return [f"salesflow rejects it but Mermaid accepts it; salesflow said: {exc}"]
        return []
    except Exception as exc:  # anything but ParseError is a bug, whatever Mermaid thinks
        return [f"salesflow raised {type(exc).__name__} instead of returning or raising ParseError: {exc}"]
    if not result["ok"]:
        return [f"salesflow accepts it but Mermaid rejects it; Mermaid said: {_mermaid_error(result)}"]
    return differences(process, result, lane_order=lane_order_matters(text))


# A front matter `lanes:` (or its Chinese name) may order a swimlane diagram's lanes for salesflow.
_DECLARES_LANES = re.compile(r"^(?:lanes|泳道)\s*:", re.MULTILINE)


def lane_order_matters(text: str) -> bool:
    """Whether salesflow must draw a swimlane diagram's lanes in Mermaid's order: unless `lanes:` orders them."""
    return not _DECLARES_LANES.search(text)


def _report(name: str, problems: list[str]) -> str:
    shown = problems[:MAX_REPORTED]
    more = len(problems) - len(shown)
    lines = [f"{name}: salesflow and Mermaid disagree ({len(problems)} difference{'s' * (len(problems) != 1)}):"]
    lines += [f"  - {p}" for p in shown]
    if more:
        lines.append(f"  … and {more} more")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Tests.


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_mermaid_files_the_chart_where_the_corpus_does(case, oracle):
    """accept/ holds charts Mermaid accepts, reject/ charts it rejects (guards the corpus itself)."""
    result = oracle[case.name]
    if case.accept:
        assert result["ok"], f"{case.name}: filed as accepted, but Mermaid rejects it: {_mermaid_error(result)}"
    else:
        assert not result["ok"], f"{case.name}: filed as rejected, but Mermaid accepts it"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_salesflow_reads_the_chart_as_mermaid_does(case, oracle, parse_text):
    problems = compare(case.text, case.name, oracle[case.name], parse_text)
    if problems:
        pytest.fail(_report(case.name, problems), pytrace=False)


_SAMPLE_PARAMS = [pytest.param(name, id=name) for name, _text in SAMPLE_CHARTS]
assert _SAMPLE_PARAMS, "samples/ holds the charts every test of Mermaid compatibility runs on"


@pytest.mark.parametrize("name", _SAMPLE_PARAMS)
def test_sample_is_accepted_by_mermaid(name, oracle):
    result = oracle[name]
    assert result["ok"], f"{name}: Mermaid rejects this sample: {_mermaid_error(result)}"


@pytest.mark.node
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_mermaid_releases_read_the_chart_alike(case):
    """Mermaid 12 reads every chart as 11.17.2 does, so a chart salesflow accepts works with either."""
    first, *others = corpus.RELEASES
    expected = readings(first)[case.name]
    for release in others:
        actual = readings(release)[case.name]
        assert corpus.same_reading(actual, expected), (
            f"{case.name}: {release} reads it differently from {first}:\n"
            f"{corpus.describe(expected)}\n--- {release}:\n{corpus.describe(actual)}"
        )


@pytest.mark.node
def test_the_release_comparison_notices():
    """Guards `same_reading`: a different title is a disagreement, different error wording is not."""
    name = "accept/199-real-lanes-with-metadata.mmd"
    reading = readings(corpus.RELEASES[0])[name]
    changed = copy.deepcopy(reading)
    changed["subgraphs"][0]["title"] += "!"
    assert not corpus.same_reading(changed, reading)
    assert corpus.same_reading(copy.deepcopy(reading), reading)
    assert not corpus.same_reading({"ok": False, "error": "x"}, reading)
    assert corpus.same_reading({"ok": False, "error": "Parse error"}, {"ok": False, "error": "Lexical error"})


def test_corpus_layout():
    """File names are NNN-short-name.mmd with unique numbers; accept/ files say what they cover."""
    problems = corpus.layout_problems(CASES)
    assert not problems, "\n".join(problems)
    accepted = sum(case.name.startswith("accept/") for case in CASES)
    rejected = sum(case.name.startswith("reject/") for case in CASES)
    assert accepted + rejected >= 170 and rejected >= 30, (accepted, rejected)


def _mutations() -> list[tuple[str, Callable[[dict], None]]]:
    def vertex(result: dict, node_id: str) -> dict:
        return next(v for v in result["vertices"] if v["id"] == node_id)

    def subgraph(result: dict, sg_id: str) -> dict:
        return next(s for s in result["subgraphs"] if s["id"] == sg_id)

    return [
        ("direction", lambda r: r.update(direction="RL")),
        ("missing node", lambda r: r["vertices"].pop()),
        ("extra node", lambda r: r["vertices"].append({"id": "ghost", "text": "ghost", "type": None, "classes": []})),
        ("label", lambda r: vertex(r, "needs").update(text="需求调研")),
        ("shape", lambda r: vertex(r, "needs").update(type="round")),
        ("classes", lambda r: vertex(r, "approve").update(classes=["other"])),
        ("edge count", lambda r: r["edges"].pop()),
        ("edge target", lambda r: r["edges"][0].update(end="quote")),
        ("edge type", lambda r: r["edges"][0].update(type="arrow_circle")),
        ("edge stroke", lambda r: r["edges"][0].update(stroke="thick")),
        ("edge length", lambda r: r["edges"][0].update(length=2)),
        ("edge text", lambda r: r["edges"][0].update(text="交接")),
        ("edge id", lambda r: r["edges"][0].update(id="other")),
        ("auto edge id", lambda r: r["edges"][0].update(isUserDefinedId=False, id="L_lead_needs_0")),
        ("subgraph title", lambda r: subgraph(r, "sales").update(title="销售")),
        ("subgraph members", lambda r: subgraph(r, "sales").update(nodes=["needs"])),
        ("subgraph direction", lambda r: subgraph(r, "sales").update(dir="LR")),
        ("subgraph id", lambda r: subgraph(r, "sales").update(id="subGraph1")),
    ]


@pytest.mark.parametrize("what, mutate", _mutations(), ids=[what for what, _ in _mutations()])
def test_the_comparison_notices(what, mutate, oracle, parse_text):
    """Guards the comparison itself: each kind of disagreement with Mermaid is reported."""
    name = "accept/199-real-lanes-with-metadata.mmd"
    text = next(case.text for case in CASES if case.name == name)
    process = parse_text(text, path=name)
    baseline = differences(process, oracle[name])
    mutated = copy.deepcopy(oracle[name])
    mutate(mutated)
    found = differences(process, mutated)
    assert len(found) > len(baseline), f"changing the {what} on Mermaid's side went unnoticed"


_SWIMLANE_PARAMS = [pytest.param(name, text, original, id=name) for name, text, original in SWIMLANE_HEADER_CASES]


@pytest.mark.parametrize("name, text, original", _SWIMLANE_PARAMS)
def test_salesflow_reads_the_swimlane_header_as_mermaid_reads_swimlane_beta(name, text, original, oracle, parse_text):
    process = parse_text(text, path=name)
    assert process.header == "swimlane" and process.is_swimlane
    problems = compare(text, name, oracle[original], parse_text)
    if problems:
        pytest.fail(_report(name, problems), pytrace=False)


@pytest.mark.parametrize("name, text, original", _SWIMLANE_PARAMS)
def test_the_pinned_mermaid_knows_only_the_swimlane_beta_header(name, text, original, oracle):
    """Why salesflow writes `swimlane-beta`: the pinned releases do not detect `swimlane` yet. When
    this fails, a pinned release reads the new header: revisit SWIMLANE_HEADER and the README."""
    assert oracle[original]["ok"] and oracle[original]["diagram"] == "swimlane"
    result = oracle[name]
    assert not result["ok"] and "No diagram type detected" in result["error"], result


def test_swimlane_diagrams_are_in_the_corpus(oracle):
    """The corpus holds realistic swimlane diagrams (Chinese and English, lanes, decisions, loops)
    that Mermaid reads as swimlane diagrams, with their lanes."""
    from salesflow.parse import parse_text

    swimlanes = [case for case in CASES if case.accept and oracle[case.name].get("diagram") == "swimlane"]
    assert len(swimlanes) >= 4
    with_lanes = [case for case in swimlanes if len(oracle[case.name]["lanes"]) >= 3]
    assert len(with_lanes) >= 2
    processes = [parse_text(case.text, case.name) for case in with_lanes]
    assert any(p.lang == "zh" or "销售" in case.text for p, case in zip(processes, with_lanes))
    assert any(any(n.is_decision for n in p.nodes) for p in processes)
    from salesflow.graph import ProcessGraph

    def loops(process) -> bool:
        graph = ProcessGraph(process)
        return any(graph.on_cycle(e.source, e.target) for e in graph.flow_edges)

    assert any(loops(p) for p in processes)


_SWIMLANE_MUTATIONS = [
    ("diagram", lambda r: r.update(diagram="flowchart-v2")),
    ("lane order", lambda r: r["lanes"].reverse()),
    ("lane missing", lambda r: r["lanes"].pop()),
]


@pytest.mark.parametrize("what, mutate", _SWIMLANE_MUTATIONS, ids=[what for what, _ in _SWIMLANE_MUTATIONS])
def test_the_comparison_notices_swimlane_differences(what, mutate, oracle, parse_text):
    """Guards the comparison of swimlane diagrams: the diagram type and the lanes are compared."""
    name = "accept/240-swimlane-beta-real-lanes-zh.mmd"
    text = next(case.text for case in CASES if case.name == name)
    process = parse_text(text, path=name)
    assert differences(process, oracle[name]) == []
    mutated = copy.deepcopy(oracle[name])
    mutate(mutated)
    assert differences(process, mutated), f"changing the {what} on Mermaid's side went unnoticed"
