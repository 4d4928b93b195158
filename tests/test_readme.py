"""The README tells the truth: its commands run, its examples parse, its tables match the code.

Everything is taken from README.md by its structure — fenced blocks by their language, tables by
their header row, inline code by its shape — never by line numbers, so the README can be edited
freely and stays checked:

* every `salesflow …` line of a ```sh block runs, in order, in a scratch folder holding the
  samples and the placeholder paths the README uses (`processes/`, `docs/` with `docs/guide.md`,
  `process.flow`, `our-templates/`), with the exit code the README promises (EXIT_CODES; 0 unless listed), no
  traceback, and every file it names with `-o`/`--pdf` written;
* every ```python block runs, in the scratch folder, with this checkout's salesflow, printing no traceback;
* every ```mermaid block parses, and an error shown in a plain ``` block is what salesflow prints;
* every ```toml block is a configuration `salesflow lint --config` accepts, in the file its layout
  belongs to (`[tool.salesflow]`: pyproject.toml; keys at the top: .salesflow.toml), and the text
  right before it names that file;
* the metadata key table lists exactly the keys the parser knows, and each listed key is accepted
  where the table puts it; the duration table's units read as the hours it gives;
* the JSON model's schema names every key `render -f json` writes, and nothing it does not;
* inline suppression comments, `--options`, rule names, limit variables and pre-commit hook ids
  named in the text exist.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, require, require_binary

README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")

# Exit codes of README commands that do not exit 0, as the README explains them: the classic
# seven-stage chart has findings at error level (exit 1). Keyed by the command as written.
EXIT_CODES = {
    "salesflow lint samples/classic-seven-stages.flow": 1,
}


# ---------------------------------------------------------------------------------------------
# Reading the README by structure.


@dataclass(frozen=True)
class Block:
    info: str  # the fence's language word: sh, mermaid, toml, text, or ""
    body: str
    line: int  # the line of the opening fence, for messages
    before: str  # the prose between the previous block (or the start) and this one


_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")


def blocks(text: str = TEXT) -> list[Block]:
    out: list[Block] = []
    lines = text.split("\n")
    i, prose_start = 0, 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence = match.group("fence")
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not (lines[i].strip().startswith(fence) and set(lines[i].strip()) == {fence[0]}):
            body.append(lines[i])
            i += 1
        before = "\n".join(lines[prose_start:start])
        out.append(Block(match.group("info").lower(), "\n".join(body) + "\n", start + 1, before))
        i += 1
        prose_start = i
    return out


def prose(text: str = TEXT) -> str:
    """The README without its fenced blocks."""
    kept, inside = [], None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if inside is None and match:
            inside = match.group("fence")
        elif inside is not None and line.strip().startswith(inside) and set(line.strip()) == {inside[0]}:
            inside = None
        elif inside is None:
            kept.append(line)
    return "\n".join(kept)


def inline_code(text: str) -> list[str]:
    """The contents of inline code spans (`x`, ``x``) in Markdown prose."""
    return [m.group(2).strip() for m in re.finditer(r"(`+)(.+?)(?<!`)\1(?!`)", text)]


def section(heading: str, text: str = TEXT) -> str:
    """The README text under a heading line (`### Durations`), up to the next heading of any level."""
    match = re.search(rf"^#+ {re.escape(heading)}\s*$(?P<body>.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match, f"the README has no heading `{heading}`"
    return match.group("body")


def table(header: list[str], text: str = TEXT) -> list[list[str]]:
    """The rows of the Markdown table whose header row has these cells."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if [c.strip() for c in line.strip().strip("|").split("|")] == header:
            rows = []
            for row in lines[i + 2 :]:
                if not row.strip().startswith("|"):
                    break
                rows.append([c.strip() for c in re.split(r"(?<!\\)\|", row.strip().strip("|"))])
            return rows
    raise AssertionError(f"the README has no table with the header {header}")


