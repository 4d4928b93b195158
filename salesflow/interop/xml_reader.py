"""The one XML reader for imports: hardened, positioned, and with messages a user can act on.

Files to import come from anywhere, so the reader refuses what XML attacks use: any DTD (a BPMN
or draw.io file never needs one, and entity expansion — the "billion laughs" — and external
entities both start there), and inputs over the size limit. It goes through `defusedxml`, the
Python security team's hardened front end to the standard library's expat parser.

What it returns is a small tree of `XmlElement`s, each with the line and column of its start
tag, so an import can say where in the file a broken reference or an unknown element is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from ..i18n import N_, _
from ..errors import ParseError
from .. import limits

MESSAGES = {
    "malformed": N_("this is not well-formed XML: {problem}"),
    "dtd": N_("the file declares a DTD (<!DOCTYPE …>); salesflow reads no DTDs, which is how XML entity attacks "
    "start — remove the declaration if the file is yours"),
    "entity": N_("the file declares an entity ({name}); salesflow expands no XML entities — remove the declaration"),
    "external": N_("the file refers to an external resource ({name}); salesflow fetches nothing while reading"),
    "too_large": N_("the file is {size:,} bytes"),
    "too_deep": N_("the XML is nested too deeply to read"),
    "empty": N_("the file is empty; expected an XML document"),
}


@dataclass
class XmlElement:
    namespace: str  # "" when the element has none
    name: str  # the local name
    attributes: dict[str, str]  # local name (prefixed `{uri}` for namespaced attributes) → value
    line: int
    column: int
    children: list["XmlElement"] = field(default_factory=list)
    text: str = ""

    def find(self, name: str, namespace: Optional[str] = None) -> Optional["XmlElement"]:
        return next(self.find_all(name, namespace), None)

    def find_all(self, name: str, namespace: Optional[str] = None) -> Iterator["XmlElement"]:
        for child in self.children:
            if child.name == name and (namespace is None or child.namespace == namespace):
                yield child

    def walk(self) -> Iterator["XmlElement"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def get(self, key: str, default: Optional[str] = None) -> Optional[str]:
        return self.attributes.get(key, default)


def _error(path: str, text: str, message: str, line: int = 1, column: int = 1) -> ParseError:
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else None
    if source is not None and len(source) > 2000:  # one-line files (draw.io's) are quoted around the spot
        start = max(0, column - 60)
        source, column = source[start : start + 120], column - start
    return ParseError(message, path, line, column, source)


def read_xml(data: bytes, path: str) -> XmlElement:
    """The document element of `data`, or a ParseError at the place the XML goes wrong."""
    try:
        import defusedxml
        import defusedxml.sax
        from xml.sax import SAXParseException
        from xml.sax.handler import ContentHandler, feature_namespaces
    except ImportError:
        # Worded as `render` words a missing graphviz package (render/picture.py): one message.
        raise ParseError(
            _("the Python package `{package}` is missing; reinstall salesflow ({command})",
              package="defusedxml", command="`pip install salesflow`"),
            path,
        ) from None
    text = data.decode("utf-8", "replace")
    limit = limits.INPUT_MEGABYTES
    if len(data) > limit.value * 1024 * 1024:
        raise _error(path, "", limit.exceeded(_(MESSAGES["too_large"], size=len(data))))
    if not data.strip():
        raise _error(path, text, _(MESSAGES["empty"]))

    class Builder(ContentHandler):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[XmlElement] = []
            self.root: Optional[XmlElement] = None
            self.locator = None

        def setDocumentLocator(self, locator) -> None:  # noqa: N802 (the SAX interface's name)
            self.locator = locator

        def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802
            namespace, local = name
            attributes = {}
            for (attr_ns, attr_local), value in attrs.items():
                attributes[f"{{{attr_ns}}}{attr_local}" if attr_ns else attr_local] = value
            line = self.locator.getLineNumber() if self.locator else 1
            column = (self.locator.getColumnNumber() + 1) if self.locator else 1
            element = XmlElement(namespace or "", local, attributes, line, column)
            if self.stack:
                self.stack[-1].children.append(element)
            else:
                self.root = element
            self.stack.append(element)

        def endElementNS(self, name, qname) -> None:  # noqa: N802
            self.stack.pop()

        def characters(self, content: str) -> None:
            if self.stack:
                self.stack[-1].text += content

    builder = Builder()
    parser = defusedxml.sax.make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(builder)
    # defusedxml's guards: no DTD at all, no entity declarations, no external references.
    parser.forbid_dtd = True
    parser.forbid_entities = True
    parser.forbid_external = True
    import io

    try:
        parser.parse(io.BytesIO(data))
    except SAXParseException as exc:
        problem = str(exc.getMessage())
        line, column = exc.getLineNumber(), exc.getColumnNumber() + 1
        raise _error(path, text, _(MESSAGES["malformed"], problem=problem), line, column) from None
    except defusedxml.DTDForbidden:
        raise _error(path, text, _(MESSAGES["dtd"]), *_locate(parser)) from None
    except defusedxml.EntitiesForbidden as exc:
        raise _error(path, text, _(MESSAGES["entity"], name=exc.name), *_locate(parser)) from None
    except defusedxml.ExternalReferenceForbidden as exc:
        raise _error(path, text, _(MESSAGES["external"], name=exc.sysid or exc.pubid), *_locate(parser)) from None
    except RecursionError:
        raise _error(path, text, _(MESSAGES["too_deep"])) from None
    if builder.root is None:
        raise _error(path, text, _(MESSAGES["empty"]))
    return builder.root


def _locate(parser) -> tuple[int, int]:
    """Where the parser stopped; the start of the file once its expat object is gone."""
    try:
        return parser.getLineNumber(), parser.getColumnNumber() + 1
    except (AttributeError, TypeError):
        return 1, 1
