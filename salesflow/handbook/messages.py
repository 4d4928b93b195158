"""The handbook's interface text, in every language it speaks.

Templates ask for a text by its key (`t("sec_health")`); `{name}` marks a value filled in when the
text is used. The English text of every key is written below, marked for the gettext catalog with
its key as the context; the other languages come from their catalogs (salesflow/locale), so
adding a language is adding a catalog. English is the fallback for any key a language lacks, so a
language added through a template folder (`messages.yaml`, see `load_messages`) may start small,
and `messages.yaml` rewords any key in any language. Chart content (stage names, owners, steps)
is never translated: it is shown as written.

The lint rules' titles and fixes in plain words (`rule_NAME`, `fix_NAME`) are written beside each
rule's check (its TITLE and FIX) and read from the rule catalogue into the same tables, so a
`messages.yaml` can reword them like any other text.
"""

from __future__ import annotations

import os
from typing import Mapping, Optional

from ..errors import ConfigError
from ..i18n import LANGUAGES, NP_, _, pgettext
from ..language import DEFAULT_LANGUAGE, language_of, match_language

INTERFACE: dict[str, str] = {
    "language_name": NP_("language_name", "English"),
    "html_lang": NP_("html_lang", "en"),
    "handbook": NP_("handbook", "Training handbook"),
    "handbook_for_role": NP_("handbook_for_role", "Training handbook for {role}"),
    "untitled": NP_("untitled", "Untitled process"),
    "cover_goals": NP_("cover_goals", "Goals"),
    "cover_no_goals": NP_("cover_no_goals", "No goals are written down for this process yet."),
    "cover_target": NP_("cover_target", "Target cycle time"),
    "cover_no_target": NP_("cover_no_target", "not set"),
    "cover_date": NP_("cover_date", "Date"),
    "cover_source": NP_("cover_source", "Process file: {path}"),
    "cover_stages": NP_("cover_stages", "Stages"),
    "cover_roles": NP_("cover_roles", "Roles"),
    "cover_role": NP_("cover_role", "Department"),
    "cover_intro": NP_(
        "cover_intro",
        "This handbook explains the sales process step by step: who does what, by when, what to check, "
        "and whom to hand over to."
    ),
    "cover_intro_role": NP_(
        "cover_intro_role",
        "This handout covers the part of the sales process that {role} owns: its stages, deadlines and "
        "hand-overs. The whole chart is included for context."
    ),
    "toc": NP_("toc", "Contents"),
    "toc_stages_in_order": NP_(
        "toc_stages_in_order",
        "{count} stages follow in number order; each page's header shows the numbers of the stages on it."
    ),
    "sec_chart": NP_("sec_chart", "Process chart"),
    "sec_stages": NP_("sec_stages", "Stages"),
    "sec_roles": NP_("sec_roles", "Roles and duties"),
    "sec_your_duties": NP_("sec_your_duties", "Your duties"),
    "sec_handovers": NP_("sec_handovers", "Hand-overs"),
    "sec_deadlines": NP_("sec_deadlines", "Deadlines"),
    "sec_health": NP_("sec_health", "Process health"),
    "sec_numbers": NP_("sec_numbers", "What the chart promises"),
    "numbers_intro": NP_(
        "numbers_intro",
        "What the chart's conversion rates and deadlines add up to for {leads} leads: a forecast worked "
        "out from the chart, not a measurement."
    ),
    "numbers_wins": NP_("numbers_wins", "Expected wins per {leads} leads"),
    "numbers_cycle": NP_("numbers_cycle", "Expected cycle time, won deals"),
    "numbers_cycle_all": NP_("numbers_cycle_all", "Expected time per lead"),
    "numbers_p90": NP_("numbers_p90", "Nine in ten won deals close within"),
    "numbers_cycle_within": NP_(
        "numbers_cycle_within", "The expected cycle time is within the target ({spare} to spare)."
    ),
    "numbers_cycle_over": NP_("numbers_cycle_over", "The expected cycle time is over the target by {over}."),
    "numbers_funnel": NP_("numbers_funnel", "Leads reaching each stage"),
    "numbers_funnel_hint": NP_(
        "numbers_funnel_hint",
        "Expected arrivals at each stage per {leads} leads, in flow order; a lead sent round a loop counts "
        "each time it arrives. Decisions are in amber."
    ),
    "numbers_ends": NP_("numbers_ends", "Where the {leads} leads end"),
    "numbers_won": NP_("numbers_won", "(won)"),
    "numbers_dropped": NP_("numbers_dropped", "Drop out along the way"),
    "numbers_time": NP_("numbers_time", "Time in each stage against its deadline"),
    "numbers_time_hint": NP_(
        "numbers_time_hint",
        "The dark bar is the expected stay (four fifths of the deadline), the light bar the deadline itself."
    ),
    "numbers_bottleneck": NP_(
        "numbers_bottleneck",
        "The bottleneck is {label}: it takes {share} of all the time leads spend in the process."
    ),
    "numbers_loops": NP_("numbers_loops", "Rework"),
    "col_loop_from": NP_("col_loop_from", "Stage"),
    "col_loop_to": NP_("col_loop_to", "Sends leads back to"),
    "col_loop_share": NP_("col_loop_share", "Sent back each pass"),
    "col_loop_once": NP_("col_loop_once", "Leads sent back at least once"),
    "numbers_assumptions": NP_("numbers_assumptions", "Assumptions"),
    "numbers_stay_model": NP_(
        "numbers_stay_model",
        "A stay lasts between 0.4 and 1.2 times its deadline, most often 0.8 times, so one stay in eight "
        "runs over."
    ),
    "numbers_equal_shares": NP_(
        "numbers_equal_shares",
        "{label}: not every branch has a conversion rate, so the leads the rates leave are split equally "
        "between the branches without one."
    ),
    "numbers_over_100": NP_(
        "numbers_over_100", "{label}: the conversion rates add up to more than 100%, so they are scaled down."
    ),
    "numbers_no_deadline": NP_("numbers_no_deadline", "{label}: no deadline, so it counts as taking no time."),
    "numbers_feedback_end": NP_(
        "numbers_feedback_end",
        "{label}: its only way on leads back to an earlier stage, so leads are counted as ending here."
    ),
    "chart_hint": NP_(
        "chart_hint",
        "Read the chart from its start. Each box shows the stage, its owner and its deadline."
    ),
    "chart_role_hint": NP_("chart_role_hint", "The stages of {role} have a thick blue outline."),
    "chart_column_hint": NP_(
        "chart_column_hint",
        "At this width the drawing's text would be too small to read, so the chart is shown stage by "
        "stage, in flow order. An arrow leads on to the next stage; ↘ and ↩ mark the other ways a stage "
        "leads on."
    ),
    "chart_column_label": NP_("chart_column_label", "The process, stage by stage"),
    "chart_whole": NP_("chart_whole", "The whole drawing (scrolls sideways)"),
    "chart_parts_hint": NP_(
        "chart_parts_hint",
        "The next pages show the chart enlarged, in parts that overlap a little."
    ),
    "chart_part": NP_("chart_part", "Process chart, part {n} of {count}"),
    "chart_continues": NP_("chart_continues", "Continues in part {n} on the next page →"),
    "flow_from": NP_("flow_from", "From"),
    "flow_to": NP_("flow_to", "to"),
    "kind_start": NP_("kind_start", "Start"),
    "kind_end": NP_("kind_end", "End"),
    "kind_decision": NP_("kind_decision", "Decision"),
    "kind_task": NP_("kind_task", "Stage"),
    "stage_number": NP_("stage_number", "Stage {n}"),
    "owner": NP_("owner", "Owner"),
    "owner_lane": NP_("owner_lane", "from the {lane} lane"),
    "no_owner": NP_("no_owner", "No owner named"),
    "deadline": NP_("deadline", "Deadline"),
    "no_deadline": NP_("no_deadline", "No deadline set"),
    "steps": NP_("steps", "Steps"),
    "resources": NP_("resources", "Resources"),
    "checks": NP_("checks", "Quality checks"),
    "kpi": NP_("kpi", "KPIs"),
    "note": NP_("note", "Note"),
    "link": NP_("link", "More information"),
    "comes_in": NP_("comes_in", "What comes in"),
    "goes_out": NP_("goes_out", "What goes out"),
    "branches": NP_("branches", "Branches"),
    "from_stage": NP_("from_stage", "from"),
    "to_stage": NP_("to_stage", "to"),
    "otherwise": NP_("otherwise", "no condition written"),
    "rate": NP_("rate", "conversion {rate}"),
    "nothing_in": NP_("nothing_in", "Nothing comes in: the process starts here."),
    "nothing_out": NP_("nothing_out", "Nothing follows: the process ends here."),
    "stage_findings": NP_("stage_findings", "To fix in this stage"),
    "role_stages": NP_("role_stages", "Your stages, in order"),
    "role_receives": NP_("role_receives", "You receive"),
    "role_hands_over": NP_("role_hands_over", "You hand over"),
    "role_receives_none": NP_("role_receives_none", "Nothing comes to you from another role."),
    "role_hands_over_none": NP_("role_hands_over_none", "You hand nothing over to another role."),
    "role_no_stages": NP_("role_no_stages", "No stage names this role as its owner yet."),
    "role_time": NP_("role_time", "Time allowed on your stages"),
    "role_summary": NP_("role_summary", "{n} stages · {time} in total"),
    "role_unowned": NP_("role_unowned", "Stages without an owner"),
    "role_unowned_hint": NP_(
        "role_unowned_hint",
        "Nobody is named for these stages yet; agree an owner before training starts."
    ),
    "col_number": NP_("col_number", "No."),
    "col_stage": NP_("col_stage", "Stage"),
    "col_owner": NP_("col_owner", "Owner"),
    "col_deadline": NP_("col_deadline", "Deadline"),
    "col_hours": NP_("col_hours", "Elapsed time"),
    "col_from": NP_("col_from", "From"),
    "col_to": NP_("col_to", "To"),
    "col_what": NP_("col_what", "What is passed on"),
    "col_note": NP_("col_note", "Note"),
    "col_rate": NP_("col_rate", "Conversion"),
    "col_cumulative": NP_("col_cumulative", "Running total"),
    "handovers_intro": NP_("handovers_intro", "Every place where work passes from one owner to another."),
    "handovers_none": NP_("handovers_none", "No work passes between two different owners in this chart."),
    "handovers_none_owners": NP_(
        "handovers_none_owners",
        "No hand-overs can be listed because {n} stages have no owner; name an owner for every stage."
    ),
    "deadlines_intro": NP_(
        "deadlines_intro",
        "The deadline of every stage, and the slowest way from start to end. Loops back (rework, "
        "feedback) are counted once at most: the path follows the forward flow."
    ),
    "slowest_path": NP_("slowest_path", "Slowest path"),
    "on_path_legend": NP_("on_path_legend", "Stages marked on the left lie on the slowest path."),
    "slowest_none": NP_("slowest_none", "There is no path from a start to an end to measure."),
    "path_total": NP_("path_total", "Total"),
    "target": NP_("target", "Target"),
    "within_target": NP_("within_target", "Within the target ({spare} to spare)."),
    "over_target": NP_("over_target", "Over the target by {over}."),
    "no_target_set": NP_("no_target_set", "No target cycle time is set, so the total cannot be compared."),
    "missing_on_path": NP_(
        "missing_on_path",
        "{n} stages on this path have no deadline, so the real total is longer."
    ),
    "time_convention": NP_(
        "time_convention",
        "Elapsed calendar time: a working day counts as 1.4 days, since five working days make a week."
    ),
    "health_intro": NP_("health_intro", "An automatic review of the chart, as a sales-operations lead would do it."),
    "health_pass": NP_(
        "health_pass",
        "The chart passes every check: every stage has an owner and a deadline, and the flow holds "
        "together."
    ),
    "health_pass_role": NP_("health_pass_role", "No check found anything to fix in the stages of {role}."),
    "health_summary": NP_("health_summary", "{errors} errors, {warnings} warnings, {infos} notes"),
    "severity_error": NP_("severity_error", "Error"),
    "severity_warning": NP_("severity_warning", "Warning"),
    "severity_info": NP_("severity_info", "Note"),
    "health_where": NP_("health_where", "line {line}"),
    "health_stage": NP_("health_stage", "Stage"),
    "health_rule": NP_("health_rule", "Check"),
    "health_message": NP_("health_message", "What to fix"),
    "page_label": NP_("page_label", "Page {page} of {pages}"),
    "generated": NP_("generated", "Made with salesflow from {path} on {date}."),
    "back_to_top": NP_("back_to_top", "Back to contents"),
}


