"""Simple front matter read without YAML must read exactly as YAML reads it, positions included.

salesflow reads YAML keeping every scalar as its text (`yaml.compose` with the base loader:
`400`, `true` and `2027-03-31` are strings, decoded later by key). The shortcut must give the same
entries, values, lines and columns, or leave the text to YAML (None); these tests compare both
readings on every front matter found in the samples, the tests, the templates and the README, on
tricky cases, and on random texts.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from salesflow.parsing.metadata import MetadataError, load_mapping, load_yaml_mapping
from salesflow.parsing.simple_yaml import read_simple_mapping

ROOT = Path(__file__).resolve().parent.parent
_BLOCK = re.compile(r"^---[ \t]*\n(.*?)\n---[ \t]*$", re.S | re.M)


def _front_matters() -> list[tuple[str, str]]:
    """(where, text) of every `---`-fenced block in the charts, tests, templates and README."""
    found: dict[str, str] = {}
    files = [ROOT / "README.md", *sorted((ROOT / "samples").rglob("*")), *sorted((ROOT / "tests").rglob("*")),
             *sorted((ROOT / "templates").rglob("*"))]
    for path in files:
        if not path.is_file() or path.suffix not in (".flow", ".mmd", ".md", ".py", ".yml", ".yaml") or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".py":
            text += "\n" + text.replace("\\n", "\n")  # charts written as one-line strings
        for match in _BLOCK.finditer(text):
            found.setdefault(match.group(1) + "\n", f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}")
    return [(where, block) for block, where in found.items()]


def _yaml_reading(text: str):
    try:
        return load_yaml_mapping(text)
    except MetadataError as exc:
        return ("error", exc.message, exc.line, exc.column)


def _agrees(text: str) -> bool:
    """Whether the shortcut either leaves `text` to YAML or reads it exactly as YAML does; also
    whether its values are what YAML's plain loading gives."""
    simple = read_simple_mapping(text)
    if simple is None:
        return True
    assert simple == _yaml_reading(text), text
    assert {entry.key: entry.value.plain() for entry in simple} == (yaml.load(text, Loader=yaml.BaseLoader) or {}), text
    return True


FRONT_MATTERS = _front_matters()


def test_front_matters_are_found() -> None:
    # The search itself works: the samples' front matter is among what it found.
    assert len(FRONT_MATTERS) >= 30
    assert any(where.startswith("samples/annotated-ten-stages.flow") for where, _text in FRONT_MATTERS)


@pytest.mark.parametrize("where, text", FRONT_MATTERS, ids=[where for where, _text in FRONT_MATTERS])
def test_every_front_matter_reads_as_yaml_reads_it(where: str, text: str) -> None:
    assert _agrees(text)


def test_the_samples_front_matter_takes_the_shortcut() -> None:
    samples = [text for where, text in FRONT_MATTERS if where.startswith("samples/")]
    assert samples and all(read_simple_mapping(text) is not None for text in samples)


# Read without YAML, and read as YAML reads them.
SIMPLE = [
    "title: 销售流程\n",
    "title: 出口贸易订单流程 Export order process\nlang: en\n",
    "target: 400 workdays\n",  # numbers stay text
    "goals:\n  - 2027年3月31日前，合格线索转商机率从15%提升到25%\n  - Win 65% of deals by December 31, 2027\n",
    "goals:\n- a\n- b\nlang: zh\n",  # a list at the key's own indentation
    "lanes: [mkt, sales, finlegal]\n",
    "lanes: []\nroles: [ 销售部 ,  市场部 ]\n",
    "roles: [销售部,市场部, Account Executive]\n",
    "目标: 季度成交额提升 20%\n",  # a key in Chinese
    "title: 'it''s a deal: signed'\n",  # quotes hold a colon and a space
    'title: "报价 #2: 折扣"\n',
    "title: 10:30 meeting\nurl: http://example.com/a?b=c\n",  # a colon without a space is text
    "due: 2027-03-31\nflag: true\ncount: 12\nratio: 0.5\nnothing: null\ntilde: ~\n",  # dates, booleans, numbers
    "# a comment line\ntitle: x\n\n  # an indented comment\nlang: en\n",
    "title: C#\n",  # `#` without a space before it is text
    "title: 销售：流程，第一版\n",  # full-width punctuation inside a value
    "title:    spaced    out   \n",
    "",
    "\n\n",
]

# Left to YAML: what the shortcut does not fully understand.
LEFT_TO_YAML = [
    "title: x # a trailing comment\n",
    "config:\n  theme: base\n",  # nesting
    "title: a\n  continued\n",  # a plain scalar over two lines
    'title: "escaped \\" quote"\n',
    "title: 'two\n  lines'\n",
    "title: &a x\nother: *a\n",  # anchors and aliases
    "title: !!str 12\n",
    "title: |\n  block\n",
    "title: >\n  folded\n",
    "title:\n",  # an empty value
    "title: x\ntitle: y\n",  # a key given twice
    "goals:\n  - a\n  - b: c\n",
    "goals:\n  - [a]\n",
    "goals:\n  - a\n    - b\n",
    "goals:\n  - a\n   - b\n",
    "lanes: [a, [b]]\n",
    "lanes: ['a', b]\n",
    "lanes: [a:b]\n",
    "lanes: [a, ]\n",
    "lanes: [a] and more\n",
    "title: x\u00a0y\n",  # a no-break space
    "title：销售\n",  # a full-width colon (YAML's reading explains it)
    "title:销售\n",  # no space after the colon
    "title : x\n",
    "\ttitle: x\n",
    "title: x\tand a tab\n",
    "title: a: b\n",
    "title: -5\n",
    "{title: x}\n",
    "- a\n- b\n",
    "title: x\n---\nlang: en\n",
    "title: x\n...\n",
    "title: ends with a colon:\n",
    "title: x\u2028y\n",  # a line separator, a line break to YAML
    "\ufefftitle: x\n",
    "title: bell\x07\n",
]


@pytest.mark.parametrize("text", SIMPLE)
def test_simple_front_matter_reads_without_yaml(text: str) -> None:
    assert read_simple_mapping(text) is not None
    assert _agrees(text)


@pytest.mark.parametrize("text", LEFT_TO_YAML)
def test_anything_else_is_left_to_yaml(text: str) -> None:
    assert read_simple_mapping(text) is None


def test_load_mapping_gives_yaml_errors_unchanged() -> None:
    with pytest.raises(MetadataError) as caught:
        load_mapping("title: a: b\n")
    assert "mapping values" in caught.value.message and caught.value.line == 0


def test_random_texts_agree_with_yaml() -> None:
    pieces = ["title", "lang", "目标", ":", ": ", " ", "  ", "- ", "\n", "\n  - ", "#", " #", "'", '"', "[", "]", ",",
              "x", "销售", "10", "-", "{", "}", "&", "*", "|", "\t", "：", "true", "2027-03-31"]
    generator = random.Random(20261202)
    taken = 0
    for _ in range(20_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(1, 14)))
        if read_simple_mapping(text) is not None:
            taken += 1
            assert _agrees(text)
    assert taken > 500  # the shortcut was taken often enough for the comparison to mean something
