"""Process metadata: the YAML of front matter, node data and edge data, checked key by key.

YAML is read with every scalar kept as a string (so `owner: no` stays "no", as in Mermaid's JSON
schema), through the composed node graph so each key and value keeps its position. Aliases are
expanded under a budget, so a "billion laughs" document stops with a clear message.
"""

from __future__ import annotations


from ..i18n import N_, _, current, gettext
from ..lazy_regex import LazyRegex
from ..metadata_keys import EDGE, FRONT_MATTER, KEYS, NODE, keys_for
from ..regex_cache import compiled
from .. import suggest
from ..suggest import did_you_mean
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Any, Optional

# Keys salesflow reads (see `metadata_keys.KEYS`), and keys Mermaid itself reads (accepted and
# kept, never an error).
FRONT_MATTER_KEYS = tuple(key.name for key in keys_for(FRONT_MATTER))
MERMAID_FRONT_MATTER_KEYS = ("config", "displayMode")
NODE_KEYS = tuple(key.name for key in keys_for(NODE))
MERMAID_NODE_KEYS = ("shape", "label", "labelType", "icon", "form", "pos", "img", "constraint", "w", "h")
EDGE_KEYS = tuple(key.name for key in keys_for(EDGE))
MERMAID_EDGE_KEYS = ("animate", "animation", "curve")

# Chinese names for the keys salesflow reads, so that metadata typed on a Chinese keyboard reads
# as written. An alias counts wherever its key does (`备注` is a node's or an edge's `note`). The
# model, the JSON and the Mermaid output use the English key; `fmt` keeps the source as written.
KEY_ALIASES = {alias: key.name for key in KEYS for alias in key.aliases}
# The alias shown next to each key in messages: the first (simplified) one in the table.
_ALIAS_OF: dict[str, str] = {key: alias for alias, key in reversed(KEY_ALIASES.items())}

# Words people reach for instead of a key: not accepted (a typo should not pass silently as a
# synonym), only suggested — the first of its keys that is read where the word was written
# (`deadline` is a node's `due` and the process's `target`). Compared in lower case, with `_`
# and `-` read as spaces.
KEY_SYNONYMS = {
    "deadline": ("due", "target"),
    "due date": ("due",),
    "duedate": ("due",),
    "time limit": ("due", "target"),
    "duration": ("due", "target"),
    "sla": ("due", "target"),
    "期限": ("due", "target"),
    "截止": ("due", "target"),
    "截止时间": ("due", "target"),
    "截止日期": ("due", "target"),
    "时长": ("due", "target"),
    "时间": ("due", "target"),
    "耗时": ("due", "target"),
    "完成时限": ("due",),
    "responsible": ("owner",),
    "assignee": ("owner",),
    "assigned to": ("owner",),
    "role": ("owner",),
    "department": ("owner",),
    "负责": ("owner",),
    "责任人": ("owner",),
    "负责部门": ("owner",),
    "责任部门": ("owner",),
    "负责岗位": ("owner",),
    "负责角色": ("owner",),
    "type": ("kind",),
    "tasks": ("steps",),
    "actions": ("steps",),
    "动作": ("steps",),
    "工作内容": ("steps",),
    "tools": ("resources",),
    "materials": ("resources",),
    "工具": ("resources",),
    "资料": ("resources",),
    "checklist": ("checks",),
    "检查项": ("checks",),
    "质量检查": ("checks",),
    "metrics": ("kpi",),
    "kpis": ("kpi",),
    "考核指标": ("kpi",),
    "comment": ("note",),
    "notes": ("note",),
    "remark": ("note",),
    "说明": ("note",),
    "conversion": ("rate",),
    "conversion rate": ("rate",),
    "转化": ("rate",),
    "name": ("title",),
    "名称": ("title",),
    "objectives": ("goals",),
    "目的": ("goals",),
    "cycle time": ("target",),
    "周期": ("target",),
    "目标时长": ("target",),
    "departments": ("roles",),
    "部门": ("roles",),
    "swimlanes": ("lanes",),
    "language": ("lang",),
}


