"""The language a chart is written in, decided once for every part that speaks to its reader.

The linter words its examples (`2个工作日` or `2 workdays`) and the handbook chooses its interface
text by the same rule:

1. the front matter's `lang:` wins (any language in `salesflow.i18n.LANGUAGES`; a code such as
   `zh-CN` counts as `zh`);
2. otherwise the chart's own words — its title, stage labels and owners — decide: it is Chinese
   when they hold at least one Han character for every two Latin letters (a Han character carries
   about as much as a short English word's worth of letters), and English otherwise. One Chinese
   label among English ones leaves a chart English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Collection, Optional

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, match_language
from .lazy_regex import LazyRegex

if TYPE_CHECKING:
    from .model import Process

# Runs of Han characters, and runs of anything but Latin letters: counting by runs rather than by
# character keeps the count to one pass in C and one short string, not a string per character.
_HAN_RUN = LazyRegex(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NOT_LATIN = LazyRegex(r"[^A-Za-z]+")


def chart_language(process: "Process", available: Collection[str] = LANGUAGES) -> str:
    """The language of `process`, one of `available`: see the module's documentation."""
    declared = declared_language(process.lang, available)
    if declared is not None:  # the chart's words are not read at all
        return declared
    return language_of(None, chart_words(process), available)


def language_of(declared: Optional[str], words: str, available: Collection[str] = LANGUAGES) -> str:
    """The language a chart declaring `declared` (or nothing) and made of `words` is written in."""
    code = declared_language(declared, available)
    if code is not None:
        return code
    return "zh" if "zh" in available and mostly_chinese(words) else DEFAULT_LANGUAGE


def declared_language(declared: Optional[str], available: Collection[str] = LANGUAGES) -> Optional[str]:
    """The language the front matter's `lang:` names, one of `available`, or None to let the words decide."""
    return match_language(declared, available) if declared else None


def chart_words(process: "Process") -> str:
    """The chart's own words, as its author wrote them: title, stage labels and owners."""
    parts = [process.title or ""] + [n.label for n in process.nodes] + [n.owner or "" for n in process.nodes]
    return " ".join(parts)


def mostly_chinese(text: str) -> bool:
    """At least one Han character for every two Latin letters, and at least one Han character."""
    latin = len(_NOT_LATIN.sub("", text))
    # The Han characters it takes, counted only until there are that many: in a Chinese chart
    # the first few labels decide.
    needed = max(1, (latin + 1) // 2)
    han = 0
    for run in _HAN_RUN.finditer(text):
        han += run.end() - run.start()
        if han >= needed:
            return True
    return False
