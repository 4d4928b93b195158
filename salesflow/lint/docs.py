"""Reading a rule's documentation (its module docstring) into parts: summary, sections, examples.

A docstring starts with a one-line summary and a description; then come sections, each a
heading line ending in `:` followed by an indented body:

    Why it matters:        why a sales reviewer cares
    Options:               each option with its default
    Failing example:       a chart the rule reports
    Passing example:       a similar chart it accepts

An example heading may name the options it is run with, as TOML, when the defaults are too big
to show: `Failing example (with max-edges = 2):`.

The English docstring is the source; other languages come from the `rules` gettext catalog
(salesflow/locale/<lang>/LC_MESSAGES/rules.mo), whose entries are the prose units `prose()`
lists: the summary, each paragraph or list item of the description and of "Why it matters",
each option's description and any default written in words. Charts, option names and default
values stay as written. `make rule-catalog` extracts the units with this same reader, so the
catalog and the documentation cannot disagree on what a unit is.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    import gettext

SECTIONS = ("Why it matters", "Options", "Failing example", "Passing example")


def R_(message: str) -> str:
    """Marks fixed text of the rule documentation for the `rules` catalog; it is translated where shown."""
    return message


# How the fixed parts of a document read in another language (the English stays as written).
_SHOWN_HEADINGS = {
    "Why it matters": R_("Why it matters"),
    "Options": R_("Options"),
    "Failing example": R_("Failing example (reported)"),
    "Passing example": R_("Passing example (accepted)"),
}
_WITH_OPTIONS = R_("{heading}, with {options}")
_DEFAULT = R_("{name} (default: {value})")
_COLON = R_("{heading}:")
# Paragraphs in another language are wrapped to this many terminal columns, as the English is.
WIDTH = 96


def text(rule: ModuleType) -> str:
    """The documentation as written, without the docstring's indentation."""
    return inspect.cleandoc(rule.__doc__ or "")


def summary(rule: ModuleType, lang: str = "en") -> str:
    """The one-line summary, without its full stop, in `lang`."""
    line = text(rule).split("\n", 1)[0].strip()
    return translator(lang)(line).rstrip(".。")


_HEADING = re.compile(r"^(?P<name>[A-Z][a-z ]+?)(?: \(with (?P<options>[^)]*)\))?:$")


def _headings(doc: str) -> list[tuple[str, str, list[str]]]:
    """(section, options text, body lines) for each part of the documentation."""
    lines = doc.split("\n")[1:]
    parts: list[tuple[str, str, list[str]]] = [("description", "", [])]
    for line in lines:
        match = _HEADING.match(line) if not line.startswith(" ") else None
        if match and match.group("name") in SECTIONS:
            parts.append((match.group("name"), match.group("options") or "", []))
            continue
        parts[-1][2].append(line)
    return parts


def sections(rule: ModuleType, lang: str = "en") -> dict[str, str]:
    """`description` plus each section heading → its body, dedented; prose in `lang`.

    The keys are the English headings in every language.
    """
    if lang == "en":
        return {name: _dedent(body) for name, _options, body in _headings(text(rule))}
    gettext = translator(lang)
    parts = {}
    for name, _options, body in _headings(text(rule)):
        body_text = _dedent(body)
        if name in ("description", "Why it matters", "Options") and body_text:
            body_text = "\n".join(_translated_blocks(body_text, gettext, 0)) + "\n"
        parts[name] = body_text
    return parts


def examples(rule: ModuleType) -> tuple[str, str]:
    """(failing, passing) example charts."""
    parts = sections(rule)
    return parts.get("Failing example", ""), parts.get("Passing example", "")


def example_options(rule: ModuleType) -> tuple[dict, dict]:
    """The options the (failing, passing) examples run with: none unless their heading says."""
    import tomllib

    found = {name: tomllib.loads(options.replace(", ", "\n")) for name, options, _body in _headings(text(rule)) if options}
    return found.get("Failing example", {}), found.get("Passing example", {})


def _dedent(lines: list[str]) -> str:
    import textwrap

    return textwrap.dedent("\n".join(lines)).strip("\n") + ("\n" if any(l.strip() for l in lines) else "")


# --- prose units: what the catalog translates ------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One piece of prose to translate: its English text, where it is (line within the docstring), what it is."""

    text: str
    line: int
    part: str


_OPTION = re.compile(r"^(?P<name>[a-z][a-z0-9-]*) \(default: (?P<value>.*)\)$")
_ITEM = "- "


