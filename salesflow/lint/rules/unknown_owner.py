"""An owner that is not in the process's roster of roles.

When the front matter lists the process's roles (`roles: [市场专员, 客户经理, …]`), every owner
must be one of them, compared without regard to case, spacing or full-width forms. The closest
role is suggested. A lane whose title is not a role is reported once, at the lane, when stages
take their owner from it. Without a roster (and without the `roles` option) there is nothing to
compare against and the rule stays quiet.

Why it matters:
    The roster is how the handbook builds each department's duty list. An owner spelled
    differently (销售经里 for 销售经理, AE for Account Executive) creates a role nobody holds, and
    its stages drop out of everyone's list.

Options:
    roles (default: [])
        Roles accepted in every file besides the chart's own `roles:`, e.g. a company-wide roster
        kept once in pyproject.toml.

Failing example:
    ---
    roles: [客户经理, 销售经理]
    ---
    flowchart TD
        A[报价] --> B[谈判]
        A@{ owner: 客户经理 }
        B@{ owner: 销售经里 }

Passing example:
    ---
    roles: [客户经理, 销售经理]
    ---
    flowchart TD
        A[报价] --> B[谈判]
        A@{ owner: 客户经理 }
        B@{ owner: 销售经理 }
"""

from __future__ import annotations

from ... import suggest
from ..api import Context, Option, Problem, _, normalise, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator, Optional

CODE = "SF103"
NAME = "unknown-owner"
SEVERITY = "warning"
ENABLED = True
THEME = "owners"
TITLE = {"en": "The owner is not on the roster", "zh": "责任人不在岗位名册中"}
FIX = {"en": "Use a role from the roster in the front matter, or add it there.", "zh": "使用文件头 roles 岗位名册里的岗位，或把它加进名册。"}
OPTIONS = {"roles": Option((), "words")}


def closest(owner: str, roles: list[str]) -> Optional[str]:
    """The role `owner` most likely means: one containing the other first, then the most similar."""
    folded = normalise(owner)
    by_folded = {normalise(role): role for role in roles}
    for key, role in by_folded.items():
        if key and (folded in key or key in folded):
            return role
    # Short Chinese role names differ by one character in a typo, so the bar is lower than usual.
    meant = suggest.closest(folded, by_folded, cutoff=0.5)
    return by_folded[meant] if meant else None


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    roster = list(ctx.process.roles) + [r for r in options["roles"] if r not in ctx.process.roles]
    if not roster:
        return
    known = {normalise(role) for role in roster}
    # Owners repeat across stages: each is looked up once, and only the stages of an unknown one are visited.
    owners = ctx.graph.owners
    unknown = {owner for owner in dict.fromkeys(owners) if owner and normalise(owner) not in known}
    if not unknown:
        return
    nodes = ctx.process.nodes
    lanes_reported: set[str] = set()
    suggestions: dict[str, str] = {}
    for index, owner in enumerate(owners):
        if owner not in unknown:
            continue
        node = nodes[index]
        if node.owner not in suggestions:
            guess = closest(node.owner, roster)
            suggestions[node.owner] = _(" (did you mean {role}?)", role=quote(guess)) if guess else ""
        hint = suggestions[node.owner]
        problem = ctx.owner_problem(
            node,
            lanes_reported,
            at_lane=lambda lane: _(
                "lane {lane} is not a role in the `roles` roster{hint}: use a role's exact name as the lane title, "
                "or add it to `roles:` in the front matter",
                lane=lane, hint=hint,
            ),
            at_node=lambda: _(
                "{stage} is owned by {owner}, who is not in the `roles` roster{hint}: fix the name, or add the role "
                "to `roles:` in the front matter",
                stage=ctx.show(node.id), owner=quote(node.owner), hint=hint,
            ),
        )
        if problem is not None:
            yield problem
