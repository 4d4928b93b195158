"""Every word the studio's page shows, in Chinese and in English, in one table.

The page receives the table of its language once, with the page itself; placeholders are named
(`{path}`, `{line}`) and filled in by the page. Messages about the chart itself (findings,
syntax errors) are salesflow's own, as the command line prints them.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "title": {"zh": "销售流程工作台", "en": "salesflow studio"},
    "files": {"zh": "流程文件", "en": "Files"},
    "new_file": {"zh": "新建流程", "en": "New chart"},
    "save": {"zh": "保存", "en": "Save"},
    "saved": {"zh": "已保存", "en": "Saved"},
    "unsaved": {"zh": "有修改未保存", "en": "Unsaved changes"},
    "reviewing": {"zh": "正在检查…", "en": "Reviewing…"},
    "tab_chart": {"zh": "流程图", "en": "Chart"},
    "tab_findings": {"zh": "检查结果", "en": "Review"},
    "tab_handbook": {"zh": "培训手册", "en": "Handbook"},
    "role": {"zh": "岗位", "en": "Role"},
    "role_all": {"zh": "全部岗位", "en": "All roles"},
    "block": {"zh": "第 {number} 张流程图", "en": "Chart {number}"},
    "zoom_in": {"zh": "放大", "en": "Zoom in"},
    "zoom_out": {"zh": "缩小", "en": "Zoom out"},
    "zoom_fit": {"zh": "适合窗口", "en": "Fit"},
    "severity_error": {"zh": "错误", "en": "error"},
    "severity_warning": {"zh": "警告", "en": "warning"},
    "severity_info": {"zh": "提示", "en": "note"},
    "line": {"zh": "第 {line} 行", "en": "line {line}"},
    "summary": {
        "zh": "{errors} 个错误，{warnings} 个警告，{infos} 条提示",
        "en": "{errors} errors, {warnings} warnings, {infos} notes",
    },
    "clean": {"zh": "没有发现问题，可以发给团队了。", "en": "No findings: ready to share with the team."},
    "parse_error": {
        "zh": "第 {line} 行写法有误，流程图暂停更新（下面是上一版）：{message}",
        "en": "Line {line} does not read, so the chart below is the last version that did: {message}",
    },
    "render_error": {"zh": "流程图画不出来：{message}", "en": "The chart could not be drawn: {message}"},
    "too_slow": {
        "zh": "这一版检查太久没完成，流程图保留上一版。",
        "en": "Reviewing this draft took too long; the chart stays at the last version.",
    },
    "config_error": {
        "zh": "配置文件有问题，暂按默认规则检查：{message}",
        "en": "The configuration does not read, so the default rules apply: {message}",
    },
    "conflict_title": {"zh": "文件在别处被改过，这次没有保存", "en": "The file changed on disk; nothing was saved"},
    "conflict_body": {
        "zh": "你打开 {path} 之后，它在磁盘上被改过（可能是别的编辑器，或者 git pull）。你的修改还在这里，没有丢。",
        "en": "{path} changed on disk after you opened it (another editor, or a git pull). Your edits are still here.",
    },
    "conflict_deleted": {
        "zh": "你打开 {path} 之后，它在磁盘上被删除了。你的修改还在这里，没有丢。",
        "en": "{path} was deleted on disk after you opened it. Your edits are still here.",
    },
    "conflict_reload": {"zh": "放弃我的修改，载入磁盘上的版本", "en": "Discard my edits, load the disk version"},
    "conflict_compare": {"zh": "两个版本对照着看", "en": "Show both versions"},
    "conflict_overwrite": {"zh": "用我的版本覆盖", "en": "Overwrite with my version"},
    "conflict_keep": {"zh": "先不处理", "en": "Not now"},
    "mine": {"zh": "我的版本（未保存）", "en": "Mine (not saved)"},
    "on_disk": {"zh": "磁盘上的版本", "en": "On disk"},
    "external_loaded": {
        "zh": "{path} 在别处被修改，已载入最新内容。",
        "en": "{path} was changed outside the studio; the new text is loaded.",
    },
    "external_pending": {
        "zh": "{path} 在别处被修改了，而你这里还有没保存的修改；保存时会让你选择保留哪一版。",
        "en": "{path} changed outside the studio while you have unsaved edits; saving will ask which to keep.",
    },
    "disconnected": {"zh": "和 salesflow 的连接断了，正在重连…", "en": "Lost the connection to salesflow; reconnecting…"},
    "refused": {"zh": "salesflow 拒绝了这个请求：{message}", "en": "salesflow refused this request: {message}"},
    "new_title": {"zh": "从模板新建流程", "en": "New chart from a template"},
    "new_name": {"zh": "文件名", "en": "File name"},
    "new_template": {"zh": "模板", "en": "Template"},
    "new_language": {"zh": "语言", "en": "Language"},
    "create": {"zh": "创建", "en": "Create"},
    "cancel": {"zh": "取消", "en": "Cancel"},
    "exists": {"zh": "{path} 已经存在，请换一个文件名。", "en": "{path} already exists; choose another name."},
    "bad_name": {
        "zh": "文件名要以 .flow、.mmd 或 .mermaid 结尾，而且只能放在当前文件夹里。",
        "en": "The name must end in .flow, .mmd or .mermaid and stay inside this folder.",
    },
    "no_files": {"zh": "这个文件夹里还没有流程文件。", "en": "There are no charts in this folder yet."},
}


def texts_for(lang: str) -> dict[str, str]:
    """The page's words in `lang` ("zh" or "en"; anything else gets English)."""
    chosen = lang if lang in ("zh", "en") else "en"
    return {key: words[chosen] for key, words in TEXTS.items()}