class MetadataError(Exception):
    """A problem at a position inside a YAML snippet (0-based line and column of the snippet)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class Value(Fields):
    """A YAML value with its position in the snippet (0-based). A tuple: thousands are made per chart."""

    __slots__ = ()
    _fields = (
        "value",  # Any: str, list[Value] or dict[str, Value]
        "line",  # int
        "column",  # int
    )

    def __new__(cls, value, line, column):
        return tuple.__new__(cls, (value, line, column))

    def plain(self) -> Any:
        if isinstance(self.value, list):
            return [item.plain() for item in self.value]
        if isinstance(self.value, dict):
            return {key: item.plain() for key, item in self.value.items()}
        return self.value


class Entry(Fields):
    __slots__ = ()
    _fields = (
        "key",  # str
        "key_line",  # int
        "key_column",  # int
        "value",  # Value
    )

    def __new__(cls, key, key_line, key_column, value):
        return tuple.__new__(cls, (key, key_line, key_column, value))


def _yaml_module():
    import yaml

    return yaml


# One-line node data is nearly always `key: word, key: [word, word]`. For that shape a regular
# expression gives exactly what YAML would (plain scalars, flow sequences) at a tenth of the cost;
# anything else (quotes, nesting, anchors, comments, empty values) goes to the YAML parser.
#
# These patterns run on user input, so each must match in linear time: every character has one
# way to be matched. A plain scalar is written as runs of its characters separated by spaces
# ("unrolling the loop") and never ends in a space, so the spaces before `,` or `]` can only be the
# `\s*` that follows it. (When a scalar could also end in spaces, `a: v          ,` repeated made
# the engine try every split of every run of spaces: 158 bytes took forever.) A failed match gives
# characters back one at a time, each rejected at once.
_PLAIN_CHAR = r"""(?:[^\s,\[\]{}:#"']|:(?=[^\s,\[\]{}])|(?<!\s)#)"""
_PLAIN = rf"""[^\s,\[\]{{}}#&*!|>'"%@`?:\-]{_PLAIN_CHAR}*(?:[^\S\n]+{_PLAIN_CHAR}+)*"""
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
# One entry and what ends it, a `,` or the end: the document is these, one after another, with
# nothing between them and nothing after the last (which may end with a `,`). A list is taken
# here up to its `]`, and each item is then checked to be a plain scalar (`_PLAIN_ITEM`): the
# same lists as `\[\s*(?:PLAIN\s*(?:,\s*PLAIN\s*)*)?\]` reads, since no item holds a `[`, `]`
# or `,`, and none starts or ends with a space. Written that way, the pattern was compiled with
# the plain scalar three times over at every start.
_ENTRY = compiled(rf"\s*({_KEY})\s*:\s+(?:({_PLAIN})|(\[[^\[\]]*\]))\s*(?:,|\Z)")
_PLAIN_ITEM = LazyRegex(_PLAIN)  # compiled for the first list


# Values and entries are made by thousands here: tuple.__new__ skips the named tuple's own
# `__new__`, a Python function call per value.
_new = tuple.__new__


def _fast_flow_mapping(content: str) -> Optional[list[Entry]]:
    """Entries of `content` (the inside of a one-line `{…}`), or None where YAML must decide."""
    entries: list[Entry] = []
    keys: set[str] = set()
    position, end = 0, len(content)
    while position < end:
        match = _ENTRY.match(content, position)
        if match is None:
            return None
        position = match.end()
        key, plain, listed = match.groups()
        if key in keys:
            return None  # YAML's own reading gives the "given twice" message
        keys.add(key)
        if plain is not None:
            value = _new(Value, (plain, 1, match.start(2)))
        else:
            items = []
            inner = listed[1:-1]
            offset = match.start(3) + 1
            if inner.strip():
                for part in inner.split(","):
                    text = part.lstrip()
                    item = text.rstrip()
                    if _PLAIN_ITEM.fullmatch(item) is None:
                        return None
                    items.append(_new(Value, (item, 1, offset + len(part) - len(text))))
                    offset += len(part) + 1
            value = _new(Value, (items, 1, match.start(3)))
        entries.append(_new(Entry, (key, 1, match.start(1), value)))
    return entries


def load_flow_mapping(content: str) -> list[Entry]:
    """The one-line `@{ … }` content, read as Mermaid reads it: as `{ content }` in YAML.

    Positions are those of the YAML text `{\\n` + content + `\\n}`: line 1 is the content.
    """
    fast = _fast_flow_mapping(content)
    if fast is not None:
        return fast
    return load_mapping("{\n" + content + "\n}")


def load_mapping(text: str) -> list[Entry]:
    """Parse a YAML mapping; an empty document is an empty mapping."""
    from .simple_yaml import read_simple_mapping

    # Simple front matter reads without importing YAML; anything else is YAML's to read.
    simple = read_simple_mapping(text)
    return simple if simple is not None else load_yaml_mapping(text)


def load_yaml_mapping(text: str) -> list[Entry]:
    """`load_mapping` through the YAML parser, whatever the text."""
    yaml = _yaml_module()
    loader_class = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    try:
        root = yaml.compose(text, Loader=loader_class)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        slip = _slip_in_text(text, mark.line if mark else 0)
        if slip is not None:
            raise slip from exc
        problem = " ".join((exc.problem or exc.context or "this is not valid YAML").split())
        raise MetadataError(
            _("invalid YAML: {problem}", problem=_yaml_problem(problem)), mark.line if mark else 0, mark.column if mark else 0
        ) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position)
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1)
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise MetadataError(
            _("the character {code} is not allowed in YAML", code=f"U+{character:04X}"), line, column
        ) from exc
    except yaml.YAMLError as exc:
        raise MetadataError(
            _("invalid YAML: {problem}", problem=_yaml_problem(str(exc).splitlines()[0] if str(exc) else "unreadable")), 0, 0
        ) from exc
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise _slip_in_text(text, root.end_mark.line) or MetadataError(
            _("expected `key: value` pairs here"), root.start_mark.line, root.start_mark.column
        )
    from ..limits import YAML_VALUES

    budget = [YAML_VALUES.value]
    entries = []
    seen: set[str] = set()
    for key_node, value_node in root.value:
        key = _convert(key_node, budget, yaml)
        if not isinstance(key.value, str):
            raise MetadataError(_("a key must be a plain word"), key.line, key.column)
        if key.value in seen:
            raise MetadataError(_("`{key}` is given twice", key=key.value), key.line, key.column)
        seen.add(key.value)
        entries.append(Entry(key.value, key.line, key.column, _convert(value_node, budget, yaml)))
    return entries


