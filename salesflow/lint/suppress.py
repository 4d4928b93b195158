"""Inline suppression: whole-line `%%` comments that switch rules off for one line or the file.

    %% salesflow: disable-next-line=missing-deadline
    %% salesflow: disable-next-line=SF101,vague-owner -- owner agreed at kick-off
    %% salesflow: disable-file=too-many-steps
    %% salesflow: disable-next-line

Rules are named by name or code, separated by commas; no rule at all means every rule. A
`disable-next-line` covers the next line that is not itself a comment (so several directives
can be stacked above one line); `disable-file` covers the whole chart. Text after ` -- ` is a
reason for the reader and is ignored.

Each directive remembers which of its rules suppressed something. A rule that ran and was named
but suppressed nothing is reported (unused-suppression), so stale directives do not pile up; a
directive that cannot be read is reported too (invalid-suppression).
"""

from __future__ import annotations


from ..findings import Finding
from ..i18n import _
from ..lazy_regex import LazyRegex
from ..model import Process, Span
from ..regex_cache import DOTALL, IGNORECASE
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Any, Optional

ACTIONS = ("disable-next-line", "disable-file")
ALL = "*"
_DIRECTIVE = LazyRegex(r"^\s*salesflow\s*:(?P<body>.*)$", IGNORECASE | DOTALL)
_ACTION = LazyRegex(r"^\s*(?P<action>[A-Za-z][\w-]*)\s*(?:=\s*|\s+|$)(?P<rules>.*)$", DOTALL)


class Directive:
    """One suppression comment, and what it has suppressed so far."""

    __slots__ = ("span", "action", "rules", "line", "used")

    def __init__(self, span: Span, action: str, rules: dict[str, str], line: Optional[int] = None) -> None:
        self.span = span
        self.action = action  # see ACTIONS
        self.rules = rules  # rule name (or ALL) → how it was written
        self.line = line  # the line a disable-next-line covers
        self.used: set[str] = set()

    def covers(self, finding: Finding) -> Optional[str]:
        """The key (rule name or ALL) under which this directive suppresses `finding`, if it does."""
        if self.action == "disable-next-line" and finding.line != self.line:
            return None
        if finding.rule in self.rules:
            return finding.rule
        if ALL in self.rules:
            return ALL
        return None


class Invalid(Fields):
    __slots__ = ()
    _fields = (
        "span",  # Span
        "message",  # str
    )

    def __new__(cls, span, message):
        return tuple.__new__(cls, (span, message))


def read(process: Process) -> tuple[list[Directive], list[Invalid]]:
    """The directives in a chart's comments, and the comments that look like one but are not."""
    from .rules import lookup, suggestion

    comment_lines = {comment.span.line for comment in process.comments}
    directives: list[Directive] = []
    invalid: list[Invalid] = []
    for comment in process.comments:
        match = _DIRECTIVE.match(comment.text)
        if not match:
            continue
        body = match.group("body").split(" -- ", 1)[0].strip()
        action_match = _ACTION.match(body)
        if not action_match or action_match.group("action").lower() not in ACTIONS:
            written = action_match.group("action") if action_match else body
            invalid.append(
                Invalid(
                    comment.span,
                    _(
                        "`{written}` is not a suppression directive: write `{next_line}` or `{whole_file}`",
                        written=written, next_line="%% salesflow: disable-next-line=RULE",
                        whole_file="%% salesflow: disable-file=RULE",
                    ),
                )
            )
            continue
        action = action_match.group("action").lower()
        rules: dict[str, str] = {}
        bad = False
        seen: set[str] = set()
        for word in (w.strip() for w in action_match.group("rules").split(",")):
            if not word or word in seen:
                continue  # a name written twice is read (and reported) once
            seen.add(word)
            if word.lower() == "all":
                rules[ALL] = word
                continue
            rule = lookup(word)
            if rule is None:
                # A did-you-mean helps with a typo or two; past a hundred unknown names it only costs time.
                hint = suggestion(word) if len(invalid) < 100 else ""
                invalid.append(
                    Invalid(comment.span, _("`{word}` is not a rule{hint}; see `salesflow rules`", word=word, hint=hint))
                )
                bad = True
                continue
            rules[rule.NAME] = word
        if not rules:
            if bad:
                continue
            rules[ALL] = "all"
        line = None
        if action == "disable-next-line":
            line = comment.span.line + 1
            while line in comment_lines:
                line += 1
        directives.append(Directive(comment.span, action, rules, line))
    return directives, invalid


def apply(
    process: Process,
    read_result: tuple[list[Directive], list[Invalid]],
    findings: list[Finding],
    ran: set[str],
    active: dict[str, tuple[Any, str]],
) -> list[Finding]:
    """`findings` without the suppressed ones, plus reports on unused and invalid directives."""
    from .api import Problem, stamp

    directives, invalid = read_result
    if not directives and not invalid:
        return findings
    by_line: dict[int, list[Directive]] = {}
    whole_file: list[Directive] = []
    for directive in directives:
        if directive.action == "disable-file":
            whole_file.append(directive)
        else:
            assert directive.line is not None
            by_line.setdefault(directive.line, []).append(directive)

    def suppressed(finding: Finding) -> bool:
        hit = False
        for directive in by_line.get(finding.line, []) + whole_file:
            key = directive.covers(finding)
            if key is not None:
                directive.used.add(key)
                hit = True
        return hit

    kept = [f for f in findings if not suppressed(f)]

    meta: list[Finding] = []
    if "invalid-suppression" in active:
        rule, severity = active["invalid-suppression"]
        for problem in invalid:
            meta.append(stamp(process.path, rule, severity, Problem(problem.span, problem.message)))
    if "unused-suppression" in active:
        rule, severity = active["unused-suppression"]
        for directive in directives:
            for key, written in directive.rules.items():
                if key in directive.used or key == "unused-suppression":
                    continue
                if key != ALL and key not in ran:
                    continue  # the rule is off here; under another configuration it may matter
                next_line = directive.action == "disable-next-line"
                if key == ALL:
                    message = (
                        _("this directive finds nothing to suppress on the next line: remove it")
                        if next_line
                        else _("this directive finds nothing to suppress in this chart: remove it")
                    )
                elif next_line:
                    message = _(
                        "`{written}` finds nothing to suppress on the next line: remove it from this directive",
                        written=written,
                    )
                else:
                    message = _(
                        "`{written}` finds nothing to suppress in this chart: remove it from this directive",
                        written=written,
                    )
                meta.append(stamp(process.path, rule, severity, Problem(directive.span, message)))
    # Reports about directives can only be switched off for the whole file.
    meta = [f for f in meta if not _suppressed_by_file(f, whole_file)]
    if "unused-suppression" in active:
        rule, severity = active["unused-suppression"]
        for directive in whole_file:
            if "unused-suppression" in directive.rules and "unused-suppression" not in directive.used:
                message = _(
                    "`{written}` finds nothing to suppress in this chart: remove it from this directive",
                    written="unused-suppression",
                )
                meta.append(stamp(process.path, rule, severity, Problem(directive.span, message)))
    return kept + meta


def _suppressed_by_file(finding: Finding, whole_file: list[Directive]) -> bool:
    """Only a file directive that names the rule itself switches off reports about directives."""
    hit = False
    for directive in whole_file:
        if finding.rule in directive.rules:
            directive.used.add(finding.rule)
            hit = True
    return hit
