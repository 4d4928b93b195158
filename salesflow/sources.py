"""Finding and reading inputs: files, directories, standard input, and charts inside Markdown."""

from __future__ import annotations

import os
import stat
import sys

from .errors import InputError
from .i18n import _
from .lazy_regex import LazyRegex
from .records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator, Optional

    from .markdown import FencedBlock

CHART_EXTENSIONS = (".flow", ".mmd", ".mermaid")
MARKDOWN_EXTENSIONS = (".md", ".markdown")
STDIN = "-"


# One chart to work on: a whole process file, or one ```mermaid block of a Markdown file.
class Chart(Fields):
    __slots__ = ()
    _fields = (
        "path",  # str: as the user should see it
        "text",  # str
        "line_offset",  # int: lines of the file before the chart's first line
        "block",  # Optional[int]: 1-based number of the Markdown block
    )

    def __new__(cls, path, text, line_offset=0, block=None):
        return tuple.__new__(cls, (path, text, line_offset, block))


def decode_bytes(data: bytes, path: str) -> str:
    """Text from bytes: UTF-8 (a BOM is dropped) or UTF-16 with a BOM; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, _("this file starts like UTF-16 but is not valid UTF-16 ({reason})", reason=exc.reason)) from None
    if b"\x00" in data:
        raise InputError(path, _("this is not a text file (it contains NUL bytes); save the chart as UTF-8 text"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path,
            _(
                "line {line} is not valid UTF-8 (byte {byte}); save the chart as UTF-8 (files in GBK or GB2312 "
                "need converting, e.g. `iconv -f GBK -t UTF-8`)",
                line=line, byte=f"0x{data[exc.start]:02x}",
            ),
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_text(path: str) -> str:
    from .limits import INPUT_MEGABYTES

    limit = INPUT_MEGABYTES.value * 1024 * 1024
    if path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
        shown = "<stdin>"
    else:
        shown = path
        try:
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError:
            raise InputError(path, _("no such file")) from None
        except IsADirectoryError:
            raise InputError(path, _("this is a directory")) from None
        except OSError as exc:
            raise InputError(path, _("cannot read: {reason}", reason=exc.strerror or exc)) from None
    if len(data) > limit:
        raise InputError(shown, INPUT_MEGABYTES.exceeded(_("this input is too large")))
    return decode_bytes(data, shown)


def expand_paths(arguments: list[str], warn=None) -> Iterator[str]:
    """Each argument as given, or for a directory, its chart files below it, sorted.

    Symbolic links to directories are not followed, so a link cycle cannot loop; hidden
    directories (.git, .venv) and node_modules are skipped. In a directory, only regular files
    are read: a named pipe or device named like a chart would block or never end, so it is
    skipped with a warning, as is a link that leads out of the directory or nowhere. A path
    named on the command line is read whatever it is (`<(…)` gives a pipe, on purpose).
    """
    for argument in arguments:
        if argument != STDIN and os.path.isdir(argument):
            yield from _walk(argument, warn)
        else:
            yield argument


def _walk(top: str, warn) -> Iterator[str]:
    found = []

    def skip(path: str, why: str) -> None:
        if warn is not None:
            warn(_("{path}: warning: skipped, {why}", path=path, why=why))

    def on_error(error: OSError) -> None:
        skip(error.filename, _("cannot read: {reason}", reason=error.strerror))

    for root, dirs, files in os.walk(top, onerror=on_error, followlinks=False):
        kept = []
        for name in sorted(dirs):
            if name.startswith(".") or name == "node_modules":
                continue
            full = os.path.join(root, name)
            if os.path.islink(full):
                # Never walked into (that is how cycles cannot loop); one that leads elsewhere is
                # worth a word, as its charts are not reviewed. One inside the tree is seen anyway.
                if not _inside(os.path.realpath(full), top):
                    skip(full, _("a link that points outside {top}", top=top))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in files:
            if not name.endswith(CHART_EXTENSIONS):
                continue
            full = os.path.join(root, name)
            if os.path.islink(full) and not _inside(os.path.realpath(full), top):
                skip(full, _("a link that points outside {top}", top=top))
                continue
            try:
                mode = os.stat(full).st_mode
            except OSError as exc:
                skip(full, _("a link to nothing") if os.path.islink(full) else _("cannot read: {reason}", reason=exc.strerror))
                continue
            if not stat.S_ISREG(mode):
                skip(full, _("not a regular file ({kind})", kind=_kind(mode)))
                continue
            found.append(full)
    yield from sorted(found)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _inside(path: str, top: str) -> bool:
    top_real = os.path.realpath(top)
    return os.path.commonpath([path, top_real]) == top_real


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_EXTENSIONS)


def charts_in(path: str, stdin_name: Optional[str] = None) -> list[Chart]:
    """The charts one input holds: itself, or each flowchart block of a Markdown file.

    Standard input has no name of its own: `stdin_name` (--stdin-filename) stands for it, both
    in messages and in deciding whether it is Markdown."""
    shown = (stdin_name or "<stdin>") if path == STDIN else path
    text = read_text(path)
    if is_markdown(shown):
        return list(markdown_charts(text, shown))
    return [Chart(shown, text)]


# Mermaid diagram types other than flowcharts: such blocks in a Markdown file are not processes.
_OTHER_DIAGRAMS = LazyRegex(
    r"^\s*(sequenceDiagram|classDiagram|stateDiagram|erDiagram|gantt|pie|journey|gitGraph|mindmap|"
    r"timeline|quadrantChart|sankey|xychart|block|packet|kanban|architecture|C4\w*|requirementDiagram|"
    r"zenuml|radar|treemap)\b"
)


def mermaid_blocks(text: str) -> Iterator[tuple[int, "FencedBlock"]]:
    """(number, block) for each flowchart in a ```mermaid (or ~~~mermaid) block, wherever it
    stands: at the top level, in a list item, in a block quote. Numbers count every mermaid
    block from 1, so that a block keeps its number whatever the others hold."""
    from .markdown import fenced_blocks

    number = 0
    for block in fenced_blocks(text.replace("\r\n", "\n").replace("\r", "\n")):
        if block.language != "mermaid":
            continue
        number += 1
        if not _is_other_diagram("\n".join(block.lines)):
            yield number, block


def markdown_charts(text: str, path: str) -> Iterator[Chart]:
    """Flowcharts in a Markdown text's mermaid blocks; line numbers point into the Markdown file."""
    for number, block in mermaid_blocks(text):
        yield Chart(path, "\n".join(block.lines), line_offset=block.first_line, block=number)


def _is_other_diagram(body: str) -> bool:
    in_front_matter = False
    for number, line in enumerate(body.split("\n")):
        stripped = line.strip()
        if number == 0 and stripped == "---":
            in_front_matter = True
            continue
        if in_front_matter:
            in_front_matter = stripped != "---"
            continue
        if not stripped or stripped.startswith("%%"):
            continue
        return bool(_OTHER_DIAGRAMS.match(stripped))
    return False
