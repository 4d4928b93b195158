"""`salesflow fmt`: rewrite process files in canonical layout, in place (or check that they are)."""

from __future__ import annotations

import os
from typing import Optional

import click


from ..i18n import N_, _, n_
from ..limits import one_input
from .common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Run, exit_with, no_input, warn
from .translated import TranslatedCommand


@click.command(
    "fmt",
    cls=TranslatedCommand,
    help=N_(
        "Rewrite process files in canonical layout (and the flowcharts of Markdown files named here).\n"
        "\n"
        "Files are rewritten in place, each in one atomic step (see below for hard links); comments, the front matter and the\n"
        "order of everything are kept, and a file is only written if its meaning stays the same. A\n"
        "directory means every .flow, .mmd and .mermaid file below it. With `-`, the chart is read\n"
        "from standard input and the result written to standard output (--stdin-filename names it,\n"
        "and a name ending in .md makes it Markdown).\n"
        "\n"
        "A file is left as it is, with exit status 2, when it changed on disk while fmt was working\n"
        "on it (run fmt again), or when it is read-only (unless --force). A file with several hard\n"
        "links is rewritten in place, so that every link sees the new text.\n"
        "\n"
        "\b\n"
        "Exit status: 0 done (or, with --check, nothing to change), 1 with --check when a file\n"
        "would change, 2 when a file cannot be read, parsed or safely rewritten.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow fmt samples/\n"
        "  salesflow fmt --check process.flow\n"
        "  cat process.flow | salesflow fmt - > tidy.flow\n"
        "  salesflow fmt --stdin-filename docs/guide.md - < docs/guide.md"
    ),
)
@click.argument("inputs", nargs=-1, metavar="PATH...")
@click.option("--check", is_flag=True, help=N_("Change nothing; show a diff and exit 1 if any file would change."))
@click.option("-q", "--quiet", is_flag=True, help=N_("Print only errors (and, with --check, the diff)."))
@click.option("--force", is_flag=True, help=N_("Rewrite read-only files too (their mode is kept)."))
@click.option("--stdin-filename", default=None, metavar="PATH",
              help=N_("Standard input's path: shown in messages, and .md for Markdown. Implies - when no PATH is given."))
def command(inputs: tuple[str, ...], check: bool, quiet: bool, force: bool, stdin_filename: Optional[str]) -> None:
    from ..errors import SalesflowError
    from ..sources import STDIN, expand_paths, is_markdown, read_text

    if not inputs and stdin_filename:
        inputs = ("-",)
    if not inputs:
        raise click.UsageError(no_input())
    run = Run()
    changed: list[str] = []
    unchanged = 0
    files = 0
    for path in expand_paths(list(inputs), warn=warn):
        shown = (stdin_filename or "<stdin>") if path == STDIN else path
        files += path != STDIN
        try:
            before = None if path == STDIN else _stat(path)
            text = read_text(path)
            with one_input(shown):
                formatted = _format(text, shown, is_markdown(shown))
        except SalesflowError as exc:
            run.fail(exc)
            continue
        if path == STDIN:
            if check:
                if formatted != text:
                    changed.append(shown)
                    _show_diff(text, formatted, shown)
            else:
                _write_stdout(formatted)
            continue
        if formatted == text:
            unchanged += 1
            continue
        changed.append(path)
        if check:
            _show_diff(text, formatted, path)
            if not quiet:
                warn(_("would reformat {path}", path=path))
            continue
        try:
            _write_back(path, text, formatted, before, force)
        except SalesflowError as exc:
            run.fail(exc)
            changed.pop()
            continue
        if not quiet:
            warn(_("reformatted {path}", path=path))

    if not quiet and files:
        if check:
            done = n_("{n} file would be reformatted", "{n} files would be reformatted", len(changed))
        else:
            done = n_("{n} file reformatted", "{n} files reformatted", len(changed))
        if check or changed:
            kept = n_("{n} file already formatted", "{n} files already formatted", unchanged)
        else:
            kept = n_("{n} file left unchanged", "{n} files left unchanged", unchanged)
        parts = [done, kept]
        if run.errors:
            parts.append(n_("{n} file with errors", "{n} files with errors", run.errors))
        warn(_(", ").join(parts))
    if run.errors:
        exit_with(EXIT_ERROR)
    exit_with(EXIT_FINDINGS if check and changed else EXIT_OK)



def _format(text: str, path: str, markdown: bool) -> str:
    from ..fmt import format_text

    return format_text(text, path, markdown=markdown)


def _show_diff(before: str, after: str, path: str) -> None:
    import difflib

    diff = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{path}", f"{path} (formatted)"
    )
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)
    _write_stdout(text)


def _write_stdout(text: str) -> None:
    from ..output import write_stdout

    write_stdout(text)


def _stat(path: str) -> Optional[os.stat_result]:
    """The file's size, times and identity; None if it cannot be seen (reading it says why)."""
    try:
        return os.stat(path)
    except OSError:
        return None


def _write_back(path: str, read: str, text: str, before: Optional[os.stat_result], force: bool) -> None:
    """Replace the file (through a symbolic link, its target) in the encoding it had.

    Nothing is replaced if the file changed since it was read (an editor saved it, a line was
    appended): the new text would silently drop that change. A read-only file says "do not
    touch" (a rename would get past it, as only the folder's permission counts) unless `force`.
    A file with several hard links is overwritten in place: a rename would give this name a new
    file and leave the other names with the old text.
    """
    import stat

    from ..errors import InputError, OutputError
    from ..output import rewrite_in_place, write_atomic
    from ..sources import read_text

    target = os.path.realpath(path)
    changed = OutputError(_("{path}: changed on disk while {command} was working on it; left as it is (run {command} again)", path=path, command="fmt"))
    if before is None:
        raise changed
    if not force and (not stat.S_IMODE(before.st_mode) & 0o222 or not os.access(target, os.W_OK)):
        raise OutputError(_("{path}: read-only, left as it is ({command} rewrites it anyway)", path=path, command="fmt --force"))

    def unchanged_since_read() -> None:
        now = _stat(target)
        if now is None or (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) != (
                before.st_ino, before.st_dev, before.st_size, before.st_mtime_ns):
            raise changed
        try:
            if read_text(target) != read:
                raise changed
        except InputError:
            raise changed from None

    data = _encode(text, target)
    if before.st_nlink > 1:
        rewrite_in_place(target, data, before_replace=unchanged_since_read)
    else:
        write_atomic(target, data, before_replace=unchanged_since_read)


def _encode(text: str, path: str) -> bytes:
    """`text` encoded as the file at `path` is: UTF-8 (with its BOM if it has one), or UTF-16 in
    its byte order with its BOM."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(3)
    except OSError:
        start = b""
    if start.startswith(b"\xef\xbb\xbf"):
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if start.startswith(b"\xff\xfe"):
        return b"\xff\xfe" + text.encode("utf-16-le")
    if start.startswith(b"\xfe\xff"):
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode("utf-8")


