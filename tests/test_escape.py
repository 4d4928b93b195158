"""Escaping for DOT and Mermaid: table tests, then the real Graphviz and Mermaid reading hostile text.

Each escaping function is specified by its doctests and by the tables here; the last tests feed
hostile labels to `dot` and to the real Mermaid parser and check that every label comes back as
the text it was, with no extra node, edge, attribute, tag or directive.
"""

from __future__ import annotations

import doctest
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import require_binary

from salesflow.render import escape
from salesflow.render.escape import dot_html, dot_quote, dot_tooltip, mermaid_string, mermaid_string_is_exact, yaml_scalar

# Text that has broken out of labels somewhere: quotes, brackets, markup, escapes, directives.
HOSTILE = [
    'say "hi"',
    "a]b[c",
    "(x) {y} [z]",
    "a|b",
    "<b>bold</b> & <script>alert(1)</script>",
    "x\\N\\G\\E\\T\\H\\L\\n\\l\\r",
    "back\\",
    '"] [shape=box, label="pwned"] x [label="',
    '>]; injected [label=<x>]; a [label=<',
    "line one\nline two",
    "%% not a comment",
    "%%{init: {'theme': 'dark'}}%%",
    "first\n%%{init: {\"theme\": \"dark\"}}%%",
    "first\n  %% gone?",
    "end",
    "subgraph x",
    "A --> B",
    "a;b & c",
    "@{ shape: circle }",
    ":::hot",
    "`tick`",
    "#quot; #35; #9829;",
    "&amp; &lt; &#x41;",
    "tab\there",
    "客户说“太贵了”，「再议」",
    "emoji 🚀 and RTL \u202etxet",
    "ctrl\x00\x07\x1b chars",
    "not text \x7f\x85\ufdd0\ufffe\uffff\U0010ffff",
    "refs &#x1; &#xD800; &#65535; &amp;#1;",
]


def test_doctests() -> None:
    result = doctest.testmod(escape)
    assert result.attempted >= 10 and result.failed == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain", '"plain"'),
        ('q"q', '"q\\"q"'),
        ("a\\b", '"a\\\\b"'),
        ("two\nlines", '"two\\nlines"'),
        ("cr\r\nlf", '"cr\\nlf"'),
        ("tab\tx", '"tab x"'),
        ("nul\x00x", '"nul\ufffdx"'),
        ("a&b", '"a&amp;b"'),
        ("&#x1; &#xD800;", '"&amp;#x1; &amp;#xD800;"'),
        ("销售经理", '"销售经理"'),
    ],
)
def test_dot_quote(text: str, expected: str) -> None:
    assert dot_quote(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a & b", "a &amp; b"),
        ("<BR/>", "&lt;BR/&gt;"),
        ('"\'', "&quot;&#39;"),
        ("\\N", "\\\\N"),
        ("one\ntwo", "one<BR/>two"),
        ("bell\x07", "bell\ufffd"),
        ("\uffff\ud800", "\ufffd\ufffd"),
        ("报价>50万", "报价&gt;50万"),
        ("]", "&#93;"),
        ("a]]>b", "a&#93;&#93;&gt;b"),
    ],
)
def test_dot_html(text: str, expected: str) -> None:
    assert dot_html(text) == expected


def test_dot_tooltip_has_no_backslash() -> None:
    assert "\\" not in dot_tooltip("a\\b\\N")[1:-1].replace('\\"', "")


def test_dot_tooltip_of_several_lines() -> None:
    # Lines stay lines (`\n` in DOT), a tab a space, quotes escaped, `&` a reference, `\` the look-alike.
    assert dot_tooltip('报价\t"含税"\r\n& \\N') == '"报价 \\"含税\\"\\n&amp; \u2216N"'


