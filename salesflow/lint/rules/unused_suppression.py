"""A suppression comment that suppresses nothing.

A `%% salesflow: disable-next-line=RULE` or `disable-file=RULE` comment is reported when the rule
it names ran and found nothing to suppress where the comment points: the problem it once
silenced has been fixed, or the comment sits above the wrong line. Rules that are off for the
file are not held against a comment, since another configuration may turn them on.

Why it matters:
    Stale suppressions hide the next real problem on that line. Removing them keeps every
    exception in a process file deliberate and explained.

Options:
    none.

    To keep a directive anyway, name this rule in a file-wide directive:
    `%% salesflow: disable-file=unused-suppression`.

Failing example:
    flowchart TD
        A[报价]
        A@{ owner: 客户经理, due: 2个工作日, kind: start }
        %% salesflow: disable-next-line=missing-owner
        B([合同签订])
        B@{ owner: 客户经理, due: 5个工作日 }
        A -->|报价单| B

Passing example:
    flowchart TD
        A[报价]
        A@{ owner: 客户经理, due: 2个工作日, kind: start }
        %% salesflow: disable-next-line=missing-owner -- the signer is chosen per deal
        B([合同签订])
        B@{ due: 5个工作日 }
        A -->|报价单| B
"""

from __future__ import annotations

CODE = "SF001"
NAME = "unused-suppression"
SEVERITY = "warning"
ENABLED = True
THEME = "suppressions"
TITLE = {"en": "A suppression comment is not needed", "zh": "多余的屏蔽注释"}
FIX = {"en": "Remove the %% comment that silences nothing.", "zh": "删掉没有起作用的 %% 注释。"}
OPTIONS: dict = {}
