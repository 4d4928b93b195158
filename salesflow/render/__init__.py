"""Output formats: each is a module with a `render(process, **options) -> str | bytes`, loaded on use.

One module may serve several formats (svg, png and pdf are all drawn by Graphviz); a format's
`fixed` options are passed to the module's `render` on every call, before the caller's options.
"""

from __future__ import annotations

import sys

from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Callable


# A named tuple, not a dataclass: every command that reads a label's text imports this package
# (render/labels.py), and a dataclass compiles its methods anew at each start.
class Format(Fields):
    __slots__ = ()
    _fields = (
        "name",  # str
        "module",  # str
        "extension",  # str
        "binary",  # bool
        "help",  # str
        "fixed",  # tuple[tuple[str, object], ...]
    )

    def __new__(cls, name, module, extension, binary, help, fixed=()):
        return tuple.__new__(cls, (name, module, extension, binary, help, fixed))

    def renderer(self) -> Callable:
        # `functools.partial` and `importlib.import_module` would load functools, importlib and
        # warnings first: 1.3 ms of every render, before the chart is read.
        __import__(self.module)
        render = sys.modules[self.module].render
        if not self.fixed:
            return render
        fixed = dict(self.fixed)

        def render_fixed(process: object, **options: object) -> object:
            return render(process, **{**fixed, **options})  # as partial(render, **fixed): the call's own come last

        return render_fixed


FORMATS = {
    f.name: f
    for f in (
        Format("json", "salesflow.render.json_model", ".json", False, "the parsed model as JSON"),
        Format("mermaid", "salesflow.render.mermaid", ".mmd", False, "canonical Mermaid text"),
        Format("dot", "salesflow.render.dot", ".dot", False, "Graphviz DOT text"),
        Format("svg", "salesflow.render.picture", ".svg", False, "SVG drawn by Graphviz", (("output", "svg"),)),
        Format("png", "salesflow.render.picture", ".png", True, "PNG drawn by Graphviz", (("output", "png"),)),
        Format("pdf", "salesflow.render.picture", ".pdf", True, "PDF drawn by Graphviz", (("output", "pdf"),)),
        Format("bpmn", "salesflow.interop.bpmn_out", ".bpmn", False, "BPMN 2.0 XML, laid out by Graphviz"),
        Format("drawio", "salesflow.interop.drawio_out", ".drawio", False, "a draw.io (diagrams.net) file, laid out by Graphviz"),
    )
}


# `salesflow.render(process, format, …)`: the public API's function, answered by this package.
from ..api import make_callable as _make_callable  # noqa: E402

_make_callable(__name__)
