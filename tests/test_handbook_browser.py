"""The handbook in a real browser: Debian's Chromium, driven by Playwright, never downloaded.

Every sample's handbook loads without console errors or network requests, every contents link
lands on its section, no text overflows its box on a desktop or a phone, a hostile chart runs
nothing and shows its text literally, and the first page is photographed in both languages
(test-artifacts/handbook-*.png) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ARTIFACTS, CASES, ROOT, corpus_paths, sample_paths

from salesflow.cli import cli

HOSTILE = CASES / "handbook" / "hostile.flow"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


# Every test here opens handbooks (drawn with Graphviz) in the `browser` of conftest.py.
pytestmark = pytest.mark.usefixtures("dot", "browser")


def handbook(tmp: Path, source: Path, *options: str) -> Path:
    out = tmp / (source.stem + "-".join(("",) + options).replace("/", "_") + ".html")
    result = CliRunner().invoke(cli, ["handbook", str(source), "-o", str(out), "--date", "2026-05-01", *options])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def handbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("handbooks")
    made = {path.stem: handbook(tmp, path) for path in sample_paths()}
    made["b2b-lanes-role"] = handbook(tmp, ROOT / "samples" / "b2b-lanes.flow", "--role", "销售部")
    made["annotated-ten-stages-en"] = handbook(tmp, ROOT / "samples" / "annotated-ten-stages.flow", "--lang", "en")
    made["hostile"] = handbook(tmp, HOSTILE)
    return made


class Visit:
    """A page opened with every request, console message and dialog recorded."""

    def __init__(self, browser, path: Path, viewport: dict, html: str | None = None) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)

        def refuse(route) -> None:
            # The document itself may load; anything else would be a network request.
            if route.request.url == self.url:
                route.continue_()
            else:
                route.abort()

        self.context.route("**/*", refuse)
        if html is not None:
            path = path.with_name(path.stem + "-variant.html")
            path.write_text(html, "utf-8")
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


OVERFLOWS = """() => {
  const bad = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    bad.push('page ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg')) continue;
    const style = getComputedStyle(el);
    if (style.overflowX !== 'visible' || style.display === 'inline' || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1)
      bad.push(el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth + ': ' +
               (el.textContent || '').trim().slice(0, 60));
  }
  return bad;
}"""


@pytest.mark.parametrize("name", [p.stem for p in sample_paths()] + ["b2b-lanes-role", "annotated-ten-stages-en"])
def test_loads_offline_without_errors(browser, handbooks: dict[str, Path], name: str) -> None:
    visit = Visit(browser, handbooks[name], DESKTOP)
    try:
        assert visit.errors == []
        assert visit.requests == [visit.url], visit.requests
        # The chart is there, inline: a sideways one also drawn top to bottom, for narrower windows,
        # and (when Graphviz can draw it) for a phone.
        assert 1 <= visit.page.locator(".section-chart svg[role=img]").count() <= 3
        assert visit.page.locator(".chart-drawing:visible, .chart-column:visible").count() == 1
        assert visit.page.locator("script").count() == 0
    finally:
        visit.close()


@pytest.mark.parametrize("name", [p.stem for p in sample_paths()] + ["b2b-lanes-role"])
def test_every_contents_link_lands_on_its_section(browser, handbooks: dict[str, Path], name: str) -> None:
    visit = Visit(browser, handbooks[name], DESKTOP)
    page = visit.page
    try:
        links = page.locator("nav.toc a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(hrefs) >= 6
        for href in hrefs:
            page.evaluate("window.scrollTo(0, 0)")  # back to the contents, as a reader would scroll
            page.locator(f'nav.toc a[href="{href}"]').first.click()
            page.wait_for_function("h => location.hash === h", arg=href)
            landed = page.evaluate(
                """(id) => {
                  const el = document.getElementById(id);
                  if (!el) return 'missing';
                  const top = el.getBoundingClientRect().top;
                  const atBottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
                  if (Math.abs(top) <= 2) return 'ok';
                  if (atBottom && top >= 0 && top < window.innerHeight) return 'ok';  // the page cannot scroll further
                  return 'top at ' + top;
                }""",
                href[1:],
            )
            assert landed == "ok", (href, landed)
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", [p.stem for p in sample_paths()] + ["b2b-lanes-role", "hostile"])
def test_no_text_overflows_its_box(browser, handbooks: dict[str, Path], name: str, viewport: dict) -> None:
    visit = Visit(browser, handbooks[name], viewport)
    try:
        assert visit.page.evaluate(OVERFLOWS) == []
    finally:
        visit.close()


LITERALS = [
    "<script>window.__pwned='label'</script>",
    "</svg><img src=x onerror=window.__pwned='svg'>",
    "<img src=x onerror=window.__pwned='edge'>",
    "</style><script>window.__pwned='kpi'</script>",
    "</textarea><script>window.__pwned='note'</script>",
    "<script>window.__pwned='entity'</script>",
    "<b onmouseover=window.__pwned=1>销售部</b>",
    "<iframe src=javascript:alert(1)>?",
    "javascript:alert('step')",
]

INERT = """() => {
  const found = [];
  if (window.__pwned !== undefined) found.push('pwned: ' + window.__pwned);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'img', 'object', 'embed', 'foreignobject'].includes(tag)) found.push('element ' + tag);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push(tag + ' has ' + name);
      if ((name === 'href' || name === 'src' || name === 'xlink:href') && /^\\s*(javascript|data|vbscript):/i.test(attr.value))
        found.push(tag + ' ' + name + '=' + attr.value);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("csp", [True, False], ids=["as-written", "without-csp"])
