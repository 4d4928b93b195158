"""`salesflow conform`: the chart against a stage history — simulated, hand-made, CRM-shaped and real."""

from __future__ import annotations

import csv
import datetime
import json
import math
import statistics
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CASES, SAMPLES, require, sample_paths
from salesflow.cli import cli

CHARTS = CASES / "analytics"

try:
    import duckdb  # noqa: F401

    HAVE_DUCKDB = True
except ImportError:
    HAVE_DUCKDB = False


@pytest.fixture(autouse=True)
def _needs_duckdb() -> None:
    require(HAVE_DUCKDB, "DuckDB (pip install 'salesflow[data]')")


def run(*arguments: str, input: str | None = None):
    return CliRunner().invoke(cli, list(arguments), input=input)


def conform_json(chart: Path, log: Path, *options: str) -> dict:
    result = run("conform", str(chart), str(log), "-f", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


# ---------------------------------------------------------------- a simulated log against its own chart


@pytest.mark.parametrize("chart, cases", [("branch.flow", 3000), ("loop.flow", 2000)])
def test_a_simulated_log_fits_its_own_chart_and_converts_at_the_charted_rates(tmp_path, chart, cases) -> None:
    log = tmp_path / "log.csv"
    assert run("simulate", str(CHARTS / chart), "--cases", str(cases), "--seed", "11", "-o", str(log)).exit_code == 0
    result = conform_json(CHARTS / chart, log)
    assert result["cases"] == cases
    assert result["fitness"]["cases"] == 1.0 and result["fitness"]["moves"] == 1.0
    assert result["deviations"] == [] and result["unmapped"] == []
    for conversion in result["conversions"]:
        n = conversion["moves"]
        for branch in conversion["branches"]:
            error = math.sqrt(branch["charted"] * (1 - branch["charted"]) / n)
            assert abs(branch["share"] - branch["charted"]) <= 4 * error, (conversion["at"], branch)


def test_simulated_stays_keep_to_the_documented_share_over_their_deadlines(tmp_path) -> None:
    log = tmp_path / "log.csv"
    run("simulate", str(CHARTS / "chain.flow"), "--cases", "3000", "--seed", "5", "-o", str(log))
    stages = {s["id"]: s for s in conform_json(CHARTS / "chain.flow", log)["stages"]}
    for node, due in (("A", 24), ("B", 48), ("C", 120)):
        assert stages[node]["due_hours"] == due
        assert stages[node]["p50_hours"] == pytest.approx(0.8 * due, rel=0.03)
        assert abs(stages[node]["breach_rate"] - 1 / 8) < 0.02  # triangular 40%–120%, mode 80%


def test_loops_are_counted_and_a_fail_under_threshold_gates(tmp_path) -> None:
    log = tmp_path / "log.csv"
    run("simulate", str(CHARTS / "loop.flow"), "--cases", "1000", "--seed", "3", "-o", str(log))
    result = conform_json(CHARTS / "loop.flow", log)
    (loop,) = result["loops"]
    assert (loop["from"], loop["to"]) == ("Agreed?", "Negotiate")
    # The loop repeats Negotiate with probability 1/4, so about a quarter of cases go round it.
    assert abs(loop["share_of_cases"] - 0.25) < 0.05
    assert run("conform", str(CHARTS / "loop.flow"), str(log), "--fail-under", "0.9").exit_code == 0
    # Against a chart without the loop, every case that went round fails.
    strict = write(tmp_path / "strict.flow", "flowchart TD\n  A([Lead]) --> B[Negotiate] --> Q{Agreed?}\n"
                                             "  Q -->|yes| D([Won])\n")
    gated = run("conform", str(strict), str(log), "--fail-under", "0.9")
    assert gated.exit_code == 1
    assert "below --fail-under 0.9" in gated.output


# ---------------------------------------------------------------- a hand-made log


HISTORY = """case,stage,time,who
c1,Lead,2026-01-01 09:00,Ann
c1,Qualify,2026-01-02 09:00,Ann
c1,Propose,2026-01-06 09:00,Bo
c1,Won,2026-01-20 09:00,Bo
c2,Lead,2026-01-01 10:00,Ann
c2,Propose,2026-01-03 10:00,Bo
c2,Propose,2026-01-03 10:00,Bo
c3,Qualify,2026-01-05 09:00,Ann
c3,Lead,2026-01-02 09:00,Ann
c3,Qualifyy,2026-01-07 09:00,Ann
c3,Won,2026-01-09 09:00,Ann
"""


def test_a_hand_made_log_is_judged_move_by_move(tmp_path) -> None:
    log = write(tmp_path / "h.csv", HISTORY)
    r = conform_json(CHARTS / "chain.flow", log, "--as-of", "2026-02-01", "--owner", "who")
    assert r["columns"] == {"case": "case", "stage": "stage", "time": "time", "owner": "who"}
    assert r["left_out"]["duplicates"] == 1  # c2's second Propose at the same moment
    assert r["out_of_order"] == 1  # c3's Lead is written after its Qualify
    assert r["unmapped"] == [{"name": "Qualifyy", "count": 1, "did_you_mean": "Qualify"}]
    # c1 follows the chart; c2 jumps from Lead to Propose; c3 (sorted by time) goes Qualify → Won.
    assert r["fitness"]["fitting_cases"] == 1 and r["cases"] == 3
    assert r["fitness"]["moves_total"] == 6 and r["fitness"]["fitting_moves"] == 4
    deviations = {(d["from"], d["to"]): d for d in r["deviations"]}
    assert deviations[("Lead", "Propose")]["skips"] == ["Qualify"]
    assert deviations[("Lead", "Propose")]["examples"] == ["c2"]
    assert deviations[("Qualify", "Won")]["skips"] == ["Propose"]
    assert {s["stage"]: s["count"] for s in r["skipped_stages"]} == {"Qualify": 1, "Propose": 1}
    stages = {s["id"]: s for s in r["stages"]}
    # c1 stays 24h in Lead (due 1d: on time), c2 48h (late), c3 72h (late).
    assert stages["A"]["stays"] == 3 and stages["A"]["breaches"] == 2
    assert stages["A"]["p50_hours"] == 48
    # c2 is still in Propose (due 5d) on 1 February: open past its deadline.
    assert r["open_past_deadline"]["total"] == 1
    assert r["open_past_deadline"]["stages"] == [{"stage": "Propose", "count": 1, "examples": ["c2"]}]
    owners = {o["owner"]: o for o in r["owners"]}
    assert (owners["Ann"]["stays"], owners["Bo"]["stays"]) == (5, 1)  # stays the case moved on from


def test_the_text_report_names_what_a_manager_acts_on(tmp_path) -> None:
    log = write(tmp_path / "h.csv", HISTORY)
    result = run("conform", str(CHARTS / "chain.flow"), str(log))
    assert result.exit_code == 0, result.output
    assert "Fitness: 33.3% of cases follow the chart (1 of 3); 66.7% of moves fit (4 of 6)" in result.output
    assert "Qualifyy: 1 record(s); did you mean `Qualify`?" in result.output
    assert "Lead → Propose: 1 time(s) in 1 case(s), e.g. c2; skips Qualify" in result.output


def test_crm_names_and_width_and_case_insensitive_labels_map_to_stages(tmp_path) -> None:
    log = write(tmp_path / "w.csv", "deal id,stage name,changed at\n"
                                    "1,ＱＵＡＬＩＦＩＣＡＴＩＯＮ,2024-01-01\n1,needs   analysis,2024-01-05\n"
                                    "1,Value Proposition,2024-01-09\n1,proposal/price quote,2024-01-12\n")
    r = conform_json(CHARTS / "crm-pipeline.flow", log)
    assert r["unmapped"] == [] and r["fitness"]["cases"] == 1.0
    assert r["left_out"]["same_stage_again"] == 1  # Needs Analysis, then Value Proposition: one stay in N


# ---------------------------------------------------------------- other inputs: Parquet, XES, stdin


def test_parquet_and_xes_logs_read_like_the_csv(tmp_path) -> None:
    csv_log = tmp_path / "log.csv"
    run("simulate", str(CHARTS / "branch.flow"), "--cases", "300", "--seed", "2", "-o", str(csv_log))
    expected = conform_json(CHARTS / "branch.flow", csv_log)
    parquet = tmp_path / "log.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT case_id, stage, CAST(timestamp AS TIMESTAMP) AS timestamp, owner "
                f"FROM read_csv('{csv_log}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)")
    xes = tmp_path / "log.xes"
    traces: dict[str, list] = {}
    with csv_log.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            traces.setdefault(row["case_id"], []).append(row)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" xmlns="http://www.xes-standard.org/">']
    for case, rows in traces.items():
        parts.append(f'<trace><string key="concept:name" value="{case}"/>')
        for row in rows:
            parts.append(f'<event><string key="concept:name" value="{row["stage"]}"/>'
                         f'<date key="time:timestamp" value="{row["timestamp"]}+00:00"/>'
                         f'<string key="org:resource" value="{row["owner"]}"/></event>')
        parts.append("</trace>")
    parts.append("</log>\n")
    xes.write_text("\n".join(parts), "utf-8")
    for other in (parquet, xes):
        got = conform_json(CHARTS / "branch.flow", other)
        for key in ("cases", "fitness", "conversions", "stages"):
            assert got[key] == expected[key], (other.suffix, key)


