"""The work of `salesflow render`, given the values its options were read as, without click.

The click command (`salesflow.cli.render_cmd`) and the reader of the commonest render command
lines (`salesflow.cli.fast_render`) both call `render_files`: loading click costs about as much
as drawing a small chart, so a plain `render -f svg FILE -o OUT` runs without it. A usage error
is still click's own exception, loaded only when one is raised.
"""

from __future__ import annotations

import os
import sys

from ..i18n import _
from ..render import FORMATS
from ..limits import one_input
from .common import OutputNames, Run, collect_garbage_at_exit_only, exit_with

GRAPHVIZ_FORMATS = ("dot", "svg", "png", "pdf")
LAID_OUT_FORMATS = GRAPHVIZ_FORMATS + ("bpmn", "drawio")  # laid out by Graphviz as the pictures are


def _usage_error(message: str) -> Exception:
    import click

    return click.UsageError(message)


def render_files(
    inputs: tuple[str, ...],
    format_name: str,
    output: str | None,
    show_meta: bool,
    highlight: bool,
    config_path: str | None,
    engine: str,
    timeout: float,
    font: str | None,
    direction: str | None,
    wrap: int | None,
    width_px: int | None,
    dpi: float | None,
    fit: str | None,
    plain: bool,
    swimlane: bool,
) -> None:
    """`salesflow render` with these values (see the options of `salesflow.cli.render_cmd`)."""
    from ..errors import SalesflowError

    if output == "-":  # as for handbook and import: `-` is standard output, not a file named `-`
        output = None
    fmt = FORMATS[format_name]
    if highlight and format_name not in GRAPHVIZ_FORMATS:
        raise _usage_error(
            _("--highlight draws on a picture: use it with -f {formats}", formats="/".join(GRAPHVIZ_FORMATS))
        )
    if config_path and not highlight:
        raise _usage_error(_("--config is the linter's configuration: use it with --highlight"))
    if plain and format_name != "mermaid":
        raise _usage_error(_("--plain applies to -f mermaid"))
    if swimlane and format_name != "mermaid":
        raise _usage_error(_("--swimlane applies to -f mermaid"))
    _check_size_options(format_name, width_px, dpi, fit)
    if output is None and fmt.binary and sys.stdout.isatty():
        raise _usage_error(
            _("{format} is binary: write it to a file with -o, or redirect the output", format=format_name.upper())
        )

    options: dict[str, object] = {
        "show_meta": show_meta, "engine": engine, "timeout": timeout, "plain": plain, "swimlane": swimlane,
    }
    if font:
        options["font"] = font
    if (direction or wrap is not None) and format_name not in LAID_OUT_FORMATS:
        formats = "/".join(LAID_OUT_FORMATS)
        raise _usage_error(_("--direction and --wrap shape the drawing: use them with -f {formats}", formats=formats))
    options.update(direction=direction, wrap=wrap)
    if format_name in GRAPHVIZ_FORMATS:
        from .common import warn

        options["warn"] = warn  # a picture drawn other than asked, or too small where it is read
        options["encoded"] = True  # an SVG is written as Graphviz drew it, not decoded and encoded again
    if width_px or dpi or fit:
        options.update({"width": width_px, "dpi": dpi, "fit": fit})

    collect_garbage_at_exit_only()
    run = Run()
    try:
        review = _linter(config_path) if highlight else None
    except SalesflowError as exc:
        run.fail(exc)
        exit_with(run.exit_code())
        return
    into = _streamed_into(output, format_name, inputs)
    try:
        _render_and_write(run, inputs, output, fmt, format_name, options, review, into)
    finally:
        if into is not None:
            into.drop()  # not kept: the drawing went elsewhere, or nowhere
    exit_with(run.exit_code())


