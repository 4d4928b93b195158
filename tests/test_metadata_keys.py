"""The key table: every row is read under each of its names, kept in the model, and written back.

A key (or a Chinese name for one) added as a row of `metadata_keys.KEYS` must work everywhere
without further edits; these tests go through each row, so a row the parser or a writer does
not follow fails here.
"""

from __future__ import annotations

import json

import pytest

from salesflow.metadata_keys import EDGE, FRONT_MATTER, KEYS, NODE, Key, keys_for, written_keys
from salesflow.parse import parse_text
from salesflow.render import json_model, mermaid

# A value each decoder reads, and what the model then holds (for comparison).
SAMPLES = {
    "text": ("销售代表", lambda v: v == "销售代表"),
    "texts": ("[核对报价, 发送合同]", lambda v: tuple(v) == ("核对报价", "发送合同")),
    "duration": ("2天", lambda v: v is not None and v.hours == 48),
    "kind": ("end", lambda v: v == "end"),
    "rate": ("60%", lambda v: v == 0.6),
    "lang": ("en", lambda v: v == "en"),
    "lanes": ("[s]", lambda v: tuple(v) == ("s",)),
}


def chart_with(key: Key, name: str, where: str) -> str:
    value = SAMPLES[key.decoder][0]
    if where == FRONT_MATTER:
        return f"---\n{name}: {value}\n---\nflowchart TD\n  subgraph s [销售部]\n    A --> B\n  end\n"
    if where == NODE:
        return f"flowchart TD\n  A --> B\n  A@{{ {name}: {value} }}\n"
    return f"flowchart TD\n  A e1@--> B\n  e1@{{ {name}: {value} }}\n"


def element(process, where: str):
    return {FRONT_MATTER: process, NODE: process.nodes[0], EDGE: process.edges[0]}[where]


ROWS = [(key, where) for key in KEYS for where in key.where]


def test_the_rows_use_known_places_decoders_and_writers() -> None:
    for key in KEYS:
        assert key.decoder in SAMPLES, key
        assert set(key.where) <= {FRONT_MATTER, NODE, EDGE}, key
        assert key.mermaid in (None, "own", "as written", "list", "text"), key
        assert (key.mermaid is None) == (key.where == (FRONT_MATTER,)), key
    names = [name for key in KEYS for name in (key.name, *key.aliases)]
    assert len(names) == len(set(names)), "a name stands for one key only"


@pytest.mark.parametrize("key, where", ROWS, ids=[f"{where}-{key.name}" for key, where in ROWS])
def test_every_name_of_a_key_fills_its_model_field(key: Key, where: str) -> None:
    for name in (key.name, *key.aliases):
        process = parse_text(chart_with(key, name, where), "k.flow")
        assert SAMPLES[key.decoder][1](getattr(element(process, where), key.field)), (name, where)


@pytest.mark.parametrize("key, where", ROWS, ids=[f"{where}-{key.name}" for key, where in ROWS])
def test_the_json_model_holds_every_key(key: Key, where: str) -> None:
    process = parse_text(chart_with(key, key.aliases[0] if key.aliases else key.name, where), "k.flow")
    data = json.loads(json_model.render(process))
    place = {FRONT_MATTER: data["process"], NODE: data["nodes"][0], EDGE: data["edges"][0]}[where]
    assert place[key.field] is not None and place[key.field] != []


@pytest.mark.parametrize("where", [NODE, EDGE])
def test_the_mermaid_writer_writes_every_node_and_edge_key_back_under_its_english_name(where: str) -> None:
    keys = written_keys(where)
    assert {k.name for k in keys} == {k.name for k in keys_for(where)}
    for key in keys:
        alias = key.aliases[0]
        written = mermaid.render(parse_text(chart_with(key, alias, where), "k.flow"))
        assert f"{key.name}: " in written and f"{alias}:" not in written, written
        again = parse_text(written, "k.mmd")
        assert SAMPLES[key.decoder][1](getattr(element(again, where), key.field)), written
