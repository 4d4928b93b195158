"""Synthetic cases walked through the chart: for what-if planning, for `analyze`'s quantiles and for tests.

Each case starts at a start stage (several starts share the leads equally), stays in each stage
for a time drawn from the distribution `flow.py` documents (triangular, 40%–120% of `due`, most
likely 80%), and moves on by the branches' shares; where the shares add up to less than 100% the
rest drop out there. A case that has not finished after `MAX_STEPS` stages is cut off (a chart
whose loops are nearly certain to repeat).

The stage-history log (`salesflow simulate`) has one row per stage a case enters, decisions left
out (CRMs record stages, not the questions between them; the time spent deciding counts to the
stage before): `case_id, stage, timestamp, owner`. `stage` is the stage's first `crm:` name, else
its label; cases arrive evenly spread over `ARRIVAL_DAYS` days from `START` (UTC); timestamps are
ISO 8601 to the second. The same chart, case count and seed give the same log, byte for byte.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from dataclasses import dataclass
from typing import Iterator

from .flow import STAY_HIGH, STAY_LOW, STAY_MODE, Chain

MAX_STEPS = 10_000
START = datetime.datetime(2026, 1, 5, 9, 0, 0)
ARRIVAL_DAYS = 90
LOG_COLUMNS = ("case_id", "stage", "timestamp", "owner")


@dataclass(frozen=True)
class Case:
    visits: tuple[tuple[str, float, float], ...]  # (stage, hours since the case began, hours stayed)
    finished: bool  # reached a stage with no way onward (False: dropped out or cut off)

    @property
    def hours(self) -> float:
        last = self.visits[-1]
        return last[1] + last[2]

    @property
    def last(self) -> str:
        return self.visits[-1][0]


def stay(rng: random.Random, due_hours: float | None) -> float:
    if not due_hours:
        return 0.0
    return rng.triangular(STAY_LOW * due_hours, STAY_HIGH * due_hours, STAY_MODE * due_hours)


def cases(chain: Chain, count: int, seed: int) -> Iterator[Case]:
    """`count` cases, the same ones for the same seed."""
    rng = random.Random(seed)
    starts = chain.starts
    moves = {n: [(m.target, m.share) for m in ms] for n, ms in chain.moves.items()}
    due = {n: chain.due_hours(n) for n in chain.graph.node_ids}
    for _ in range(count):
        current = starts[0] if len(starts) == 1 else starts[rng.randrange(len(starts))]
        clock = 0.0
        visits = []
        finished = False
        for _step in range(MAX_STEPS):
            hours = stay(rng, due[current])
            visits.append((current, clock, hours))
            clock += hours
            options = moves[current]
            if not options:
                finished = True
                break
            draw = rng.random()
            following = None
            for target, share in options:
                if draw < share:
                    following = target
                    break
                draw -= share
            if following is None:
                break  # dropped out here
            current = following
        yield Case(tuple(visits), finished)


def stage_name(chain: Chain, node_id: str) -> str:
    node = chain.process.node(node_id)
    return node.crm[0] if node.crm else node.text.replace("\n", " ")


def write_log(chain: Chain, count: int, seed: int) -> str:
    """The stage-history log of `count` simulated cases, as CSV text (see the module docstring)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LOG_COLUMNS)
    names = {n: stage_name(chain, n) for n in chain.graph.node_ids}
    owners = {n.id: n.owner or "" for n in chain.process.nodes}
    recorded = set(chain.recorded)
    width = len(str(count))
    arrivals = random.Random(f"{seed}/arrivals")
    for number, case in enumerate(cases(chain, count, seed), start=1):
        begins = START + datetime.timedelta(days=arrivals.uniform(0, ARRIVAL_DAYS))
        case_id = f"C{number:0{width}d}"
        for node_id, entered, _hours in case.visits:
            if node_id not in recorded:
                continue
            moment = (begins + datetime.timedelta(hours=entered)).replace(microsecond=0)
            writer.writerow((case_id, names[node_id], moment.isoformat(), owners[node_id]))
    return buffer.getvalue()
