import math
import re

import pytest

from conftest import no_hang
from salesflow import durations
from salesflow.durations import ACCEPTED_FORMS, HOURS_PER_UNIT, accepted_forms, format_hours, parse_duration
from salesflow.errors import DurationError, SalesflowError
from salesflow.lazy_regex import LazyRegex
from salesflow.model import Duration

ACCEPTED = [
    # text, amount, unit
    # hours
    ("4h", 4, "hour"),
    ("4H", 4, "hour"),
    ("4 h", 4, "hour"),
    ("4hr", 4, "hour"),
    ("4 hrs", 4, "hour"),
    ("1 hour", 1, "hour"),
    ("4 hours", 4, "hour"),
    ("4 Hours", 4, "hour"),
    ("48小时", 48, "hour"),
    ("48个小时", 48, "hour"),
    ("4 小时", 4, "hour"),
    ("4 个小时", 4, "hour"),
    ("48小時", 48, "hour"),
    ("2钟头", 2, "hour"),
    ("十二小时", 12, "hour"),
    ("二十四小时", 24, "hour"),
    ("两个小时", 2, "hour"),
    ("半小时", 0.5, "hour"),
    ("半个小时", 0.5, "hour"),
    ("两个半小时", 2.5, "hour"),
    ("1.5h", 1.5, "hour"),
    # calendar days
    ("2d", 2, "day"),
    ("2 D", 2, "day"),
    ("1 day", 1, "day"),
    ("2 day", 2, "day"),
    ("2 days", 2, "day"),
    ("2 calendar days", 2, "day"),
    ("3天", 3, "day"),
    ("3 天", 3, "day"),
    ("3日", 3, "day"),
    ("5自然日", 5, "day"),
    ("5个自然日", 5, "day"),
    ("三天", 3, "day"),
    ("十天", 10, "day"),
    ("十五天", 15, "day"),
    ("三十日", 30, "day"),
    ("一百零五天", 105, "day"),
    ("一百二十天", 120, "day"),
    ("半天", 0.5, "day"),
    ("三天半", 3.5, "day"),
    ("0.5d", 0.5, "day"),
    # working days
    ("3 workdays", 3, "workday"),
    ("1 workday", 1, "workday"),
    ("3 work days", 3, "workday"),
    ("3 working days", 3, "workday"),
    ("3 Working Days", 3, "workday"),
    ("3 business days", 3, "workday"),
    ("1 business day", 1, "workday"),
    ("3wd", 3, "workday"),
    ("3 WD", 3, "workday"),
    ("2个工作日", 2, "workday"),
    ("2工作日", 2, "workday"),
    ("2 个工作日", 2, "workday"),
    ("五个工作日", 5, "workday"),
    ("半个工作日", 0.5, "workday"),
    ("一个半工作日", 1.5, "workday"),
    ("3個工作天", 3, "workday"),
    # weeks
    ("1w", 1, "week"),
    ("2 W", 2, "week"),
    ("1 week", 1, "week"),
    ("2 weeks", 2, "week"),
    ("2wk", 2, "week"),
    ("1周", 1, "week"),
    ("1个星期", 1, "week"),
    ("1星期", 1, "week"),
    ("两周", 2, "week"),
    ("两个星期", 2, "week"),
    ("一个礼拜", 1, "week"),
    ("2週", 2, "week"),
    ("两周半", 2.5, "week"),
    # full-width digits, letters and spaces
    ("３天", 3, "day"),
    ("１２小时", 12, "hour"),
    ("２　个工作日", 2, "workday"),
    ("３ＷＤ", 3, "workday"),
    ("１．５ｄ", 1.5, "day"),
    # minutes
    ("30分钟", 30, "minute"),
    ("30 分钟", 30, "minute"),
    ("三十分钟", 30, "minute"),
    ("45分鐘", 45, "minute"),
    ("30 min", 30, "minute"),
    ("30min", 30, "minute"),
    ("30 mins", 30, "minute"),
    ("1 minute", 1, "minute"),
    ("90 Minutes", 90, "minute"),
    # months
    ("1个月", 1, "month"),
    ("3个月", 3, "month"),
    ("三个月", 3, "month"),
    ("3個月", 3, "month"),
    ("半个月", 0.5, "month"),
    ("一个半月", 1.5, "month"),
    ("1 month", 1, "month"),
    ("2 months", 2, "month"),
    ("1.5 months", 1.5, "month"),
    ("2mo", 2, "month"),
    # quarters
    ("1季度", 1, "quarter"),
    ("一个季度", 1, "quarter"),
    ("两个季度", 2, "quarter"),
    ("1 quarter", 1, "quarter"),
    ("2 Quarters", 2, "quarter"),
    ("1 qtr", 1, "quarter"),
]


