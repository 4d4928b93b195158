"""The rule catalogue: one module per rule, listed here once.

Each module's docstring is the rule's documentation (`salesflow rules NAME` prints it) and its
constants say who it is: CODE (stable, never reused), NAME (kebab-case), SEVERITY (default),
ENABLED (on in the `recommended` preset), THEME, TITLE and FIX (what a finding is about and what
to do, in plain words, by language: the handbook shows them), OPTIONS (name → `Option`).
`check(ctx, options)` yields `Problem`s (see `..api`); the engine does the rest. Engine rules (about suppression comments)
have no `check`: the engine reports them itself.
"""

from __future__ import annotations

import sys

from ...memo import memoized

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Optional

# Adding a rule: one module here, one line below, one case file in tests/rules/.
MODULES = (
    "unused_suppression",
    "invalid_suppression",
    "missing_owner",
    "vague_owner",
    "unknown_owner",
    "unused_role",
    "missing_deadline",
    "invalid_duration",
    "cycle_time_over_target",
    "missing_target",
    "no_start",
    "no_end",
    "multiple_starts",
    "unreachable",
    "dead_end",
    "disconnected",
    "duplicate_edge",
    "self_loop",
    "end_with_outgoing_links",
    "invalid_kind",
    "missing_feedback_loop",
    "decision_needs_two_branches",
    "unlabeled_decision_branch",
    "missing_fallback",
    "duplicate_branch_label",
    "handoff_without_note",
    "too_many_steps",
    "too_many_branches",
    "label_too_long",
    "too_large_for_mermaid",
    "goal_not_smart",
    "goal_date_passed",
    "rates_over_100",
    "missing_kpi",
    "invalid_rate",
)

# Rules the engine reports itself, about `%% salesflow:` comments.
ENGINE_RULES = frozenset({"unused-suppression", "invalid-suppression"})


@memoized(maxsize=1)
def all_rules() -> tuple[ModuleType, ...]:
    """Every rule module, in catalogue order (by code)."""
    # Imported by name as importlib.import_module does, without importing importlib (and warnings).
    modules = []
    for name in MODULES:
        __import__(f"{__name__}.{name}")
        modules.append(sys.modules[f"{__name__}.{name}"])
    return tuple(sorted(modules, key=lambda m: m.CODE))


@memoized(maxsize=1)
def _index() -> dict[str, ModuleType]:
    index: dict[str, ModuleType] = {}
    for rule in all_rules():
        index[rule.NAME] = rule
        index[rule.CODE.lower()] = rule
    return index


def lookup(word: str) -> Optional[ModuleType]:
    """The rule called `word` (a name such as missing-owner, or a code such as SF101)."""
    return _index().get(word.strip().lower().replace("_", "-"))


def suggestion(word: str) -> str:
    """` (did you mean `x`?)` for the closest rule name or code, or nothing."""
    import difflib  # only when something was mistyped

    word = word.strip()
    close = difflib.get_close_matches(word.lower(), _within_reach(len(word), 0.6, "NAME"), n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.upper(), _within_reach(len(word), 0.7, "CODE"), n=1, cutoff=0.7)
    from ...suggest import hint

    return hint(close[0] if close else None)


@memoized(maxsize=None)
def _within_reach(size: int, cutoff: float, attribute: str) -> tuple[str, ...]:
    """Names or codes whose length allows a similarity of `cutoff` with a word of `size` characters.

    The ratio is at most 2·min(a, b) / (a + b): a suppression comment naming thousands of unknown
    words then costs one look-up each instead of a comparison with every rule.
    """
    words = (getattr(rule, attribute) for rule in all_rules())
    return tuple(w for w in words if 2 * min(size, len(w)) >= cutoff * (size + len(w)))


def matching(word: str) -> list[ModuleType]:
    """Rules a --select/--ignore word means: a name, a code, a code prefix such as SF1, or ALL."""
    word = word.strip()
    if word.upper() == "ALL":
        return list(all_rules())
    rule = lookup(word)
    if rule is not None:
        return [rule]
    upper = word.upper()
    if len(upper) >= 3 and upper.startswith("SF"):
        return [r for r in all_rules() if r.CODE.startswith(upper)]
    return []
