"""The BPMN tools judge `render -f bpmn` (tests/bpmn/, pinned by its lockfile):

- bpmn-moddle, the model behind bpmn.io and Camunda Modeler, reads every export with no warning;
- bpmnlint with its recommended rules finds nothing that salesflow's own linter does not report
  on the same chart (the matching rules are below, and in the README);
- bpmn-js, the viewer, imports the export in Chromium with no warning and draws every element
  (the screenshots land in test-artifacts/ for a person to look at).

The charts: the samples and the layout corpus (tests/cases/layout), charts written the way sales
managers write them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ARTIFACTS, CASES, ROOT, require, sample_paths

HERE = Path(__file__).resolve().parent
JUDGES = HERE / "bpmn"

# bpmnlint's rule → the salesflow rules that report the same problem on the chart.
MATCHING_RULES = {
    "no-implicit-end": {"dead-end", "decision-needs-two-branches", "disconnected"},  # no way on
    "end-event-required": {"dead-end", "no-end"},  # no end: a stage that stops, or a chart that only loops
    "no-implicit-start": {"unreachable"},  # a stage nothing leads to, besides the start
    "start-event-required": {"no-start"},
    "single-blank-start-event": {"multiple-starts", "disconnected"},  # a stage linked to nothing starts too
    "no-duplicate-sequence-flows": {"duplicate-edge"},
    "conditional-flows": {"unlabeled-decision-branch"},  # a second unlabelled branch of a decision
    "superfluous-gateway": {"decision-needs-two-branches"},  # a decision with one way on
    "no-disconnected": {"disconnected"},
    "label-required": {"unlabeled-decision-branch"},
}

CHARTS = sample_paths() + sorted((CASES / "layout").glob("*.flow")) + sorted((CASES / "interop").glob("*.flow"))


@pytest.fixture(scope="module")
def judges() -> Path:
    require(shutil.which("node") is not None, "Node.js")
    require((JUDGES / "node_modules" / "bpmnlint").is_dir(), "the BPMN judges (cd tests/bpmn && npm ci)")
    return JUDGES


@pytest.fixture(scope="module")
def exported(dot, tmp_path_factory) -> dict[Path, tuple[Path, set[str]]]:
    """Each chart's export, and the rules salesflow's linter reports on the chart."""
    import salesflow.lint
    from salesflow.interop.bpmn_out import to_bpmn
    from salesflow.parse import parse_file

    folder = tmp_path_factory.mktemp("bpmn")
    result = {}
    for chart in CHARTS:
        process = parse_file(str(chart))
        target = folder / f"{chart.stem}.bpmn"
        target.write_text(to_bpmn(process), encoding="utf-8")
        result[chart] = (target, {finding.rule for finding in salesflow.lint(process)})
    return result


@pytest.mark.node
def test_bpmn_moddle_reads_and_bpmnlint_finds_only_what_salesflow_reports(judges, exported) -> None:
    files = [str(target) for target, _rules in exported.values()]
    run = subprocess.run(["node", str(judges / "judge.js"), *files], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    verdicts = {Path(v["path"]).stem: v for v in json.loads(run.stdout)}
    problems = []
    for chart, (target, salesflow_rules) in exported.items():
        verdict = verdicts[target.stem]
        assert "error" not in verdict, (chart.name, verdict.get("error"))
        assert verdict["warnings"] == [], (chart.name, verdict["warnings"])
        for report in verdict["lint"]:
            if not MATCHING_RULES.get(report["rule"], set()) & salesflow_rules:
                problems.append(f"{chart.name}: bpmnlint {report['rule']} on {report['id']}: {report['message']}")
    assert problems == []


@pytest.mark.node
def test_bpmnlint_sees_the_chart_problems_salesflow_sees(judges, exported) -> None:
    """The judge is not blind: the dead end of the classic chart is bpmnlint's implicit end too."""
    target, rules = exported[ROOT / "samples" / "classic-seven-stages.flow"]
    assert "dead-end" in rules
    run = subprocess.run(["node", str(judges / "judge.js"), str(target)], capture_output=True, text=True, timeout=60)
    found = {(report["rule"], report["id"]) for report in json.loads(run.stdout)[0]["lint"]}
    assert ("no-implicit-end", "G") in found


VIEWED = ["b2b-lanes", "annotated-ten-stages", "saas-funnel", "medical-device-lanes", "classic-five-td"]