@pytest.mark.parametrize("text, amount, unit", ACCEPTED)
def test_accepted_forms(text, amount, unit):
    duration = parse_duration(text)
    assert isinstance(duration, Duration)
    assert duration.text == text
    assert duration.amount == amount
    assert isinstance(duration.amount, float)
    assert duration.unit == unit
    # Hours are rounded to a millionth, which only shows for minutes (1 min = 0.016667 h).
    assert math.isclose(duration.hours, amount * HOURS_PER_UNIT[unit], abs_tol=1e-6)


COMPOSITE = [
    # text (kept as written), amount that counts, unit, hours
    # ranges: the upper bound counts
    ("2-3天", 3, "day", 72),
    ("2 - 3 天", 3, "day", 72),
    ("2～3个工作日", 3, "workday", 100.8),  # full-width tilde, as a Chinese keyboard types it
    ("2~3 days", 3, "day", 72),
    ("2〜3天", 3, "day", 72),
    ("2—3天", 3, "day", 72),
    ("2到3天", 3, "day", 72),
    ("2至3周", 3, "week", 504),
    ("两到三天", 3, "day", 72),
    ("1.5-2h", 2, "hour", 2),
    ("2 to 3 days", 3, "day", 72),
    ("1-2个月", 2, "month", 1440),
    ("30-45分钟", 45, "minute", 0.75),
    ("２－３天", 3, "day", 72),
    # limits: the figure counts
    ("1天内", 1, "day", 24),
    ("24小时内", 24, "hour", 24),
    ("3个工作日内", 3, "workday", 100.8),
    ("3个工作日以内", 3, "workday", 100.8),
    ("一周之内", 1, "week", 168),
    ("2-3天内", 3, "day", 72),
    ("within 2 days", 2, "day", 48),
    ("Within 30 min", 30, "minute", 0.5),
    # T+n: n working days
    ("T+1", 1, "workday", 33.6),
    ("T+3", 3, "workday", 100.8),
    ("t+2", 2, "workday", 67.2),
    ("T + 1", 1, "workday", 33.6),
    ("Ｔ＋１", 1, "workday", 33.6),
]


@pytest.mark.parametrize("text, amount, unit, hours", COMPOSITE)
def test_ranges_limits_and_settlement_days(text, amount, unit, hours):
    duration = parse_duration(text)
    assert duration.text == text
    assert duration.amount == amount
    assert duration.unit == unit
    assert duration.hours == hours


@pytest.mark.parametrize("text", ACCEPTED_FORMS)
def test_every_form_quoted_in_messages_is_accepted(text):
    assert parse_duration(text).hours > 0


