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


CONFORM = {
    "title": "{chart} against {log}",
    "read": "Read {records} records of {cases} cases; left out: {without_time} without a time, "
            "{without_case_or_stage} without a case or stage, {unmapped_stage} with a stage the chart does not know, "
            "{duplicates} exact repeats, {same_stage_again} repeats of the stage a case was in; {out_of_order} records out of time order (sorted by time)",
    "fitness": "Fitness: {cases} of cases follow the chart ({fitting_cases} of {total_cases}); "
               "{moves} of moves fit ({fitting_moves} of {moves_total})",
    "starting": "Cases starting where the chart starts: {share}",
    "passed": "Stages the log never records (passed through): {stages}",
    "unmapped": "Stage names the chart does not know",
    "unmapped_row": "  {name}: {count} record(s){hint}",
    "did_you_mean": "; did you mean `{name}`? (or add it to that stage's `crm:`)",
    "deviations": "Moves not in the chart",
    "deviation_row": "  {source} → {target}: {count} time(s) in {cases} case(s), e.g. {examples}{skips}",
    "skips": "; skips {stages}",
    "skipped": "Skipped stages: {stages}",
    "loops": "Loops (edges leading back)",
    "loop_row": "  {source} → {target}: taken {passes} time(s) by {cases} case(s) ({share} of cases)",
    "stages": "Time in stage",
    "stages_head": ("stage", "stays", "p50", "p90", "due", "over due"),
    "conversions": "Conversion at branches (actual vs charted)",
    "conversion_at": "  {at} ({moves} moves on):",
    "conversion_row": "    → {to}: {share} vs {charted}{assumed}{verdict}",
    "assumed": " (no rate; equal share assumed)",
    "outside_error": "  ← outside sampling error",
    "open": "Open cases past their stage's deadline at {as_of}: {total}",
    "open_row": "  {stage}: {count}, e.g. {examples}",
    "owners": "Per owner",
    "owner_row": "  {owner}: {stays} stays, median {p50}, {breach} over due, {fit} of moves fit",
}


def conformance_text(result: dict) -> str:
    r = result
    f = r["fitness"]
    lines = [CONFORM["title"].format(chart=r["chart"], log=r["log"]), ""]
    lines.append(CONFORM["read"].format(records=f"{r['records']:,}", cases=f"{r['cases']:,}",
                                        out_of_order=f"{r['out_of_order']:,}",
                                        **{k: f"{v:,}" for k, v in r["left_out"].items()}))
    lines.append(CONFORM["fitness"].format(cases=percent(f["cases"]), fitting_cases=f"{f['fitting_cases']:,}",
                                           total_cases=f"{r['cases']:,}", moves=percent(f["moves"]),
                                           fitting_moves=f"{f['fitting_moves']:,}",
                                           moves_total=f"{f['moves_total']:,}"))
    lines.append(CONFORM["starting"].format(share=percent(r["starting_at_a_start"])))
    if r["passed_through"]:
        lines.append(CONFORM["passed"].format(stages=", ".join(r["passed_through"])))
    if r["unmapped"]:
        lines += ["", CONFORM["unmapped"]]
        for u in r["unmapped"]:
            hint = CONFORM["did_you_mean"].format(name=u["did_you_mean"]) if u["did_you_mean"] else ""
            lines.append(CONFORM["unmapped_row"].format(name=u["name"], count=f"{u['count']:,}", hint=hint))
    if r["deviations"]:
        lines += ["", CONFORM["deviations"]]
        for d in r["deviations"]:
            skips = CONFORM["skips"].format(stages=", ".join(d["skips"])) if d["skips"] else ""
            lines.append(CONFORM["deviation_row"].format(source=d["from"], target=d["to"], count=f"{d['count']:,}",
                                                         cases=f"{d['cases']:,}", examples=", ".join(d["examples"]),
                                                         skips=skips))
    if r["skipped_stages"]:
        lines.append(CONFORM["skipped"].format(
            stages=", ".join(f"{s['stage']} ({s['count']:,})" for s in r["skipped_stages"])))
    if r["loops"]:
        lines += ["", CONFORM["loops"]]
        for loop in r["loops"]:
            lines.append(CONFORM["loop_row"].format(source=loop["from"], target=loop["to"],
                                                    passes=f"{loop['passes']:,}", cases=f"{loop['cases']:,}",
                                                    share=percent(loop["share_of_cases"])))
    if r["stages"]:
        lines += ["", CONFORM["stages"]]
        width = max([display_width(s["label"]) for s in r["stages"]] + [5]) + 2
        head = CONFORM["stages_head"]
        lines.append(f"  {pad(head[0], width)}" + "".join(f"{h:>10}" for h in head[1:]))
        for s in r["stages"]:
            lines.append(f"  {pad(s['label'], width)}{s['stays']:>10,}{hours(s['p50_hours']):>10}"
                         f"{hours(s['p90_hours']):>10}{hours(s['due_hours']):>10}{percent(s['breach_rate']):>10}")
    if r["conversions"]:
        lines += ["", CONFORM["conversions"]]
        for c in r["conversions"]:
            lines.append(CONFORM["conversion_at"].format(at=c["at"], moves=f"{c['moves']:,}"))
            for b in c["branches"]:
                verdict = CONFORM["outside_error"] if b["within_sampling_error"] is False else ""
                lines.append(CONFORM["conversion_row"].format(
                    to=b["to"], share=percent(b["share"]), charted=percent(b["charted"]),
                    assumed="" if b["rate_given"] else CONFORM["assumed"], verdict=verdict))
    o = r["open_past_deadline"]
    if o["total"]:
        lines += ["", CONFORM["open"].format(as_of=o["as_of"], total=f"{o['total']:,}")]
        for s in o["stages"]:
            lines.append(CONFORM["open_row"].format(stage=s["stage"], count=f"{s['count']:,}",
                                                    examples=", ".join(s["examples"])))
    if r["owners"]:
        lines += ["", CONFORM["owners"]]
        for w in r["owners"]:
            lines.append(CONFORM["owner_row"].format(owner=w["owner"], stays=f"{w['stays']:,}", p50=hours(w["p50_hours"]),
                                                     breach=percent(w["breach_rate"]), fit=percent(w["fitting_moves"])))
    return "\n".join(lines) + "\n"
