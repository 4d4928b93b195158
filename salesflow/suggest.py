"""Did you mean: the known word a mistyped one most likely stands for, and the hint that names it.

Every message that offers a correction — an unknown key, preset, option, shape, kind, lane, rule,
role or CRM stage — asks here, so they all suggest alike and word the hint alike.
"""

from __future__ import annotations

from .i18n import _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterable, Optional


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> Optional[str]:
    """The choice `word` means: itself in another case, else the most similar one (difflib's
    ratio at least `cutoff`), else None.

    >>> closest("Owner", ["owner", "due"]), closest("ownr", ["owner", "due"]), closest("价格", ["owner"])
    ('owner', 'owner', None)
    """
    options = list(choices)
    by_case = {choice.lower(): choice for choice in options}
    if word.lower() in by_case:
        return by_case[word.lower()]
    import difflib  # only when something was mistyped

    close = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    return close[0] if close else None


def hint(meant: Optional[str]) -> str:
    """` (did you mean `owner`?)`, or nothing when there is no word to suggest."""
    return _(" (did you mean `{word}`?)", word=meant) if meant else ""


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """The hint for the choice closest to `word`, or nothing."""
    return hint(closest(word, choices, cutoff))
