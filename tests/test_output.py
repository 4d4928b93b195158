"""Outputs are written in one step or not at all; walking directories stays inside the tree."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import SAMPLES

from salesflow import output
from salesflow.errors import OutputError
from salesflow.output import refuse_input_overwrite, refuse_shared_output, write_atomic
from salesflow.sources import expand_paths


def test_a_new_file_and_its_directories_are_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.svg"
    write_atomic(str(target), "<svg/>")
    assert target.read_text("utf-8") == "<svg/>"
    assert [p.name for p in target.parent.iterdir()] == ["out.svg"]


def test_a_failure_while_writing_keeps_the_previous_output(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous", "utf-8")

    def broken_flush(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "_flush_to_disk", broken_flush)
    with pytest.raises(OutputError) as caught:
        write_atomic(str(target), "new and longer content")
    assert "No space left on device" in str(caught.value)
    assert target.read_text("utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"], "the temporary file is removed"


def test_an_interrupted_write_keeps_the_previous_output(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous", "utf-8")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(str(target), "new")
    assert target.read_text("utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_replacing_keeps_the_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "process.flow"
    target.write_text("old", "utf-8")
    target.chmod(0o640)
    write_atomic(str(target), "new")
    assert target.read_text("utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_warnings_show_control_characters_in_file_names_escaped(tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import ROOT

    outside = tmp_path / "outside.flow"
    outside.write_text("flowchart LR\n  A\n", "utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "own.flow").write_text("flowchart LR\n  A@{ owner: 销售, due: 1d, kind: end }\n", "utf-8")
    (tree / "x\x1b[2J\nfake.flow").symlink_to(outside)
    result = subprocess.run(
        [sys.executable, "-m", "salesflow", "lint", str(tree)],
        capture_output=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    stderr = result.stderr.decode()
    assert "\x1b" not in stderr
    [warning] = stderr.splitlines()
    assert "x\\x1b[2J\\nfake.flow: warning: skipped, a link that points outside" in warning


@pytest.mark.parametrize(
    "text, shown",
    [
        ("报价与谈判", "报价与谈判"),
        ("a\tb", "a\tb"),  # a tab moves the cursor only; source lines turn it into a space
        ("a\nb\rc", "a\\nb\\rc"),
        ("\x1b]0;owned\x07\x1b[2J", "\\x1b]0;owned\\x07\\x1b[2J"),
        ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),  # NUL, DEL and the one-byte CSI of C1
        ("abc\u202edcba", "abc\\u202edcba"),  # a right-to-left override would reorder the line
        ("x\u2028y", "x\\u2028y"),
    ],
)
def test_terminal_text_shows_control_characters(text: str, shown: str) -> None:
    import doctest

    from salesflow import terminal

    assert terminal.visible(text) == shown
    assert doctest.testmod(terminal).failed == 0


def test_every_character_shown_escaped_is_one_text_checks_for_first() -> None:
    # `visible` returns printable text untouched without searching it: that is only right while
    # every character it escapes is one Python calls unprintable.
    from salesflow import terminal

    escaped = [ch for ch in map(chr, range(0x110000)) if terminal._CONTROL.search(ch)]
    assert len(escaped) > 60 and not [ch for ch in escaped if ch.isprintable()]
    assert terminal.visible("\x1b") == "\\x1b" and terminal.visible("报价\u2066") == "报价\\u2066"


def test_a_target_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    with pytest.raises(OutputError) as caught:
        write_atomic(str(blocker / "out.svg"), "<svg/>")  # a file stands where a directory should
    assert str(blocker / "out.svg") in str(caught.value)


def test_an_input_is_recognised_through_another_spelling(tmp_path: Path) -> None:
    chart = tmp_path / "chart.flow"
    chart.write_text("flowchart LR\n  A --> B\n", "utf-8")
    link = tmp_path / "alias.flow"
    link.symlink_to(chart)
    with pytest.raises(OutputError):
        refuse_input_overwrite(str(link), [str(chart)])
    with pytest.raises(OutputError):
        refuse_input_overwrite(str(tmp_path / "." / "chart.flow"), [str(chart)])
    refuse_input_overwrite(str(tmp_path / "other.svg"), [str(chart)])


def test_links_out_of_the_tree_are_skipped_with_a_warning(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.flow").write_text("flowchart LR\n  A\n", "utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "own.flow").write_text("flowchart LR\n  A\n", "utf-8")
    (tree / "escape.flow").symlink_to(outside / "secret.flow")
    (tree / "dir-link").symlink_to(outside, target_is_directory=True)
    warnings: list[str] = []
    found = list(expand_paths([str(tree)], warn=warnings.append))
    assert [Path(p).name for p in found] == ["own.flow"]
    assert sorted(warnings) == [
        f"{tree / 'dir-link'}: warning: skipped, a link that points outside {tree}",
        f"{tree / 'escape.flow'}: warning: skipped, a link that points outside {tree}",
    ]


def test_links_inside_the_tree_are_quiet_and_broken_links_are_named(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "own.flow").write_text("flowchart LR\n  A\n", "utf-8")
    (tmp_path / "same-team").symlink_to(tmp_path / "team", target_is_directory=True)
    (tmp_path / "alias.flow").symlink_to(tmp_path / "team" / "own.flow")
    (tmp_path / "gone.flow").symlink_to(tmp_path / "deleted.flow")
    warnings: list[str] = []
    found = list(expand_paths([str(tmp_path)], warn=warnings.append))
    # The directory link is not walked (its charts are found under their own name), the file link is read.
    assert found == [str(tmp_path / "alias.flow"), str(tmp_path / "team" / "own.flow")]
    assert warnings == [f"{tmp_path / 'gone.flow'}: warning: skipped, a link to nothing"]


def test_two_outputs_in_one_place_are_refused(tmp_path: Path) -> None:
    (tmp_path / "x.html").write_text("previous", "utf-8")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "x.html")
    for spelling in (str(tmp_path / "x.html"), str(tmp_path / "." / "x.html"), str(tmp_path / "link.pdf")):
        with pytest.raises(OutputError, match="name the same file"):
            refuse_shared_output([("-o", str(tmp_path / "x.html")), ("--pdf", spelling)])
    with pytest.raises(OutputError, match="name the same file"):  # not there yet: compared as paths
        refuse_shared_output([("-o", str(tmp_path / "new.html")), ("--pdf", str(tmp_path / "sub" / ".." / "new.html"))])
    refuse_shared_output([("-o", str(tmp_path / "x.html")), ("--pdf", str(tmp_path / "x.pdf"))])
    refuse_shared_output([("-o", "-"), ("--pdf", str(tmp_path / "x.pdf"))])
    refuse_shared_output([("-o", None), ("--pdf", "-")])


PAUSED_WRITER = """
import os, sys
from salesflow import output
real_flush = output._flush_to_disk

