"""Checks that an SVG is well-formed XML and that a handbook page is strict, well-formed HTML.

Browsers forgive almost anything, so "it opened" proves little: Chromium shows an SVG file with
a U+0001 in it as an error page, and an XML tool refuses it outright. These checks are stricter
than a browser. An SVG goes through expat (xml.etree). A handbook page has no XML parser of its
own, so: every element the page opens is closed, in order (no end tag left to the browser's
guessing); every character and character reference is one HTML allows; and each inline `<svg>`
is also parsed as XML, because it is the SVG file's content carried over.
"""

from __future__ import annotations

import html.entities
import html.parser
import re
import xml.etree.ElementTree as ET

# Code points XML 1.0 cannot hold, and those HTML reports as parse errors (controls, noncharacters).
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def assert_svg(text: str) -> ET.Element:
    """`text` parsed as XML; fails with expat's message and the place."""
    bad = _NOT_TEXT.search(text)
    assert bad is None, f"U+{ord(bad.group()):04X} at offset {bad.start()} of the SVG"
    try:
        return ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise AssertionError(f"the SVG is not well-formed XML: {exc}") from None


class _StrictPage(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[tuple[str, tuple[int, int]]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _VOID:
            self.open.append((tag, self.getpos()))
        for name, value in attrs:
            self._text(value or "", f"attribute {name} of <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            self._text(value or "", f"attribute {name} of <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            self.problems.append(f"end tag of the void element <{tag}> at {self.getpos()}")
        elif not self.open or self.open[-1][0] != tag:
            expected = self.open[-1] if self.open else None
            self.problems.append(f"</{tag}> at {self.getpos()} closes nothing open (open: {expected})")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self._text(data, f"text at {self.getpos()}")

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in "xX" else int(name)
            ok = code < 0x110000 and not _NOT_TEXT.fullmatch(chr(code)) and code != 0
        except ValueError:
            ok = False
        if not ok:
            self.problems.append(f"character reference &#{name}; at {self.getpos()}")

    def handle_entityref(self, name: str) -> None:
        if name + ";" not in html.entities.html5:
            self.problems.append(f"unknown entity &{name}; at {self.getpos()}")

    def _text(self, text: str, where: str) -> None:
        bad = _NOT_TEXT.search(text)
        if bad:
            self.problems.append(f"U+{ord(bad.group()):04X} in {where}")


def assert_html(text: str) -> None:
    """A handbook page: strict HTML as described above, each inline SVG well-formed XML."""
    page = _StrictPage()
    page.feed(text)
    page.close()
    assert page.problems == [], page.problems[:5]
    assert page.open == [], f"elements never closed: {page.open[:5]}"
    for svg in _INLINE_SVG.findall(text):
        assert_svg(svg)
