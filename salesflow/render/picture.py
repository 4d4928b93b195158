"""`render -f svg|png|pdf`: the DOT graph of `dot.py`, laid out and drawn by the real Graphviz.

Graphviz runs as a child process (through the `graphviz` package, or started directly when the DOT
text is streamed to it), with a time limit: a very large
chart can keep `dot` busy for minutes, and a user is better served by a message that says what to
do. Outputs are byte-identical for the same input: SVG and PNG are already, and the creation date
that cairo writes into a PDF is replaced by a fixed one (or by `SOURCE_DATE_EPOCH` when set, the
convention of reproducible builds), in UTC: Graphviz runs with `TZ=UTC`, since cairo writes the
date in the local time zone and the zone's offset (`+08'00`) would stay in the file otherwise.

A PNG's size is chosen in one of three ways: `dpi` (144 by default), an exact `width` in pixels,
or a `fit` for where it is read (see `FITS`). Graphviz itself draws at the chosen scale (`-Gsize`
with `!` after a measuring layout), so text stays sharp: a picture drawn small and enlarged
afterwards has soft, blurred letters.
"""

from __future__ import annotations

import errno
import os
import time

from ..errors import RenderError
from ..i18n import _
from ..lazy_regex import LazyRegex
from ..model import Process
from . import dot
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from ..findings import Finding
    from typing import Callable, Iterator, Mapping, Optional, Sequence, Union

    from ..output import NewFile

ENGINES = ("dot", "sfdp", "fdp", "neato")
OUTPUTS = ("svg", "png", "pdf")
_LAYOUT = "json"  # the measuring pass: positions and font sizes, no picture
_FIRST_LAYOUT = "json0"  # the layout given before the drawing, for reroute.py: positions only
_LAID_OUT = "dot"  # the DOT text with every position written, for `neato -n2` to draw from
SIZE_ONLY = "plain"  # the drawing's size on its first line, nothing drawn (dot_bands._one_column_reads)
DEFAULT_TIMEOUT = 60.0  # seconds
PNG_DPI = 144  # twice the screen default: sharp on high-density screens and in print

class GraphvizFailed(RenderError):
    """Graphviz ran and gave up on the drawing (not: missing, too slow, or an unknown option)."""


class GraphvizStrayed(GraphvizFailed):
    """Graphviz drew the picture but says it could not route a link (see `ROUTING_TROUBLE`):
    that link may run astray, across the chart. Raised only when asked (`strict`)."""


# What `dot` 2.43 says when a link's route collapses; the picture is still written, with that
# link drawn off its course (a "否" over a row of stages, round the row above and back).
ROUTING_TROUBLE = ("Unable to reclaim box space", "triangulation failed", "cannot find triangle path")


def install_hint() -> str:
    """How to install Graphviz, in the reader's language; the commands stay as typed."""
    return _(
        "install Graphviz: {debian} on Debian or Ubuntu, {macos} on macOS",
        debian="`sudo apt-get install graphviz`", macos="`brew install graphviz`",
    )


def run_graphviz(
    dot_text: str,
    output: str,
    engine: str = "dot",
    timeout: Optional[float] = DEFAULT_TIMEOUT,
    size_hint: str = "",
    source: str = "",
    origins: Optional[Mapping[int, str]] = None,
    graph_options: Sequence[str] = (),
    strict: bool = False,
    keep_positions: bool = False,
    repair: bool = False,
    layout_first: bool = False,
    layout_after: bool = False,
) -> bytes:
    """Lay out and draw `dot_text` with Graphviz `engine`; return the `output` file's bytes.

    Raises RenderError when Graphviz is missing, fails, or runs longer than `timeout` seconds
    (None or 0: no limit). `size_hint` ("1,200 nodes and 1,500 edges") goes into that message;
    `source` (the chart's file) starts the messages about the chart, and `origins` (see
    `dot.dot_with_origins`) lets a Graphviz error name the element it is about; `graph_options`
    (`size=7.5,100!`) are graph attributes given on the command line, after the DOT text's own.
    `strict`: raise GraphvizStrayed when Graphviz says it could not route a link.
    `keep_positions`: draw the positions the text gives (`neato -n2`), lay nothing out.
    `repair`: links `dot` draws the long way round are drawn anew (reroute.py; see `repairs`);
    `LOOK_FIRST`: only when the SVG drawn looks as if it needs it (svg_look.py); `LANES_ONLY`:
    the lanes are stretched to one length, nothing else is repaired.
    `layout_first`: the layout's `-Tjson0` comes before the drawing (see `split_layout`).
    `layout_after`: the SVG drawing comes first, then the layout's `-Tjson0` (see `split_drawing`).
    """
    if repair:
        # Repaired as stream_graphviz repairs a drawing, this text given to it whole.
        return stream_graphviz(
            _whole(dot_text, origins), output, engine, timeout, size_hint=size_hint, source=source,
            graph_options=graph_options, strict=strict, repair=repair,
        )
    command = _command(
        engine, output, graph_options, layout_first=layout_first, keep_positions=keep_positions, layout_after=layout_after,
    )
    graphviz, execute = _graphviz_package()
    limit = timeout if timeout and timeout > 0 else None
    try:
        completed = execute.run_check(
            command, input=dot_text.encode("utf-8"), capture_output=True, quiet=True, timeout=limit, env=_environment(),
        )
    except Exception as exc:  # noqa: BLE001  (told apart in _failure)
        raise _failure(exc, graphviz, engine, limit, size_hint, source, origins or {}) from None
    return _drawing(completed.stdout, completed.stderr, output, engine, strict, source)


