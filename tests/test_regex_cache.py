"""Patterns made from kept compiled code are the patterns `re.compile` makes, and a run that uses
the kept code says exactly what a run that compiles everything says.

salesflow keeps the code its regular expressions compile to beside its bytecode
(salesflow/regex_cache.py). These tests let a real command write that file (in a folder of their
own, through Python's `-X pycache_prefix`), check every pattern in it against `re.compile`, and
compare the output of commands run with it, without it, and with a file that cannot be trusted.
"""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import _sre
import pytest

from salesflow import pycache, regex_cache

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(str(path) for path in (ROOT / "samples").iterdir() if path.suffix in (".flow", ".md"))


def _salesflow(args: list[str], prefix: Path, *, keep: bool = True, lang: str = "en") -> subprocess.CompletedProcess:
    """`salesflow ARGS` as a user runs it, its compiled patterns kept under `prefix`."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["SALESFLOW_LANG"] = lang
    env["SOURCE_DATE_EPOCH"] = "1790000000"
    flags = ["-X", f"pycache_prefix={prefix}"] + ([] if keep else ["-B"])
    return subprocess.run(
        [sys.executable, *flags, "-m", "salesflow", *args], capture_output=True, cwd=ROOT, env=env, check=False
    )


def _kept_file(prefix: Path) -> Path:
    found = list(prefix.rglob("regex.*.marshal"))
    assert len(found) == 1, found
    return found[0]


def test_kept_patterns_are_those_re_compile_makes(tmp_path: Path) -> None:
    done = _salesflow(["lint", "--select", "ALL", *SAMPLES], tmp_path)
    assert done.returncode in (0, 1), done.stderr.decode()[-2000:]
    interpreter, (matcher, patterns) = marshal.loads(_kept_file(tmp_path).read_bytes())
    assert interpreter == pycache._INTERPRETER and matcher == regex_cache._MATCHER
    # The run's own patterns: the fast reader's, the front matter's, the rules'.
    assert len(patterns) > 20
    for (pattern, flags), arguments in patterns.items():
        made, expected = _sre.compile(pattern, *arguments), re.compile(pattern, flags)
        # Patterns are equal when their text, flags and compiled code are.
        assert made == expected, pattern
        assert (made.groups, made.groupindex, made.flags) == (expected.groups, expected.groupindex, expected.flags)


def test_a_run_with_kept_patterns_says_what_a_run_without_says(tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    first = _salesflow(["lint", "--select", "ALL", *SAMPLES], kept)  # compiles, and writes the file
    assert first.stdout == _salesflow(["lint", "--select", "ALL", *SAMPLES], tmp_path / "none", keep=False).stdout
    written = _kept_file(kept).read_bytes()
    for lang in ("en", "zh"):
        for form in ("text", "json", "sarif"):
            args = ["lint", "--select", "ALL", "-f", form, *SAMPLES]
            fresh = _salesflow(args, tmp_path / "none", keep=False, lang=lang)
            again = _salesflow(args, kept, lang=lang)  # reads the file
            assert fresh.stdout and fresh.returncode in (0, 1), fresh.stderr.decode()[-2000:]
            assert (again.stdout, again.stderr, again.returncode) == (fresh.stdout, fresh.stderr, fresh.returncode)
    assert _kept_file(kept).read_bytes() == written  # nothing new to keep: not written again
    assert not (tmp_path / "none").exists()  # -B: nothing written, as for bytecode


def test_a_file_that_cannot_be_trusted_is_not_used(tmp_path: Path) -> None:
    args = ["lint", "--select", "ALL", *SAMPLES]
    expected = _salesflow(args, tmp_path / "none", keep=False)
    _salesflow(args, tmp_path)
    path = _kept_file(tmp_path)
    interpreter, (matcher, patterns) = marshal.loads(path.read_bytes())
    # Code that matches nothing, for every pattern: taken from another interpreter, or damaged.
    nothing = re.compile("(?!)")
    nothing_arguments = regex_cache._compile("(?!)", 0)
    assert _sre.compile("(?!)", *nothing_arguments) == nothing
    wrong = {key: nothing_arguments for key in patterns}
    for damaged in (
        marshal.dumps((("another python",) + interpreter[1:], (matcher, wrong))),
        marshal.dumps((interpreter, ((-1, 0), wrong))),  # another matcher
        b"\x00not marshal at all",
        marshal.dumps(["a list"]),
        path.read_bytes()[: len(path.read_bytes()) // 2],
    ):
        path.write_bytes(damaged)
        done = _salesflow(args, tmp_path)
        assert (done.stdout, done.stderr) == (expected.stdout, expected.stderr)
        # Written anew, and good again.
        assert marshal.loads(path.read_bytes())[:2] == (interpreter, (matcher, patterns))


def test_compiled_is_re_compile() -> None:
    for pattern, flags in (
        (r"(?P<num>[0-9]+(?:\.[0-9]+)?) ?(?P<unit>天|小时)", 0),
        (r"<br\s*/?>", re.IGNORECASE),
        (r"^---[ \t]*$", re.M),
        (r"(?:(?P<A>\[)|(?P<B>\())x(?(A)\]|\))", 0),
        (r"[\u3400-\u9fff]+", 0),
    ):
        assert regex_cache.compiled(pattern, flags) == re.compile(pattern, flags)
    with pytest.raises(re.error) as raised:
        regex_cache.compiled("(unclosed")
    assert "missing )" in str(raised.value)


def test_the_fast_readers_kept_patterns_are_those_derived_from_the_grammar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salesflow import pycache
    from salesflow.parsing import fastpath, terminals

    monkeypatch.setattr(pycache, "path", lambda name: str(tmp_path / f"{name}.marshal"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    derived = fastpath._patterns()  # derives them and keeps them
    assert (tmp_path / "fastpath.marshal").is_file()
    read_terminals = terminals.read_terminals

    def must_not_derive(*args: object) -> dict:
        raise AssertionError("derived again")

    monkeypatch.setattr(terminals, "read_terminals", must_not_derive)
    assert fastpath._patterns() == derived  # from the file
    # A grammar that says something else is not answered from the file.
    grammar = terminals.grammar_text()
    changed = grammar.replace("ACC_TITLE.3: /accTitle", "ACC_TITLE.3: /accTitle2")
    assert changed != grammar
    monkeypatch.setattr(terminals, "grammar_text", lambda: changed)
    with pytest.raises(AssertionError, match="derived again"):
        fastpath._patterns()
    monkeypatch.setattr(terminals, "read_terminals", read_terminals)
    renamed = fastpath._patterns()
    assert renamed != derived and "accTitle2" in "|".join(renamed["statement"])


def test_the_first_characters_kept_for_large_charts_are_those_worked_out_from_the_patterns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salesflow import pycache
    from salesflow.parsing import fastpath

    monkeypatch.setattr(pycache, "path", lambda name: str(tmp_path / f"{name}.marshal"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    alternatives = fastpath._patterns()
    derived = fastpath._first_character_classes(alternatives)
    assert (tmp_path / "fastpath-firsts.marshal").is_file()
    # `[` begins the shapes' alternative after a node's id, a letter its id at a statement's start.
    after_node = dict(zip(alternatives["after_node_id"], derived["after_node_id"]))
    shapes = next(text for text in after_node if "(?P<SQUARE>" in text)
    assert re.fullmatch(after_node[shapes], "[") and not re.fullmatch(after_node[shapes], "-")
    first_characters = fastpath._first_characters

    def must_not_work_out(pattern: str) -> None:
        raise AssertionError("worked out again")

    monkeypatch.setattr(fastpath, "_first_characters", must_not_work_out)
    assert fastpath._first_character_classes(alternatives) == derived  # from the file
    # Alternatives derived from another grammar are not answered from the file.
    monkeypatch.setattr(fastpath, "_patterns_made_from", ("another grammar",))
    with pytest.raises(AssertionError, match="worked out again"):
        fastpath._first_character_classes(alternatives)
    monkeypatch.setattr(fastpath, "_first_characters", first_characters)
    assert fastpath._first_character_classes(alternatives) == derived


def test_flags_and_escape_are_those_of_re() -> None:
    # A run whose patterns are all kept does without `re`: the flags and `escape` it uses
    # instead must be `re`'s own, or a pattern would match other text than it says.
    assert (regex_cache.IGNORECASE, regex_cache.MULTILINE, regex_cache.DOTALL, regex_cache.ASCII) == (
        re.IGNORECASE, re.MULTILINE, re.DOTALL, re.ASCII,
    )
    every_character = "".join(chr(code) for code in range(0x3100)) + "\U0001f600\U0010ffff"
    assert regex_cache.escape(every_character) == re.escape(every_character)
    for text in ("", "a.b*c", "(?P<x>)", "[^-]", "#quot;", "\t\n\r\v\f ", "**", "销售*代表?"):
        assert re.fullmatch(regex_cache.escape(text), text)
