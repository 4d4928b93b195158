"""Turning chart text into HTML safely: labels, links and CSS strings.

Everything a chart says is untrusted: a label may read `<script>`, a link may be `javascript:`.
These functions are the only places where chart text becomes markup; each escapes first and only
then adds the few tags it means to add.
"""

from __future__ import annotations

import html
import re
from typing import Optional

from markupsafe import Markup, escape

# Mermaid labels break lines with <br>, <br/> or <br />, in any case.
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Mermaid's entity codes: `#quot;`, `#35;`, `#9829;` stand for a character.
_ENTITY_CODE = re.compile(r"#([A-Za-z][A-Za-z0-9]{1,31}|[0-9]{1,7});")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers ignore ASCII tab and newline anywhere in a URL, and leading/trailing C0 controls and
# spaces: `java\tscript:` is `javascript:` to them, so the scheme is judged after removing them.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")


def decode_entity_codes(text: str) -> str:
    """Mermaid's `#quot;` / `#9829;` codes as the characters they stand for; unknown codes stay."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        decoded = html.unescape(f"&#{code};" if code.isdigit() else f"&{code};")
        # html.unescape leaves unknown names alone; a code point out of range becomes U+FFFD.
        if decoded.startswith("&") or decoded == "\ufffd":
            return match.group(0)
        return decoded

    return _ENTITY_CODE.sub(one, text)


def plain_label(text: str) -> str:
    """A label as plain text on one line: breaks become spaces, entity codes are decoded."""
    return " ".join(decode_entity_codes(_BREAK.sub(" ", text)).split())


def label_html(text: str, label_format: str = "text") -> Markup:
    """A node or edge label as safe HTML: escaped, with Mermaid's line breaks kept.

    A Markdown label ("`…`") also keeps **bold** and _italic_; every other character shows
    exactly as written.
    """
    if label_format != "markdown":
        return Markup("<br>".join(str(escape(decode_entity_codes(piece))) for piece in _BREAK.split(text)))
    # The emphasis the drawing shows, found by the same (linear-time) reader.
    from ..render.labels import BOLD, emphasis

    lines = []
    for line in _BREAK.sub("\n", text).split("\n"):
        html_line, position = [], 0
        for start, end, style, inner in emphasis(line):
            tag = "strong" if style == BOLD else "em"
            html_line.append(str(escape(decode_entity_codes(line[position:start]))))
            html_line.append(f"<{tag}>{escape(decode_entity_codes(inner))}</{tag}>")
            position = end
        html_line.append(str(escape(decode_entity_codes(line[position:]))))
        lines.append("".join(html_line))
    return Markup("<br>".join(lines))


def safe_url(url: Optional[str]) -> Optional[str]:
    """`url` if it is an http(s) or relative link, else None.

    >>> safe_url("https://crm.example.com/a?b=1")
    'https://crm.example.com/a?b=1'
    >>> safe_url("docs/报价.html")
    'docs/报价.html'
    >>> safe_url("java\\tscript:alert(1)") is None
    True
    >>> safe_url("//elsewhere.example") is None
    True
    """
    if not url:
        return None
    cleaned = _IGNORED_IN_URL.sub("", url)
    if not cleaned or "\\" in cleaned or cleaned.startswith("//"):
        # A backslash reads as a slash to browsers, so `\\host` and `//host` leave the document's origin
        # in a way a relative link should not.
        return None
    match = _SCHEME.match(cleaned)
    if match and match.group(1).lower() not in ("http", "https"):
        return None
    if match and not cleaned[match.end():].startswith("//"):
        return None  # `http:foo` is no link anyone meant
    return cleaned


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string that cannot end the string, the rule or the <style> element."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " .,:;!?()[]/-_+%·，。：；！？（）、" or ord(ch) > 0x2FFF:
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return Markup('"' + "".join(out) + '"')


def css_counter_text(template: str) -> Markup:
    """A message such as `Page {page} of {pages}` as a CSS `content` value using page counters."""
    pieces = re.split(r"(\{page\}|\{pages\})", template)
    values = []
    for piece in pieces:
        if piece == "{page}":
            values.append("counter(page)")
        elif piece == "{pages}":
            values.append("counter(pages)")
        elif piece:
            values.append(str(css_string(piece)))
    return Markup(" ".join(values) or '""')
