"""A hand-off between two owners or lanes that says nothing about what is handed over.

A link between stages with different owners, or in different department lanes (`lanes:`, or
the top-level subgraphs of a swimlane diagram), is a hand-off.
It needs a label (`A -->|报价单和底线| B`) or a `note` in the link's data (`A h1@--> B` with
`h1@{ note: 移交调研纪要 }`). On a branch of a decision the label is first the answer that
leads there (是, 否, 通过, yes, no, …), which says nothing about what is handed over: only what
follows the answer after a comma, colon or dash does (`是，移交合同`), or a `note`. Links where either stage has no owner are left to missing-owner, and bare start and
end markers are left alone.

Why it matters:
    沟通触发节点: most deals are lost between departments, not inside them. A hand-off that
    does not say what goes across (the BANT notes, the approved quote, the signed contract)
    is where the next owner starts from scratch and the customer is asked the same questions
    twice.

Options:
    none.

Failing example:
    flowchart LR
        A[需求调研] --> B[方案设计]
        A@{ owner: 客户经理 }
        B@{ owner: 售前顾问 }

Passing example:
    flowchart LR
        A[需求调研] h1@--> B[方案设计]
        A@{ owner: 客户经理 }
        B@{ owner: 售前顾问 }
        h1@{ note: 移交调研纪要和客户组织架构 }
"""

from __future__ import annotations

from ...handover import Handovers, says_what_is_carried
from ..api import Context, Problem, _, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF601"
NAME = "handoff-without-note"
SEVERITY = "warning"
ENABLED = True
THEME = "handoffs"
TITLE = {"en": "A hand-over between owners has no note", "zh": "部门间交接没有说明"}
FIX = {"en": "Say what is passed on, and how, where work changes hands.", "zh": "在换人的地方写明交接什么、怎么交接。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    process, graph = ctx.process, ctx.graph
    nodes = process.nodes  # by number (see `ProcessGraph.number`)
    handovers = Handovers(graph)
    owners = handovers.owners
    reported: set[int] = set()
    example = ctx.example_label("移交客户资料", "handover notes")
    quoted: dict[str, str] = {}

    def shown_owner(owner: str | None) -> str:
        key = owner or ""
        if key not in quoted:
            quoted[key] = quote(key)
        return quoted[key]

    changes_hands = handovers.between
    for edge, source_number, target_number in zip(graph.step_edges, *graph.step_numbers):
        source_owner, target_owner = owners[source_number], owners[target_number]
        if source_owner is None or target_owner is None or not changes_hands(source_number, target_number):
            continue
        source, target = nodes[source_number], nodes[target_number]
        if edge.index in reported or says_what_is_carried(edge, source):
            continue
        reported.add(edge.index)
        if source.is_decision:
            # The label stays: it is the answer. What goes across belongs in a note.
            note = f"{edge.id or 'h1'}@{{ note: {example} }}"
            if edge.id is None:
                text = f"|{edge.label.strip()}|" if edge.label and edge.label.strip() else ""
                data = _(
                    "give the link an edge id and a `note` (`{link}`, `{note}`)",
                    link=f"{edge.source} h1@-->{text} {edge.target}", note=note,
                )
            else:
                data = _("give the link a `note` in its edge data (`{note}`)", note=note)
            if edge.label:
                advice = _("the branch label {label} says which way, not what; {data}", label=quote(edge.label), data=data)
            else:
                advice = data
        else:
            advice = _(
                "label the link (`{link}`) or give it a `note` in its edge data",
                link=f"{edge.source} -->|{example}| {edge.target}",
            )
        if source_owner != target_owner:
            between = _("{source} to {target}", source=shown_owner(source.owner), target=shown_owner(target.owner))
        else:
            between = _("one department lane to another")
        yield Problem(
            edge.span,
            _(
                "the hand-off from {source} to {target} ({between}) says nothing about what is handed over: {advice}",
                source=ctx.show(source.id), target=ctx.show(target.id), between=between, advice=advice,
            ),
            edge=edge.index,
        )