def test_an_xes_file_with_entities_is_refused(tmp_path) -> None:
    bomb = write(tmp_path / "bomb.xes", '<?xml version="1.0"?>\n<!DOCTYPE log [<!ENTITY a "aaaaaaaa">'
                                         '<!ENTITY b "&a;&a;&a;&a;">]>\n<log><trace>&b;</trace></log>\n')
    result = run("conform", str(CHARTS / "branch.flow"), str(bomb))
    assert result.exit_code == 2
    assert "bomb.xes: line 2: a DOCTYPE or entity declaration is not accepted" in result.output


def test_a_log_on_standard_input(tmp_path) -> None:
    result = run("conform", str(CHARTS / "chain.flow"), "-", "-f", "json", input=HISTORY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["cases"] == 3


# ---------------------------------------------------------------- bad logs


def test_a_missing_column_names_the_columns_found(tmp_path) -> None:
    log = write(tmp_path / "bad.csv", "deal,step name,when\n1,Lead,2026-01-01\n")
    result = run("conform", str(CHARTS / "chain.flow"), str(log))
    assert result.exit_code == 2
    assert result.output.strip() == (f"error: {log}: no case column; the columns are: deal, step name, when. "
                                     "Name it with --case")
    given = run("conform", str(CHARTS / "chain.flow"), str(log), "--case", "deal", "--stage", "step", "--time", "when")
    assert given.exit_code == 2 and "no stage column `step`; the columns are: deal, step name, when" in given.output
    ok = run("conform", str(CHARTS / "chain.flow"), str(log), "--case", "deal", "--stage", "step name", "--time", "when")
    assert ok.exit_code == 0, ok.output


def test_an_unreadable_time_gives_its_line(tmp_path) -> None:
    log = write(tmp_path / "t.csv", "case,stage,time\n1,Lead,2026-01-01\n1,Qualify,next tuesday\n2,Lead,soon\n")
    result = run("conform", str(CHARTS / "chain.flow"), str(log))
    assert result.exit_code == 2
    assert f"{log}: line 3: `next tuesday` is not a time" in result.output
    assert "1 more rows like it" in result.output
    assert "Traceback" not in result.output


def test_time_forms_crm_exports_use_all_read(tmp_path) -> None:
    log = write(tmp_path / "t.csv", "case,stage,time\n"
                                    "a,Lead,2026-01-05T09:00:00+08:00\na,Qualify,2026-01-05T02:00:00Z\n"
                                    "b,Lead,01/05/2026 09:00\nb,Qualify,01/06/2026 9:00 PM\n"
                                    "c,Lead,05.01.2026\nc,Qualify,1767744000\nd,Lead,1767571200000\nd,Qualify,\n")
    r = conform_json(CHARTS / "chain.flow", log)
    stays = {s["id"]: s for s in r["stages"]}
    # a: 01:00Z → 02:00Z is 1h; b: 36h; c: 2026-01-05 → 2026-01-07 00:00Z is 48h.
    assert stays["A"]["stays"] == 3
    assert sorted([1.0, 36.0, 48.0])[1] == stays["A"]["p50_hours"]
    assert r["left_out"]["without_time"] == 1


def test_no_half_written_report_when_the_log_is_bad(tmp_path) -> None:
    out = tmp_path / "report.json"
    log = write(tmp_path / "t.csv", "case,stage,time\n1,Lead,never\n")
    assert run("conform", str(CHARTS / "chain.flow"), str(log), "-f", "json", "-o", str(out)).exit_code == 2
    assert not out.exists()


# ---------------------------------------------------------------- CRM exports


@pytest.mark.parametrize("export, layout, cases, fitting, records", [
    ("salesforce-opportunityhistory.csv", "salesforce", 2, 1, 10),
    ("salesforce-opportunityfieldhistory.csv", "salesforce", 1, 0, 4),
    ("hubspot-deals.csv", "hubspot", 3, 2, 12),
    ("zoho-stage-history.csv", "zoho", 2, 1, 8),
])
def test_crm_exports_read_with_their_adapter(export, layout, cases, fitting, records) -> None:
    r = conform_json(CHARTS / "crm-pipeline.flow", CHARTS / export, "--format", layout)
    assert (r["cases"], r["fitness"]["fitting_cases"], r["records"]) == (cases, fitting, records)
    assert r["unmapped"] == []
    assert r["columns"]["owner"] is not None


def test_salesforce_history_keeps_its_stage_order_and_owner() -> None:
    r = conform_json(CHARTS / "crm-pipeline.flow", CHARTS / "salesforce-opportunityhistory.csv",
                     "--format", "salesforce")
    assert r["columns"] == {"case": "OPPORTUNITYID", "stage": "STAGENAME", "time": "CREATEDDATE", "owner": "CREATEDBYID"}
    deviations = {(d["from"], d["to"]): d["skips"] for d in r["deviations"]}
    assert deviations == {("Qualification", "Proposal"): ["Needs analysis"], ("Proposal", "Closed Lost"): ["Negotiation"]}


def test_salesforce_field_history_reads_only_stage_changes() -> None:
    r = conform_json(CHARTS / "crm-pipeline.flow", CHARTS / "salesforce-opportunityfieldhistory.csv",
                     "--format", "salesforce")
    assert r["columns"]["stage"] == "NEWVALUE"
    assert {(d["from"], d["to"]) for d in r["deviations"]} == {("Needs analysis", "Qualification"),
                                                              ("Qualification", "Closed Lost")}


def test_hubspot_wide_export_becomes_one_event_per_date_entered() -> None:
    r = conform_json(CHARTS / "crm-pipeline.flow", CHARTS / "hubspot-deals.csv", "--format", "hubspot")
    stages = {s["id"]: s for s in r["stages"]}
    # Acme: Appointment Scheduled 2024-03-01 09:00 → Qualified To Buy 2024-03-05 10:00 = 97h;
    # Globex: 03-04 08:30 → 03-11 09:00 = 168.5h; Initech: 03-10 14:00 → 03-14 16:00 = 98h.
    assert stages["P"]["stays"] == 3 and stages["P"]["p50_hours"] == 98
    assert r["open_past_deadline"]["stages"][0]["examples"] == ["9120345003"]


# ---------------------------------------------------------------- real data


REAL = CHARTS / "crm-sales-opportunities" / "sales_pipeline-every-20th.csv"


def real_history(tmp_path) -> tuple[Path, list[dict]]:
    """The public data set's rows as a stage history: Engaging at engage_date, Won/Lost at close_date."""
    with REAL.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    log = tmp_path / "history.csv"
    with log.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("opportunity_id", "deal_stage", "date", "sales_agent"))
        for row in rows:
            if row["engage_date"]:
                writer.writerow((row["opportunity_id"], "Engaging", row["engage_date"], row["sales_agent"]))
            if row["close_date"]:
                writer.writerow((row["opportunity_id"], row["deal_stage"], row["close_date"], row["sales_agent"]))
    return log, rows


