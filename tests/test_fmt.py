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
from conftest import ROOT, SAMPLES

from salesflow.cli import cli
from salesflow.errors import ParseError
from salesflow.fmt import FormatError, format_text, meaning_differences
from salesflow.parse import parse_text
from salesflow.sources import charts_in

GOLDEN = ROOT / "tests" / "golden" / "fmt"
ACCEPT = ROOT / "tests" / "corpus" / "accept"
UPDATE = os.environ.get("SALESFLOW_UPDATE_GOLDEN") == "1"

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
    if UPDATE or not expected_path.exists():
        expected_path.write_text(formatted, encoding="utf-8")
    assert formatted == expected_path.read_text(encoding="utf-8")
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
