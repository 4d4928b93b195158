"""Hostile inputs: no input makes salesflow's work grow faster than the input itself.

Each chart here is about 100 KB, built to make a backtracking regular expression or a quadratic
loop blow up: long runs of the characters a grammar terminal treats specially, quotes and
brackets that never close, Markdown emphasis that never closes, a long run of dashes inside a
link's text, globs such as `*a*a*a*b` against long names, `&` products. Linear code handles each
in well under a second, while each of these took from tens of seconds to hours before it was made
linear. No test here times anything (bench/bench_hostile.py does): work that runs far longer than
linear code could is stopped by `no_hang` and fails the test.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from conftest import ROOT, no_hang
from salesflow.cli import cli
from salesflow.errors import ParseError
from salesflow.parse import parse_text

SIZE = 100_000


def repeat(piece: str, size: int = SIZE) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def within(work: Callable[[], object], what: str) -> object:
    with no_hang(what):
        return work()


# name → chart text; each aims at one terminal, decoder or renderer step.
HOSTILE = {
    # Markdown labels: emphasis that never closes (once 4 s at 8 KB, minutes at 60 KB).
    "markdown-star": 'graph TD\n  A["`' + repeat("*a ") + '`"] --> B\n',
    "markdown-double-star": 'graph TD\n  A["`' + repeat("**a ") + '`"] --> B\n',
    "markdown-underscore": 'graph TD\n  A["`' + repeat("_a ") + '`"] --> B\n',
    # Label text: one long word, CJK punctuation kept with its neighbour when wrapping.
    "label-one-word": "graph TD\n  A[" + repeat("x") + "] --> B\n",
    "label-cjk-punctuation": "graph TD\n  A[" + repeat("，。") + "] --> B\n",
    "label-open-punctuation": "graph TD\n  A[" + repeat("（《") + "] --> B\n",
    "label-half-tags": "graph TD\n  A[" + repeat("<br<b") + "] --> B\n",
    "label-half-entities": "graph TD\n  A[" + repeat("#quot#9") + "] --> B\n",
    "label-huge-entity": "graph TD\n  A[#" + repeat("9") + ";] --> B\n",
    "label-slashes": "graph TD\n  A[/" + repeat("/\\") + "/] --> B\n",
    "label-backslashes": "graph TD\n  A[\\" + repeat("\\") + "\\]\n",
    # Text on links: runs of the stroke inside quoted text (the closer is found from the right).
    "link-text-dash-run": 'graph TD\n  A -- "' + repeat("-") + 'x" --> B\n',
    "link-text-dashes": 'graph TD\n  A -- "' + repeat("a-") + '" --> B\n',
    "link-text-thick-run": 'graph TD\n  A == "' + repeat("=") + 'x" ==> B\n',
    "link-text-dot-run": "graph TD\n  A-. x" + repeat(".") + "y .-> B\n",
    "link-text-quoted-dots": 'graph TD\n  A-. "' + repeat(".") + '" .-> B\n',
    "link-long-dashes": "graph TD\n  A" + repeat("-") + "> B\n",
    "link-long-dots": "graph TD\n  A-" + repeat(".") + "-> B\n",
    "ids-with-dashes": "graph TD\n  " + repeat("A-") + "\n",
    "ids-cjk": "graph TD\n  " + repeat("客户") + " --> B\n",
    # Quotes, brackets and blocks that never close.
    "unclosed-quote": 'graph TD\n  A["' + repeat("x") + "\n",
    "unclosed-square": "graph TD\n  A[" + repeat("x ") + "\n",
    "opening-brackets": "graph TD\n  " + repeat("A["),
    "opening-parens": "graph TD\n  " + repeat("A("),
    "unclosed-link-text": "graph TD\n" + repeat("  A -- x\n"),
    "unclosed-edge-label": "graph TD\n  A -->|" + repeat("x") + "\n",
    "unclosed-node-data": 'graph TD\n  A@{ ' + repeat('"x", ') + "\n",
    "unclosed-acc-descr": "graph TD\n  accDescr {" + repeat("x") + "\n",
    "unclosed-directive": "%%{" + repeat("x") + "\ngraph TD\n  A\n",
    "unclosed-front-matter": "---\n" + repeat("a: b\n") + "graph TD\n",
    # Keyword statements full of quotes, which their terminals treat specially.
    "subgraph-quotes": "graph TD\n  subgraph " + repeat('"x') + "\n  end\n",
    "subgraph-brackets": "graph TD\n  subgraph a [" + repeat("[x") + "]\n  end\n",
    "classdef-quotes": "graph TD\n  A\n  classDef k " + repeat('"x') + "\n",
    "click-quotes": "graph TD\n  A\n  click A " + repeat('"x') + "\n",
    "click-call": "graph TD\n  A\n  click A call " + repeat("f(") + "\n",
    "style-hashes": "graph TD\n  A\n  style A " + repeat("#") + ";\n",
    "linkstyle-huge-number": "graph TD\n  A --> B\n  linkStyle " + repeat("9") + " stroke:red\n",
    "due-huge-number": "graph TD\n  A --> B\n  A@{ due: " + repeat("9") + "天 }\n",
    "rate-huge-number": "graph TD\n  A e1@--> B\n  e1@{ rate: " + repeat("9") + "% }\n",
    "class-suffixes": "graph TD\n  A" + repeat(":::a") + "\n",
    "edge-ids": "graph TD\n  " + repeat("e1@"),
    # Separators, blank space, comments, suppressions.
    "semicolons": "graph TD;" + repeat(";") + "\n",
    "spaces-and-tabs": "graph TD\n  A" + repeat(" \t") + "--> B\n",
    "comment-lines": "graph TD\n" + repeat("%% x\n") + "  A\n",
    "unknown-suppressions": "graph TD\n  %% salesflow: disable-next-line=" + repeat("a,") + "\n  A --> B\n",
    "unknown-suppressions-distinct": "graph TD\n  %% salesflow: disable-file="
    + ",".join(f"r{i}" for i in range(SIZE // 7)) + "\n  A --> B\n",
    "header-junk": "graph " + repeat("TD") + "\n",
    # Errors explained after a long line (the word before the error is found from the right).
    "error-after-long-word": "graph TD\n  A[" + repeat("x") + "] --> B ]\n",
    "error-after-long-spaces": "graph TD\n  A" + repeat(" ") + "]\n",
}


def _run(arguments: list[str]) -> object:
    return CliRunner().invoke(cli, arguments, catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_chart_through_every_text_command(name: str, tmp_path: Path) -> None:
    text = HOSTILE[name]
    path = tmp_path / f"{name}.flow"
    path.write_text(text, "utf-8")
    try:
        process = within(lambda: parse_text(text, str(path)), "parsing")
    except ParseError as exc:
        assert "\n" not in str(exc), "an error is one line"
        process = None
    commands = {
        "lint": ["lint", "--exit-zero", "-f", "text", str(path)],
        "fmt": ["fmt", "--check", str(path)],
        **{f"render -f {f}": ["render", "-f", f, str(path), "-o", str(tmp_path / f"out.{f}")] for f in ("mermaid", "json", "dot")},
    }
    for what, arguments in commands.items():
        result = within(lambda: _run(arguments), what)
        if process is None:
            assert result.exit_code == 2, (what, result.output[-300:])
        elif what == "render -f dot" and result.exit_code == 2:
            # A 100 KB label is over Graphviz's string limit: refused up front, named, on one line.
            assert "SALESFLOW_MAX_DOT_STRING" in result.output and result.output.count("\n") == 1, result.output[-300:]
        else:
            assert result.exit_code in (0, 1), (what, result.output[-300:])


# ------------------------------------------------------------------ the grammar's terminals, one by one


def _terminals() -> list[tuple[str, "re.Pattern[str]"]]:
    from salesflow.parsing import syntax

    parser = syntax.parser()
    return [(t.name, re.compile(t.pattern.to_regexp())) for t in parser.terminals if t.pattern.type == "re"]


def _special_characters(pattern: str) -> list[str]:
    """The characters a terminal's expression names, and the ones every label may hold."""
    named = {ch for ch in pattern if not ch.isalnum() and ch not in "\\^$*+?(){}|"} | set("xo")
    return sorted(named | {"a", " ", "\n", '"', "]", "}", ")"})


