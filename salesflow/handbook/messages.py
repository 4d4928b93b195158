"""The handbook's interface text, in every language it speaks, kept in this one place.

Each language is a flat table from a message key to its text; `{name}` marks a value filled in
when the text is used. English is complete and is the fallback for any key another table lacks,
so a language added through a template folder (`messages.yaml`, see `load_messages`) may start
small. Chart content (stage names, owners, steps) is never translated: it is shown as written.

The lint rules' titles and fixes in plain words (`rule_NAME`, `fix_NAME`) are written beside each
rule's check (its TITLE and FIX) and read from the rule catalogue into the same tables, so a
`messages.yaml` can reword them like any other text.
"""

from __future__ import annotations

import os
from typing import Mapping, Optional

from ..errors import ConfigError
from ..language import DEFAULT_LANGUAGE, language_of, match_language

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "language_name": "English",
        "html_lang": "en",
        "handbook": "Training handbook",
        "handbook_for_role": "Training handbook for {role}",
        "untitled": "Untitled process",
        "cover_goals": "Goals",
        "cover_no_goals": "No goals are written down for this process yet.",
        "cover_target": "Target cycle time",
        "cover_no_target": "not set",
        "cover_date": "Date",
        "cover_source": "Process file: {path}",
        "cover_stages": "Stages",
        "cover_roles": "Roles",
        "cover_role": "Department",
        "cover_intro": (
            "This handbook explains the sales process step by step: who does what, by when, "
            "what to check, and whom to hand over to."
        ),
        "cover_intro_role": (
            "This handout covers the part of the sales process that {role} owns: its stages, "
            "deadlines and hand-overs. The whole chart is included for context."
        ),
        "toc": "Contents",
        "sec_chart": "Process chart",
        "sec_stages": "Stages",
        "sec_roles": "Roles and duties",
        "sec_your_duties": "Your duties",
        "sec_handovers": "Hand-overs",
        "sec_deadlines": "Deadlines",
        "sec_health": "Process health",
        "chart_hint": "Read the chart from its start. Each box shows the stage, its owner and its deadline.",
        "chart_role_hint": "The stages of {role} have a thick blue outline.",
        "chart_column_hint": (
            "At this width the drawing's text would be too small to read, so the chart is shown stage by stage, in "
            "flow order. An arrow leads on to the next stage; ↘ and ↩ mark the other ways a stage leads on."
        ),
        "chart_column_label": "The process, stage by stage",
        "chart_whole": "The whole drawing (scrolls sideways)",
        "chart_parts_hint": "The next pages show the chart enlarged, in parts that overlap a little.",
        "chart_part": "Process chart, part {n} of {count}",
        "chart_continues": "Continues in part {n} on the next page →",
        "flow_from": "From",
        "flow_to": "to",
        "kind_start": "Start",
        "kind_end": "End",
        "kind_decision": "Decision",
        "kind_task": "Stage",
        "stage_number": "Stage {n}",
        "owner": "Owner",
        "owner_lane": "from the {lane} lane",
        "no_owner": "No owner named",
        "deadline": "Deadline",
        "no_deadline": "No deadline set",
        "steps": "Steps",
        "resources": "Resources",
        "checks": "Quality checks",
        "kpi": "KPIs",
        "note": "Note",
        "link": "More information",
        "comes_in": "What comes in",
        "goes_out": "What goes out",
        "branches": "Branches",
        "from_stage": "from",
        "to_stage": "to",
        "otherwise": "no condition written",
        "rate": "conversion {rate}",
        "nothing_in": "Nothing comes in: the process starts here.",
        "nothing_out": "Nothing follows: the process ends here.",
        "stage_findings": "To fix in this stage",
        "role_stages": "Your stages, in order",
        "role_receives": "You receive",
        "role_hands_over": "You hand over",
        "role_receives_none": "Nothing comes to you from another role.",
        "role_hands_over_none": "You hand nothing over to another role.",
        "role_no_stages": "No stage names this role as its owner yet.",
        "role_time": "Time allowed on your stages",
        "role_summary": "{n} stages · {time} in total",
        "role_unowned": "Stages without an owner",
        "role_unowned_hint": "Nobody is named for these stages yet; agree an owner before training starts.",
        "col_number": "No.",
        "col_stage": "Stage",
        "col_owner": "Owner",
        "col_deadline": "Deadline",
        "col_hours": "Elapsed time",
        "col_from": "From",
        "col_to": "To",
        "col_what": "What is passed on",
        "col_note": "Note",
        "col_rate": "Conversion",
        "col_cumulative": "Running total",
        "handovers_intro": "Every place where work passes from one owner to another.",
        "handovers_none": "No work passes between two different owners in this chart.",
        "handovers_none_owners": (
            "No hand-overs can be listed because {n} stages have no owner; name an owner for every stage."
        ),
        "deadlines_intro": (
            "The deadline of every stage, and the slowest way from start to end. Loops back "
            "(rework, feedback) are counted once at most: the path follows the forward flow."
        ),
        "slowest_path": "Slowest path",
        "on_path_legend": "Stages marked on the left lie on the slowest path.",
        "slowest_none": "There is no path from a start to an end to measure.",
        "path_total": "Total",
        "target": "Target",
        "within_target": "Within the target ({spare} to spare).",
        "over_target": "Over the target by {over}.",
        "no_target_set": "No target cycle time is set, so the total cannot be compared.",
        "missing_on_path": "{n} stages on this path have no deadline, so the real total is longer.",
        "time_convention": "Elapsed calendar time: a working day counts as 1.4 days, since five working days make a week.",
        "health_intro": "An automatic review of the chart, as a sales-operations lead would do it.",
        "health_pass": "The chart passes every check: every stage has an owner and a deadline, and the flow holds together.",
        "health_pass_role": "No check found anything to fix in the stages of {role}.",
        "health_summary": "{errors} errors, {warnings} warnings, {infos} notes",
        "severity_error": "Error",
        "severity_warning": "Warning",
        "severity_info": "Note",
        "health_where": "line {line}",
        "health_stage": "Stage",
        "health_rule": "Check",
        "health_message": "What to fix",
        "page_label": "Page {page} of {pages}",
        "generated": "Made with salesflow from {path} on {date}.",
        "back_to_top": "Back to contents",
    },
    "zh": {
        "language_name": "中文",
        "html_lang": "zh-CN",
        "handbook": "培训手册",
        "handbook_for_role": "{role} 岗位手册",
        "untitled": "未命名流程",
        "cover_goals": "目标",
        "cover_no_goals": "此流程还没有写明目标。",
        "cover_target": "目标周期",
        "cover_no_target": "未设定",
        "cover_date": "日期",
        "cover_source": "流程文件：{path}",
        "cover_stages": "阶段数",
        "cover_roles": "岗位数",
        "cover_role": "部门",
        "cover_intro": "本手册逐步说明销售流程：谁负责、什么时候完成、检查什么、交给谁。",
        "cover_intro_role": "本手册只讲 {role} 负责的部分：你的阶段、时限和交接。完整流程图附在后面，供参考。",
        "toc": "目录",
        "sec_chart": "流程图",
        "sec_stages": "各阶段说明",
        "sec_roles": "岗位职责",
        "sec_your_duties": "你的职责",
        "sec_handovers": "交接清单",
        "sec_deadlines": "时限表",
        "sec_health": "流程体检",
        "chart_hint": "从起点开始看图。每个方框写明阶段名称、负责人和时限。",
        "chart_role_hint": "{role} 负责的阶段用蓝色粗框标出。",
        "chart_column_hint": "在这个宽度下整张图的字太小，因此流程图按流程顺序逐个阶段列出：箭头通往下一个阶段；↘ 和 ↩ 标出通往其他阶段的分支和回退。",
        "chart_column_label": "按阶段列出的流程",
        "chart_whole": "完整流程图（可左右滚动）",
        "chart_parts_hint": "后面几页把流程图分段放大，相邻两段略有重叠。",
        "chart_part": "流程图（第 {n} 段，共 {count} 段）",
        "chart_continues": "接下一页第 {n} 段 →",
        "flow_from": "来自",
        "flow_to": "转到",
        "kind_start": "起点",
        "kind_end": "终点",
        "kind_decision": "决策",
        "kind_task": "阶段",
        "stage_number": "第 {n} 步",
        "owner": "负责人",
        "owner_lane": "来自泳道“{lane}”",
        "no_owner": "未指定负责人",
        "deadline": "时限",
        "no_deadline": "未设时限",
        "steps": "工作步骤",
        "resources": "工具与资料",
        "checks": "质量检查",
        "kpi": "考核指标",
        "note": "备注",
        "link": "相关链接",
        "comes_in": "输入",
        "goes_out": "输出",
        "branches": "分支",
        "from_stage": "来自",
        "to_stage": "交给",
        "otherwise": "未写明条件",
        "rate": "转化率 {rate}",
        "nothing_in": "无输入：流程从这里开始。",
        "nothing_out": "无后续：流程在这里结束。",
        "stage_findings": "本阶段待改进",
        "role_stages": "你负责的阶段（按流程顺序）",
        "role_receives": "你从谁那里接收",
        "role_hands_over": "你交给谁",
        "role_receives_none": "没有从其他岗位接收的工作。",
        "role_hands_over_none": "没有需要交给其他岗位的工作。",
        "role_no_stages": "目前没有阶段由此岗位负责。",
        "role_time": "你负责阶段的时限合计",
        "role_summary": "共 {n} 个阶段 · 合计 {time}",
        "role_unowned": "未指定负责人的阶段",
        "role_unowned_hint": "这些阶段还没有负责人；培训开始前请先确定。",
        "col_number": "序号",
        "col_stage": "阶段",
        "col_owner": "负责人",
        "col_deadline": "时限",
        "col_hours": "折合时长",
        "col_from": "交出方",
        "col_to": "接收方",
        "col_what": "交接内容",
        "col_note": "备注",
        "col_rate": "转化率",
        "col_cumulative": "累计",
        "handovers_intro": "工作从一个负责人转到另一个负责人的每一处交接。",
        "handovers_none": "此流程中没有在不同负责人之间的交接。",
        "handovers_none_owners": "有 {n} 个阶段没有负责人，无法列出交接；请为每个阶段指定负责人。",
        "deadlines_intro": "每个阶段的时限，以及从起点到终点最慢的一条路径。返工、反馈等回退路线最多计一次：路径只沿正向流程计算。",
        "slowest_path": "最慢路径",
        "on_path_legend": "左侧带标记的阶段位于最慢路径上。",
        "slowest_none": "没有从起点到终点的路径可以计算。",
        "path_total": "合计",
        "target": "目标",
        "within_target": "在目标周期之内（还余 {spare}）。",
        "over_target": "超出目标周期 {over}。",
        "no_target_set": "未设定目标周期，无法比较。",
        "missing_on_path": "此路径上有 {n} 个阶段没有时限，实际用时会更长。",
        "time_convention": "按日历时间折算：一个工作日计 1.4 天（五个工作日为一周）。",
        "health_intro": "按照销售运营负责人的标准对流程图做的自动检查。",
        "health_pass": "流程图通过了全部检查：每个阶段都有负责人和时限，流程完整。",
        "health_pass_role": "{role} 负责的阶段没有发现需要改进的问题。",
        "health_summary": "{errors} 个错误，{warnings} 个警告，{infos} 个提示",
        "severity_error": "错误",
        "severity_warning": "警告",
        "severity_info": "提示",
        "health_where": "第 {line} 行",
        "health_stage": "阶段",
        "health_rule": "检查项",
        "health_message": "需要改进",
        "page_label": "第 {page} 页，共 {pages} 页",
        "generated": "由 salesflow 根据 {path} 生成，{date}。",
        "back_to_top": "返回目录",
    },
}


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
        raise ConfigError(f"{path}: cannot read the interface text: {exc}") from None
    if not isinstance(extra, dict):
        raise ConfigError(f"{path}: expected a language code per top-level key, e.g. `zh:`")
    for lang, table in extra.items():
        if not isinstance(lang, str) or not isinstance(table, dict):
            raise ConfigError(f"{path}: `{lang}` must map message keys to text")
        for key, text in table.items():
            if key not in tables[DEFAULT_LANGUAGE]:
                raise ConfigError(f"{path}: `{lang}.{key}` is not a message key of the handbook")
            if not isinstance(text, str):
                raise ConfigError(f"{path}: `{lang}.{key}` must be text")
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
            raise ConfigError(f"--lang {requested}: the handbook speaks {known}")
        return code
    return language_of(declared, sample_text, available)
