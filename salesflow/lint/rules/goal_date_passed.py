"""A process goal whose date has already passed.

A goal in the front matter that is bound to a date (`2025年底前`, `2026年3月31日前`,
`by the end of Q2 2026`, `FY2025`) is due by the latest date it names: a full date is that
day, a month its last day, a quarter or half year its last day, a year its 31 December. When
that day is before the day of the review, the goal is reported. The day of the review is the
`--date` given to `salesflow lint`, else the day of SOURCE_DATE_EPOCH if set, else today. Goals without an absolute date (`每月`,
`明年`) are left alone.

Why it matters:
    数据反馈: a process file outlives its first quarter. A goal whose date has passed is
    either met (record it and set the next one) or missed (say so); left as it is, the
    handbook hands new reps last year's targets.

Options:
    none.

Failing example:
    ---
    goals: [2020年底前，赢单率从20%提升到30%]
    ---
    flowchart LR
        A[报价] --> B[签约]

Passing example:
    ---
    goals: [2099年底前，赢单率从20%提升到30%]
    ---
    flowchart LR
        A[报价] --> B[签约]
"""

from __future__ import annotations

import unicodedata

from ...lazy_regex import LazyRegex
from ..api import Context, Problem, _, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator, Optional

CODE = "SF805"
NAME = "goal-date-passed"
SEVERITY = "warning"
ENABLED = True
THEME = "measurement"
TITLE = {"en": "A goal's date has passed", "zh": "目标的完成日期已过"}
FIX = {"en": "Record whether it was met, and set the next goal with a new date.", "zh": "记下是否达成，再定下一个有新日期的目标。"}
OPTIONS: dict = {}

