"""draw.io (diagrams.net), out and in.

- `render -f drawio` writes mxGraph XML that the mxGraph library itself (npm `mxgraph`, pinned in
  tests/drawio/) decodes in Chromium into the expected cells: one vertex per stage inside its
  lane's swimlane, one edge per link between the right shapes, the labels and the shape data;
- drawio → flow → drawio keeps the chart (every sample and every chart of the layout corpus);
- a diagram drawn by hand from draw.io's flowchart shapes (tests/cases/drawio/) reads as a chart,
  compressed or not, and what has no place in a chart is reported;
- broken and hostile files are refused with a positioned message and nothing is written.
"""

from __future__ import annotations

import base64
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ARTIFACTS, CASES, SAMPLES, require, sample_paths
from salesflow.cli import cli
from salesflow.graph import ProcessGraph
from salesflow.parse import parse_file
from test_bpmn_import import model

HERE = Path(__file__).resolve().parent
DRAWIO_CASES = CASES / "drawio"
# The samples, the layout corpus, and charts whose ids and labels are awkward for XML.
CORPUS = sample_paths() + sorted((CASES / "layout").glob("*.flow")) + sorted((CASES / "interop").glob("*.flow"))


@pytest.mark.parametrize("chart", CORPUS, ids=lambda p: p.stem)
def test_flow_to_drawio_to_flow_keeps_the_chart(chart: Path, dot) -> None:
    from salesflow.interop.draft import to_text
    from salesflow.interop.drawio_in import read_drawio
    from salesflow.interop.drawio_out import to_drawio

    process = parse_file(str(chart))
    exported = to_drawio(process)
    draft, report = read_drawio(exported.encode("utf-8"), "chart.drawio")
    _text, again = to_text(draft, "chart.flow")
    assert report.entries == []
    assert model(again) == model(process)
    if chart.stem == "b2b-lanes":
        assert to_drawio(parse_file(str(chart))) == exported  # the same chart, the same bytes


def _import(tmp_path: Path, source: Path, *extra: str):
    target = tmp_path / "imported.flow"
    result = CliRunner().invoke(cli, ["import", str(source), "-o", str(target), *extra])
    return result, target


def test_a_diagram_drawn_by_hand_in_drawio_reads_as_a_chart(tmp_path: Path) -> None:
    source = DRAWIO_CASES / "hand-drawn-lead-flow.drawio"
    result, target = _import(tmp_path, source)
    assert result.exit_code == 0, result.output
    process = parse_file(str(target))
    graph = ProcessGraph(process)
    titles = {s.id: s.text for s in process.subgraphs}
    assert process.title == "Lead handling"  # the page's name
    # A pool's lanes are lanes, named after both; each shape is in the lane it was dropped into.
    assert [titles[lane] for lane in process.lanes] == ["Sales team / Inside sales", "Sales team / Field sales"]
    node = {n.text: n for n in process.nodes}
    assert titles[node["Call\nthe lead"].lane] == "Sales team / Inside sales"
    assert titles[node["Send proposal"].lane] == "Sales team / Field sales"
    # Ellipse and terminator are the start and the end, the rhombus a decision.
    assert graph.kind(node["New lead"]) == "start" and graph.kind(node["Won"]) == "end"
    assert node["Qualified?"].is_decision and graph.kind(node["Nurture & re-score"]) == "task"
    # Shape data is metadata.
    proposal = node["Send proposal"]
    assert proposal.owner == "Account executive" and proposal.due.text == "3d"
    assert proposal.steps == ("Price the deal", "Get the discount approved")
    # Connector labels, whether the connector's own text or a label cell standing on it.
    links = {(e.source, e.target): e for e in process.edges}
    qualified, nurture = node["Qualified?"].id, node["Nurture & re-score"].id
    assert links[(qualified, proposal.id)].text == "yes" and links[(qualified, nurture)].text == "no"
    assert links[(nurture, node["Call\nthe lead"].id)].stroke == "dotted"
    # Ids are kept; after `call` (a Mermaid keyword) an edge id would not read back, so that link has none.
    assert node["Call\nthe lead"].id == "call" and links[("call", qualified)].id is None
    assert links[(qualified, proposal.id)].id == "e3"
    # What a chart has no place for is reported where it is.
    assert f"{source}:59:9: note: mxCell loose `follow up?`: a connector not attached to a shape at both ends is not kept" in result.output
    assert f"{source}:64:9: note: mxCell memo" in result.output
    assert f"{source}:70:3: note: diagram page-2 `Notes`: only the first page is imported" in result.output


