"""An owner that names nobody in particular.

The owner of a stage should be one role a reader can go and ask. Owners such as 相关部门,
有关人员, 各部门, 待定, TBD, N/A or "someone", a bare title that fits half the company (领导,
销售, 负责人, 某人), and owners that list several roles at once
(`销售/市场`, `销售、售前`), are reported. A department lane whose title is vague is reported
once, at the lane, when stages take their owner from it.

Why it matters:
    "相关部门负责" is how a process document says nobody is responsible. Shared or placeholder
    owners are the classic reason a hand-off falls through: each side thinks the other has it.

Options:
    words (default: the list below)
        Owners treated as vague, compared without regard to case or full-width forms; `*`
        matches any text, so `相关*` catches 相关销售 and 相关负责人. The default list:
        相关*, 有关*, *相关部门*, *相关人员*, *有关部门*, *有关人员*, 各部门, 各相关*, *等,
        其他*, 其它*, 待定, 待确认, 待分配, 未定, 未分配, 无, 暂无, 全员, 所有人, 大家,
        领导, 销售, 负责人, 某*, TBD, TBC, TBA, N/A, NA, none, unknown, unassigned, someone,
        somebody, anyone, everyone, all, various, others, owner, ?, ？, -, …, ...
    allow-shared (default: false)
        Accept owners that name several roles separated by `/`, `、`, `,`, `，`, `;`, `&` or `+`.

Failing example:
    flowchart TD
        A[合同审核] --> B[合同签订]
        A@{ owner: 相关部门, due: 3个工作日 }
        B@{ owner: 客户经理, due: 2个工作日 }

Passing example:
    flowchart TD
        A[合同审核] --> B[合同签订]
        A@{ owner: 法务专员, due: 3个工作日 }
        B@{ owner: 客户经理, due: 2个工作日 }
"""

from __future__ import annotations


from ...lazy_regex import LazyRegex
from ...memo import memoized
from ..api import Context, Option, Problem, _, n_, normalise, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator, Optional

CODE = "SF102"
NAME = "vague-owner"
SEVERITY = "warning"
ENABLED = True
THEME = "owners"
TITLE = {"en": "The owner is too vague", "zh": "责任人不明确"}
FIX = {
    "en": "Replace words such as “relevant departments” or “TBD” with one specific role.",
    "zh": "把「相关部门」「待定」之类的说法换成一个具体岗位。",
}

DEFAULT_WORDS = (
    "相关*", "有关*", "*相关部门*", "*相关人员*", "*有关部门*", "*有关人员*", "各部门", "各相关*", "*等",
    "其他*", "其它*", "待定", "待确认", "待分配", "未定", "未分配", "无", "暂无", "全员", "所有人", "大家",
    # Titles that fit half the company: which 领导, which salesperson?
    "领导", "销售", "负责人", "某*",
    "TBD", "TBC", "TBA", "N/A", "NA", "none", "unknown", "unassigned", "someone", "somebody", "anyone",
    "everyone", "all", "various", "others", "owner", "?", "？", "-", "…", "...",
)
OPTIONS = {"words": Option(DEFAULT_WORDS, "words"), "allow-shared": Option(False, "bool")}

_SHARED = LazyRegex(r"\s*(?:/|、|,|，|;|；|&|\+)\s*")


@memoized(maxsize=16)
def _vague(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each word as the fixed pieces between its `*`s (only `*` is a wildcard; `?` is a word of its own)."""
    return tuple(tuple(normalise(word).split("*")) for word in words)


def _fits(pieces: tuple[str, ...], text: str) -> bool:
    """Whether `text` is `pieces` with any text in place of each `*`.

    Each middle piece is taken at its leftmost place, which leaves the most room for the rest, so
    this takes linear time; a regular expression with several `.*` takes polynomial time on a long
    owner when a configured word has several `*`.
    """
    if len(pieces) == 1:
        return text == pieces[0]
    first, middle, last = pieces[0], pieces[1:-1], pieces[-1]
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    position = len(first)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def problem_with(owner: str, options: dict) -> Optional[str]:
    """Why `owner` is vague, or None."""
    normalised = normalise(owner)
    if any(_fits(pieces, normalised) for pieces in _vague(tuple(options["words"]))):
        return _("names no one in particular")
    if not options["allow-shared"]:
        parts = [p for p in _SHARED.split(owner.strip()) if p]
        if len(parts) > 1:
            return n_("names {n} role at once", "names {n} roles at once", len(parts))
    return None


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    lanes_reported: set[str] = set()
    # Owners repeat across stages: each is judged once, and only the stages of a vague one are visited.
    owners = ctx.graph.owners
    verdicts = {owner: problem_with(owner, options) for owner in dict.fromkeys(owners) if owner}
    if not any(verdicts.values()):
        return
    nodes = ctx.process.nodes
    for index, owner in enumerate(owners):
        why = verdicts.get(owner) if owner else None
        if why is None:
            continue
        node = nodes[index]
        problem = ctx.owner_problem(
            node,
            lanes_reported,
            at_lane=lambda lane: _(
                "lane {lane} gives its stages an owner that {why}: title the lane after one department or role, "
                "or give each stage its own `owner:`",
                lane=lane, why=why,
            ),
            at_node=lambda: _(
                "the owner of {stage}, {owner}, {why}: name the one role that answers for this stage",
                stage=ctx.show(node.id), owner=quote(node.owner), why=why,
            ),
        )
        if problem is not None:
            yield problem