def test_the_real_pipeline_follows_its_chart_and_its_won_share_is_measured(tmp_path) -> None:
    log, rows = real_history(tmp_path)
    r = conform_json(SAMPLES / "crm-sales-opportunities.flow", log, "--owner", "sales_agent")
    closed = [row for row in rows if row["deal_stage"] in ("Won", "Lost")]
    won = sum(row["deal_stage"] == "Won" for row in closed)
    assert r["fitness"]["cases"] == 1.0
    assert r["cases"] == sum(1 for row in rows if row["engage_date"])
    (conversion,) = r["conversions"]
    assert conversion["moves"] == len(closed)
    assert conversion["branches"][0]["share"] == pytest.approx(won / len(closed))
    # Time from engage to close against the chart's 3 months (plus the decision's workday).
    days = [(datetime.date.fromisoformat(row["close_date"]) - datetime.date.fromisoformat(row["engage_date"])).days
            for row in closed]
    engage = next(s for s in r["stages"] if s["id"] == "engage")
    assert engage["stays"] == len(closed)
    assert engage["p50_hours"] == pytest.approx(statistics.median(days) * 24)
    allowance = 90 * 24 + 33.6
    assert engage["breaches"] == sum(d * 24 > allowance for d in days)
    # Deals still engaging at the end of the data whose three months have run out.
    last = max(datetime.date.fromisoformat(row["close_date"]) for row in closed)
    stale = [row for row in rows if row["deal_stage"] == "Engaging"
             and (last - datetime.date.fromisoformat(row["engage_date"])).days > 90]
    assert r["open_past_deadline"]["total"] == len(stale)
    assert {o["owner"] for o in r["owners"]} == {row["sales_agent"] for row in rows if row["engage_date"]}


