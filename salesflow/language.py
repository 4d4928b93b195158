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

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, match_language
from .lazy_regex import LazyRegex

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Collection, Optional

    from .model import Process

# Runs of Han characters: counting by runs rather than one string per character.
_HAN_RUN = LazyRegex(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Every ASCII code but the Latin letters A-Z and a-z: deleted from a text's ASCII bytes, what is
# left is its letters, counted in one pass in C.
_NOT_LETTERS = bytes(code for code in range(128) if not (65 <= code <= 90 or 97 <= code <= 122))


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
    ascii_only = text.encode("ascii", "ignore")
    latin = len(ascii_only.translate(None, _NOT_LETTERS))
    needed = max(1, (latin + 1) // 2)  # Han characters it takes
    # Han characters are among the non-ASCII ones: too few of those decide it at once (an
    # English chart); otherwise they are counted only until there are enough (a Chinese chart's
    # first few labels decide).
    if len(text) - len(ascii_only) < needed:
        return False
    han = 0
    for run in _HAN_RUN.finditer(text):
        han += run.end() - run.start()
        if han >= needed:
            return True
    return False
