"""A sparse linear solver for the expectations of a chart's Markov chain.

The systems are `v = s + Pᵀ v` (expected arrivals at each stage), one unknown per stage. Their
matrix `I − Pᵀ` is diagonally dominant by columns, so Gaussian elimination needs no pivoting and
a zero pivot means a loop nothing leaves. Eliminating in the chart's forward order keeps the work
close to linear: only loops add entries above the diagonal.
"""

from __future__ import annotations

from typing import Optional, Sequence

PIVOT_FLOOR = 1e-12


def solve_arrivals(
    order: Sequence[str],
    moves: dict[str, list[tuple[str, float]]],
    entering: dict[str, float],
) -> Optional[dict[str, float]]:
    """Expected arrivals at every stage given `entering` leads at the starts; None if a loop never exits.

    `moves[a]` lists (b, share) pairs: the share of leads in `a` that go on to `b`.
    """
    rows: dict[str, dict[str, float]] = {k: {k: 1.0} for k in order}
    rhs: dict[str, float] = {k: entering.get(k, 0.0) for k in order}
    for source in order:
        for target, share in moves[source]:
            row = rows[target]
            row[source] = row.get(source, 0.0) - share
    holders: dict[str, set[str]] = {k: set() for k in order}  # column → rows that hold it
    for key, row in rows.items():
        for column in row:
            if column != key:
                holders[column].add(key)

    done: set[str] = set()
    for pivot in order:
        pivot_row = rows[pivot]
        diagonal = pivot_row.get(pivot, 0.0)
        if abs(diagonal) < PIVOT_FLOOR:
            return None
        done.add(pivot)
        for key in list(holders[pivot]):
            if key in done:
                continue
            row = rows[key]
            factor = row.pop(pivot) / diagonal
            holders[pivot].discard(key)
            if factor == 0.0:
                continue
            for column, value in pivot_row.items():
                if column == pivot:
                    continue
                updated = row.get(column, 0.0) - factor * value
                row[column] = updated
                if column != key:
                    holders[column].add(key)
            rhs[key] -= factor * rhs[pivot]

    solution: dict[str, float] = {}
    for pivot in reversed(order):
        row = rows[pivot]
        total = rhs[pivot]
        for column, value in row.items():
            if column != pivot and column in solution:
                total -= value * solution[column]
        solution[pivot] = total / row[pivot]
    return solution