def commands(block: Block) -> list[str]:
    """The shell lines of a block that run salesflow (alone or at the end of a pipe)."""
    out = []
    for line in block.body.replace("\\\n", " ").split("\n"):
        line = line.strip()
        if re.match(r"^(?:[^#|]*\|\s*)?salesflow\s", line):
            out.append(line)
    return out


def written(command: str) -> str:
    """A command as written, without its trailing comment."""
    return " ".join(shlex.split(command, comments=True))


SH_BLOCKS = [b for b in blocks() if b.info in ("sh", "shell", "bash", "console") and commands(b)]


def _marks(block: Block) -> list:
    """The components a block's commands need, as markers (see tests/conftest.py)."""
    marks = []
    if re.search(r"\bsalesflow\s+(render|handbook)\b|\bsalesflow\.(render|handbook_html)\(", block.body):
        marks.append(pytest.mark.graphviz)
    if "--pdf" in block.body:
        marks.append(pytest.mark.pdf)
    return marks


def test_the_readme_is_read_whole() -> None:
    """Guards the extraction itself: if it found nothing, every test below would pass vacuously."""
    kinds = {b.info for b in blocks()}
    assert {"sh", "mermaid", "toml"} <= kinds, kinds
    assert len(SH_BLOCKS) >= 4
    runs = [written(c) for b in SH_BLOCKS for c in commands(b)]
    for command in EXIT_CODES:
        assert command in runs, f"EXIT_CODES names `{command}`, which the README no longer runs"


# ---------------------------------------------------------------------------------------------
# The commands.


def _workspace(tmp_path: Path) -> Path:
    """A scratch folder with the samples and what the README's placeholder paths stand for."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "samples", work / "samples")
    clean = ["annotated-ten-stages.flow", "b2b-lanes.flow", "saas-funnel.flow"]
    for folder in ("processes", "docs"):
        (work / folder).mkdir()
        for name in clean:
            shutil.copy(ROOT / "samples" / name, work / folder / name)
    shutil.copy(ROOT / "samples" / "process-in-docs.md", work / "docs" / "guide.md")
    shutil.copy(ROOT / "samples" / "saas-funnel.flow", work / "process.flow")
    templates = work / "our-templates"
    templates.mkdir()
    (templates / "handbook-brand.html.j2").write_text('<span class="brand">ACME 销售学院</span>\n', encoding="utf-8")
    _install_command(tmp_path)
    return work


def _install_command(tmp_path: Path) -> None:
    """`salesflow` on the PATH of `_run`: this checkout, run by the interpreter running the tests."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "salesflow"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m salesflow "$@"\n', encoding="utf-8")
    script.chmod(0o755)


def _run(command: str, work: Path) -> subprocess.CompletedProcess:
    """Run a shell line in `work`, whose parent holds the `bin/salesflow` of `_install_command`."""
    env = {
        **os.environ,
        "PATH": f"{work.parent / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": "1767225600",
    }
    env.pop("GITHUB_ACTIONS", None)  # the README's plain output, not workflow annotations
    return subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, timeout=600)


def _outputs(command: str) -> list[str]:
    words = shlex.split(command, comments=True)
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output", "--pdf")]


@pytest.mark.parametrize("block", [pytest.param(b, marks=_marks(b), id=written(commands(b)[0])) for b in SH_BLOCKS])
def test_readme_commands_run_as_described(block: Block, tmp_path: Path) -> None:
    work = _workspace(tmp_path)
    if any(re.search(r"\bsalesflow\s+(render|handbook)\b", c) for c in commands(block)):
        require_binary("dot")
    for command in commands(block):
        result = _run(command, work)
        stdout, stderr = result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")
        shown = f"README line {block.line}ff: `{command}` exited {result.returncode}\n{stdout[-3000:]}\n{stderr[-3000:]}"
        if result.returncode != 0 and "WeasyPrint" in stderr:
            require(False, "WeasyPrint (for the README's PDF handbook)")
        assert result.returncode == EXIT_CODES.get(written(command), 0), shown
        assert "Traceback" not in stderr, shown
        assert " in 0 files" not in stdout, f"`{command}` found nothing to work on:\n{stdout}"
        outputs = _outputs(command)
        for output in outputs:
            target = work / output
            assert target.exists(), f"`{command}` did not write {output}\n{shown}"
            if target.is_dir():
                assert any(target.iterdir()), f"`{command}` left {output} empty"
            else:
                assert target.stat().st_size > 0, f"`{command}` wrote an empty {output}"
        if not outputs and "fmt" not in command.split():
            assert stdout.strip(), f"`{command}` printed nothing\n{shown}"


