"""The training handbook without a browser: text safety, layout decisions, templates, CLI and PDF.

Browser checks (console, network, links, overflow, hostile charts, screenshots) are in
test_handbook_browser.py.
"""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, ROOT, corpus_paths, require_binary, sample_paths
from well_formed import assert_html

from salesflow.cli import cli
from salesflow.errors import ConfigError, RenderError
from salesflow.graph import ProcessGraph
from salesflow.handbook.messages import MESSAGES, choose_language, load_messages
from salesflow.handbook.paths import slowest_path
from salesflow.handbook.fit import printed_chart, screen_chart, smallest_window
from salesflow.handbook.render import handbook_date, render_html
from salesflow.handbook.svg import InlineSvg, inline_svg
from salesflow.handbook.text import css_counter_text, css_string, label_html, plain_label, safe_url
from salesflow.handbook.view import build, role_names
from salesflow.parse import parse_file, parse_text

HOSTILE = CASES / "handbook" / "hostile.flow"
ARTIFACTS = ROOT / "test-artifacts"
TEMPLATES = ROOT / "templates"
# A stand-in drawing for tests about the page around the chart (the chart has its own tests).
DRAWING = InlineSvg('<svg viewBox="0 0 100 50" role="img"><text x="5" y="20">chart</text></svg>', 100.0, 50.0)


def page(process, findings=(), **options) -> str:
    options.setdefault("date", "2026-05-01")
    return render_html(process, DRAWING, findings, **options)


class Page(html.parser.HTMLParser):
    """The parts of a handbook page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(self.text)


def assert_inert(text: str) -> Page:
    """Strict, well-formed HTML (see well_formed.py) with no script, no event handler, no link
    other than http(s), relative or in-page."""
    assert_html(text)
    parsed = Page(text)
    for tag, attributes in parsed.tags:
        assert tag not in ("script", "iframe", "object", "embed", "img", "foreignobject"), tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "xlink:href", "action"):
                assert value is None or safe_url(value) == value, (tag, name, value)
    return parsed


# ------------------------------------------------------------------ interface text


def test_every_language_has_every_message() -> None:
    keys = set(MESSAGES["en"])
    for lang, table in MESSAGES.items():
        assert set(table) == keys, lang


def test_templates_ask_only_for_messages_that_exist() -> None:
    used = set()
    for path in TEMPLATES.glob("handbook*"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_\-]+)["']\s*[,)]""", path.read_text("utf-8")))
    assert used, "no t(...) calls found"
    # Keys built from a value: t("kind_" ~ stage.kind), t("severity_" ~ name).
    from salesflow.findings import SEVERITIES

    used |= {f"kind_{k}" for k in ("start", "end", "decision", "task")} | {f"severity_{s}" for s in SEVERITIES}
    keys = set(load_messages()["en"])
    assert used <= keys, used - keys


def test_every_lint_rule_has_plain_words() -> None:
    from salesflow.lint.rules import all_rules

    tables = load_messages()
    for rule in all_rules():
        for lang in MESSAGES:
            assert tables[lang][f"rule_{rule.NAME}"] == rule.TITLE[lang], (lang, rule.NAME)
            assert tables[lang][f"fix_{rule.NAME}"] == rule.FIX[lang], (lang, rule.NAME)


@pytest.mark.parametrize(
    "requested, declared, text, expected",
    [
        (None, "zh", "Lead", "zh"),
        (None, "zh-CN", "Lead", "zh"),
        (None, "en", "线索收集", "en"),
        ("en", "zh", "线索", "en"),
        ("ZH_cn", None, "Lead", "zh"),
        (None, None, "潜在客户获取 客户需求分析", "zh"),
        (None, None, "Inbound lead", "en"),
        (None, "fr", "Lead", "en"),
    ],
)
def test_language_choice(requested, declared, text, expected) -> None:
    assert choose_language(requested, declared, text, MESSAGES) == expected


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ConfigError, match="speaks en, zh"):
        choose_language("fr", None, "", MESSAGES)


def test_template_folder_messages_change_wording_and_add_a_language(tmp_path: Path) -> None:
    (tmp_path / "messages.yaml").write_text("zh:\n  sec_health: 流程诊断\nja:\n  handbook: 研修ハンドブック\n", "utf-8")
    tables = load_messages(str(tmp_path))
    assert tables["zh"]["sec_health"] == "流程诊断"
    assert tables["ja"] == {"handbook": "研修ハンドブック"}
    process = parse_file(str(ROOT / "samples" / "annotated-ten-stages.flow"))
    text = page(process, template_dir=str(tmp_path))
    assert "流程诊断" in text
    japanese = page(process, template_dir=str(tmp_path), lang="ja")
    assert "研修ハンドブック" in japanese and "Process health" in japanese  # the rest falls back to English


def test_template_folder_messages_are_checked(tmp_path: Path) -> None:
    (tmp_path / "messages.yaml").write_text("zh:\n  no_such_key: x\n", "utf-8")
    with pytest.raises(ConfigError, match="no_such_key"):
        load_messages(str(tmp_path))


# ------------------------------------------------------------------ text safety


