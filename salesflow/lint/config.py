"""Lint configuration: presets, per-rule severity and options, per-file ignores, excluded paths.

Found by walking up from each linted file to the first directory with a `.salesflow.toml` (keys
at the top) or a `pyproject.toml` that has a `[tool.salesflow]` table; `.salesflow.toml` wins
when a directory has both. Paths in it (per-file-ignores, exclude) are relative to its directory.

    [tool.salesflow]
    extends = "recommended"            # or "strict", "all"
    exclude = ["drafts/", "*.draft.flow"]

    [tool.salesflow.rules]
    missing-kpi = "warning"            # error | warning | info | off
    too-many-steps = { max = 25 }      # options; `severity` may sit beside them
    SF703 = { severity = "info", max = 50 }

    [tool.salesflow.per-file-ignores]
    "legacy/**" = ["missing-deadline", "SF101"]

Unknown keys, rules, options and presets are errors with a "did you mean". Tables named after
other salesflow commands (`render`, `handbook`, `fmt`, `init`) belong to them and are left alone.
"""

from __future__ import annotations

import os

from ..config_files import CONFIG_FILES, find_config_file, load_toml as _load_toml  # noqa: F401
from ..errors import ConfigError
from ..i18n import N_, _, gettext
from ..memo import memoized
from ..regex_cache import escape
from ..suggest import did_you_mean
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any, Iterable, Optional


# What a preset does with each rule's own SEVERITY and ENABLED.
class Preset(Fields):
    __slots__ = ()
    _fields = (
        "off_by_default_too",  # bool: also run the rules that are not ENABLED by default
        "severity",  # dict[str, str]: a rule's default severity → the one it has under the preset; others stay
    )

    def __new__(cls, off_by_default_too, severity):
        return tuple.__new__(cls, (off_by_default_too, severity))


PRESET_TABLE: dict[str, Preset] = {
    "recommended": Preset(off_by_default_too=False, severity={}),
    "strict": Preset(off_by_default_too=True, severity={"warning": "error"}),
    "all": Preset(off_by_default_too=True, severity={}),
}
PRESETS = tuple(PRESET_TABLE)
SEVERITY_LEVELS = ("error", "warning", "info", "off")
KEYS = ("extends", "rules", "per-file-ignores", "exclude", "lang")
OTHER_COMMANDS = ("render", "handbook", "fmt", "init")


class RuleConfig(Fields):
    __slots__ = ()
    _fields = (
        "severity",  # str: see SEVERITY_LEVELS
        "options",  # dict[str, Any]
    )

    def __new__(cls, severity, options):
        return tuple.__new__(cls, (severity, options))


