"""Large, realistic sales-process charts for the Mermaid differential test, generated deterministically.

Each chart repeats a regional opportunity pipeline (lead capture, qualification, needs analysis,
demo, solution, quotation, discount approval, contract, invoicing, onboarding, after-sales) with
its fallbacks and feedback loops, spread over department swimlanes. The same arguments always give
the same text, byte for byte, so the test can build the charts at run time instead of keeping
multi-thousand-line files in the repository.

    python tests/corpus/generate.py 300 > /tmp/sales-300.mmd
    python tests/corpus/generate.py 2000 --seed 2 > /tmp/sales-2000.mmd
"""

from __future__ import annotations

import argparse
import random
import sys

# (lane id, lane title)
LANES = (
    ("mkt", "市场部"),
    ("sales", "销售部"),
    ("presales", "售前技术部"),
    ("biz", "商务部"),
    ("legal", "法务部"),
    ("finance", "财务部"),
    ("cs", "客户成功部"),
)

# One regional pipeline: (key, Chinese label, English label, lane, bracket pair)
STAGES = (
    ("lead", "潜在客户获取", "Lead capture", "mkt", ("([", "])")),
    ("score", "线索合格？", "Qualified lead?", "mkt", ("{", "}")),
    ("nurture", "线索培育", "Lead nurturing", "mkt", ("(", ")")),
    ("needs", "需求分析", "Needs analysis", "sales", ("[", "]")),
    ("demo", "产品演示", "Product demo", "presales", ("[", "]")),
    ("solution", "方案设计", "Solution design", "presales", ("[[", "]]")),
    ("quote", "报价与谈判", "Quote and negotiate", "sales", ("[", "]")),
    ("approve", "折扣审批通过？", "Discount approved?", "biz", ("{", "}")),
    ("contract", "合同签订", "Contract signed", "legal", ("[/", "/]")),
    ("invoice", "开票回款", "Invoice and payment", "finance", ("[(", ")]")),
    ("onboard", "交付上线", "Onboarding", "cs", ("[", "]")),
    ("service", "售后服务", "After-sales service", "cs", ("([", "])")),
    ("lost", "丢单原因分析", "Lost-deal review", "sales", ("{{", "}}")),
)

REGIONS = ("华东", "华南", "华北", "西南", "西北", "东北", "华中", "港澳")
OWNERS = {
    "mkt": ("市场专员", "市场经理"),
    "sales": ("销售代表", "销售经理", "大客户经理"),
    "presales": ("售前工程师", "解决方案架构师"),
    "biz": ("商务经理",),
    "legal": ("法务专员",),
    "finance": ("财务专员", "应收会计"),
    "cs": ("客户成功经理", "实施顾问"),
}
DUES = ("4h", "1d", "2d", "3 workdays", "1w", "2个工作日", "3天", "48小时", "1周")
DETAILS = {
    "needs": (("确认预算与决策人", "记录关键需求", "约定下一步"), "需求确认书已签字", "需求确认率"),
    "quote": (("按价格表报价", "超出折扣权限时提交审批"), "报价单已归档", "报价转化率"),
}
NEW_SHAPES = {"contract": "doc", "invoice": "cyl", "lead": "stadium", "lost": "hex"}