@pytest.mark.graphviz
def test_the_template_folder_of_the_handbook_example_is_used(tmp_path: Path) -> None:
    """`--template-dir our-templates/` in the README replaces the logo slot it names."""
    require_binary("dot")
    (command,) = [c for b in SH_BLOCKS for c in commands(b) if "--template-dir" in c]
    work = _workspace(tmp_path)
    result = _run(command, work)
    assert result.returncode == 0, result.stderr.decode()
    (output,) = _outputs(command)
    assert "ACME 销售学院" in (work / output).read_text("utf-8")
    assert "handbook-brand.html.j2" in section("The handbook: `salesflow handbook`")


# ---------------------------------------------------------------------------------------------
# Examples.

MERMAID_BLOCKS = [b for b in blocks() if b.info in ("mermaid", "flow", "mmd")]


@pytest.mark.parametrize("block", MERMAID_BLOCKS, ids=[f"mermaid-{i + 1}" for i in range(len(MERMAID_BLOCKS))])
def test_readme_charts_parse(block: Block) -> None:
    from salesflow.parse import parse_text

    process = parse_text(block.body, path="README.md")
    assert process.nodes


PYTHON_BLOCKS = [b for b in blocks() if b.info in ("python", "py", "pycon")]


def test_the_readme_shows_the_python_api() -> None:
    assert PYTHON_BLOCKS, "the README's Python example is gone"


@pytest.mark.parametrize(
    "block", [pytest.param(b, marks=_marks(b), id=f"python-{i + 1}") for i, b in enumerate(PYTHON_BLOCKS)]
)
def test_readme_python_examples_run(block: Block, tmp_path: Path) -> None:
    """Run as a user would: a fresh interpreter in a folder holding the samples (its asserts included)."""
    if _marks(block):
        require_binary("dot")
    work = _workspace(tmp_path)
    (work / "example.py").write_text(block.body, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "example.py"], cwd=work, capture_output=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    shown = f"README line {block.line}: the Python example failed\n{result.stderr.decode('utf-8', 'replace')[-3000:]}"
    assert result.returncode == 0, shown
    assert b"Traceback" not in result.stderr, shown


_ERROR_LINE = re.compile(r"^(?P<path>[\w./-]+):(?P<line>\d+):(?P<column>\d+): error: .+$")
ERROR_BLOCKS = [b for b in blocks() if b.info == "" and _ERROR_LINE.match(b.body.split("\n")[0])]


@pytest.mark.parametrize("block", ERROR_BLOCKS, ids=[f"error-{i + 1}" for i in range(len(ERROR_BLOCKS))])
def test_readme_error_examples_are_what_salesflow_prints(block: Block, tmp_path: Path) -> None:
    """The chart is rebuilt around the quoted line (at the line the message names), and salesflow
    must print the README's block exactly, position, wording, quoted line and caret."""
    first, quoted = block.body.split("\n")[:2]
    where = _ERROR_LINE.match(first)
    assert where is not None
    number = int(where.group("line"))
    assert number >= 2, "the example needs a header line before the quoted one"
    expected = block.body.rstrip("\n")
    work = tmp_path / "work"
    (work / where.group("path")).parent.mkdir(parents=True)
    _install_command(tmp_path)
    attempts = []
    for cut in range(len(quoted) - len(quoted.lstrip()) + 1):
        chart = ["flowchart TD"] + ["  %% …"] * (number - 2) + [quoted[cut:]]
        (work / where.group("path")).write_text("\n".join(chart) + "\n", encoding="utf-8")
        result = _run(f"salesflow lint {shlex.quote(where.group('path'))}", work)
        printed = result.stderr.decode("utf-8").rstrip("\n")
        if printed == expected:
            assert result.returncode == 2
            return
        attempts.append(printed)
    pytest.fail("salesflow prints something else for the README's error example:\n" + "\n---\n".join(attempts))