def test_bpmn_js_opens_the_export_without_warnings(judges, exported, browser) -> None:
    bundle = judges / "node_modules" / "bpmn-js" / "dist" / "bpmn-viewer.production.min.js"
    require(bundle.exists(), "bpmn-js")
    ARTIFACTS.mkdir(exist_ok=True)
    by_name = {chart.stem: target for chart, (target, _rules) in exported.items()}
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.route("**/*", lambda route: route.abort())  # nothing is fetched: the viewer is inlined
    try:
        for name in VIEWED:
            page.set_content('<html><body style="margin:0"><div id="canvas" style="width:1600px;height:1000px"></div></body></html>')
            page.add_script_tag(path=str(bundle))
            xml = by_name[name].read_text(encoding="utf-8")
            result = page.evaluate(
                """async (xml) => {
                  const viewer = new BpmnJS({ container: '#canvas' });
                  try {
                    const { warnings } = await viewer.importXML(xml);
                    viewer.get('canvas').zoom('fit-viewport');
                    const drawn = viewer.get('elementRegistry').getAll().map((e) => e.id);
                    return { warnings: warnings.map((w) => w.message), drawn };
                  } catch (error) {
                    return { error: error.message, warnings: (error.warnings || []).map((w) => w.message) };
                  }
                }""",
                xml,
            )
            assert "error" not in result, (name, result)
            assert result["warnings"] == [], (name, result["warnings"])
            import xml.etree.ElementTree as ET

            wanted = {
                element.get("id")
                for element in ET.fromstring(xml.encode("utf-8")).iter()
                if element.tag.endswith(("}userTask", "}startEvent", "}endEvent", "}exclusiveGateway", "}parallelGateway", "}sequenceFlow", "}lane"))
            }
            assert wanted <= set(result["drawn"]), (name, sorted(wanted - set(result["drawn"]))[:5])
            page.screenshot(path=str(ARTIFACTS / f"bpmn-{name}.png"))
    finally:
        page.close()


def _bounds(xml: str, element: str) -> tuple[float, float]:
    """(x, y) of the top left corner of `element`'s shape in a BPMN file."""
    import re

    found = re.search(rf'bpmnElement="{element}">\s*<dc:Bounds x="([\d.]+)" y="([\d.]+)"', xml)
    assert found, element
    return float(found.group(1)), float(found.group(2))


@pytest.mark.node
@pytest.mark.parametrize("wrap", ["4", "6"])
def test_an_export_wrapped_as_the_picture_is_read_by_the_bpmn_tools(judges, dot, tmp_path, wrap) -> None:
    """`render -f bpmn|drawio --wrap N` lays the export out in the rows the picture has. The
    retail store's manager lane, with the start event and the gateways BPMN adds, wraps into two
    rows at 4 or 6 stages a row, a layout dot gives up on; the export is laid out again as
    `render` draws such a chart, and bpmn-moddle and bpmnlint take it as they take the others."""
    import re

    from click.testing import CliRunner

    import salesflow.lint
    from salesflow.cli import cli
    from salesflow.interop.draft import to_text
    from salesflow.interop.drawio_in import read_drawio
    from salesflow.parse import parse_file
    from test_bpmn_import import model

    chart = CASES / "layout" / "retail-store-lanes.flow"
    process = parse_file(str(chart))
    bpmn, drawio = tmp_path / "store.bpmn", tmp_path / "store.drawio"
    for target in (bpmn, drawio):
        result = CliRunner().invoke(cli, ["render", "-f", target.suffix[1:], "--wrap", wrap, str(chart), "-o", str(target)])
        assert result.exit_code == 0, result.output
    run = subprocess.run(["node", str(judges / "judge.js"), str(bpmn)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    verdict = json.loads(run.stdout)[0]
    assert "error" not in verdict and verdict["warnings"] == [], verdict
    salesflow_rules = {finding.rule for finding in salesflow.lint(process)}
    assert [r for r in verdict["lint"] if not MATCHING_RULES.get(r["rule"], set()) & salesflow_rules] == []
    xml = bpmn.read_text(encoding="utf-8")
    flows = re.findall(r'<bpmn:sequenceFlow id="([^"]+)"', xml)
    drawn = set(re.findall(r'<bpmndi:BPMNEdge id="[^"]+" bpmnElement="([^"]+)"', xml))
    assert flows and set(flows) <= drawn  # every flow laid out
    # The manager lane's first stage and its daily review sit in its two rows, one over the other.
    first, review = _bounds(xml, "M1"), _bounds(xml, "M4")
    assert review[1] > first[1] + 52
    # The draw.io export of the same wrap comes back as the chart it was written from.
    draft, report = read_drawio(drawio.read_bytes(), "store.drawio")
    assert report.entries == []
    assert model(to_text(draft, "store.flow")[1]) == model(process)
