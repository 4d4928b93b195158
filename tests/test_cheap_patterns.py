"""Patterns made cheaper to compile read every text exactly as the patterns they stand for.

Goals, durations and one-line node data are read by regular expressions whose compiling is a large
part of a short run's start. Some are therefore compiled only for texts they could match (a goal
without a month name is not searched for one), some come in a cheaper form for texts without
Chinese numerals, and a list in node data is checked item by item. These tests hold each shortcut
to the full reading, on every line of the charts and case files in the repository and on thousands
of generated texts made of the pieces these patterns look for.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Optional

import pytest

from salesflow import durations
from salesflow.lint.rules import goal_date_passed, goal_not_smart
from salesflow.parsing import metadata

ROOT = Path(__file__).resolve().parent.parent

# Pieces of goals and durations as people write them, and a few that are nothing of the kind.
PIECES = (
    "2026", "2027", "1999", "2019", "20", "19", "3", "12", "31", "0", "7", "45", "1.5", "2.", ".5", "٣", "２",
    "一", "二", "两", "三", "四", "五", "十", "百", "零", "半", "第", "个", "個",
    "年", "月", "日", "号", "季度", "季", "周", "天", "小时", "工作日", "个月", "内", "之", "以", "前", "底", "末", "初",
    "中", "上", "下", "今", "明", "本", "次", "每", "全年", "财年", "年度", "截至", "之前", "期间", "成", "倍", "万",
    "百分之", "翻一番", "一半", "减半", "%", "-", "/", ".", "~", "到", "至", "t+", "+",
    "q", "h", "q2", "h1", "fy", "fy2026", "jan", "june", "sept", "december", "1st", "30th", "of", "in", "by",
    "sep", "oct", "mar.", "before", "the", "end", "end of", "within", "day", "days", "week", "month", "quarter", "year", "fiscal",
    "fiscal year", "per", "every", "daily", "annual", "this", "next", "double", "twice", "work days", "calendar day",
    "hrs", "min", "m", "wd", "mo", "x", "é", " ", "  ", ",", "，", "：", "Q3", "FY", "June", "Within",
    # whole dates and durations, so that many texts read as one
    "2026年", "2027年底", "3月", "12月31日", "2026-03-31", "2026/3", "12/31/2026", "2026年第二季度", "q2 2026",
    "2026 h1", "2026年上半年", "june 30, 2026", "30th june 2026", "fy2025", "by 2026", "3天", "2个工作日", "48小时",
    "两周", "4h", "2 workdays", "1-2天", "三到五天", "一百二十天", "1天内", "within 2 days", "t+1", "3个月",
)


# Every spelling of every month, in the places a date puts it.
MONTHS = (
    "january", "jan", "february", "feb", "march", "mar", "april", "apr", "may", "june", "jun", "july", "jul",
    "august", "aug", "september", "sept", "sep", "october", "oct", "november", "nov", "december", "dec",
)
MONTH_DATES = tuple(f"{month} 30, 2026" for month in MONTHS) + tuple(f"1st {month}. 2020" for month in MONTHS)


def _generated(count: int, seed: int) -> list[str]:
    chance = random.Random(seed)
    pieces = PIECES + MONTH_DATES
    return ["".join(chance.choice(pieces) for _ in range(chance.randint(1, 5))) for _ in range(count)]


def _corpus_lines() -> list[str]:
    lines: set[str] = set()
    for folder in ("samples", "tests/rules", "tests/corpus", "tests/cases"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".flow", ".mmd", ".md", ".yml", ".yaml"):
                for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                    line = line.strip().lstrip("-").strip()
                    if line:
                        lines.add(line)
                        # Values on their own too, as a duration is read: `due: 3天` → `3天`.
                        lines.update(part.strip() for part in re.split(r"[,:{}\[\]]", line) if part.strip())
    return sorted(lines)


CORPUS = _corpus_lines()
GENERATED = _generated(4000, seed=20261202)
TEXTS = CORPUS + GENERATED


def test_the_texts_cover_what_the_shortcuts_choose_between() -> None:
    assert len(CORPUS) > 3000
    assert any("季度" in text for text in CORPUS) and any("个工作日" in text for text in CORPUS)
    with_numerals = [text for text in TEXTS if not durations._NUMERAL_CHARACTERS.isdisjoint(text)]
    assert 500 < len(with_numerals) < len(TEXTS) - 1000


# ---------------------------------------------------------------------- durations


def _same_match(a: Optional[re.Match], b: Optional[re.Match]) -> bool:
    if a is None or b is None:
        return a is b
    return a.span() == b.span() and a.groupdict() == b.groupdict()


@pytest.mark.parametrize("name", ["_ZH_FORM", "_RANGE", "_NUMBER_ONLY", "_MONTH_OF_YEAR"])
def test_a_duration_pattern_in_figures_reads_text_without_numerals_as_the_full_one(name: str) -> None:
    full, figures = getattr(durations, name), getattr(durations, name + "_FIGURES")
    read = 0
    for text in TEXTS:
        norm = text.lower()
        assert durations._for((full, figures), norm) is (full if not durations._NUMERAL_CHARACTERS.isdisjoint(norm) else figures)
        if durations._NUMERAL_CHARACTERS.isdisjoint(norm):
            assert _same_match(full.fullmatch(norm), figures.fullmatch(norm)), norm
            read += full.fullmatch(norm) is not None
    assert read > 0 or name == "_MONTH_OF_YEAR"


def test_english_units_are_the_table_s_spellings_as_the_full_alternation_read_them() -> None:
    # The pattern as it was: every spelling of the table, longest first.
    spellings = "|".join(sorted((re.escape(u) for u in durations._EN_UNIT_TO_KIND), key=len, reverse=True))
    listed = re.compile(rf"(?P<num>{durations._ARABIC}) ?(?P<unit>{spellings})")
    read = 0
    for text in TEXTS + [f"{n} {unit}" for n in ("2", "1.5") for unit in durations._EN_UNIT_TO_KIND]:
        norm = " ".join(text.lower().split())
        expected = listed.fullmatch(norm)
        found = durations._EN_FORM.fullmatch(norm)
        if found is not None and found["unit"] not in durations._EN_UNIT_TO_KIND:
            found = None
        assert _same_match(expected, found), norm
        read += expected is not None
    assert read > 50


def test_durations_of_the_corpus_read_alike_with_and_without_the_shortcuts(monkeypatch: pytest.MonkeyPatch) -> None:
    def outcome(text: str) -> object:
        try:
            return durations.parse_duration(text)
        except durations.DurationError as exc:
            return str(exc)

    texts = [text for text in TEXTS if len(text) <= 30]
    shortcut = [outcome(text) for text in texts]
    monkeypatch.setattr(durations, "_for", lambda patterns, text: patterns[0])  # always the full patterns
    assert [outcome(text) for text in texts] == shortcut
    assert sum(not isinstance(result, str) for result in shortcut) > 100


# ---------------------------------------------------------------------- goal-date-passed


def test_a_date_pattern_skipped_for_a_goal_finds_nothing_in_it() -> None:
    searched = 0
    for goal in TEXTS:
        text = " ".join(goal.casefold().split())
        for pattern, words in goal_date_passed._PATTERNS:
            skipped = ("19" not in text and "20" not in text) or not any(word in text for word in words)
            if skipped:
                assert pattern.search(text) is None, (pattern, text)
            else:
                searched += 1
        if goal_date_passed._CHINESE_QUARTERS.isdisjoint(text):
            full, figures = goal_date_passed._QUARTERS, goal_date_passed._QUARTERS_IN_FIGURES
            assert [m.groupdict() for m in full.finditer(text)] == [m.groupdict() for m in figures.finditer(text)]
    assert searched > 1000


def test_goal_dates_read_alike_with_every_pattern() -> None:
    import datetime
    import unicodedata

    def every_pattern(goal: str) -> Optional[datetime.date]:
        text = " ".join(unicodedata.normalize("NFKC", goal).casefold().split())
        latest, read = None, set()
        for pattern, _words in goal_date_passed._PATTERNS:
            for match in pattern.finditer(text):
                if match.start("year") not in read:
                    read.add(match.start("year"))
                    day = goal_date_passed._day(match.groupdict())
                    if day is not None and (latest is None or day > latest):
                        latest = day
        return latest

    dated = 0
    for goal in TEXTS:
        expected = every_pattern(goal)
        assert goal_date_passed.due_date(goal) == expected, goal
        dated += expected is not None
    assert dated > 500


# ---------------------------------------------------------------------- goal-not-smart

# The rule's three patterns as they were written before they were split (salesflow 0.1.0).
_CN = "一二两三四五六七八九十"
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
WHOLE_DATE = re.compile(
    "|".join(
        (
            r"(?:19|20)\d{2}\s*(?:财年|年度|年)?",
            r"\d{4}-\d{1,2}(?:-\d{1,2})?",
            r"\d{1,2}/\d{1,2}(?:/\d{2,4})?",
            r"\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?",
            r"\d{1,2}\s*[日号]",
            rf"[{_CN}]{{1,3}}月(?:[{_CN}]{{1,3}}[日号])?",
            rf"第?[{_CN}1-4]季度",
            r"(?<![a-z0-9])(?:q[1-4]|h[12])(?![0-9])",
            r"(?<![a-z])fy\s*\d{2,4}",
            rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b",
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b",
        )
    )
)
_TIME_UNIT = r"(?:小时|钟头|天|日|周|星期|个?月|年|季度|工作日|个工作日)"
_DURATION_WORDS = r"(?:hours?|days?|weeks?|months?|quarters?|years?|business days?|working days?|workdays?)"
WHOLE_TIME = re.compile(
    "|".join(
        (
            rf"(?<![\d{_CN}半])[\d{_CN}半]+\s*{_TIME_UNIT}\s*(?:之|以)?内",
            r"截至|截止|之前|以前|期间|期内",
            r"全年|[上下]半年|[年月季][底末初中]|季度末|财年",
            r"(?:今|明|本|下|次)(?:年|季度?|个?月|周)",
            r"每个?(?:天|日|周|星期|月|季度?|年)",
            rf"\b(?:by|before|until|through)\s+(?:the\s+)?(?:end|close|start|beginning|middle|next|this|{_MONTHS}|q[1-4]|h[12]|fy)",
            rf"\bwithin\s+(?:\d+|one|two|three|six|twelve)\s+{_DURATION_WORDS}",
            r"\b(?:per|each|every|a)\s+(?:day|week|month|quarter|year)\b",
            r"\b(?:daily|weekly|monthly|quarterly|yearly|annually|annual)\b",
            r"\b(?:this|next|the)\s+(?:week|month|quarter|year)\b",
            r"\bfiscal\s+year\b|\bend\s+of\b|\bquarter\b",
        )
    )
)
WHOLE_MEASURE = re.compile(
    rf"\d|%|百分之|(?<![{_CN}半])[{_CN}半]+\s*(?:成|倍|个百分点|家|个|条|单|位|万|千|百|亿|名|次)|翻一番|翻番|翻倍|减半|一半"
    r"|\b(?:double|triple|halve|twice)\b"
)


def test_goals_are_judged_as_by_the_whole_patterns() -> None:
    import unicodedata

    kinds = set()
    for goal in TEXTS + ["今年内复购额翻一番", "三月底前签约五家", "两个季度内成交额提升三成", "半年内新增半个百分点"]:
        text = unicodedata.normalize("NFKC", goal).casefold()
        undated, dates = WHOLE_DATE.subn(" ", text)
        expected = (bool(WHOLE_MEASURE.search(undated)), dates > 0 or bool(WHOLE_TIME.search(text)))
        assert goal_not_smart.judge(goal) == expected, goal
        kinds.add(expected)
    assert len(kinds) == 4  # measured or not, timed or not: every outcome was seen


def test_the_date_parts_taken_for_a_goal_blank_out_what_the_whole_pattern_does() -> None:
    import unicodedata

    for goal in TEXTS:
        text = unicodedata.normalize("NFKC", goal).casefold()
        parts = goal_not_smart._parts(goal_not_smart._DATE_PARTS, text)
        shortcut = re.subn("|".join(parts), " ", text) if parts else (text, 0)
        assert shortcut == WHOLE_DATE.subn(" ", text), goal


# ---------------------------------------------------------------------- lone surrogates


@pytest.mark.parametrize(
    "text",
    ["flowchart LR\n  A --> B", "线索\ud800", "\udfff", "a\r\nb线索\ud83d\ude00\udc00x\ud800", "é" * 50 + "\udbff", "😀线索"],
)
def test_the_first_lone_surrogate_is_where_the_pattern_finds_it(text: str) -> None:
    from salesflow.parse import _first_surrogate

    found = re.search("[\ud800-\udfff]", text)
    assert _first_surrogate(text) == (found.start() if found else None)


def test_a_lone_surrogate_is_reported_at_its_line_and_column() -> None:
    from salesflow.errors import ParseError
    from salesflow.parse import parse_text

    with pytest.raises(ParseError) as caught:
        parse_text("flowchart LR\r\n  A[线索] --> B[成\udc01交]\n", "x.flow")
    # `  A[线索] --> B[成` is 15 characters: the surrogate is the 16th.
    assert (caught.value.line, caught.value.column) == (2, 16) and "U+DC01" in str(caught.value)


# ---------------------------------------------------------------------- one-line node data

# The entry pattern as it was, with each list read item by item inside it.
_LIST = rf"\[\s*(?:{metadata._PLAIN}\s*(?:,\s*{metadata._PLAIN}\s*)*)?\]"
WHOLE_ENTRY = re.compile(rf"\s*({metadata._KEY})\s*:\s+(?:({metadata._PLAIN})|({_LIST}))\s*(?:,|\Z)")


def _read_with_the_whole_entry(content: str) -> Optional[list]:
    entries, keys, position = [], set(), 0
    while position < len(content):
        match = WHOLE_ENTRY.match(content, position)
        if match is None:
            return None
        position = match.end()
        key, plain, listed = match.groups()
        if key in keys:
            return None
        keys.add(key)
        if plain is not None:
            value = (plain, match.start(2))
        else:
            items, offset = [], match.start(3) + 1
            if listed[1:-1].strip():
                for part in listed[1:-1].split(","):
                    text = part.lstrip()
                    items.append((text.rstrip(), offset + len(part) - len(text)))
                    offset += len(part) + 1
            value = (items, match.start(3))
        entries.append((key, match.start(1), value))
    return entries


def _described(entries: Optional[list]) -> Optional[list]:
    if entries is None:
        return None
    return [
        (e.key, e.key_column, ([(i.value, i.column) for i in e.value.value], e.value.column)
         if isinstance(e.value.value, list) else (e.value.value, e.value.column))
        for e in entries
    ]


def test_node_data_lists_read_as_with_the_whole_entry_pattern() -> None:
    blocks = sorted({found for text in CORPUS for found in re.findall(r"@\{([^{}\n]*)\}", text)})
    chance = random.Random(20261202)
    alphabet = "ab :,[]{}#'\"-&*x1%\t\n报价 "
    generated = [
        "k: [" + "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 12))) + "]"
        + chance.choice(["", ",", " , b: c", ", b: [d, e]", "]", " x"])
        for _ in range(20_000)
    ]
    read = 0
    for content in blocks + generated + ["a: [ ]", "a: [,]", "a: [b, ]", "a: [b c, d:e, f#g]", "a: [b :c]", "a: [b #c]"]:
        expected = _read_with_the_whole_entry(content)
        assert _described(metadata._fast_flow_mapping(content)) == expected, content
        read += expected is not None and any(isinstance(v[0], list) and v[0] for _k, _c, v in expected)
    assert len(blocks) > 100 and read > 1000


# ---------------------------------------------------------------------- what a run compiles


def test_a_chart_in_figures_compiles_none_of_the_patterns_it_cannot_match(tmp_path: Path) -> None:
    # In a fresh process, as a user's run: a goal with a year and a percentage, durations in figures,
    # node data without lists. What the shortcuts leave out must stay uncompiled.
    import subprocess
    import sys

    chart = tmp_path / "process.flow"
    chart.write_text(
        "---\ngoals: [2020年底前，赢单率提升到30%]\n---\nflowchart LR\n"
        "  A[报价]@{ owner: 销售经理, due: 3天 } --> B[签约]@{ owner: 法务, due: 4h, kind: end }\n",
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from salesflow import durations\n"
        "from salesflow.api import parse_file\n"
        "from salesflow.lint import lint\n"
        "from salesflow.lint.config import Config\n"
        "from salesflow.lint.rules import goal_date_passed\n"
        "from salesflow.parsing import metadata\n"
        f"found = lint(parse_file({str(chart)!r}), Config.default())\n"
        "assert any(f.rule == 'goal-date-passed' for f in found), found\n"
        "names = ['_ZH_FORM', '_ZH_FORM_FIGURES', '_RANGE', '_T_PLUS', '_EN_FORM']\n"
        "print(*('_compiled' in vars(getattr(durations, n)) for n in names))\n"
        "print(*('_compiled' in vars(p) for p, _w in goal_date_passed._PATTERNS))\n"
        "print('_compiled' in vars(metadata._PLAIN_ITEM))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    durations_line, dates_line, list_line = done.stdout.split("\n")[:3]
    # 3天 and 4h: the Chinese form in figures and the English form; no range, no T+n, no numerals.
    assert durations_line == "False True False False True"
    # 2020年底前: the year-month pattern looks for 年 (and finds no month), the year-alone one reads it.
    assert dates_line == "False False True False False False False False False True False"
    assert list_line == "False"