# ---------------------------------------------------------------------------------------------
# Configuration.

TOML_BLOCKS = [b for b in blocks() if b.info == "toml"]
_CONFIG_NAMES = re.compile(r"(\.salesflow\.toml|pyproject\.toml)")


def _config_file(block: Block) -> str:
    import tomllib

    data = tomllib.loads(block.body)
    return "pyproject.toml" if "tool" in data else ".salesflow.toml"


@pytest.mark.parametrize("block", TOML_BLOCKS, ids=[f"toml-{i + 1}" for i in range(len(TOML_BLOCKS))])
def test_readme_configurations_are_accepted(block: Block, tmp_path: Path) -> None:
    name = _config_file(block)
    named = _CONFIG_NAMES.findall(block.before)
    assert named and named[-1] == name, (
        f"README line {block.line}: this example has the layout of {name}, but the text before it "
        f"introduces {named[-1] if named else 'no configuration file'}"
    )
    work = _workspace(tmp_path)
    (work / name).write_text(block.body, encoding="utf-8")
    for command in (f"salesflow lint --config {name} samples/saas-funnel.flow", "salesflow lint samples/saas-funnel.flow"):
        result = _run(command, work)
        stderr = result.stderr.decode()
        assert result.returncode in (0, 1) and "error" not in stderr, f"`{command}` with README line {block.line}:\n{stderr}"


def test_both_configuration_files_have_an_example() -> None:
    assert {_config_file(b) for b in TOML_BLOCKS} == {"pyproject.toml", ".salesflow.toml"}


def test_inline_suppression_comments_work() -> None:
    """Each `%% salesflow: …` comment the README shows suppresses what it says, and is not reported."""
    from salesflow.lint import lint
    from salesflow.parse import parse_text

    directives = [c for c in inline_code(prose()) if c.startswith("%% salesflow:")]
    assert len(directives) >= 2, directives
    for directive in directives:
        directive = directive.replace("…", "missing-deadline")
        chart = f"flowchart TD\n{directive}\n    A[报价]@{{ owner: 销售经理 }} --> B([成交])\n"
        findings = lint(parse_text(chart, path="x.flow"))
        rules = {f.rule for f in findings}
        assert "missing-deadline" not in rules, (directive, findings)
        assert not rules & {"invalid-suppression", "unused-suppression"}, (directive, findings)
    # The same chart without a directive has the finding, so the check above can fail.
    assert "missing-deadline" in {f.rule for f in lint(parse_text(chart.replace(directive + "\n", "")))}


# ---------------------------------------------------------------------------------------------
# Tables and names.

_SAMPLE_VALUES = {
    "title": "'线索到成交'", "goals": "[三个月内成交率提升10%]", "target": "20 workdays", "roles": "[销售代表]",
    "lanes": "[s]", "lang": "zh", "config": "{}", "displayMode": "compact",
    "owner": "销售代表", "due": "2d", "steps": "[a]", "resources": "[a]", "checks": "[a]", "kpi": "[a]",
    "kind": "task", "note": "x", "shape": "rect", "label": "报价", "labelType": "string", "rate": "60%",
}


def _metadata_keys() -> dict[str, set[str]]:
    """The keys of the README's metadata table, by where they are written."""
    keys: dict[str, set[str]] = {"front matter": set(), "node": set(), "edge": set()}
    where = None
    for cells in table(["where", "key", "meaning"]):
        if cells[0]:
            where = next(w for w in keys if cells[0].startswith(w))
        assert where is not None
        keys[where].update(inline_code(cells[1]))
    return keys


