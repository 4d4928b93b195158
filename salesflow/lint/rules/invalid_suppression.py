"""A `%% salesflow:` comment that cannot be read.

A whole-line comment that starts with `salesflow:` is a suppression directive. It must say
`disable-next-line` or `disable-file`, optionally followed by `=` and rule names or codes
separated by commas (no rule means every rule), and optionally ` -- ` and a reason. A
directive with an unknown action or an unknown rule is reported, with the closest rule name
when there is one, because it suppresses nothing.

Why it matters:
    A mistyped directive (`disable-next-line=missing-onwer`) silently fails: the author believes
    the exception is recorded, and the finding keeps coming back in CI.

Options:
    none.

Failing example:
    flowchart TD
        %% salesflow: disable-next-line=missing-onwer
        A([报价]) --> B([合同签订])

Passing example:
    flowchart TD
        %% salesflow: disable-next-line=missing-owner
        A([报价]) --> B([合同签订])
"""

from __future__ import annotations

CODE = "SF002"
NAME = "invalid-suppression"
SEVERITY = "warning"
ENABLED = True
THEME = "suppressions"
TITLE = {"en": "A suppression comment cannot be read", "zh": "屏蔽注释无法识别"}
FIX = {"en": "Name existing rule codes in the %% comment.", "zh": "在 %% 注释里写存在的规则代码。"}
OPTIONS: dict = {}