def test_dot_tooltip_escapes_references() -> None:
    # Graphviz would decode `&#x1;` into a character no SVG may hold.
    assert dot_tooltip("&#x1; & \x01") == '"&amp;#x1; &amp; \ufffd"'


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain 销售 🚀\ttab\nline", "plain 销售 🚀\ttab\nline"),
        ("cr\r\nlf\rcr", "cr\nlf\ncr"),
        ("\x00\x08\x0b\x0c\x0e\x1f", "\ufffd" * 6),
        ("\x7f\x80\x85\x9f\xa0", "\ufffd" * 4 + "\xa0"),
        ("\ud800\udfff", "\ufffd\ufffd"),
        ("\ufdcf\ufdd0\ufdef\ufdf0", "\ufdcf\ufffd\ufffd\ufdf0"),
        ("\ufffd\ufffe\uffff", "\ufffd\ufffd\ufffd"),
        ("\U0001fffd\U0001fffe\U0001ffff\U0010fffe\U0010ffff", "\U0001fffd" + "\ufffd" * 4),
    ],
)
def test_clean_replaces_what_xml_and_html_cannot_hold(text: str, expected: str) -> None:
    assert escape.clean(text) == expected


def test_every_code_point_is_cleaned_and_escaped_the_same_with_or_without_the_shortcut() -> None:
    """Text with nothing to replace or escape is passed through at once, and so is text whose only
    such characters are line breaks and tabs; no code point may slip through either shortcut: each
    one, after a plain letter (or a line break and a tab), comes out as the full rules say."""
    html = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "]": "&#93;", "\\": "\\\\", "\t": " ", "\n": "<BR/>"}
    quoted = {"&": "&amp;", '"': '\\"', "\\": "\\\\", "\t": " ", "\n": "\\n"}
    for code in range(0x110000):
        ch = chr(code)
        cleaned = "\n" if ch == "\r" else "\ufffd" if escape._NOT_TEXT.match(ch) else ch
        assert escape.clean("a" + ch) == "a" + cleaned, hex(code)
        assert escape.clean("a\n\t" + ch) == "a\n\t" + cleaned, hex(code)
        assert dot_html("a" + ch) == "a" + html.get(cleaned, cleaned), hex(code)
        assert dot_quote("a" + ch) == '"a' + quoted.get(cleaned, cleaned) + '"', hex(code)


@pytest.mark.parametrize(
    "text, markdown, expected, exact",
    [
        ("报价", False, '"报价"', True),
        ("a [b] (c) {d} | e", False, '"a [b] (c) {d} | e"', True),
        ('say "hi"', False, '"say #quot;hi#quot;"', False),
        ("50%% off", False, '"50%% off"', True),
        ("x %%{init}", False, '"x #37;%{init}"', False),
        ("a\n%%b", False, '"a\n#37;%b"', False),
        ("a\n  %% b", False, '"a\n  #37;% b"', False),
        ("a\u2028%%b", False, '"a\u2028#37;%b"', False),
        ("`x`", False, '"#96;x`"', False),
        ("**bold**", True, '"`**bold**`"', True),
        ('x `" y', True, '"`x #96;#quot; y`"', False),
        ("ends`", True, '"`ends#96;`"', False),
        ("  spaced  ", False, '"  spaced  "', True),
    ],
)
def test_mermaid_string(text: str, markdown: bool, expected: str, exact: bool) -> None:
    assert mermaid_string(text, markdown) == expected
    assert mermaid_string_is_exact(text, markdown) is exact


@pytest.mark.parametrize("text", HOSTILE)
def test_mermaid_string_never_opens_a_directive_or_a_comment(text: str) -> None:
    written = mermaid_string(text)
    inner = written[1:-1]
    assert '"' not in inner
    assert "%%{" not in written
    assert not any(line.lstrip().startswith("%%") for line in written.split("\n")[1:])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("销售经理", "销售经理"),
        ("2个工作日", "2个工作日"),
        ("60%", "60%"),
        ("", '""'),
        ("yes, no", '"yes, no"'),
        ("时间: 9:00", '"时间: 9:00"'),
        ("#tag", '"#tag"'),
        ("- item", '"- item"'),
        ('a "b"', '"a \\x22b\\x22"'),
        ("a}b", '"a}b"'),
        ("%%{x}", '"\\x25%{x}"'),
        ("two\nlines", '"two\\nlines"'),
        (" padded", '" padded"'),
        ("back\\slash", "back\\slash"),
        ("quote\\", "quote\\"),
    ],
)
def test_yaml_scalar(text: str, expected: str) -> None:
    assert yaml_scalar(text) == expected


