"""A role on the roster that owns no stage.

Every role listed under `roles:` in the front matter should answer for at least one stage,
through a stage's `owner:` or a department lane with its title. A role that owns nothing is
either missing from the chart (the stages it does are not drawn or are given to someone else)
or no longer part of the process. Reported as information: a role may take part without
owning a stage (approvals written as checks, for example).

Why it matters:
    责任人: the roster is what the handbook's "your duties" pages are made from. A role with no
    stage gets an empty page, and its people are left asking what the process wants of them.

Options:
    none.

Failing example:
    ---
    roles: [销售代表, 售前顾问, 法务专员]
    ---
    flowchart LR
        A[需求调研] --> B[方案设计]
        A@{ owner: 销售代表 }
        B@{ owner: 售前顾问 }

Passing example:
    ---
    roles: [销售代表, 售前顾问]
    ---
    flowchart LR
        A[需求调研] --> B[方案设计]
        A@{ owner: 销售代表 }
        B@{ owner: 售前顾问 }
"""

from __future__ import annotations

from ..api import Context, Problem, _, normalise, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF104"
NAME = "unused-role"
SEVERITY = "info"
ENABLED = True
THEME = "owners"
TITLE = {"en": "A role on the roster owns no stage", "zh": "岗位名册上的岗位不负责任何阶段"}
FIX = {"en": "Give the role the stages it answers for, or take it off the roster.", "zh": "把它负责的阶段交给它，或从名册中去掉。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    process = ctx.process
    if not process.roles:
        return
    owning = {normalise(owner) for owner in dict.fromkeys(ctx.graph.owners) if owner}
    reported: set[str] = set()
    for role in process.roles:
        key = normalise(role)
        if not key or key in owning or key in reported:
            continue
        reported.add(key)
        yield Problem(
            ctx.front_matter_line("roles", role),
            _(
                "the role {role} in `roles` owns no stage: give it the stages it answers for (`{example}`), or "
                "take it off the roster",
                role=quote(role), example=f"owner: {role}",
            ),
        )