def test_a_compressed_diagram_reads_as_the_same_chart(tmp_path: Path) -> None:
    plain, plain_target = _import(tmp_path, DRAWIO_CASES / "hand-drawn-lead-flow.drawio")
    packed_dir = tmp_path / "packed"
    packed_dir.mkdir()
    packed, packed_target = _import(packed_dir, DRAWIO_CASES / "hand-drawn-lead-flow-compressed.drawio")
    assert packed.exit_code == 0, packed.output
    assert packed_target.read_text(encoding="utf-8") == plain_target.read_text(encoding="utf-8")


def _packed(text: str) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(compressor.compress(text.encode()) + compressor.flush()).decode()


BROKEN = {
    "not-drawio": ("<svg/>\n", ":1:1: error: this is not a draw.io diagram: the document element is <svg>"),
    "no-diagram": ("<mxfile>\n</mxfile>\n", ":1:1: error: this draw.io file holds no diagram"),
    "bad-compression": (
        '<mxfile>\n  <diagram id="a">not base64 deflate at all</diagram>\n</mxfile>\n',
        ":2:3: error: the compressed diagram does not read",
    ),
    "missing-source": (
        '<mxGraphModel><root>\n<mxCell id="0"/><mxCell id="1" parent="0"/>\n'
        '<mxCell id="a" value="A" vertex="1" parent="1"/>\n'
        '<mxCell id="e" edge="1" parent="1" source="ghost" target="a"/>\n</root></mxGraphModel>\n',
        ":4:1: error: connector `e` refers to `ghost`, which is not in the diagram",
    ),
    "entity-expansion": (
        '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<mxfile/>\n',
        ":2:13: error: the file declares a DTD",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_and_hostile_diagrams_are_refused_and_nothing_is_written(case: str, tmp_path: Path) -> None:
    text, expected = BROKEN[case]
    source = tmp_path / f"{case}.drawio"
    source.write_text(text, encoding="utf-8")
    result, target = _import(tmp_path, source)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{source}{expected}" in result.output, result.output
    assert not target.exists()


def test_a_compressed_page_that_unpacks_past_the_limit_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SALESFLOW_MAX_INPUT_MB", "1")
    bomb = _packed("<mxGraphModel>" + "x" * (3 * 1024 * 1024) + "</mxGraphModel>")
    assert len(bomb) < 10_000  # a few kilobytes that unpack to megabytes
    source = tmp_path / "bomb.drawio"
    source.write_text(f'<mxfile>\n  <diagram id="a">{bomb}</diagram>\n</mxfile>\n', encoding="utf-8")
    result, target = _import(tmp_path, source)
    assert result.exit_code == 2 and ":2:3: error:" in result.output and "SALESFLOW_MAX_INPUT_MB" in result.output
    assert not target.exists()


# --------------------------------------------------------------------------------- the judge

DECODE = """(xml) => {
  const doc = mxUtils.parseXml(xml);
  const node = doc.getElementsByTagName('mxGraphModel')[0];
  const graph = new mxGraph(document.getElementById('graph'));
  graph.setHtmlLabels(true);
  const plain = graph.convertValueToString.bind(graph);
  // draw.io keeps shape data on the user object around a cell; its label is the `label` attribute.
  graph.convertValueToString = (cell) => (cell.value && cell.value.getAttribute) ? cell.value.getAttribute('label') : plain(cell);
  new mxCodec(doc).decode(node, graph.getModel());
  graph.fit();
  return Object.values(graph.getModel().cells).map((c) => ({
    id: c.id, vertex: !!c.vertex, edge: !!c.edge, parent: c.parent ? c.parent.id : null,
    source: c.source ? c.source.id : null, target: c.target ? c.target.id : null,
    label: graph.convertValueToString(c), style: c.style || '',
    owner: (c.value && c.value.getAttribute) ? c.value.getAttribute('owner') : null,
  }));
}"""


def test_mxgraph_decodes_the_expected_cells(browser, dot) -> None:
    from salesflow.interop.drawio_out import to_drawio

    bundle = HERE / "drawio" / "node_modules" / "mxgraph" / "javascript" / "mxClient.min.js"
    require(bundle.exists(), "mxgraph (cd tests/drawio && npm ci)")
    process = parse_file(str(SAMPLES / "b2b-lanes.flow"))
    page = browser.new_page(viewport={"width": 1700, "height": 1300})
    page.route("**/*", lambda route: route.abort())  # mxGraph loads no resources here
    try:
        page.set_content('<html><body style="margin:0"><div id="graph" style="width:1700px;height:1300px"></div></body></html>')
        page.evaluate("() => { window.mxLoadResources = false; window.mxLoadStylesheets = false; window.mxBasePath = '.'; }")
        page.add_script_tag(path=str(bundle))
        cells = {cell["id"]: cell for cell in page.evaluate(DECODE, to_drawio(process))}
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "drawio-b2b-lanes.png"))
    finally:
        page.close()
    for node in process.nodes:
        cell = cells[f"node:{node.id}"]
        assert cell["vertex"] and cell["parent"] == f"group:{node.lane}"
        assert cell["label"].startswith(node.text)
        assert ("rhombus" in cell["style"]) == node.is_decision
    assert cells["node:S4"]["owner"] == "销售总监" and "销售总监 · 10个工作日" in cells["node:S4"]["label"]
    for lane in process.lanes:
        assert "swimlane" in cells[f"group:{lane}"]["style"] and cells[f"group:{lane}"]["parent"] == "1"
    edges = [cell for cell in cells.values() if cell["edge"]]
    assert sorted((c["source"], c["target"]) for c in edges) == sorted(
        (f"node:{e.source}", f"node:{e.target}") for e in process.edges
    )
    assert cells["edge:2"]["label"] == "否"


