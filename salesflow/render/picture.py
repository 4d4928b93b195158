"""`render -f svg|png|pdf`: the DOT graph of `dot.py`, laid out and drawn by the real Graphviz.

Graphviz runs as a child process through the `graphviz` package, with a time limit: a very large
chart can keep `dot` busy for minutes, and a user is better served by a message that says what to
do. Outputs are byte-identical for the same input: SVG and PNG are already, and the creation date
that cairo writes into a PDF is replaced by a fixed one (or by `SOURCE_DATE_EPOCH` when set, the
convention of reproducible builds), in UTC: Graphviz runs with `TZ=UTC`, since cairo writes the
date in the local time zone and the zone's offset (`+08'00`) would stay in the file otherwise.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from typing import Mapping, Optional, Sequence, Union

from ..errors import RenderError
from ..findings import Finding
from ..model import Process
from . import dot

ENGINES = ("dot", "sfdp", "fdp", "neato")
OUTPUTS = ("svg", "png", "pdf")
DEFAULT_TIMEOUT = 60.0  # seconds
PNG_DPI = 144  # twice the screen default: sharp on high-density screens and in print

INSTALL_HINT = (
    "install Graphviz: `sudo apt-get install graphviz` on Debian or Ubuntu, `brew install graphviz` on macOS"
)


def run_graphviz(
    dot_text: str,
    output: str,
    engine: str = "dot",
    timeout: Optional[float] = DEFAULT_TIMEOUT,
    size_hint: str = "",
    source: str = "",
    origins: Optional[Mapping[int, str]] = None,
) -> bytes:
    """Lay out and draw `dot_text` with Graphviz `engine`; return the `output` file's bytes.

    Raises RenderError when Graphviz is missing, fails, or runs longer than `timeout` seconds
    (None or 0: no limit). `size_hint` ("1,200 nodes and 1,500 edges") goes into that message;
    `source` (the chart's file) starts the messages about the chart, and `origins` (see
    `dot.dot_with_origins`) lets a Graphviz error name the element it is about.
    """
    where = f"{source}: " if source else ""
    if engine not in ENGINES:
        raise RenderError(f"unknown layout engine `{engine}`; use one of {', '.join(ENGINES)}")
    if output not in OUTPUTS:
        raise RenderError(f"unknown picture format `{output}`; use one of {', '.join(OUTPUTS)}")
    try:
        import graphviz  # noqa: F401  (the package that finds and runs the Graphviz programs)
        from graphviz.backend import execute
    except ImportError:
        raise RenderError(
            "the Python package `graphviz` is missing; reinstall salesflow (`pip install salesflow`)"
        ) from None

    command = [engine, f"-T{output}"]
    if output == "png":
        command.append(f"-Gdpi={PNG_DPI}")
    limit = timeout if timeout and timeout > 0 else None
    try:
        completed = execute.run_check(
            command,
            input=dot_text.encode("utf-8"),
            capture_output=True,
            quiet=True,
            timeout=limit,
            env={**os.environ, "TZ": "UTC"},
        )
    except graphviz.ExecutableNotFound:
        raise RenderError(f"Graphviz `{engine}` was not found on PATH; {INSTALL_HINT}") from None
    except subprocess.TimeoutExpired:
        what = f" laying out {size_hint}" if size_hint else ""
        alternative = (
            "try `--engine sfdp`, which lays out large charts much faster (without swimlanes)"
            if engine != "sfdp"
            else "allow more time with `--timeout SECONDS`"
        )
        raise RenderError(
            f"{where}Graphviz `{engine}` did not finish within {limit:g} s{what}; split the chart into "
            f"smaller ones (for example one per department or stage), or {alternative}"
        ) from None
    except graphviz.CalledProcessError as exc:
        error, element = _first_error(exc.stderr, origins or {})
        raise RenderError(f"{element or source}{': ' if element or source else ''}Graphviz `{engine}` failed: {error}") from None
    except OSError as exc:
        raise RenderError(f"cannot run Graphviz `{engine}`: {exc.strerror or exc}") from None
    data = completed.stdout
    if output == "pdf":
        data = _fixed_pdf_date(data)
    return data


_DOT_LINE = re.compile(r"\bin line (\d+)\b")
_IN_LABEL = re.compile(r"^in label of (?:node|edge|graph|cluster) ")


def _first_error(stderr: Union[bytes, str, None], origins: Mapping[int, str]) -> tuple[str, str]:
    """Graphviz's first error line, and the chart element it is about when that can be told: from
    the DOT line it names, or else its `in label of edge A -> B` line."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else (stderr or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error")] or lines
    if not errors:
        return "no message (it may have crashed)", ""
    error = errors[0]
    in_label = next((line for line in lines if _IN_LABEL.match(line)), None)
    dot_line = _DOT_LINE.search(error)
    # An error inside an HTML-like label counts lines of the label, not of the DOT text.
    if dot_line and in_label is None and int(dot_line.group(1)) in origins:
        return error, origins[int(dot_line.group(1))]
    return (f"{error} ({in_label})" if in_label else error), ""


_PDF_DATE = re.compile(rb"/CreationDate \(D:(\d{14})([^)]*)\)")


def _fixed_pdf_date(data: bytes) -> bytes:
    """The PDF with its creation date fixed, the same length so the cross-reference table holds
    (the zone suffix is cairo's `Z`, as Graphviz runs in UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(int(epoch))) if epoch.isdigit() else "20000101000000"

    replacement = b"/CreationDate (D:" + stamp.encode("ascii") + rb"\2)"
    return _PDF_DATE.sub(replacement, data)


def size_hint(process: Process) -> str:
    return f"{len(process.nodes):,} nodes and {len(process.edges):,} edges"


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
) -> Union[str, bytes]:
    """The process drawn by Graphviz: SVG as text, PNG and PDF as bytes."""
    text, origins = dot.dot_with_origins(
        process, show_meta=show_meta, findings=findings, font=font, engine=engine, direction=direction, wrap=wrap
    )
    data = run_graphviz(text, output, engine, timeout, size_hint(process), process.path, origins)
    return data.decode("utf-8") if output == "svg" else data


def render(process: Process, **options: object) -> Union[str, bytes]:
    """`render -f svg|png|pdf`; the format comes in as `output`."""
    timeout = options.get("timeout", DEFAULT_TIMEOUT)
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
    )