_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Every pattern is a fixed sequence of bounded pieces (the goal's spaces are collapsed first),
# so each is tried in constant time per position: linear however long the goal.
#
# Each comes with words, one of which is in any text it matches: a goal with none of them is not
# searched with it, and the pattern is not even compiled (each costs a tenth of a millisecond or
# more). Every one of them reads a year, so a goal without `19` or `20` names no date at all.
_YEAR = r"(?<!\d)(?P<year>(?:19|20)\d{2})(?!\d)"
_SEPARATORS = ("年", "-", "/", ".")
_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_YEAR_WORDS = ("fy", "fiscal year", "year", "in", "by", "before", "until", "through", "end of", "during", "of")
# A class of scattered Han characters compiles to a table over the whole Basic Multilingual Plane:
# the quarter pattern also comes with figures only, for the goals that have none of 一二三四.
_QUARTER = _YEAR + r" ?年? ?(?:第?(?P<quarter>[{digits}]) ?季度|q(?P<q>[1-4]))(?!\d)"
_QUARTERS = LazyRegex(_QUARTER.replace("{digits}", "一二三四1-4"))
_QUARTERS_IN_FIGURES = LazyRegex(_QUARTER.replace("{digits}", "1-4"))
_CHINESE_QUARTERS = frozenset("一二三四")
_PATTERNS = (
    # 2026年3月31日, 2026-03-31, 2026/3/31, 2026.3.31
    (
        LazyRegex(_YEAR + r" ?(?:年|-|/|\.) ?(?P<month>\d{1,2}) ?(?:月|-|/|\.) ?(?P<day>\d{1,2})(?!\d)"),
        ("月", "-", "/", "."),
    ),
    # 12/31/2026 (month first, as written in the US)
    (LazyRegex(r"(?<![\d/])(?P<month>\d{1,2})/(?P<day>\d{1,2})/" + _YEAR), ("/",)),
    # 2026年3月, 2026-03
    (LazyRegex(_YEAR + r" ?(?:年|-|/|\.) ?(?P<month>\d{1,2})(?!\d)(?! ?(?:月|-|/|\.) ?\d)"), _SEPARATORS),
    # 2026年Q2, 2026年第二季度, 2026 Q2, Q2 2026
    (_QUARTERS, ("季度", "q")),
    (LazyRegex(r"(?<![a-z0-9])q(?P<q>[1-4]) ?(?:of |fy ?)?" + _YEAR), ("q",)),
    # 2026年上半年 / 下半年, 2026 H1, H2 2026
    (LazyRegex(_YEAR + r" ?年? ?(?:(?P<half>[上下])半年|h(?P<h>[12])(?!\d))"), ("半年", "h")),
    (LazyRegex(r"(?<![a-z0-9])h(?P<h>[12]) ?(?:of |fy ?)?" + _YEAR), ("h",)),
    # June 30, 2026 / 30 June 2026 / June 2026
    (LazyRegex(rf"\b(?P<mname>{_MONTH})\.? (?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? )?" + _YEAR), _MONTH_WORDS),
    (LazyRegex(rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?P<mname>{_MONTH})\.?,? " + _YEAR), _MONTH_WORDS),
    # a year on its own, said to be one (2025年, 2025年底, 2025财年, FY2025, fiscal year 2025, by 2025),
    # so that amounts such as 销售额2000万 are not taken for years
    (LazyRegex(_YEAR + r" ?(?:年|财年|年度)"), ("年",)),
    (
        LazyRegex(r"(?<![a-z])(?:" + "|".join(_YEAR_WORDS) + r") ?" + _YEAR + r"(?!\d|\.\d|%)"),
        _YEAR_WORDS,
    ),
)


def due_date(goal: str) -> Optional[tuple[int, int, int]]:
    """The latest day `goal` names, as (year, month, day), or None when it names no date.

    Days are tuples, not `datetime.date`s: they compare alike, and a lint does without the
    datetime module."""
    text = " ".join(unicodedata.normalize("NFKC", goal).casefold().split())
    if "19" not in text and "20" not in text:
        return None
    latest: Optional[tuple[int, int, int]] = None
    read: set[int] = set()  # where the years of dates already read start: a year alone is the last resort
    for pattern, words in _PATTERNS:
        if not any(word in text for word in words):
            continue
        if pattern is _QUARTERS and _CHINESE_QUARTERS.isdisjoint(text):
            pattern = _QUARTERS_IN_FIGURES
        for match in pattern.finditer(text):
            if match.start("year") in read:
                continue
            read.add(match.start("year"))
            day = _day(match.groupdict())
            if day is not None and (latest is None or day > latest):
                latest = day
    return latest


def _day(parts: dict) -> Optional[tuple[int, int, int]]:
    year = int(parts["year"])
    month, day = 12, None
    if parts.get("month"):
        month = int(parts["month"])
    elif parts.get("mname"):
        month = _MONTH_NAMES[parts["mname"]]
    elif parts.get("quarter") or parts.get("q"):
        month = 3 * _CN_QUARTER[parts.get("quarter") or parts["q"]]
    elif parts.get("half") or parts.get("h"):
        month = 6 if parts.get("half") == "上" or parts.get("h") == "1" else 12
    if not 1 <= month <= 12:
        return None
    # The calendar module would import locale, and datetime, at every start.
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = 29 if month == 2 and leap else _DAYS_IN_MONTH[month]
    if parts.get("day"):
        day = int(parts["day"])
        if not 1 <= day <= last:
            return None
    return year, month, day or last


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _iso(day: tuple[int, int, int]) -> str:
    """A day as `datetime.date.isoformat` writes it: 2026-03-31."""
    return "%04d-%02d-%02d" % day


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    today = ctx.day
    for goal in ctx.process.goals:
        due = due_date(goal)
        if due is None or due >= today:
            continue
        yield Problem(
            ctx.front_matter_line("goals", goal),
            _(
                "the goal {goal} was due by {due}, which has passed (as of {today}): record whether it was met "
                "and set the next goal with a new date",
                goal=quote(goal, 40), due=_iso(due), today=_iso(today),
            ),
        )
