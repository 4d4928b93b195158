"""The process metadata keys salesflow reads: one row each, read by the parser and every writer.

A row says what a key is called (and its Chinese names), where it may be written (front matter,
node data, edge data), how its value is read (`decoder`), which model field holds it, and how
`render -f mermaid` writes it back. The parser (`parsing/metadata.py`, `parsing/build.py`), the
JSON model and the Mermaid writer all go through this table, so a new key, or a new Chinese
name for one, is a row here (and the model field it fills).

Decoders:
- `text`: one text; empty means not given.
- `texts`: a list of texts (a single text is a list of one).
- `duration`: a duration (`2个工作日`, `4h`); one that does not read is kept as written, for
  invalid-duration to report.
- `rate`: a conversion rate (`60%`, `0.6`); kept as written in `<field>_text` as well.
- `kind`: one of `model.NODE_KINDS`; one that does not read is kept for invalid-kind.
- `lang`, `lanes`: the front matter's language (`zh`, `en`) and lane subgraph ids, each checked
  against what it must be.

How the Mermaid writer writes a node's or an edge's value (`mermaid`), which is also the order
it writes them in: `own` (the node's own value, not one its lane gives it), then `as written`
(a value kept exactly as the author wrote it, even one that does not read), then `list`, then
`text`. None: never written as node or edge data (front matter keys stay in the front matter).
"""

from __future__ import annotations

from .records import Fields


FRONT_MATTER = "front matter"
NODE = "node"
EDGE = "edge"


class Key(Fields):
    __slots__ = ()
    _fields = (
        "name",  # str
        "aliases",  # tuple[str, ...]: Chinese names: simplified first (shown in messages), then traditional
        "where",  # tuple[str, ...]: FRONT_MATTER, NODE, EDGE
        "decoder",  # str: see the module docstring
        "field",  # str: the model attribute (Process, Node or Edge) that holds the value
        "mermaid",  # Optional[str]: see the module docstring
    )

    def __new__(cls, name, aliases, where, decoder, field, mermaid=None):
        return tuple.__new__(cls, (name, aliases, where, decoder, field, mermaid))


KEYS: tuple[Key, ...] = (
    Key("title", ("标题", "標題"), (FRONT_MATTER,), "text", "title"),
    Key("goals", ("目标", "目標"), (FRONT_MATTER,), "texts", "goals"),
    Key("target", ("目标周期", "目標週期"), (FRONT_MATTER,), "duration", "target"),
    Key("roles", ("角色",), (FRONT_MATTER,), "texts", "roles"),
    Key("lanes", ("泳道",), (FRONT_MATTER,), "lanes", "lanes"),
    Key("lang", ("语言", "語言"), (FRONT_MATTER,), "lang", "lang"),
    Key("owner", ("负责人", "負責人"), (NODE,), "text", "owner", "own"),
    Key("due", ("时限", "時限"), (NODE,), "duration", "due", "as written"),
    Key("steps", ("步骤", "步驟"), (NODE,), "texts", "steps", "list"),
    Key("resources", ("资源", "資源"), (NODE,), "texts", "resources", "list"),
    Key("checks", ("检查", "檢查"), (NODE,), "texts", "checks", "list"),
    Key("kpi", ("指标", "指標"), (NODE,), "texts", "kpi", "list"),
    Key("kind", ("类型", "類型"), (NODE,), "kind", "kind", "as written"),
    Key("rate", ("转化率", "轉化率"), (EDGE,), "rate", "rate", "as written"),
    Key("note", ("备注", "備註"), (NODE, EDGE), "text", "note", "text"),
    # The stage's name(s) in the CRM's stage history, for `salesflow conform`.
    Key("crm", ("CRM阶段", "CRM階段"), (NODE,), "texts", "crm", "list"),
)

_WRITING_ORDER = ("own", "as written", "list", "text")


def keys_for(where: str) -> tuple[Key, ...]:
    """The keys read in `where` (FRONT_MATTER, NODE or EDGE), in the order messages list them."""
    return tuple(key for key in KEYS if where in key.where)


def written_keys(where: str) -> tuple[Key, ...]:
    """The keys the Mermaid writer writes as `where`'s data, in the order it writes them."""
    return tuple(sorted((k for k in keys_for(where) if k.mermaid), key=lambda k: _WRITING_ORDER.index(k.mermaid)))