def stream_graphviz(
    write: Callable[[Callable[[str], None]], Mapping[int, str]],
    output: str,
    engine: str = "dot",
    timeout: Optional[float] = DEFAULT_TIMEOUT,
    size_hint: str = "",
    source: str = "",
    graph_options: Sequence[str] = (),
    strict: bool = False,
    repair: bool = False,
    layout_first: bool = False,
    layout_after: bool = False,
    meanwhile: Optional[Callable[[], None]] = None,
    keep_positions: bool = False,
    alongside: Optional[Callable[[Callable[[bytes, int], Optional[bytes]], Callable[[int], Iterator[bytes]]], None]] = None,
    started: Optional[object] = None,
    into: Optional[Callable[[], NewFile]] = None,
) -> bytes:
    """`run_graphviz`, with Graphviz started first and given the DOT text while it is written.
    `repair`, `layout_first`, `layout_after` and `keep_positions` as `run_graphviz` takes them;
    `meanwhile()` is run once the text is written, while Graphviz lays it out (where it is
    started directly); then `alongside(written_through, follow)`, which may read the outputs
    Graphviz has written while it writes the next (graphviz_child.Graphviz.written_through), or
    follow one as it is written (`follow`). What either raises is dropped: Graphviz's own
    outcome, which may be a failure, comes first.
    `started`: the graphviz_child.Graphviz run of `command`, started already.
    `into()`: the output's new file (output.NewFile), for an SVG drawn without a layout read: the
    drawing is written into it while dot writes it (streamed.py); what is returned is what it
    holds then (`NewFile.holds`). Where it cannot be made, the drawing is returned as ever.

    `write(send)` writes the text through `send` in pieces and returns its origins. `dot` starts
    up, reads and parses the chart on another core meanwhile, instead of after the last line.
    Graphviz is started directly (graphviz_child.py), not through the graphviz package, whose
    import would delay it: when it stops reading (it failed, or ran out of time and was stopped),
    the writing stops too, so the two can never wait on each other.

    What this hides, measured on the bench's 2,000-stage chart (callgrind; CPU times from
    getrusage and /proc while drawing): dot's start and its reading of the text, 433 M
    instructions (its start alone 11 M), timed on the same text with a syntax error after its
    last line, where dot stops before laying anything out. dot sizes labels and shapes their
    text only once it has the last line, so nothing else of it can run sooner. Python reaches
    the first line after 752 M of its 1,177 M instructions (start and imports 106 M, reading
    the chart 408 M, the writer's planning of bands, extents and text widths 238 M) and writes
    the text with the other 425 M: dot reads at the pace it is written (by the last line it
    has spent 50-70 ms of its 65-85 ms of reading). So a faster writer gains little before
    dot's reading sets the pace, and starting dot sooner gains nothing, its start being hidden
    by the planning already: what drawing adds to bare dot is, nearly all, the work before the
    first line, and what follows dot's end: the lanes' stretch and the output file's write and
    flush to disk (13-17 ms for that 2.5 MB SVG), which `into` now does while dot writes (3-6).
    """
    from . import graphviz_child

    # A drawing of one output, read by no one but its file (no layout with it, nothing else alongside).
    only_drawn = output == "svg" and not (layout_first or layout_after or keep_positions or alongside)
    new_file = _new_file(into) if only_drawn and repair in (LANES_ONLY, False) else None
    if new_file is not None:
        from .streamed import StreamedDrawing

        # The lanes are stretched in the head dot writes before any link (streamed.py).
        streamed = StreamedDrawing(new_file, _lanes_stretched if repair == LANES_ONLY else None)
        drawing = stream_graphviz(
            write, output, engine, timeout, size_hint, source, graph_options, strict, meanwhile=meanwhile,
            started=started, alongside=streamed.alongside,
        )
        return streamed.finished(drawing)
    if repair == LANES_ONLY and output == "svg":
        drawing = stream_graphviz(write, output, engine, timeout, size_hint, source, graph_options, strict)
        return _lanes_stretched(drawing)
    if (repair and output in LAID_OUT_FIRST) or repair == LANES_ONLY:
        text: list[str] = []  # the text, for the run that draws it when nothing is repaired
        laid_out = stream_graphviz(
            lambda send: write(_kept(send, text)), _LAID_OUT, engine, timeout, size_hint, source, graph_options,
            strict, layout_first=True,
        )
        return _drawn_once(
            laid_out, "".join(text), output, engine, timeout, graph_options, strict, lanes_only=repair == LANES_ONLY,
            size_hint=size_hint, source=source,
        )
    if repair == LOOK_FIRST and output == "svg":
        early: dict = {}

        def start_redrawing() -> object:
            # neato started ahead, to draw the repair from the text given once dot has ended:
            # it loads its libraries and plugins (some 10 ms) meanwhile.
            limit = timeout if timeout and timeout > 0 else None
            return graphviz_child.Graphviz(
                _command("neato", output, graph_options, keep_positions=True), _environment(), limit,
            )

        kept: list[str] = []  # the text, for the run that gives the `-Tdot` text a repair by neato needs
        try:
            drawing = stream_graphviz(
                lambda send: write(_kept(send, kept)), output, engine, timeout, size_hint, source, graph_options,
                strict, layout_after=True, meanwhile=_ready_to_look,
                alongside=lambda written_through, _follow: _look_alongside(written_through, early, start_redrawing),
            )
            return _looked_over(
                drawing, lambda: "".join(kept), output, timeout, graph_options, early=early, size_hint=size_hint,
                source=source,
            )
        finally:
            if "neato" in early:  # started for a repair that was not drawn after all
                early.pop("neato").abandon()
    if repair:
        written: list[str] = []  # the text, for the run that draws the links anew
        drawing = stream_graphviz(
            lambda send: write(_kept(send, written)), output, engine, timeout, size_hint, source, graph_options,
            strict, layout_first=True,
        )
        return _rerouted(drawing, "".join(written), output, timeout, graph_options, size_hint=size_hint, source=source)
    command = _command(
        engine, output, graph_options, layout_first=layout_first, layout_after=layout_after, keep_positions=keep_positions,
    )
    limit = timeout if timeout and timeout > 0 else None
    if started is None and not graphviz_child.available():
        return _stream_from_thread(write, command, output, engine, limit, size_hint, source, strict)
    try:
        child = started if started is not None else graphviz_child.Graphviz(command, _environment(), limit)
    except graphviz_child.Unusable:
        return _stream_from_thread(write, command, output, engine, limit, size_hint, source, strict)
    except OSError as exc:
        raise _failure(exc, None, engine, limit, size_hint, source, {}) from None
    origins: Mapping[int, str] = {}
    try:
        origins = write(child.send)
        if meanwhile is not None:
            child.end_text()
            meanwhile()
        if alongside is not None:
            child.end_text()
            try:
                alongside(child.written_through, child.follow)
            except Exception:  # noqa: BLE001  (done again once dot has ended, where it counts)
                pass
    except BrokenPipeError:
        pass  # dot stopped reading: what it says, or the time limit, tells why
    finally:
        # The end of the text, or of a text cut short by an error: dot stops. An error of the
        # writing goes on once dot has ended.
        try:
            stdout, stderr = child.finish()
        except Exception as exc:  # noqa: BLE001  (told apart in _failure)
            failure: Optional[Exception] = exc
        else:
            failure = None
    if failure is not None:
        raise _failure(failure, None, engine, limit, size_hint, source, origins) from None
    return _drawing(stdout, stderr, output, engine, strict, source)


def _new_file(into: Optional[Callable[[], NewFile]]) -> Optional[NewFile]:
    """`into()`, or None where there is none or it cannot be made (then the drawing is written
    after, by the caller, which says why it cannot be)."""
    if into is None:
        return None
    from ..errors import OutputError

    try:
        return into()
    except OutputError:
        return None


