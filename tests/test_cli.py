"""The command line as a user meets it: inputs of every kind, exit codes, outputs, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CASES, ROOT, sample_paths

INPUTS = CASES / "inputs"


def salesflow(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "salesflow", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_help_lists_the_commands() -> None:
    result = salesflow("--help")
    assert result.returncode == 0
    assert b"render" in result.stdout


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.stem)
def test_every_sample_renders_as_json(path: Path) -> None:
    result = salesflow("render", "-f", "json", str(path))
    assert result.returncode == 0, result.stderr.decode()
    model = json.loads(result.stdout)
    assert model["schema"] == "salesflow.process/1"
    assert model["nodes"], "a sample has nodes"
    for node in model["nodes"]:
        assert node["line"] >= 1 and node["column"] >= 1
    for edge in model["edges"]:
        known = {n["id"] for n in model["nodes"]} | {s["id"] for s in model["subgraphs"]}
        assert edge["source"] in known and edge["target"] in known


def test_stdin_is_read_with_a_dash() -> None:
    result = salesflow("render", "-f", "json", "-", stdin="flowchart LR\n  甲[线索] --> 乙[成交]\n".encode())
    assert result.returncode == 0
    model = json.loads(result.stdout)
    assert model["path"] == "<stdin>"
    assert [n["label"] for n in model["nodes"]] == ["线索", "成交"]


def test_markdown_blocks_are_charts_with_markdown_line_numbers() -> None:
    result = salesflow("render", "-f", "json", str(INPUTS / "two-blocks.md"))
    # The first flowchart parses, the sequence diagram is passed over, the third block has an error.
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "two-blocks.md:19:9: error: this link has no target" in stderr
    assert "Traceback" not in stderr
    model = json.loads(result.stdout)
    assert model["nodes"][0]["id"] == "A" and model["nodes"][0]["line"] == 7


def test_a_directory_is_searched_for_chart_files(tmp_path: Path) -> None:
    (tmp_path / "team" / "deep").mkdir(parents=True)
    (tmp_path / "a.flow").write_text("flowchart LR\n  A --> B\n", "utf-8")
    (tmp_path / "team" / "b.mmd").write_text("flowchart LR\n  C --> D\n", "utf-8")
    (tmp_path / "team" / "deep" / "c.mermaid").write_text("flowchart LR\n  E --> F\n", "utf-8")
    (tmp_path / "team" / "notes.txt").write_text("not a chart", "utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.flow").write_text("not even valid", "utf-8")
    os.symlink(tmp_path, tmp_path / "team" / "loop")  # a link cycle must not loop
    result = salesflow("render", "-f", "json", str(tmp_path))
    assert result.returncode == 0, result.stderr.decode()
    paths = [doc["path"] for doc in json.loads(result.stdout)]
    assert [Path(p).name for p in paths] == ["a.flow", "b.mmd", "c.mermaid"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the chart is empty"),
        (b"\x00\x01\x02\xff\xfe\x00binary", "not a text file"),
        ("flowchart LR\n  A[报价] --> B\n".encode("gbk"), "not valid UTF-8"),
        (b"\xef\xbb\xbfflowchart LR\n  A --> B[", "is never closed"),
    ],
    ids=["empty", "binary", "gbk", "bom-and-unclosed"],
)
def test_bad_input_is_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.flow"
    path.write_bytes(content)
    result = salesflow("render", "-f", "json", str(path))
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert message in stderr
    assert stderr.startswith(str(path))
    assert "Traceback" not in stderr


def test_utf16_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.flow"
    path.write_bytes("flowchart LR\r\n  A[线索] --> B[成交]\r\n".encode("utf-16"))
    result = salesflow("render", "-f", "json", str(path))
    assert result.returncode == 0, result.stderr.decode()
    assert [n["label"] for n in json.loads(result.stdout)["nodes"]] == ["线索", "成交"]


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.flow"
    good.write_text("flowchart LR\n  A --> B\n", "utf-8")
    result = salesflow("render", "-f", "json", str(tmp_path / "missing.flow"), str(good))
    assert result.returncode == 2
    assert b"missing.flow: error: no such file" in result.stderr
    assert json.loads(result.stdout)["path"] == str(good)


def test_output_file_and_directory(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    assert salesflow("render", "-f", "json", str(sample_paths()[0]), "-o", str(single)).returncode == 0
    assert json.loads(single.read_text("utf-8"))["schema"] == "salesflow.process/1"
    out = tmp_path / "new" / "dir"
    result = salesflow("render", "-f", "json", *map(str, sample_paths()), "-o", f"{out}{os.sep}")
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + ".json" for p in sample_paths())
    assert not [p for p in out.iterdir() if p.name.startswith(".salesflow-")], "no temporary file is left"


def test_an_input_is_never_overwritten(tmp_path: Path) -> None:
    chart = tmp_path / "chart.flow"
    original = "flowchart LR\n  A --> B\n"
    chart.write_text(original, "utf-8")
    result = salesflow("render", "-f", "json", str(chart), "-o", str(chart))
    assert result.returncode == 2
    assert b"refusing to overwrite an input file" in result.stderr
    assert chart.read_text("utf-8") == original


def test_same_input_same_bytes_relative_or_absolute(tmp_path: Path) -> None:
    sample = sample_paths()[0]
    first = salesflow("render", "-f", "json", str(sample.relative_to(ROOT)))
    second = salesflow("render", "-f", "json", str(sample.relative_to(ROOT)))
    assert first.stdout == second.stdout
    absolute = json.loads(salesflow("render", "-f", "json", str(sample)).stdout)
    relative = json.loads(first.stdout)
    # The path is echoed as given; everything else is the same.
    assert {k: v for k, v in absolute.items() if k != "path"} == {k: v for k, v in relative.items() if k != "path"}


def test_a_size_limit_names_itself_and_how_to_raise_it(tmp_path: Path) -> None:
    chart = tmp_path / "big.flow"
    chart.write_text("flowchart LR\n  A[" + "报" * 400_000 + "] --> B\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SALESFLOW_MAX_INPUT_MB": "1"}
    run = lambda extra: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "salesflow", "render", "-f", "json", str(chart)], capture_output=True, env={**env, **extra}
    )
    refused = run({})
    assert refused.returncode == 2
    assert b"salesflow stops at 1 MiB per input (set SALESFLOW_MAX_INPUT_MB to raise it)" in refused.stderr
    assert run({"SALESFLOW_MAX_INPUT_MB": "2"}).returncode == 0


def test_a_named_pipe_in_a_tree_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "good.flow").write_text("flowchart LR\n  A --> B\n", "utf-8")
    os.mkfifo(tmp_path / "waiting.flow")  # opening it for reading would block for ever
    result = subprocess.run(
        [sys.executable, "-m", "salesflow", "render", "-f", "json", str(tmp_path)],
        capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert f"{tmp_path / 'waiting.flow'}: warning: skipped, not a regular file (a named pipe)" in result.stderr.decode()
    assert json.loads(result.stdout)["path"] == str(tmp_path / "good.flow")


@pytest.mark.parametrize("pdf", ["./x.html", "{dir}/x.html", "sub/../x.html", "alias.html", "hard.html"])
def test_handbook_refuses_two_outputs_in_one_file(tmp_path: Path, pdf: str) -> None:
    chart = tmp_path / "chart.flow"
    chart.write_text("flowchart LR\n  A[线索] --> B[成交]\n", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "x.html").write_text("previous", "utf-8")
    (tmp_path / "alias.html").symlink_to(tmp_path / "x.html")
    os.link(tmp_path / "x.html", tmp_path / "hard.html")
    result = salesflow("handbook", "chart.flow", "-o", "x.html", "--pdf", pdf.format(dir=tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert b"name the same file; give each output its own path" in result.stderr
    assert (tmp_path / "x.html").read_text("utf-8") == "previous"


def test_handbook_refuses_html_and_pdf_both_on_standard_output(tmp_path: Path) -> None:
    chart = tmp_path / "chart.flow"
    chart.write_text("flowchart LR\n  A[线索] --> B[成交]\n", "utf-8")
    result = salesflow("handbook", str(chart), "-o", "-", "--pdf", "-")
    assert result.returncode == 2 and result.stdout == b""
    assert b"-o - and --pdf - would both write to standard output" in result.stderr


DOC_WITH_CHART = "# 报价\n\n- 步骤：\n\n  ```mermaid\n  flowchart LR\n    A[报价] --> B[签约]\n  ```\n"


def test_lint_stdin_filename_makes_markdown_and_finds_its_configuration(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ".salesflow.toml").write_text('[rules]\nmissing-owner = "off"\n', "utf-8")

    def lint_as(name: str) -> set:
        result = salesflow("lint", "-f", "json", "--stdin-filename", name, stdin=DOC_WITH_CHART.encode())
        assert result.returncode == 1, result.stderr.decode()
        return {(i["file"], i["line"], i["rule"]) for i in json.loads(result.stdout)}

    inside, outside = str(tmp_path / "docs" / "quote.md"), str(tmp_path / "quote.md")
    # B is a dead end at line 7 of the Markdown; missing-owner is off in docs/ only.
    assert (inside, 7, "dead-end") in lint_as(inside)
    assert not {rule for _f, _l, rule in lint_as(inside)} & {"missing-owner"}
    assert (outside, 7, "missing-owner") in lint_as(outside)
    # Without a name, standard input is a process file, and Markdown is not one.
    unnamed = salesflow("lint", "-f", "json", "-", stdin=DOC_WITH_CHART.encode())
    assert unnamed.returncode == 2 and b"<stdin>:1:" in unnamed.stderr


def test_render_output_dash_is_standard_output(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from salesflow.cli import cli

    chart = tmp_path / "c.flow"
    chart.write_text("flowchart LR\n  A[报价] --> B[签约]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", "-f", "mermaid", str(chart), "-o", "-"])
    assert result.exit_code == 0 and result.output.startswith("flowchart LR\n")
    assert not (tmp_path / "-").exists(), "no file named `-` is left behind"


@pytest.mark.parametrize("args", [["lint"], ["render", "-f", "json"]], ids=["lint", "render"])
def test_a_command_run_from_python_leaves_the_garbage_collector_on(args: list[str]) -> None:
    # Only salesflow's own process, which ends with the command, stops the collector; a program
    # that invokes the CLI (or the studio, which stays up) would otherwise keep every reference
    # cycle it makes afterwards.
    import gc

    from click.testing import CliRunner

    from salesflow.cli import cli

    assert gc.isenabled()
    result = CliRunner().invoke(cli, [*args, str(sample_paths()[0])])
    assert result.exit_code in (0, 1), result.output
    assert gc.isenabled()


def test_the_studio_keeps_the_garbage_collector_on_in_salesflows_own_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # `salesflow serve` runs in salesflow's own process too, but stays up: its reviews (parse,
    # lint, drawing) must not stop the collector as the one-shot commands do.
    import gc

    from salesflow.cli import common
    from salesflow.serve import worker

    monkeypatch.setattr(common, "EXITS_AFTER_COMMAND", True)
    path = sample_paths()[0]
    result = worker.review(path.read_text(encoding="utf-8"), path.name, str(path))
    assert result["nodes"] and not result["errors"]
    assert gc.isenabled()