def _chart_with(where: str, key: str) -> str:
    value = _SAMPLE_VALUES.get(key, "x")
    if where == "front matter":
        return f"---\n{key}: {value}\n---\nflowchart TD\n  subgraph s [销售代表]\n    A --> B\n  end\n"
    if where == "node":
        return f"flowchart TD\n  A --> B\n  A@{{ {key}: {value} }}\n"
    return f"flowchart TD\n  A e1@--> B\n  e1@{{ {key}: {value} }}\n"


def test_the_metadata_table_lists_exactly_the_keys_the_parser_knows() -> None:
    from salesflow.parsing import metadata

    known = {
        "front matter": set(metadata.FRONT_MATTER_KEYS) | set(metadata.MERMAID_FRONT_MATTER_KEYS),
        "node": set(metadata.NODE_KEYS) | set(metadata.MERMAID_NODE_KEYS),
        "edge": set(metadata.EDGE_KEYS) | set(metadata.MERMAID_EDGE_KEYS),
    }
    listed = _metadata_keys()
    for where in known:
        assert known[where] <= listed[where], f"{where} keys the README does not list: {known[where] - listed[where]}"


@pytest.mark.parametrize("where", ["front matter", "node", "edge"])
def test_every_listed_metadata_key_is_accepted(where: str) -> None:
    from salesflow.errors import ParseError
    from salesflow.parse import parse_text

    keys = sorted(_metadata_keys()[where])
    assert keys
    for key in keys:
        try:
            parse_text(_chart_with(where, key), path="x.flow")
        except ParseError as exc:
            pytest.fail(f"the README lists `{key}` in {where} data, but salesflow says: {exc}")
    # An unlisted key is refused where listed ones are read, so the check above can fail.
    with pytest.raises(ParseError, match="did you mean"):
        parse_text(_chart_with(where, keys[0] + "x"), path="x.flow")


def _hours(cell: str) -> float | None:
    """The hours a table cell gives: `24`, `33.6 (…)`, `1/60`; None when it gives none."""
    match = re.match(r"(\d+(?:\.\d+)?)(?:\s*/\s*(\d+))?", cell)
    if match is None:
        return None
    return float(match.group(1)) / (float(match.group(2)) if match.group(2) else 1.0)


def test_the_duration_examples_read_as_the_tables_say() -> None:
    from salesflow.durations import parse_duration

    text = section("Durations")
    for example in inline_code(text.split("\n|")[0]):
        parse_duration(example)  # raises on an example that does not read
    rows = table(["unit", "written", "hours"], text)
    assert rows
    for cells in rows:
        hours = _hours(cells[2])
        # A remark in brackets may quote what does *not* read as this unit (`3月` is March).
        forms = inline_code(re.sub(r"\([^)]*\)", "", cells[1]))
        assert forms, cells
        for form in forms:
            if re.search(r"\d", form) or hours is None:
                parse_duration(form)
                continue
            spelled = f"2 {form}" if re.match(r"[A-Za-z]", form) else f"2{form}"
            assert parse_duration(spelled).hours == pytest.approx(2 * hours, rel=1e-4), (spelled, cells)
    # Further tables of written forms (ranges, limits, …): every example reads.
    for header in re.findall(r"^\|( *form *\|.*)\|\s*$", text, re.M):
        cells = [c.strip() for c in header.split("|")]
        for row in table(cells, text):
            for example in inline_code(re.sub(r"\([^)]*\)", "", row[1])):
                parse_duration(example)


def _json_keys(value, path: str = "") -> set[str]:
    """Every key of a JSON document, except inside the free-form `mermaid` / `mermaid_data` maps."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            keys.add(key)
            if key not in ("mermaid", "mermaid_data"):
                keys |= _json_keys(item)
    elif isinstance(value, list):
        for item in value:
            keys |= _json_keys(item)
    return keys


_EVERYTHING = """\
---
title: 全部字段
target: 1w
---
flowchart LR
  classDef hot fill:#f96
  A[线索]:::hot --> B{合格?}
  A@{ owner: 市场部, due: 2d }
  B@{ due: 尽快 }
  B e1@-->|是| C([成交])
  e1@{ rate: 60%, note: 交接 }
  style A stroke:#333
  linkStyle 0 stroke:#999
  click A "https://crm.example.com" "打开"
  subgraph s [销售]
    C
  end
  accTitle: 全部
  accDescr: 字段
