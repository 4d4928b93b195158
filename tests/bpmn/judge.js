// Reads BPMN files the way BPMN tools do and prints, per file, what they say about it (JSON):
// bpmn-moddle's import warnings, and bpmnlint's reports with its recommended rules.
//   node judge.js FILE.bpmn...
'use strict';

const fs = require('fs');
const BpmnModdleModule = require('bpmn-moddle');
const BpmnModdle = BpmnModdleModule.BpmnModdle || BpmnModdleModule.default || BpmnModdleModule;
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

async function judge(path) {
  const moddle = new BpmnModdle();
  const { rootElement, warnings } = await moddle.fromXML(fs.readFileSync(path, 'utf8'), 'bpmn:Definitions');
  const linter = new Linter({ config: { extends: 'bpmnlint:recommended' }, resolver: new NodeResolver() });
  const reports = await linter.lint(rootElement);
  const lint = [];
  for (const [rule, found] of Object.entries(reports)) {
    for (const report of found) {
      lint.push({ rule, id: report.id, message: report.message, category: report.category });
    }
  }
  return { path, warnings: warnings.map((w) => w.message), lint };
}

(async () => {
  const results = [];
  for (const path of process.argv.slice(2)) {
    try {
      results.push(await judge(path));
    } catch (error) {
      results.push({ path, error: String(error && error.message || error) });
    }
  }
  process.stdout.write(JSON.stringify(results, null, 1) + '\n');
})();
