// Runs the real Mermaid flowchart parser over a batch of charts and prints what it understood.
// Flowcharts (`graph`, `flowchart`) and swimlane diagrams (`swimlane-beta`, which Mermaid reads with
// the flowchart parser and database, its top-level subgraphs drawn as lanes) are both read.
// Usage: node oracle.mjs [PACKAGE] — PACKAGE is the installed Mermaid release to use: `mermaid`
// (11.x, the default) or `mermaid12` (12.x, installed under that alias); see package.json.
// Input (stdin): a JSON list of chart texts. Output (stdout): a JSON list, one entry per chart:
//   {ok: true, diagram, direction, vertices: [...], edges: [...], subgraphs: [...]}  or  {ok: false, error: "..."};
//   `diagram` is Mermaid's diagram type: `flowchart-v2` (or `flowchart`) or `swimlane`; a swimlane
//   diagram also has `lanes`: the ids of the subgraphs drawn as lanes, in the order drawn.
// Mermaid needs a DOM for its sanitizer, so a jsdom window stands in for the browser.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ['Element', 'HTMLElement', 'Node', 'DOMParser', 'DocumentFragment', 'SVGElement']) {
  if (dom.window[name] && !globalThis[name]) globalThis[name] = dom.window[name];
}

const RELEASES = ['mermaid', 'mermaid12'];
const release = process.argv[2] ?? 'mermaid';
if (!RELEASES.includes(release)) {
  process.stderr.write(`unknown Mermaid release ${release}: expected one of ${RELEASES.join(', ')}\n`);
  process.exit(2);
}
const { default: mermaid } = await import(release);
// Tests use charts far larger than the stock limits allow; salesflow warns users about those limits itself.
mermaid.initialize({ startOnLoad: false, maxTextSize: 100_000_000, maxEdges: 10_000_000, securityLevel: 'strict' });

function readStdin() {
  return new Promise((resolve) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

// Mermaid's diagram types whose database is the flowchart's.
const FLOW_TYPES = ['flowchart-v2', 'flowchart', 'swimlane'];

// The lanes of a swimlane diagram, in the order Mermaid draws them: the groups without a parent
// that its swimlane layout receives (`getData()`), which lists them newest first and turns them
// round again (`buildTopLaneOrder`) unless `swimlane.automaticLaneOrdering` is on (off by default).
function swimlanes(db) {
  return db.getData().nodes.filter((n) => n.isGroup && !n.parentId).map((n) => n.id).reverse();
}

function describe(diagram) {
  const db = diagram.db;
  const vertices = [];
  for (const [id, v] of db.getVertices()) {
    vertices.push({ id, text: v.text ?? null, type: v.type ?? null, classes: v.classes ?? [] });
  }
  const edges = db.getEdges().map((e) => ({
    start: e.start, end: e.end, type: e.type ?? null, stroke: e.stroke ?? null,
    length: e.length ?? null, text: e.text ?? '', id: e.id ?? null, isUserDefinedId: !!e.isUserDefinedId,
  }));
  const subgraphs = db.getSubGraphs().map((s) => ({
    id: s.id, title: s.title, nodes: [...s.nodes], dir: s.dir ?? null,
  }));
  const result = { ok: true, diagram: diagram.type, direction: db.getDirection ? db.getDirection() ?? null : null, vertices, edges, subgraphs };
  if (diagram.type === 'swimlane') result.lanes = swimlanes(db);
  return result;
}

const charts = JSON.parse(await readStdin());
const results = [];
for (const text of charts) {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    if (!FLOW_TYPES.includes(diagram.type)) {
      results.push({ ok: false, error: `not a flowchart or swimlane diagram: ${diagram.type}` });
    } else {
      results.push(describe(diagram));
    }
  } catch (err) {
    results.push({ ok: false, error: String(err && err.message ? err.message : err).slice(0, 2000) });
  }
}
process.stdout.write(JSON.stringify(results));
