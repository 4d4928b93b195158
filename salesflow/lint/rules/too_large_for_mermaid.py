"""A chart too large for Mermaid to draw with its stock settings.

Mermaid as GitHub, GitLab, Notion and the Mermaid live editor run it refuses a flowchart with
more than 500 links (`maxEdges`) or more than 50,000 characters of text (`maxTextSize`): the
reader sees an error box instead of the process. Such a chart is reported at its 501st link, or
at its first line when the text is too long. salesflow itself reads and draws larger charts.

Why it matters:
    A process file is meant to be read where it is kept. If the chart no longer renders on the
    team's wiki or repository page, the file stops being the process everyone looks at; split
    it into one chart per phase before it gets there.

Options:
    max-edges (default: 500)
        The most links a chart may have.
    max-characters (default: 50000)
        The longest a chart's text may be, in characters (only checked when the text is known,
        as it is for `salesflow lint`).

Failing example (with max-edges = 4):
    flowchart LR
        A([线索]) --> B[筛选] --> C[联系] --> D([签约])
        A --> C
        B --> D

Passing example (with max-edges = 4):
    flowchart LR
        A([线索]) --> B[筛选] --> C[联系] --> D([签约])
"""

from __future__ import annotations

from ...mermaid_vocabulary import MAX_EDGES, MAX_TEXT_SIZE
from ...model import Span
from ..api import Context, Option, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF704"
NAME = "too-large-for-mermaid"
SEVERITY = "warning"
ENABLED = True
THEME = "complexity"
TITLE = {"en": "The chart is too large for Mermaid to draw", "zh": "流程图太大，Mermaid 画不出来"}
FIX = {
    "en": "Split it into one chart per phase, so it still shows on the wiki and in the repository.",
    "zh": "按阶段拆成几张图，让它在 Wiki 和代码库页面上仍能显示。",
}
OPTIONS = {
    "max-edges": Option(MAX_EDGES, "int", minimum=1),
    "max-characters": Option(MAX_TEXT_SIZE, "int", minimum=1),
}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    edges, limit = ctx.process.edges, options["max-edges"]
    if len(edges) > limit:
        edge = edges[limit]
        yield Problem(
            edge.span,
            _(
                "the chart has {count} links, more than the {limit} Mermaid draws by default (this is link {this}): "
                "GitHub and the Mermaid live editor will show an error instead; split the chart into one chart per phase",
                count=f"{len(edges):,}", limit=f"{limit:,}", this=f"{limit + 1:,}",
            ),
            edge=edge.index,
        )
    size, most = ctx.source_length, options["max-characters"]
    if size is not None and size > most:
        yield Problem(
            Span.point(ctx.process.line_offset + 1, 1),
            _(
                "the chart is {size} characters long, more than the {limit} Mermaid draws by default: GitHub and "
                "the Mermaid live editor will show an error instead; split the chart into one chart per phase",
                size=f"{size:,}", limit=f"{most:,}",
            ),
        )
