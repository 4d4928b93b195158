"""No BPMN or draw.io file makes `salesflow import` fail with anything but a clear error: models
cut short, attributes and lines removed, references pointed at nothing. Each either imports
(what is left is a chart) or is refused with a salesflow error."""

from __future__ import annotations

import random
import re

import pytest

from conftest import CASES
from salesflow.errors import SalesflowError

FILES = [
    (CASES / "bpmn" / "two-pools-order-to-cash.bpmn", "bpmn"),
    (CASES / "drawio" / "hand-drawn-lead-flow.drawio", "drawio"),
    (CASES / "drawio" / "hand-drawn-lead-flow-compressed.drawio", "drawio"),
]
REFERENCES = rb'(sourceRef|targetRef|source|target|parent|attachedToRef|processRef|default)="[^"]*"'


def mutations(data: bytes, rng: random.Random, count: int):
    attributes = list(re.finditer(rb' [\w:]+="[^"]*"', data))
    references = list(re.finditer(REFERENCES, data))
    lines = data.split(b"\n")
    for _ in range(count):
        choice = rng.randrange(4)
        if choice == 0:
            yield data[: rng.randrange(len(data))]
        elif choice == 1 and attributes:
            found = rng.choice(attributes)
            yield data[: found.start()] + data[found.end() :]
        elif choice == 2 and references:
            found = rng.choice(references)
            yield data[: found.start()] + found.group(1) + b'="nowhere"' + data[found.end() :]
        else:
            cut = rng.randrange(len(lines))
            yield b"\n".join(lines[:cut] + lines[cut + 1 :])


@pytest.mark.parametrize("source,kind", FILES, ids=lambda value: getattr(value, "name", value))
def test_damaged_files_import_or_are_refused_clearly(source, kind) -> None:
    from salesflow.interop.draft import to_text
    from salesflow.interop.reading import read_draft

    rng = random.Random(source.name)
    imported = refused = 0
    for damaged in mutations(source.read_bytes(), rng, 120):
        try:
            draft, _report = read_draft(str(source), damaged, kind)
            to_text(draft, "imported.flow")
            imported += 1
        except SalesflowError as error:
            assert str(error).startswith(str(source)), str(error)
            refused += 1
    assert imported and refused  # both kinds of damage were met


def test_a_missing_xml_package_is_told_as_render_tells_a_missing_package(monkeypatch) -> None:
    """Without defusedxml an import names the package and how to get it back, in the reader's
    language, in the words `render` uses for a missing graphviz package."""
    import sys

    from salesflow import i18n
    from salesflow.errors import ParseError
    from salesflow.interop.xml_reader import read_xml

    monkeypatch.setitem(sys.modules, "defusedxml", None)  # `import defusedxml` raises ImportError
    with i18n.use("zh"), pytest.raises(ParseError) as refused:
        read_xml(b"<definitions/>", "model.bpmn")
    assert "缺少 Python 包 `defusedxml`；请重新安装 salesflow（`pip install salesflow`）" in str(refused.value)
