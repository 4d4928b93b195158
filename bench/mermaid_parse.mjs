// Times Mermaid's own parse of one chart file, inside one warm Node process: the yardstick the
// ratios in bench_ratios.py are measured against. Uses the Mermaid release pinned in tests/mermaid
// (run `npm ci` there first).
// Usage: node bench/mermaid_parse.mjs FILE [REPEAT] — prints the median parse time in seconds.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pinned = createRequire(join(dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'mermaid', 'package.json'));
const { JSDOM } = await import(pathToFileURL(pinned.resolve('jsdom')).href);
// Mermaid's sanitizer needs a DOM; a jsdom window stands in for the browser, as in the test oracle.
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ['Element', 'HTMLElement', 'Node', 'DOMParser', 'DocumentFragment', 'SVGElement']) {
  if (dom.window[name] && !globalThis[name]) globalThis[name] = dom.window[name];
}
const { default: mermaid } = await import(pathToFileURL(pinned.resolve('mermaid')).href);
mermaid.initialize({ startOnLoad: false, maxTextSize: 100_000_000, maxEdges: 10_000_000, securityLevel: 'strict' });

const text = readFileSync(process.argv[2], 'utf8');
const repeat = Number(process.argv[3] ?? 5);
await mermaid.mermaidAPI.getDiagramFromText('flowchart LR\n  a --> b\n');
const times = [];
for (let i = 0; i < repeat; i++) {
  const start = performance.now();
  await mermaid.mermaidAPI.getDiagramFromText(text);
  times.push((performance.now() - start) / 1000);
}
times.sort((a, b) => a - b);
process.stdout.write(`${times[Math.floor(times.length / 2)]}\n`);
