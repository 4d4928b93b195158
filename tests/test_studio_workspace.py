"""Saving from the studio: atomic, encoding, line endings and mode kept, and never over a change
made on disk since the page loaded the file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from salesflow.serve.security import OutsideRoot
from salesflow.serve.workspace import Conflict, Workspace

CHART = "graph TD\n    A[线索] --> B[成交]\n"
EDITED = "graph TD\n    A[线索] --> B[报价]\n    B --> C[成交]\n"


@pytest.mark.parametrize(
    "encoded, expected",
    [
        (CHART.encode("utf-8"), EDITED.encode("utf-8")),
        (b"\xef\xbb\xbf" + CHART.encode("utf-8"), b"\xef\xbb\xbf" + EDITED.encode("utf-8")),
        (CHART.replace("\n", "\r\n").encode("utf-8"), EDITED.replace("\n", "\r\n").encode("utf-8")),
        (b"\xff\xfe" + CHART.encode("utf-16-le"), b"\xff\xfe" + EDITED.encode("utf-16-le")),
        (b"\xfe\xff" + CHART.replace("\n", "\r\n").encode("utf-16-be"), b"\xfe\xff" + EDITED.replace("\n", "\r\n").encode("utf-16-be")),
    ],
    ids=["utf-8", "utf-8 with BOM", "CRLF", "UTF-16 LE", "UTF-16 BE with CRLF"],
)
def test_a_save_keeps_the_encoding_and_line_endings(tmp_path: Path, encoded: bytes, expected: bytes) -> None:
    (tmp_path / "p.flow").write_bytes(encoded)
    workspace = Workspace(str(tmp_path))
    loaded = workspace.read("p.flow")
    assert loaded.text == CHART  # the editor sees plain `\n` text
    workspace.save("p.flow", EDITED, loaded.version)
    assert (tmp_path / "p.flow").read_bytes() == expected


def test_a_save_keeps_the_mode_and_replaces_the_file_in_one_step(tmp_path: Path) -> None:
    path = tmp_path / "p.flow"
    path.write_text(CHART, encoding="utf-8")
    os.chmod(path, 0o640)
    before = os.stat(path).st_ino
    workspace = Workspace(str(tmp_path))
    workspace.save("p.flow", EDITED, workspace.read("p.flow").version)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.stat(path).st_ino != before  # a new file renamed into place, not rewritten in place
    assert path.read_text(encoding="utf-8") == EDITED
    assert [p.name for p in tmp_path.iterdir()] == ["p.flow"]  # no temporary file left behind


def test_a_save_over_a_change_on_disk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.flow"
    path.write_text(CHART, encoding="utf-8")
    workspace = Workspace(str(tmp_path))
    loaded = workspace.read("p.flow")
    path.write_text("graph TD\n    X[git pull]\n", encoding="utf-8")
    with pytest.raises(Conflict) as refused:
        workspace.save("p.flow", EDITED, loaded.version)
    assert refused.value.current.text == "graph TD\n    X[git pull]\n"
    assert path.read_text(encoding="utf-8") == "graph TD\n    X[git pull]\n"
    # With the version now on disk (the author saw both and chose theirs), the save goes through.
    workspace.save("p.flow", EDITED, refused.value.current.version)
    assert path.read_text(encoding="utf-8") == EDITED


def test_a_deleted_file_or_a_taken_name_is_a_conflict(tmp_path: Path) -> None:
    path = tmp_path / "p.flow"
    path.write_text(CHART, encoding="utf-8")
    workspace = Workspace(str(tmp_path))
    loaded = workspace.read("p.flow")
    path.unlink()
    with pytest.raises(Conflict) as refused:
        workspace.save("p.flow", EDITED, loaded.version)
    assert refused.value.current is None and not path.exists()
    (tmp_path / "taken.flow").write_text(CHART, encoding="utf-8")
    with pytest.raises(Conflict):
        workspace.save("taken.flow", EDITED, "")  # "" means: a new file
    assert (tmp_path / "taken.flow").read_text(encoding="utf-8") == CHART


def test_the_folder_lists_charts_and_markdown_but_not_what_is_hidden_or_outside(tmp_path: Path) -> None:
    (tmp_path / "a.flow").write_text(CHART, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.mmd").write_text(CHART, encoding="utf-8")
    (tmp_path / "guide.md").write_text("# guide\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.flow").write_text(CHART, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.flow"
    outside.write_text(CHART, encoding="utf-8")
    (tmp_path / "link.flow").symlink_to(outside)
    workspace = Workspace(str(tmp_path))
    assert workspace.files() == ["a.flow", "guide.md", "sub/b.mmd"]
    with pytest.raises(OutsideRoot):
        workspace.read("link.flow")
    with pytest.raises(OutsideRoot):
        workspace.save("link.flow", EDITED, "")
    assert outside.read_text(encoding="utf-8") == CHART
