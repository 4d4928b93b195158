"""The plain-text reports of `analyze` and `conform`: what a sales manager reads in a terminal."""

from __future__ import annotations

from typing import Optional

from ..durations import format_hours
from ..i18n import N_, _
from ..textwidth import display_width

PROCESS = N_("Process")  # the title of a chart that has none

TEXT = {
    "analysis_title": N_("{title} — {leads} leads ({path})"),
    "funnel": N_("Funnel (expected arrivals per stage; passes round loops counted)"),
    "funnel_head": (N_("stage"), N_("arrivals"), N_("drop-outs"), N_("time share")),
    "ends": N_("Ends"),
    "end_row": N_("  {label}{won}: {arrivals}"),
    "won_mark": N_(" (won)"),
    "wins": N_("Expected wins: {wins} of {leads} ({share}); dropped out on the way: {dropped}"),
    "cycle": N_("Cycle time per lead: mean {mean} (at full deadlines {deadlines}); p50 {p50}, p90 {p90} "
             "(simulated: {cases} cases, seed {seed})"),
    "won_cycle": N_("Won deals: mean {mean}, p50 {p50}, p90 {p90}"),
    "target": N_("Target: {target}; won deals' p90 {verdict}"),
    "within": N_("is within it"),
    "over": N_("is over it"),
    "slowest": N_("Slowest path by deadlines ({hours}): {path}"),
    "bottleneck": N_("Bottleneck: {label}, {share} of the expected time"),
    "loops": N_("Loops"),
    "loop_row": N_("  {source} → {target}: {share} per pass; {probability} of leads go round at least once, "
                "{passes} passes per lead"),
    # Durations count elapsed calendar time (see durations.py): the time leads wait in an owner's
    # stages, not the effort booked, which a chart does not say; the label says which.
    "owners": N_("Workload per owner (expected calendar hours in their stages per {leads} leads)"),
    "owner_row": N_("  {owner}: {hours}h over {stages} stage(s)"),
    "flags": N_("Assumptions"),
}


def number(value: float) -> str:
    return f"{value:,.1f}"


