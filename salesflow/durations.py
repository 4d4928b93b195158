"""Durations as sales managers write them: `4h`, `2d`, `3 workdays`, `1w`, `2个工作日`, `3天`, `48小时`, `1周`,
`30分钟`, `3个月`, `1季度`, `2-3天`, `1天内`, `T+1`.

`parse_duration` reads one and normalises it to elapsed calendar hours (see `model.Duration`):
a minute is 1/60, an hour 1, a calendar day 24, a week 168, a working day 33.6 (five working days
make one calendar week), a month 720 (30 calendar days) and a quarter 2160 (three months).
`format_hours` turns a total back into a short figure for reports.

Accepted, case-insensitive, surrounding whitespace ignored, an optional space between number and unit:

- a number: `4`, `2.5`, full-width digits (`３天`), or Chinese numerals up to 999 (`三天`, `两周`,
  `十二小时`, `一百二十小时`); `半` is a half (`半天`, `半个工作日`, `两天半`, `两个半小时`);
- a unit:
  minutes    `min`, `mins`, `minute`, `minutes`, `分钟`;
  hours      `h`, `hr`, `hrs`, `hour`, `hours`, `小时`, `个小时`, `钟头`;
  days       `d`, `day`, `days`, `calendar day(s)`, `天`, `日`, `自然日`;
  work days  `wd`, `workday(s)`, `work day(s)`, `working day(s)`, `business day(s)`, `工作日`, `个工作日`,
             `工作天`;
  weeks      `w`, `wk`, `wks`, `week`, `weeks`, `周`, `星期`, `个星期`, `礼拜`;
  months     `mo`, `month`, `months`, `个月` (the measure word is needed: `3月` is March);
  quarters   `quarter`, `quarters`, `qtr`, `季度`, `个季度`;
- a range, whose upper bound counts: `2-3天`, `2～3个工作日`, `2~3 days`, `2到3天`, `两至三周`, `2 to 3 days`;
- a limit, which counts as its figure: `1天内`, `24小时以内`, `3个工作日之内`, `within 2 days`;
- `T+1`, `T+3`: that many working days (the settlement notation).

The text as written is kept; `amount` is the figure that counts (a range's upper bound) in `unit`.
"""

from __future__ import annotations

import math
import unicodedata

from .errors import DurationError
from .lazy_regex import LazyRegex
from .model import Duration

TYPE_CHECKING = False  # `re` only for the type checker (salesflow/regex_cache.py)
if TYPE_CHECKING:
    import re

__all__ = ["ACCEPTED_FORMS", "HOURS_PER_UNIT", "accepted_forms", "parse_duration", "format_hours"]

# A month is counted as 30 calendar days and a quarter as three such months: deadlines of that
# length are rough by nature, and a fixed figure keeps sums along a path reproducible.
HOURS_PER_UNIT = {
    "minute": 1 / 60,
    "hour": 1.0,
    "day": 24.0,
    "workday": 33.6,
    "week": 168.0,
    "month": 720.0,
    "quarter": 2160.0,
}

# One example of each accepted form, quoted by every message about a duration that does not read.
ACCEPTED_FORMS = (
    "30分钟", "30 min", "4h", "48小时", "2d", "3天", "3 workdays", "2个工作日", "1w", "1周",
    "1 month", "3个月", "1 quarter", "1季度", "2-3天", "1天内", "within 2 days", "T+1",
)


def accepted_forms() -> str:
    """The accepted forms as one line for messages: `30分钟, 30 min, 4h, …, T+1`."""
    return ", ".join(ACCEPTED_FORMS)


EXAMPLES = accepted_forms()

