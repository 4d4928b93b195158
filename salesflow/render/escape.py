"""Escaping untrusted text for DOT and for Mermaid, written once for every renderer.

Labels, owners and notes come from process files that anyone may write, so nothing in them may
end a string, open an attribute or a tag, or turn into another statement or a directive.

DOT. Graphviz reads text in two places, each with its own rules (checked against dot 2.43):

- quoted strings (`"…"`): a `\\"` is a quote; for node ids and `id`/`label`-like attributes a
  `\\\\` is one backslash, and a lone backslash starts an escape such as `\\N` (the node's name);
- HTML-like labels (`<…>`): XML text, where `&`, `<` and `>` must be entities (and `]`, which
  Graphviz refuses as the whole text of a label), and where Graphviz still expands `\\N`, `\\G` … after decoding entities, so a backslash is written `\\\\` there too.

Graphviz also reads `&name;` and `&#N;` in quoted strings as entities and writes them into the
SVG as they are, so a `&` is written `&amp;` in every quoted string too (tooltips, names, links).

Code points that XML cannot hold or that HTML calls errors (C0 controls other than tab and newline,
DEL and the C1 controls, lone surrogates, the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of
every plane) are replaced by U+FFFD, the replacement character `�`, by `clean()`: the one function
that DOT, SVG and HTML output all go through. Replaced, not dropped, so a reader sees that the
file holds something that cannot be shown; one glyph, so it cannot be mistaken for text the author
wrote (as a `\x01`-style marker could) and measures like any other character.

Mermaid. A label is written as a double-quoted string, which may hold anything but `"`. Two more
things would let text escape it, because Mermaid looks at the whole text before it parses: a
`%%{` anywhere starts a directive (`%%{init: …}%%` would reconfigure the chart), and a line that
starts with `%%` is a comment and vanishes. So `"` becomes `#quot;`, and the `%` that would
start either becomes `#37;` — entity codes that Mermaid shows as the character itself. Text that
needs none of this is written exactly as it was, so it reads back unchanged. Metadata values go
into `@{ … }` as YAML scalars: plain when that is unambiguous, else double-quoted with escapes
(`\x22` for a quote, so no `"` inside can end the block early; `\x25` breaks up `%%`).
"""

from __future__ import annotations

from ..lazy_regex import LazyRegex

REPLACEMENT = "\ufffd"

# What XML 1.0 cannot hold (C0 controls but tab, newline and CR; lone surrogates; U+FFFE, U+FFFF)
# and what HTML reports as a parse error (DEL, C1 controls, every noncharacter).
_NOT_TEXT = LazyRegex(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def clean(text: str) -> str:
    r"""`text` as every XML and HTML document can hold it: CR LF and CR become LF, and each code
    point that cannot be text there becomes U+FFFD.

    >>> clean("a\x01b\ud800c\uffffd\r\ne\tf")
    'a\ufffdb\ufffdc\ufffdd\ne\tf'
    """
    if text.isprintable():
        # Nothing to replace (most text): Python counts every code point of _NOT_TEXT, and CR,
        # as unprintable; labels are cleaned by the thousand in a large chart.
        return text
    if text.replace("\n", "").replace("\t", "").isprintable():
        # Only line breaks and tabs, which stay (every tooltip has them): searching for _NOT_TEXT
        # takes a few microseconds even in a short text, more than the rest of its escaping.
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_TEXT.sub(REPLACEMENT, text)


def dot_quote(text: str) -> str:
    r"""A DOT quoted string that Graphviz reads back as `text`.

    >>> print(dot_quote('say "hi"'))
    "say \"hi\""
    >>> print(dot_quote('a\\b'))
    "a\\b"
    >>> print(dot_quote('two\nlines'))
    "two\nlines"
    """
    if text.isprintable() and '"' not in text and "\\" not in text and "&" not in text:
        return f'"{text}"'  # nothing to escape: no tab or newline either (they are unprintable)
    text = clean(text).replace("\t", " ").replace("&", "&amp;")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# `]` too: Graphviz 2.43 refuses a label or a <B>…</B> whose whole text is `]` or `]]`.
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "]": "&#93;", "\\": "\\\\", "\t": " "}
_HTML_SPECIAL = LazyRegex(r"[&<>\"'\]\\\t]")


def dot_html(text: str) -> str:
    r"""Text for inside a DOT HTML-like label: markup characters as entities, a newline as `<BR/>`.

    >>> print(dot_html('<b> & "x"'))
    &lt;b&gt; &amp; &quot;x&quot;
    >>> print(dot_html('a\\N'))
    a\\N
    >>> print(dot_html('one\ntwo'))
    one<BR/>two
    """
    if text.isprintable() and not _HTML_SPECIAL.search(text):
        return text  # nothing to escape: no newline either (it is unprintable)
    text = _HTML_SPECIAL.sub(lambda m: _HTML[m.group(0)], clean(text))
    return text.replace("\n", "<BR/>")


