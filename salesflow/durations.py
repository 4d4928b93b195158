"""Durations as sales managers write them: `4h`, `2d`, `3 workdays`, `1w`, `2个工作日`, `3天`, `48小时`, `1周`.

`parse_duration` reads one and normalises it to elapsed calendar hours (see `model.Duration`):
an hour is 1, a calendar day 24, a week 168, a working day 33.6 (five working days make one
calendar week). `format_hours` turns a total back into a short figure for reports.

Accepted, case-insensitive, surrounding whitespace ignored, an optional space between number and unit:

- a number: `4`, `2.5`, full-width digits (`３天`), or Chinese numerals up to 999 (`三天`, `两周`,
  `十二小时`, `一百二十小时`); `半` is a half (`半天`, `半个工作日`, `两天半`, `两个半小时`);
- a unit:
  hours      `h`, `hr`, `hrs`, `hour`, `hours`, `小时`, `个小时`, `钟头`;
  days       `d`, `day`, `days`, `calendar day(s)`, `天`, `日`, `自然日`;
  work days  `wd`, `workday(s)`, `work day(s)`, `working day(s)`, `business day(s)`, `工作日`, `个工作日`;
  weeks      `w`, `wk`, `wks`, `week`, `weeks`, `周`, `星期`, `个星期`, `礼拜`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from .errors import DurationError
from .model import Duration

__all__ = ["HOURS_PER_UNIT", "parse_duration", "format_hours"]

HOURS_PER_UNIT = {"hour": 1.0, "day": 24.0, "workday": 33.6, "week": 168.0}

EXAMPLES = "4h, 2d, 3 workdays, 1w, 2个工作日, 3天, 48小时, 1周"

_EN_UNITS = {
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
}
# Chinese units (simplified and traditional). The measure word 个 may come before some of them:
# 三个小时, 两个工作日, 一个星期 — but not 三个天.
_ZH_UNITS = {
    "小时": "hour",
    "小時": "hour",
    "钟头": "hour",
    "鐘頭": "hour",
    "天": "day",
    "日": "day",
    "自然日": "day",
    "工作日": "workday",
    "周": "week",
    "週": "week",
    "星期": "week",
    "礼拜": "week",
    "禮拜": "week",
}
_ZH_NO_MEASURE_WORD = frozenset({"天", "日"})

_EN_UNIT_TO_KIND = {spelling: kind for kind, spellings in _EN_UNITS.items() for spelling in spellings}

_ARABIC = r"[0-9]+(?:\.[0-9]+)?"
_D = "一二三四五六七八九"
# 1–999 in Chinese numerals: 三, 十二, 二十, 二十五, 一百, 一百零五, 一百二十, 两百五十.
_CHINESE = (
    rf"(?:[{_D}两]百(?:零[{_D}]|[{_D}]十[{_D}]?)?"
    rf"|[{_D}两]?十[{_D}]?"
    rf"|[{_D}两])"
)
_EN_UNIT_RE = "|".join(sorted((re.escape(u) for u in _EN_UNIT_TO_KIND), key=len, reverse=True))
_ZH_UNIT_RE = "|".join(sorted(_ZH_UNITS, key=len, reverse=True))

_EN_FORM = re.compile(rf"(?P<num>{_ARABIC}) ?(?P<unit>{_EN_UNIT_RE})")
# With a number: `3天`, `3 天`, `两个工作日`, `两个半小时`, `三天半`. Without: `半天`, `半个小时`.
_ZH_FORM = re.compile(
    rf"(?:(?P<num>{_ARABIC}|{_CHINESE}) ?(?P<mid>个半|個半|个|個)?|(?P<half>半)(?P<ge>个|個)?)"
    rf"(?P<unit>{_ZH_UNIT_RE})(?P<tail>半)?"
)
_SIGNED = re.compile(rf"[-−+] ?(?:{_ARABIC})(?: ?.*)?")
_NUMBER_ONLY = re.compile(rf"{_ARABIC}|{_CHINESE}")
_NUMBER_THEN_WORD = re.compile(rf"(?P<num>{_ARABIC}) ?(?P<word>[^0-9\s].*)")

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


def _fail(shown: str, reason: str = "write a number and a unit") -> DurationError:
    return DurationError(f"`{shown}` is not a duration: {reason}, e.g. {EXAMPLES}")


def parse_duration(text: str) -> Duration:
    """Read a duration such as `3 workdays` or `2个工作日`; raise `DurationError` if it is not one."""
    if not isinstance(text, str):
        # YAML turns `due: 3` into a number; say what is missing rather than fail on the type.
        shown = str(text).strip()
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            raise _fail(shown, "it has no unit; write a number and a unit")
        raise _fail(shown)
    original = text.strip()
    if not original:
        raise DurationError(f"a duration is empty: write a number and a unit, e.g. {EXAMPLES}")
    # NFKC folds full-width digits, letters and spaces to their ASCII forms; Chinese is unchanged.
    norm = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", original)).lower()

    amount: float
    unit: str
    match = _EN_FORM.fullmatch(norm)
    if match:
        amount = _number(match["num"])
        unit = _EN_UNIT_TO_KIND[match["unit"]]
    else:
        match = _ZH_FORM.fullmatch(norm)
        if not match or not _zh_form_ok(match):
            raise _explain(original, norm)
        unit = _ZH_UNITS[match["unit"]]
        if match["half"]:
            amount = 0.5
        else:
            amount = _number(match["num"])
            if match["mid"] in ("个半", "個半") or match["tail"]:
                amount += 0.5
    if not math.isfinite(amount) or amount <= 0:
        raise DurationError(f"`{original}` is not a duration: it must be more than zero, e.g. {EXAMPLES}")
    return Duration(text=original, amount=amount, unit=unit, hours=_hours(amount, unit))


def _zh_form_ok(match: re.Match[str]) -> bool:
    measure_word = match["mid"] or match["ge"]
    if measure_word and match["unit"] in _ZH_NO_MEASURE_WORD:
        return False  # 三个天 is not Chinese; 一个半天 is ambiguous (1.5 days or half a day)
    half_count = bool(match["half"]) + bool(match["tail"]) + (match["mid"] in ("个半", "個半"))
    if half_count > 1:
        return False  # 半天半, 两个半小时半
    if match["num"] and "." in match["num"] and half_count:
        return False  # 2.5天半
    return True


def _explain(original: str, norm: str) -> DurationError:
    """The most helpful message for text that is not a duration."""
    if _SIGNED.fullmatch(norm) and norm[0] != "+":
        return DurationError(f"`{original}` is not a duration: it must be more than zero, e.g. {EXAMPLES}")
    if _NUMBER_ONLY.fullmatch(norm):
        return _fail(original, "it has no unit; write a number and a unit")
    match = _NUMBER_THEN_WORD.fullmatch(norm)
    if match and re.fullmatch(r"[a-z]+", match["word"]):
        word = match["word"]
        return _fail(original, f"`{word}` is not a unit; use hours, days, workdays or weeks")
    return _fail(original)


def _hours(amount: float, unit: str) -> float:
    # Rounded so that e.g. 3 workdays is 100.8 hours and not 100.80000000000001.
    return round(amount * HOURS_PER_UNIT[unit], 6)


def _one_decimal(value: float) -> str:
    """`value` rounded half-up to one decimal, without a trailing `.0`."""
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
    if Decimal(in_hours) < 24:
        return f"{in_hours}小时" if chinese else f"{in_hours}h"
    in_days = _one_decimal(float(hours) / 24)
    return f"{in_days}天" if chinese else f"{in_days}d"
