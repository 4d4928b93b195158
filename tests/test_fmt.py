"""`salesflow fmt`: canonical layout, idempotent, never a change of meaning; the command's behaviour.

Layout cases are files: tests/golden/fmt/NAME.in.flow is formatted and compared with NAME.flow
beside it. After a deliberate change to the layout, regenerate them with
`SALESFLOW_UPDATE_GOLDEN=1 python3 -m pytest tests/test_fmt.py` and read the diff before committing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, golden

from salesflow.cli import cli
from salesflow.errors import ParseError
from salesflow.fmt import FormatError, format_text, meaning_differences
from salesflow.parse import parse_text
from salesflow.sources import charts_in

GOLDEN = ROOT / "tests" / "golden" / "fmt"
ACCEPT = ROOT / "tests" / "corpus" / "accept"

CORPUS = sorted(ACCEPT.glob("*.mmd")) + sorted(SAMPLES.glob("*.flow"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_meaning_is_kept_and_formatting_is_idempotent(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_text(text, path.name)
    assert meaning_differences(parse_text(text, path.name), parse_text(formatted, path.name)) == []
    assert format_text(formatted, path.name) == formatted
    assert formatted.endswith("\n") and not formatted.endswith("\n\n")
    assert all(line == line.rstrip() for line in formatted.split("\n") if "%%" not in line)


def test_markdown_blocks_are_formatted_and_the_prose_is_not() -> None:
    text = (SAMPLES / "process-in-docs.md").read_text(encoding="utf-8")
    messy = text.replace("    L1 -->|提交评分结果| L2", "L1-->|提交评分结果|L2;")
    assert messy != text
    formatted = format_text(messy, "docs.md", markdown=True)
    assert formatted == text
    for before, after in zip(charts_in(str(SAMPLES / "process-in-docs.md")), charts_in_text(formatted)):
        assert meaning_differences(parse_text(before.text), parse_text(after.text)) == []


def charts_in_text(text: str) -> list:
    from salesflow.sources import markdown_charts

    return list(markdown_charts(text, "docs.md"))


CASES = sorted(GOLDEN.glob("*.in.flow"))


@pytest.mark.parametrize("source", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_layout(source: Path) -> None:
    expected_path = source.with_name(source.name.replace(".in.flow", ".flow"))
    formatted = format_text(source.read_text(encoding="utf-8"), source.name)
    golden(expected_path, formatted)
    assert format_text(formatted, source.name) == formatted


def test_line_ends_follow_the_input() -> None:
    formatted = format_text("graph LR;\r\nA-->B;\r\n")
    assert formatted == "graph LR\r\n    A --> B\r\n"


def test_a_chart_that_does_not_parse_is_an_error() -> None:
    with pytest.raises(ParseError):
        format_text("graph LR\n  A -->\n")


def test_a_rewrite_that_would_change_meaning_is_refused(monkeypatch) -> None:
    import salesflow.fmt as fmt

    monkeypatch.setattr(fmt, "_chain_text", lambda chain, indent: "X --> Y")
    with pytest.raises(FormatError, match="change what the chart means"):
        fmt.format_text("graph LR\n  A --> B\n", "p.flow")


EVERY_CHART = sorted(
    path for pattern in ("*.flow", "*.mmd", "*.md") for folder in (SAMPLES, ROOT / "tests")
    for path in folder.rglob(pattern) if "node_modules" not in path.parts
)


def formatted_or_error(path: Path) -> str:
    try:
        return format_text(path.read_text(encoding="utf-8"), path.name, markdown=path.suffix == ".md")
    except (ParseError, FormatError) as error:
        return f"error: {error}"


def test_the_fast_reader_and_lark_format_every_chart_alike(monkeypatch) -> None:
    import salesflow.parse

    fast = [formatted_or_error(path) for path in EVERY_CHART]
    monkeypatch.setattr(salesflow.parse, "FAST_PATH", False)
    assert [formatted_or_error(path) for path in EVERY_CHART] == fast
    assert len(EVERY_CHART) > 300 and sum(not text.startswith("error: ") for text in fast) > 250


def test_a_chart_the_fast_reader_takes_is_formatted_without_lark(tmp_path: Path) -> None:
    import subprocess
    import sys

    check = "import sys; from salesflow.fmt import format_text; format_text(sys.stdin.read()); print('lark' in sys.modules)"
    sample = (SAMPLES / "b2b-lanes.flow").read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", check], input=sample, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# ---------------------------------------------------------------------------------------------
# The command


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["fmt", *args], input=input)


MESSY = "graph TD;\n  A[线索]-->B[成交];\n"
TIDY = "graph TD\n    A[线索] --> B[成交]\n"


def test_rewrites_in_place_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "p.flow"
    path.write_text(MESSY, encoding="utf-8")
    os.chmod(path, 0o640)
    result = invoke(str(path))
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == TIDY
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "reformatted" in result.output and "1 file reformatted" in result.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".salesflow-")]


def test_an_unchanged_file_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "p.flow"
    path.write_text(TIDY, encoding="utf-8")
    os.utime(path, (1_000_000, 1_000_000))
    result = invoke(str(path))
    assert result.exit_code == 0 and path.stat().st_mtime == 1_000_000


def test_check_shows_a_diff_and_exits_1(tmp_path: Path) -> None:
    messy, tidy = tmp_path / "messy.flow", tmp_path / "tidy.flow"
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text(TIDY, encoding="utf-8")
    result = invoke("--check", str(tmp_path))
    assert result.exit_code == 1
    assert f"--- {messy}" in result.output and "+    A[线索] --> B[成交]" in result.output
    assert "-graph TD;" in result.output and f"would reformat {messy}" in result.output
    assert messy.read_text(encoding="utf-8") == MESSY  # nothing written
    assert invoke("--check", str(tidy)).exit_code == 0


def test_dash_is_a_filter() -> None:
    result = invoke("-", input=MESSY)
    assert result.exit_code == 0 and result.output == TIDY
    assert invoke("--check", "-", input=TIDY).exit_code == 0
    checked = invoke("--check", "-", input=MESSY)
    assert checked.exit_code == 1 and "+    A[线索] --> B[成交]" in checked.output


def test_errors_exit_2_and_other_files_are_still_formatted(tmp_path: Path) -> None:
    broken, good = tmp_path / "a-broken.flow", tmp_path / "b-good.flow"
    broken.write_text("graph TD\n  A -->\n", encoding="utf-8")
    good.write_text(MESSY, encoding="utf-8")
    result = invoke(str(tmp_path))
    assert result.exit_code == 2
    assert "a-broken.flow:2:" in result.output
    assert good.read_text(encoding="utf-8") == TIDY
    assert broken.read_text(encoding="utf-8") == "graph TD\n  A -->\n"


def test_markdown_file_given_by_name(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text("# 标题\n\n```mermaid\n" + MESSY + "```\n\n正文 `A-->B;`\n", encoding="utf-8")
    assert invoke(str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == "# 标题\n\n```mermaid\n" + TIDY + "```\n\n正文 `A-->B;`\n"


def test_a_link_is_followed_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "real.flow"
    target.write_text(MESSY, encoding="utf-8")
    link = tmp_path / "link.flow"
    link.symlink_to(target)
    assert invoke(str(link)).exit_code == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8") == TIDY


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_encoding_and_line_ends_are_kept(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "p.flow"
    path.write_bytes(bom + MESSY.replace("\n", "\r\n").encode(encoding))
    assert invoke(str(path)).exit_code == 0
    assert path.read_bytes() == bom + TIDY.replace("\n", "\r\n").encode(encoding)


def test_no_arguments_is_a_usage_error() -> None:
    assert invoke().exit_code == 2


# ---------------------------------------------------------------------------------------------
# The file on disk: changed meanwhile, read-only, linked


def test_a_file_changed_while_formatting_is_left_as_it_is(tmp_path: Path, monkeypatch) -> None:
    import salesflow.fmt as fmt

    path = tmp_path / "p.flow"
    path.write_text(MESSY, encoding="utf-8")
    real = fmt.format_text

    def while_someone_appends(text: str, *args, **kwargs) -> str:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("  B --> C\n")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(fmt, "format_text", while_someone_appends)
    result = invoke(str(path))
    assert result.exit_code == 2
    assert f"{path}: changed on disk while fmt was working on it; left as it is (run fmt again)" in result.output
    assert path.read_text(encoding="utf-8") == MESSY + "  B --> C\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.flow"]


def test_a_change_that_keeps_size_and_time_is_still_noticed(tmp_path: Path, monkeypatch) -> None:
    import salesflow.fmt as fmt

    path = tmp_path / "p.flow"
    path.write_text(MESSY, encoding="utf-8")
    times = path.stat().st_atime_ns, path.stat().st_mtime_ns
    real = fmt.format_text

    def while_someone_edits(text: str, *args, **kwargs) -> str:
        path.write_text(MESSY.replace("成交", "签约"), encoding="utf-8")  # same length in UTF-8
        os.utime(path, ns=times)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(fmt, "format_text", while_someone_edits)
    result = invoke(str(path))
    assert result.exit_code == 2 and "changed on disk" in result.output
    assert path.read_text(encoding="utf-8") == MESSY.replace("成交", "签约")


def test_a_read_only_file_is_refused_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "p.flow"
    path.write_text(MESSY, encoding="utf-8")
    os.chmod(path, 0o444)
    result = invoke(str(path))
    assert result.exit_code == 2
    assert f"{path}: read-only, left as it is (fmt --force rewrites it anyway)" in result.output
    assert path.read_text(encoding="utf-8") == MESSY
    assert invoke("--check", str(path)).exit_code == 1  # checking reads only
    forced = invoke("--force", str(path))
    assert forced.exit_code == 0, forced.output
    assert path.read_text(encoding="utf-8") == TIDY
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_hard_links_keep_sharing_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.flow"
    path.write_text(MESSY, encoding="utf-8")
    other = tmp_path / "team-copy.flow"
    os.link(path, other)
    inode = path.stat().st_ino
    result = invoke(str(path))
    assert result.exit_code == 0, result.output
    assert path.stat().st_ino == inode and path.stat().st_nlink == 2
    assert other.read_text(encoding="utf-8") == TIDY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.flow", "team-copy.flow"]


# ---------------------------------------------------------------------------------------------
# Markdown: the blocks found as a Markdown reader finds them, and fmt changes nothing else.
# markdown-it-py is the judge: a CommonMark reader written independently of salesflow.

MARKDOWN = sorted((ROOT / "tests" / "cases" / "markdown").glob("*.md"))


def markdown_tokens(text: str) -> list:
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        from conftest import require

        require(False, "markdown-it-py (pip install -e '.[test]')")
    return MarkdownIt("commonmark").parse(text)


def mermaid_fences(tokens: list) -> list:
    return [t for t in tokens if t.type == "fence" and t.info.split()[:1] == ["mermaid"]]


@pytest.mark.parametrize("path", MARKDOWN, ids=[p.name for p in MARKDOWN])
def test_markdown_blocks_are_the_ones_a_markdown_reader_finds(path: Path) -> None:
    from salesflow.markdown import fenced_blocks

    text = path.read_text(encoding="utf-8")
    fences = [t for t in markdown_tokens(text) if t.type == "fence"]
    blocks = fenced_blocks(text)
    assert [(b.info, b.fence_line, "".join(line + "\n" for line in b.lines)) for b in blocks] == [
        (t.info, t.map[0], t.content) for t in fences
    ]
    # The charts salesflow reads: every mermaid block but the non-flowcharts, numbered among
    # all mermaid blocks, with line numbers of the Markdown file.
    charts = charts_in(str(path))
    wanted = [(number, t) for number, t in enumerate(mermaid_fences(fences), 1) if "sequenceDiagram" not in t.content]
    assert [(c.block, c.line_offset, c.text + "\n") for c in charts] == [
        (number, t.map[0] + 1, t.content) for number, t in wanted
    ]
    lines = text.split("\n")
    for chart in charts:  # line 1 of the chart is that line of the file, markers aside
        first = chart.text.split("\n")[0]
        assert lines[chart.line_offset].endswith(first) and first.strip()


def structure(tokens: list) -> list:
    return [(t.type, t.tag, t.nesting, t.level, t.markup, t.info) for t in tokens]


@pytest.mark.parametrize("path", MARKDOWN, ids=[p.name for p in MARKDOWN])
def test_fmt_keeps_the_markdown_structure(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_text(text, path.name, markdown=True)
    assert formatted != text, "each corpus file has charts to tidy"
    assert format_text(formatted, path.name, markdown=True) == formatted
    before, after = markdown_tokens(text), markdown_tokens(formatted)
    assert structure(after) == structure(before)

    # Lines move only by what the mermaid blocks gained or lost.
    old_fences, new_fences = mermaid_fences(before), mermaid_fences(after)
    growth = [((new.map[1] - new.map[0]) - (old.map[1] - old.map[0]), old.map[1]) for old, new in zip(old_fences, new_fences)]

    def moved(line: int) -> int:
        return line + sum(delta for delta, end in growth if end <= line)

    for old, new in zip(before, after):
        if old.map is not None:
            assert new.map == [moved(old.map[0]), moved(old.map[1])], (old.type, old.map)
        if old in old_fences:
            if "sequenceDiagram" in old.content:
                assert new.content == old.content
            else:
                assert meaning_differences(parse_text(old.content), parse_text(new.content)) == []
        else:
            assert new.content == old.content, (old.type, old.map)
    assert sum(delta for delta, _end in growth) != 0 or path.name == "lazy-lines.md"


def test_a_chart_in_a_list_item_stays_in_it() -> None:
    text = "1. 第一步\n\n   ```mermaid\n   graph TD;\n   A[线索]-->B[成交];\n   ```\n\n2. 第二步\n"
    assert format_text(text, "doc.md", markdown=True) == (
        "1. 第一步\n\n   ```mermaid\n   graph TD\n       A[线索] --> B[成交]\n   ```\n\n2. 第二步\n"
    )


def test_a_chart_in_a_quote_keeps_its_markers_on_every_line() -> None:
    text = "> 原图：\n> ```mermaid\n> graph TD\n>   A-->B; B-->C\n>\n>   C-->A\n> ```\n"
    assert format_text(text, "doc.md", markdown=True) == (
        "> 原图：\n> ```mermaid\n> graph TD\n>     A --> B\n>     B --> C\n>\n>     C --> A\n> ```\n"
    )


def test_indentation_below_the_fence_is_kept_unless_it_changes_a_label() -> None:
    indented = "```mermaid\n  graph TD\n    A-->B\n```\n"
    assert format_text(indented, "doc.md", markdown=True) == "```mermaid\n  graph TD\n      A --> B\n```\n"
    # Spaces added before the second line of a label would become part of the label.
    label = '```mermaid\n  graph TD\n    A["一\n二"]-->B\n```\n'
    assert format_text(label, "doc.md", markdown=True) == '```mermaid\ngraph TD\n    A["一\n二"] --> B\n```\n'


def test_a_rewrite_that_would_break_the_markdown_is_refused(tmp_path: Path, monkeypatch) -> None:
    import salesflow.fmt as fmt

    real = fmt.format_chart
    # A formatter that let a line of the chart close the fence would end the block early.
    monkeypatch.setattr(fmt, "format_chart", lambda text, *a: real(text, *a) + "```\n%% after\n")
    text = "- 步骤\n\n  ```mermaid\n  graph TD\n  A-->B\n  ```\n"
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert result.output.startswith(
        f"{path}:3: error: fmt cannot rewrite this code block without changing how the Markdown around it reads; "
        "the file is left as it was\n"
    )
    assert path.read_text(encoding="utf-8") == text


# Odd documents made of the pieces that decide block structure. markdown-it-py departs from
# CommonMark in one place these pieces reach: it takes `>` after four or more columns of
# indentation as a block quote marker; such documents are left out.
PIECES = ["", "text", "  text", "> ", ">", "- ", "* ", "1. ", "2) ", "10. ", "   ", "    ", "```", "```mermaid",
          "~~~", "~~~~mermaid", "````", "``` a`b", "<div>", "</div>", "<!--", "-->", "# h", "***", "---", "===",
          "<span>", "A-->B", "  > "]


def test_markdown_blocks_agree_with_a_markdown_reader_on_odd_documents() -> None:
    import random
    import re

    from salesflow.markdown import fenced_blocks

    checked = 0
    for seed in range(2000):
        pick = random.Random(seed)
        lines = ["".join(pick.choice(PIECES) for _ in range(pick.randint(1, 3))) for _ in range(pick.randint(1, 12))]
        if any(re.search(r" {4}>", line) for line in lines):
            continue
        text = "\n".join(lines) + "\n"
        expected = [(t.info.strip(), t.map[0], t.content) for t in markdown_tokens(text) if t.type == "fence"]
        found = [(b.info, b.fence_line, "".join(line + "\n" for line in b.lines)) for b in fenced_blocks(text)]
        assert found == expected, text
        checked += 1
    assert checked > 1300


def test_stdin_filename_decides_markdown_and_names_the_input() -> None:
    doc = "# 报价\n\n- 步骤：\n\n  ```mermaid\n  flowchart LR;\n  A[报价]-->B[签约];\n  ```\n"
    tidy = "# 报价\n\n- 步骤：\n\n  ```mermaid\n  flowchart LR\n      A[报价] --> B[签约]\n  ```\n"
    result = invoke("--stdin-filename", "docs/quote.md", input=doc)  # `-` is implied
    assert result.exit_code == 0 and result.output == tidy
    assert invoke("--check", "--stdin-filename", "docs/quote.md", "-", input=tidy).exit_code == 0
    broken = invoke("--stdin-filename", "docs/quote.md", "-", input=doc.replace("-->B", "-->"))
    assert broken.exit_code == 2 and "docs/quote.md:7:" in broken.output
    assert invoke("-", input=doc).exit_code == 2  # without a name, a process file


@pytest.mark.parametrize(
    "text",
    [
        "* " * 50_000 + "x\n",  # one list item inside the other, all on one line
        "> - " * 25_000 + "x\n",
        "".join("  " * i + "- x\n" for i in range(300)),  # ever deeper items, 90 KB
        "".join("\t" * i + "- x\n" for i in range(300)),
        "<a" + " b=c" * 30_000 + " \n",  # a tag that never closes
        "para\n" + "=" * 100_000 + "x\n",
        "`" * 100_000 + "\n" + "`" * 99_999 + "\n",
        "- ```mermaid\n" + "  A --> B\n" * 10_000 + "  ```\n",
    ],
    ids=["stars", "quote-items", "deep-items", "deep-tabs", "open-tag", "underline", "fence-runs", "long-block"],
)
def test_reading_markdown_takes_linear_time(text: str) -> None:
    from conftest import no_hang
    from salesflow.markdown import fenced_blocks

    with no_hang("finding the fences of hostile Markdown"):  # about 0.05 s when linear
        assert isinstance(fenced_blocks(text), list)


def test_markdown_line_ends_outside_the_charts_are_kept_even_mixed() -> None:
    text = "# 标题\r\n\r\n- 步骤\n\n  ```mermaid\r\n  graph TD;\r\n  A-->B; B-->C\r\n  ```\r\n\r\n结尾\r"
    assert format_text(text, "doc.md", markdown=True) == (
        "# 标题\r\n\r\n- 步骤\n\n  ```mermaid\r\n  graph TD\r\n      A --> B\r\n      B --> C\r\n  ```\r\n\r\n结尾\r"
    )


def test_a_refused_rewrite_says_what_would_change_in_the_readers_language(monkeypatch) -> None:
    """The difference fmt found is told in the reader's language too, not only the sentence
    around it."""
    import salesflow.fmt as fmt
    from salesflow import i18n

    monkeypatch.setattr(fmt, "_chain_text", lambda chain, indent: "X --> Y")
    with i18n.use("zh"), pytest.raises(FormatError) as refused:
        fmt.format_text("graph LR\n  A --> B\n", "p.flow")
    assert str(refused.value) == "p.flow：错误：fmt 会改变图的含义（nodes[A].id：改写前为 'A'，改写后为 'X'），文件保持原样"
    with i18n.use("en"), pytest.raises(FormatError) as refused:
        fmt.format_text("graph LR\n  A --> B --> C\n", "p.flow")
    assert "(nodes: 3 items before, 2 after)" in str(refused.value)
