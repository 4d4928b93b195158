"""Charts nobody wrote by hand: a deterministic stream of varied sales charts, for layout tests.

The layout corpus (tests/cases/layout/) holds charts written the way managers write them; these
are the charts that corpus might miss: 2 to 30 stages, every direction, no lanes or up to four,
Chinese and English, short and long labels, with or without owners and deadlines, decisions
with a way back or a way out, labelled links and notes. The same seed always gives the same
charts.

Run as a script to print the geometry checker's defect counts over every chart in its own
direction and flipped, plain and highlighted (`-v`: every defect, by chart):

    python tests/generated_charts.py [COUNT] [-v]
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, NamedTuple, Optional, Sequence

if TYPE_CHECKING:
    from geometry import Report

SEED = 20261201
COUNT = 400

ZH_SHORT = ["线索获取", "初次联系", "需求了解", "报价", "谈判", "签约", "交付", "回款", "售后", "复购", "演示", "试用",
            "立项", "投标", "评审", "发货", "验收", "开票", "回访", "续约"]
ZH_LONG = ["线索清洗与分配到区域销售", "与客户关键决策人完成首次需求访谈", "根据客户预算出具分级报价方案",
           "法务审核合同条款并提交审批", "组织产品演示与技术答疑会议", "交付实施并完成上线验收",
           "财务确认回款并开具增值税发票", "季度业务回顾与续约意向确认", "渠道伙伴资质审核与授权签约",
           "售后工单分派与满意度回访"]
EN_SHORT = ["Lead", "Qualify", "Discovery", "Demo", "Quote", "Negotiate", "Close", "Onboard", "Renew", "Invoice",
            "Ship", "Review", "Trial", "Kickoff", "Upsell"]
EN_LONG = ["Qualify the inbound lead against the ideal customer profile", "Run a tailored product demo for the buying team",
           "Prepare a tiered proposal with the rate card", "Legal review of redlines and approval of terms",
           "Hand over the signed account to onboarding", "Quarterly business review with the economic buyer",
           "Collect payment and reconcile the invoice", "Survey satisfaction and log the feedback"]
ZH_OWNERS = ["销售代表", "销售经理", "售前顾问", "法务专员", "财务", "客服专员", "市场专员"]
EN_OWNERS = ["SDR", "Account Executive", "Sales Manager", "Solutions Engineer", "Legal", "Finance", "CSM"]
ZH_DUES = ["1天", "2个工作日", "3天", "48小时", "1周", "4h"]
EN_DUES = ["1d", "2 workdays", "3 days", "1w", "4h"]
ZH_LANES = ["市场部", "销售部", "售前部", "法务部", "财务部", "客服部"]
EN_LANES = ["Marketing", "Sales", "Presales", "Legal", "Finance", "Customer Success"]
ZH_BRANCH = [("是", "否"), ("通过", "退回"), ("同意", "需修改"), ("成交", "未成交")]
EN_BRANCH = [("yes", "no"), ("approved", "rework"), ("won", "lost"), ("ok", "retry")]


class Generated(NamedTuple):
    name: str
    text: str
    stages: int


def chart(rng: random.Random, number: int) -> Generated:
    zh = rng.random() < 0.6
    stages = rng.choice([2, 2, 3, 3, 3, 4, 4, 5, 6]) if rng.random() < 0.35 else rng.randint(2, 30)
    direction = rng.choice(["LR", "LR", "LR", "TD", "TD", "RL", "BT"])
    lane_count = 0 if rng.random() < 0.5 else rng.randint(1, min(4, stages))
    long_labels = rng.choice([0.0, 0.3, 0.7, 1.0])  # the share of long labels
    meta = rng.choice([0.0, 0.5, 1.0])  # the share of stages with an owner and a deadline
    words = (ZH_SHORT, ZH_LONG, ZH_OWNERS, ZH_DUES, ZH_LANES, ZH_BRANCH) if zh else (
        EN_SHORT, EN_LONG, EN_OWNERS, EN_DUES, EN_LANES, EN_BRANCH)
    short, long_, owners, dues, lane_names, branches = words

    lines = ["---", f"title: {'生成的流程' if zh else 'Generated process'} {number}", f"lang: {'zh' if zh else 'en'}"]
    lanes = [f"lane{i}" for i in range(lane_count)]
    if lanes:
        lines.append("lanes: [" + ", ".join(lanes) + "]")
    lines += ["---", f"flowchart {direction}"]
    decisions = set()
    nodes = []
    for index in range(stages):
        label = rng.choice(long_ if rng.random() < long_labels else short)
        is_decision = 0 < index < stages - 1 and rng.random() < 0.15
        if is_decision:
            decisions.add(index)
            label = label + ("？" if zh else "?")
        text = f"n{index}{{{label}}}" if is_decision else (
            f"n{index}([{label}])" if index in (0, stages - 1) else f"n{index}[{label}]")
        data = []
        if index == 0:
            data.append("kind: start")
        if index == stages - 1:
            data.append("kind: end")
        if rng.random() < meta:
            data.append(f"owner: {rng.choice(owners)}")
            data.append(f"due: {rng.choice(dues)}")
        nodes.append((text, data))
    # Lanes hold runs of stages in flow order, as departments take turns.
    lane_of = sorted(rng.randrange(lane_count) for _ in range(stages)) if lanes else [None] * stages
    for lane_index, lane in enumerate(lanes):
        members = [i for i in range(stages) if lane_of[i] == lane_index]
        lines.append(f"    subgraph {lane}[{lane_names[lane_index]}]")
        for i in members:
            lines.append(f"        {nodes[i][0]}")
        lines.append("    end")
    for i in range(stages):
        if lane_of[i] is None:
            lines.append(f"    {nodes[i][0]}")
    for i, (_text, data) in enumerate(nodes):
        if data:
            lines.append(f"    n{i}@{{ {', '.join(data)} }}")
    edge_id = 0
    for i in range(stages - 1):
        if i in decisions:
            yes, no = rng.choice(branches)
            lines.append(f"    n{i} -->|{yes}| n{i + 1}")
            back = rng.randint(0, i - 1) if i > 0 and rng.random() < 0.7 else min(stages - 1, i + 2)
            lines.append(f"    n{i} -->|{no}| n{back}")
        elif rng.random() < 0.2:
            note = rng.choice(["移交客户资料", "附上报价单"] if zh else ["send the account notes", "attach the quote"])
            lines.append(f"    n{i} e{edge_id}@--> n{i + 1}")
            lines.append(f"    e{edge_id}@{{ rate: {rng.randint(20, 90)}%, note: {note} }}")
            edge_id += 1
        elif rng.random() < 0.15:
            lines.append(f"    n{i} -->|{rng.choice(short)}| n{i + 1}")
        else:
            lines.append(f"    n{i} --> n{i + 1}")
    if stages > 3 and rng.random() < 0.3:
        lines.append(f"    n{stages - 1} -->|{'反馈' if zh else 'feedback'}| n{rng.randint(0, stages // 2)}")
    return Generated(f"generated-{number:03d}", "\n".join(lines) + "\n", stages)


def charts(count: int = COUNT, seed: int = SEED) -> list[Generated]:
    rng = random.Random(seed)
    return [chart(rng, number) for number in range(count)]


def lay_out(dot_texts: Sequence[str], workers: int = 2) -> list[dict]:
    """`dot -Tjson` of every text (`{"error": …}` when `dot` fails, and `{"error": …, "strayed": …}`
    with the layout when it says it could not route a link, see picture.ROUTING_TROUBLE), two
    `dot` runs at a time. What else `dot` says is kept under `"sf warnings"`. (One run per
    chart: `dot` 2.43 given many graphs in one input can crash on the second.)"""
    from geometry import as_drawn
    from salesflow.render.picture import ROUTING_TROUBLE

    dot = shutil.which("dot")
    if dot is None:
        raise FileNotFoundError("Graphviz `dot` is not installed")

    def run(text: str) -> dict:
        # dot's layout ahead of its drawing, as `render` asks for it (picture.run_graphviz `repair`).
        done = subprocess.run([dot, "-Tjson0", "-Tjson"], input=text.encode("utf-8"), capture_output=True, timeout=120)
        said = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0:
            return {"error": said}
        document = as_drawn(text, done.stdout)
        document["sf warnings"] = said
        if any(trouble in said for trouble in ROUTING_TROUBLE):
            return {"error": said, "strayed": document}
        return document

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(run, dot_texts))


FLIPPED = {"LR": "TB", "RL": "BT", "TB": "LR", "BT": "RL"}
VARIANTS = ((False, False), (True, False), (False, True), (True, True))  # (flip, highlight)


class Drawing(NamedTuple):
    """A generated chart as `render` draws it, measured (see tests/geometry.py)."""

    chart: Generated
    flip: bool
    highlight: bool
    report: Optional["Report"]  # None: `dot` failed on every way of drawing it
    banded: bool  # its lanes drawn as bands (not the fallback without them)
    warnings: str = ""  # what `dot` said laying out the drawing kept

    @property
    def variant(self) -> str:
        return " ".join(word for word, on in (("flipped", self.flip), ("highlighted", self.highlight)) if on)


def drawings(generated: Sequence[Generated], flip: bool = False, highlight: bool = False, **dot_options) -> list[Drawing]:
    """Each chart as `render` draws it (`flip`: turned from left-to-right to top-down and back;
    `highlight`: with the linter's findings, as `render --highlight`), measured by the geometry
    checker. As `render` does (picture.draw), a drawing `dot` gives up on, or draws with a link
    it could not route, is drawn again with links past stages round the outside of their rows;
    one drawn with such a link is kept when that fails too; then without lane bands."""
    import dataclasses

    from geometry import check, lanes_of, read_layout
    from salesflow.graph import ProcessGraph
    from salesflow.lint import lint
    from salesflow.parse import parse_text
    from salesflow.render.dot import to_dot

    processes = [parse_text(g.text, g.name) for g in generated]
    findings = [tuple(lint(p, source=g.text)) if highlight else () for p, g in zip(processes, generated)]
    if flip:
        processes = [dataclasses.replace(p, direction=FLIPPED[p.direction]) for p in processes]
    documents = lay_out([to_dot(p, findings=f, **dot_options) for p, f in zip(processes, findings)])
    banded = [True] * len(documents)
    for fallback in ({"around": True}, {"around": True, "lanes": False}):
        failed = [index for index, document in enumerate(documents) if "error" in document]
        retried = lay_out([to_dot(processes[i], findings=findings[i], **fallback, **dot_options) for i in failed])
        for index, document in zip(failed, retried):
            # Routed, else with a link off its course (the first way first), else given up.
            chosen = next((d for d in (document, documents[index].get("strayed"), document.get("strayed"))
                           if d is not None and "error" not in d), document)
            if chosen is not documents[index].get("strayed"):
                banded[index] = fallback.get("lanes", True)
            documents[index] = chosen
    out = []
    for chart, process, document, with_lanes in zip(generated, processes, documents, banded):
        report = None
        if "error" not in document:
            graph = ProcessGraph(process)
            starts = graph.declared_starts or graph.starts[:1]
            lanes = lanes_of(process) if with_lanes else []
            report = check(read_layout(document), lanes, process.direction, starts)
        out.append(Drawing(chart, flip, highlight, report, with_lanes, document.get("sf warnings", "")))
    return out


def aspects(generated: Sequence[Generated], flip: bool = False, highlight: bool = False, **dot_options) -> list[float]:
    """The aspect ratio (the longer side over the shorter) of each chart as `render` draws it
    (see `drawings`); infinite when `dot` fails on it."""
    return [d.report.aspect if d.report else float("inf") for d in drawings(generated, flip, highlight, **dot_options)]


def main(argv: list[str]) -> int:
    count = int(next((a for a in argv if a.isdigit()), COUNT))
    return print_counts(count, SEED, verbose="-v" in argv)


def print_counts(count: int, seed: int, verbose: bool) -> int:
    """Print the geometry checker's defect counts over `count` charts of `seed` drawn every way
    (with `verbose`, every defect by chart)."""
    from geometry import CATEGORIES

    generated = charts(count, seed)
    totals = {category: 0 for category in CATEGORIES}
    failed, unbanded = [], []
    for flip, highlight in VARIANTS:
        for drawing in drawings(generated, flip=flip, highlight=highlight):
            name = f"{drawing.chart.name} {drawing.variant}".strip()
            if drawing.report is None:
                failed.append(name)
                continue
            if not drawing.banded:
                unbanded.append(name)
            for category, number in drawing.report.counts.items():
                totals[category] += number
            if drawing.report.total and verbose:
                print(f"{name}: {drawing.report.aspect:.1f}:1")
                for detail in drawing.report.details:
                    print("    " + detail)
    of_seed = "" if seed == SEED else f" of seed {seed}"
    print(f"{count} charts{of_seed} × {len(VARIANTS)} variants (own, flipped; plain, highlighted)")
    for category in CATEGORIES:
        print(f"  {category:20} {totals[category]}")
    print(f"  dot failed on: {', '.join(failed) or 'none'}")
    print(f"  drawn without lane bands: {', '.join(unbanded) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