class Config:
    """Which rules run, how severe each is and with which options, and which files to skip."""

    # A plain class: a dataclass would generate and compile its methods at every start.
    __slots__ = ("rules", "per_file_ignores", "exclude", "root", "path", "extends", "lang", "_active")

    def __init__(
        self,
        rules: dict[str, RuleConfig],
        per_file_ignores: tuple[tuple["PathPattern", frozenset[str]], ...] = (),
        exclude: tuple["PathPattern", ...] = (),
        root: Optional[str] = None,
        path: Optional[str] = None,
        extends: str = "recommended",
        lang: Optional[str] = None,
    ) -> None:
        self.rules = rules  # every rule, by name
        self.per_file_ignores = per_file_ignores
        self.exclude = exclude
        self.root = root  # the directory patterns are relative to; None: the working directory
        self.path = path  # the file it was read from
        self.extends = extends
        self.lang = lang  # the language messages are printed in (`salesflow.i18n`)
        self._active: dict = {}

    @staticmethod
    def default(preset: str = "recommended") -> "Config":
        return Config(rules=preset_rules(preset), extends=preset)

    def severity(self, name: str) -> str:
        return self.rules[name].severity

    def active(self, path: str) -> list[tuple[ModuleType, str, dict[str, Any]]]:
        """(rule, severity, options) for every rule that runs on `path`."""
        ignored = self._ignored(path)
        cached = self._active.get(ignored)
        if cached is None:
            from .rules import all_rules

            cached = [
                (rule, self.rules[rule.NAME].severity, self.rules[rule.NAME].options)
                for rule in all_rules()
                if self.rules[rule.NAME].severity != "off" and rule.NAME not in ignored
            ]
            self._active[ignored] = cached
        return cached

    def _ignored(self, path: str) -> frozenset[str]:
        if not self.per_file_ignores:
            return frozenset()
        relative = self.relative(path)
        names: set[str] = set()
        for pattern, rules in self.per_file_ignores:
            if pattern.matches(relative):
                names |= rules
        return frozenset(names)

    def excludes(self, path: str) -> bool:
        """Whether `path` is excluded from linting by `exclude`."""
        if not self.exclude:
            return False
        relative = self.relative(path)
        return any(pattern.matches(relative) for pattern in self.exclude)

    def unmatched_patterns(self, searched: Iterable[str], found: Iterable[str]) -> list[str]:
        """Warnings for `exclude` and `per-file-ignores` patterns that match none of the files found.

        `searched` are the folders a run walked and `found` the chart files it found in them. Only a
        run whose folders include this configuration's own folder sees every file a pattern could
        match, so any other run says nothing.
        """
        if self.root is None or not (self.exclude or self.per_file_ignores):
            return []
        root = os.path.abspath(self.root)
        if not any(_contains(os.path.abspath(folder), root) for folder in searched):
            return []
        pending = [("exclude", pattern) for pattern in self.exclude]
        pending += [("per-file-ignores", pattern) for pattern, _rules in self.per_file_ignores]
        for path in found:
            if not pending:
                break
            relative = self.relative(path)
            pending = [(key, pattern) for key, pattern in pending if not pattern.matches(relative)]
        shown = _shown_path(self.path) if self.path else root
        return [f'{shown}: warning: {key} pattern "{pattern.text}" matches no file' for key, pattern in pending]

    def relative(self, path: str) -> str:
        root = self.root or os.getcwd()
        try:
            relative = os.path.relpath(os.path.abspath(path), root)
        except ValueError:  # another drive on Windows
            relative = os.path.abspath(path)
        return relative.replace(os.sep, "/")

    def selecting(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> "Config":
        """This configuration with command-line --select and --ignore applied (they win)."""
        from .rules import all_rules

        rules = dict(self.rules)
        chosen = _words_to_rules(select, "--select")
        if chosen:
            for rule in all_rules():
                current = rules[rule.NAME]
                if rule.NAME in chosen:
                    if current.severity == "off":
                        rules[rule.NAME] = RuleConfig(rule.SEVERITY, current.options)
                else:
                    rules[rule.NAME] = RuleConfig("off", current.options)
        for name in _words_to_rules(ignore, "--ignore"):
            rules[name] = RuleConfig("off", rules[name].options)
        return Config(rules, self.per_file_ignores, self.exclude, self.root, self.path, self.extends, self.lang)


def _contains(folder: str, path: str) -> bool:
    try:
        return os.path.commonpath([folder, path]) == folder
    except ValueError:  # another drive on Windows
        return False


def _shown_path(path: str) -> str:
    """`path` relative to the working directory when it is below it, else absolute."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _words_to_rules(words: Iterable[str], option: str) -> set[str]:
    from .rules import matching, suggestion

    names: set[str] = set()
    for word in words:
        for part in word.split(","):
            part = part.strip()
            if not part:
                continue
            found = matching(part)
            if not found:
                raise ConfigError(
                    _("{option} names `{word}`, which is not a rule{hint}; see `salesflow rules`", option=option, word=part, hint=suggestion(part))
                )
            names.update(rule.NAME for rule in found)
    return names


def preset_rules(preset: str) -> dict[str, RuleConfig]:
    """Every rule's severity and default options under a preset."""
    from .rules import all_rules

    if preset not in PRESETS:
        raise ConfigError(
            _("`{preset}` is not a preset{hint}; presets: {presets}", preset=preset, hint=did_you_mean(preset, PRESETS), presets=", ".join(PRESETS))
        )
    table = PRESET_TABLE[preset]
    result = {}
    for rule in all_rules():
        defaults = {name: option.default for name, option in rule.OPTIONS.items()}
        runs = rule.ENABLED or table.off_by_default_too
        severity = table.severity.get(rule.SEVERITY, rule.SEVERITY) if runs else "off"
        result[rule.NAME] = RuleConfig(severity, defaults)
    return result


# ---------------------------------------------------------------------- discovery


def load_config(path: str) -> Config:
    """The configuration for the file at `path` (`-` or `<stdin>`: the working directory's)."""
    if path in ("-", "<stdin>"):
        directory = os.getcwd()
    else:
        directory = os.path.dirname(os.path.abspath(path))
    found = find_config_file(directory)
    if found is None:
        return _default()
    return read_config(found)


@memoized(maxsize=1)
def _default() -> Config:
    return Config.default()


@memoized(maxsize=256)
def read_config(path: str) -> Config:
    """Read one configuration file: a `.salesflow.toml` (or any TOML) or a pyproject.toml."""
    path = os.path.abspath(path)
    data = _load_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        table = data.get("tool", {}).get("salesflow")
        if table is None:
            raise ConfigError(_("{path}: there is no [tool.salesflow] table in this pyproject.toml", path=path))
        where = "[tool.salesflow]"
    else:
        table = data
        where = TOP_LEVEL
    return from_table(table, path, where)


TOP_LEVEL = N_("the top level")  # where the settings of a .salesflow.toml sit, as a message says it


def from_table(table: Any, path: str, where: str = TOP_LEVEL) -> Config:
    """A `Config` from the parsed TOML table; every mistake is a `ConfigError` naming `path`."""
    from .rules import lookup, matching, suggestion

    def fail(message: str) -> ConfigError:
        return ConfigError(f"{path}: {message}")

    shown_where = gettext(where)
    if not isinstance(table, dict):
        raise fail(_("{where} must be a table", where=shown_where))
    for key, value in table.items():
        if key in KEYS:
            continue
        if key in OTHER_COMMANDS and isinstance(value, dict):
            continue
        if key == "tool" and where == TOP_LEVEL:
            raise fail(_(
                "in a .salesflow.toml the settings sit at the top level (`extends = …`, `[rules]`, "
                "`[per-file-ignores]`); `[tool.salesflow]` is the table's name in pyproject.toml"
            ))
        raise fail(_("unknown key `{key}` in {where}{hint}; lint reads {keys}", key=key, where=shown_where, hint=did_you_mean(key, KEYS), keys=", ".join(KEYS)))

    extends = table.get("extends", "recommended")
    if not isinstance(extends, str):
        raise fail(_("`extends` is the name of a preset ({presets}), not {value}", presets=", ".join(PRESETS), value=_kind(extends)))
    if extends not in PRESETS:
        raise fail(_(
            "`extends` names `{preset}`, which is not a preset{hint}; presets: {presets}",
            preset=extends, hint=did_you_mean(extends, PRESETS), presets=", ".join(PRESETS),
        ))
    rules = preset_rules(extends)

    rule_table = table.get("rules", {})
    if not isinstance(rule_table, dict):
        raise fail(_("`rules` must be a table of rule = severity or rule = {{ severity = …, option = … }}"))
    for key, value in rule_table.items():
        rule = lookup(key)
        if rule is None:
            raise fail(_("`rules` names `{word}`, which is not a rule{hint}; see `salesflow rules`", word=key, hint=suggestion(key)))
        current = rules[rule.NAME]
        if isinstance(value, str):
            rules[rule.NAME] = RuleConfig(_severity(value, key, fail), current.options)
        elif isinstance(value, dict):
            severity = current.severity
            options = dict(current.options)
            for option_name, option_value in value.items():
                if option_name == "severity":
                    severity = _severity(option_value, key, fail)
                    continue
                if option_name not in rule.OPTIONS:
                    known = ", ".join(rule.OPTIONS) or _("none")
                    raise fail(_(
                        "`{option}` is not an option of {rule}{hint}; its options: {known}",
                        option=option_name, rule=rule.NAME,
                        hint=did_you_mean(option_name, list(rule.OPTIONS) + ["severity"]), known=known,
                    ))
                options[option_name] = check_option(rule, option_name, option_value, fail)
            rules[rule.NAME] = RuleConfig(severity, options)
        else:
            raise fail(_(
                "`rules.{key}` is a severity ({levels}) or a table, not {value}",
                key=key, levels=", ".join(SEVERITY_LEVELS), value=_kind(value),
            ))

    ignores = table.get("per-file-ignores", {})
    if not isinstance(ignores, dict):
        raise fail(_('`per-file-ignores` must be a table of "pattern" = ["rule", …]'))
    per_file = []
    for pattern, value in ignores.items():
        words = [value] if isinstance(value, str) else value
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise fail(_('`per-file-ignores."{pattern}"` must be a list of rule names or codes', pattern=pattern))
        names = set()
        for word in (part.strip() for w in words for part in w.split(",")):
            if not word:
                continue
            found = matching(word)
            if not found:
                raise fail(_(
                    '`per-file-ignores."{pattern}"` names `{word}`, which is not a rule{hint}',
                    pattern=pattern, word=word, hint=suggestion(word),
                ))
            names.update(r.NAME for r in found)
        per_file.append((_path_pattern(pattern, "per-file-ignores", fail), frozenset(names)))

    lang = table.get("lang")
    if lang is not None:
        from ..i18n import LANGUAGES, match_language

        if not isinstance(lang, str) or match_language(lang) is None:
            raise fail(_(
                "`lang` is the language of salesflow's messages ({languages}), not {value}",
                languages=", ".join(LANGUAGES), value=_kind(lang) if not isinstance(lang, str) else f"`{lang}`",
            ))

    exclude = table.get("exclude", [])
    if isinstance(exclude, str):
        exclude = [exclude]
    if not isinstance(exclude, list) or not all(isinstance(p, str) for p in exclude):
        raise fail(_("`exclude` must be a list of path patterns"))

    return Config(
        rules=rules,
        per_file_ignores=tuple(per_file),
        exclude=tuple(_path_pattern(p, "exclude", fail) for p in exclude),
        root=os.path.dirname(path),
        path=path,
        extends=extends,
        lang=lang,
    )


def _path_pattern(text: str, key: str, fail) -> "PathPattern":
    try:
        return PathPattern(text)
    except ValueError as exc:
        raise fail(_('{key} pattern "{pattern}" cannot be used: {reason}', key=key, pattern=text, reason=exc)) from None


def _severity(value: Any, key: str, fail) -> str:
    if isinstance(value, str) and value.lower() in SEVERITY_LEVELS:
        return value.lower()
    shown = value if isinstance(value, str) else _kind(value)
    hint = did_you_mean(str(value), SEVERITY_LEVELS) if isinstance(value, str) else ""
    raise fail(_(
        "the severity of `{key}` is one of {levels}, not `{written}`{hint}",
        key=key, levels=", ".join(SEVERITY_LEVELS), written=shown, hint=hint,
    ))


def check_option(rule: ModuleType, name: str, value: Any, fail) -> Any:
    """A checked option value, converted where needed (durations are read)."""
    option = rule.OPTIONS[name]
    where = _("option `{name}` of {rule}", name=name, rule=rule.NAME)
    if option.kind == "bool":
        if not isinstance(value, bool):
            raise fail(_("{where} is true or false, not {value}", where=where, value=_kind(value)))
        return value
    if option.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(_("{where} is a whole number, not {value}", where=where, value=_kind(value)))
        if option.minimum is not None and value < option.minimum:
            raise fail(_("{where} is at least {minimum}, not {value}", where=where, minimum=option.minimum, value=value))
        return value
    if option.kind == "words":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(_('{where} is a list of words, such as ["TBD", "待定"]', where=where))
        return tuple(value)
    if option.kind == "duration":
        if value in ("", False):
            return None
        from ..durations import parse_duration
        from ..errors import DurationError

        try:
            return parse_duration(value)
        except DurationError as exc:
            raise fail(f"{where}: {exc}") from None
    raise AssertionError(f"unknown option kind {option.kind}")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return _("the number {value}", value=value)
    if isinstance(value, str):
        return _("the text `{value}`", value=value)
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a table")
    return type(value).__name__


class PathPattern:
    """A path pattern from `exclude` or `per-file-ignores`, as in .gitignore, relative to the config's folder.

    `*` matches within one folder name, `**` across folders, `?` one character, `[…]` a set
    (`[!…]` its complement). A pattern with a `/` before its end is anchored at the config's folder
    (`team/*.flow`, `/old.flow`); one without matches that name at any depth (`*.draft.flow`,
    `drafts/`). A trailing `/` matches only a folder, and a pattern that matches a folder matches
    everything in it. Files outside the config's folder never match.

    Matching takes time linear in the path: each folder name is matched by locating the pattern's
    fixed pieces between `*`s, each at its leftmost place, and the folders by locating the parts
    between `**`s the same way. A regular expression with backtracking takes time growing as a
    power of the path's length for patterns such as `*a*a*a*b`.
    """

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        body = pattern.strip().replace("\\", "/")
        while body.startswith("./"):
            body = body[2:]
        folder_only = body.endswith("/")
        anchored = "/" in body.rstrip("/")
        names = [name for name in body.split("/") if name]
        if not names:
            raise ValueError(_("it names no file or folder"))
        parts: list[Optional[_NamePattern]] = [] if anchored else [None]
        for name in names:
            if name == "**":
                if not parts or parts[-1] is not None:
                    parts.append(None)
            else:
                parts.append(_NamePattern(name))
        if folder_only:
            parts.append(_NamePattern("*"))  # something inside the folder
        if parts[-1] is not None:
            parts.append(None)  # a folder's pattern covers what is in it
        self._parts = tuple(parts)

    def matches(self, relative: str) -> bool:
        """Whether the `/`-separated path, relative to the config's folder, is matched."""
        names = relative.split("/")
        if not relative or names[0] == ".." or relative.startswith("/"):
            return False
        return _match_pieces(self._parts, names)

    def __repr__(self) -> str:
        return f"PathPattern({self.text!r})"


def _match_pieces(pattern: tuple, names: list[str]) -> bool:
    """Whether `pattern` (name patterns, and None for `**`) matches the whole list of `names`.

    Each name pattern matches exactly one name, so the patterns between two `**` match a fixed
    number of names: taking the leftmost place for each such group leaves the most room for the
    rest, and the search never has to go back.
    """
    groups: list[list[_NamePattern]] = [[]]
    for piece in pattern:
        if piece is None:
            groups.append([])
        else:
            groups[-1].append(piece)

    def fits(group: list[_NamePattern], at: int) -> bool:
        return all(piece.matches(names[at + offset]) for offset, piece in enumerate(group))

    if len(groups) == 1:
        return len(groups[0]) == len(names) and fits(groups[0], 0)
    first, middle, last = groups[0], groups[1:-1], groups[-1]
    end = len(names) - len(last)
    if end < len(first) or not fits(first, 0) or not fits(last, end):
        return False
    position = len(first)
    for group in middle:
        found = next((at for at in range(position, end - len(group) + 1) if fits(group, at)), -1)
        if found < 0:
            return False
        position = found + len(group)
    return True


class _NamePattern:
    """One file or folder name's pattern: fixed runs (letters, `?`, sets) between `*`s.

    A run always matches as many characters as it has items, so the same leftmost search
    as for folders applies, with `str.find` (or a regular expression without any repetition)
    locating each run.
    """

    def __init__(self, text: str) -> None:
        self.runs: list[_Run] = []
        current: list[tuple[str, Optional[str]]] = []  # (regular-expression item, the letter or None)
        index = 0
        while index < len(text):
            char = text[index]
            if char == "*":
                self.runs.append(_Run(current))
                current = []
                while index < len(text) and text[index] == "*":
                    index += 1
                continue
            found = _character_set(text, index) if char == "[" else None
            if found is not None:
                current.append((found[0], None))
                index = found[1]
                continue
            current.append((".", None) if char == "?" else (escape(char), char))
            index += 1
        self.runs.append(_Run(current))

    def matches(self, name: str) -> bool:
        if len(self.runs) == 1:
            return self.runs[0].size == len(name) and self.runs[0].match_at(name, 0)
        first, middle, last = self.runs[0], self.runs[1:-1], self.runs[-1]
        end = len(name) - last.size
        if end < first.size or not first.match_at(name, 0) or not last.match_at(name, end):
            return False
        position = first.size
        for run in middle:
            found = run.search(name, position, end)
            if found < 0:
                return False
            position = found + run.size
        return True


class _Run:
    """Pattern characters with no `*` between them: they match exactly `size` characters."""

    def __init__(self, items: list[tuple[str, Optional[str]]]) -> None:
        self.size = len(items)
        letters = [letter for _item, letter in items]
        self.text = "".join(letters) if None not in letters else None  # None: needs the expression
        self.regex = None
        if self.text is None:
            import re  # only for a pattern with `?` or `[…]` in it

            self.regex = re.compile("".join(item for item, _letter in items), re.S)

    def match_at(self, name: str, start: int) -> bool:
        if self.text is not None:
            return name.startswith(self.text, start)
        return self.regex.match(name, start) is not None

    def search(self, name: str, start: int, end: int) -> int:
        """The leftmost place at or after `start` where the run fits before `end`, or -1."""
        if self.text is not None:
            return name.find(self.text, start, end)
        found = self.regex.search(name, start, end)
        return found.start() if found else -1


def _character_set(text: str, start: int) -> Optional[tuple[str, int]]:
    """`[…]` at `start` as one regular-expression item and the index after it; None: a plain `[`."""
    index = start + 1
    negate = index < len(text) and text[index] in "!^"
    if negate:
        index += 1
    members: list[str] = []
    first = True
    while index < len(text) and (text[index] != "]" or first):
        first = False
        low = text[index]
        if index + 2 < len(text) and text[index + 1] == "-" and text[index + 2] != "]":
            high = text[index + 2]
            if low <= high:  # a backwards range matches nothing, as in fnmatch
                members.append(f"{escape(low)}-{escape(high)}")
            index += 3
        else:
            members.append(escape(low))
            index += 1
    if index >= len(text):
        return None
    if not members:
        return ("." if negate else "(?!)"), index + 1
    return f"[{'^' if negate else ''}{''.join(members)}]", index + 1