def _runs(first: str, second: str, size: int) -> tuple[str, ...]:
    return (
        first + second * size,
        (first + second) * (size // 2),
        first * size + second,
        first + second + "a" * size,  # e.g. `["aaa…`: a quote opened inside a shape
    )


def test_every_terminal_matches_in_linear_time() -> None:
    """Each terminal against long runs of the characters it treats specially, after each of them.

    A terminal that backtracks takes time growing with the square (or worse) of such a run;
    one written as a run of ordinary characters and (special, run) pairs takes linear time. Every
    run is tried at 20,000 characters; then each terminal's costliest one (the time only picks
    which, it is never judged) again at 400,000, where linear matching takes milliseconds and
    quadratic matching minutes, so that the hang guard tells them apart on any machine.
    """
    size = 20_000
    costliest: dict[str, tuple[float, str, str]] = {}
    with no_hang("matching every terminal against runs of 20,000 characters"):
        for name, regex in _terminals():
            characters = _special_characters(regex.pattern)
            for first in characters:
                for second in characters:
                    for shape, text in enumerate(_runs(first, second, size)):
                        started = time.perf_counter()
                        regex.match(text)
                        took = time.perf_counter() - started
                        costliest[name] = max(costliest.get(name, (0.0, "", "")), (took, first + second, str(shape)))
    compiled = dict(_terminals())
    for name, (_took, pair, shape) in sorted(costliest.items()):
        text = _runs(pair[0], pair[1], 20 * size)[int(shape)]
        with no_hang(f"{name} on {text[:6]!r}… (400,000 characters)"):
            compiled[name].match(text)


# ------------------------------------------------------------------ configuration globs


@pytest.mark.parametrize(
    "pattern, path",
    [
        ("*a" * 30 + "*b", "a" * SIZE),
        ("**/" * 30 + "x", "/".join(["a"] * (SIZE // 2))),
        ("*a*/" * 20 + "b", "/".join(["a" * 50] * 2000)),
        ("[a]*" * 30 + "?b", "a" * SIZE),
        ("**/*a*a*a*a*a*a*a*b/**", "/".join(["a" * 1000] * 100)),
    ],
    ids=["stars-in-a-name", "double-stars", "stars-in-folders", "sets-and-stars", "mixed"],
)
def test_config_globs_match_long_paths_in_linear_time(pattern: str, path: str) -> None:
    from salesflow.lint.config import PathPattern

    compiled = PathPattern(pattern)
    assert within(lambda: compiled.matches(path), f"{pattern} against a long path") is False


def test_lint_of_a_tree_with_hostile_globs_and_long_names(tmp_path: Path) -> None:
    name = "a" * 200 + ".flow"  # 255 bytes is the most a file name may have here
    for folder in range(30):
        directory = tmp_path / ("a" * 200) / f"d{folder}"
        directory.mkdir(parents=True)
        (directory / name).write_text("graph TD\n  A --> B\n", "utf-8")
    hostile = "*a" * 40 + "*b"
    (tmp_path / ".salesflow.toml").write_text(
        f'exclude = ["{hostile}", "**/{hostile}/**"]\n[per-file-ignores]\n"{hostile}" = ["dead-end"]\n', "utf-8"
    )
    before = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = within(lambda: _run(["lint", "--exit-zero", "."]), "lint .")
    finally:
        os.chdir(before)
    assert result.exit_code == 0
    assert result.output.count(name) >= 30, "no file is excluded by a pattern that matches nothing"
    assert f'exclude pattern "{hostile}" matches no file' in result.output


# ------------------------------------------------------------------ many outputs, the size of the graph


def test_many_outputs_are_checked_against_many_inputs_in_linear_time(tmp_path: Path) -> None:
    from salesflow.cli.common import OutputNames
    from salesflow.errors import OutputError
    from salesflow.output import InputFiles

    inputs = []
    for number in range(5_000):
        path = tmp_path / f"c{number}.flow"
        path.write_bytes(b"")
        inputs.append(str(path))
    files = within(lambda: InputFiles(inputs), "reading 5,000 inputs")
    names = OutputNames()
    out = tmp_path / "out"

    def check_all() -> None:
        for number in range(5_000):
            files.refuse_overwrite(str(out / names.name(f"same/name{number % 2}.flow", None, ".json")))

    within(check_all, "5,000 outputs against 5,000 inputs")
    assert len(names.taken) == 5_000, "every output has its own name"
    with pytest.raises(OutputError, match="refusing to overwrite an input file"):
        files.refuse_overwrite(str(tmp_path / "." / "c42.flow"))


def test_an_ampersand_product_is_counted_before_it_is_made() -> None:
    # 13.8 KB that would make 1,000,000 edges (62 s and 4.4 GB before there was a limit).
    left = " & ".join(f"a{i}" for i in range(1000))
    right = " & ".join(f"b{i}" for i in range(1000))
    text = f"graph TD\n  {left} --> {right}\n"
    with pytest.raises(ParseError) as caught:
        within(lambda: parse_text(text, "product.flow"), "a million-edge product")
    error = caught.value
    assert (error.line, error.column) == (2, len(left) + 4), "at the link that makes the product"
    assert "1,000 × 1,000 edges here would bring the chart to 1,000,000 edges" in error.message
    assert "SALESFLOW_MAX_EDGES" in error.message


def test_the_graph_limits_can_be_raised_and_lowered(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "graph TD\n  a & b & c --> d & e\n  f --> g\n"
    assert len(parse_text(text).edges) == 7
    monkeypatch.setenv("SALESFLOW_MAX_EDGES", "6")
    with pytest.raises(ParseError, match="this edge would bring the chart to 7 edges; salesflow stops at 6") as caught:
        parse_text(text)
    assert (caught.value.line, caught.value.column) == (3, 5)
    monkeypatch.setenv("SALESFLOW_MAX_EDGES", "1000")
    monkeypatch.setenv("SALESFLOW_MAX_NODES", "5")
    with pytest.raises(ParseError, match="this is node 6 of the chart; salesflow stops at 5 nodes") as caught:
        parse_text(text)
    assert (caught.value.line, caught.value.column) == (3, 3)


def test_the_benchmark_charts_stay_far_under_the_graph_limits() -> None:
    from conftest import bench_charts
    from salesflow.limits import EDGES, NODES

    chart = bench_charts().chart
    sample = parse_text(chart(5_000))
    largest = 50_000  # the largest chart bench/ measures
    assert len(sample.nodes) == 5_000
    assert largest * 2 <= NODES.default
    assert largest * len(sample.edges) / len(sample.nodes) * 2 <= EDGES.default


# ------------------------------------------------------------------ one bad file does not stop a run


def _deep_front_matter(levels: int) -> str:
    nested = "config:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(levels)) + "  " * (levels + 1) + "x: 1\n"
    return f"---\n{nested}---\ngraph TD\n  A --> B\n"


@pytest.mark.parametrize("command", [["lint", "--exit-zero"], ["render", "-f", "json", "-o", "OUT"], ["fmt", "--check"]])
def test_a_chart_too_deep_to_read_is_reported_and_the_run_goes_on(command: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "charts"
    folder.mkdir()
    (folder / "a-deep.flow").write_text(_deep_front_matter(900), "utf-8")
    (folder / "b-fine.flow").write_text("graph TD\n  A --> B\n", "utf-8")
    arguments = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    result = CliRunner().invoke(cli, [*arguments, str(folder)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "a-deep.flow" in line]
    assert lines == [
        f"{folder / 'a-deep.flow'}: error: this chart is nested too deeply to work on (front matter, node data "
        "or subgraphs hundreds of levels deep); flatten it"
    ]
    assert "SALESFLOW_MAX_DEPTH" not in result.output, "raising or lowering it would not help"
    if command[0] == "render":
        assert (tmp_path / "out" / "b-fine.json").exists(), "the other chart is still drawn"
    else:
        assert "b-fine.flow" in result.output, "the other chart is still read"


def test_running_out_of_memory_on_one_chart_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import salesflow.parse

    real = salesflow.parse.parse_text

    def exhausted(text: str, path: str = "<string>", line_offset: int = 0):
        if path.endswith("huge.flow"):
            raise MemoryError
        return real(text, path, line_offset)

    monkeypatch.setattr(salesflow.parse, "parse_text", exhausted)
    (tmp_path / "huge.flow").write_text("graph TD\n  A --> B\n", "utf-8")
    (tmp_path / "small.flow").write_text("graph TD\n  A --> B\n", "utf-8")
    result = CliRunner().invoke(cli, ["render", "-f", "json", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'huge.flow'}: error: ran out of memory on this input; split the chart" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / "small.json").exists()


def test_running_out_of_memory_outside_a_chart_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import salesflow.output
    from salesflow.cli import main

    def exhausted(data) -> None:
        raise MemoryError

    monkeypatch.setattr(salesflow.output, "write_stdout", exhausted)
    monkeypatch.setattr("sys.argv", ["salesflow", "render", "-f", "json", str(ROOT / "samples" / "saas-funnel.flow")])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 2
    assert capsys.readouterr().err == (
        "error: ran out of memory on this input; split the chart into smaller ones "
        "(lower SALESFLOW_MAX_NODES and SALESFLOW_MAX_EDGES to stop such charts early)\n"
    )


def test_configured_vague_owner_words_match_long_owners_in_linear_time() -> None:
    from salesflow.lint.rules.vague_owner import problem_with

    options = {"words": ("*a" * 30 + "*b", "*相关*部门*人员*"), "allow-shared": True}
    assert within(lambda: problem_with("a" * SIZE, options), "a word with 31 `*`") is None
    assert problem_with("a" * SIZE + "b", options) == "names no one in particular"
    assert problem_with("华东相关销售部门的人员", options) == "names no one in particular"


def test_markdown_files_with_fences_that_never_close(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(repeat("```mermaid\ngraph TD\n  A[x] --> B\n"), "utf-8")
    for arguments in (["lint", "--exit-zero"], ["fmt", "--check"], ["render", "-f", "json", "-o", str(tmp_path / "out")]):
        result = within(lambda: _run([*arguments, str(path)]), arguments[0])
        assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output


def test_the_handbook_reads_markdown_emphasis_in_linear_time_and_as_the_drawing_does() -> None:
    from salesflow.handbook.text import label_html

    html = within(lambda: label_html(repeat("*a "), "markdown"), "a handbook label")
    assert "<em>" not in html, "no `*` here is closed after a non-space character"
    assert str(label_html("**重点客户** _soon_ snake_case_name *a*b", "markdown")) == (
        "<strong>重点客户</strong> <em>soon</em> snake_case_name <em>a</em>b"
    )


def test_a_name_repeated_in_a_suppression_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "chart.flow"
    path.write_text("graph TD\n  %% salesflow: disable-file=nosuch,nosuch,nosuch\n  A --> B\n", "utf-8")
    result = _run(["lint", "--exit-zero", str(path)])
    assert result.output.count("`nosuch` is not a rule") == 1


@pytest.mark.parametrize("number", ["²", "٣", "0" * 5000 + "1"])
def test_link_style_numbers_that_int_cannot_read_as_written(number: str) -> None:
    text = f"graph TD\n  A --> B --> C\n  linkStyle {number} stroke:red\n"
    if number.endswith("1"):
        assert parse_text(text).styles[0].target == number, "leading zeros still name edge 1"
    else:
        with pytest.raises(ParseError, match="names no edge"):
            parse_text(text)
