"""`salesflow fmt`: rewrite process files in canonical layout, in place (or check that they are)."""

from __future__ import annotations

import os
import click

from .common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Run, exit_with, one_input, warn


@click.command("fmt")
@click.argument("inputs", nargs=-1, metavar="PATH...")
@click.option("--check", is_flag=True, help="Change nothing; show a diff and exit 1 if any file would change.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors (and, with --check, the diff).")
def command(inputs: tuple[str, ...], check: bool, quiet: bool) -> None:
    """Rewrite process files in canonical layout (and the flowcharts of Markdown files named here).

    Files are rewritten in place, each in one atomic step; comments, the front matter and the
    order of everything are kept, and a file is only written if its meaning stays the same. A
    directory means every .flow, .mmd and .mermaid file below it. With `-`, the chart is read
    from standard input and the result written to standard output.

    \b
    Exit status: 0 done (or, with --check, nothing to change), 1 with --check when a file
    would change, 2 when a file cannot be read or parsed.

    \b
    Examples:
      salesflow fmt samples/
      salesflow fmt --check process.flow
      cat process.flow | salesflow fmt - > tidy.flow
    """
    from ..errors import SalesflowError
    from ..sources import STDIN, expand_paths, is_markdown, read_text

    if not inputs:
        raise click.UsageError("give at least one process file, directory, Markdown file or - for stdin")
    run = Run()
    changed: list[str] = []
    unchanged = 0
    files = 0
    for path in expand_paths(list(inputs), warn=warn):
        shown = "<stdin>" if path == STDIN else path
        files += path != STDIN
        try:
            text = read_text(path)
            with one_input(shown):
                formatted = _format(text, shown, is_markdown(path))
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
                warn(f"would reformat {path}")
            continue
        try:
            _write_back(path, formatted)
        except SalesflowError as exc:
            run.fail(exc)
            changed.pop()
            continue
        if not quiet:
            warn(f"reformatted {path}")

    if not quiet and files:
        verb = "would be reformatted" if check else "reformatted"
        same = "already formatted" if check or changed else "left unchanged"
        warn(f"{_count(len(changed))} {verb}, {_count(unchanged)} {same}" + (f", {_count(run.errors)} with errors" if run.errors else ""))
    if run.errors:
        exit_with(EXIT_ERROR)
    exit_with(EXIT_FINDINGS if check and changed else EXIT_OK)


def _count(n: int) -> str:
    return f"{n} file{'s' * (n != 1)}"


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


def _write_back(path: str, text: str) -> None:
    """Replace the file (through a link, its target) in one step, in the encoding it had."""
    from ..output import write_atomic

    target = os.path.realpath(path)
    write_atomic(target, _encode(text, target))


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