def _stream_from_thread(
    write: Callable[[Callable[[str], None]], Mapping[int, str]],
    command: list[str],
    output: str,
    engine: str,
    limit: Optional[float],
    size_hint: str,
    source: str,
    strict: bool,
) -> bytes:
    """`stream_graphviz` where graphviz_child.py cannot run dot: `subprocess.run` in a thread of
    its own, reading the text from a pipe."""
    import subprocess
    import threading

    # The drawing goes to a file in memory, read at once when dot is done: through a pipe it
    # would come in thousands of small pieces, each a wake-up of the thread that reads it.
    drawing = os.memfd_create("salesflow-drawing", os.MFD_CLOEXEC) if hasattr(os, "memfd_create") else None
    reading, writing = os.pipe()
    outcome: list = []

    def run() -> None:
        try:
            completed = subprocess.run(
                command, stdin=reading, stdout=subprocess.PIPE if drawing is None else drawing,
                stderr=subprocess.PIPE, timeout=limit, env=_environment(),
            )
            completed.check_returncode()
            outcome.append(completed)
        except Exception as exc:  # noqa: BLE001  (raised in the writing thread, see below)
            outcome.append(exc)
        finally:
            os.close(reading)  # dot has its own copy; this one would keep a blocked writer waiting

    runner = threading.Thread(target=run, name="graphviz", daemon=True)
    runner.start()
    origins: Mapping[int, str] = {}
    try:
        origins = write(lambda text: _send(writing, text))
    except BrokenPipeError:
        pass  # dot stopped reading: what it says, or the time limit, tells why
    finally:
        os.close(writing)  # the end of the text, or of a text cut short by an error: dot stops
        runner.join()
        if drawing is not None:
            with open(drawing, "rb") as picture:  # closes it
                if outcome and not isinstance(outcome[0], Exception):
                    picture.seek(0)
                    outcome[0].stdout = picture.read()
    if isinstance(outcome[0], Exception):
        raise _failure(outcome[0], None, engine, limit, size_hint, source, origins) from None
    return _drawing(outcome[0].stdout, outcome[0].stderr, output, engine, strict, source)


def _send(descriptor: int, text: str) -> None:
    data = memoryview(text.encode("utf-8"))
    while data:
        data = data[os.write(descriptor, data):]


def _environment() -> dict[str, str]:
    return {**os.environ, "TZ": "UTC"}


def _command(
    engine: str, output: str, graph_options: Sequence[str], layout_first: bool = False, keep_positions: bool = False,
    layout_after: bool = False,
) -> list[str]:
    if engine not in ENGINES:
        raise RenderError(_("unknown layout engine `{engine}`; use one of {choices}", engine=engine, choices=", ".join(ENGINES)))
    if output not in OUTPUTS and output not in (_LAYOUT, _LAID_OUT, SIZE_ONLY):
        raise RenderError(_("unknown picture format `{output}`; use one of {choices}", output=output, choices=", ".join(OUTPUTS)))
    command = [engine, *(["-n2"] if keep_positions else []), *([f"-T{_FIRST_LAYOUT}"] if layout_first else []), f"-T{output}"]
    if layout_after:
        command.append(f"-T{_FIRST_LAYOUT}")
    if output == "png" and not any(option.startswith("dpi=") for option in graph_options):
        command.append(f"-Gdpi={PNG_DPI}")
    return command + [f"-G{option}" for option in graph_options]


def _graphviz_package():
    try:
        import graphviz  # noqa: F401  (the package that finds and runs the Graphviz programs)
        from graphviz.backend import execute
    except ImportError:
        raise RenderError(
            _("the Python package `{package}` is missing; reinstall salesflow ({command})",
              package="graphviz", command="`pip install salesflow`")
        ) from None
    return graphviz, execute


def _failure(
    exc: Exception, graphviz, engine: str, limit: Optional[float], size_hint: str, source: str,
    origins: Mapping[int, str],
) -> Exception:
    """The RenderError that says what went wrong running Graphviz (`graphviz`: the package, when
    it ran Graphviz; None when `stream_graphviz` did)."""
    where = f"{source}: " if source else ""
    missing = isinstance(exc, FileNotFoundError) and exc.errno == errno.ENOENT
    if missing or (graphviz is not None and isinstance(exc, graphviz.ExecutableNotFound)):
        return RenderError(_("Graphviz `{engine}` was not found on PATH; {hint}", engine=engine, hint=install_hint()))
    import subprocess  # for its exceptions: a drawing that succeeds does without it (graphviz_child.py)

    if isinstance(exc, subprocess.TimeoutExpired):
        alternative = (
            _("try {option}, which lays out large charts much faster (without swimlanes)", option="`--engine sfdp`")
            if engine != "sfdp"
            else _("allow more time with {option}", option="`--timeout SECONDS`")
        )
        late = (
            _("Graphviz `{engine}` did not finish within {seconds} s laying out {size}",
              engine=engine, seconds=format(limit, "g"), size=size_hint)
            if size_hint
            else _("Graphviz `{engine}` did not finish within {seconds} s", engine=engine, seconds=format(limit, "g"))
        )
        return RenderError(where + _(
            "{problem}; split the chart into smaller ones (for example one per department or stage), or {alternative}",
            problem=late, alternative=alternative,
        ))
    if isinstance(exc, subprocess.CalledProcessError):  # graphviz's own is one too
        error, element = _first_error(exc.stderr, origins)
        place = f"{element or source}: " if element or source else ""
        return GraphvizFailed(place + _("Graphviz `{engine}` failed: {error}", engine=engine, error=error))
    if isinstance(exc, OSError):
        return RenderError(_("cannot run Graphviz `{engine}`: {error}", engine=engine, error=exc.strerror or exc))
    return exc


def _drawing(stdout: bytes, stderr: Optional[bytes], output: str, engine: str, strict: bool, source: str) -> bytes:
    """The picture Graphviz drew (`stdout`), checked for links it could not route when `strict`."""
    data = stdout
    if strict:
        messages = (stderr or b"").decode("utf-8", "replace")
        trouble = next((line.strip() for line in messages.splitlines() if any(t in line for t in ROUTING_TROUBLE)), None)
        if trouble is not None:
            where = f"{source}: " if source else ""
            raise GraphvizStrayed(where + _("Graphviz `{engine}` could not route a link: {trouble}", engine=engine, trouble=trouble))
    if output == "pdf":
        data = _fixed_pdf_date(data)
    return data


# Read only when Graphviz fails: compiled then, so that a drawing does without `re`.
_DOT_LINE = LazyRegex(r"\bin line (\d+)\b")
_IN_LABEL = LazyRegex(r"^in label of (?:node|edge|graph|cluster) ")