# ---------------------------------------------------------------- the HTML report


def test_the_html_report_draws_the_overlay_and_runs_nothing(tmp_path, dot) -> None:
    log = write(tmp_path / "h.csv", HISTORY.replace("Qualifyy", "<script>alert(1)</script>"))
    out = tmp_path / "report.html"
    result = run("conform", str(CHARTS / "chain.flow"), str(log), "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the unknown stage name, as text
    assert page.count("<svg") == 2  # the overlay and the time-per-stage bars
    assert "1× outside the chart" in page  # Lead → Propose and Qualify → Won, drawn as extra edges
    assert page.count('stroke="#b3261e" stroke-width') >= 2 and 'stroke-dasharray="5,2"' in page  # dashed red
    again = tmp_path / "again.html"
    run("conform", str(CHARTS / "chain.flow"), str(log), "-f", "html", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize("sample", sample_paths(), ids=lambda p: p.stem)
def test_the_html_report_runs_graphviz_once_for_the_drawing_it_shows(tmp_path, dot, monkeypatch, sample) -> None:
    from salesflow.analytics.report_html import overlay
    from salesflow.cli.analytics_common import report_language
    from salesflow.handbook.chart import chart
    from salesflow.handbook.render import process_title
    from salesflow.i18n import use
    from salesflow.parse import parse_file
    from salesflow.render import picture

    log = tmp_path / "log.csv"
    assert run("simulate", str(sample), "--cases", "60", "--seed", "2", "-o", str(log)).exit_code == 0
    result = conform_json(sample, log)
    graphviz_runs = []

    def drawing(args: tuple, options: dict) -> bool:
        # A drawing asked for, not one of the runs that draw its long links anew (render/reroute.py),
        # nor the layout that tells whether a flow down the page wraps (dot_bands._one_column_reads).
        return not (options.get("layout_first") or options.get("keep_positions")
                    or args[1] in (picture._LAID_OUT, picture.SIZE_ONLY))

    # Graphviz runs through either of these: given the whole DOT text, or the text as it is written.
    for name in ("run_graphviz", "stream_graphviz"):
        real_run = getattr(picture, name)
        monkeypatch.setattr(
            picture, name,
            lambda *a, _real=real_run, **k: (drawing(a, k) and graphviz_runs.append(a[0])) or _real(*a, **k),
        )
    out = tmp_path / "report.html"
    assert run("conform", str(sample), str(log), "-f", "html", "-o", str(out)).exit_code == 0
    assert len(graphviz_runs) == 1  # the report shows one drawing: no upright or phone drawing is made
    monkeypatch.undo()
    # The drawing is the handbook's chart of the same overlay (labelled in the report's language), to the byte.
    process = parse_file(str(sample))
    with use(report_language(process)):
        drawing = chart(overlay(process, result), process_title(process))
    assert drawing.markup in out.read_text("utf-8")


def test_an_empty_log_and_a_short_row_are_told_apart(tmp_path) -> None:
    empty = write(tmp_path / "empty.csv", "")
    result = run("conform", str(CHARTS / "chain.flow"), str(empty))
    assert result.exit_code == 2 and result.output.strip() == f"error: {empty}: the log is empty"
    short = write(tmp_path / "short.csv", "case_id,stage,timestamp\n1,Lead,2026-01-01\n2,Lead\n")
    r = conform_json(CHARTS / "chain.flow", short)
    assert r["records"] == 2 and r["left_out"]["without_time"] == 1
