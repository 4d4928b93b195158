"""A process goal that cannot be checked: no number to measure, or no date to meet.

Each entry of `goals:` in the front matter must be SMART enough to check at the end: a number
(a count, an amount, a percentage, "double", 翻一番) and a time bound (a date, a year, a quarter,
"by the end of Q3", "2027年底前", "within 24 hours", "每月"). Numbers that are part of a date do
not count as the measure: `2027年前完成数字化` has a deadline but nothing to measure.

Why it matters:
    数据反馈: "提升客户满意度" is a wish. "2027年6月30日前，客户满意度从80分提升到90分" is a goal:
    the team can plan for it, and the handbook's KPIs can be traced back to it.

Options:
    none.

Failing example:
    ---
    goals:
      - 提升客户满意度
      - 把成交率提升到30%
    ---
    flowchart TD
        A([线索]) --> B([成交])

Passing example:
    ---
    goals:
      - 2027年6月30日前，客户满意度从80分提升到90分
      - Raise the win rate from 20% to 30% by the end of Q3 2027
    ---
    flowchart TD
        A([线索]) --> B([成交])
"""

from __future__ import annotations

import unicodedata

from ..api import Context, Problem, _, compiled, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF802"
NAME = "goal-not-smart"
SEVERITY = "warning"
ENABLED = True
THEME = "measurement"
TITLE = {"en": "A goal is not measurable or time-bound", "zh": "目标不可衡量或没有期限"}
FIX = {"en": "Give each goal a number and a date.", "zh": "每个目标都写上数字和完成日期。"}
OPTIONS: dict = {}

_CN = "一二两三四五六七八九十"
_NUMERALS = frozenset(_CN)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# The patterns below are alternatives, each with words one of which is in any text it matches,
# and whether it is for text with Chinese numerals (one of `_CN`) only (True), for text without
# them only (False: a cheaper stand-in that matches such text as the other does), or for both
# (None). A goal is read only with the alternatives it could match, and the others are never
# compiled: compiling is what these patterns cost a run, a few microseconds per character of
# pattern and a third of a millisecond per class of scattered Han characters such as `[一二两…]`,
# which becomes a table over the whole Basic Multilingual Plane. An alternative that
# cannot match anywhere in a text changes nothing the others find in it, so the result is the same.
_ANY = ("",)

