"""Realistic generated sales charts of any size, for benchmarks and size tests.

A chart is a chain of sales stages in department lanes (which own their stages, with some stages
naming an owner of their own), node data (deadline, steps, checks), decisions with a way back,
labelled hand-offs and edge data with conversion rates — what a large, fully annotated process
file looks like. The same size always gives the same text.
"""

from __future__ import annotations

STAGES = ["线索收集", "线索筛选", "初次接触", "需求调研", "方案设计", "报价", "谈判", "合同签订", "交付实施", "售后服务"]
OWNERS = ["市场专员", "销售代表", "售前顾问", "销售经理", "法务专员", "交付经理", "客服专员"]
DUES = ["4h", "1d", "2个工作日", "3天", "1w", "48小时", "2 workdays"]


def chart(nodes: int, lanes: int = 5) -> str:
    lanes = max(1, min(lanes, nodes))
    per_lane = -(-nodes // lanes)
    departments = [f"部门{i}" for i in range(lanes)]
    out = [
        "---",
        f"title: 生成的销售流程（{nodes} 个节点）",
        "goals:",
        "  - 季度成交额提升 20%（2027 年 Q1 前）",
        f"target: {max(1, nodes) * 40} workdays",
        "roles: [" + ", ".join(departments + OWNERS) + "]",
        "lanes: [" + ", ".join(f"lane{i}" for i in range(lanes)) + "]",
        "lang: zh",
        "---",
        "flowchart LR",
    ]
    for lane in range(lanes):
        out.append(f"  subgraph lane{lane} [{departments[lane]}]")
        for n in range(lane * per_lane, min(nodes, (lane + 1) * per_lane)):
            stage = STAGES[n % len(STAGES)]
            due = DUES[n % len(DUES)]
            kind = ", kind: start" if n == 0 else ", kind: end" if n == nodes - 1 else ""
            if n % 10 == 4:
                out.append(f"    n{n}{{{stage}{n} 是否通过?}}@{{ due: {due} }}")
            elif n % 10 == 7:
                # Every tenth stage names its own owner, overriding the lane.
                out.append(f"    n{n}[{stage}{n}]@{{ owner: {OWNERS[n % len(OWNERS)]}, due: {due}{kind} }}")
            else:
                out.append(
                    f"    n{n}[{stage}{n}]@{{ due: {due}, steps: [准备资料, 联系客户], checks: [信息完整]{kind} }}"
                )
        out.append("  end")

    def owner(n: int) -> str:
        return OWNERS[n % len(OWNERS)] if n % 10 == 7 else departments[n // per_lane]

    for n in range(nodes - 1):
        handoff = owner(n) != owner(n + 1)
        if n % 10 == 4:
            out.append(f"  n{n} -->|通过| n{n + 1}")
            out.append(f"  n{n} -. 退回 .-> n{max(0, n - 2)}")
        elif n % 7 == 3:
            out.append(f"  n{n} e{n}@--> n{n + 1}")
            out.append(f"  e{n}@{{ rate: {30 + n % 60}%, note: 交接客户资料 }}")
        elif handoff:
            out.append(f"  n{n} -->|移交| n{n + 1}")
        else:
            out.append(f"  n{n} --> n{n + 1}")
    if nodes > 1:
        out.append(f"  n{nodes - 1} -->|客户反馈| n0")
    return "\n".join(out) + "\n"


def chain_with_rework(stages: int) -> str:
    """A chain of stages with a 10% rework loop every tenth stage (for `analyze`, which follows loops)."""
    lines = ["flowchart TD", "    S0([Lead])"]
    for i in range(1, stages):
        lines.append(f"    S{i - 1} --> S{i}[Stage {i}]")
        lines.append(f"    S{i}@{{ owner: Team {i % 7}, due: {1 + i % 5}d }}")
        if i % 10 == 0:
            lines.append(f"    S{i} back{i}@-->|rework| S{i - 5}")
            lines.append(f"    back{i}@{{ rate: 10% }}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(chart(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