@pytest.mark.parametrize(
    "text, hours",
    [
        ("1h", 1),
        ("1d", 24),
        ("1w", 168),
        ("1 workday", 33.6),
        ("5 workdays", 168),  # five working days make one calendar week
        ("3 workdays", 100.8),
        ("2个工作日", 67.2),
        ("30 workdays", 1008),
        ("48小时", 48),
        ("半天", 12),
        ("两周", 336),
        ("30分钟", 0.5),
        ("90 min", 1.5),
        ("10 min", 0.166667),  # rounded to a millionth of an hour
        ("1个月", 720),  # a month is 30 calendar days
        ("3 months", 2160),
        ("1季度", 2160),  # a quarter is three months
        ("1 quarter", 2160),
    ],
)
def test_normalised_hours(text, hours):
    # Exact, not approximately: hours are rounded so 3 × 33.6 is 100.8.
    assert parse_duration(text).hours == hours


@pytest.mark.parametrize(
    "raw, stripped",
    [
        ("  4h ", "4h"),
        ("\t2个工作日\n", "2个工作日"),
        ("　3天　", "3天"),  # ideographic spaces
        ("3   working   days", "3   working   days"),
    ],
)
def test_text_is_the_stripped_original(raw, stripped):
    assert parse_duration(raw).text == stripped


REJECTED = [
    # text, a phrase the message must contain
    ("2 weeks-ish", "write a number and a unit"),
    ("soon", "write a number and a unit"),
    ("d", "write a number and a unit"),
    ("h4", "write a number and a unit"),
    ("4h30m", "write a number and a unit"),
    ("1,5d", "write a number and a unit"),
    (".5d", "write a number and a unit"),
    ("2 days 4 hours", "write a number and a unit"),
    ("TBD", "write a number and a unit"),
    ("待定", "write a number and a unit"),
    ("三个天", "write a number and a unit"),  # no measure word before 天
    ("一个半天", "write a number and a unit"),  # ambiguous: 1.5 days or half a day
    ("半天半", "write a number and a unit"),
    ("2.5天半", "write a number and a unit"),
    ("二二天", "write a number and a unit"),
    ("十两天", "write a number and a unit"),
    ("2 fortnights", "`fortnights` is not a unit"),
    ("30m", "`m` could mean minutes or months"),
    ("3月", "names a month of the year; write `3个月`"),  # 3月 is March
    ("三月", "names a month of the year; write `三个月`"),
    ("半月", "write a number and a unit"),
    ("30个分钟", "write a number and a unit"),
    ("两三天", "write a number and a unit"),
    ("3-2天", "a range goes from the smaller figure to the larger"),
    ("2-3", "it has no unit"),
    ("2到3", "it has no unit"),
    ("2-3天-4天", "write a number and a unit"),
    ("1天内内", "write a number and a unit"),
    ("内", "write a number and a unit"),
    ("within", "write a number and a unit"),
    ("within soon", "write a number and a unit"),
    ("T+", "write a number and a unit"),
    ("T+1.5", "write a number and a unit"),
    ("T+0", "more than zero"),
    ("T-1", "write a number and a unit"),
    ("0-0天", "more than zero"),
    ("3", "it has no unit"),
    ("2.5", "it has no unit"),
    ("三", "it has no unit"),
    ("0d", "more than zero"),
    ("0 workdays", "more than zero"),
    ("0.0小时", "more than zero"),
    ("零天", "write a number and a unit"),
    ("-2d", "more than zero"),
    ("- 3 workdays", "more than zero"),
]


@pytest.mark.parametrize("text, phrase", REJECTED)
def test_rejected_forms(text, phrase):
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert message.startswith(f"`{text.strip()}` is not a duration: ")
    assert phrase in message
    assert message.endswith(f"; accepted forms: {accepted_forms()}")


def test_rejection_message_in_full():
    with pytest.raises(DurationError) as caught:
        parse_duration("2 weeks-ish")
    assert str(caught.value) == (
        "`2 weeks-ish` is not a duration: write a number and a unit; accepted forms: "
        "30分钟, 30 min, 4h, 48小时, 2d, 3天, 3 workdays, 2个工作日, 1w, 1周, 1 month, 3个月, "
        "1 quarter, 1季度, 2-3天, 1天内, within 2 days, T+1"
    )


