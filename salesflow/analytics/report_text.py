"""The plain-text reports of `analyze` and `conform`: what a sales manager reads in a terminal."""

from __future__ import annotations

from typing import Optional

from ..durations import format_hours
from ..textwidth import display_width

TEXT = {
    "analysis_title": "{title} — {leads} leads ({path})",
    "funnel": "Funnel (expected arrivals per stage; passes round loops counted)",
    "funnel_head": ("stage", "arrivals", "drop-outs", "time share"),
    "ends": "Ends",
    "end_row": "  {label}{won}: {arrivals}",
    "won_mark": " (won)",
    "wins": "Expected wins: {wins} of {leads} ({share}); dropped out on the way: {dropped}",
    "cycle": "Cycle time per lead: mean {mean} (at full deadlines {deadlines}); p50 {p50}, p90 {p90} "
             "(simulated: {cases} cases, seed {seed})",
    "won_cycle": "Won deals: mean {mean}, p50 {p50}, p90 {p90}",
    "target": "Target: {target}; won deals' p90 {verdict}",
    "within": "is within it",
    "over": "is over it",
    "slowest": "Slowest path by deadlines ({hours}): {path}",
    "bottleneck": "Bottleneck: {label}, {share} of the expected time",
    "loops": "Loops",
    "loop_row": "  {source} → {target}: {share} per pass; {probability} of leads go round at least once, "
                "{passes} passes per lead",
    "owners": "Workload per owner (expected hours per {leads} leads)",
    "owner_row": "  {owner}: {hours}h over {stages} stage(s)",
    "flags": "Assumptions",
}


def number(value: float) -> str:
    return f"{value:,.1f}"


def percent(value: Optional[float]) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def hours(value: Optional[float]) -> str:
    return "—" if value is None else format_hours(max(0.0, value))


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def analysis_text(analysis) -> str:
    a = analysis
    lines = [TEXT["analysis_title"].format(title=a.title or "Process", leads=f"{a.leads:,}", path=a.path), ""]
    lines.append(TEXT["funnel"])
    total = sum(s.hours for s in a.stages) or 1.0
    width = max([display_width(s.label) for s in a.stages] + [5]) + 2
    head = TEXT["funnel_head"]
    lines.append(f"  {pad(head[0], width)}{head[1]:>12}{head[2]:>12}{head[3]:>12}")
    for s in a.stages:
        lines.append(f"  {pad(s.label, width)}{number(s.arrivals):>12}{number(s.drop_outs):>12}"
                     f"{percent(s.hours / total):>12}")
    lines += ["", TEXT["ends"]]
    for end in a.ends:
        lines.append(TEXT["end_row"].format(label=end["label"], won=TEXT["won_mark"] if end["won"] else "",
                                            arrivals=number(end["arrivals"])))
    lines.append(TEXT["wins"].format(wins=number(a.wins), leads=f"{a.leads:,}",
                                     share=percent(a.wins / a.leads if a.leads else 0), dropped=number(a.dropped)))
    lines.append("")
    lines.append(TEXT["cycle"].format(mean=hours(a.mean_hours), deadlines=hours(a.mean_hours_at_deadlines),
                                      p50=hours(a.p50_hours), p90=hours(a.p90_hours), cases=f"{a.simulated_cases:,}",
                                      seed=a.seed))
    if a.won_mean_hours is not None:
        lines.append(TEXT["won_cycle"].format(mean=hours(a.won_mean_hours), p50=hours(a.won_p50_hours),
                                              p90=hours(a.won_p90_hours)))
    if a.target_hours is not None:
        reference = a.won_p90_hours if a.won_p90_hours is not None else a.p90_hours
        verdict = TEXT["within"] if reference <= a.target_hours else TEXT["over"]
        lines.append(TEXT["target"].format(target=hours(a.target_hours), verdict=f"({hours(reference)}) {verdict}"))
    slowest_hours, path = a.slowest_path
    if path:
        lines.append(TEXT["slowest"].format(hours=hours(slowest_hours), path=" → ".join(path)))
    if a.bottleneck:
        lines.append(TEXT["bottleneck"].format(label=a.bottleneck["label"], share=percent(a.bottleneck["share"])))
    if a.loops:
        lines += ["", TEXT["loops"]]
        for loop in a.loops:
            lines.append(TEXT["loop_row"].format(source=loop.source, target=loop.target, share=percent(loop.share),
                                                 probability=percent(loop.probability),
                                                 passes=f"{loop.passes_per_lead:.3f}"))
    if a.owners:
        lines += ["", TEXT["owners"].format(leads=f"{a.leads:,}")]
        for owner in a.owners:
            lines.append(TEXT["owner_row"].format(owner=owner["owner"], hours=f"{owner['hours']:,.0f}",
                                                  stages=owner["stages"]))
    if a.flags:
        lines += ["", TEXT["flags"]]
        lines += [f"  - {flag}" for flag in a.flags]
    return "\n".join(lines) + "\n"