def _built_in(lang: str) -> dict[str, str]:
    """The interface text in `lang`, from the catalog; English where it has no translation."""
    return {key: pgettext(key, text, lang) for key, text in INTERFACE.items()}


# The built-in languages' tables: English as written above, the others from their catalogs.
MESSAGES: dict[str, dict[str, str]] = {lang: _built_in(lang) for lang in LANGUAGES}


class Messages:
    """One language's text: `t("key", name=value)` in templates, English where a key is missing."""

    def __init__(self, lang: str, table: Mapping[str, str], fallback: Mapping[str, str]) -> None:
        self.lang = lang
        self._table = table
        self._fallback = fallback

    def __call__(self, key: str, **values: object) -> str:
        text = self._table.get(key, self._fallback.get(key))
        if text is None:
            # A template asking for a key nobody wrote is a bug in the template: fail loudly.
            raise KeyError(f"the handbook has no interface text `{key}`")
        return text.format(**values) if values else text

    @property
    def html_lang(self) -> str:
        return self("html_lang")


def load_messages(template_dir: Optional[str] = None) -> dict[str, dict[str, str]]:
    """The built-in tables, with a template folder's `messages.yaml` laid over them.

    `messages.yaml` maps a language code to key/text pairs, e.g. `zh: {sec_health: 流程诊断}`;
    a code not built in adds a language.
    """
    tables = {lang: dict(table) for lang, table in MESSAGES.items()}
    for lang, texts in rule_messages().items():
        tables.setdefault(lang, {}).update(texts)
    if template_dir is None:
        return tables
    path = os.path.join(template_dir, "messages.yaml")
    if not os.path.exists(path):
        return tables
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            extra = yaml.safe_load(handle) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(_("{path}: cannot read the interface text: {error}", path=path, error=exc)) from None
    if not isinstance(extra, dict):
        raise ConfigError(_("{path}: expected a language code per top-level key, e.g. {example}", path=path, example="`zh:`"))
    for lang, table in extra.items():
        if not isinstance(lang, str) or not isinstance(table, dict):
            raise ConfigError(_("{path}: {language} must map message keys to text", path=path, language=f"`{lang}`"))
        for key, text in table.items():
            if key not in tables[DEFAULT_LANGUAGE]:
                raise ConfigError(_("{path}: {key} is not a message key of the handbook", path=path, key=f"`{lang}.{key}`"))
            if not isinstance(text, str):
                raise ConfigError(_("{path}: {key} must be text", path=path, key=f"`{lang}.{key}`"))
        tables.setdefault(lang, {}).update(table)
    return tables


def rule_messages() -> dict[str, dict[str, str]]:
    """Each rule's TITLE and FIX, by language, under the keys `rule_NAME` and `fix_NAME`."""
    from ..lint.rules import all_rules

    tables: dict[str, dict[str, str]] = {}
    for rule in all_rules():
        for prefix, texts in (("rule", rule.TITLE), ("fix", rule.FIX)):
            for lang, text in texts.items():
                tables.setdefault(lang, {})[f"{prefix}_{rule.NAME}"] = text
    return tables


def choose_language(requested: Optional[str], declared: Optional[str], sample_text: str,
                    available: Mapping[str, object]) -> str:
    """The interface language: `--lang`, else the chart's language (`salesflow.language`).

    `zh-CN` and `zh_Hans` count as `zh`.
    """
    if requested:
        code = match_language(requested, available)
        if code is None:
            known = ", ".join(sorted(available))
            raise ConfigError(_("{option}: the handbook speaks {languages}", option=f"--lang {requested}", languages=known))
        return code
    return language_of(declared, sample_text, available)
