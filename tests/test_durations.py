import math

import pytest

from salesflow.durations import EXAMPLES, HOURS_PER_UNIT, format_hours, parse_duration
from salesflow.errors import DurationError, SalesflowError
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
]


@pytest.mark.parametrize("text, amount, unit", ACCEPTED)
def test_accepted_forms(text, amount, unit):
    duration = parse_duration(text)
    assert isinstance(duration, Duration)
    assert duration.text == text
    assert duration.amount == amount
    assert isinstance(duration.amount, float)
    assert duration.unit == unit
    assert math.isclose(duration.hours, amount * HOURS_PER_UNIT[unit])


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
    ("3 months", "`months` is not a unit"),
    ("2 fortnights", "`fortnights` is not a unit"),
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
    assert message.endswith(f"e.g. {EXAMPLES}")


def test_rejection_message_in_full():
    with pytest.raises(DurationError) as caught:
        parse_duration("2 weeks-ish")
    assert str(caught.value) == (
        "`2 weeks-ish` is not a duration: write a number and a unit, "
        "e.g. 4h, 2d, 3 workdays, 1w, 2个工作日, 3天, 48小时, 1周"
    )


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