def test_accepted_forms_cover_every_unit_and_form():
    units = {parse_duration(text).unit for text in ACCEPTED_FORMS}
    assert units == set(HOURS_PER_UNIT)
    listed = accepted_forms()
    for form in ("2-3天", "1天内", "within 2 days", "T+1"):
        assert form in listed


HOSTILE = [
    "1" * 100_000,
    "1" * 100_000 + "x",
    "1." * 50_000,
    "2-" * 50_000 + "天",
    "十" * 100_000 + "天",
    "半" * 100_000,
    "两个" * 50_000,
    " " * 100_000 + "x",
    "within " * 14_000,
    "内" * 100_000,
    "T+" * 50_000,
    "1 " * 50_000 + "days",
    "-" + "1" * 100_000 + " ",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_hostile_text_is_refused_quickly(text):
    with pytest.raises(DurationError) as caught, no_hang("reading a hostile duration"):
        parse_duration(text)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 400


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_every_pattern_is_linear_on_hostile_text(text):
    # The length limit already shields the patterns; each must also stay linear on its own.
    patterns = [
        value.compiled if isinstance(value, LazyRegex) else value
        for value in vars(durations).values() if isinstance(value, (re.Pattern, LazyRegex))
    ]
    assert len(patterns) >= 8
    with no_hang("every duration pattern on hostile text"):
        for pattern in patterns:
            pattern.fullmatch(text)
            pattern.match(text)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty(text):
    with pytest.raises(DurationError, match="empty"):
        parse_duration(text)


@pytest.mark.parametrize("value, phrase", [(3, "it has no unit"), (2.5, "it has no unit"), (None, "write a number")])
def test_non_text_values_from_yaml(value, phrase):
    with pytest.raises(DurationError, match=phrase):
        parse_duration(value)  # type: ignore[arg-type]


def test_duration_error_is_a_salesflow_error():
    with pytest.raises(SalesflowError):
        parse_duration("later")


FORMATTED = [
    # hours, English, Chinese
    (0, "0h", "0小时"),
    (0.25, "0.3h", "0.3小时"),  # one decimal, rounded half up
    (4, "4h", "4小时"),
    (8, "8h", "8小时"),
    (12.5, "12.5h", "12.5小时"),
    (23.94, "23.9h", "23.9小时"),
    (23.96, "1d", "1天"),  # rounds to 24h, so it is shown in days
    (24, "1d", "1天"),
    (36, "1.5d", "1.5天"),
    (48, "2d", "2天"),
    (72, "3d", "3天"),
    (100.8, "4.2d", "4.2天"),
    (3 * 33.6, "4.2d", "4.2天"),  # float noise does not show
    (168, "7d", "7天"),
    (1008, "42d", "42天"),
]


@pytest.mark.parametrize("hours, en, zh", FORMATTED)
def test_format_hours(hours, en, zh):
    assert format_hours(hours) == en
    assert format_hours(hours, "en") == en
    assert format_hours(hours, "zh") == zh


@pytest.mark.parametrize("lang, expected", [("zh", "3天"), ("zh-CN", "3天"), ("ZH", "3天"), ("en", "3d"), ("fr", "3d")])
def test_format_hours_language(lang, expected):
    assert format_hours(72, lang) == expected


@pytest.mark.parametrize("text", ["4h", "2d", "3 workdays", "1w", "2个工作日", "3天", "48小时", "1周"])
def test_format_round_trips_the_documented_examples(text):
    shown = format_hours(parse_duration(text).hours)
    assert math.isclose(parse_duration(shown).hours, parse_duration(text).hours, rel_tol=0.01)


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
def test_format_hours_refuses_impossible_totals(bad):
    with pytest.raises(ValueError):
        format_hours(bad)


def test_format_hours_refuses_non_numbers():
    with pytest.raises(TypeError):
        format_hours("8")  # type: ignore[arg-type]