def test_hostile_chart_runs_nothing_and_shows_its_text(browser, handbooks: dict[str, Path], csp: bool) -> None:
    path = handbooks["hostile"]
    html = path.read_text("utf-8")
    if not csp:
        # The page forbids scripts with a Content-Security-Policy; without it, escaping alone must hold.
        html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        assert "Content-Security-Policy" not in html
    visit = Visit(browser, path, DESKTOP, html=html)
    page = visit.page
    try:
        # Hover and click what a reader would: stage cards, the chart's shapes, every link in the page.
        # (Where a chart is too large to draw readably, its drawing is behind "the whole drawing".)
        for summary in page.locator("details.chart-whole > summary:visible").all():
            summary.click()
        for selector in ("article.card", "svg g.node:visible", "svg text:visible"):
            items = page.locator(selector)
            assert items.count() > 0, selector
            for i in range(min(items.count(), 12)):
                items.nth(i).hover(force=True, timeout=5000)
        links = page.locator("a[href^='#']")
        for i in range(min(links.count(), 12)):
            links.nth(i).click()
        page.wait_for_timeout(200)
        assert page.evaluate(INERT) == []
        assert visit.dialogs == []
        assert visit.errors == []
        assert visit.requests == [visit.url], visit.requests
        text = page.evaluate("document.body.innerText")
        for literal in LITERALS:
            assert literal in text, literal
        chart_text = page.evaluate("Array.from(document.querySelectorAll('svg text')).map(t => t.textContent).join('\\n')")
        assert "<script>window.__pwned='label'</script>" in chart_text
        assert page.title().startswith("<script>window.__pwned='title'</script>")
        outbound = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
        assert all(h.startswith("#") or h.startswith("https://example.com/") for h in outbound), outbound
    finally:
        visit.close()