# What PyYAML says most often, in the catalog; anything else it says is quoted as it says it.
_YAML_PROBLEMS = (
    N_("this is not valid YAML"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected key"),
    N_("did not find expected node content"),
    N_("mapping values are not allowed here"),
    N_("could not find expected ':'"),
    N_("found unexpected end of stream"),
    N_("found undefined alias"),
    N_("found unhashable key"),
    N_("unreadable"),
)


def _yaml_problem(problem: str) -> str:
    if problem in _YAML_PROBLEMS or current() == "en":
        return gettext(problem)
    return f"`{problem}`"


def _convert(node: Any, budget: list[int], yaml: Any) -> Value:
    # Iterative, so deeply nested YAML cannot exhaust the Python stack.
    def spend(n: Any) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            from ..limits import YAML_VALUES

            raise MetadataError(
                YAML_VALUES.exceeded(_("this YAML expands to too many values")),
                n.start_mark.line,
                n.start_mark.column,
            )

    results: dict[int, Value] = {}
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if isinstance(current, yaml.ScalarNode):
            spend(current)
            results[key] = Value(current.value, current.start_mark.line, current.start_mark.column)
            continue
        if not children_done:
            spend(current)
            stack.append((current, True))
            if isinstance(current, yaml.SequenceNode):
                stack.extend((child, False) for child in current.value)
            else:
                for k, v in current.value:
                    stack.append((k, False))
                    stack.append((v, False))
            continue
        if isinstance(current, yaml.SequenceNode):
            value: Any = [results[id(child)] for child in current.value]
        else:
            value = {}
            for k, v in current.value:
                key_value = results[id(k)].value
                value[key_value if isinstance(key_value, str) else str(key_value)] = results[id(v)]
        results[key] = Value(value, current.start_mark.line, current.start_mark.column)
    return results[id(node)]


def check_keys(entries: list[Entry], known: tuple[str, ...], mermaid: tuple[str, ...], unknown: str) -> list[Entry]:
    """Check every key; return the entries with Chinese aliases (`负责人`) under their key (`owner`).

    `unknown` says what an unknown key is (`unknown node data key`), marked for the catalog."""
    resolved: list[Entry] = []
    written_as: dict[str, str] = {}
    for entry in entries:
        key = KEY_ALIASES.get(entry.key, entry.key)
        if key not in known and entry.key not in mermaid:
            raise _slip_in_key(entry) or MetadataError(
                _(
                    "{unknown} `{key}`{hint}; salesflow reads {keys}",
                    unknown=gettext(unknown), key=entry.key, hint=suggest_key(entry.key, known, mermaid),
                    keys=_keys_with_aliases(known),
                ),
                entry.key_line,
                entry.key_column,
            )
        if key in known:
            if key in written_as:  # `owner` and `负责人` in one place (YAML itself catches `owner` twice)
                raise MetadataError(
                    _("`{written}` and `{earlier}` both give `{key}`: keep one", written=entry.key, earlier=written_as[key], key=key),
                    entry.key_line,
                    entry.key_column,
                )
            written_as[key] = entry.key
            if key != entry.key:
                entry = entry._replace(key=key)
        resolved.append(entry)
    return resolved


def _keys_with_aliases(known: tuple[str, ...]) -> str:
    return ", ".join(f"`{key}` ({_ALIAS_OF[key]})" if key in _ALIAS_OF else f"`{key}`" for key in known)


def suggest_key(word: str, known: tuple[str, ...], mermaid: tuple[str, ...] = ()) -> str:
    """` (did you mean `due`?)` for `deadline`, `截止`, `ower`, …; in Chinese for a Chinese word."""
    chinese = any("\u3400" <= ch <= "\u9fff" for ch in word)
    import re  # only for a key salesflow does not know

    candidates = KEY_SYNONYMS.get(re.sub(r"[\s_-]+", " ", word.strip().lower()), ())
    synonym = next((key for key in candidates if key in known), None)
    if synonym is not None:
        shown = _ALIAS_OF.get(synonym, synonym) if chinese else synonym
        return suggest.hint(shown)
    if chinese:
        aliases = tuple(alias for alias, key in KEY_ALIASES.items() if key in known)
        suggestion = did_you_mean(word, aliases)
        if suggestion:
            return suggestion
    return did_you_mean(word, known + mermaid)


# Slips of a Chinese keyboard that make YAML read something else than the author meant. Each
# pattern is matched at the start of one line and cannot backtrack more than a few characters.
# Only a chart YAML cannot read looks for them: they are compiled then (the Han range takes a
# millisecond).
_TAB_INDENT = LazyRegex(r" *\t")
_FULL_WIDTH_COLON_KEY = LazyRegex(r"[ \t]*(?:-[ \t]+|\{[ \t]*)?(?P<key>[^\s:：#{}\[\],，]+)[ \t]*：")
_TIGHT_COLON_KEY = LazyRegex(r"[ \t]*(?P<key>[A-Za-z_\u3400-\u9fff][^\s:：#{}\[\],，]*):(?=[^\s/:])")
_FULL_WIDTH_COMMA = LazyRegex(r"，[ \t]*[^\s:：,，{}\[\]#]+[ \t]*[:：]")


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _full_width_colon(key: str, rest: str, line: int, column: int) -> MetadataError:
    key, rest = _short(key), _short(rest.strip())
    return MetadataError(
        _(
            "`：` is a full-width colon from a Chinese keyboard: write `{fixed}` with the ASCII `:` and a space",
            fixed=f"{key}: {rest}",
        ),
        line,
        column,
    )


def _tight_colon(key: str, rest: str, line: int, column: int) -> MetadataError:
    key, rest = _short(key), _short(rest)
    return MetadataError(
        _(
            "put a space after the colon: `{fixed}`; without it, YAML reads `{written}` as one word instead of a key "
            "and its value",
            fixed=f"{key}: {rest}", written=f"{key}:{rest}",
        ),
        line,
        column,
    )


def _slip_in_key(entry: Entry) -> Optional[MetadataError]:
    """A key that swallowed its value: `owner：销售代表` or, in `@{ … }`, `owner:销售代表`."""
    key = entry.key
    if "：" in key:
        index = key.index("：")
        return _full_width_colon(key[:index].strip(), key[index + 1 :], entry.key_line, entry.key_column + index)
    if ":" in key and entry.value.value == "":
        index = key.index(":")
        return _tight_colon(key[:index].rstrip(), key[index + 1 :], entry.key_line, entry.key_column + index)
    return None


def _slip_in_text(text: str, last_line: int) -> Optional[MetadataError]:
    """The first keyboard slip on lines 0…`last_line` of YAML `text` that YAML could not read."""
    for number, line in enumerate(text.split("\n")[: last_line + 1]):
        tab = _TAB_INDENT.match(line)
        if tab:
            return MetadataError(
                _("a tab indents this line, and YAML indents with spaces only: replace the tab with spaces"),
                number,
                tab.end() - 1,
            )
        colon = _FULL_WIDTH_COLON_KEY.match(line)
        if colon:
            return _full_width_colon(colon["key"], line[colon.end() :], number, colon.end() - 1)
        colon = _TIGHT_COLON_KEY.match(line)
        if colon:
            import re  # only for a mistake

            rest = re.match(r"[^,，}\]]*", line[colon.end() :])
            return _tight_colon(colon["key"], rest.group().strip() if rest else "", number, colon.end() - 1)
        comma = _FULL_WIDTH_COMMA.search(line)
        if comma:
            return MetadataError(
                _("`，` is a full-width comma from a Chinese keyboard: separate entries with the ASCII `,`"),
                number,
                comma.start(),
            )
    return None


def as_text(entry: Entry) -> str:
    value = entry.value
    if isinstance(value.value, str):
        return value.value.strip()
    raise MetadataError(_("`{key}` takes a single text, not a list or mapping", key=entry.key), value.line, value.column)


def as_text_list(entry: Entry) -> tuple[str, ...]:
    """A list of texts; a single text is a list of one."""
    value = entry.value
    if isinstance(value.value, str):
        text = value.value.strip()
        return (text,) if text else ()
    if isinstance(value.value, list):
        items = []
        for item in value.value:
            if not isinstance(item.value, str):
                raise MetadataError(
                    _("each entry of `{key}` is a short text; this one is a list or mapping", key=entry.key),
                    item.line,
                    item.column,
                )
            items.append(item.value.strip())
        return tuple(items)
    raise MetadataError(_("`{key}` takes a list of texts, e.g. `[a, b]`", key=entry.key), value.line, value.column)


def parse_rate(text: str) -> Optional[float]:
    """`60%` or `0.6` → 0.6; None when it is neither."""
    text = text.strip()
    try:
        if text.endswith("%"):
            rate = float(text[:-1].strip()) / 100
        else:
            rate = float(text)
            if rate > 1:
                return None
    except ValueError:
        return None
    if not 0 <= rate <= 1:
        return None
    return rate