@pytest.mark.parametrize(
    "text, fmt, expected",
    [
        ("<script>alert(1)</script>", "text", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("需求分析<br>Needs analysis", "text", "需求分析<br>Needs analysis"),
        ("a<br/>b<BR />c", "text", "a<br>b<br>c"),
        ('客户说 #quot;太贵了#quot;', "text", "客户说 &#34;太贵了&#34;"),
        ("感谢支持 #9829;", "text", "感谢支持 ♥"),
        ("#lt;script#gt;", "text", "&lt;script&gt;"),
        ("#nosuchentity; #99999999;", "text", "#nosuchentity; #99999999;"),
        ("x #1; #65535; #133; #55296; y", "text", "x \ufffd \ufffd \u2026 #55296; y"),
        ("**重点客户** _soon_", "markdown", "<strong>重点客户</strong> <em>soon</em>"),
        ("**<img src=x onerror=alert(1)>**", "markdown", "<strong>&lt;img src=x onerror=alert(1)&gt;</strong>"),
        ("a_b_c **x", "markdown", "a_b_c **x"),
    ],
)
def test_label_html(text: str, fmt: str, expected: str) -> None:
    assert str(label_html(text, fmt)) == expected


def test_plain_label() -> None:
    assert plain_label("需求分析<br>Needs   analysis #35;1") == "需求分析 Needs analysis #1"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://crm.example.com/a?b=1", "https://crm.example.com/a?b=1"),
        ("HTTP://example.com", "HTTP://example.com"),
        ("docs/报价.html", "docs/报价.html"),
        ("#stage-1", "#stage-1"),
        ("?q=1", "?q=1"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        ("vbscript:msgbox(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("mailto:a@example.com", None),
        ("//evil.example/x", None),
        ("\\\\evil.example\\x", None),
        ("/\\evil.example", None),
        ("http:relative", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url, expected) -> None:
    assert safe_url(url) == expected


def test_css_strings_cannot_escape() -> None:
    for text in ['"; } body { display: none } "', "</style><script>alert(1)</script>", "a\\b\nc"]:
        quoted = str(css_string(text))
        inner = quoted[1:-1]
        assert '"' not in inner and "<" not in inner and "\n" not in inner and "}" not in inner
        assert not re.search(r"\\(?![0-9a-f]{6})", inner), quoted  # every backslash starts an escape
    assert str(css_counter_text("第 {page} 页，共 {pages} 页")) == '"第 " counter(page) " 页，共 " counter(pages) " 页"'


# ------------------------------------------------------------------ the chart SVG


GRAPHVIZ_LIKE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
 "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- A -->
<svg width="350pt" height="168pt" viewBox="0.00 0.00 350.00 168.00" xmlns="http://www.w3.org/2000/svg"
 xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">
<g id="graph0" class="graph" style="fill:url(http://evil.example/x)">
<title>&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>
<script>alert(2)</script>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
<image xlink:href="http://evil.example/x.png"/>
<a xlink:href="javascript:alert(3)" xlink:title="t"><text x="1" y="2" onclick="alert(4)">&lt;img src=x onerror=alert(5)&gt;</text></a>
<a xlink:href="https://example.com/ok" target="_blank"><text>ok</text></a>
<polygon fill="url(#grad)" points="1,2 3,4"/>
<use xlink:href="#graph0"/>
</g>
</svg>
"""


def test_inline_svg_keeps_only_drawing() -> None:
    result = inline_svg(GRAPHVIZ_LIKE, 'a "title" <b>')
    markup = result.markup
    assert (result.width_pt, result.height_pt) == (350.0, 168.0)
    assert markup.startswith('<svg viewBox="0.00 0.00 350.00 168.00" role="img" aria-label="a &quot;title&quot; &lt;b&gt;">')
    for gone in ("<script", "onload", "onclick", "foreignObject", "<image", "<use", "javascript:", "evil.example",
                 "<!--", "DOCTYPE", "<?xml", 'width="350pt"'):
        assert gone not in markup, gone
    assert "&lt;img src=x onerror=alert(5)&gt;" in markup
    assert "&lt;/svg&gt;&lt;script&gt;" in markup
    assert '<a href="https://example.com/ok" target="_blank">' in markup
    assert "<g><title>t</title>" in markup  # a refused link keeps its tooltip, as an SVG title
    assert 'id="chart-graph0"' in markup and 'fill="url(#chart-grad)"' in markup
    assert_inert(markup)


@pytest.mark.parametrize(
    "bad",
    [
        "not xml <",
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        '<html xmlns="http://www.w3.org/1999/xhtml"/>',
        '<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>',
    ],
)
def test_inline_svg_refuses_what_it_cannot_trust(bad: str) -> None:
    with pytest.raises(RenderError):
        inline_svg(bad)


def svg_of(width: float, height: float, font_pt: float = 9.0) -> str:
    """A drawing of that size in points whose smallest text is `font_pt`."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}pt" height="{height:g}pt" viewBox="0 0 {width:g} {height:g}">'
            f'<g id="a"><text font-size="{font_pt:g}">x</text><text font-size="14.00">y</text></g></svg>')


def drawn(width: float, height: float, font_pt: float = 9.0, upright: tuple[float, float] | None = None):
    import dataclasses

    drawing = inline_svg(svg_of(width, height, font_pt))
    if upright:
        drawing = dataclasses.replace(drawing, upright=inline_svg(svg_of(*upright, font_pt), id_prefix="chart-upright-"))
    return drawing


def test_the_smallest_text_of_a_drawing_is_measured() -> None:
    assert drawn(100, 50, 9.5).smallest_text_pt == 9.5
    assert inline_svg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text> </text><text>x</text></svg>').smallest_text_pt == 14


def test_printed_chart_parts_overlap_and_cover_the_whole_chart() -> None:
    # 3000 × 300 pt: whole on a landscape page it would print 9 pt text at 2.5 pt.
    layout = printed_chart(drawn(3000, 300))
    assert layout.view == 0 and layout.landscape is False and 2 <= len(layout.parts) <= 6
    assert all(part.landscape for part in layout.parts)
    boxes = [tuple(float(v) for v in re.search(r'viewBox="([^"]+)"', str(p.markup)).group(1).split()) for p in layout.parts]
    assert boxes[0][0] == 0 and boxes[-1][0] + boxes[-1][2] == pytest.approx(3000)
    for left, right in zip(boxes, boxes[1:]):
        assert right[0] < left[0] + left[2], "neighbouring parts overlap"
    # Each part prints its smallest text at 7 pt or more: its share of the chart, at its printed width.
    for box, part in zip(boxes, layout.parts):
        assert 9 * part.width_mm / (box[2] * 25.4 / 72) >= 7 - 0.01
    assert all(' id="' not in str(p.markup) for p in layout.parts)  # ids stay unique in the page
    readable = printed_chart(drawn(500, 400))
    assert readable.parts == () and readable.view == 1


def test_a_printed_part_draws_only_what_lies_in_its_stretch(dot) -> None:
    from salesflow.handbook.chart import chart

    process = parse_file(str(ROOT / "samples" / "annotated-ten-stages.flow"))
    drawing = chart(process, "chart")
    x0, y0, width, height = drawing.view_box
    # The whole view box: the whole drawing, as it always was.
    assert drawing.part(*drawing.view_box) == (
        f'<svg viewBox="{" ".join(f"{v:.2f}".rstrip("0").rstrip(".") for v in drawing.view_box)}" aria-hidden="true" '
        f'preserveAspectRatio="xMinYMin meet">{drawing.drawing}</svg>'
    )
    nodes = {  # each node's shapes in the whole drawing (Graphviz's own coordinates)
        name: body for name, body in re.findall(r'class="node[^"]*">\s*<title>([^<]*)</title>(.*?)(?=<g class="|$)', drawing.drawing, re.S)
    }
    assert len(nodes) == len(process.nodes)
    shift = [float(v) for v in re.search(r"translate\(([-0-9.]+) ([-0-9.]+)\)", drawing.drawing).groups()]
    # The chart runs down: a band across its top two fifths and one across its bottom two fifths.
    bands = [(y0, height * 0.4), (y0 + height * 0.6, height * 0.4)]
    shown = [set(re.findall(r'class="node[^"]*">\s*<title>([^<]*)</title>', drawing.part(x0, top, width, tall))) for top, tall in bands]
    assert shown[0] and shown[1] and not shown[0] & shown[1] and shown[0] | shown[1] < set(nodes)
    for (top, tall), names in zip(bands, shown):
        assert len(drawing.part(x0, top, width, tall)) < len(drawing.drawing) * 0.8
        for name, body in nodes.items():  # every node that reaches into the band is in it
            ys = [float(y) + shift[1] for y in re.findall(r"-?[0-9.]+,(-?[0-9.]+)", " ".join(re.findall(r' (?:points|d)="([^"]+)"', body)))]
            if min(ys) < top + tall and max(ys) > top:
                assert name in names, name


def test_printed_chart_fits_a4_with_text_at_7_pt_or_else_shows_the_column() -> None:
    tall = printed_chart(drawn(300, 700))  # a top-down chart: portrait, shrunk to the page height
    assert (tall.view, tall.landscape) == (1, False)
    scale = tall.width_mm / (300 * 25.4 / 72)
    assert scale * 700 * 25.4 / 72 <= 297 - 20 - 18 - 30 + 0.1 and 9 * scale >= 7
    wide = printed_chart(drawn(900, 300))  # a wide left-right chart: landscape
    assert wide.view == 1 and wide.landscape and wide.width_mm <= 297 - 32 + 0.1
    small = printed_chart(drawn(100, 50))  # never enlarged
    assert small.width_mm == round(100 * 25.4 / 72, 1) and not small.landscape
    # Too long for one page: its top-to-bottom drawing fits, and prints instead.
    flipped = printed_chart(drawn(1500, 200, upright=(400, 600)))
    assert flipped.view == 2 and not flipped.parts
    # Neither drawing fits, nor do a few parts: the column of stages prints.
    huge = printed_chart(drawn(9000, 1200, upright=(1400, 6000)))
    assert huge.column and huge.view == 0 and huge.parts == ()


def test_screen_shows_the_first_drawing_that_fits_at_11_px() -> None:
    # 9 pt text needs 11/9 CSS px per point.
    chart = screen_chart(drawn(600, 900))
    assert chart.widths_px == (pytest.approx(600 * 11 / 9, abs=0.1),)
    (view,) = chart.views
    assert (view.drawing, view.below_px) == (1, None) and view.from_px > 640  # too wide for a phone
    assert chart.column_below == view.from_px
    # A sideways chart: as written on wide screens, top to bottom on narrower ones, then the column.
    chart = screen_chart(drawn(700, 200, upright=(250, 800)))
    assert [(v.drawing, v.below_px) for v in chart.views] == [(1, None), (2, chart.views[0].from_px)]
    assert chart.column_below == chart.views[1].from_px < 390
    # Its upright drawing fits only a large monitor: the column on laptops and phones.
    chart = screen_chart(drawn(3000, 400, upright=(1200, 2000)))
    assert [(v.drawing, v.from_px) for v in chart.views] == [(2, 1630)] and chart.column_below == 1630
    # Too wide for any screen, and its upright drawing too: always the column.
    chart = screen_chart(drawn(3000, 400, upright=(2400, 3000)))
    assert chart.views == () and chart.column_below is None
    # Larger text is never shrunk to the bar, nor enlarged.
    assert screen_chart(drawn(100, 300, 12)).widths_px == (100,)


def test_smallest_window_leaves_room_for_the_page_around_the_chart() -> None:
    # A phone: gutter 6, section padding 16, frame 13 px a side.
    assert smallest_window(320) == 390 and smallest_window(321) == 391
    assert smallest_window(570) == 640
    # Wider windows: gutter 16, padding 44, frame 13 px a side, and room for a scrollbar.
    assert smallest_window(571) == 571 + 146 + 17
    assert smallest_window(1053) == 1053 + 146 + 17  # the page grows past its usual 1,040 px for it
    assert smallest_window(2397) == 2560 and smallest_window(2398) is None
    assert screen_chart(drawn(1053 * 9 / 11, 1000)).documents_px == (pytest.approx(1053 + 146, abs=0.1),)
    assert screen_chart(drawn(600, 1000)).documents_px == (None,)


# ------------------------------------------------------------------ what the handbook shows


def test_stages_follow_the_flow_with_owners_deadlines_and_connections() -> None:
    process = parse_file(str(ROOT / "samples" / "annotated-ten-stages.flow"))
    hb = build(process)
    assert [s.title for s in hb.stages][:4] == ["线索收集", "线索筛选", "线索是否合格?", "初次接触"]
    assert [s.kind for s in hb.stages][:3] == ["start", "task", "decision"]
    assert hb.stages[-1].kind == "end"
    decision = hb.stages[2]
    assert [(c.label, c.target.title) for c in decision.outgoing] == [("是", "初次接触"), ("否，退回培育", "线索培育")]
    first = hb.stages[0]
    assert [(c.source.title, c.label) for c in first.incoming] == [("售后服务", "客户反馈/转介绍")]
    assert [r.name for r in hb.roles] == list(process.roles)


def test_handovers_are_owner_changes_with_their_notes() -> None:
    process = parse_file(str(ROOT / "samples" / "annotated-ten-stages.flow"))
    hb = build(process)
    pairs = [(c.source.owner, c.target.owner, c.note) for c in hb.handovers]
    assert ("销售开发代表", "客户经理", "移交商机卡和约访记录") in pairs
    assert all(a != b for a, b, _ in pairs)
    assert not build(parse_file(str(ROOT / "samples" / "classic-seven-stages.flow"))).handovers


def test_a_decisions_answer_is_not_what_a_handover_carries() -> None:
    process = parse_text(
        "flowchart TD\n  B[迎宾接待] -->|顾客需求| C{顾客是否购买?}\n  C -->|是| D[收银结账]\n"
        "  C h1@-->|否| E[登记回访]\n  h1@{ note: 顾客电话 }\n"
        "  B@{ owner: 导购 }\n  C@{ owner: 店长 }\n  D@{ owner: 收银员 }\n  E@{ owner: 客服 }\n",
        "shop.flow",
    )
    hb = build(process)
    carried = {(c.source.node.id, c.target.node.id): (c.handed_over, c.note) for c in hb.handovers}
    assert carried == {("B", "C"): ("顾客需求", None), ("C", "D"): (None, None), ("C", "E"): (None, "顾客电话")}
    table = page(process).split('class="table handovers', 1)[1].split("</table>", 1)[0]
    rows = [Page(row).all_text.split() for row in table.split("<tr>")[2:]]
    # From, to, what is passed on, note: the answers 是 and 否 are in neither of the last two.
    assert [row[-2:] for row in rows] == [["顾客需求", "—"], ["—", "—"], ["—", "顾客电话"]]


def test_role_view_lists_what_it_receives_and_hands_over() -> None:
    process = parse_file(str(ROOT / "samples" / "b2b-lanes.flow"))
    hb = build(process, role="销售部")
    assert hb.role is not None and [r.name for r in hb.roles] == ["销售部"]
    assert {s.owner for s in hb.stages} == {"销售部"}
    assert {c.source.owner for c in hb.role.receives} >= {"市场部"}
    assert all(c.target.owner != "销售部" for c in hb.role.hands_over)
    assert all("销售部" in (c.source.owner, c.target.owner) for c in hb.handovers)
    assert "财务/法务" not in role_names(process)  # a lane whose stages all name their own owner


def test_stages_without_owner_form_their_own_group() -> None:
    hb = build(parse_file(str(ROOT / "samples" / "classic-seven-stages.flow")))
    assert [r.name for r in hb.roles] == [None]
    assert len(hb.roles[0].stages) == 7 and hb.unowned == 7


def test_slowest_path_matches_the_cycle_time_rule() -> None:
    from salesflow.lint import lint

    for path in sample_paths():
        process = parse_file(str(path))
        graph = ProcessGraph(process)
        found = slowest_path(graph)
        assert found is not None
        assert found.nodes[0] in graph.starts
        hours = {n.id: (n.due.hours if n.due else 0.0) for n in process.nodes}
        ends = [e for e in graph.ends if e in graph.reachable] or None
        total, _ = graph.longest_path(hours.__getitem__, graph.starts, ends)
        assert found.hours == pytest.approx(total), path.name
        over = [f for f in lint(process) if f.rule == "cycle-time-over-target"]
        assert bool(over) == (process.target is not None and found.hours > process.target.hours + 1e-6)


def test_slowest_path_of_a_chart_without_deadlines_reaches_the_end() -> None:
    found = slowest_path(ProcessGraph(parse_file(str(ROOT / "samples" / "classic-seven-stages.flow"))))
    assert found is not None and len(found.nodes) == 7 and len(found.missing) == 7 and found.hours == 0


def test_findings_are_grouped_by_rule_most_severe_first() -> None:
    from salesflow.lint import lint

    process = parse_file(str(ROOT / "samples" / "classic-seven-stages.flow"))
    hb = build(process, lint(process))
    severities = [g.severity for g in hb.health.groups]
    assert severities == sorted(severities, key=("error", "warning", "info").index)
    owners = next(g for g in hb.health.groups if g.rule == "missing-owner")
    assert [s.number for s in owners.stages] == list(range(1, 8))


# ------------------------------------------------------------------ the page


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("sample", sample_paths(), ids=lambda p: p.stem)
def test_every_sample_renders_inert_with_working_anchors(sample: Path, lang: str) -> None:
    from salesflow.lint import lint

    process = parse_file(str(sample))
    text = page(process, lint(process), lang=lang)
    parsed = assert_inert(text)
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate ids"
    for _tag, attributes in parsed.tags:
        href = attributes.get("href")
        if href and href.startswith("#"):
            assert href[1:] in parsed.ids, href
    body = parsed.all_text
    for node in process.nodes:
        assert plain_label(node.label) in body
        if node.owner:
            assert node.owner in body
    assert ('lang="zh-CN"' if lang == "zh" else 'lang="en"') in text
    assert "http://" not in text.replace("http://www.w3.org", "")  # nothing to fetch


def test_interface_follows_the_front_matter_language() -> None:
    saas = page(parse_file(str(ROOT / "samples" / "saas-funnel.flow")))
    assert "Process health" in saas and "流程体检" not in saas
    annotated = page(parse_file(str(ROOT / "samples" / "annotated-ten-stages.flow")))
    assert "流程体检" in annotated


def test_untitled_process_takes_its_accessible_title() -> None:
    text = page(parse_text("flowchart LR\n  accTitle: 报价审批\n  A[报价] --> B[审批]\n"))
    assert "<title>报价审批 · 培训手册</title>" in text
    untitled = page(parse_text("flowchart LR\n  A[Quote] --> B[Approval]\n"))
    assert "<title>Untitled process · Training handbook</title>" in untitled


def test_rendering_is_deterministic() -> None:
    process = parse_file(str(ROOT / "samples" / "b2b-lanes.flow"))
    assert page(process) == page(process)


def test_hostile_chart_stays_text() -> None:
    process = parse_file(str(HOSTILE))
    text = page(process, lang="en")
    parsed = assert_inert(text)
    body = parsed.all_text
    for literal in ("<script>window.__pwned='label'</script>", "</svg><img src=x onerror=window.__pwned='svg'>",
                    "<img src=x onerror=window.__pwned='edge'>", "</style><script>window.__pwned='kpi'</script>",
                    "</textarea><script>window.__pwned='note'</script>", "<script>window.__pwned='entity'</script>",
                    "<b onmouseover=window.__pwned=1>销售部</b>"):
        assert literal in body, literal
    hrefs = [a.get("href") for tag, a in parsed.tags if tag == "a"]
    assert "https://example.com/after-sales?a=1&b=<x>" in hrefs
    assert not any("script" in (h or "").lower() or (h or "").startswith("data:") for h in hrefs)
    # The page title, the cover and the running header carry the hostile title as text.
    assert "<title>&lt;script&gt;" in text


def test_report_when_the_template_folder_is_broken(tmp_path: Path) -> None:
    (tmp_path / "handbook-brand.html.j2").write_text("{{ no_such_value }}", "utf-8")
    with pytest.raises(ConfigError, match="no_such_value"):
        page(parse_file(str(ROOT / "samples" / "saas-funnel.flow")), template_dir=str(tmp_path))
    (tmp_path / "handbook-brand.html.j2").write_text("{% if %}", "utf-8")
    with pytest.raises(ConfigError, match="handbook-brand.html.j2:1"):
        page(parse_file(str(ROOT / "samples" / "saas-funnel.flow")), template_dir=str(tmp_path))


def test_template_folder_overrides_one_template(tmp_path: Path) -> None:
    (tmp_path / "handbook-brand.html.j2").write_text('<p class="logo">ACME {{ process_title }}</p>', "utf-8")
    (tmp_path / "handbook-theme.css").write_text(":root { --accent: #c00000; }", "utf-8")
    process = parse_file(str(HOSTILE))
    text = page(process, template_dir=str(tmp_path))
    assert '<p class="logo">ACME &lt;script&gt;' in text  # user templates autoescape too
    assert "--accent: #c00000" in text and "--accent: #1f5f99" not in text
    assert "handbook-stages" not in text and 'class="card' in text  # the rest still comes from the package


def test_date_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    assert handbook_date("2026-02-03") == "2026-02-03"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert handbook_date() == "2026-01-01"
    with pytest.raises(ConfigError):
        handbook_date("03/02/2026")


def test_package_templates_load_without_the_checkout() -> None:
    """The loader reads salesflow.templates through importlib.resources, not a path into the source tree."""
    from salesflow.handbook.environment import _PackageLoader

    loader = _PackageLoader()
    names = loader.list_templates()
    assert "handbook.html.j2" in names and "handbook.css" in names
    shipped = {p.name for p in TEMPLATES.iterdir() if p.name.startswith("handbook")}
    assert shipped <= set(names)
    # setup.cfg ships *.j2, *.css and *.html from templates/: every handbook template must match.
    assert all(name.endswith((".j2", ".css", ".html")) for name in shipped)


# ------------------------------------------------------------------ command line


def run_cli(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_cli_writes_html_and_pdf(tmp_path: Path, weasyprint, dot) -> None:
    out, pdf = tmp_path / "h.html", tmp_path / "h.pdf"
    result = run_cli("handbook", str(ROOT / "samples" / "saas-funnel.flow"), "-o", str(out), "--pdf", str(pdf),
                     "--date", "2026-05-01")
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".salesflow-")]  # no temporary files left
    # Made alone, the PDF skips the drawings only screens show: it is the same to the byte.
    alone = tmp_path / "alone.pdf"
    result = run_cli("handbook", str(ROOT / "samples" / "saas-funnel.flow"), "--pdf", str(alone), "--date", "2026-05-01")
    assert result.exit_code == 0, result.output
    assert alone.read_bytes() == pdf.read_bytes()


@pytest.mark.usefixtures("dot")
def test_cli_html_to_stdout_and_from_stdin() -> None:
    text = (ROOT / "samples" / "classic-seven-stages.flow").read_text("utf-8")
    result = run_cli("handbook", "-", "--lang", "en", "--date", "2026-05-01", input=text)
    assert result.exit_code == 0, result.output
    assert "潜在客户获取" in result.output and "Process health" in result.output


@pytest.mark.usefixtures("dot")
def test_cli_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    source = tmp_path / "p.flow"
    shutil.copy(ROOT / "samples" / "saas-funnel.flow", source)
    result = run_cli("handbook", str(source), "-o", str(source))
    assert result.exit_code == 2 and "refusing to overwrite" in result.output
    assert source.read_text("utf-8") == (ROOT / "samples" / "saas-funnel.flow").read_text("utf-8")


def test_cli_suggests_a_role() -> None:
    result = run_cli("handbook", str(ROOT / "samples" / "b2b-lanes.flow"), "--role", "销售")
    assert result.exit_code == 2
    assert "did you mean `销售部`" in result.output and "Traceback" not in result.output


@pytest.mark.usefixtures("dot")
def test_cli_role_handout(tmp_path: Path) -> None:
    out = tmp_path / "sales.html"
    result = run_cli("handbook", str(ROOT / "samples" / "b2b-lanes.flow"), "--role", "销售部", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "你的职责" in text and "销售部 岗位手册" in text
    assert 'id="stage-' in text and "商机确认" in text
    cards = re.findall(r'<article class="card[^"]*" id="(stage-\d+)"', text)
    hb = build(parse_file(str(ROOT / "samples" / "b2b-lanes.flow")), role="销售部")
    assert cards == [s.anchor for s in hb.stages]


@pytest.mark.usefixtures("dot")
def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    for args in (["--lang", "xx"], ["--template-dir", str(tmp_path / "missing")], ["--date", "tomorrow"]):
        result = run_cli("handbook", str(ROOT / "samples" / "saas-funnel.flow"), "-o", str(tmp_path / "x.html"), *args)
        assert result.exit_code == 2, args
        assert result.output.startswith("error: ") and "Traceback" not in result.output, result.output
    result = run_cli("handbook", str(ROOT / "samples" / "process-in-docs.md"))
    assert result.exit_code == 2 and "--block" in result.output
    result = run_cli("handbook", str(ROOT / "samples" / "process-in-docs.md"), "--block", "2", "--lang", "en")
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("dot")
@pytest.mark.parametrize(
    "template",
    [
        '{{ cycler.__init__.__globals__.os.popen("echo pwned > PWNED").read() }}',
        '{{ lipsum.__globals__["os"].system("echo pwned > PWNED") }}',
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ t.__call__.__globals__ }}",
        "{{ hb.stages.append(1) }}",
        "{% set _ = sections.pop() %}",
    ],
)
def test_template_folder_runs_in_a_sandbox(template: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "handbook-brand.html.j2").write_text(template, "utf-8")
    out = tmp_path / "h.html"
    result = run_cli("handbook", str(ROOT / "samples" / "saas-funnel.flow"), "--template-dir", str(tmp_path),
                     "-o", str(out))
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: template refused: ") and result.output.count("\n") == 1, result.output
    assert "sandbox" in result.output
    assert not (tmp_path / "PWNED").exists() and not out.exists()


