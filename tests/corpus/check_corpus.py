"""The corpus of the Mermaid differential test, and a check of it against the real Mermaid parser.

Every accept/ file, every generated chart and every CRLF copy must be accepted by Mermaid, every
reject/ file rejected. The test module (tests/test_mermaid_differential.py) takes its cases from
`cases()` here, so this script and the test always look at the same charts.

    python tests/corpus/check_corpus.py          # one line per problem, exit 1 if any
    python tests/corpus/check_corpus.py -v       # also print what Mermaid read from each chart
    python tests/corpus/check_corpus.py -v accept/012-graph-arrow-left.mmd
    python tests/corpus/check_corpus.py --release mermaid12    # only one Mermaid release

Every chart goes through each pinned Mermaid release (RELEASES); they must agree with each other
as well as with the corpus. Needs `node` and `npm ci --prefix tests/mermaid`.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORACLE = HERE.parent / "mermaid" / "oracle.mjs"
# The Mermaid releases the corpus is checked against: npm package names in tests/mermaid/package.json
# (11.x as `mermaid`, the current 12.x under the alias `mermaid12`), both pinned by its lockfile.
RELEASES = ("mermaid", "mermaid12")
NAME = re.compile(r"^\d{3}-[a-z0-9]+(?:-[a-z0-9]+)*\.mmd$")

# Accept files that are also checked with Windows line endings (written out at run time, so that
# no git setting can normalise them away).
CRLF_COPIES = (
    "021-classic-seven-stages-semicolons.mmd",
    "146-subgraph-lanes.mmd",
    "172-acc-descr-multiline.mmd",
    "175-front-matter-salesflow-keys.mmd",
    "181-node-data-multiline-yaml.mmd",
)


@dataclass(frozen=True)
class Case:
    name: str  # accept/NNN-x.mmd, reject/NNN-x.mmd, generated/<name>, crlf/NNN-x.mmd
    text: str
    accept: bool  # what Mermaid is expected to do with it
    path: Path | None = None  # the corpus file, if the case is one


def _load_generate():
    spec = importlib.util.spec_from_file_location("salesflow_corpus_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def cases() -> list[Case]:
    """Every chart of the differential test, in a stable order."""
    out: list[Case] = []
    for folder, accept in (("accept", True), ("reject", False)):
        for path in sorted((HERE / folder).glob("*.mmd")):
            out.append(Case(f"{folder}/{path.name}", path.read_text(encoding="utf-8"), accept, path))
    generate = _load_generate()
    for name, kwargs in generate.CHARTS.items():
        out.append(Case(f"generated/{name}", generate.generate(**kwargs), True))
    for name in CRLF_COPIES:
        path = HERE / "accept" / name
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        out.append(Case(f"crlf/{name}", text, True, path))
    return out


def run_oracle(texts: list[str], timeout: float = 900, release: str = RELEASES[0]) -> list[dict]:
    """Mermaid's reading of each text by one release; raises RuntimeError if the oracle itself fails."""
    if release not in RELEASES:
        raise ValueError(f"unknown Mermaid release {release!r}; expected one of {', '.join(RELEASES)}")
    proc = subprocess.run(
        ["node", str(ORACLE), release],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"the Mermaid oracle ({release}) failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    results = json.loads(proc.stdout)
    if len(results) != len(texts):
        raise RuntimeError(f"the Mermaid oracle answered {len(results)} results for {len(texts)} charts")
    return results


def same_reading(one: dict, other: dict) -> bool:
    """Whether two releases read a chart alike: the same elements, or both reject it (in any words)."""
    if one["ok"] and other["ok"]:
        return one == other
    return one["ok"] == other["ok"]


def describe(result: dict) -> str:
    """Mermaid's reading of one chart, one line per element."""
    if not result["ok"]:
        return "  rejected: " + result["error"].replace("\n", " | ")[:400]
    lines = [f"  direction {result['direction']}"]
    if result.get("diagram") == "swimlane":
        lines.append(f"  swimlane diagram, lanes {result['lanes']}")
    for v in result["vertices"]:
        lines.append(f"  node {v['id']!r} text={v['text']!r} type={v['type']} classes={v['classes']}")
    for e in result["edges"]:
        ident = f" id={e['id']}" if e["isUserDefinedId"] else ""
        lines.append(
            f"  edge {e['start']} -> {e['end']} {e['type']} {e['stroke']} length={e['length']}"
            f" text={e['text']!r}{ident}"
        )
    for s in result["subgraphs"]:
        lines.append(f"  subgraph {s['id']!r} title={s['title']!r} nodes={s['nodes']} dir={s['dir']}")
    return "\n".join(lines)


def layout_problems(all_cases: list[Case]) -> list[str]:
    """File naming and header-comment conventions of the corpus."""
    problems = []
    for folder in ("accept", "reject"):
        numbers: dict[str, str] = {}
        for path in sorted((HERE / folder).iterdir()):
            if not NAME.match(path.name):
                problems.append(f"{folder}/{path.name}: not named NNN-short-name.mmd")
                continue
            number = path.name[:3]
            if number in numbers:
                problems.append(f"{folder}/{path.name}: number {number} also used by {numbers[number]}")
            numbers[number] = path.name
    for case in all_cases:
        if case.name.startswith("accept/"):
            first = case.text.splitlines()[0] if case.text else ""
            if not (first.startswith("%% ") or first == "---"):
                problems.append(f"{case.name}: does not start with a %% comment saying what it covers")
    return problems


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    releases = list(RELEASES)
    if "--release" in argv:
        at = argv.index("--release")
        releases = argv[at + 1 : at + 2]
        argv = argv[:at] + argv[at + 2 :]
        if not releases or releases[0] not in RELEASES:
            print(f"--release takes one of: {', '.join(RELEASES)}")
            return 2
    only = [a for a in argv if a != "-v"]
    all_cases = cases()
    selected = [c for c in all_cases if not only or c.name in only]
    texts = [c.text for c in selected]
    readings = {release: run_oracle(texts, release=release) for release in releases}
    problems = layout_problems(all_cases) if not only else []
    for problem in problems:
        print(problem)
    for index, case in enumerate(selected):
        for release in releases:
            result = readings[release][index]
            if result["ok"] != case.accept:
                want = "accept" if case.accept else "reject"
                problems.append(case.name)
                print(f"{case.name}: Mermaid ({release}) should {want} it but does not")
                print(describe(result))
            elif verbose:
                print(f"{case.name} ({release})")
                print(describe(result))
        first = readings[releases[0]][index]
        for release in releases[1:]:
            if not same_reading(readings[release][index], first):
                problems.append(case.name)
                print(f"{case.name}: {release} reads it differently from {releases[0]}")
                print(f"  {releases[0]}:\n{describe(first)}\n  {release}:\n{describe(readings[release][index])}")
    kinds = ("accept/", "reject/", "generated/", "crlf/")
    counts = ", ".join(f"{sum(c.name.startswith(k) for c in selected)} {k[:-1]}" for k in kinds)
    print(f"{len(selected)} charts ({counts}); {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