def _first_error(stderr: Union[bytes, str, None], origins: Mapping[int, str]) -> tuple[str, str]:
    """Graphviz's first error line, and the chart element it is about when that can be told: from
    the DOT line it names, or else its `in label of edge A -> B` line."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else (stderr or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error")] or lines
    if not errors:
        return _("no message (it may have crashed)"), ""
    error = errors[0]
    in_label = next((line for line in lines if _IN_LABEL.match(line)), None)
    dot_line = _DOT_LINE.search(error)
    # An error inside an HTML-like label counts lines of the label, not of the DOT text.
    if dot_line and in_label is None and int(dot_line.group(1)) in origins:
        return error, origins[int(dot_line.group(1))]
    return (f"{error} ({in_label})" if in_label else error), ""


_PDF_DATE = rb"/CreationDate \(D:(\d{14})([^)]*)\)"


def _fixed_pdf_date(data: bytes) -> bytes:
    """The PDF with its creation date fixed, the same length so the cross-reference table holds
    (the zone suffix is cairo's `Z`, as Graphviz runs in UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(int(epoch))) if epoch.isdigit() else "20000101000000"

    replacement = b"/CreationDate (D:" + stamp.encode("ascii") + rb"\2)"
    import re  # a PDF only: an SVG is drawn without it

    return re.sub(_PDF_DATE, replacement, data)


def size_hint(process: Process) -> str:
    return _("{nodes} nodes and {edges} edges", nodes=format(len(process.nodes), ","), edges=format(len(process.edges), ","))


# ---------------------------------------------------------------------------------------------
# Picture size: where the PNG is read


SMALLEST_TEXT_PX = 11.0  # CSS px: the smallest text a reader takes in without zooming
NATURAL_PX_PER_PT = 4 / 3  # how browsers and viewers show a drawing measured in points, at 100%
MAX_SIDE_PX = 32_000  # cairo draws no bitmap larger than 32,767 pixels a side


# Named tuples written as classes (salesflow.records.Fields), not dataclasses nor
# typing.NamedTuple: those compile code at every start (a NamedTuple each field's annotation).
class Fit(Fields):
    """Where a picture is read: how many CSS px it is shown across, and how many image pixels
    the screen there has per CSS px (more would only make the file bigger)."""

    __slots__ = ()
    _fields = (
        "name",  # str
        "shown_px",  # float
        "pixel_ratio",  # float
        "fills_width",  # bool: shown across the whole width whatever its own size (chat apps do)
        "where",  # str: for messages
    )

    def __new__(cls, name, shown_px, pixel_ratio, fills_width, where):
        return tuple.__new__(cls, (name, shown_px, pixel_ratio, fills_width, where))


FITS = {
    # Chat apps show a shared picture across the phone's width (and a tall one scrolls). A common
    # phone is 390 CSS px wide with about 1,080 screen pixels across, which is also the width chat
    # apps keep when they compress a picture: a 1,080 px picture is sharp there and no larger.
    "phone": Fit("phone", 390, 1080 / 390, True, "a phone's width (390 px)"),
    # A laptop or desktop screen: the picture at the size viewers show a drawing at 100%, narrowed
    # to the 1,280 px of a common screen when wider, at twice the pixels for high-density screens.
    "screen": Fit("screen", 1280, 2.0, False, "a 1,280 px screen"),
}


class Layout(Fields):
    """A laid-out drawing's size in points, margin included, and its smallest text."""

    __slots__ = ()
    _fields = (
        "width_pt",  # float
        "height_pt",  # float
        "smallest_text_pt",  # float
    )

    def __new__(cls, width_pt, height_pt, smallest_text_pt):
        return tuple.__new__(cls, (width_pt, height_pt, smallest_text_pt))


class Sizing(Fields):
    """How a drawing is shown where it is read, and the picture that serves it."""

    __slots__ = ()
    _fields = (
        "layout",  # Layout
        "px_per_pt",  # float: CSS px per point as shown
        "width_px",  # int: the picture's width in image pixels
    )

    def __new__(cls, layout, px_per_pt, width_px):
        return tuple.__new__(cls, (layout, px_per_pt, width_px))

    @property
    def smallest_text_px(self) -> float:
        return self.layout.smallest_text_pt * self.px_per_pt

    @property
    def legible(self) -> bool:
        return self.smallest_text_px >= SMALLEST_TEXT_PX - 0.05


def measure(dot_text: str, engine: str = "dot", timeout: Optional[float] = DEFAULT_TIMEOUT, **where: object) -> Layout:
    """Lay `dot_text` out (Graphviz `-Tjson`, no picture) and measure the drawing and its text;
    `where` as `run_graphviz` takes it (`strict` too)."""
    import json

    return layout_of(json.loads(run_graphviz(dot_text, _LAYOUT, engine, timeout, **where)))  # type: ignore[arg-type]


def layout_of(data: dict) -> Layout:
    """The size and smallest text of a drawing Graphviz laid out (its `-Tjson`, parsed)."""
    x0, y0, x1, y1 = (float(v) for v in str(data.get("bb", "0,0,0,0")).split(","))
    margin = 2 * 72 * _inches(data.get("pad"), 4 / 72)  # Graphviz's default pad is 4 pt a side
    sizes = [
        float(operation["size"])
        for element in [data, *data.get("objects", ()), *data.get("edges", ())]
        for key, operations in element.items()
        if key.startswith("_") and key.endswith("draw_")
        for operation in operations
        if operation.get("op") == "F"
    ]
    return Layout(x1 - x0 + margin, y1 - y0 + margin, min(sizes, default=14.0))


def _inches(value: object, default: float) -> float:
    try:
        return float(str(value).split(",")[0])
    except ValueError:
        return default


def sizing(layout: Layout, fit: Fit) -> Sizing:
    """The scale at which the drawing is shown where `fit` says, and the picture's width.

    When the drawing would be shown so small that its text falls under `SMALLEST_TEXT_PX`, the
    picture is drawn at the scale where the text reaches it, wider than the place it is shown:
    a reader then zooms in (on a phone) or scrolls (on a screen) and still sees sharp letters.
    """
    across = fit.shown_px / layout.width_pt
    shown = across if fit.fills_width else min(NATURAL_PX_PER_PT, across)
    legible = SMALLEST_TEXT_PX / layout.smallest_text_pt
    if shown >= legible:
        return Sizing(layout, shown, round(layout.width_pt * shown * fit.pixel_ratio))
    width = round(layout.width_pt * legible * fit.pixel_ratio)
    return Sizing(layout, shown, max(width, round(fit.shown_px * fit.pixel_ratio)))


def fitting_layouts(process: Process, direction: Optional[str] = None, wrap: Optional[int] = None) -> list[dict]:
    """The ways to draw `process` that a fit tries, in order of preference (each: options of
    `dot.to_dot`): as it is; a sideways chart top to bottom; then narrow drawings (text no
    smaller than 11 pt, narrower boxes, see `dot.Options.narrow`): in its own direction, as one
    column running down, as rows of one stage each (lanes stacked as bands, loops round the
    side), as one column whose stages name their lane, and as rows of one stage each whose
    links back or past the next row are jumps (`dot.Options.jumps`: lettered marks instead of
    lines running side by side down the page). A `direction` or `wrap` the user gave is kept
    in every one."""
    own = {"direction": direction, "wrap": wrap}
    column_wrap = 0 if wrap is None else wrap
    layouts: list[dict] = [own]
    if direction is None and process.direction in ("LR", "RL"):
        layouts.append({"direction": "TB", "wrap": wrap})
    layouts.append(dict(own, narrow=True))
    if direction is None:
        layouts.append({"direction": "TB", "wrap": column_wrap, "narrow": True})
    if direction is None:
        layouts.append({"direction": "LR", "wrap": 1 if wrap is None else wrap, "narrow": True})
    if process.lanes:
        layouts.append({"direction": direction or "TB", "wrap": column_wrap, "narrow": True, "lanes": False})
    if direction is None and wrap is None:
        layouts.append({"direction": "LR", "wrap": 1, "narrow": True, "jumps": True})
    return layouts


def fitted(
    layouts: Sequence[dict],
    dot_text: Callable[..., tuple[str, Mapping[int, str]]],
    size: Callable[[str, Mapping[int, str]], Sizing],
) -> tuple[str, Mapping[int, str], Sizing]:
    """The first of `layouts` whose text reads (see `Sizing.legible`): the chart stays as close
    to its own look as it can; when none does, the most readable one. `dot_text(**layout)`
    writes a layout's DOT, `size(text, origins)` measures it. A layout Graphviz gives up on is
    passed over (raised only when it gives up on every one)."""
    best: Optional[tuple[str, Mapping[int, str], Sizing]] = None
    failure: Optional[GraphvizFailed] = None
    for layout in layouts:
        text, origins = dot_text(**layout)
        try:
            measured = size(text, origins)
        except GraphvizFailed as exc:  # dot gives up on a few drawings: another layout will do
            failure = failure or exc
            continue
        if best is None or measured.smallest_text_px > best[2].smallest_text_px + 0.05:
            best = (text, origins, measured)
        if measured.legible:
            break
    if best is None:
        if failure is not None:
            raise failure
        raise ValueError("no layout to try")
    return best


def _size_options(width_px: int, dpi: Optional[float] = None) -> list[str]:
    """Graph attributes that make Graphviz draw exactly `width_px` pixels wide (the height
    follows the drawing's proportions, up to cairo's limit)."""
    resolution = dpi or 96.0
    return [f"dpi={resolution:g}", f"size={width_px / resolution:.4f},{MAX_SIDE_PX / resolution:.4f}!"]


def draw(
    process: Process,
    output: str = "svg",
    *,
    engine: str = "dot",
    timeout: Optional[float] = DEFAULT_TIMEOUT,
    show_meta: bool = True,
    findings: Optional[Sequence[Finding]] = None,
    font: str = dot.FONT,
    direction: Optional[str] = None,
    wrap: Optional[int] = None,
    width: Optional[int] = None,
    dpi: Optional[float] = None,
    fit: Optional[str] = None,
    warn: Optional[Callable[[str], None]] = None,
    encoded: bool = False,
    into: Optional[Callable[[], NewFile]] = None,
) -> Union[str, bytes]:
    """The process drawn by Graphviz: SVG as text (as UTF-8 bytes when `encoded`: what a file
    gets, without decoding it first), PNG and PDF as bytes. `into()`: the output file's new
    content (output.NewFile), which a large chart's SVG may be written into while dot draws
    it (streamed.py, `stream_graphviz`).

    For PNG, `width` (pixels) or `dpi` sets the size, or `fit` (a key of `FITS`) chooses it for
    where the picture is read; a sideways chart that is too wide there is drawn top to bottom
    unless `direction` is given, and `warn` hears when even that leaves the
    text too small. `direction` and `wrap` override the chart's direction and the wrapping of a long flow.

    When `dot` gives up on the drawing (it does on a few charts with a label on a link that
    leads past stages of a wrapped row), the chart is drawn once more with such links round the
    outside of their row (`dot.Options.around`), which `dot` can route; if `dot` still fails
    (`dot` 2.43 crashes on a few lane charts drawn top-down with findings highlighted), without
    lane bands, each stage naming its lane, and `warn` hears of it. A drawing in which `dot`
    could not route a link (`GraphvizStrayed`: it draws the link off its course) is redrawn the
    same way, and kept only when no redrawing routes every link, before lanes are given up.
    """
    arguments = dict(
        engine=engine, timeout=timeout, show_meta=show_meta, findings=findings, font=font, direction=direction,
        wrap=wrap, width=width, dpi=dpi, fit=fit, warn=warn, encoded=encoded, into=into,
    )
    try:
        return _draw(process, output, around=False, lanes=True, strict=True, **arguments)  # type: ignore[arg-type]
    except GraphvizFailed as failure:
        first_failure = failure
        options = dict(show_meta=show_meta, findings=findings, font=font, engine=engine, direction=direction, wrap=wrap)
        plain = dot.to_dot(process, **options)  # type: ignore[arg-type]
        ways = [(False, True)]  # (around, lanes)
        if dot.to_dot(process, around=True, **options) != plain:  # type: ignore[arg-type]
            ways.append((True, True))
        if dot.to_dot(process, around=True, lanes=False, **options) != plain:  # type: ignore[arg-type]
            ways.append((True, False))
        # Every way with the lanes first, each with its links routed, else as dot drew it.
        # (A fit passes over layouts dot strays on, and may have failed on the first after them.)
        strayed = {(False, True): isinstance(failure, GraphvizStrayed) or fit is not None}
        attempts = [(way, True) for way in ways[1:] if way[1]] + [(way, False) for way in ways if way[1]]
        attempts += [(way, strict) for way in ways if not way[1] for strict in (True, False)]
        for (around, lanes), strict in attempts:
            if not strict and not strayed.get((around, lanes)):
                continue  # dot gave up on it: no use drawing it again
            try:
                drawing = _draw(process, output, around=around, lanes=lanes, strict=strict, **arguments)  # type: ignore[arg-type]
            except GraphvizFailed as retry_failure:
                strayed[(around, lanes)] = isinstance(retry_failure, GraphvizStrayed)
                continue
            if not lanes and warn is not None:
                warn(WITHOUT_LANES.format(path=process.path or "chart"))
            return drawing
        raise first_failure


WITHOUT_LANES = (
    "{path}: warning: Graphviz could not lay the lanes out as bands, so the chart is drawn without them and "
    "each stage names its lane; drawing it the other way (--direction) or without --highlight may give the bands back"
)


def _draw(
    process: Process,
    output: str,
    *,
    around: bool,
    lanes: bool,
    strict: bool,
    engine: str,
    timeout: Optional[float],
    show_meta: bool,
    findings: Optional[Sequence[Finding]],
    font: str,
    direction: Optional[str],
    wrap: Optional[int],
    width: Optional[int],
    dpi: Optional[float],
    fit: Optional[str],
    warn: Optional[Callable[[str], None]],
    encoded: bool,
    into: Optional[Callable[[], NewFile]],
) -> Union[str, bytes]:
    def dot_text(**layout: object) -> tuple[str, Mapping[int, str]]:
        chosen = {"lanes": lanes, **layout}
        return dot.dot_with_origins(
            process, show_meta=show_meta, findings=findings, font=font, engine=engine, around=around,
            **chosen,  # type: ignore[arg-type]
        )

    where = {"size_hint": size_hint(process), "source": process.path}
    graph_options: list[str] = []
    if output == "png" and fit is not None:
        if fit not in FITS:
            raise RenderError(_("unknown picture fit `{fit}`; use one of {choices}", fit=fit, choices=", ".join(FITS)))
        text, origins, chosen = fitted(
            fitting_layouts(process, direction, wrap), dot_text,
            lambda candidate, candidate_origins: sizing(
                measure(candidate, engine, timeout, origins=candidate_origins, strict=strict, **where),  # type: ignore[arg-type]
                FITS[fit],
            ),
        )
        if not chosen.legible and warn is not None:
            warn(_too_small(process.path, FITS[fit], chosen))
        graph_options = _size_options(min(chosen.width_px, MAX_SIDE_PX))
        data = run_graphviz(
            text, output, engine, timeout, origins=origins, graph_options=graph_options, strict=strict,
            repair=repairs(process, engine, output), **where,  # type: ignore[arg-type]
        )
    else:
        if output == "png" and width is not None:
            graph_options = _size_options(width, dpi)
        elif output == "png" and dpi is not None:
            graph_options = [f"dpi={dpi:g}"]

        def write(send: Callable[[str], None]) -> Mapping[int, str]:
            return dot.stream_dot(
                process, send, show_meta=show_meta, findings=findings, font=font, engine=engine, around=around,
                lanes=lanes, direction=direction, wrap=wrap,
            )

        data = stream_graphviz(
            write, output, engine, timeout, graph_options=graph_options, strict=strict,
            repair=repairs(process, engine, output), into=into, **where,  # type: ignore[arg-type]
        )
    return data.decode("utf-8") if output == "svg" and not encoded else data


# Outputs whose drawing costs far more than the layout: a chart that may need a repair is laid
# out first with no drawing (`-Tjson0 -Tdot`), then drawn once, repaired or not (`_drawn_once`).
# Drawn with its layout, a PNG that needed a repair was drawn twice, by dot and again by neato
# (`render -f png`, median wall time: six-lanes-40 0.66 s, now 0.39; the bench's 200-stage chart
# 2.26 s, now 1.20). Without a repair it costs a second layout: 0.02 s on the samples. Over the
# layout corpus and the samples, both ways, 26 of 116 drawings have something to repair.
LAID_OUT_FIRST = ("png",)
REROUTE_MAX_NODES = 60  # stages; up to it dot's layout comes with every drawing, to check it for repairs (see reroute.py)
# Stages; above it a drawing is not repaired. A 1,000-stage chart's repair took 2.2-3 s of CPU (a
# second dot run, relabel.py's plan 0.5 s, neato -n2), where dot alone draws it in about 0.5 s.
REPAIR_MAX_NODES = 200
ROUTES_MAX = 8  # links a large chart has drawn anew at most, in the order they were written: each is a search
ROUTE_CELLS_MAX = 20_000  # grid cells (reroute.CELL) round a large chart's link's stages, at most, for it to be routed
LOOK_FIRST = "look first"  # `repair` of a large chart's SVG: dot's layout is asked for only when svg_look.py finds a maybe
LANES_ONLY = "lanes only"  # `repair` of a chart too large for the others: its lanes stretched, nothing else
# Outputs of a chart that large drawn with its lanes where dot ends them: neato's PNG of the stretched
# layout has an alpha channel and a canvas measured anew, and took 6.7 s for dot's 4.8 at 1,000 stages.
LANES_AS_DRAWN = ("png",)


def repairs(process: Process, engine: str = "dot", output: str = "svg") -> Union[bool, str]:
    """Whether a drawing of `process` is checked for links `dot` draws the long way round and
    labels it sets over stages, to draw them anew (`repair` of `run_graphviz`): every drawing
    a user is given asks this. A chart of more than REROUTE_MAX_NODES stages drawn as SVG is
    first looked over in its SVG (`LOOK_FIRST`): reading dot's JSON layout costs 13 ms at 200
    stages, the look 4 ms; dot writes the layout after the SVG all the same (`split_drawing`).
    Over REPAIR_MAX_NODES only the lanes are stretched to one length (`LANES_ONLY`). An SVG's are
    planned from the SVG and drawn into it (lane_ends.plan_drawn): a few milliseconds and no layout
    (at 2,000 stages reading dot's JSON alone took longer than writing the chart's DOT). A PDF, or
    the layout the exports read, is laid out first and drawn once (`_drawn_once`), by neato when
    the lanes are stretched: `render -f pdf` of the bench's 1,000-stage chart 0.33 → 0.57 s, of its
    2,000-stage one 0.53 → 0.99 s. Not a PNG (`LANES_AS_DRAWN`), nor a chart without lanes."""
    if engine != "dot":
        return False
    if len(process.nodes) > REPAIR_MAX_NODES:
        return LANES_ONLY if process.lanes and output not in LANES_AS_DRAWN else False
    if len(process.nodes) > REROUTE_MAX_NODES and output == "svg":
        return LOOK_FIRST
    return True


def _lanes_stretched(drawing: bytes) -> bytes:
    """`drawing` (dot's SVG) with its lanes stretched to one length (`LANES_ONLY`); as it is
    when they are in line, or when the stretch cannot be drawn into it for sure."""
    from . import lane_ends, svg_redraw

    stretches = lane_ends.plan_drawn(drawing)
    if not stretches:
        return drawing
    return svg_redraw.stretched_lanes(drawing, stretches) or drawing


def _kept(send: Callable[[str], None], written: list[str]) -> Callable[[str], None]:
    """`send`, keeping what it sends in `written` (for a second run on the same text)."""

    def keeping(text: str) -> None:
        written.append(text)
        send(text)

    return keeping


def split_layout(data: bytes) -> tuple[dict, bytes]:
    """The layout (`-Tjson0`, parsed) and the drawing of a run that gave both, one after the
    other: Graphviz ends the JSON document with a closing brace on a line of its own, the only
    one not indented."""
    import json

    end = data.index(b"\n}\n") + 3
    return json.loads(data[:end]), data[end:]


def _rerouted(
    data: bytes, dot_text: str, output: str, timeout: Optional[float], graph_options: Sequence[str], **where: str,
) -> bytes:
    """The drawing of a run with its layout first, with the links drawn the long way round
    routed anew (reroute.py) and the labels set over a stage or another label moved beside
    their links (relabel.py); as dot drew it when there are none, or none can be."""
    layout, drawing = split_layout(data)
    laid_out = _laid_out_again(lambda: dot_text, timeout, graph_options, **where)
    return _mended(drawing, layout, laid_out, output, timeout, graph_options, bounded=_bounded(layout), **where)


def _bounded(layout: dict) -> bool:
    """Whether the router's work on `layout` is bounded (see `_mended`): more than
    REROUTE_MAX_NODES stages."""
    return sum(1 for obj in layout.get("objects", ()) if str(obj.get("id", "")).startswith("sf-node-")) > REROUTE_MAX_NODES


def _drawn_once(
    data: bytes, dot_text: str, output: str, engine: str, timeout: Optional[float], graph_options: Sequence[str],
    strict: bool, lanes_only: bool = False, **where: str,
) -> bytes:
    """A picture of a chart that may need a repair (a PNG, see LAID_OUT_FIRST; or, `lanes_only`, a
    chart too large for the repairs but the lanes' stretch, `LANES_ONLY`, in any output but SVG),
    drawn once, after the run that gave its layout and the layout's `-Tdot` text (`data`): the
    repaired text drawn by `neato -n2`, or when there is nothing to repair (or the repair fails),
    `dot`'s own drawing of `dot_text`, laid out again (what `dot` alone draws, byte for byte)."""
    from . import lane_ends

    layout, laid_out = split_layout(data)
    routes, moves, stretches = ([], [], lane_ends.plan(layout)) if lanes_only else _plans(layout, _bounded(layout))
    if routes or moves or stretches:
        try:
            return _by_neato(laid_out.decode("utf-8"), routes, moves, stretches, output, timeout, graph_options, **where)
        except RenderError:
            pass  # dot's own drawing, as _mended gives it
    return stream_graphviz(_whole(dot_text), output, engine, timeout, graph_options=graph_options, strict=strict, **where)


def _laid_out_again(
    dot_text: Callable[[], str], timeout: Optional[float], graph_options: Sequence[str], **where: str,
) -> Callable[[], str]:
    """What gives dot's `-Tdot` text of `dot_text()` (every position written, for `neato -n2`),
    from a second run of dot: asked for only when a repair is drawn by neato."""

    def laid_out() -> str:
        return stream_graphviz(_whole(dot_text()), _LAID_OUT, "dot", timeout, graph_options=graph_options, **where).decode("utf-8")

    return laid_out


def _looked_over(
    data: bytes, dot_text: Callable[[], str], output: str, timeout: Optional[float], graph_options: Sequence[str],
    early: Optional[dict] = None, **where: str,
) -> bytes:
    """A large chart's SVG as dot drew it (a run with the layout after the drawing, see
    `split_drawing`), mended as `_rerouted` mends a drawing when svg_look.py finds something
    that may need it; the layout is read only then. `early`: what `_look_alongside` found
    while dot wrote the rest, used where it read the same output. `dot_text()`: the DOT text
    drawn, for a repair neato draws."""
    from . import svg_look

    early = early or {}
    drawing, layout_after = split_drawing(data)
    if early.get("drawing") != drawing:
        early = {}
    if early.get("fine") or (not early and not svg_look.needs_a_look(drawing)):
        return drawing
    if early.get("redrawn") is not None:
        return early["redrawn"]
    laid_out = _laid_out_again(dot_text, timeout, graph_options, **where)
    if "plans" in early and layout_after.startswith(early["layout"]):
        return _mended(
            drawing, early["layout_read"], laid_out, output, timeout, graph_options, planned=early["plans"],
            started=early, redrawn=False, **where,
        )
    layout, _rest = split_layout(layout_after)
    return _mended(drawing, layout, laid_out, output, timeout, graph_options, bounded=True, **where)


def _look_alongside(
    written_through: Callable[[bytes, int], Optional[bytes]], early: dict, start_redrawing: Callable[[], object],
) -> None:
    """The look, and the plans of a drawing it finds a maybe in, made while dot writes what
    follows each (the drawing of a large chart, then its layout; see `split_drawing`), into
    `early`: `drawing`, and `fine` (nothing to mend) or the `layout`'s text (and `layout_read`,
    parsed) and its `plans`, and when they mend something,
    the SVG with the repair drawn in (`redrawn`, svg_redraw.py), or when that cannot be sure,
    `neato`: the run that is to draw the repair, `start_redrawing()`. On the bench's 200-stage
    chart dot writes its layout for 13 ms after the drawing; the look takes 3 ms, the plans
    about 30 and the redrawing under 1."""
    import json

    from . import svg_look, svg_redraw

    svg = written_through(b"</svg>\n", 0)
    if svg is None:
        return
    early["drawing"] = svg
    if not svg_look.needs_a_look(svg):
        early["fine"] = True
        return
    through_layout = written_through(b"\n}\n", len(svg))
    if through_layout is None:
        return
    layout = through_layout[len(svg):]
    early["layout_read"] = layout_read = json.loads(layout)
    early["plans"] = routes, moves, stretches = _plans(layout_read, bounded=True)
    early["layout"] = layout
    if routes or moves or stretches:
        early["redrawn"] = svg_redraw.redraw(svg, layout_read, routes, moves, stretches)
        if early["redrawn"] is None:
            early["neato"] = start_redrawing()


def _ready_to_look() -> None:
    """What the look and a repair use, loaded and compiled while dot lays a large chart out: the
    Python process waits for dot then, and dot runs on a core of its own (a 200-stage chart's
    dot takes some 50 ms after the text's last line; this, 6-8 ms)."""
    import html  # noqa: F401  (svg_look.py reads the labels' text with it)
    import json  # noqa: F401
    import re

    from . import dot_attributes, lane_ends, laid_out_labels, relabel, reroute, svg_look, svg_redraw  # noqa: F401
    from .. import textwidth  # noqa: F401

    patterns = (
        *svg_look.PATTERNS, *lane_ends.PATTERNS, *laid_out_labels.PATTERNS, *dot_attributes.PATTERNS,
        *svg_redraw.PATTERNS,
    )
    for pattern in patterns:
        re.compile(pattern)  # kept in `re`'s cache for the modules' own calls


def split_drawing(data: bytes) -> tuple[bytes, bytes]:
    """The SVG drawing and what follows it, of a run that gave the drawing first (`layout_after`):
    an SVG ends with its closing tag on a line of its own, and no text inside it can hold that
    tag (its `<` is written `&lt;`).

    Why one run gives both for a large chart (the bench's 200-stage chart, CPU time of `dot`
    alone): `-Tsvg` 71 ms, `-Tsvg -Tjson0 -Tdot` 92 ms, where a second run of `-Tjson0 -Tdot`
    once the look found a maybe took 78 ms. Nearly every chart of this size has a maybe (85 of
    the 90 drawings of the bench charts of 61 to 200 stages, plain, highlighted and drawn
    top-down), so each pays for the layout to spare most a second run. The `-Tdot` text is no
    longer asked for with them (it cost 9 ms of dot's CPU, 47 → 55 → 64 ms when measured
    again): a repair is drawn into the SVG (svg_redraw.py), and only one it cannot be sure of,
    drawn by neato, runs dot again for that text."""
    end = data.index(b"</svg>\n") + len(b"</svg>\n")
    return data[:end], data[end:]


def _mended(
    drawing: bytes, layout: dict, laid_out: Callable[[], str], output: str, timeout: Optional[float],
    graph_options: Sequence[str], bounded: bool = False, planned: Optional[tuple] = None,
    started: Optional[dict] = None, redrawn: Optional[bool] = None, **where: str,
) -> bytes:
    """`drawing` with the links of `layout` (dot's `-Tjson0`) drawn the long way round routed
    anew and its covered labels moved: an SVG's drawn in place (svg_redraw.py), or, for
    another output or where that cannot be sure, by `neato -n2` from `laid_out()` (dot's
    `-Tdot` text of the same layout); `drawing` itself when there are none, or none can be.
    `bounded` (a chart of more than REROUTE_MAX_NODES stages): the router's work is bounded,
    see ROUTES_MAX and ROUTE_CELLS_MAX. `planned`: `_plans(layout, bounded)`, made already;
    `started`: where the `neato` run that draws it may have been started already (taken from it);
    `redrawn=False`: the SVG was tried in place already, and could not be."""
    routes, moves, stretches = planned if planned is not None else _plans(layout, bounded)
    if not routes and not moves and not stretches:
        return drawing
    if output == "svg" and redrawn is None:
        from . import svg_redraw

        # The SVG dot drew with only the repaired links, labels and lanes written anew: no
        # second Graphviz run, and dot's own canvas and look.
        in_place = svg_redraw.redraw(drawing, layout, routes, moves, stretches)
        if in_place is not None:
            return in_place
    try:
        neato = (started or {}).pop("neato", None)
        return _by_neato(laid_out(), routes, moves, stretches, output, timeout, graph_options, started=neato, **where)
    except RenderError:
        # The repair is an improvement on a drawing the user already has: when Graphviz refuses
        # the repaired text or runs out of time on it, dot's own drawing is given, not an error.
        return drawing


def _by_neato(
    laid_out: str, routes: Sequence, moves: Sequence, stretches: Sequence, output: str, timeout: Optional[float],
    graph_options: Sequence[str], started: Optional[object] = None, **where: str,
) -> bytes:
    """The repairs drawn by `neato -n2` from `laid_out` (dot's `-Tdot` text of the layout they were
    planned on), every other position kept; `started`: that neato run, started already."""
    from . import lane_ends, relabel, reroute

    more = {**relabel.label_changes(moves), **lane_ends.changes(stretches)}
    fixed = reroute.repaired_dot(laid_out, routes, more=more)
    ahead = {"started": started} if started is not None else {}
    return stream_graphviz(
        _whole(fixed), output, "neato", timeout, graph_options=graph_options, keep_positions=True, **ahead, **where,
    )


def _plans(layout: dict, bounded: bool) -> tuple[list, list, list]:
    """The new routes of the links of `layout` drawn the long way round, the moves of its
    covered labels and the stretches of its lanes out of line (reroute.plan, relabel.plan,
    lane_ends.plan), for `_mended`."""
    from . import lane_ends, relabel, reroute

    routed = reroute.Layout(layout)  # read once for both plans, the routes followed in it
    bounds = {"most": ROUTES_MAX, "cells": ROUTE_CELLS_MAX} if bounded else {}
    routes = reroute.plan(layout, routed=routed, **bounds)  # type: ignore[arg-type]
    moves = relabel.plan(layout, routes, routed=routed)  # labels over a stage or another label, set beside their link
    return routes, moves, lane_ends.plan(layout)


def _whole(text: str, origins: Optional[Mapping[int, str]] = None) -> Callable[[Callable[[str], None]], Mapping[int, str]]:
    """A `write` for `stream_graphviz` that sends `text` at once, and returns its `origins` (see
    `run_graphviz`). The repairs' runs of Graphviz go that way rather than through
    `run_graphviz`: the graphviz package, and `subprocess` with it, would be imported for them
    alone (8% of the instructions of the Python process drawing the bench's 200-stage chart)."""

    def write(send: Callable[[str], None]) -> Mapping[int, str]:
        send(text)
        return origins or {}

    return write


def _too_small(path: str, fit: Fit, chosen: Sizing) -> str:
    return (
        f"{path or 'chart'}: warning: shown across {fit.where}, the chart's smallest text is "
        f"{chosen.smallest_text_px:.1f} px, under the {SMALLEST_TEXT_PX:g} px read without zooming; the picture "
        f"is {chosen.width_px:,} px wide so it stays sharp when zoomed. A narrower chart reads better there: "
        "fewer stages side by side, --no-meta, or one chart per department"
    )


def render(process: Process, **options: object) -> Union[str, bytes]:
    """`render -f svg|png|pdf`; the format comes in as `output`."""
    timeout = options.get("timeout", DEFAULT_TIMEOUT)
    width, dpi, fit = options.get("width"), options.get("dpi"), options.get("fit")
    return draw(
        process,
        str(options.get("output") or "svg"),
        engine=str(options.get("engine") or "dot"),
        timeout=float(timeout) if timeout is not None else None,  # type: ignore[arg-type]
        show_meta=bool(options.get("show_meta", True)),
        findings=options.get("findings") or (),  # type: ignore[arg-type]
        font=str(options.get("font") or dot.FONT),
        direction=options.get("direction") or None,  # type: ignore[arg-type]
        wrap=options.get("wrap"),  # type: ignore[arg-type]
        width=int(width) if width else None,  # type: ignore[call-overload]
        dpi=float(dpi) if dpi else None,  # type: ignore[arg-type]
        fit=str(fit) if fit else None,
        warn=options.get("warn"),  # type: ignore[arg-type]
        encoded=bool(options.get("encoded")),
        into=options.get("into"),  # type: ignore[arg-type]
    )
