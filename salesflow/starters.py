"""Starting charts for `salesflow init` and the studio's "new chart": the classic seven stages,
the ten-stage key-account process, department lanes, and the shapes of SaaS, retail, tender and
export sales, in Chinese and English.

Each is a file in templates/starters/ (`NAME.LANG.flow`). Owners and deadlines are left as
`待定` / `TBD`, and the goal as a sentence with blanks: the linter points at every one of them
(vague-owner, invalid-duration, goal-not-smart), so the review is the to-do list of the draft.
"""

from __future__ import annotations

STARTERS = ("classic", "ten-stage", "b2b", "saas", "retail", "tender", "export")
DEFAULT_STARTER = "classic"

TITLES = {
    "classic": {"zh": "经典七阶段（潜在客户获取 → 售后服务）", "en": "Classic seven stages (lead to after-sales)"},
    "ten-stage": {"zh": "大客户十阶段", "en": "Key accounts, ten stages"},
    "b2b": {"zh": "B2B 项目型，按部门分泳道", "en": "B2B projects, one lane per department"},
    "saas": {"zh": "SaaS 订阅：试用、签约、续约", "en": "SaaS subscription: trial, signature, renewal"},
    "retail": {"zh": "门店零售", "en": "In-store retail"},
    "tender": {"zh": "招投标项目", "en": "Tender-based projects"},
    "export": {"zh": "外贸出口", "en": "Export trade"},
}


def starter_title(name: str, lang: str) -> str:
    return TITLES[name]["zh" if lang == "zh" else "en"]


def starter_text(name: str, lang: str) -> str:
    """The text of the starter `name` in `lang` ("zh" or "en")."""
    from importlib import resources

    if name not in STARTERS:
        raise ValueError(f"unknown template {name!r}")
    chosen = "zh" if lang == "zh" else "en"
    return resources.files("salesflow.templates").joinpath("starters", f"{name}.{chosen}.flow").read_text("utf-8")