def test_drawio_to_flow_to_drawio_keeps_the_chart(tmp_path: Path, dot) -> None:
    """A hand-drawn diagram, imported, exported and imported again, is the same chart."""
    from salesflow.interop.draft import to_text
    from salesflow.interop.drawio_in import read_drawio
    from salesflow.interop.drawio_out import to_drawio

    source = DRAWIO_CASES / "hand-drawn-lead-flow.drawio"
    draft, _report = read_drawio(source.read_bytes(), str(source))
    _text, first = to_text(draft, "first.flow")
    again, report = read_drawio(to_drawio(first).encode("utf-8"), "again.drawio")
    _text, second = to_text(again, "second.flow")
    assert report.entries == []
    assert model(second) == model(first)


def test_what_a_manager_changes_in_drawio_comes_back(dot) -> None:
    """Renamed, redrawn as a decision, given another owner in Edit Data: the import follows the diagram."""
    from salesflow.interop.draft import to_text
    from salesflow.interop.drawio_in import read_drawio
    from salesflow.interop.drawio_out import to_drawio

    exported = to_drawio(parse_file(str(SAMPLES / "b2b-lanes.flow")))
    start = exported.index('id="node:S3"')
    cell = exported[exported.rindex("<object", 0, start) : exported.index("</object>", start)]
    edited = (
        cell.replace('label="方案与报价', 'label="方案、报价与审批')
        .replace('id="node:S3"', 'id="node:S3" owner="售前顾问"')
        .replace("rounded=0;", "rhombus;")
    )
    draft, _report = read_drawio(exported.replace(cell, edited).encode("utf-8"), "edited.drawio")
    _text, process = to_text(draft, "edited.flow")
    stage = process.node("S3")
    assert stage.text == "方案、报价与审批" and stage.owner == "售前顾问" and not stage.owner_from_lane
    assert stage.is_decision


def test_the_owner_line_under_a_label_is_recognised_however_drawio_rewrites_it() -> None:
    from salesflow.interop.drawio_in import _META

    for written in (
        '报价<br><font color="#52606d" style="font-size:10px">销售经理 · 2d</font>',
        '报价<br/><font style="font-size: 10px;" color="#52606d">销售经理 · 2d</font>',
    ):
        assert _META.sub("", written) == "报价"
    assert _META.sub("", '报价<br><font color="#c92a2a">重要</font>') != "报价"  # a colour the author chose stays


def test_a_labelled_link_between_stages_of_one_rank_is_exported_from_its_tail_to_its_head() -> None:
    # dot gives such a link two splines (`;` between them): a short piece from beside its label
    # as well as the whole link. The exports follow the whole link, and do not stop at the `;`.
    from salesflow.interop.layout import lay_out

    process = parse_file(str(HERE / "corpus" / "accept" / "146-subgraph-lanes.mmd"))
    drawing = lay_out(process)
    (index,) = [i for i, e in enumerate(process.edges) if (e.source, e.target) == ("score", "needs")]
    route, tail, head = drawing.routes[index], drawing.nodes["score"], drawing.nodes["needs"]

    def inside(point, box, slack=2.0) -> bool:
        return box.x - slack <= point[0] <= box.x + box.width + slack and box.y - slack <= point[1] <= box.y + box.height + slack

    assert inside(route[0], tail) and not inside(route[0], head), route
    assert inside(route[-1], head) and not inside(route[-1], tail), route
    result = CliRunner().invoke(cli, ["render", "-f", "drawio", str(HERE / "corpus" / "accept" / "146-subgraph-lanes.mmd"), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert 'source="node:score" target="node:needs"' in result.output