@pytest.mark.parametrize("text", HOSTILE + ["a: b", "[x]", "{y}", "'q'", "~", "null", "- x", "? x", "0x1F"])
def test_yaml_scalar_reads_back(text: str) -> None:
    """Every scalar, in flow and in block context, reads back as the cleaned text."""
    import yaml

    expected = escape.mermaid_clean(text)
    for flow in (True, False):
        scalar = yaml_scalar(text, flow)
        assert '"' not in (scalar[1:-1] if scalar.startswith('"') else scalar)
        assert "%%" not in scalar
        document = f"{{ key: {scalar} }}" if flow else f"key: {scalar}\n"
        assert yaml.load(document, Loader=yaml.BaseLoader)["key"] == expected


# ---------------------------------------------------------------------------------------------
# The real Graphviz


def _svg(dot_text: str) -> ET.Element:
    dot = require_binary("dot")
    done = subprocess.run([dot, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return ET.fromstring(done.stdout)


SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.usefixtures("dot")
def test_graphviz_shows_hostile_html_labels_as_text() -> None:
    lines = [f'  n{i} [label=<{dot_html(text)}>, tooltip={dot_tooltip(text)}, id={dot_quote(f"id{i}")}]'
             for i, text in enumerate(HOSTILE)]
    root = _svg("digraph G {\n" + "\n".join(lines) + "\n}\n")
    nodes = [g for g in root.iter(SVG + "g") if g.get("class") == "node"]
    assert len(nodes) == len(HOSTILE)  # nothing added, nothing lost
    for index, text in enumerate(HOSTILE):
        node = next(g for g in nodes if g.get("id") == f"id{index}")
        # Graphviz writes runs of spaces as no-break spaces, so they survive in SVG.
        shown = "\n".join("".join(t.itertext()) for t in node.iter(SVG + "text")).replace("\xa0", " ")
        expected = escape.clean(text).replace("\t", " ")
        assert shown.replace("\n", "") == expected.replace("\n", ""), (text, shown)
        assert not list(node.iter(SVG + "script"))
        # The tooltip shows the text too, references included, as written (backslashes as `∖`).
        link = next(node.iter(SVG + "a"))
        tooltip = link.get("{http://www.w3.org/1999/xlink}title").replace("\xa0", " ")
        assert tooltip == expected.replace("\\", "\u2216"), text


@pytest.mark.usefixtures("dot")
def test_graphviz_keeps_quoted_ids_and_names_apart() -> None:
    names = ['a"b', "a\\", "node", "edge", "graph", "subgraph", 'x" -> "y', "-> z"]
    lines = [f"  {dot_quote(name)} [label={dot_quote(str(i))}]" for i, name in enumerate(names)]
    root = _svg("digraph G {\n" + "\n".join(lines) + "\n}\n")
    nodes = [g for g in root.iter(SVG + "g") if g.get("class") == "node"]
    edges = [g for g in root.iter(SVG + "g") if g.get("class") == "edge"]
    assert len(nodes) == len(names) and not edges


# ---------------------------------------------------------------------------------------------
# The real Mermaid


@pytest.mark.node
def test_mermaid_reads_hostile_labels_as_text() -> None:
    """Each hostile label, as a node label, an edge label and a subgraph title, is read by Mermaid
    as exactly the string written (no node, edge or directive more), and with it the chart's own
    `%%{init}%%` stays the only configuration."""
    from mermaid_oracle import run_mermaid
    from test_mermaid_differential import _same_text

    charts = []
    for text in HOSTILE:
        written = mermaid_string(text)
        title = mermaid_string(text.replace("\n", " "))
        charts.append(
            f"flowchart LR\n    subgraph s [{title}]\n        A[{written}]\n    end\n"
            f"    A -->|{written}| B\n"
        )
    results = run_mermaid(charts)
    for text, result in zip(HOSTILE, results):
        assert result["ok"], (text, result.get("error"))
        assert result["direction"] == "LR", text
        vertices = {v["id"]: v for v in result["vertices"]}
        assert sorted(vertices) == ["A", "B"], text
        assert len(result["edges"]) == 1 and [s["id"] for s in result["subgraphs"]] == ["s"], text
        if "<" not in text:  # Mermaid's sanitiser rewrites markup; the rest must be verbatim
            assert _same_text(vertices["A"]["text"], mermaid_string(text)[1:-1]), (text, vertices["A"]["text"])
            assert _same_text(result["edges"][0]["text"], mermaid_string(text)[1:-1]), text
