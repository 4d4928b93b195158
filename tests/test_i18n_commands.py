"""The commands beyond lint, render, fmt and handbook speak the reader's language too: rules,
import, init, serve, analyze, simulate and conform — their help, their errors and their reports."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import SAMPLES, require
from test_i18n import HAN, english_left, salesflow

def _needs_duckdb() -> None:
    from importlib.util import find_spec

    require(find_spec("duckdb") is not None, "DuckDB (pip install 'salesflow[data]')")


COMMANDS = ("rules", "import", "init", "serve", "analyze", "simulate", "conform")


def _sentences(help_text: str) -> list[str]:
    """The English help's prose lines: four words or more, not an example command line."""
    lines = []
    for line in help_text.splitlines():
        text = line.strip()
        if text.startswith(("salesflow ", "-")) and "  " not in text or len(re.findall(r"[A-Za-z]{2,}", text)) < 4:
            continue
        lines.append(re.sub(r"^-\S+(?:, --\S+)?(?: [A-Z.\-\[\]|]+)?\s{2,}", "", text))  # the option's own help
    return lines


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_in_the_chosen_language(command: str) -> None:
    english = salesflow(command, "--help")
    chinese = salesflow("--lang", "zh", command, "--help")
    assert english.returncode == chinese.returncode == 0, chinese.stderr
    assert english.stdout.startswith("Usage:") and chinese.stdout.startswith("用法：")
    assert HAN.search(chinese.stdout) and not HAN.search(english.stdout.replace("待定", ""))
    # No sentence of the English help is left in the Chinese one (options and examples are code).
    prose = _sentences(english.stdout)
    assert len(prose) >= 3, english.stdout
    left = [line for line in prose if line[:40] in chinese.stdout]
    assert not left, left
    assert salesflow(command, "--help", env={"SALESFLOW_LANG": "zh"}).stdout == chinese.stdout


def test_rules_follows_the_language_of_every_message(tmp_path: Path) -> None:
    chinese = salesflow("--lang", "zh", "rules", "missing-owner")
    assert chinese.returncode == 0
    assert "为什么重要：" in chinese.stdout and "Why it matters" not in chinese.stdout
    (tmp_path / ".salesflow.toml").write_text('lang = "zh"\n', "utf-8")
    assert salesflow("rules", "missing-owner", cwd=tmp_path).stdout == chinese.stdout
    assert "为什么重要：" in salesflow("rules", "missing-owner", env={"LANG": "zh_CN.UTF-8"}).stdout
    # Its own --lang still decides for the documentation.
    assert "Why it matters:" in salesflow("--lang", "zh", "rules", "missing-owner", "--lang", "en").stdout
    assert "Why it matters:" in salesflow("rules", "missing-owner").stdout


CHART = "flowchart LR\n  A[Lead] --> B[Deal]\n"
LOG = "case_id,stage,timestamp,owner\nc1,Lead,2026-01-05 09:00,Ann\nc1,Deal,2026-01-06 09:00,Ann\n"


def _files(folder: Path) -> None:
    (folder / "x.flow").write_text(CHART, "utf-8")
    (folder / "log.csv").write_text(LOG, "utf-8")
    (folder / "bad-time.csv").write_text("case_id,stage,timestamp\nc1,Lead,tomorrow\n", "utf-8")
    (folder / "empty.csv").write_text("", "utf-8")
    (folder / "notes.txt").write_text("hello\n", "utf-8")
    (folder / "other.bpmn").write_text('<?xml version="1.0"?>\n<html xmlns="urn:x"/>\n', "utf-8")
    (folder / "broken.bpmn").write_text("<definitions>\n", "utf-8")
    (folder / "other.drawio").write_text("<html/>\n", "utf-8")
    (folder / "dtd.drawio").write_text('<!DOCTYPE x [<!ENTITY e "x">]>\n<mxfile/>\n', "utf-8")
    (folder / "taken.flow").write_text(CHART, "utf-8")