@pytest.mark.usefixtures("dot")
def test_template_folder_may_read_loop_and_filter(tmp_path: Path) -> None:
    (tmp_path / "handbook-brand.html.j2").write_text(
        '<ol class="mine">{% for stage in hb.stages %}<li>{{ stage.node.label | plain }}'
        '{% if stage.node.owner %} ({{ stage.node.owner }}){% endif %}</li>{% endfor %}</ol>'
        "<p>{{ t('handbook') | upper }} {{ 0.25 | percent }}</p>", "utf-8")
    out = tmp_path / "h.html"
    result = run_cli("handbook", str(ROOT / "samples" / "saas-funnel.flow"), "--template-dir", str(tmp_path),
                     "-o", str(out), "--lang", "en", "--date", "2026-05-01")
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert_html(text)
    mine = re.search(r'<ol class="mine">(.*?)</ol>', text).group(1)
    process = parse_file(str(ROOT / "samples" / "saas-funnel.flow"))
    assert mine.count("<li>") == len(process.nodes)
    assert "TRAINING HANDBOOK 25%" in text


# ------------------------------------------------------------------ PDF


@pytest.fixture(scope="module")
def annotated_pdf(tmp_path_factory: pytest.TempPathFactory, weasyprint, dot) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "handbook.pdf"
    result = run_cli("handbook", str(ROOT / "samples" / "annotated-ten-stages.flow"), "--pdf", str(out),
                     "--date", "2026-05-01")
    assert result.exit_code == 0, result.output
    return out