def _blocks(body: list[str], first_line: int) -> Iterator[tuple[str, int, list[str]]]:
    """(kind, line, lines) of a dedented body: `para`, `item` (a `- ` list entry) or `option` (a heading)."""
    current: list[str] = []
    kind, start = "para", first_line
    for number, line in enumerate(body, first_line):
        begins_item = line.startswith(_ITEM)
        option = _OPTION.match(line)
        if not line.strip() or begins_item or option or (current and kind == "option"):
            if current:
                yield kind, start, current
            current = []
            if not line.strip():
                continue
        if not current:
            kind, start = ("item" if begins_item else "option" if option else "para"), number
        current.append(line)
    if current:
        yield kind, start, current


def _joined(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines).removeprefix(_ITEM)


def prose(doc: str) -> Iterator[Unit]:
    """The translatable units of a docstring (cleaned with `inspect.cleandoc`), in order."""
    lines = doc.split("\n")
    yield Unit(lines[0].strip(), 1, "summary")
    number = 2
    for name, _options, body in _headings(doc):
        if name != "description":
            number += 1  # the heading line
        if name in ("description", "Why it matters", "Options"):
            yield from _units(body, number, name)
        number += len(body)


def _units(body: list[str], first_line: int, section: str) -> Iterator[Unit]:
    indent = min((len(l) - len(l.lstrip()) for l in body if l.strip()), default=0)
    dedented = [line[indent:] for line in body]
    option = ""
    for kind, line, block in _blocks(dedented, first_line):
        if kind == "option":
            match = _OPTION.match(block[0])
            option = match.group("name")
            if _in_words(match.group("value")):
                yield Unit(match.group("value"), line, f"default of option {option}")
            continue
        if block[0].startswith(" "):  # an option's description, indented under its heading
            yield from _units(block, line, f"option {option}")
            continue
        yield Unit(_joined(block), line, section)


def _in_words(value: str) -> bool:
    """A default written as a phrase (`the list below`), not as a value (`40`, `true`, `[]`)."""
    return " " in value.strip()


def _translated_blocks(body: str, gettext: Callable[[str], str], indent: int) -> list[str]:
    """The lines of a dedented section body, its prose translated and wrapped at `indent`."""
    from ..textwidth import wrap

    lines = body.rstrip("\n").split("\n")
    base = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    lines = [line[base:] for line in lines]
    out: list[str] = []
    pad = " " * indent
    previous = ""
    for kind, _line, block in _blocks(lines, 0):
        nested = block[0].startswith(" ")  # an option's description, under its heading
        # Paragraphs are apart, as written; an option's lines and the items of one list are not.
        if out and not nested and kind != "option" and not (kind == "item" and previous == "item"):
            out.append("")
        previous = kind
        if kind == "option":
            match = _OPTION.match(block[0])
            value = match.group("value")
            value = gettext(value) if _in_words(value) else value
            out.append(pad + gettext(_DEFAULT).format(name=match.group("name"), value=value))
        elif nested:
            out.extend(_translated_blocks("\n".join(block), gettext, indent + 4))
        elif kind == "item":
            wrapped = wrap(gettext(_joined(block)), WIDTH - indent - len(_ITEM))
            out.extend(pad + (_ITEM if i == 0 else " " * len(_ITEM)) + l for i, l in enumerate(wrapped))
        else:
            out.extend(pad + l for l in wrap(gettext(_joined(block)), WIDTH - indent))
    return out


def render(rule: ModuleType, lang: str = "en") -> str:
    """The whole documentation in `lang`: English as written; otherwise from the `rules` catalog."""
    if lang == "en":
        return text(rule)
    gettext = translator(lang)
    parts = sections(rule, lang)
    out = [gettext(text(rule).split("\n", 1)[0].strip()), ""]
    out.append(parts["description"].rstrip("\n"))
    for name, options, _body in _headings(text(rule))[1:]:
        heading = gettext(_SHOWN_HEADINGS[name])
        if options:
            heading = gettext(_WITH_OPTIONS).format(heading=heading, options=options)
        out += ["", gettext(_COLON).format(heading=heading)]
        out += [("    " + l if l else l) for l in parts[name].rstrip("\n").split("\n")]
    return "\n".join(out)


# --- the catalog ------------------------------------------------------------------------------


def translator(lang: str) -> Callable[[str], str]:
    """The `rules` catalog's gettext for `lang`; for English the text as written, with no catalog loaded."""
    return _as_written if lang == "en" else rule_translations(lang).gettext


def _as_written(message: str) -> str:
    return message


@lru_cache(maxsize=None)
def rule_translations(lang: str) -> "gettext.NullTranslations":
    """The `rules` catalog for `lang`, loaded on first use; English (no translation) when there is none."""
    from ..i18n import translations

    return translations(lang, "rules")


def rule_languages() -> tuple[str, ...]:
    """English and every language the `rules` catalog has a translation for."""
    from importlib import resources

    folder = resources.files("salesflow.locale")
    found = sorted(p.name for p in folder.iterdir() if (p / "LC_MESSAGES" / "rules.mo").is_file())
    return ("en", *found)