"""


def test_the_json_schema_names_every_key_and_only_those(tmp_path: Path) -> None:
    (schema,) = [b.body for b in blocks() if b.info == "text" and '"schema"' in b.body]
    # Keys are quoted words; the words with a colon after them are surely keys, not values.
    mentioned = set(re.findall(r'"(\w+)"', schema))
    keys = set(re.findall(r'"(\w+)"\s*:', schema))
    (tmp_path / "all.flow").write_text(_EVERYTHING, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "salesflow", "render", "-f", "json", str(ROOT / "samples"), str(tmp_path / "all.flow")],
        capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr.decode()
    produced = _json_keys(json.loads(result.stdout))
    assert produced - mentioned == set(), "keys render -f json writes that the README's schema does not name"
    assert keys - produced == set(), "keys the README's schema names that are never written"


def _cli_options() -> set[str]:
    from salesflow.cli import COMMANDS, cli
    from importlib import import_module

    options = {o for param in cli.params for o in param.opts if o.startswith("--")}  # before the command
    for module, _help in COMMANDS.values():
        for param in import_module(module).command.params:
            options.update(o for o in param.opts + param.secondary_opts if o.startswith("--"))
    return options


def test_every_option_and_command_the_text_names_exists() -> None:
    from salesflow.cli import COMMANDS

    spans = inline_code(prose())
    options = _cli_options()
    pytest_options = set(re.findall(r'addoption\(\s*"(--[\w-]+)"', (ROOT / "tests" / "conftest.py").read_text()))
    named = set()
    for span in spans:
        if span.startswith("salesflow "):
            words = span.split()[1:]
            if words[0] == "--lang":  # the one option that comes before the command
                words = words[2:]
            command = words[0] if words else "…"
            assert command in COMMANDS or command == "…", f"the README names `salesflow {command}`, which is no command"
            named.update(re.findall(r"(?<![\w-])--[a-z][\w-]+", span))
        elif re.match(r"--[a-z][\w-]+", span):  # not a link such as `--o`
            named.add(span.split()[0])
        elif span.startswith("pytest "):
            assert set(re.findall(r"--[a-z][\w-]*", span)) <= pytest_options, span
    for option in named:
        assert option in options | pytest_options, f"the README names `{option}`, which no command takes"
    assert len(named) >= 10, named


def test_every_rule_is_named_and_every_named_rule_exists() -> None:
    from salesflow.lint.rules import ENGINE_RULES, all_rules, lookup

    text = section("Reviewing: `salesflow lint`")
    paragraph = next(p for p in prose(text).split("\n\n") if "`missing-owner`" in p)
    words = {c for c in inline_code(paragraph) if re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)*", c)}
    for word in words:
        if "-" in word:  # a kebab-case name in this list can only mean a rule
            assert lookup(word) is not None, f"the README names a rule `{word}` that does not exist"
    named = {word for word in words if lookup(word) is not None}
    # The engine's own rules report on suppression comments, which the text explains on its own.
    rules = {rule.NAME for rule in all_rules()} - ENGINE_RULES
    assert rules - named == set(), "rules the README's list of rules leaves out"


def test_every_limit_variable_is_read_by_salesflow() -> None:
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "salesflow").rglob("*.py"))
    read = set(re.findall(r"SALESFLOW_MAX_\w+", source))
    listed = {c for c in inline_code(prose()) if c.startswith("SALESFLOW_MAX_")}
    assert listed and listed <= read, listed - read
    assert read <= listed, f"limits the README's table leaves out: {read - listed}"


def test_the_pre_commit_hooks_exist() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    ids = {hook["id"] for hook in hooks}
    paragraph = next(p for p in prose().split("\n\n") if p.startswith("pre-commit"))
    named = {c for c in inline_code(paragraph) if c.startswith("salesflow-")}
    assert named and named <= ids, named - ids