_EN_UNITS = {
    "minute": ("min", "mins", "minute", "minutes"),
    "hour": ("h", "hr", "hrs", "hour", "hours"),
    "day": ("d", "day", "days", "calendar day", "calendar days"),
    "workday": (
        "wd",
        "workday",
        "workdays",
        "work day",
        "work days",
        "working day",
        "working days",
        "business day",
        "business days",
    ),
    "week": ("w", "wk", "wks", "week", "weeks"),
    "month": ("mo", "mos", "month", "months"),
    "quarter": ("qtr", "qtrs", "quarter", "quarters"),
}
# Chinese units (simplified and traditional). The measure word 个 may come before some of them:
# 三个小时, 两个工作日, 一个星期 — but not 三个天; before 月 it is needed (三个月; 三月 is March).
_ZH_UNITS = {
    "分钟": "minute",
    "分鐘": "minute",
    "小时": "hour",
    "小時": "hour",
    "钟头": "hour",
    "鐘頭": "hour",
    "天": "day",
    "日": "day",
    "自然日": "day",
    "工作日": "workday",
    "工作天": "workday",
    "周": "week",
    "週": "week",
    "星期": "week",
    "礼拜": "week",
    "禮拜": "week",
    "月": "month",
    "季度": "quarter",
}
_ZH_NO_MEASURE_WORD = frozenset({"天", "日", "分钟", "分鐘"})
_ZH_NEEDS_MEASURE_WORD = frozenset({"月"})

_EN_UNIT_TO_KIND = {spelling: kind for kind, spellings in _EN_UNITS.items() for spelling in spellings}

_ARABIC = r"[0-9]+(?:\.[0-9]+)?"
_D = "一二三四五六七八九"
# 1–999 in Chinese numerals: 三, 十二, 二十, 二十五, 一百, 一百零五, 一百二十, 两百五十.
_CHINESE = (
    rf"(?:[{_D}两]百(?:零[{_D}]|[{_D}]十[{_D}]?)?"
    rf"|[{_D}两]?十[{_D}]?"
    rf"|[{_D}两])"
)
_ZH_UNIT_RE = "|".join(sorted(_ZH_UNITS, key=len, reverse=True))

# Compiling a class of scattered Han characters such as `[一二三四五六七八九]` costs a third of a
# millisecond (it becomes a table over the whole Basic Multilingual Plane), and `_CHINESE` holds seven.
# Most durations are written with figures, so each pattern that reads a number comes twice: as
# written, and with figures only for text that has no numeral character at all. Both match such
# text alike, as the Chinese numeral they leave out cannot match any of it (`_for`).
_NUMERAL_CHARACTERS = frozenset(_D + "两十百零")


def _with_and_without_numerals(template: str) -> tuple[LazyRegex, LazyRegex]:
    """`template` with `{number}` read as figures or a Chinese numeral, and as figures only."""
    return (
        LazyRegex(template.replace("{number}", f"{_ARABIC}|{_CHINESE}")),
        LazyRegex(template.replace("{number}", _ARABIC)),
    )


def _for(patterns: tuple[LazyRegex, LazyRegex], text: str) -> LazyRegex:
    """The pattern of `patterns` that reads `text` (see `_with_and_without_numerals`)."""
    return patterns[1] if _NUMERAL_CHARACTERS.isdisjoint(text) else patterns[0]


_SPACES = LazyRegex(r"\s+")  # runs of spaces, read as one
# An English unit is a word or two; which ones are units, the table says (a pattern listing all
# thirty spellings costs more to compile than the whole run reads with it).
_EN_FORM = LazyRegex(rf"(?P<num>{_ARABIC}) ?(?P<unit>[a-z]+(?: [a-z]+)?)")
# With a number: `3天`, `3 天`, `两个工作日`, `两个半小时`, `三天半`. Without: `半天`, `半个小时`.
_ZH_FORM, _ZH_FORM_FIGURES = _with_and_without_numerals(
    r"(?:(?P<num>{number}) ?(?P<mid>个半|個半|个|個)?|(?P<half>半)(?P<ge>个|個)?)"
    rf"(?P<unit>{_ZH_UNIT_RE})(?P<tail>半)?"
)
# A range: a lower figure, a dash, tilde or word, then one duration (`2-3天`, `两到三天`, `2 to 3 days`).
# NFKC has already turned the full-width `～` and `－` into `~` and `-`.
_RANGE, _RANGE_FIGURES = _with_and_without_numerals(r"(?P<low>{number}) ?(?:-|–|—|~|〜|到|至|to) ?(?P<high>\S.*)")
_T_PLUS = LazyRegex(r"t ?\+ ?(?P<num>[0-9]+)")
_WITHIN_PREFIX = "within "
_WITHIN_SUFFIXES = ("以内", "之内", "内")
_SIGNED = LazyRegex(rf"[-−+] ?(?:{_ARABIC})(?: ?.*)?")
_NUMBER_ONLY, _NUMBER_ONLY_FIGURES = _with_and_without_numerals("{number}")
_NUMBER_THEN_WORD = LazyRegex(rf"(?P<num>{_ARABIC}) ?(?P<word>[^0-9\s].*)")
_MONTH_OF_YEAR, _MONTH_OF_YEAR_FIGURES = _with_and_without_numerals(r"(?P<num>{number}) ?月")
# Nothing that reads as a duration is this long; longer text is refused before any pattern runs.
_LONGEST = 60

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "零": 0}


