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
from conftest import ARTIFACTS, CASES, ROOT, sample_paths

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
        assert visit.page.locator("svg[role=img]").count() == 1  # the chart is there, inline
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
        for selector in ("article.card", "svg g.node", "svg text"):
            items = page.locator(selector)
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
