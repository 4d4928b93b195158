"""`salesflow simulate`: a reproducible stage-history log that follows the documented model."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter, defaultdict

from click.testing import CliRunner

from conftest import CASES
from salesflow.cli import cli

CHARTS = CASES / "analytics"


def simulate(*arguments: str) -> str:
    result = CliRunner().invoke(cli, ["simulate", *arguments])
    assert result.exit_code == 0, result.output
    return result.output


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_same_seed_gives_the_same_log_and_another_seed_another() -> None:
    first = simulate(str(CHARTS / "branch.flow"), "--cases", "200", "--seed", "3")
    assert first == simulate(str(CHARTS / "branch.flow"), "--cases", "200", "--seed", "3")
    assert first != simulate(str(CHARTS / "branch.flow"), "--cases", "200", "--seed", "4")
    assert first.splitlines()[0] == "case_id,stage,timestamp,owner"


def test_decisions_are_not_recorded_and_branches_follow_the_rates() -> None:
    log = rows(simulate(str(CHARTS / "branch.flow"), "--cases", "4000", "--seed", "1"))
    assert {r["stage"] for r in log} == {"Lead", "Propose", "Lost", "Won", "Lost after proposal"}
    last = {}
    for r in log:
        last[r["case_id"]] = r["stage"]
    ends = Counter(last.values())
    assert len(last) == 4000
    # 30% are qualified (sd ≈ 0.7 points), 40% of those sign.
    assert abs(ends["Lost"] / 4000 - 0.70) < 0.03
    assert abs(ends["Won"] / 4000 - 0.12) < 0.02


def test_stays_are_triangular_between_40_and_120_percent_of_the_deadline() -> None:
    log = rows(simulate(str(CHARTS / "chain.flow"), "--cases", "2000", "--seed", "2"))
    by_case = defaultdict(list)
    for r in log:
        by_case[r["case_id"]].append((r["stage"], datetime.datetime.fromisoformat(r["timestamp"])))
    stays = defaultdict(list)
    for events in by_case.values():
        for (stage, entered), (_next, left) in zip(events, events[1:]):
            stays[stage].append((left - entered).total_seconds() / 3600)
    for stage, due in (("Lead", 24), ("Qualify", 48), ("Propose", 120)):
        values = stays[stage]
        assert len(values) == 2000
        assert min(values) >= 0.4 * due - 1 / 1800 and max(values) <= 1.2 * due + 1 / 1800
        assert abs(sum(values) / len(values) - 0.8 * due) < 0.02 * due
        late = sum(v > due for v in values) / len(values)
        assert abs(late - 1 / 8) < 0.025


def test_the_log_is_written_atomically_and_never_over_the_chart(tmp_path) -> None:
    chart = tmp_path / "chain.flow"
    chart.write_text((CHARTS / "chain.flow").read_text("utf-8"), "utf-8")
    result = CliRunner().invoke(cli, ["simulate", str(chart), "--cases", "5", "-o", str(chart)])
    assert result.exit_code == 2 and "refusing to overwrite an input file" in result.output
    out = tmp_path / "log.csv"
    assert CliRunner().invoke(cli, ["simulate", str(chart), "--cases", "5", "-o", str(out)]).exit_code == 0
    assert out.read_text("utf-8").count("\n") == 1 + 5 * 4
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".salesflow-")] == []


def test_conform_without_duckdb_says_which_extra_to_install(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "duckdb", None)  # as if it were not installed
    result = CliRunner().invoke(cli, ["conform", str(CHARTS / "chain.flow"), str(CHARTS / "chain.flow")])
    assert result.exit_code == 2
    assert result.output.strip() == "error: reading a stage-history log needs DuckDB: pip install 'salesflow[data]'"