def dot_tooltip(text: str) -> str:
    r"""A quoted tooltip. Graphviz unescapes tooltips twice, so no backslash can be trusted to
    stay one: it is shown as the look-alike `∖` instead.

    >>> print(dot_tooltip('a\\b "c" & d\ne'))
    "a∖b \"c\" &amp; d\ne"
    """
    # `dot_quote` of the cleaned text, in one pass: a tooltip nearly always holds a line break,
    # which sends dot_quote the long way, cleaning the text a second time.
    lines = text.replace("\n", "")
    if lines.isprintable() and '"' not in lines and "\\" not in lines and "&" not in lines:
        return '"' + text.replace("\n", "\\n") + '"'  # most tooltips: nothing to clean or escape
    text = clean(text).replace("\\", "\u2216").replace("\t", " ").replace("&", "&amp;")
    return '"' + text.replace('"', '\\"').replace("\n", "\\n") + '"'


# ---------------------------------------------------------------------------------------------
# Mermaid

# A `%` that would start a directive (`%%{`) or, at the start of a line inside the string, a
# comment (`%%`). A string never starts a line itself: a node id or a bracket comes first.
# JavaScript also ends a line at U+2028 and U+2029, so those count as line starts too.
_MERMAID_PERCENT = LazyRegex(r"%(?=%\{)|(?<=[\n\u2028\u2029])([ \t]*)%(?=%)")


_LONE_SURROGATES = LazyRegex(r"[\ud800-\udfff]")


def mermaid_clean(text: str) -> str:
    """Text for Mermaid as salesflow reads it back: CR LF and CR become LF (the parser reads them
    so), lone surrogates (not text) are dropped; other control characters stay as they are."""
    return _LONE_SURROGATES.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def mermaid_string(text: str, markdown: bool = False) -> str:
    r"""`text` as a double-quoted Mermaid string (a markdown string "`…`" when `markdown`).

    >>> print(mermaid_string('报价 [含税] | 待签'))
    "报价 [含税] | 待签"
    >>> print(mermaid_string('say "hi"'))
    "say #quot;hi#quot;"
    >>> print(mermaid_string('x %%{init: {}}%%'))
    "x #37;%{init: {}}%%"
    >>> print(mermaid_string('one\n  %% two'))
    "one
      #37;% two"
    """
    text = mermaid_clean(text)
    text = _MERMAID_PERCENT.sub(lambda m: (m.group(1) or "") + "#37;", text)
    if markdown:
        # A backtick right before the closing quote would end the markdown string early.
        text = text.replace('`"', "#96;#quot;")
        if text.endswith("`"):
            text = text[:-1] + "#96;"
        return '"`' + text + '`"'
    text = text.replace('"', "#quot;")
    if len(text) >= 2 and text.startswith("`") and text.endswith("`"):
        text = "#96;" + text[1:]  # "`…`" would read as a markdown string
    return '"' + text + '"'


def mermaid_string_is_exact(text: str, markdown: bool = False) -> bool:
    """Whether `mermaid_string(text)` reads back as `text` itself, not only shows the same."""
    return mermaid_clean(text) == text and mermaid_string(text, markdown) == (
        '"`' + text + '`"' if markdown else '"' + text + '"'
    )


_YAML_PLAIN_FLOW = LazyRegex(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^\t\n:#,\[\]{}\"%]|%(?!%))*")
# In block context (front matter, multi-line node data) commas are ordinary characters.
_YAML_PLAIN_BLOCK = LazyRegex(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^\t\n:#\[\]{}\"%]|%(?!%))*")
_YAML_ESCAPES = {"\\": "\\\\", '"': "\\x22", "\n": "\\n", "\t": "\\t"}


def yaml_scalar(text: str, flow: bool = True) -> str:
    r"""`text` as a one-line YAML scalar for `@{ … }` data or front matter.

    Plain when YAML reads it back as the same text (in flow context, `{ a: x, b: [y] }`, unless
    `flow` is false), else double-quoted. Never a `"` inside (it would end `@{ … }` early for the
    lexer) nor `%%` (it could start a directive).

    >>> print(yaml_scalar('销售经理'), yaml_scalar('60%'))
    销售经理 60%
    >>> print(yaml_scalar('时间: 9:00 前'))
    "时间: 9:00 前"
    >>> print(yaml_scalar('a "b" } %%{x}'))
    "a \x22b\x22 } \x25%{x}"
    >>> print(yaml_scalar('June 30, 2027'), yaml_scalar('June 30, 2027', flow=False))
    "June 30, 2027" June 30, 2027
    """
    text = mermaid_clean(text)
    pattern = _YAML_PLAIN_FLOW if flow else _YAML_PLAIN_BLOCK
    if text and text == text.strip() and text.isprintable() and pattern.fullmatch(text):
        return text
    out = []
    for index, ch in enumerate(text):
        if ch in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[ch])
        elif ch == "%" and text[index + 1 : index + 2] == "%":
            out.append("\\x25")
        elif not ch.isprintable() and ch != " ":
            # YAML's escapes; a BOM or a control character is text like any other to salesflow.
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