COMMAND_ERRORS = [
    (["rules", "no-such-rule"], "这条规则"),
    (["rules", "dead-end", "--lang", "fr"], "没有 `fr` 语言的规则说明"),
    (["import", "missing.bpmn"], "读不了这个文件"),  # then the system's reason, in the system's words
    (["import", "notes.txt"], "看不出这是什么文件"),
    (["import", "other.bpmn"], "这不是 BPMN 2.0 模型"),
    (["import", "broken.bpmn"], "不是格式正确的 XML"),
    (["import", "other.drawio"], "这不是 draw.io 图"),
    (["import", "dtd.drawio"], "不读 DTD"),
    (["init", "taken.flow"], "不会覆盖"),
    (["conform", "x.flow", "missing.csv"], "没有这个文件"),
    (["conform", "x.flow", "empty.csv"], "日志是空的"),
    (["conform", "x.flow", "bad-time.csv"], "不是时间"),
    (["conform", "x.flow", "log.csv", "--as-of", "tomorrow"], "不是日期或时间"),
    (["conform", "x.flow", "log.csv", "--stage", "Phase"], "没有 stage 列"),
]


@pytest.mark.parametrize("args, chinese", COMMAND_ERRORS, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_command_errors_are_worded_in_both_languages(tmp_path: Path, args: list, chinese: str) -> None:
    if args[0] == "conform":
        _needs_duckdb()
    _files(tmp_path)
    english = salesflow(*args, cwd=tmp_path)
    translated = salesflow("--lang", "zh", *args, cwd=tmp_path)
    assert english.returncode == translated.returncode == 2, (english.stderr, translated.stderr)
    assert chinese in translated.stderr, translated.stderr
    assert not HAN.search(english.stderr), english.stderr
    message = translated.stderr.strip().splitlines()[-1].replace(str(tmp_path), "")
    # What the message quotes stays as written: the system's reason (after the last colon), the file's columns.
    if args[1] in ("missing.bpmn", "broken.bpmn"):
        message = message.rsplit("：", 1)[0]
    message = message.replace("case_id, stage, timestamp, owner", "")
    assert not english_left(message), message


def test_the_import_report_is_in_the_chosen_language(tmp_path: Path) -> None:
    (tmp_path / "m.bpmn").write_text(
        '<?xml version="1.0"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">\n'
        '  <process id="p">\n'
        '    <startEvent id="s"/>\n'
        '    <serviceTask id="t" name="Send quote"/>\n'
        '    <endEvent id="e"/>\n'
        '    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>\n'
        '    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>\n'
        '  </process>\n'
        '</definitions>\n',
        "utf-8",
    )
    english = salesflow("import", "m.bpmn", cwd=tmp_path)
    chinese = salesflow("--lang", "zh", "import", "m.bpmn", cwd=tmp_path)
    assert english.returncode == chinese.returncode == 0
    assert english.stdout == chinese.stdout  # the chart itself is the file's, in its words
    assert "m.bpmn:5:5: note: bpmn:serviceTask t `Send quote`: read as a stage; the chart does not say" in english.stderr
    assert "m.bpmn:5:5: 提示：bpmn:serviceTask t `Send quote`：读作一个阶段；流程图不会注明" in chinese.stderr


def test_init_says_what_it_wrote_in_the_chosen_language(tmp_path: Path) -> None:
    chinese = salesflow("--lang", "zh", "init", "a.flow", cwd=tmp_path)
    assert chinese.returncode == 0 and chinese.stdout.startswith("已写出 a.flow")
    english = salesflow("init", "b.flow", cwd=tmp_path)
    assert english.returncode == 0 and english.stdout.startswith("wrote b.flow")


def test_analyze_reports_a_chinese_chart_in_chinese_unless_told() -> None:
    chart = str(SAMPLES / "classic-seven-stages.flow")
    chinese = salesflow("analyze", chart, "--leads", "100")
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.splitlines()[2].startswith("销售漏斗（各阶段预计到达数")
    assert "预计成交：" in chinese.stdout and "每条线索的周期：" in chinese.stdout
    for line in chinese.stdout.splitlines()[1:]:
        assert not english_left(line.replace("samples/", "")), line
    english = salesflow("--lang", "en", "analyze", chart, "--leads", "100")
    assert "Funnel (expected arrivals per stage" in english.stdout and "预计成交" not in english.stdout
    # An English chart stays English, whatever the environment says, as its handbook does.
    saas = salesflow("analyze", str(SAMPLES / "saas-funnel.flow"), env={"SALESFLOW_LANG": "zh"})
    assert "Expected wins:" in saas.stdout
    html = salesflow("analyze", chart, "--leads", "100", "-f", "html")
    assert '<html lang="zh-CN">' in html.stdout and "销售漏斗：" in html.stdout and "Workload per owner" not in html.stdout


def test_conform_reports_in_the_chosen_language(tmp_path: Path) -> None:
    _needs_duckdb()
    _files(tmp_path)
    english = salesflow("conform", "x.flow", "log.csv", cwd=tmp_path)
    chinese = salesflow("--lang", "zh", "conform", "x.flow", "log.csv", cwd=tmp_path)
    assert english.returncode == chinese.returncode == 0, chinese.stderr
    assert english.stdout.startswith("x.flow against log.csv") and "Fitness: 100.0% of cases" in english.stdout
    assert chinese.stdout.startswith("x.flow 对照 log.csv") and "吻合度：100.0% 的商机按流程图走" in chinese.stdout
    html = salesflow("--lang", "zh", "conform", "x.flow", "log.csv", "-f", "html", cwd=tmp_path).stdout
    assert '<html lang="zh-CN">' in html and "流程执行对照：" in html and "超时限不到 15%" in html


def test_the_studio_shows_findings_in_the_page_language(tmp_path: Path) -> None:
    from studio_server import Studio

    shutil.copy(SAMPLES / "classic-seven-stages.flow", tmp_path / "chart.flow")
    text = (tmp_path / "chart.flow").read_text("utf-8") + "  X[无人负责的阶段]\n"
    for lang in ("zh", "en"):
        studio = Studio(tmp_path, "--lang", lang)
        try:
            status, body = studio.request("POST", "/api/review", {"path": "chart.flow", "text": text})
            refused, refusal = studio.request("POST", "/api/review", {"path": "../outside.flow", "text": text})
        finally:
            studio.close()
        assert status == 200, body
        findings = json.loads(body)["findings"]
        assert findings, body
        for finding in findings:
            unquoted = re.sub(r"「[^」]*」|'[^']*'|`[^`]*`", "", finding["message"])  # labels, code: the chart's words
            if lang == "zh":
                assert HAN.search(unquoted) and not english_left(finding["message"]), finding
            else:
                assert not HAN.search(unquoted), finding
        assert refused == 403
        message = json.loads(refusal)["refused"]
        assert ("不是本工作台提供的文件" in message) == (lang == "zh"), message


def test_salesflow_lang_chooses_the_studio_page_language(tmp_path: Path) -> None:
    from conftest import ROOT
    from studio_server import require_serve_extra

    require_serve_extra()
    shutil.copy(SAMPLES / "saas-funnel.flow", tmp_path / "saas-funnel.flow")  # an English chart
    environment = {k: v for k, v in os.environ.items() if k != "SALESFLOW_LANG"}
    environment.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "salesflow", "--lang", "zh", "serve", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    try:
        line = process.stdout.readline()
        assert line.startswith("销售流程工作台："), line
        url = re.search(r"(http://\S+)", line).group(1)
        page = ""
        for _attempt in range(100):
            try:
                page = urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.1)
    finally:
        process.kill()
        process.communicate()
    settings = json.loads(re.search(r'id="studio-settings">(.*?)</script>', page, re.S).group(1))
    assert settings["lang"] == "zh" and settings["texts"]["save"] == "保存"