def test_pdf_text_has_every_stage_and_owner(annotated_pdf: Path) -> None:
    pdftotext = require_binary("pdftotext")
    text = subprocess.run([pdftotext, "-layout", str(annotated_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    process = parse_file(str(ROOT / "samples" / "annotated-ten-stages.flow"))
    squeezed = re.sub(r"\s+", "", text)
    for node in process.nodes:
        assert re.sub(r"\s+", "", plain_label(node.label)) in squeezed, node.label
        assert node.owner and node.owner in squeezed, node.owner
    # Running header (the title) and footer (page x of y) on inner pages.
    pages = text.split("\f")
    assert pages[1].count("大客户销售流程（十阶段）") >= 1
    assert re.search(r"第 2 页，共 \d+ 页", pages[1])


def _margins_blank(png: Path) -> bool:
    """Whether the left and right page margins of a rendered page are blank (nothing was cut off there)."""
    from PIL import Image

    image = Image.open(png).convert("L")
    width, height = image.size
    strip = int(width * 12 / (297 if width > height else 210))  # 12 mm of the 16 mm side margins
    for box in ((0, 0, strip, height), (width - strip, 0, width, height)):
        if image.crop(box).getextrema()[0] < 250:
            return False
    return True


@pytest.mark.parametrize("sample", ["annotated-ten-stages", "saas-funnel", "b2b-lanes"])
def test_pdf_pages_cut_nothing_off(sample: str, tmp_path: Path, weasyprint, dot) -> None:
    """Charts (whole, landscape or in parts), cards and tables all stay inside the page margins."""
    pdftoppm = require_binary("pdftoppm")
    pdftotext = require_binary("pdftotext")
    out = tmp_path / "h.pdf"
    result = run_cli("handbook", str(ROOT / "samples" / f"{sample}.flow"), "--pdf", str(out), "--date", "2026-05-01")
    assert result.exit_code == 0, result.output
    subprocess.run([pdftoppm, "-r", "30", "-png", str(out), str(tmp_path / "p")], check=True)
    for png in sorted(tmp_path.glob("p-*.png")):
        assert _margins_blank(png), png.name
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    if sample == "saas-funnel":  # a long flow, drawn wrapped into rows (about 2:1): it prints whole
        assert "Process chart, part 1 of" not in text and "Made with salesflow" in text


def test_pdf_of_a_hostile_chart_shows_its_text(tmp_path: Path, weasyprint, dot) -> None:
    pdftotext = require_binary("pdftotext")
    brand = tmp_path / "templates"
    brand.mkdir()
    # An inline logo is the one thing a template folder may embed; remote images are never fetched.
    (brand / "handbook-brand.html.j2").write_text(
        '<img alt="logo" src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCIvPg==">'
        '<img alt="remote" src="https://example.com/logo.png">', "utf-8")
    out = tmp_path / "h.pdf"
    result = run_cli("handbook", str(HOSTILE), "--pdf", str(out), "--template-dir", str(brand))
    assert result.exit_code == 0, result.output
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>window.__pwned='label'</script>" in text
    assert "</style><script>window.__pwned='kpi'</script>" in re.sub(r"\s*\n\s*", "", text)


def _pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to search for link and date entries."""
    import zlib

    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def test_pdf_is_the_same_wherever_and_whenever_it_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weasyprint, dot
) -> None:
    """Relative links stay relative (no `file:///<folder>/…`), the date is UTC: the same bytes from
    any folder and any time zone. UTC+14 and UTC−12 are 26 hours apart, so their dates always differ."""
    import time

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    chart = tmp_path / "links.flow"
    chart.write_text('flowchart LR\n  A[报价] --> B[签约]\n  click A "docs/报价单.html"\n'
                     '  click B "../../../etc/passwd"\n', "utf-8")
    made = []
    for zone, folder in (("Etc/GMT-14", "one"), ("Etc/GMT+12", "two/deeper")):
        (tmp_path / folder).mkdir(parents=True)
        with monkeypatch.context() as local:
            local.chdir(tmp_path / folder)
            local.setenv("TZ", zone)
            time.tzset()
            result = run_cli("handbook", str(chart), "--pdf", "out.pdf", "--lang", "en")
        time.tzset()
        assert result.exit_code == 0, result.output
        made.append((tmp_path / folder / "out.pdf").read_bytes())
    assert made[0] == made[1]
    objects = _pdf_objects(made[0])
    links = set(re.findall(rb"/URI\s*\(([^)]*)\)", objects))
    assert links == {b"docs/%E6%8A%A5%E4%BB%B7%E5%8D%95.html", b"../../../etc/passwd"}, links  # 报价单, as a URI
    assert b"file:" not in objects


def test_pdf_pages_are_a4_and_rendered_for_review(annotated_pdf: Path) -> None:
    pdfinfo = require_binary("pdfinfo")
    info = subprocess.run([pdfinfo, str(annotated_pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    pdftoppm = require_binary("pdftoppm")
    target = ARTIFACTS / "handbook-pdf"
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("page-*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-r", "60", "-png", str(annotated_pdf), str(target / "page")], check=True)
    assert len(list(target.glob("page-*.png"))) >= 6  # cover, contents, and a page per section at least


def test_pdf_sets_chinese_in_the_simplified_chinese_face(annotated_pdf: Path) -> None:
    """The bar charts (inline SVG, which WeasyPrint does not style from the page's CSS) name the page's
    font too: without it their labels fell back to a Japanese face, whose glyphs differ for some
    characters, and the PDF carried one more CJK font."""
    pdffonts = require_binary("pdffonts")
    listing = subprocess.run([pdffonts, str(annotated_pdf)], capture_output=True, text=True, check=True).stdout
    faces = [line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:]]
    assert "Noto-Sans-CJK-SC" in faces, faces
    assert not [face for face in faces if "CJK" in face and "SC" not in face], faces


# ------------------------------------------------------------------ the chart in print: 7 pt or more

PRINT_CHARTS = [
    *sample_paths(), CASES / "handbook" / "long-lr-15.flow", CASES / "handbook" / "tall-td.flow", *corpus_paths(15)]


def chart_words_in_pdf(pdf: Path) -> list[tuple[float, str]]:
    """(size in pt, word) for every word on the pages of the chart section, read with
    `pdftotext -bbox`. Those pages carry the section's title in their running header, set in 8 pt,
    which gives the ratio of a word box's height to its font size."""
    import xml.etree.ElementTree as ET

    pdftotext = require_binary("pdftotext")
    xhtml = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    xhtml = re.sub(r"<!DOCTYPE[^>]*>", "", xhtml).replace(' xmlns="http://www.w3.org/1999/xhtml"', "")
    words, header_heights = [], []
    for page in ET.fromstring(xhtml).iter("page"):
        boxes = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("yMax")), w.text or "") for w in page.iter("word")]
        header = [b for b in boxes if b[1] < 40]
        header_heights += [b[2] - b[1] for b in header]
        title = "".join(b[3] for b in header if b[0] > float(page.get("width")) / 2)
        if title not in ("流程图", "Processchart"):
            continue
        footer_top = float(page.get("height")) - 45
        # Words with a letter, digit or ideograph: arrows and dots come from fallback fonts of other proportions.
        words += [(b[2] - b[1], b[3]) for b in boxes if 40 < b[1] < footer_top and any(c.isalnum() for c in b[3])]
    ratio = min(header_heights) / 8.0
    return [(round(height / ratio, 2), text) for height, text in words]  # in reading order


@pytest.mark.parametrize("source", PRINT_CHARTS, ids=[p.stem for p in PRINT_CHARTS])
def test_printed_chart_text_is_at_least_7_pt(source: Path, tmp_path: Path, weasyprint) -> None:
    out = tmp_path / "handbook.pdf"
    result = run_cli("handbook", str(source), "--pdf", str(out), "--date", "2026-05-01")
    assert result.exit_code == 0, result.output
    words = chart_words_in_pdf(out)
    process = parse_file(str(source))
    printed = "".join(text for _size, text in words)
    for node in process.nodes:  # the whole chart is on those pages, one way or another
        for word in plain_label(node.label).split():
            assert word in printed or not any(c.isalnum() for c in word), node.label
    assert min(words)[0] >= 7 - 0.05, sorted(words)[:5]


def test_role_view_marks_the_roles_stages_in_the_drawing() -> None:
    from salesflow.handbook.chart import chart
    from salesflow.handbook.svg import MARK_STROKE

    process = parse_file(str(ROOT / "samples" / "b2b-lanes.flow"))
    drawing = chart(process, "B2B", role="销售部")
    for svg in (drawing.markup, drawing.upright.markup, drawing.narrow.markup):
        nodes = re.findall(r'class="node[^"]*">\s*<title>([^<]*)</title>(.*?)(?=class="node|</svg>)', svg, re.S)
        marked = sorted(name for name, body in nodes if f'stroke="{MARK_STROKE}"' in body)
        assert marked == sorted(n.id for n in process.nodes if n.owner == "销售部") == ["S1", "S2", "S3", "S6"]
    assert MARK_STROKE not in chart(process, "B2B").markup


# ------------------------------------------------------------------ what the PDF is laid out from
DRAWN, WHOLE = 'class="chart-frame chart-drawing chart-drawing-1"', 'class="chart-whole"'


@pytest.mark.parametrize(
    "sample, printed, left_out",
    [
        # Printed in enlarged parts: neither whole drawing nor the column reaches the PDF.
        ("annotated-ten-stages", ['class="chart-part first"'], [DRAWN, WHOLE]),
        # Printed as the drawing itself: it stays; the column's copy of the drawing does not.
        ("classic-seven-stages", [DRAWN], [WHOLE]),
        # Printed as the column of stages: it stays, without its screen-only whole drawing.
        ("saas-funnel", ['class="chart-column"', 'class="flow-column"'], [DRAWN, WHOLE]),
    ],
)
def test_the_pdf_is_laid_out_without_what_print_hides(sample: str, printed: list, left_out: list) -> None:
    from salesflow.handbook.chart import chart
    from salesflow.handbook.pdf import print_markup
    from salesflow.handbook.render import process_title

    process = parse_file(str(ROOT / "samples" / f"{sample}.flow"))
    html = render_html(process, chart(process, process_title(process)), date="2026-05-01")
    printable = print_markup(html)
    for marker in printed:
        assert marker in html and marker in printable, marker
    for marker in left_out:
        assert marker in html and marker not in printable, marker
    assert "<!--screen-only-->" not in printable and "<!--/screen-only-->" not in printable
    # Each stage card keeps its print form (and its anchor) and loses the screen's.
    for marker in ('class="card-head"', 'class="card-meta"', 'class="card-flow"'):
        assert marker in html and marker not in printable, marker
    assert len(re.findall(r'class="print-only card-print-title[" ]', printable)) == html.count('<article class="card') > 0
    assert re.findall(r'<article class="card[^>]*>', printable) == re.findall(r'<article class="card[^>]*>', html)
    # What WeasyPrint gets has no element around a plain card or a step of the column, and every
    # card's and step's id is still there, once, for the links and the contents' page numbers.
    from salesflow.handbook.pdf import without_print_wrappers

    flat = without_print_wrappers(printable)
    ids = re.findall(r' id="((?:stage|flow)-\d+)"', printable)
    assert ids and sorted(re.findall(r' id="((?:stage|flow)-\d+)"', flat)) == sorted(ids)
    assert "<!--print-flat-->" not in flat and '<li class="flow-step' not in flat
    assert flat.count('<article class="card') == html.count('<article class="card') - html.count(' card-in-parts"')
    # The contents' stage entries reach WeasyPrint as their links alone, one for each card.
    contents, printed_contents = (text[text.index('<nav class="toc"'):text.index("</nav>")] for text in (html, flat))
    stage_links = re.findall(r'<a href="#stage-\d+">', contents)
    assert len(stage_links) == html.count('<article class="card') and "<li><!--print-flat-->" in contents
    assert re.findall(r'<a href="#stage-\d+">', printed_contents) == stage_links
    assert not re.search(r'<li><a href="#stage-', printed_contents) and "<!--print-flat-->" not in printed_contents
    # A role's hand-overs print as lines, not as the screen's lists.
    assert 'class="handover-list"' not in printable
    assert printable.count('class="print-only role-print-lines"') == html.count('class="print-only role-print-lines"')
    if sample == "annotated-ten-stages":
        assert 'class="handover-list"' in html and 'class="print-only role-print-lines"' in printable
    # The hand-over and deadline tables print as lines (see the tests below); after them only the
    # bar charts' drawings for screens are left out (their print form is in the page beside them).
    if "table handovers" in html:
        assert 'class="table handovers' not in printable
        assert printable.count('class="print-only table-print-lines"') == html.count('class="print-only table-print-lines"')
    deadlines = html.index('<section class="section section-deadlines"')
    assert 'class="table deadlines' in html and 'class="table deadlines' not in printable
    after_deadlines = html[html.index("</section>", deadlines):]
    screen_bars = re.compile(r'<!--screen-only--><div class="bars-screen">.*?</div><!--/screen-only-->', re.S)
    assert ('class="section section-numbers"' in html) == bool(screen_bars.search(after_deadlines))
    assert 'class="bars-screen"' not in printable
    assert printable.endswith(screen_bars.sub("", after_deadlines))
    assert_html(printable)


def test_the_printed_stage_card_says_all_the_screen_card_says() -> None:
    from salesflow.handbook.pdf import print_markup

    process = parse_text(
        "graph TD\n"
        "  A([客户来电]) --> B{预算是否确认?}\n"
        "  B -->|是| C[报价]\n"
        "  B --> D[线索培育]\n"
        "  D e1@--> A\n"
        "  e1@{ rate: 30%, note: 三个月后回访 }\n"
        "  click C \"https://crm.example.com/quote\" \"报价模板\"\n"
        "  A@{ owner: 市场专员, due: 1天 }\n"
        "  B@{ owner: 销售经理, due: 2个工作日, note: 与财务确认 }\n"
        "  C@{ owner: 销售经理, due: 尽快, steps: [填写报价单, 经理审批], checks: [折扣在权限内],"
        " resources: [报价模板库], kpi: [报价周期不超过3天] }\n"
        "  D@{ due: 1周, kind: end }\n"
    )
    printable = print_markup(page(process))
    cards = dict(re.findall(r'<article class="card[^"]*" id="(stage-\d+)"[^>]*>(.*?)</article>', printable, re.S))
    stages = {re.search(r'card-print-title[^"]*"[^>]*>\d+ ([^<]+?)( <small>|</h3>)', body).group(1): body
              for body in cards.values()}
    assert set(stages) == {"报价", "客户来电", "线索培育", "预算是否确认?"}
    for body in stages.values():
        assert "card-head" not in body and "<li>" not in body  # the screen's card is not printed
        assert re.search(r'class="print-only card-print-meta[^"]*">责任人: ', body) and " · 时限: " in body
    quote = stages["报价"]
    # Short lists run on from their heading, on one line; each item keeps its mark.
    for text in ("销售经理", "尽快 (?)", "<b>工作步骤</b> □ 填写报价单\u2002□ 经理审批\n", "<b>质量检查</b> ✓ 折扣在权限内\n",
                 "<b>工具与资料</b> • 报价模板库\n", "<b>考核指标</b> • 报价周期不超过3天\n",
                 'href="https://crm.example.com/quote"', "报价模板"):
        assert text in quote, text
    # One line per stage in and out, each naming the stage, its owner and what the link says.
    decision = stages["预算是否确认?"]
    assert "与财务确认" in decision and "时限: 2个工作日 ≈ " in decision and "<small>判断节点</small>" in decision
    assert re.search(r'<b>分支</b>\n“是” → <a href="#stage-\d">\d 报价</a> · 销售经理\n', decision)
    assert re.search(r'\n<span class="condition missing">未写明条件</span> → <a href="#stage-\d">\d 线索培育</a> · ', decision)
    # Owner and deadline, lists and ways in and out are one paragraph; a note has its own after
    # the first line, and the lines go on after it without an empty one.
    # A single way in or out runs on from its heading too; several are a line each.
    assert re.search(r'card-print-meta[^"]*">责任人: 市场专员 · 时限: 1天\n<b>输入</b> 来自 <a href="#stage-\d">\d 线索培育</a>', stages["客户来电"])
    assert re.search(r'<strong>备注:</strong> 与财务确认</p>\s*<p class="print-only card-print-lines"><b>输入</b> 来自 ', decision)
    assert quote.count("<p ") == 2  # the lines and the link
    nurture = stages["线索培育"]
    assert "未指定责任人" in nurture
    assert re.search(r'<b>输出</b> 交给 <a href="#stage-\d">\d 客户来电</a> · 市场专员 · 转化率 30% · ✎ 三个月后回访(\n|</p>)', nurture)
    # The role's page lists what it hands over, with the same words.
    assert re.search(r'• <a href="#stage-\d">\d 客户来电</a> → 销售经理 \(<a href="#stage-\d">\d 预算是否确认\?</a>\)(\n|</p>)', printable)
    assert_html(printable)


def test_a_printed_stage_card_lists_long_items_a_line_each() -> None:
    from salesflow.handbook.pdf import print_markup

    process = parse_text(
        "graph TD\n"
        "  A[需求调研] --> B[方案设计]\n"
        "  A --> C[报价]\n"
        "  A@{ steps: [拜访关键人，了解业务现状和痛点, 绘制客户组织架构和决策链, 确认预算范围、采购流程和上线时间],"
        " checks: [Minutes sent within a day] }\n"
    )
    printable = print_markup(page(process))
    card = re.search(r'<article class="card[^"]*" id="stage-1".*?</article>', printable, re.S).group(0)
    # Three long steps do not fit one line: each is a line under the heading, to tick on paper.
    assert "<b>工作步骤</b>\n□ 拜访关键人，了解业务现状和痛点\n□ 绘制客户组织架构和决策链\n□ 确认预算范围、采购流程和上线时间\n" in card
    assert "<b>质量检查</b> ✓ Minutes sent within a day\n" in card
    # Two ways out: a line each under the heading.
    assert re.search(r'<b>输出</b>\n交给 <a href="#stage-\d">\d 方案设计</a>.*\n交给 <a href="#stage-\d">\d 报价</a>', card)


def _cells(table: str) -> list:
    """The text of each body row's cells of a screen table, tags left out."""
    body = table.split("<tbody>", 1)[1]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_the_printed_handovers_say_all_the_screen_table_says() -> None:
    from salesflow.handbook.pdf import print_markup

    process = parse_text(
        "flowchart TD\n  B[迎宾接待] -->|顾客需求| C{顾客是否购买?}\n  C h2@-->|是| D[收银结账]\n"
        "  C h1@-->|否| E[登记回访]\n  h1@{ note: 顾客电话 }\n  h2@{ rate: 60% }\n"
        "  B@{ owner: 导购 }\n  C@{ owner: 店长 }\n  D@{ owner: 收银员 }\n",
        "shop.flow",
    )
    html = page(process)
    section = print_markup(html).split('<section class="section section-handovers"', 1)[1].split("</section>", 1)[0]
    assert "<table" not in section and "<td" not in section
    printed = re.findall(r'<p class="print-only table-print-lines">(.*?)</p>', section, re.S)
    assert len(printed) == 1
    lines = printed[0].split("\n")
    # A line per hand-over, in the table's order: who hands which stage to whom, then what is
    # passed on, the note and the rate after ` · ` (a missing part as the table's dash).
    screen = html.split('class="table handovers', 1)[1].split("</table>", 1)[0]
    cells = _cells(screen)
    assert lines[0] == "<b>交出方 → 接收方 · 交接内容 · 备注 · 转化率</b>"
    text = [re.sub(r"<[^>]+>", "", line) for line in lines[1:]]
    assert len(text) == len(cells) == 3
    for line, (source, target, what, note, rate) in zip(text, cells):
        assert line.split(" · ")[-3:] == [what, note, rate]
    assert text == ["导购 (1 迎宾接待) → 店长 (2 顾客是否购买?) · 顾客需求 · — · —",
                    "店长 (2 顾客是否购买?) → 收银员 (3 收银结账) · — · — · 60%",
                    "店长 (2 顾客是否购买?) → 未指定责任人 (4 登记回访) · — · 顾客电话 · —"]
    # Each stage links to its card, and a hand-over that names nothing passed on keeps its mark.
    assert '(<a href="#' in lines[1] and '<span class="missing">—</span>' in lines[2]
    assert_html(print_markup(html))


def test_the_printed_deadline_tables_say_all_the_screen_tables_say() -> None:
    from salesflow.handbook.pdf import print_markup

    process = parse_text(
        "graph TD\n"
        "  A[接洽] --> B{报价通过?}\n"
        "  B -->|是| C[签约]\n"
        "  B -->|否| D[培育]\n"
        "  A@{ owner: 销售代表, due: 1天 }\n"
        "  B@{ owner: 销售经理, due: 尽快 }\n"
        "  C@{ owner: 法务, due: 2个工作日, kind: end }\n"
        "  D@{ kind: end }\n"
    )

    def printed_lines(html: str) -> tuple:
        section = print_markup(html).split('<section class="section section-deadlines"', 1)[1].split("</section>", 1)[0]
        assert "<table" not in section and "<td" not in section
        printed = re.findall(r'<p class="print-only table-print-lines">(.*?)</p>', section, re.S)
        assert len(printed) == 2
        return section, *(text.split("\n") for text in printed)

    html = page(process)
    section, deadlines, path = printed_lines(html)
    # A line per row, in the table's order: number and stage, then the other columns after ` · `;
    # rows on the slowest path are marked on the left, as the legend under the lines says.
    screen = html.split('class="table deadlines', 1)[1].split("</table>", 1)[0]
    on_path = re.findall(r"<tr( class=\"on-path\")?>\s*<td", screen.split("<tbody>", 1)[1])
    expected = [("● " if mark else "") + f"{number} {stage} · {owner} · {due} · {hours}"
                for mark, (number, stage, owner, due, hours) in zip(on_path, _cells(screen))]
    assert deadlines[0] == "<b>序号 阶段 · 责任人 · 时限 · 折合时长</b>"
    assert [re.sub(r"<[^>]+>", "", line) for line in deadlines[1:]] == expected
    assert expected == ["● 1 接洽 · 销售代表 · 1天 · 1天", "● 2 报价通过? · 销售经理 · 尽快 (?) · —",
                        "● 3 签约 · 法务 · 2个工作日 · 2.8天", "4 培育 · 未指定责任人 · 未设时限 · —"]
    assert '<span class="print-only">● </span>左侧带标记的阶段位于最慢路径上' in section
    # The slowest path: the same, with the running total; in a role's handbook its own stages in bold.
    screen = html.split('class="table path', 1)[1].split("</table>", 1)[0]
    assert path[0] == "<b>序号 阶段 · 责任人 · 时限 · 累计</b>"
    assert [re.sub(r"<[^>]+>", "", line) for line in path[1:]] == [" · ".join([f"{n} {s}", *rest]) for n, s, *rest in _cells(screen)]
    assert path[1:] == ["1 接洽 · 销售代表 · 1天 · 1天", '2 报价通过? · 销售经理 · <span class="due unreadable" title="时限无法识别">尽快 (?)</span> · 1天', "3 签约 · 法务 · 2个工作日 · 3.8天"]
    assert "<b>" not in "".join(path[1:])
    html = page(process, role="销售经理")
    _section, deadlines, path = printed_lines(html)
    assert [re.sub(r"<[^>]+>", "", line) for line in deadlines[1:]] == ["● 2 报价通过? · 销售经理 · 尽快 (?) · —"]
    assert path[2] == '<b>2 报价通过? · 销售经理 · <span class="due unreadable" title="时限无法识别">尽快 (?)</span> · 1天</b>'
    assert not path[1].startswith("<b>") and not path[3].startswith("<b>")
    assert_html(print_markup(html))


def test_the_printed_stages_of_a_role_say_what_the_screen_table_says() -> None:
    from salesflow.handbook.pdf import print_markup

    process = parse_text(
        "graph TD\n"
        "  A[接洽] --> B{报价通过?}\n"
        "  B -->|是| C[签约]\n"
        "  A@{ owner: 销售代表, due: 1天 }\n"
        "  B@{ owner: 销售代表, due: 尽快 }\n"
        "  C@{ owner: 法务, kind: end }\n"
    )
    html = page(process)
    printable = print_markup(html)
    assert 'class="table role-stages"' in html and 'class="table role-stages"' not in printable
    roles = dict(re.findall(r'<article class="role" id="[^"]+"[^>]*>\s*<header class="role-head">\s*<h3[^>]*>([^<]+)</h3>(.*?)</article>', printable, re.S))
    screen = dict(re.findall(r'<article class="role" id="[^"]+"[^>]*>\s*<header class="role-head">\s*<h3[^>]*>([^<]+)</h3>(.*?)</article>', html, re.S))
    assert set(roles) == set(screen) == {"销售代表", "法务"}
    for name, body in roles.items():
        lines = re.search(r'<p class="print-only table-print-lines">(.*?)</p>', body, re.S).group(1).split("\n")
        assert lines[0] == "<b>序号 阶段 · 时限</b>"
        table = screen[name].split('class="table role-stages"', 1)[1].split("</table>", 1)[0]
        assert [re.sub(r"<[^>]+>", "", line) for line in lines[1:]] == [f"{n} {s} · {due}" for n, s, due in _cells(table)]
    assert roles["销售代表"].count("\n1 接洽 · 1天\n2 报价通过? · ") == 1 and "尽快 (?)</span></p>" in roles["销售代表"]
    assert "\n3 签约 · " in roles["法务"] and "未设时限" in roles["法务"]
    assert_html(printable)


def test_the_printed_column_names_every_stage_its_owner_deadline_and_ways_on() -> None:
    from salesflow.handbook.pdf import print_markup

    process = parse_text(
        "graph TD\n"
        "  A[接洽] -->|合格| B{报价通过?}\n"
        "  B -->|是| C[签约]\n"
        "  B -->|否| A\n"
        "  A@{ owner: 销售代表, due: 1天 }\n"
        "  B@{ owner: 销售经理, due: 4h }\n"
        "  C@{ owner: 法务, due: 2个工作日, kind: end }\n"
    )
    # A drawing far too long for any page of parts prints as the column of stages.
    towering = InlineSvg('<svg viewBox="0 0 400 90000" role="img"><text x="5" y="20">chart</text></svg>', 400.0, 90000.0)
    html = render_html(process, towering, date="2026-05-01")
    printable = print_markup(html)
    assert 'class="flow-box"' in html and 'class="flow-box"' not in printable
    steps = re.findall(r'<li class="flow-step[^"]*" id="flow-(\d)">(.*?)</li>', printable, re.S)
    boxes = {number: re.search(r'flow-print-box">(.*?)</p>', body, re.S).group(1) for number, body in steps}
    assert boxes == {
        "1": '<a href="#stage-1">1 接洽</a> · 销售代表 · 1天',
        "2": '<a href="#stage-2">2 报价通过?</a> · 销售经理 · 4h',
        "3": '<a href="#stage-3">3 签约</a> · 法务 · 2个工作日',
    }
    body = dict(steps)
    assert '<p class="print-only flow-print-arrow">↓ “合格”</p>' in body["2"]
    assert '↩ “否” 转到 <a href="#flow-1">1 接洽</a>' in body["2"]
    assert_html(printable)


def test_a_label_cannot_hide_text_from_the_pdf() -> None:
    from salesflow.handbook.pdf import print_markup

    process = parse_text("graph TD\n  A[\"<!--screen-only-->secret\"] --> B[end]\n")
    html = page(process)
    assert "secret" in print_markup(html)


def test_the_handbook_stylesheet_prints_the_same_with_its_variables_written_out() -> None:
    from salesflow.handbook.pdf import print_markup, with_values_for_variables

    process = parse_file(str(ROOT / "samples" / "classic-seven-stages.flow"))
    html = print_markup(page(process))
    written = with_values_for_variables(html)
    assert "var(--accent)" in html and "var(" not in written
    assert "color: #1f5f99" in written  # the theme's --accent
    # Nothing but the stylesheet changes.
    assert written[written.index("</style>"):] == html[html.index("</style>"):]


def test_a_pdf_leaves_the_cycle_collector_as_it_found_it(weasyprint) -> None:
    import gc

    from salesflow.handbook.pdf import html_to_pdf

    small = "<!DOCTYPE html><html><head><style>:root { --ink: #123; } p { color: var(--ink); }</style></head><body><p>报价</p></body></html>"
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            assert html_to_pdf(small).startswith(b"%PDF")
            assert gc.isenabled() is enabled
        finally:
            gc.enable()


def test_pdf_contents_page_gives_each_stage_its_page(annotated_pdf: Path) -> None:
    pdftotext = require_binary("pdftotext")
    pages = subprocess.run([pdftotext, "-layout", str(annotated_pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    contents = pages[1]
    entries = re.findall(r"^\s*(\d+)\s+(\S+)\s+(\d+)\s*$", contents, re.MULTILINE)
    titles = [title for _number, title, _page in entries]
    for title in ("线索收集", "合同签订", "结案归档"):
        assert title in titles, title
    # Every entry's page is the page its heading lands on (the contents page's numbers are laid out
    # before the pages they name), and the pages go up with the stages.
    for number, title, page_number in entries:
        card_page = pages[int(page_number) - 1]
        assert re.search(rf"^\s*{number}\s+{re.escape(title)}", card_page, re.MULTILINE), (title, page_number)
    assert [int(p) for _n, _t, p in entries] == sorted(int(p) for _n, _t, p in entries)


def test_templates_compiled_ahead_give_the_same_page_and_the_same_errors(tmp_path: Path) -> None:
    from salesflow.handbook.render import start_compiling

    process = parse_file(str(ROOT / "samples" / "saas-funnel.flow"))
    english = page(process, lang="en")
    start_compiling(process, "en")
    assert page(process, lang="en") == english
    # A broken template in a user's folder is still reported where it is broken, not swallowed ahead.
    (tmp_path / "handbook-brand.html.j2").write_text("{% if %}", "utf-8")
    start_compiling(process, None, str(tmp_path))
    with pytest.raises(ConfigError, match="handbook-brand.html.j2:1"):
        page(process, template_dir=str(tmp_path))


# ------------------------------------------------------------------ a long chart's contents and headers

LONG_CHART_WORDS = {"zh": ("拜访第{n}站", "各阶段说明", "目录"), "en": ("Visit no {n}", "Stages", "Contents")}


def long_chart(stages: int, lang: str):
    """A chain of `stages` stages whose labels carry their numbers (stage n is the nth in the flow)."""
    label = LONG_CHART_WORDS[lang][0]
    lines = ["---", f"title: Long {stages}", f"lang: {lang}", "---", "flowchart TD",
             f"  s1([{label.format(n=1)}]) --> s2"]
    lines += [f"  s{n}[{label.format(n=n)}] --> s{n + 1}" for n in range(2, stages)]
    lines.append(f"  s{stages}([{label.format(n=stages)}])")
    return parse_text("\n".join(lines))


_long_pdfs: dict = {}


def long_chart_pages(stages: int, lang: str) -> list[str]:
    """The text of each page of the PDF handbook of `long_chart(stages, lang)` (pdftotext, in reading order)."""
    from salesflow.handbook.pdf import html_to_pdf

    if (stages, lang) not in _long_pdfs:
        pdftotext = require_binary("pdftotext")
        pdf = html_to_pdf(page(long_chart(stages, lang)))
        text = subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True, check=True).stdout
        _long_pdfs[stages, lang] = text.decode("utf-8").split("\f")[:-1]
    return _long_pdfs[stages, lang]


def _stage_headings(page_text: str, lang: str) -> list[int]:
    """The numbers of the stage cards whose headings are on a page: a heading is a line of its own,
    the stage's number and label (and its kind), over the card's line of owner and deadline."""
    label = re.escape(LONG_CHART_WORDS[lang][0]).replace(r"\{n\}", r"(\d+)")
    owner = re.escape(MESSAGES[lang]["owner"])
    found = re.findall(rf"^(\d+) {label}[^\n]*\n{owner}:", page_text, re.MULTILINE)
    assert all(number == in_label for number, in_label in found), found
    return [int(number) for number, _in_label in found]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_charts_stage_pages_name_their_stages_in_the_header(lang: str, weasyprint) -> None:
    _label, section, _contents = LONG_CHART_WORDS[lang]
    pages = long_chart_pages(31, lang)
    header = re.compile(rf"{section} · (\d+)–(\d+)")
    seen: list[int] = []
    for number, text in enumerate(pages, start=1):
        headings = _stage_headings(text, lang)
        ranges = header.findall(text)
        if not headings:
            assert not ranges, (number, ranges)  # the cover, contents, chart and the sections after
            continue
        # The header gives the first and the last stage whose heading is on the page.
        assert ranges == [(str(headings[0]), str(headings[-1]))], (number, headings, ranges)
        assert headings == list(range(headings[0], headings[-1] + 1))
        seen += headings
    assert seen == list(range(1, 32)) and len({n for n, t in enumerate(pages) if _stage_headings(t, lang)}) > 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_contents_lists_up_to_30_stages_and_past_that_says_how_they_follow(lang: str, weasyprint) -> None:
    label, section, contents_title = LONG_CHART_WORDS[lang]
    note = {"zh": "31 个阶段按编号依次排列，每页页眉标出本页的阶段编号。",
            "en": "31 stages follow in number order; each page's header shows the numbers of the stages on it."}[lang]
    squeezed = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 - pdftotext breaks lines anywhere
    # Thirty stages: every stage has its contents entry, and the headers name the section alone.
    pages = long_chart_pages(30, lang)
    contents = "".join(pages[1:3])  # the contents page, and the next (more contents, or the chart)
    for n in range(1, 31):
        assert squeezed(f"{n} {label.format(n=n)}") in squeezed(contents), n
    assert squeezed(note[3:]) not in squeezed("".join(pages))
    assert not any(re.search(rf"{section} · \d", text) for text in pages)
    # Thirty-one: the contents keeps its sections and prints the note in place of the stages.
    pages = long_chart_pages(31, lang)
    contents = pages[1]
    assert contents_title in contents and squeezed(note) in squeezed(contents)
    for key in ("sec_chart", "sec_stages", "sec_roles", "sec_handovers", "sec_deadlines"):
        assert MESSAGES[lang][key] in contents, key
    assert label.split("{n}")[0] not in contents
    # On screen the contents still lists all 31 stages, and the note is print-only.
    html = page(long_chart(31, lang))
    nav = html[html.index('<nav class="toc"'):html.index("</nav>")]
    assert re.findall(r'<a href="#stage-(\d+)">', nav) == [str(n) for n in range(1, 32)]
    from markupsafe import escape

    assert f'<p class="print-only toc-note">{escape(note)}</p>' in nav