def paused(fd):
    # The new content is in the temporary file: say so, then wait for the parent's signal.
    sys.stdout.write("writing\\n")
    sys.stdout.flush()
    sys.stdin.readline()
    real_flush(fd)

output._flush_to_disk = paused
from salesflow.cli import main
sys.argv = ["salesflow", "fmt", sys.argv[1]]
main()
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_termination_signal_while_writing_leaves_no_temporary_file(tmp_path: Path, name: str) -> None:
    import signal
    import subprocess
    import sys

    from conftest import ROOT

    number = getattr(signal, name)
    chart = tmp_path / "p.flow"
    chart.write_text("graph TD;\n  A-->B;\n", "utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSED_WRITER, str(chart)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout.readline() == b"writing\n", child.stderr.read().decode()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".salesflow-")], "caught mid-write"
        child.send_signal(number)
        child.wait(timeout=60)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -number, "the process still ends as the signal says"
    assert [p.name for p in tmp_path.iterdir()] == ["p.flow"]
    assert chart.read_text("utf-8") == "graph TD;\n  A-->B;\n"


def test_a_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(str(fifo), "graph LR\n")
    reader.join(timeout=10)
    assert received == [b"graph LR\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the pipe must stay a pipe"
    assert not list(tmp_path.glob(".salesflow-*")), "no temporary file is left behind"


def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "salesflow", "render", "-f", "json", str(SAMPLES / "b2b-lanes.flow"), "-o", os.devnull],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_no_free_temporary_name_is_told_in_the_readers_language(tmp_path: Path, monkeypatch) -> None:
    """When every temporary name tried is taken, the reason is in the reader's language."""
    from salesflow import i18n

    monkeypatch.setattr(os, "urandom", lambda n: b"\0" * n)  # the same name every time
    (tmp_path / f".salesflow-{'00' * 6}.tmp").write_text("taken")
    with i18n.use("zh"), pytest.raises(OutputError) as refused:
        write_atomic(str(tmp_path / "out.svg"), "<svg/>")
    assert f"在 {tmp_path} 中找不到可用的临时文件名" in str(refused.value)
    assert not (tmp_path / "out.svg").exists()


def test_a_new_file_written_in_pieces_takes_the_place_of_the_old_one_only_when_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.svg"
    target.write_text("previous", "utf-8")
    target.chmod(0o640)
    pending = output.NewFile(str(target))
    pending.write(b"<svg")
    pending.restart()  # begun again: what came before is gone
    pending.write(b"<svg>")
    pending.write(memoryview(b"</svg>"))
    assert target.read_text("utf-8") == "previous"
    pending.keep()
    assert target.read_text("utf-8") == "<svg></svg>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "the replaced file's permissions"
    assert [p.name for p in tmp_path.iterdir()] == ["out.svg"]
    pending.drop()  # nothing left to drop
    assert target.read_text("utf-8") == "<svg></svg>"


def test_a_new_file_dropped_leaves_the_old_one_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out.svg"
    target.write_text("previous", "utf-8")
    pending = output.NewFile(str(target))
    pending.write(b"half a drawing")
    assert len(list(tmp_path.iterdir())) == 2
    pending.drop()
    assert target.read_text("utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.svg"]


def test_a_new_file_says_what_it_holds_until_more_is_written(tmp_path: Path) -> None:
    pending = output.NewFile(str(tmp_path / "out.svg"))
    whole = b"<svg></svg>"
    pending.write(whole)
    pending.holds(whole)
    assert pending.whole is whole
    pending.write(b"\n")
    assert pending.whole is None
    pending.drop()


def test_a_new_file_that_cannot_be_written_says_why_each_time_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.svg"
    target.write_text("previous", "utf-8")
    pending = output.NewFile(str(target))

    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "write", full)
    with pytest.raises(OutputError) as first:
        pending.write(b"<svg>")
    monkeypatch.undo()
    assert "out.svg: cannot write: No space left on device" in str(first.value)
    with pytest.raises(OutputError) as again:
        pending.keep()
    assert again.value is first.value
    assert target.read_text("utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.svg"]