class _OutputFile:
    """The output file's new content (output.NewFile), made when the renderer first asks for it
    (`into()`): a large chart's SVG is written into it while Graphviz draws it (render/streamed.py);
    the others are drawn whole, then written by `write_atomic`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.file = None

    def __call__(self):
        if self.file is None:
            from ..output import NewFile

            self.file = NewFile(self.path)
        return self.file

    def holds(self, data: object) -> bool:
        """Whether the new content is `data`, all written."""
        return self.file is not None and self.file.whole is data

    def drop(self) -> None:
        if self.file is not None:
            self.file.drop()


def _streamed_into(output: str | None, format_name: str, inputs: tuple[str, ...]) -> _OutputFile | None:
    """Where an SVG may be written while Graphviz draws it: when one chart is likely drawn into one
    file that can be so written (in a folder that exists: a failed drawing creates none); else None."""
    if format_name != "svg" or output is None or len(inputs) != 1 or output.endswith(os.sep):
        return None
    from ..output import is_special

    if os.path.isdir(output) or os.path.isdir(inputs[0]) or is_special(output):
        return None
    if not os.path.isdir(os.path.dirname(os.path.abspath(output))):
        return None
    return _OutputFile(output)


def _render_and_write(run: Run, inputs: tuple[str, ...], output: str | None, fmt, format_name: str, options: dict,
                      review, into: _OutputFile | None) -> None:
    from ..errors import SalesflowError
    from ..output import InputFiles, write_atomic, write_stdout

    results = []
    charts_read = 0
    for chart, process in run.processes(inputs):
        charts_read += 1
        if charts_read == 1 and into is not None:
            options["into"] = into
        elif into is not None:
            # A second chart (a Markdown file's, say): -o is a folder, each written after.
            options.pop("into", None)
            into.drop()
            into = None
        try:
            with one_input(chart.path):
                if review is not None:
                    options["findings"] = review(chart, process)
                results.append((chart, fmt.renderer()(process, **options)))
            if format_name == "mermaid":
                _warn_mermaid_limits(chart.path, process, results[-1][1])
        except SalesflowError as exc:
            run.fail(exc)

    try:
        if output is None:
            if format_name == "json" and len(results) > 1:
                import json

                documents = [json.loads(text) for _chart, text in results]
                write_stdout(json.dumps(documents, ensure_ascii=False, indent=2) + "\n")
            elif len(results) > 1:
                raise _usage_error(
                    _(
                        "{count} charts cannot share standard output as {format}; give an output directory with -o",
                        count=len(results), format=format_name,
                    )
                )
            else:
                for _chart, data in results:
                    write_stdout(data)
        elif len(results) == 1 and charts_read + run.errors == 1 and not os.path.isdir(output) and not output.endswith(os.sep):
            # One chart: -o names the file. Several (even if only one could be drawn): a directory.
            InputFiles(run.inputs).refuse_overwrite(output)
            if into is not None and into.holds(results[0][1]):
                into().keep()  # written while drawn
            else:
                write_atomic(output, results[0][1])
        else:
            inputs = InputFiles(run.inputs)  # once: thousands of outputs are each checked in one look-up
            names = OutputNames()
            for chart, data in results:
                target = os.path.join(output, names.name(chart.path, chart.block, fmt.extension))
                inputs.refuse_overwrite(target)
                write_atomic(target, data)
    except SalesflowError as exc:
        run.fail(exc)


def _check_size_options(format_name: str, width_px: int | None, dpi: float | None, fit: str | None) -> None:
    given = [name for name, value in (("--width", width_px), ("--dpi", dpi), ("--fit", fit)) if value]
    if given and format_name != "png":
        raise _usage_error(_("{option} sizes a bitmap: use it with -f png (svg and pdf scale without loss)", option=given[0]))
    if len(given) > 1:
        raise _usage_error(_("{options} each set the picture's size: give one of them", options=_(" and ").join(given)))


def _warn_mermaid_limits(path: str, process, text: str) -> None:
    from ..mermaid_vocabulary import MAX_EDGES, MAX_TEXT_SIZE
    from .common import warn

    if len(process.edges) > MAX_EDGES or len(text) > MAX_TEXT_SIZE:
        warn(
            _(
                "{path}: warning: {edges} edges and {characters} characters; stock Mermaid (GitHub, mermaid.live) "
                "draws at most {max_edges} edges and {max_characters} characters, so split the chart or raise "
                "`maxEdges`/`maxTextSize` where you render it",
                path=path, edges=f"{len(process.edges):,}", characters=f"{len(text):,}", max_edges=MAX_EDGES,
                max_characters=f"{MAX_TEXT_SIZE:,}",
            )
        )


def _linter(config_path: str | None):
    """A function (chart, process) → findings, from the linter, loaded only for --highlight.

    Each chart is reviewed under the configuration `salesflow lint` would use for it: the
    --config file, or the one found above the chart's own file.
    """
    try:
        from ..lint import lint, load_config
        from ..lint.config import read_config
    except ImportError:
        raise _usage_error(_("--highlight needs the linter, which this installation does not include")) from None
    fixed = read_config(config_path) if config_path else None

    def review(chart, process):
        config = fixed if fixed is not None else load_config(chart.path)
        return lint(process, config, source=chart.text)

    return review
