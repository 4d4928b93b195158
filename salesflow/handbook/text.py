"""Turning chart text into HTML safely: labels, links and CSS strings.

Everything a chart says is untrusted: a label may read `<script>`, a link may be `javascript:`.
These functions are the only places where chart text becomes markup; each escapes first and only
then adds the few tags it means to add.
"""

from __future__ import annotations

import re
from typing import Optional

from markupsafe import Markup, escape

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers ignore ASCII tab and newline anywhere in a URL, and leading/trailing C0 controls and
# spaces: `java\tscript:` is `javascript:` to them, so the scheme is judged after removing them.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")


# The inline styles of a label run (salesflow/render/labels.py reads them), as HTML elements.
_STYLE_TAGS = {"B": "strong", "I": "em", "U": "u", "S": "s", "SUB": "sub", "SUP": "sup"}


def plain_label(text: str, label_format: str = "text") -> str:
    """A label as a reader sees it, on one line: entity codes decoded, markup dropped, breaks as spaces."""
    from ..render.labels import plain_text

    return " ".join(plain_text(text, label_format).split())


def label_html(text: str, label_format: str = "text") -> Markup:
    """A node or edge label as safe HTML, as Mermaid shows it: entity codes decoded, line breaks and
    the few inline styles Mermaid honours (`<b>`, `<i>`, …; **bold** and _italic_ in a Markdown
    label) kept as elements; every other character is escaped and shows exactly as written.
    """
    from ..render.labels import STYLE_ORDER, label_lines

    lines = []
    for line in label_lines(text, label_format):
        parts = []
        for run in line:
            tags = [_STYLE_TAGS[style] for style in STYLE_ORDER if style in run.styles]
            opening = "".join(f"<{tag}>" for tag in tags)
            closing = "".join(f"</{tag}>" for tag in reversed(tags))
            parts.append(f"{opening}{escape(run.text)}{closing}")
        lines.append("".join(parts))
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


def within_columns(text: str, columns: int) -> str:
    """`text` cut to take at most `columns` columns (a Chinese character two), an ellipsis ending
    what was cut: a printed line of given width that must not wrap.

    >>> within_columns("线索收集与初步筛选阶段", 12)
    '线索收集与…'
    >>> within_columns("Discovery call", 14)
    'Discovery call'
    >>> within_columns("Discovery call", 10)
    'Discovery…'
    """
    from ..textwidth import char_width, display_width

    if display_width(text) <= columns:
        return text
    kept, used = [], 1  # the ellipsis takes one column
    for ch in text:
        used += char_width(ch)
        if used > columns:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + "…"
