"""Parsing: text of a process file → `Process`, or a `ParseError` that says where and why."""

from __future__ import annotations

import gc

from .errors import ParseError
from .i18n import _
from .model import Process

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional

    from .parsing.build import Builder
    from .parsing.preprocess import Prepared


def _first_surrogate(text: str) -> Optional[int]:
    """Where `text` has its first lone surrogate (half of a UTF-16 pair), if it has one.

    It is the only character UTF-8 cannot encode. (A pattern such as `[\\ud800-\\udfff]` would
    be compiled at every start, and its range of 2,048 code points takes half a millisecond.)"""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def parse_text(text: str, path: str = "<string>", line_offset: int = 0) -> Process:
    """Parse one chart. `line_offset` shifts every line number (for a chart inside Markdown)."""
    from .parsing import build, preprocess

    from .limits import CHART_CHARACTERS

    if len(text) > CHART_CHARACTERS.value:
        raise ParseError(
            CHART_CHARACTERS.exceeded(_("the chart has {count} characters", count=f"{len(text):,}")),
            path,
            1 + line_offset,
            1,
        )
    # Positions from here on are positions in the user's file (Markdown included).
    prepared = preprocess.prepare(text, line_offset)
    surrogate = _first_surrogate(text)
    if surrogate is not None:
        # Only reachable through the API with text that was never valid Unicode.
        before = preprocess.normalise_newlines(text[:surrogate])
        line = before.count("\n") + 1 + line_offset
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise ParseError(
            _("invalid character {code} (half of a UTF-16 pair)", code=f"U+{ord(text[surrogate]):04X}"), path, line, column
        )

    def error(message: str, line: int, column: int, width: int = 1) -> ParseError:
        source = prepared.lines[line - 1] if 0 < line <= len(prepared.lines) else None
        return ParseError(message, path, line, column, source, width)

    if not prepared.text.strip():
        raise error(_("the chart is empty: a process starts with a header such as `flowchart TD`"), 1 + line_offset, 1)

    # Parsing allocates many small objects that all stay alive until the model is built; the
    # cyclic garbage collector would only rescan them again and again (a fifth of the time at
    # 10,000 nodes, more above), so it pauses for the duration.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            builder = _build_fast(prepared) if FAST_PATH else None
            if builder is None:
                builder = _build_with_lark(prepared)
            if builder is None:
                problems = _syntax_problems(prepared.text)
                first, *following = [error(p.message, p.line, p.column, p.width) for p in problems]
                first.following = tuple(following)
                raise first from None
            front = build.read_front_matter(prepared, [s.id for s in builder.subgraphs], builder.swimlanes())
            return builder.process(path, front, line_offset)
        except build.BuildError as exc:
            raise error(exc.message, exc.line, exc.column, exc.width) from None
    finally:
        if collecting:
            gc.enable()


# Whether charts are first offered to the fast reader (salesflow/parsing/fastpath.py); the tests switch it
# off to compare its models and errors with Lark's.
FAST_PATH = True


def _build_fast(prepared: "Prepared") -> Optional["Builder"]:
    """The builder fed by the fast reader (salesflow/parsing/fastpath.py) statement by statement,
    so no statement outlives its turn; None when the reader cannot read the chart to its end.

    Lark reads the whole chart before anything is built, so a syntax error anywhere comes before
    a mistake the builder finds; here too: after such a mistake the reading goes on to the end
    before the mistake is reported, and a chart the reader gives up on goes to Lark."""
    from .parsing import build, fastpath

    builder = build.Builder(prepared)
    failure = None
    reading = fastpath.statements(prepared.text, for_builder=True)
    header = next(reading)
    if header is None:
        return None
    try:
        builder.begin(header)
    except build.BuildError as exc:
        failure = exc
    feed = builder.statement
    for statement in reading:
        if statement is None:
            return None
        if failure is None:
            try:
                feed(statement)
            except build.BuildError as exc:
                failure = exc
    if failure is None:
        builder.finish()
        return builder
    raise failure


def _build_with_lark(prepared: "Prepared") -> Optional["Builder"]:
    """The builder fed by Lark's parser; None when the chart has a syntax error."""
    from lark.exceptions import UnexpectedInput

    from .parsing import build, syntax

    try:
        statements = syntax.fast_parser().parse(prepared.text)
    except UnexpectedInput:
        # Read again by the pure-Python parser, which can carry on after an error and whose
        # errors carry the parser state that the explanations need (see _syntax_problems).
        return None
    builder = build.Builder(prepared)
    builder.run(statements)
    return builder


def _syntax_problems(text: str) -> list:
    """Every independent syntax error in the (prepared) chart, explained, up to the limit."""
    from .limits import SYNTAX_ERRORS
    from .parsing import friendly, syntax

    parser = syntax.parser()
    patterns = {t.name: t.pattern.value for t in parser.terminals if t.pattern.type == "str"}
    problems: list[friendly.Problem] = []
    too_many: list[friendly.Problem] = []
    limit = SYNTAX_ERRORS.value

    def report(exc) -> bool:
        if not problems:
            problem = friendly.explain(exc, text, patterns)
        else:
            try:
                problem = friendly.explain(exc, text, patterns)
            except Exception:  # pragma: no cover - a later error is a bonus; never a traceback for it
                return False
        if len(problems) == limit:
            too_many.append(problem._replace(message=SYNTAX_ERRORS.exceeded(_("more syntax errors follow"))))
            return False
        problems.append(problem)
        return True

    syntax.read_all_errors(text, report)
    if not problems:  # pragma: no cover
        raise AssertionError("the two parsers disagree")
    # In file order: an unclosed subgraph is only found at the end, but is reported at its head.
    return sorted(set(problems), key=lambda p: (p.line, p.column, p.message)) + too_many


def parse_file(path: str, display_path: Optional[str] = None) -> Process:
    """Read and parse one process file (not Markdown; see `sources` for that)."""
    from .sources import read_text

    return parse_text(read_text(path), display_path or path)