def generate(n_nodes: int, seed: int = 0, direction: str = "LR", header: str = "flowchart") -> str:
    """A sales chart with exactly `n_nodes` nodes (at least one)."""
    if n_nodes < 1:
        raise ValueError("a chart needs at least one node")
    rng = random.Random(seed)
    blocks = -(-n_nodes // len(STAGES))

    # Decide every node first, so that a truncated last block simply drops the surplus.
    nodes: list[tuple[str, str, str, str, int]] = []  # (id, key, label, lane, block)
    for b in range(blocks):
        region = REGIONS[b % len(REGIONS)]
        english = b % 3 == 2
        for key, zh, en, lane, _brackets in STAGES:
            label = f"{en} ({region} {b + 1})" if english else f"{zh} · {region}{b + 1}"
            nodes.append((f"{key}{b:03d}", key, label, lane, b))
    nodes = nodes[:n_nodes]
    kept = {node_id for node_id, *_ in nodes}
    brackets = {key: br for key, _zh, _en, _lane, br in STAGES}

    out: list[str] = []
    out.append("---")
    out.append(f"title: 区域销售流程（{n_nodes} 个节点）")
    out.append("goals:")
    out.append("  - 季度新签合同额提升 20%，截至本季度末")
    out.append("  - 线索到签约周期缩短到 30 天以内，截至年底")
    out.append("target: 30天")
    out.append("roles: [" + ", ".join(sorted({o for group in OWNERS.values() for o in group})) + "]")
    out.append("lanes: [" + ", ".join(lane for lane, _ in LANES) + "]")
    out.append("lang: zh")
    out.append("---")
    out.append(f"%% generated sales chart: {n_nodes} nodes, seed {seed}")
    out.append(f"{header} {direction}")

    for lane, title in LANES:
        members = [n for n in nodes if n[3] == lane]
        if not members:
            continue
        out.append(f"    subgraph {lane} [{title}]")
        for node_id, key, label, _lane, _b in members:
            left, right = brackets[key]
            out.append(f'        {node_id}{left}"{label}"{right}')
        out.append("    end")

    edges: list[str] = []
    edge_data: list[str] = []

    def link(src: str, arrow: str, dst: str, text: str | None = None, edge_id: str | None = None) -> bool:
        if src not in kept or dst not in kept:
            return False
        lead = f"{edge_id}@" if edge_id else ""
        if text is None:
            edges.append(f"    {src} {lead}{arrow} {dst}")
        else:
            edges.append(f"    {src} {lead}{arrow}|{text}| {dst}")
        return True

    for b in range(blocks):
        n = f"{b:03d}"
        link(f"lead{n}", "-->", f"score{n}")
        link(f"score{n}", "-->", f"needs{n}", "是")
        link(f"score{n}", "-->", f"nurture{n}", "否")
        link(f"nurture{n}", "-.->", f"score{n}", "30天后复评")
        link(f"needs{n}", "-->", f"demo{n}")
        link(f"demo{n}", "-->", f"solution{n}")
        if link(f"solution{n}", "==>", f"quote{n}", None, f"sq{n}"):
            edge_data.append(f"    sq{n}@{{ rate: {rng.randint(35, 80)}%, note: 方案评审通过后报价 }}")
        link(f"quote{n}", "-->", f"approve{n}")
        link(f"approve{n}", "-->", f"contract{n}", "通过")
        link(f"approve{n}", "-->", f"quote{n}", "驳回，重新报价")
        link(f"quote{n}", "-.->", f"lost{n}", "丢单")
        link(f"lost{n}", "-.->", f"nurture{n}")
        if link(f"contract{n}", "==>", f"invoice{n}", None, f"ci{n}"):
            edge_data.append(f"    ci{n}@{{ rate: {rng.randint(85, 99)}%, note: 合同副本交财务 }}")
        link(f"invoice{n}", "-->", f"onboard{n}")
        link(f"onboard{n}", "-->", f"service{n}")
        link(f"service{n}", "-.->", f"lead{n}", "复购线索")
        if b + 1 < blocks:
            link(f"service{n}", "-.->", f"lead{b + 1:03d}", "转介绍")

    out.extend(edges)

    # Node data with salesflow keys; Mermaid ignores keys it does not know.
    for node_id, key, _label, lane, b in nodes:
        owner = rng.choice(OWNERS[lane])
        due = rng.choice(DUES)
        if key in ("needs", "quote") and b % 4 == 0:
            out.append(f"    {node_id}@{{")
            out.append(f"      owner: {owner}")
            out.append(f"      due: {due}")
            steps, checks, kpi = DETAILS[key]
            out.append("      steps:")
            out.extend(f"        - {step}" for step in steps)
            out.append(f"      checks: [{checks}]")
            out.append(f"      kpi: [{kpi}]")
            out.append("    }")
        elif key in NEW_SHAPES and b % 5 == 1:
            out.append(f"    {node_id}@{{ shape: {NEW_SHAPES[key]}, owner: {owner}, due: {due} }}")
        elif key == "service":
            out.append(f"    {node_id}@{{ owner: {owner}, kind: end, note: 每季度回访一次 }}")
        elif key == "lead":
            out.append(f"    {node_id}@{{ owner: {owner}, kind: start }}")
        elif rng.random() < 0.5:
            out.append(f"    {node_id}@{{ owner: {owner}, due: {due} }}")
    out.extend(edge_data)

    out.append("    classDef decision fill:#fff4d6,stroke:#b8860b")
    out.append("    classDef terminal fill:#e6f4ea,stroke:#2e7d32")
    decisions = [n[0] for n in nodes if n[1] in ("score", "approve")]
    terminals = [n[0] for n in nodes if n[1] in ("lead", "service")]
    for group, cls in ((decisions, "decision"), (terminals, "terminal")):
        for i in range(0, len(group), 20):
            out.append(f"    class {','.join(group[i:i + 20])} {cls}")
    for node_id, key, *_ in nodes:
        if key == "contract" and int(node_id[-3:]) % 10 == 0:
            out.append(f'    click {node_id} "https://crm.example.com/contracts/{node_id}" "打开合同" _blank')
    if edges:
        out.append("    linkStyle default stroke:#555")
        out.append(f"    linkStyle 0,{len(edges) - 1} stroke-width:2px")
    return "\n".join(out) + "\n"


# The charts the differential test builds: name -> generate() arguments.
CHARTS = {
    "sales-300": dict(n_nodes=300, seed=1, direction="LR", header="flowchart"),
    "sales-2000": dict(n_nodes=2000, seed=2, direction="TB", header="flowchart"),
    "sales-1000-graph-td": dict(n_nodes=1000, seed=3, direction="TD", header="graph"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nodes", type=int, help="number of nodes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--direction", default="LR")
    parser.add_argument("--header", default="flowchart", choices=("flowchart", "graph"))
    args = parser.parse_args(argv)
    sys.stdout.write(generate(args.nodes, args.seed, args.direction, args.header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
