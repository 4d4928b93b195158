"""Making a chart SVG fit to inline in the handbook: parsed, cleaned and written back out.

The SVG arrives as XML text from the Graphviz renderer. Inlined into HTML it is read by the HTML
parser, which treats `<!DOCTYPE>`, comments and namespaces differently from an XML parser, and any
label text that was not escaped would become markup. So the SVG is parsed as XML and rebuilt
element by element: only drawing elements are kept, no event attributes, no scripts, no external
references, links only if `safe_url` allows them, and every text and attribute value escaped again
for HTML. Whatever the renderer let through, nothing in the result can run.

On the way the drawing's smallest text is measured (the page sizes the chart so that text stays
readable), and the stages of one role can be marked: their shapes are drawn with a thick accent
outline and a tint, written into the shapes themselves so that print (WeasyPrint) shows them too.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import escape
from typing import AbstractSet, Optional

from ..errors import RenderError
from ..i18n import _
from .text import safe_url

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# What Graphviz draws with; anything else (script, foreignObject, image, use, style, …) is dropped.
ALLOWED_ELEMENTS = frozenset(
    {
        "svg", "g", "title", "desc", "path", "polygon", "polyline", "ellipse", "circle", "rect", "line",
        "text", "tspan", "a", "defs", "linearGradient", "radialGradient", "stop", "clipPath",
    }
)
ALLOWED_ATTRIBUTES = frozenset(
    {
        "id", "class", "viewBox", "preserveAspectRatio", "transform", "points", "d", "x", "y", "x1", "y1",
        "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "fill", "fill-opacity", "stroke",
        "stroke-width", "stroke-dasharray", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
        "opacity", "text-anchor", "font-family", "font-size", "font-weight", "font-style",
        "text-decoration", "dominant-baseline", "baseline-shift", "offset", "stop-color", "stop-opacity",
        "gradientUnits", "gradientTransform", "clip-path", "clipPathUnits", "fx", "fy", "target",
    }
)
# Presentation values that could reach outside the document: `url(...)` is fine only as a
# reference into it (`url(#gradient)`).
_EXTERNAL_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_INTERNAL_URL = re.compile(r"url\(\s*['\"]?#")
ID_PREFIX = "chart-"
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(pt|px|in|cm|mm)?\s*$")
_TO_PT = {"pt": 1.0, "px": 0.75, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, None: 1.0}
SHAPES = frozenset({"path", "polygon", "polyline", "ellipse", "circle", "rect"})
# A marked stage: the handbook's accent colour (handbook-theme.css) as outline, its soft tint as fill.
MARK_STROKE = "#1f5f99"
MARK_FILL = "#d6e6f5"
MARK_WIDTH = "3.5"
DEFAULT_TEXT_PT = 14.0  # SVG's default font size, for a text that names none


# (left, top, right, bottom) in the view box's units.
Extent = tuple[float, float, float, float]
# A stroke and an arrow's tip reach a little past the points that draw them.
EXTENT_MARGIN = 4.0


@dataclass(frozen=True)
class InlineSvg:
    markup: str  # an <svg> element, safe to put into HTML as it is
    width_pt: float  # its natural size
    height_pt: float
    view_box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    drawing: str = ""  # the same drawing without the <svg> element and without ids, for copies
    smallest_text_pt: float = DEFAULT_TEXT_PT  # its smallest text, in the drawing's own points
    upright: Optional["InlineSvg"] = None  # a sideways chart drawn top to bottom, for narrow places
    narrow: Optional["InlineSvg"] = None  # one stage a row, long links as jumps, for phones
    # `drawing` cut into its nodes, links and lanes, each with the stretch of the view box it may
    # reach (None: kept in every copy): "".join of the markups is `drawing`.
    pieces: tuple[tuple[Optional[Extent], str], ...] = ()

    def part(self, x: float, y: float, width: float, height: float) -> str:
        """A copy showing only the stretch (x, y, width, height) of the view box, for a printed page.

        Copies carry no ids (the page's ids stay unique) and are hidden from assistive technology,
        which reads the whole chart once. A copy of a stretch leaves out the nodes, links and lanes
        wholly outside it, which would be cut off anyway: a printed part is drawn, and laid out in
        the PDF, with its own share of the elements instead of all of them.
        """
        box = " ".join(_number(v) for v in (x, y, width, height))
        drawing = self.drawing
        x0, y0, box_width, box_height = self.view_box
        if self.pieces and (x > x0 or y > y0 or x + width < x0 + box_width or y + height < y0 + box_height):
            drawing = "".join(
                markup for extent, markup in self.pieces if extent is None or _overlaps(extent, x, y, width, height)
            )
        return f'<svg viewBox="{box}" aria-hidden="true" preserveAspectRatio="xMinYMin meet">{drawing}</svg>'


def inline_svg(
    svg_text: str, label: str = "", *, id_prefix: str = ID_PREFIX, marked: AbstractSet[str] = frozenset()
) -> InlineSvg:
    """Clean `svg_text` (a whole SVG document) for inlining; `label` becomes its accessible name.

    `id_prefix` starts every id (two drawings in one page need different ones); the nodes whose
    Graphviz names (their `<title>`) are in `marked` are drawn marked.
    """
    # Expat would resolve entities declared in a DOCTYPE; Graphviz's DOCTYPE declares none, and a
    # chart must not be able to smuggle one in, so the prologue goes before parsing.
    body = re.sub(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>\[]*(\[.*?\])?\s*>\s*)?", "", svg_text, flags=re.S)
    if "<!ENTITY" in body or "<!DOCTYPE" in body:
        raise RenderError(_("the chart SVG declares entities; refusing to inline it"))
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise RenderError(_("the chart SVG is not well-formed XML ({error}); cannot inline it", error=exc)) from None
    if _local(root.tag) != "svg":
        raise RenderError(_("the chart is not an SVG document"))
    width = _points(root.get("width"))
    height = _points(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        width, height = _points(box[2]), _points(box[3])
    if width is None or height is None:
        raise RenderError(_("the chart SVG has no size"))
    if len(box) == 4:
        try:
            view_box = tuple(float(v) for v in box)
        except ValueError:
            raise RenderError(_("the chart SVG has an unreadable {attribute}", attribute="viewBox")) from None
    else:
        view_box = (0.0, 0.0, width, height)
        root.set("viewBox", " ".join(_number(v) for v in view_box))
    if marked:
        _mark(root, marked)
    out: list[str] = []
    _write(root, out, is_root=True, label=label, prefix=id_prefix)
    pieces = _copy_pieces(root, id_prefix)
    return InlineSvg(
        "".join(out), width, height, view_box, "".join(markup for _extent, markup in pieces),  # type: ignore[arg-type]
        _smallest_text(root), pieces=tuple(pieces),
    )


def _copy_pieces(root: ET.Element, prefix: str) -> list[tuple[Optional[Extent], str]]:
    """The drawing without ids, as pieces: Graphviz draws everything inside one group that moves
    it into the view box (`translate`, at scale 1); each element of that group is a piece with
    its extent in the view box. Anything else is a piece kept whole, with no extent."""

    def copied(element: ET.Element) -> str:
        out: list[str] = []
        _write(element, out, keep_ids=False, prefix=prefix)
        if element.tail:
            out.append(escape(element.tail, quote=False))
        return "".join(out)

    pieces: list[tuple[Optional[Extent], str]] = []
    for child in root:
        shift = _translation(child.get("transform")) if _local(child.tag) == "g" else None
        if shift is None:
            pieces.append((None, copied(child)))
            continue
        out: list[str] = []
        name = _write(child, out, keep_ids=False, prefix=prefix, shallow=True)
        pieces.append((None, "".join(out)))
        if name is None:
            continue
        for element in child:
            extent = _extent(element)
            if extent is not None:
                extent = (extent[0] + shift[0], extent[1] + shift[1], extent[2] + shift[0], extent[3] + shift[1])
            pieces.append((extent, copied(element)))
        pieces.append((None, f"</{name}>" + (escape(child.tail, quote=False) if child.tail else "")))
    return pieces


_TRANSLATION = re.compile(
    r"^\s*(?:scale\(\s*1(?:\s+1)?\s*\)\s*)?(?:rotate\(\s*0\s*\)\s*)?translate\(\s*(-?[0-9.]+)[\s,]+(-?[0-9.]+)\s*\)\s*$"
)
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_PATH_COMMANDS = re.compile(r"[A-DF-Za-df-z]")  # letters other than an exponent's e


def _translation(transform: Optional[str]) -> Optional[tuple[float, float]]:
    """The shift of a transform that only moves (Graphviz's `scale(1 1) rotate(0) translate(x y)`)."""
    match = _TRANSLATION.match(transform or "")
    return (float(match.group(1)), float(match.group(2))) if match else None


def _extent(element: ET.Element) -> Optional[Extent]:
    """The stretch an element and what it holds may draw on, with `EXTENT_MARGIN` to spare; None
    when that cannot be told (something moved or sized in a way not read here)."""
    xs: list[float] = []
    ys: list[float] = []
    for item in element.iter():
        if item.get("transform") is not None:
            return None
        name = _local(item.tag)
        try:
            if name in ("polygon", "polyline"):
                numbers = [float(v) for v in _NUMBER.findall(item.get("points") or "")]
                xs += numbers[0::2]
                ys += numbers[1::2]
            elif name == "path":
                d = item.get("d") or ""
                if set(_PATH_COMMANDS.findall(d)) - set("MCLZ"):  # only absolute moves, lines and curves
                    return None
                numbers = [float(v) for v in _NUMBER.findall(d)]
                xs += numbers[0::2]
                ys += numbers[1::2]
            elif name == "ellipse":
                cx, cy = float(item.get("cx", 0)), float(item.get("cy", 0))
                rx, ry = float(item.get("rx", 0)), float(item.get("ry", 0))
                xs += [cx - rx, cx + rx]
                ys += [cy - ry, cy + ry]
            elif name == "circle":
                cx, cy, r = float(item.get("cx", 0)), float(item.get("cy", 0)), float(item.get("r", 0))
                xs += [cx - r, cx + r]
                ys += [cy - r, cy + r]
            elif name == "rect":
                x, y = float(item.get("x", 0)), float(item.get("y", 0))
                xs += [x, x + float(item.get("width", 0))]
                ys += [y, y + float(item.get("height", 0))]
            elif name == "line":
                xs += [float(item.get("x1", 0)), float(item.get("x2", 0))]
                ys += [float(item.get("y1", 0)), float(item.get("y2", 0))]
            elif name == "text":
                # Each character at most a font size wide (a CJK one is), on either side of x:
                # wider than the text, whichever way it is anchored.
                x, y = float(item.get("x", 0)), float(item.get("y", 0))
                size = _points(item.get("font-size")) or DEFAULT_TEXT_PT
                reach = size * len("".join(item.itertext()))
                xs += [x - reach, x + reach]
                ys += [y - size, y + size]
            elif name not in ("g", "a", "title", "desc", "tspan"):
                return None
        except ValueError:
            return None
    if not xs or not ys:
        return None
    return (min(xs) - EXTENT_MARGIN, min(ys) - EXTENT_MARGIN, max(xs) + EXTENT_MARGIN, max(ys) + EXTENT_MARGIN)


def _overlaps(extent: Extent, x: float, y: float, width: float, height: float) -> bool:
    return extent[0] <= x + width and extent[2] >= x and extent[1] <= y + height and extent[3] >= y


def _smallest_text(root: ET.Element) -> float:
    sizes = [
        _points(text.get("font-size")) or DEFAULT_TEXT_PT
        for text in root.iter(f"{{{SVG_NS}}}text")
        if "".join(text.itertext()).strip()
    ]
    return min(sizes, default=DEFAULT_TEXT_PT)


def _mark(root: ET.Element, marked: AbstractSet[str]) -> None:
    """Outline and tint the shapes of the nodes named in `marked` (Graphviz's `class="node"` groups)."""
    for group in root.iter(f"{{{SVG_NS}}}g"):
        if "node" not in (group.get("class") or "").split():
            continue
        title = group.find(f"{{{SVG_NS}}}title")
        if title is None or (title.text or "") not in marked:
            continue
        for shape in group.iter():
            if _local(shape.tag) in SHAPES and shape.get("stroke") not in (None, "none", "transparent"):
                shape.set("stroke", MARK_STROKE)
                shape.set("stroke-width", MARK_WIDTH)
                if shape.get("fill") not in (None, "none", "transparent"):
                    shape.set("fill", MARK_FILL)


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def _points(value: Optional[str]) -> Optional[float]:
    if value is None:
        return None
    match = _LENGTH.match(value)
    if not match:
        return None
    return float(match.group(1)) * _TO_PT[match.group(2)]


def _write(
    element: ET.Element, out: list[str], is_root: bool = False, label: str = "", keep_ids: bool = True,
    prefix: str = ID_PREFIX, shallow: bool = False,
) -> Optional[str]:
    """Write `element` to `out`; `shallow`: only its start tag and text, and return the name its
    end tag needs (None: the element is left out, with its content)."""
    name = _local(element.tag)
    if not element.tag.startswith("{" + SVG_NS + "}") or name not in ALLOWED_ELEMENTS:
        return None  # not part of a drawing: its content goes with it
    attributes: list[tuple[str, str]] = []
    for key, value in element.attrib.items():
        attribute = _attribute(name, key, value, prefix)
        if attribute is not None and (keep_ids or attribute[0] != "id"):
            attributes.append(attribute)
    if is_root:
        # The page decides the size (see the stylesheet); the viewBox keeps the proportions.
        attributes = [(k, v) for k, v in attributes if k not in ("width", "height")]
        attributes += [("role", "img"), ("aria-label", label)] if label else [("role", "img")]
    if name == "a" and not any(k == "href" for k, _value in attributes):
        name = "g"  # a link whose target was refused still groups its shapes
        attributes = [(k, v) for k, v in attributes if k != "target"]
    out.append("<" + name)
    for key, value in attributes:
        out.append(f' {key}="{escape(value, quote=True)}"')
    out.append(">")
    tooltip = element.get(f"{{{XLINK_NS}}}title") if name in ("a", "g") and _local(element.tag) == "a" else None
    if tooltip:
        # Graphviz puts a node's tooltip on its link; a <title> child shows it in every browser.
        out.append(f"<title>{escape(tooltip, quote=False)}</title>")
    if element.text:
        out.append(escape(element.text, quote=False))
    if shallow:
        return name
    for child in element:
        _write(child, out, keep_ids=keep_ids, prefix=prefix)
        if child.tail:
            out.append(escape(child.tail, quote=False))
    out.append(f"</{name}>")
    return name


def _attribute(element: str, key: str, value: str, prefix: str = ID_PREFIX) -> Optional[tuple[str, str]]:
    if key in ("href", f"{{{XLINK_NS}}}href"):
        if element != "a":
            return None
        url = safe_url(value)
        return ("href", url) if url else None
    if key.startswith("{") or key not in ALLOWED_ATTRIBUTES:
        return None  # on*, style, xml:base, and anything namespaced
    if key == "target" and value not in ("_blank", "_self", "_parent", "_top"):
        return None
    if _EXTERNAL_URL.search(value):
        return None
    if key == "id":
        # The handbook's own anchors (stage-1, role-2, …) must stay unique: chart ids get a prefix.
        return (key, prefix + value)
    return (key, _INTERNAL_URL.sub(lambda m: f"url(#{prefix}", value))
