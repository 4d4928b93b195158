"""`salesflow import FILE.bpmn`: BPMN read back into a process file.

- a chart exported with `render -f bpmn` and imported again is the same chart (every sample and
  every chart of the layout corpus: stages, kinds, owners, deadlines, lists, notes, lanes,
  subgraphs, links with labels, rates and notes);
- a model written the way BPMN tools write one (tests/cases/bpmn/) is read element by element,
  and what a chart cannot hold is listed in the report, with its place in the file;
- broken and hostile files are refused with a positioned message and nothing is written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CASES, require, sample_paths
from salesflow.cli import cli
from salesflow.graph import ProcessGraph
from salesflow.parse import parse_file, parse_text

BPMN_CASES = CASES / "bpmn"
# The samples, the layout corpus, and charts whose ids and labels are awkward for XML.
CORPUS = sample_paths() + sorted((CASES / "layout").glob("*.flow")) + sorted((CASES / "interop").glob("*.flow"))


def model(process) -> dict:
    """What a chart says, independent of how its text is laid out."""
    graph = ProcessGraph(process)
    titles = {s.id: s.text for s in process.subgraphs}
    nodes = sorted(
        (n.id, n.text, graph.kind(n), n.owner, n.due.text if n.due else None, n.steps, n.resources, n.checks, n.kpi,
         n.note, titles.get(n.lane), titles.get(n.subgraph))
        for n in process.nodes
    )
    edges = sorted((e.source, e.target, e.text or "", e.id or "", e.rate_text or "", e.note or "") for e in process.edges)
    return {
        "nodes": nodes, "edges": edges, "title": process.title, "goals": process.goals, "roles": process.roles,
        "target": process.target.text if process.target else None, "lang": process.lang,
        "lanes": [titles[lane] for lane in process.lanes if lane in titles],
    }


@pytest.mark.parametrize("chart", CORPUS, ids=lambda p: p.stem)
def test_flow_to_bpmn_to_flow_keeps_the_chart(chart: Path, dot) -> None:
    from salesflow.interop.bpmn_in import read_bpmn
    from salesflow.interop.bpmn_out import to_bpmn
    from salesflow.interop.draft import to_text

    process = parse_file(str(chart))
    draft, report = read_bpmn(to_bpmn(process).encode("utf-8"), "chart.bpmn")
    text, again = to_text(draft, "chart.flow")
    assert report.entries == []  # salesflow's own export holds nothing a chart cannot
    assert model(again) == model(process)
    assert model(parse_text(text, "chart.flow")) == model(process)


def _import(tmp_path: Path, source: Path, *extra: str):
    target = tmp_path / "imported.flow"
    result = CliRunner().invoke(cli, ["import", str(source), "-o", str(target), *extra])
    return result, target


def test_a_model_from_a_bpmn_tool_reads_element_by_element(tmp_path: Path) -> None:
    source = BPMN_CASES / "two-pools-order-to-cash.bpmn"
    result, target = _import(tmp_path, source, "--report", str(tmp_path / "report.json"))
    assert result.exit_code == 0, result.output
    process = parse_file(str(target))
    graph = ProcessGraph(process)
    titles = {s.id: s.text for s in process.subgraphs}
    assert process.title == "Order to cash"
    # A pool without lanes is a lane; the lanes of a pool with lanes are lanes, named after both.
    assert [titles[lane] for lane in process.lanes] == ["Customer", "Supplier / Sales", "Supplier / Operations"]
    node = {n.id: n for n in process.nodes}
    assert node["CheckCredit"].owner == "Credit controller"  # the human performer
    assert node["CheckCredit"].note == "Look the customer up in the credit register.\nWithin two working days"
    assert node["SendPO"].owner == "Customer" and node["SendPO"].owner_from_lane
    assert graph.kind(node["NeedArises"]) == "start" and graph.kind(node["Rejected"]) == "end"
    # Exclusive, event-based and inclusive gateways that branch are decisions with labelled branches.
    for decision in ("CreditOk", "WaitPayment", "Extras"):
        assert node[decision].is_decision
    links = {(e.source, e.target): e for e in process.edges}
    assert links[("CreditOk", "Reject")].text == "no"
    assert links[("Extras", "GiftWrap")].text == "gift wrap"
    # Parallel gateways are no stages: the flow runs straight through them, into the
    # sub-process's start and out of its end.
    assert "Fork" not in node and "Join" not in node
    assert links[("CreditOk", "FulfilStart")].text == "yes" and links[("CreditOk", "Invoice")].text == "yes"
    assert ("FulfilEnd", "WaitPayment") in links and ("Invoice", "WaitPayment") in links
    # The sub-process is a subgraph inside its lane.
    fulfil = next(s for s in process.subgraphs if s.id == "Fulfil")
    assert fulfil.text == "Fulfil order" and titles[fulfil.parent] == "Supplier / Operations"
    assert node["Pack"].lane == fulfil.parent
    # The message flow between two steps of the two pools is a dotted link.
    assert links[("SendPO", "ReceivePO")].stroke == "dotted" and links[("SendPO", "ReceivePO")].text == "purchase order"
    # The boundary timer is a stage its activity leads to, in the activity's lane.
    assert node["Late"].lane == fulfil.parent and ("Late", "Invoice") in links

    # A group is the subgraph around the steps drawn inside it, inside their lane.
    credit = next(s for s in process.subgraphs if s.text == "Credit check")
    assert titles[credit.parent] == "Supplier / Sales"
    assert {n.id for n in process.nodes if n.subgraph == credit.id} == {"CheckCredit", "CreditOk", "Reject"}
    assert node["Reject"].owner == "Supplier / Sales"  # the lane still gives its owner

    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["input"] == str(source)
    noted = {(entry["id"], entry["line"]) for entry in report["entries"]}
    for expected in [
        ("SendPO", 17), ("Fork", 57), ("Invoice", 65), ("OrderDoc", 80), ("OrderData", 81), ("Invoice_sent", 13),
        ("Late", 77), ("CreditGroup", 104), ("Message_PO", 109),
    ]:
        assert expected in noted, expected
    assert "two-pools-order-to-cash.bpmn:13:5: note: bpmn:messageFlow Invoice_sent" in result.output


BROKEN = {
    "malformed": (
        '<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">\n'
        '  <bpmn:process id="P">\n    <bpmn:task id="A">\n  </bpmn:process>\n</bpmn:definitions>\n',
        ":5:5: error: this is not well-formed XML: mismatched tag",
    ),
    "entity-expansion": (
        '<?xml version="1.0"?>\n<!DOCTYPE bomb [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="P">'
        '<bpmn:task id="A" name="&b;"/></bpmn:process></bpmn:definitions>\n',
        ":2:16: error: the file declares a DTD",
    ),
    "external-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="P">'
        '<bpmn:task id="A" name="&secret;"/></bpmn:process></bpmn:definitions>\n',
        ":2:13: error: the file declares a DTD",
    ),
    "missing-reference": (
        '<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">\n'
        '  <bpmn:process id="P">\n    <bpmn:task id="A" name="x"/>\n'
        '    <bpmn:sequenceFlow id="f" sourceRef="A" targetRef="B"/>\n  </bpmn:process>\n</bpmn:definitions>\n',
        ":5:5: error: sequenceFlow `f` refers to `B`, which is not in the file",
    ),
    "not-bpmn": ("<html><body/></html>\n", ":1:1: error: this is not a BPMN 2.0 model: the document element is <html>"),
    "no-process": (
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>\n',
        ":1:1: error: this BPMN model holds no process",
    ),
    "empty": ("", ":1:1: error: the file is empty"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_and_hostile_files_are_refused_and_nothing_is_written(case: str, tmp_path: Path) -> None:
    text, expected = BROKEN[case]
    source = tmp_path / f"{case}.bpmn"
    source.write_text(text, encoding="utf-8")
    result, target = _import(tmp_path, source)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{source}{expected}" in result.output, result.output
    assert not target.exists()
    assert "root:" not in result.output  # nothing of /etc/passwd


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SALESFLOW_MAX_INPUT_MB", "1")
    source = tmp_path / "huge.bpmn"
    source.write_bytes(b"<a>" + b"x" * (1024 * 1024 + 10) + b"</a>")
    result, target = _import(tmp_path, source)
    assert result.exit_code == 2 and "salesflow stops at 1 MiB per input (set SALESFLOW_MAX_INPUT_MB" in result.output
    assert not target.exists()


# The reference models are not committed here (their licence asks for attribution, and they are
# others' files): they are read from SALESFLOW_BPMN_MIWG, or from ../shared/data/bpmn-miwg beside
# the checkout where the team keeps the eight this test was written against.
_SHARED_MIWG = Path(__file__).resolve().parents[2] / "shared" / "data" / "bpmn-miwg"
MIWG = os.environ.get("SALESFLOW_BPMN_MIWG", "") or (str(_SHARED_MIWG) if _SHARED_MIWG.is_dir() else "")


@pytest.mark.slow
def test_the_bpmn_miwg_reference_models_import(tmp_path: Path) -> None:
    """The BPMN Model Interchange Working Group's reference models (bpmn-miwg-test-suite,
    Reference/*.bpmn, CC BY 3.0), from the folder SALESFLOW_BPMN_MIWG names: each imports, its
    process file reads, and every lane, gateway that branches and task is there."""
    require(bool(MIWG) and Path(MIWG).is_dir(), "the BPMN MIWG reference models (SALESFLOW_BPMN_MIWG=folder)")
    import xml.etree.ElementTree as ET

    models = sorted(Path(MIWG).glob("*.bpmn"))
    assert models
    for source in models:
        result, target = _import(tmp_path, source)
        assert result.exit_code == 0, (source.name, result.output)
        process = parse_file(str(target))
        root = ET.parse(source).getroot()
        tasks = [e.get("id") for e in root.iter() if e.tag.endswith(("}task", "}userTask", "}serviceTask", "}manualTask", "}sendTask", "}receiveTask", "}scriptTask", "}businessRuleTask", "}callActivity"))]
        found = {n.id for n in process.nodes}
        assert all(task in found for task in tasks), source.name
        lanes = [e.get("name") for e in root.iter() if e.tag.endswith("}lane") and e.get("name")]
        titles = " | ".join(s.text for s in process.subgraphs if s.is_lane)
        assert all(lane in titles for lane in lanes), source.name


def test_what_is_changed_in_a_bpmn_tool_comes_back(dot) -> None:
    """A task renamed in a modeller, and a task added there without salesflow's data, read as drawn."""
    from salesflow.interop.bpmn_in import read_bpmn
    from salesflow.interop.bpmn_out import to_bpmn
    from salesflow.interop.draft import to_text

    exported = to_bpmn(parse_file(str(CASES / "interop" / "awkward-labels-and-ids.flow")))
    assert 'name="one &amp;lt; two &amp; bold &quot;q&quot;"' in exported
    renamed = exported.replace('name="one &amp;lt; two &amp; bold &quot;q&quot;"', 'name="First step"')
    added = renamed.replace(
        "</bpmn:process>",
        '<bpmn:manualTask id="Extra" name="Call the customer"><bpmn:documentation>added in the modeller'
        "</bpmn:documentation></bpmn:manualTask></bpmn:process>",
    )
    draft, _report = read_bpmn(added.encode("utf-8"), "edited.bpmn")
    _text, process = to_text(draft, "edited.flow")
    assert process.node("1").text == "First step"
    assert process.node("Extra").text == "Call the customer" and process.node("Extra").note == "added in the modeller"


@pytest.mark.parametrize("fmt", ["bpmn", "drawio"])
def test_a_chart_laid_out_by_sfdp_keeps_its_lanes(fmt: str, dot) -> None:
    """`--engine sfdp` (for very large charts) draws no clusters; the lanes still hold their stages."""
    from salesflow.interop.draft import to_text
    from salesflow.interop.reading import read_draft
    from salesflow.render import FORMATS

    process = parse_file(str(CASES / "layout" / "six-lanes-40.flow"))
    exported = FORMATS[fmt].renderer()(process, engine="sfdp")
    draft, _report = read_draft(f"chart.{fmt}", exported.encode("utf-8"), fmt)
    assert model(to_text(draft, "chart.flow")[1]) == model(process)