def percent(value: Optional[float]) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def hours(value: Optional[float]) -> str:
    return "—" if value is None else format_hours(max(0.0, value))


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def right(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal columns (a Chinese character takes two)."""
    return " " * max(0, width - display_width(text)) + text


def analysis_text(analysis) -> str:
    a = analysis
    lines = [_(TEXT["analysis_title"], title=a.title or _(PROCESS), leads=f"{a.leads:,}", path=a.path), ""]
    lines.append(_(TEXT["funnel"]))
    total = sum(s.hours for s in a.stages) or 1.0
    width = max([display_width(s.label) for s in a.stages] + [5]) + 2
    head = [_(word) for word in TEXT["funnel_head"]]
    lines.append(f"  {pad(head[0], width)}{right(head[1], 12)}{right(head[2], 12)}{right(head[3], 12)}")
    for s in a.stages:
        lines.append(f"  {pad(s.label, width)}{number(s.arrivals):>12}{number(s.drop_outs):>12}"
                     f"{percent(s.hours / total):>12}")
    lines += ["", _(TEXT["ends"])]
    for end in a.ends:
        lines.append(_(TEXT["end_row"], label=end["label"], won=_(TEXT["won_mark"]) if end["won"] else "",
                                            arrivals=number(end["arrivals"])))
    lines.append(_(TEXT["wins"], wins=number(a.wins), leads=f"{a.leads:,}",
                                     share=percent(a.wins / a.leads if a.leads else 0), dropped=number(a.dropped)))
    lines.append("")
    lines.append(_(TEXT["cycle"], mean=hours(a.mean_hours), deadlines=hours(a.mean_hours_at_deadlines),
                                      p50=hours(a.p50_hours), p90=hours(a.p90_hours), cases=f"{a.simulated_cases:,}",
                                      seed=a.seed))
    if a.won_mean_hours is not None:
        lines.append(_(TEXT["won_cycle"], mean=hours(a.won_mean_hours), p50=hours(a.won_p50_hours),
                                              p90=hours(a.won_p90_hours)))
    if a.target_hours is not None:
        reference = a.won_p90_hours if a.won_p90_hours is not None else a.p90_hours
        verdict = _(TEXT["within"]) if reference <= a.target_hours else _(TEXT["over"])
        lines.append(_(TEXT["target"], target=hours(a.target_hours), verdict=f"({hours(reference)}) {verdict}"))
    slowest_hours, path = a.slowest_path
    if path:
        lines.append(_(TEXT["slowest"], hours=hours(slowest_hours), path=" → ".join(path)))
    if a.bottleneck:
        lines.append(_(TEXT["bottleneck"], label=a.bottleneck["label"], share=percent(a.bottleneck["share"])))
    if a.loops:
        lines += ["", _(TEXT["loops"])]
        for loop in a.loops:
            lines.append(_(TEXT["loop_row"], source=loop.source, target=loop.target, share=percent(loop.share),
                                                 probability=percent(loop.probability),
                                                 passes=f"{loop.passes_per_lead:.3f}"))
    if a.owners:
        lines += ["", _(TEXT["owners"], leads=f"{a.leads:,}")]
        for owner in a.owners:
            lines.append(_(TEXT["owner_row"], owner=owner["owner"], hours=f"{owner['hours']:,.0f}",
                                                  stages=owner["stages"]))
    if a.flags:
        lines += ["", _(TEXT["flags"])]
        lines += [f"  - {flag}" for flag in a.flags]
    return "\n".join(lines) + "\n"


CONFORM = {
    "title": N_("{chart} against {log}"),
    "read": N_("Read {records} records of {cases} cases; left out: {without_time} without a time, "
            "{without_case_or_stage} without a case or stage, {unmapped_stage} with a stage the chart does not know, "
            "{duplicates} exact repeats, {same_stage_again} repeats of the stage a case was in; {out_of_order} records out of time order (sorted by time)"),
    "fitness": N_("Fitness: {cases} of cases follow the chart ({fitting_cases} of {total_cases}); "
               "{moves} of moves fit ({fitting_moves} of {moves_total})"),
    "starting": N_("Cases starting where the chart starts: {share}"),
    "passed": N_("Stages the log never records (passed through): {stages}"),
    "unmapped": N_("Stage names the chart does not know"),
    "unmapped_row": N_("  {name}: {count} record(s){hint}"),
    "did_you_mean": N_("; did you mean `{name}`? (or add it to that stage's `crm:`)"),
    "deviations": N_("Moves not in the chart"),
    "deviation_row": N_("  {source} → {target}: {count} time(s) in {cases} case(s), e.g. {examples}{skips}"),
    "skips": N_("; skips {stages}"),
    "skipped": N_("Skipped stages: {stages}"),
    "loops": N_("Loops (edges leading back)"),
    "loop_row": N_("  {source} → {target}: taken {passes} time(s) by {cases} case(s) ({share} of cases)"),
    "stages": N_("Time in stage"),
    "stages_head": (N_("stage"), N_("stays"), "p50", "p90", N_("due"), N_("over due")),
    "conversions": N_("Conversion at branches (actual vs charted)"),
    "conversion_at": N_("  {at} ({moves} moves on):"),
    "conversion_row": N_("    → {to}: {share} vs {charted}{assumed}{verdict}"),
    "assumed": N_(" (no rate; equal share assumed)"),
    "outside_error": N_("  ← outside sampling error"),
    "open": N_("Open cases past their stage's deadline at {as_of}: {total}"),
    "open_row": N_("  {stage}: {count}, e.g. {examples}"),
    "owners": N_("Per owner"),
    "owner_row": N_("  {owner}: {stays} stays, median {p50}, {breach} over due, {fit} of moves fit"),
}


def conformance_text(result: dict) -> str:
    r = result
    f = r["fitness"]
    lines = [_(CONFORM["title"], chart=r["chart"], log=r["log"]), ""]
    lines.append(_(CONFORM["read"], records=f"{r['records']:,}", cases=f"{r['cases']:,}",
                                        out_of_order=f"{r['out_of_order']:,}",
                                        **{k: f"{v:,}" for k, v in r["left_out"].items()}))
    lines.append(_(CONFORM["fitness"], cases=percent(f["cases"]), fitting_cases=f"{f['fitting_cases']:,}",
                                           total_cases=f"{r['cases']:,}", moves=percent(f["moves"]),
                                           fitting_moves=f"{f['fitting_moves']:,}",
                                           moves_total=f"{f['moves_total']:,}"))
    lines.append(_(CONFORM["starting"], share=percent(r["starting_at_a_start"])))
    if r["passed_through"]:
        lines.append(_(CONFORM["passed"], stages=", ".join(r["passed_through"])))
    if r["unmapped"]:
        lines += ["", _(CONFORM["unmapped"])]
        for u in r["unmapped"]:
            hint = _(CONFORM["did_you_mean"], name=u["did_you_mean"]) if u["did_you_mean"] else ""
            lines.append(_(CONFORM["unmapped_row"], name=u["name"], count=f"{u['count']:,}", hint=hint))
    if r["deviations"]:
        lines += ["", _(CONFORM["deviations"])]
        for d in r["deviations"]:
            skips = _(CONFORM["skips"], stages=", ".join(d["skips"])) if d["skips"] else ""
            lines.append(_(CONFORM["deviation_row"], source=d["from"], target=d["to"], count=f"{d['count']:,}",
                                                         cases=f"{d['cases']:,}", examples=", ".join(d["examples"]),
                                                         skips=skips))
    if r["skipped_stages"]:
        lines.append(_(CONFORM["skipped"], stages=", ".join(f"{s['stage']} ({s['count']:,})" for s in r["skipped_stages"])))
    if r["loops"]:
        lines += ["", _(CONFORM["loops"])]
        for loop in r["loops"]:
            lines.append(_(CONFORM["loop_row"], source=loop["from"], target=loop["to"],
                                                    passes=f"{loop['passes']:,}", cases=f"{loop['cases']:,}",
                                                    share=percent(loop["share_of_cases"])))
    if r["stages"]:
        lines += ["", _(CONFORM["stages"])]
        width = max([display_width(s["label"]) for s in r["stages"]] + [5]) + 2
        head = [_(word) for word in CONFORM["stages_head"]]
        lines.append(f"  {pad(head[0], width)}" + "".join(right(h, 10) for h in head[1:]))
        for s in r["stages"]:
            lines.append(f"  {pad(s['label'], width)}{s['stays']:>10,}{hours(s['p50_hours']):>10}"
                         f"{hours(s['p90_hours']):>10}{hours(s['due_hours']):>10}{percent(s['breach_rate']):>10}")
    if r["conversions"]:
        lines += ["", _(CONFORM["conversions"])]
        for c in r["conversions"]:
            lines.append(_(CONFORM["conversion_at"], at=c["at"], moves=f"{c['moves']:,}"))
            for b in c["branches"]:
                verdict = _(CONFORM["outside_error"]) if b["within_sampling_error"] is False else ""
                lines.append(_(CONFORM["conversion_row"], to=b["to"], share=percent(b["share"]), charted=percent(b["charted"]),
                    assumed="" if b["rate_given"] else _(CONFORM["assumed"]), verdict=verdict))
    o = r["open_past_deadline"]
    if o["total"]:
        lines += ["", _(CONFORM["open"], as_of=o["as_of"], total=f"{o['total']:,}")]
        for s in o["stages"]:
            lines.append(_(CONFORM["open_row"], stage=s["stage"], count=f"{s['count']:,}",
                                                    examples=", ".join(s["examples"])))
    if r["owners"]:
        lines += ["", _(CONFORM["owners"])]
        for w in r["owners"]:
            lines.append(_(CONFORM["owner_row"], owner=w["owner"], stays=f"{w['stays']:,}", p50=hours(w["p50_hours"]),
                                                     breach=percent(w["breach_rate"]), fit=percent(w["fitting_moves"])))
    return "\n".join(lines) + "\n"
