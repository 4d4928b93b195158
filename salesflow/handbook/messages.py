"""The handbook's interface text, in every language it speaks, kept in this one place.

Each language is a flat table from a message key to its text; `{name}` marks a value filled in
when the text is used. English is complete and is the fallback for any key another table lacks,
so a language added through a template folder (`messages.yaml`, see `load_messages`) may start
small. Chart content (stage names, owners, steps) is never translated: it is shown as written.
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
        "chart_scroll_hint": "A chart wider than the page scrolls sideways.",
        "chart_parts_hint": "The next pages show the chart enlarged, in parts that overlap a little.",
        "chart_part": "Process chart, part {n} of {count}",
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
        # Lint rules in plain words: a title, and what to do about a finding.
        "rule_missing-owner": "A stage has no owner",
        "fix_missing-owner": "Name the one role that answers for this stage, or put it in a department lane.",
        "rule_vague-owner": "The owner is too vague",
        "fix_vague-owner": "Replace words such as “relevant departments” or “TBD” with one specific role.",
        "rule_unknown-owner": "The owner is not on the roster",
        "fix_unknown-owner": "Use a role from the roster in the front matter, or add it there.",
        "rule_unused-role": "A role on the roster owns no stage",
        "fix_unused-role": "Give the role the stages it answers for, or take it off the roster.",
        "rule_missing-deadline": "A stage has no deadline",
        "fix_missing-deadline": "Say how long the stage may take, e.g. 2 workdays.",
        "rule_invalid-duration": "A deadline cannot be read",
        "fix_invalid-duration": "Write a number and a unit, e.g. 4h, 3 workdays, 2个工作日.",
        "rule_invalid-kind": "A stage's kind cannot be read",
        "fix_invalid-kind": "Write start, end, task or decision.",
        "rule_invalid-rate": "A conversion rate cannot be read",
        "fix_invalid-rate": "Write a percentage or a fraction, e.g. 60% or 0.6.",
        "rule_cycle-time-over-target": "The slowest path takes longer than the target",
        "fix_cycle-time-over-target": "Shorten the slowest stages on the path, or agree a longer target.",
        "rule_missing-target": "Goals are about cycle time, but there is no target",
        "fix_missing-target": "Set target in the front matter, so the deadlines are checked against it.",
        "rule_no-start": "The process has no start",
        "fix_no-start": "Mark the first stage with kind: start.",
        "rule_multiple-starts": "The process has several starts",
        "fix_multiple-starts": "Keep one entry point, or join the starts into one first stage.",
        "rule_unreachable": "A stage can never be reached",
        "fix_unreachable": "Connect the stage to the flow, or remove it.",
        "rule_dead-end": "The flow stops at a stage that is not an end",
        "fix_dead-end": "Say what happens next, or mark the stage as an end.",
        "rule_disconnected": "Part of the chart is not connected to the rest",
        "fix_disconnected": "Connect the parts, or make them separate charts.",
        "rule_duplicate-edge": "The same connection is drawn twice",
        "fix_duplicate-edge": "Keep one of the two arrows.",
        "rule_self-loop": "A stage leads back to itself",
        "fix_self-loop": "Draw the rework as its own stage, or remove the loop.",
        "rule_end-with-outgoing-links": "A stage marked as the end still leads on",
        "fix_end-with-outgoing-links": "Remove kind: end, or the links out of the stage.",
        "rule_missing-feedback-loop": "Results never flow back",
        "fix_missing-feedback-loop": "Add a path from after-sales or the end back to an earlier stage, so that lessons and referrals return.",
        "rule_decision-needs-two-branches": "A decision has fewer than two branches",
        "fix_decision-needs-two-branches": "Draw what happens for each answer.",
        "rule_unlabeled-decision-branch": "A branch of a decision has no condition",
        "fix_unlabeled-decision-branch": "Label each branch with its answer, e.g. yes / no.",
        "rule_missing-fallback": "A decision only moves forward",
        "fix_missing-fallback": "Add the way back for the “no” case: rework, nurturing or escalation.",
        "rule_duplicate-branch-label": "Two branches of a decision give the same answer",
        "fix_duplicate-branch-label": "Label each branch with the answer that leads there.",
        "rule_handoff-without-note": "A hand-over between owners has no note",
        "fix_handoff-without-note": "Say what is passed on, and how, where work changes hands.",
        "rule_too-many-steps": "The chart has too many stages",
        "fix_too-many-steps": "Group stages into sub-processes so that people can follow it.",
        "rule_too-many-branches": "A stage branches too many ways",
        "fix_too-many-branches": "Split the decision into smaller ones.",
        "rule_label-too-long": "A stage name is too long",
        "fix_label-too-long": "Shorten the name; put details into the steps.",
        "rule_missing-kpi": "A stage has no KPI",
        "fix_missing-kpi": "Add a measure that shows whether the stage works.",
        "rule_goal-not-smart": "A goal is not measurable or time-bound",
        "fix_goal-not-smart": "Give each goal a number and a date.",
        "rule_goal-date-passed": "A goal's date has passed",
        "fix_goal-date-passed": "Record whether it was met, and set the next goal with a new date.",
        "rule_rates-over-100": "Conversion rates out of a stage add up to more than 100%",
        "fix_rates-over-100": "Correct the rates: the deals leaving a stage add up to 100% at most.",
        "rule_too-large-for-mermaid": "The chart is too large for Mermaid to draw",
        "fix_too-large-for-mermaid": "Split it into one chart per phase, so it still shows on the wiki and in the repository.",
        "rule_unused-suppression": "A suppression comment is not needed",
        "fix_unused-suppression": "Remove the %% comment that silences nothing.",
        "rule_invalid-suppression": "A suppression comment cannot be read",
        "fix_invalid-suppression": "Name existing rule codes in the %% comment.",
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
        "chart_scroll_hint": "比页面宽的图可以左右滚动。",
        "chart_parts_hint": "后面几页把流程图分段放大，相邻两段略有重叠。",
        "chart_part": "流程图（第 {n} 段，共 {count} 段）",
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
        "rule_missing-owner": "阶段没有负责人",
        "fix_missing-owner": "为此阶段指定一个具体负责的岗位，或把它放进部门泳道。",
        "rule_vague-owner": "负责人不明确",
        "fix_vague-owner": "把“相关部门”“待定”之类的说法换成一个具体岗位。",
        "rule_unknown-owner": "负责人不在岗位名单中",
        "fix_unknown-owner": "使用前言 roles 名单里的岗位，或把它加进名单。",
        "rule_unused-role": "名单上的岗位不负责任何阶段",
        "fix_unused-role": "把它负责的阶段交给它，或从名单中去掉。",
        "rule_missing-deadline": "阶段没有时限",
        "fix_missing-deadline": "写明此阶段最多用多长时间，例如 2个工作日。",
        "rule_invalid-duration": "时限无法识别",
        "fix_invalid-duration": "写数字加单位，例如 4小时、3个工作日、1周。",
        "rule_invalid-kind": "阶段类型无法识别",
        "fix_invalid-kind": "写 start、end、task 或 decision。",
        "rule_invalid-rate": "转化率无法识别",
        "fix_invalid-rate": "写百分比或小数，例如 60% 或 0.6。",
        "rule_cycle-time-over-target": "最慢路径超出目标周期",
        "fix_cycle-time-over-target": "缩短路径上最慢的阶段，或重新商定目标周期。",
        "rule_missing-target": "目标涉及周期，却没有设定目标周期",
        "fix_missing-target": "在前言里写上 target，让各阶段时限对照它检查。",
        "rule_no-start": "流程没有起点",
        "fix_no-start": "用 kind: start 标出第一个阶段。",
        "rule_multiple-starts": "流程有多个起点",
        "fix_multiple-starts": "只保留一个入口，或把几个起点合并到同一个首阶段。",
        "rule_unreachable": "有阶段永远走不到",
        "fix_unreachable": "把此阶段接入流程，或删除它。",
        "rule_dead-end": "流程停在了一个不是终点的阶段",
        "fix_dead-end": "写明下一步做什么，或把它标为终点。",
        "rule_disconnected": "流程图有一部分与其余部分不相连",
        "fix_disconnected": "把几部分连起来，或拆成单独的流程图。",
        "rule_duplicate-edge": "同一条连线画了两次",
        "fix_duplicate-edge": "保留其中一条。",
        "rule_self-loop": "阶段指回了自己",
        "fix_self-loop": "把返工画成单独的阶段，或去掉这条回线。",
        "rule_end-with-outgoing-links": "标为终点的阶段后面还有连线",
        "fix_end-with-outgoing-links": "去掉 kind: end，或去掉从它出去的连线。",
        "rule_missing-feedback-loop": "结果没有反馈回流程",
        "fix_missing-feedback-loop": "从售后或终点加一条回到前面阶段的路径，让经验和转介绍回流。",
        "rule_decision-needs-two-branches": "决策少于两个分支",
        "fix_decision-needs-two-branches": "把每种结果之后做什么都画出来。",
        "rule_unlabeled-decision-branch": "决策分支没有写条件",
        "fix_unlabeled-decision-branch": "在每个分支上写明条件，例如 是 / 否。",
        "rule_missing-fallback": "决策只有向前的分支",
        "fix_missing-fallback": "为“否”的情况加一条回退路径：返工、培育或上报。",
        "rule_duplicate-branch-label": "决策的两个分支写了同样的条件",
        "fix_duplicate-branch-label": "每个分支写上通向它的那个答案。",
        "rule_handoff-without-note": "部门间交接没有说明",
        "fix_handoff-without-note": "在换人的地方写明交接什么、怎么交接。",
        "rule_too-many-steps": "阶段太多",
        "fix_too-many-steps": "把阶段归并成子流程，便于大家理解。",
        "rule_too-many-branches": "一个阶段的分支太多",
        "fix_too-many-branches": "把这个决策拆成几个小决策。",
        "rule_label-too-long": "阶段名称太长",
        "fix_label-too-long": "缩短名称，把细节写进工作步骤。",
        "rule_missing-kpi": "阶段没有考核指标",
        "fix_missing-kpi": "加一个能看出此阶段做得好不好的指标。",
        "rule_goal-not-smart": "目标不可衡量或没有期限",
        "fix_goal-not-smart": "每个目标都写上数字和完成日期。",
        "rule_goal-date-passed": "目标的完成日期已过",
        "fix_goal-date-passed": "记下是否达成，再定下一个有新日期的目标。",
        "rule_rates-over-100": "一个阶段流出的转化率加起来超过100%",
        "fix_rates-over-100": "改正转化率：离开一个阶段的商机加起来最多100%。",
        "rule_too-large-for-mermaid": "流程图太大，Mermaid 画不出来",
        "fix_too-large-for-mermaid": "按阶段拆成几张图，让它在 Wiki 和代码库页面上仍能显示。",
        "rule_unused-suppression": "多余的忽略注释",
        "fix_unused-suppression": "删掉没有起作用的 %% 注释。",
        "rule_invalid-suppression": "忽略注释无法识别",
        "fix_invalid-suppression": "在 %% 注释里写存在的规则代码。",
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
            if key not in MESSAGES[DEFAULT_LANGUAGE]:
                raise ConfigError(f"{path}: `{lang}.{key}` is not a message key of the handbook")
            if not isinstance(text, str):
                raise ConfigError(f"{path}: `{lang}.{key}` must be text")
        tables.setdefault(lang, {}).update(table)
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
