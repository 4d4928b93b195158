// Builds ../static/editor.js from src/ and the packages pinned in package-lock.json, and collects
// the licences of every package in the bundle into ../static/editor.LICENSES.txt.
// Run by `make studio-assets` (npm ci first). The bundle's first line records the digests of the
// lockfile and of src/, which a test compares with the files in the repository.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const digest = (data) => createHash("sha256").update(data).digest("hex");
const sources = readdirSync(join(here, "src")).sort().map((name) => name + "\0" + readFileSync(join(here, "src", name), "utf8"));

const result = await build({
  entryPoints: [join(here, "src/index.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  charset: "utf8",
  metafile: true,
  write: false,
  absWorkingDir: here,
});

const header =
  `/* salesflow studio editor: CodeMirror 6 and the process language. Built by \`make studio-assets\`; ` +
  `licences in editor.LICENSES.txt. lockfile-sha256=${digest(readFileSync(join(here, "package-lock.json")))} ` +
  `sources-sha256=${digest(sources.join("\0"))} */\n`;
writeFileSync(join(here, "../static/editor.js"), header + result.outputFiles[0].text);

const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
let licences = "The studio's editor bundle (editor.js) contains these npm packages, under these licences.\n";
for (const name of [...packages].sort()) {
  const folder = join(here, "node_modules", name);
  const version = lock.packages[`node_modules/${name}`].version;
  const file = readdirSync(folder).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = file ? readFileSync(join(folder, file), "utf8").trim() : `License: ${lock.packages[`node_modules/${name}`].license}`;
  licences += `\n${"=".repeat(72)}\n${name} ${version}\n${"=".repeat(72)}\n\n${text}\n`;
}
writeFileSync(join(here, "../static/editor.LICENSES.txt"), licences);
console.log(`editor.js: ${packages.size} packages, ${(result.outputFiles[0].contents.length / 1024).toFixed(0)} KiB`);