@pytest.mark.parametrize(
    "name, shot",
    [
        ("annotated-ten-stages", "handbook-first-page-zh.png"),
        ("saas-funnel", "handbook-first-page-en.png"),
        ("annotated-ten-stages-en", "handbook-first-page-en-interface-zh-chart.png"),
        ("b2b-lanes-role", "handbook-first-page-role-zh.png"),
    ],
)
def test_first_page_screenshots(browser, handbooks: dict[str, Path], name: str, shot: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    visit = Visit(browser, handbooks[name], DESKTOP)
    try:
        target = ARTIFACTS / shot
        visit.page.screenshot(path=str(target))
        assert target.stat().st_size > 10_000
        visit.page.screenshot(path=str(target.with_name(target.stem + "-full.png")), full_page=True)
        phone = Visit(browser, handbooks[name], PHONE)
        try:
            phone.page.screenshot(path=str(target.with_name(target.stem + "-phone.png")))
        finally:
            phone.close()
        # A person reads the cover in the interface language.
        heading = visit.page.locator("nav.toc h2").inner_text()
        assert heading == ("Contents" if "-en" in shot else "目录")
    finally:
        visit.close()


# ---------------------------------------------------------------------------------------------
# The chart at a readable size: text at least 11 CSS px on a 1,280 px screen and a 390 px phone,
# without sideways scrolling; measured in Chromium on every text the reader can see in the chart.

LONG_CHARTS = {
    "long-lr-15": CASES / "handbook" / "long-lr-15.flow",  # 15 stages left to right, three lanes
    "tall-td": CASES / "handbook" / "tall-td.flow",  # 15 stages top to bottom
    # and every chart of the layout corpus up to 15 stages (the bar holds up to there)
    **{f"corpus-{path.stem}": path for path in corpus_paths(15)},
}

CHART_TEXT = """() => {
  const section = document.querySelector('.section-chart');
  const sizes = [];
  for (const el of section.querySelectorAll('*')) {
    if (el.closest('h2, .hint') || el.closest('details:not([open]) > :not(summary)')) continue;
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;  // not shown at this width
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) { const m = el.getScreenCTM(); size *= Math.hypot(m.a, m.b); }
    sizes.push([size, el.textContent.trim().slice(0, 30)]);
  }
  sizes.sort((a, b) => a[0] - b[0]);
  // Boxes that scroll sideways (a drawing may stand out of the section's padding: that is no scrolling).
  const scrolls = [...section.querySelectorAll('*')].filter(el => !(el instanceof SVGElement) && el.clientWidth
      && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
      && el.scrollWidth > el.clientWidth + 1 && !el.closest('details:not([open])')).map(el => el.className);
  return {smallest: sizes[0], count: sizes.length, pageScrolls: document.documentElement.scrollWidth > innerWidth,
          scrolls, drawings: [...section.querySelectorAll('.chart-drawing')].filter(d => d.offsetWidth).map(d => d.className),
          column: !!section.querySelector('.chart-column') && section.querySelector('.chart-column').offsetWidth > 0};
}"""


@pytest.fixture(scope="module")
def long_handbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("long-handbooks")
    return {name: handbook(tmp, path) for name, path in LONG_CHARTS.items()}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", [p.stem for p in sample_paths()] + ["b2b-lanes-role", *LONG_CHARTS])
def test_chart_text_is_at_least_11_px_without_sideways_scrolling(
    browser, handbooks: dict[str, Path], long_handbooks: dict[str, Path], name: str, viewport: dict
) -> None:
    visit = Visit(browser, {**handbooks, **long_handbooks}[name], viewport)
    try:
        seen = visit.page.evaluate(CHART_TEXT)
        assert seen["count"] >= 7, seen  # the chart's texts are on screen
        assert seen["smallest"][0] >= 11 - 0.01, seen
        assert not seen["pageScrolls"] and seen["scrolls"] == [], seen
        assert len(seen["drawings"]) + seen["column"] == 1, seen  # one chart, not two
    finally:
        visit.close()


def test_the_chart_is_drawn_where_it_fits_and_listed_where_it_does_not(
    browser, handbooks: dict[str, Path], long_handbooks: dict[str, Path]
) -> None:
    """The drawing is the chart people recognise: it shows wherever it fits at 11 px."""
    expected = {
        # name: (what a 1,280 px screen shows, what a 390 px phone shows)
        "classic-seven-stages": ("chart-drawing-1", "chart-drawing-1"),  # narrow enough for a phone
        "annotated-ten-stages": ("chart-drawing-1", "chart-drawing-2"),  # drawn for a phone: 316 pt
        "saas-funnel": ("chart-drawing-2", "column"),  # a long sideways chart, drawn top to bottom
        "tall-td": ("chart-drawing-1", "chart-drawing-2"),  # drawn for a phone: 314 pt
        "long-lr-15": ("chart-drawing-2", "column"),  # the page widens a little for it
        # 21 stages in five lanes: 1,808 px wide even top to bottom; one stage a row with its long
        # links as jumps, 374 px: on a screen, not on a phone (320 px inside the page's margins)
        "b2b-lanes": ("chart-drawing-3", "column"),
        "corpus-enterprise-poc-lanes": ("chart-drawing-3", "chart-drawing-3"),  # four lanes, 15 stages
        "corpus-auto-dealer-4s": ("chart-drawing-1", "chart-drawing-2"),  # drawn top to bottom, then for a phone
    }
    for name, shown in expected.items():
        for viewport, want in zip((DESKTOP, PHONE), shown):
            visit = Visit(browser, {**handbooks, **long_handbooks}[name], viewport)
            try:
                seen = visit.page.evaluate(CHART_TEXT)
                got = "column" if seen["column"] else seen["drawings"][0].split()[-1]
                assert got == want, (name, viewport, seen)
            finally:
                visit.close()


def test_role_view_marks_the_roles_stages_in_the_chart(browser, handbooks: dict[str, Path]) -> None:
    """Whichever way the chart shows (on a 1,280 px screen the drawing for a phone, on a phone the
    column), the role's stages, and only they, stand out."""
    from salesflow.handbook.svg import MARK_STROKE

    for viewport, shown in ((DESKTOP, "drawing"), (PHONE, "column")):
        visit = Visit(browser, handbooks["b2b-lanes-role"], viewport)
        try:
            marked = visit.page.evaluate("""() => [...document.querySelectorAll('.section-chart .flow-step.mine .flow-name')]
                .filter(el => el.offsetWidth).map(el => el.textContent.trim())""")
            drawn = visit.page.evaluate("""(stroke) => {
                const drawing = [...document.querySelectorAll('.section-chart .chart-drawing')].find(d => d.offsetWidth);
                return drawing ? [...drawing.querySelectorAll('g.node')]
                    .filter(g => [...g.querySelectorAll('*')].some(shape => shape.getAttribute('stroke') === stroke))
                    .map(g => g.querySelector('title').textContent) : null;
            }""", MARK_STROKE)
            if shown == "column":
                assert marked == ["商机确认", "需求与预算明确?", "方案与报价", "合同签署"] and drawn is None
                outline = visit.page.evaluate("""() => getComputedStyle(document.querySelector('.flow-step.mine > .flow-box')).borderTopWidth""")
                assert float(outline.rstrip("px")) >= 3
            else:
                assert marked == [] and sorted(drawn) == ["S1", "S2", "S3", "S6"]
        finally:
            visit.close()


def test_chart_screenshots(browser, handbooks: dict[str, Path], long_handbooks: dict[str, Path]) -> None:
    """The chart section at both widths, for a person to look at (test-artifacts/chart-*.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for name in ("b2b-lanes-role", "saas-funnel", "long-lr-15"):
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            visit = Visit(browser, {**handbooks, **long_handbooks}[name], viewport)
            try:
                target = ARTIFACTS / f"chart-{name}-{label}.png"
                visit.page.locator(".section-chart").screenshot(path=str(target))
                assert target.stat().st_size > 10_000
            finally:
                visit.close()


def test_print_layout_in_the_browser(browser, handbooks: dict[str, Path]) -> None:
    """Chromium's own print (Ctrl+P) also gets A4 pages, a page per section and the whole chart."""
    visit = Visit(browser, handbooks["annotated-ten-stages"], DESKTOP)
    try:
        visit.page.emulate_media(media="print")
        breaks = visit.page.evaluate(
            "Array.from(document.querySelectorAll('main > .section')).map(s => getComputedStyle(s).breakBefore)"
        )
        assert breaks and set(breaks) == {"page"}
        pdf = visit.page.pdf(prefer_css_page_size=True)
        assert pdf.startswith(b"%PDF")
        chart = visit.page.evaluate(
            "(() => { const r = document.querySelector('.chart-frame svg').getBoundingClientRect(); return [r.width, r.height]; })()"
        )
        # fits the A4 text area (about 178 x 259 mm = 673 x 979 CSS px)
        assert chart[0] <= 673 + 1 and chart[1] <= 979, chart
    finally:
        visit.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_numbers_charts_are_readable_and_only_they_scroll(browser, handbooks: dict[str, Path], viewport: dict) -> None:
    visit = Visit(browser, handbooks["saas-funnel"], viewport)
    try:
        seen = visit.page.evaluate("""() => {
          const texts = [...document.querySelectorAll('.section-numbers .numbers-chart svg text')];
          return {count: texts.length,
                  labels: Math.min(...[...document.querySelectorAll('.section-numbers .bar-label')]
                                   .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)),
                  pageScrolls: document.documentElement.scrollWidth > window.innerWidth + 1};
        }""")
        # A funnel bar and a deadline bar per stage, each with a label and a figure.
        assert seen["count"] >= 4 * 16, seen
        assert seen["labels"] >= 11 - 0.01, seen  # stage names at least 11 px, as the chart's own text
        assert not seen["pageScrolls"], seen
    finally:
        visit.close()