# Pieces of text that are dates: their digits are not the goal's measure.
_DATE_PARTS = (
    (r"(?:19|20)\d{2}\s*(?:财年|年度|年)?", ("19", "20"), None),
    (r"\d{4}-\d{1,2}(?:-\d{1,2})?", ("-",), None),
    (r"\d{1,2}/\d{1,2}(?:/\d{2,4})?", ("/",), None),
    (r"\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?", ("月",), None),
    (r"\d{1,2}\s*[日号]", ("日", "号"), None),
    (rf"[{_CN}]{{1,3}}月(?:[{_CN}]{{1,3}}[日号])?", ("月",), True),
    # `第?[{_CN}1-4]季度`, in two: the first character decides which of them can match.
    (r"第?[1-4]季度", ("季度",), None),
    (rf"第?[{_CN}]季度", ("季度",), True),
    (r"(?<![a-z0-9])(?:q[1-4]|h[12])(?![0-9])", ("q", "h"), None),
    (r"(?<![a-z])fy\s*\d{2,4}", ("fy",), None),
    (rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b", _MONTH_WORDS, None),
    (rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b", _MONTH_WORDS, None),
)
_TIME_UNIT = r"(?:小时|钟头|天|日|周|星期|个?月|年|季度|工作日|个工作日)"
_DURATION_WORDS = r"(?:hours?|days?|weeks?|months?|quarters?|years?|business days?|working days?|workdays?)"
# Words that bound a goal in time besides the dates above. A run of numerals is tried only from
# its first character (the look-behinds): tried from every one, a goal of many digits takes
# quadratic time. Only whether one of them is there counts, so each is looked for on its own.
_TIME_PARTS = (
    (rf"(?<![\d{_CN}半])[\d{_CN}半]+\s*{_TIME_UNIT}\s*(?:之|以)?内", ("内",), True),
    # The same for text without Chinese numerals, where `[\d{_CN}半]` can only be `[\d半]`.
    (rf"(?<![\d半])[\d半]+\s*{_TIME_UNIT}\s*(?:之|以)?内", ("内",), False),
    (r"截至|截止|之前|以前|期间|期内", ("截至", "截止", "之前", "以前", "期间", "期内"), None),
    # `[年月季][底末初中]`, spelt out: two classes of scattered Han characters cost more.
    (r"全年|[上下]半年|年底|年末|年初|年中|月底|月末|月初|月中|季底|季末|季初|季中|季度末|财年", ("年", "月", "季"), None),
    # `(?:今|明|本|下|次)(?:年|季度?|个?月|周)`, one per first character.
    *((rf"{first}(?:年|季度?|个?月|周)", (first,), None) for first in "今明本下次"),
    (r"每个?(?:天|日|周|星期|月|季度?|年)", ("每",), None),
    (
        rf"\b(?:by|before|until|through)\s+(?:the\s+)?(?:end|close|start|beginning|middle|next|this|{_MONTHS}|q[1-4]|h[12]|fy)",
        ("by", "before", "until", "through"),
        None,
    ),
    (rf"\bwithin\s+(?:\d+|one|two|three|six|twelve)\s+{_DURATION_WORDS}", ("within",), None),
    (r"\b(?:per|each|every|a)\s+(?:day|week|month|quarter|year)\b", ("day", "week", "month", "quarter", "year"), None),
    (
        r"\b(?:daily|weekly|monthly|quarterly|yearly|annually|annual)\b",
        ("daily", "weekly", "monthly", "quarterly", "yearly", "annual"),
        None,
    ),
    (r"\b(?:this|next|the)\s+(?:week|month|quarter|year)\b", ("week", "month", "quarter", "year"), None),
    (r"\bfiscal\s+year\b|\bend\s+of\b|\bquarter\b", ("fiscal", "end", "quarter"), None),
)
_MEASURE_UNIT = r"\s*(?:成|倍|个百分点|家|个|条|单|位|万|千|百|亿|名|次)"
_MEASURE_PARTS = (
    (r"\d|%|百分之|翻一番|翻番|翻倍|减半|一半|\b(?:double|triple|halve|twice)\b", _ANY, None),
    (rf"(?<![{_CN}半])[{_CN}半]+{_MEASURE_UNIT}", _ANY, True),
    # The same for text without Chinese numerals.
    (rf"(?<!半)半+{_MEASURE_UNIT}", ("半",), False),
)


def _parts(parts: tuple, text: str) -> list[str]:
    """The alternatives of `parts` that could match somewhere in `text`, in their order."""
    numerals = not _NUMERALS.isdisjoint(text)
    return [
        pattern for pattern, words, for_numerals in parts
        if for_numerals in (None, numerals) and any(word in text for word in words)
    ]


def judge(goal: str) -> tuple[bool, bool]:
    """(has a measurable number, has a time bound)."""
    text = unicodedata.normalize("NFKC", goal).casefold()
    dates = _parts(_DATE_PARTS, text)
    undated, found = compiled("|".join(dates)).subn(" ", text) if dates else (text, 0)
    timed = found > 0 or any(compiled(pattern).search(text) for pattern in _parts(_TIME_PARTS, text))
    measured = any(compiled(pattern).search(undated) for pattern in _parts(_MEASURE_PARTS, undated))
    return measured, timed


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    how_much = ctx.example_label("从15%提升到25%", "from 15% to 25%")
    by_when = ctx.example_label("2027年6月30日前", "by June 30, 2027")
    for goal in ctx.process.goals:
        measured, timed = judge(goal)
        if measured and timed:
            continue
        shown = quote(goal, 40)
        if not measured and not timed:
            message = _(
                "the goal {goal} has neither a number to measure nor a time bound: say how much and by when "
                "(e.g. {how_much}, {by_when})",
                goal=shown, how_much=quote(how_much), by_when=quote(by_when),
            )
        elif not measured:
            message = _(
                "the goal {goal} has no number to measure: say how much (e.g. {how_much})",
                goal=shown, how_much=quote(how_much),
            )
        else:
            message = _(
                "the goal {goal} has no time bound: say by when (e.g. {by_when})", goal=shown, by_when=quote(by_when)
            )
        yield Problem(ctx.front_matter_line("goals", goal), message)
