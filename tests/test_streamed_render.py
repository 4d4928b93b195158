"""A large chart's SVG is written to its file while dot draws it (salesflow/render/streamed.py):
byte for byte the drawing stretched whole after dot, as it was written before, and the file that
was there is kept when the drawing fails."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from click.testing import CliRunner
from conftest import bench_charts, require_binary

from salesflow.cli import cli
from salesflow.parse import parse_text
from salesflow.render import picture, streamed
from salesflow.render.dot import to_dot


def _render(*args: str):
    """`salesflow render ARGS` through the click command, in this process (the spies below see it)."""
    return CliRunner().invoke(cli, ["render", *args])


def _streamed_runs(monkeypatch) -> list[str]:
    """How each drawing written while drawn went: "begun" once the head was written (and then
    "as planned" or "written whole after" once dot ended, as `finished` found it)."""
    runs: list[str] = []
    alongside, finished = streamed.StreamedDrawing.alongside, streamed.StreamedDrawing.finished

    def spy_alongside(self, *args):
        try:
            alongside(self, *args)
        finally:
            runs.append("begun" if self.head is not None else "not begun")

    def spy_finished(self, drawing):
        runs.append("as planned" if self.head is not None and not self.broken else "written whole after")
        return finished(self, drawing)

    monkeypatch.setattr(streamed.StreamedDrawing, "alongside", spy_alongside)
    monkeypatch.setattr(streamed.StreamedDrawing, "finished", spy_finished)
    return runs


def _chart_without_lanes(stages: int) -> str:
    return "\n".join(line for line in bench_charts().chart(stages).splitlines()
                     if not line.strip().startswith(("subgraph", "end", "lanes:"))) + "\n"


def _failing_dot_and_a_previous_drawing(tmp_path: Path, monkeypatch, script: str) -> tuple[Path, Path]:
    """A `dot` on PATH that runs `script` (after `#!/bin/sh`), a 300-stage chart to draw, and the file
    `out/large.svg` drawn before: (the chart, that file)."""
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    source = tmp_path / "large.flow"
    source.write_text(bench_charts().chart(300), encoding="utf-8")
    target = tmp_path / "out" / "large.svg"
    target.parent.mkdir()
    target.write_text("the previous drawing", encoding="utf-8")
    return source, target


def _assert_kept_as_it_was(target: Path) -> None:
    """The file drawn before is as it was, with nothing beside it (no temporary file left)."""
    assert target.read_text(encoding="utf-8") == "the previous drawing"
    assert [path.name for path in target.parent.iterdir()] == [target.name]


def test_a_large_charts_svg_written_while_drawn_is_the_drawing_stretched_whole(tmp_path: Path, monkeypatch) -> None:
    """400 stages in five lanes (picture.LANES_ONLY): dot ends the lanes apart, the file `render`
    writes has them stretched in line, and every byte of it is what stretching dot's whole drawing
    after dot gives; no temporary file is left."""
    require_binary("dot")
    text = bench_charts().chart(400)
    process = parse_text(text)
    assert picture.repairs(process) == picture.LANES_ONLY
    as_dot_drew = picture.run_graphviz(to_dot(process), "svg")
    stretched_whole = picture._lanes_stretched(as_dot_drew)
    assert stretched_whole != as_dot_drew  # the lanes do need stretching

    source = tmp_path / "large.flow"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "large.svg"
    target.write_text("the previous drawing", encoding="utf-8")
    runs = _streamed_runs(monkeypatch)
    result = _render("-f", "svg", str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert runs == ["begun", "as planned"]
    assert target.read_bytes() == stretched_whole
    assert sorted(path.name for path in tmp_path.iterdir()) == ["large.flow", "large.svg"]


def test_a_large_chart_without_lanes_is_written_as_dot_draws_it(tmp_path: Path, monkeypatch) -> None:
    """300 stages and no lanes (nothing to stretch, no layout read): the file, written while drawn, is dot's own."""
    require_binary("dot")
    text = _chart_without_lanes(300)
    process = parse_text(text)
    assert picture.repairs(process) is False and len(process.nodes) == 300
    source = tmp_path / "flat.flow"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "flat.svg"
    runs = _streamed_runs(monkeypatch)
    result = _render("-f", "svg", str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert runs == ["begun", "as planned"]
    assert target.read_bytes() == picture.run_graphviz(to_dot(process), "svg")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["flat.flow", "flat.svg"]


def test_a_drawing_that_fails_after_dot_began_writing_it_keeps_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    """A `dot` that writes the start of an SVG, its lanes and part of a link, then fails: `render`
    says so in one line, the file that was there is as it was, and no temporary file is left."""
    require_binary("dot")
    source, target = _failing_dot_and_a_previous_drawing(
        tmp_path, monkeypatch,
        "cat > /dev/null\n"
        "printf '<svg>\\n<g id=\"graph0\" class=\"graph\">\\n<g id=\"clust1\" class=\"cluster sf&#45;lane\">\\n</g>\\n"
        "<g id=\"sf&#45;edge&#45;1\" class=\"edge\">\\n<path d=\"M0,0'\n"
        "echo 'Error: out of memory' >&2\nexit 1\n",
    )
    runs = _streamed_runs(monkeypatch)
    result = _render("-f", "svg", str(source), "-o", str(target))
    assert result.exit_code == 2, result.output
    assert "Graphviz `dot` failed: Error: out of memory" in result.output and "Traceback" not in result.output
    assert runs and all(run == "begun" for run in runs)  # each way draw() tries, begun and given up
    _assert_kept_as_it_was(target)


def test_two_charts_of_one_file_are_each_written_whole(tmp_path: Path, monkeypatch) -> None:
    """A Markdown file with two large charts, `-o` a folder that does not exist yet: the first was
    begun as the only chart, into a file of that name, and given up as the second came; each chart's
    file is as dot drew it, and nothing else is left."""
    require_binary("dot")
    text = _chart_without_lanes(250)
    source = tmp_path / "two.md"
    source.write_text(f"# Two\n\n```mermaid\n{text}```\n\n```mermaid\n{text}```\n", encoding="utf-8")
    folder = tmp_path / "drawn"
    runs = _streamed_runs(monkeypatch)
    result = _render("-f", "svg", str(source), "-o", str(folder))
    assert result.exit_code == 0, result.output
    assert runs == ["begun", "as planned"]  # the first chart only
    drawn = sorted(folder.iterdir())
    assert len(drawn) == 2
    expected = picture.run_graphviz(to_dot(parse_text(text)), "svg")
    assert [path.read_bytes() == expected for path in drawn] == [True, True]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["drawn", "two.md"]


def test_a_large_drawing_stopped_at_its_time_limit_keeps_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    """A `dot` that reads the text and never answers, with `--timeout 1.5`: the wait for the lanes ends at
    the limit, `render` says so in one line, and the file that was there is as it was, with nothing beside it."""
    require_binary("dot")
    # It reads the whole text, then says nothing.
    source, target = _failing_dot_and_a_previous_drawing(tmp_path, monkeypatch, "cat > /dev/null\nsleep 30\n")
    runs = _streamed_runs(monkeypatch)
    result = _render("-f", "svg", "--timeout", "1.5", str(source), "-o", str(target))
    assert result.exit_code == 2, result.output
    assert "did not finish within 1.5 s" in result.output and "Traceback" not in result.output
    assert runs == ["not begun"]  # the text all read (1.5 s is ample for 300 stages), then no SVG
    _assert_kept_as_it_was(target)
