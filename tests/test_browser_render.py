"""The drawings in a real browser: every label fits inside its shape as Chromium draws it.

Graphviz measures each label with the font named in the DOT (Noto Sans CJK SC) and sizes the
shape around it; a browser then draws the SVG with its own text engine. If the two disagreed (a
missing CJK font measured as boxes or spaces, say), labels would spill out of their boxes. So
each sample's SVG — and a chart of long, mixed and hostile labels — is opened in Debian's
Chromium (driven by Playwright, never downloaded) and every text box is checked against its
shape: along the line through the middle of the text, the text must lie within the shape's
outline (a diamond's or a hexagon's slanted sides included; the bounding box for drawn paths). The page must also run nothing and fetch nothing. A screenshot of each
sample goes to test-artifacts/render-*.png for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTIFACTS, SAMPLES

from salesflow.parse import parse_text
from salesflow.render.picture import draw
from salesflow.sources import charts_in


STRESS = """---
title: 标签压力测试 Label stress test
---
flowchart TD
    A(["非常非常长的中文阶段名称用来检查换行是否正确以及宽度是否测量准确"])
    B{"Does the customer's procurement team approve the revised commercial terms?"}
    C["混合 Mixed 文本 with 全角标点（括号）、顿号，以及 English words 一起"]
    D[["emoji 🚀✅ 和 符号 ※★ 以及 ①②③"]]
    E{{"「引号」与“中文引号”以及《书名号》"}}
    F[("数据库 CRM 系统 / Salesforce")]
    G>"<script>alert('x')</script> & <b>not bold</b>"]
    H(("圆形节点内的较长文字"))
    I[/"平行四边形 Lean right label"/]
    J["`**加粗** 与 _斜体_ markdown`"]
    K["line one<br>第二行<br/>third line"]
    A --> B -->|"是，进入下一步并通知相关负责人"| C --> D --> E --> F --> G --> H --> I --> J --> K
    A@{ owner: 客户成功经理 Customer Success Manager, due: 12个工作日 }
    B@{ owner: 销售总监, due: 48小时 }
"""

SHAPE_CHECK = """() => {
  // The stretch of the outline's inside along the horizontal line at height y: [left, right].
  const chord = (shape, y) => {
    if (shape.tagName === 'polygon') {
      const p = shape.getAttribute('points').trim().split(/\\s+/).map(q => q.split(',').map(Number));
      const xs = [];
      for (let i = 0; i < p.length - 1; i++) {
        const [x1, y1] = p[i], [x2, y2] = p[i + 1];
        if ((y1 <= y && y <= y2) || (y2 <= y && y <= y1)) {
          xs.push(y1 === y2 ? Math.min(x1, x2) : x1 + (x2 - x1) * (y - y1) / (y2 - y1));
          if (y1 === y2) xs.push(Math.max(x1, x2));
        }
      }
      return xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, -1];
    }
    if (shape.tagName === 'ellipse') {
      const cx = +shape.getAttribute('cx'), cy = +shape.getAttribute('cy');
      const rx = +shape.getAttribute('rx'), ry = +shape.getAttribute('ry');
      const k = 1 - ((y - cy) / ry) ** 2;
      const half = k > 0 ? rx * Math.sqrt(k) : -1;
      return [cx - half, cx + half];
    }
    const b = shape.getBBox();  // a path (cylinder, note, rounded box): its box
    return [b.x, b.x + b.width];
  };
  const problems = [];
  let texts = 0;
  for (const g of document.querySelectorAll('g.node')) {
    const name = g.querySelector('title').textContent;
    const outline = [...g.querySelectorAll('polygon, ellipse, path')].filter(e => e.getAttribute('stroke') !== 'transparent');
    if (!outline.length) continue;
    // The outermost outline (double circles and boxes with two borders have two).
    const shape = outline.reduce((a, b) => (a.getBBox().width >= b.getBBox().width ? a : b));
    for (const t of g.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      texts += 1;
      const r = t.getBBox();
      const [left, right] = chord(shape, r.y + r.height / 2);
      const slack = 0.75;
      if (r.x < left - slack || r.x + r.width > right + slack) {
        problems.push(`${name}: "${t.textContent}" spans ${r.x.toFixed(1)}..${(r.x + r.width).toFixed(1)}, ` +
                      `its ${shape.tagName} ${left.toFixed(1)}..${right.toFixed(1)} there`);
      }
    }
  }
  // The chart's stages (a loop's label is drawn as a small node of its own, class sf-edge-label).
  return {problems, texts, nodes: document.querySelectorAll('g.node.sf-node').length};
}"""


# Every test here draws with Graphviz and opens the drawing in the `browser` of conftest.py.
pytestmark = pytest.mark.usefixtures("dot", "browser")


def charts() -> list[tuple[str, str]]:
    found = [
        (path.stem + (f"-{chart.block}" if chart.block else ""), chart.text)
        for path in sorted(SAMPLES.iterdir())
        if path.suffix in (".flow", ".md")
        for chart in charts_in(str(path))
    ]
    return found + [("label-stress", STRESS)]


CHARTS = charts()


@pytest.mark.parametrize("name, text", CHARTS, ids=[n for n, _t in CHARTS])
def test_every_label_fits_its_shape(name: str, text: str, browser, tmp_path: Path) -> None:
    process = parse_text(text, name)
    svg = draw(process, "svg")
    path = tmp_path / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(path.as_uri())
        page.evaluate("document.fonts.ready")
        fonts = page.evaluate("() => document.fonts.check('12px \"Noto Sans CJK SC\"')")
        assert fonts, "Chromium does not have Noto Sans CJK SC (install fonts-noto-cjk)"
        result = page.evaluate(SHAPE_CHECK)
        assert result["nodes"] == len(process.nodes)
        assert result["texts"] >= len(process.nodes)
        assert result["problems"] == [], "\n".join(result["problems"])
        assert not dialogs and not errors and page.evaluate("document.querySelectorAll('script').length") == 0
        assert all(url.startswith("file://") for url in requests), requests
        if name != "label-stress":
            _screenshot(page, svg, name)
    finally:
        page.close()


def _screenshot(page, svg: str, name: str) -> None:
    """The drawing as Chromium shows it, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    body = svg.split("?>", 1)[-1]
    page.goto("about:blank")
    page.set_content(f"<html><body style='margin:0;background:#fff'>{body}</body></html>")
    width, height = page.evaluate(
        "() => { const r = document.querySelector('svg').getBoundingClientRect(); return [r.width, r.height]; }"
    )
    page.set_viewport_size({"width": max(200, int(width) + 2), "height": max(200, min(int(height) + 2, 8000))})
    page.screenshot(path=str(ARTIFACTS / f"render-{name}.png"), timeout=60_000)


def test_the_check_notices_text_that_spills(browser, tmp_path: Path) -> None:
    """Guards the check itself: the same drawing with larger text must fail it."""
    svg = draw(parse_text((SAMPLES / "classic-seven-stages.flow").read_text(encoding="utf-8")), "svg")
    path = tmp_path / "spill.svg"
    path.write_text(svg.replace('font-size="12.00"', 'font-size="17.00"'), encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        result = page.evaluate(SHAPE_CHECK)
    finally:
        page.close()
    assert len(result["problems"]) == 7, result["problems"]