def _chinese_number(text: str) -> int:
    """The value of a Chinese numeral already matched by `_CHINESE`."""
    total = 0
    digit = 0
    for ch in text:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _CN_DIGITS[ch]
    return total + digit


def _number(text: str) -> float:
    if text[0] in "0123456789":
        return float(text)
    return float(_chinese_number(text))


def _fail(shown: str, reason: str = "") -> DurationError:
    from .i18n import _

    return DurationError(
        _(
            "`{written}` is not a duration: {reason}; accepted forms: {forms}",
            written=shown, reason=reason or _("write a number and a unit"), forms=accepted_forms(),
        )
    )


def _no_unit() -> str:
    from .i18n import _

    return _("it has no unit; write a number and a unit")


def _not_positive() -> str:
    from .i18n import _

    return _("it must be more than zero")


def parse_duration(text: str) -> Duration:
    """Read a duration such as `3 workdays`, `2个工作日` or `2-3天`; raise `DurationError` if it is not one."""
    if not isinstance(text, str):
        # YAML turns `due: 3` into a number; say what is missing rather than fail on the type.
        shown = str(text).strip()
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            raise _fail(shown, _no_unit())
        raise _fail(shown)
    original = text.strip()
    if not original:
        from .i18n import _

        raise DurationError(
            _("a duration is empty: write a number and a unit; accepted forms: {forms}", forms=accepted_forms())
        )
    if len(original) > _LONGEST:
        from .i18n import _

        raise _fail(original[:20] + "…", _("it is too long to be one; write a number and a unit"))
    # NFKC folds full-width digits, letters, spaces, `～` and `－` to their ASCII forms; Chinese is unchanged.
    norm = _SPACES.sub(" ", unicodedata.normalize("NFKC", original)).lower()

    reading = _read(_without_limit(norm), original)
    if reading is None:
        raise _explain(original, norm)
    amount, unit = reading
    if not math.isfinite(amount) or amount <= 0:
        raise _fail(original, _not_positive())
    return Duration(text=original, amount=amount, unit=unit, hours=_hours(amount, unit))


def _without_limit(norm: str) -> str:
    """`1天内`, `24小时以内`, `within 2 days` → the duration inside: a limit counts as its figure."""
    if norm.startswith(_WITHIN_PREFIX):
        return norm[len(_WITHIN_PREFIX) :]
    for suffix in _WITHIN_SUFFIXES:
        if norm.endswith(suffix) and len(norm) > len(suffix):
            return norm[: -len(suffix)].rstrip()
    return norm


def _read(norm: str, original: str) -> tuple[float, str] | None:
    """(amount, unit) of a single duration, a range (its upper bound) or `T+n`; None if it is none of them."""
    t_plus = _T_PLUS.fullmatch(norm) if "+" in norm else None  # not compiled for the durations without one
    if t_plus:
        return float(t_plus["num"]), "workday"
    single = _single(norm)
    if single is not None:
        return single
    bounds = _for((_RANGE, _RANGE_FIGURES), norm).fullmatch(norm)
    if bounds is None:
        return None
    upper = _single(bounds["high"])
    if upper is None:
        return None
    if _number(bounds["low"]) > upper[0]:
        from .i18n import _

        raise _fail(original, _("a range goes from the smaller figure to the larger"))
    return upper


def _single(norm: str) -> tuple[float, str] | None:
    match = _EN_FORM.fullmatch(norm)
    if match and match["unit"] in _EN_UNIT_TO_KIND:
        return _number(match["num"]), _EN_UNIT_TO_KIND[match["unit"]]
    match = _for((_ZH_FORM, _ZH_FORM_FIGURES), norm).fullmatch(norm)
    if not match or not _zh_form_ok(match):
        return None
    if match["half"]:
        return 0.5, _ZH_UNITS[match["unit"]]
    amount = _number(match["num"])
    if match["mid"] in ("个半", "個半") or match["tail"]:
        amount += 0.5
    return amount, _ZH_UNITS[match["unit"]]


def _zh_form_ok(match: re.Match[str]) -> bool:
    measure_word = match["mid"] or match["ge"]
    if measure_word and match["unit"] in _ZH_NO_MEASURE_WORD:
        return False  # 三个天 is not Chinese; 一个半天 is ambiguous (1.5 days or half a day)
    if not measure_word and match["unit"] in _ZH_NEEDS_MEASURE_WORD:
        return False  # 三月 is March, not three months
    half_count = bool(match["half"]) + bool(match["tail"]) + (match["mid"] in ("个半", "個半"))
    if half_count > 1:
        return False  # 半天半, 两个半小时半
    if match["num"] and "." in match["num"] and half_count:
        return False  # 2.5天半
    return True


def _explain(original: str, norm: str) -> DurationError:
    """The most helpful message for text that is not a duration."""
    import re

    from .i18n import _

    if _SIGNED.fullmatch(norm) and norm[0] != "+":
        return _fail(original, _not_positive())
    core = _without_limit(norm)
    number_only = _for((_NUMBER_ONLY, _NUMBER_ONLY_FIGURES), core)
    bounds = _for((_RANGE, _RANGE_FIGURES), core).fullmatch(core)
    if number_only.fullmatch(core) or (bounds and number_only.fullmatch(bounds["high"])):
        return _fail(original, _no_unit())
    if _for((_MONTH_OF_YEAR, _MONTH_OF_YEAR_FIGURES), core).fullmatch(core):
        return _fail(
            original,
            _(
                "`{written}` names a month of the year; write `{months}` for a number of months",
                written=core, months=f"{core[:-1].rstrip()}个月",
            ),
        )
    match = _NUMBER_THEN_WORD.fullmatch(core)
    if match and re.fullmatch(r"[a-z]+", match["word"]):
        word = match["word"]
        if word == "m":
            return _fail(original, _("`m` could mean minutes or months; write `min` or `month`"))
        return _fail(
            original,
            _("`{word}` is not a unit; use minutes, hours, days, workdays, weeks, months or quarters", word=word),
        )
    return _fail(original)


def _hours(amount: float, unit: str) -> float:
    # Rounded so that e.g. 3 workdays is 100.8 hours and not 100.80000000000001.
    return round(amount * HOURS_PER_UNIT[unit], 6)


def _one_decimal(value: float) -> str:
    """`value` rounded half-up to one decimal, without a trailing `.0`."""
    from decimal import ROUND_HALF_UP, Decimal

    rounded = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = format(rounded, "f")
    return text[:-2] if text.endswith(".0") else text


def format_hours(hours: float, lang: str = "en") -> str:
    """A total in hours as a short figure for reports.

    The rule: round to one decimal of an hour; under 24 hours, show hours (`8h`, `8小时`);
    from 24 hours on, show calendar days rounded half-up to one decimal (`72` → `3d`/`3天`,
    `100.8` → `4.2d`/`4.2天`, `1008` → `42d`). A trailing `.0` is dropped. `lang` starting
    with `zh` gives Chinese units; anything else gives English ones.
    """
    if isinstance(hours, bool) or not isinstance(hours, (int, float)):
        raise TypeError(f"hours must be a number, not {type(hours).__name__}")
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"hours must be a finite number of at least zero, not {hours!r}")
    chinese = isinstance(lang, str) and lang.lower().startswith("zh")
    in_hours = _one_decimal(float(hours))
    if float(in_hours) < 24:
        return f"{in_hours}小时" if chinese else f"{in_hours}h"
    in_days = _one_decimal(float(hours) / 24)
    return f"{in_days}天" if chinese else f"{in_days}d"
