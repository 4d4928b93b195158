"""The studio as an author uses it: Debian's Chromium (through Playwright) on a real `salesflow serve`.

Type and the chart and review follow; break the syntax and the last chart stays, dimmed, with the
error at its line; click a finding or a stage; save; change the file in another editor; open it
twice; open a hostile chart. Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import ARTIFACTS, CASES, SAMPLES
from studio_server import Studio

pytestmark = pytest.mark.usefixtures("dot")

DESKTOP = {"width": 1400, "height": 860}
REVIEWED_WITHIN_MS = 8000  # generous for a busy 2-core machine; the page itself waits 300 ms

SIMPLE = "graph TD\n    A[线索获取]\n    B[报价]\n    A --> B\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("studio")
    for name in ("type", "broken", "finding", "node", "save", "external", "pending", "twice", "quiet"):
        (folder / f"{name}.flow").write_text(SIMPLE, encoding="utf-8")
    shutil.copy(SAMPLES / "b2b-lanes.flow", folder / "lanes.flow")
    shutil.copy(SAMPLES / "process-in-docs.md", folder / "docs.md")
    hostile = (CASES / "handbook" / "hostile.flow").read_text(encoding="utf-8")
    (folder / "hostile.flow").write_text(hostile.replace("%% Every", '%%{init: {"securityLevel": "loose"}}%%\n%% Every'), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def studio(folder: Path) -> Iterator[Studio]:
    served = Studio(folder, "--lang", "en")
    yield served
    served.close()


class Tab:
    """One browser tab on the studio, recording dialogs, requests and errors."""

    def __init__(self, browser, studio: Studio, file: str, context=None) -> None:
        self.context = context or browser.new_context(viewport=DESKTOP)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # A Content-Security-Policy violation (a style or script the policy blocks) is a console error.
        # A refused save (409) is the browser's note of an answer the page handles.
        self.page.on(
            "console",
            lambda message: message.type == "error" and "status of 409" not in message.text and self.errors.append(message.text),
        )
        self.page.goto(f"{studio.url}&file={file}")
        self.page.wait_for_selector("#stage svg", timeout=REVIEWED_WITHIN_MS)

    def text(self) -> str:
        return self.page.locator(".cm-content").inner_text()

    def type_at_end(self, text: str) -> None:
        self.page.locator(".cm-content").click()
        self.page.keyboard.press("Control+End")
        self.page.keyboard.insert_text(text)

    def active_line(self) -> int:
        return int(self.page.locator(".cm-activeLineGutter").first.inner_text())

    def chart_words(self) -> str:
        return self.page.evaluate("Array.from(document.querySelectorAll('#stage svg text')).map(t => t.textContent).join('|')")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, studio: Studio, request) -> Iterator:
    opened: list[Tab] = []

    def open_tab(file: str, context=None) -> Tab:
        opened.append(Tab(browser, studio, file, context))
        return opened[-1]

    yield open_tab
    for each in opened:
        assert each.errors == [], each.errors
        each.close()


def test_typing_redraws_the_chart_and_the_review(tab) -> None:
    page = tab("type.flow")
    assert "报价" in page.chart_words() and "回访客户" not in page.chart_words()
    page.type_at_end("    B --> C[回访客户]\n")
    page.page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#stage svg text')).some(t => t.textContent === '回访客户')",
        timeout=REVIEWED_WITHIN_MS,
    )
    findings = page.page.locator("#findings").inner_text()
    assert "'回访客户' has no owner" in findings
    assert "unsaved" in page.page.locator("#status").inner_text().lower()


def test_a_syntax_error_keeps_the_last_chart_and_shows_the_error_at_its_line(tab) -> None:
    page = tab("broken.flow")
    before = page.chart_words()
    page.type_at_end("    B -->\n")  # a link to nothing: line 5 does not read
    page.page.wait_for_selector("#error:not([hidden])", timeout=REVIEWED_WITHIN_MS)
    assert page.page.locator("#error").inner_text().startswith("Line 5 does not read")
    assert "stale" in page.page.locator("#viewport").get_attribute("class")
    assert page.chart_words() == before  # the last good chart is still there, dimmed
    # The error is marked in the editor's gutter on its line, with the message on hover.
    marker = page.page.locator(".cm-gutter-lint .cm-gutterElement").filter(has=page.page.locator(".cm-lint-marker-error"))
    marker.first.wait_for(timeout=REVIEWED_WITHIN_MS)
    lines = page.page.locator(".cm-lineNumbers .cm-gutterElement").filter(has_text=re.compile(r"^5$"))
    assert abs(marker.first.bounding_box()["y"] - lines.first.bounding_box()["y"]) < 2
    marker.first.hover()
    tooltip = page.page.locator(".cm-tooltip-lint")
    tooltip.wait_for(timeout=5000)
    assert tooltip.inner_text().strip() != ""
    # Fixing it brings everything back.
    page.page.keyboard.press("Control+End")
    page.page.keyboard.press("Backspace")
    page.page.keyboard.insert_text(" A\n")
    page.page.wait_for_selector("#error[hidden]", state="attached", timeout=REVIEWED_WITHIN_MS)
    assert "stale" not in (page.page.locator("#viewport").get_attribute("class") or "")


def test_clicking_a_finding_selects_its_line_and_highlights_its_stage(tab) -> None:
    page = tab("finding.flow")
    item = page.page.locator(".finding", has_text="'报价' has no owner")
    line = int(re.search(r"line (\d+)", item.inner_text()).group(1))
    item.click()
    assert page.active_line() == line == 3
    focused = page.page.locator("#stage .sf-focus")
    assert focused.count() == 1
    assert focused.get_attribute("id") == "sf-node-1"
    assert "报价" in focused.evaluate("node => node.textContent")
    # The highlight is what the eye sees: the stage's outline is drawn thick and blue.
    outline = focused.locator("polygon, path, ellipse").first
    assert outline.evaluate("shape => getComputedStyle(shape).strokeWidth") == "5px"


def test_clicking_a_stage_jumps_to_its_line(tab) -> None:
    page = tab("node.flow")
    page.page.locator("#sf-node-1").click()
    assert page.active_line() == 3
    page.page.locator("#sf-node-0").click()
    assert page.active_line() == 2


def test_the_chart_pans_and_zooms(tab) -> None:
    page = tab("node.flow")
    node = page.page.locator("#sf-node-0")
    before = node.bounding_box()
    box = page.page.locator("#viewport").bounding_box()
    page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.page.mouse.wheel(0, -300)  # wheel up: closer
    page.page.wait_for_timeout(100)
    zoomed = node.bounding_box()
    assert zoomed["width"] > before["width"] * 1.1
    page.page.mouse.move(box["x"] + 20, box["y"] + box["height"] - 20)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + 80, box["y"] + box["height"] - 60, steps=5)
    page.page.mouse.up()
    dragged = node.bounding_box()
    assert abs(dragged["x"] - zoomed["x"] - 60) < 2 and abs(dragged["y"] - zoomed["y"] + 40) < 2
    page.page.click("#zoom-fit")
    assert abs(node.bounding_box()["width"] - before["width"]) < 1


def test_save_writes_the_file_atomically_and_keeps_its_mode(tab, folder: Path) -> None:
    path = folder / "save.flow"
    os.chmod(path, 0o640)
    inode = os.stat(path).st_ino
    page = tab("save.flow")
    page.type_at_end("    B --> C[签约]\n")
    page.page.click("#save")
    page.page.wait_for_function("() => document.getElementById('status').textContent === 'Saved'", timeout=5000)
    assert path.read_text(encoding="utf-8") == SIMPLE + "    B --> C[签约]\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.stat(path).st_ino != inode  # replaced by a rename, never half-written in place


def test_a_change_on_disk_reaches_the_page_within_a_second(tab, folder: Path) -> None:
    page = tab("external.flow")
    page.page.wait_for_timeout(300)  # the event stream is open
    started = time.monotonic()
    (folder / "external.flow").write_text(SIMPLE + "    B --> Z[另一个编辑器]\n", encoding="utf-8")
    page.page.wait_for_function(
        "() => document.querySelector('.cm-content').innerText.includes('另一个编辑器')", timeout=5000, polling="raf"
    )
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert "changed outside the studio" in page.page.locator("#notice").inner_text()
    page.page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#stage svg text')).some(t => t.textContent === '另一个编辑器')",
        timeout=REVIEWED_WITHIN_MS,
    )


def test_a_change_on_disk_leaves_unsaved_edits_alone_and_says_so(tab, folder: Path) -> None:
    page = tab("pending.flow")
    page.type_at_end("    B --> M[我的修改]\n")
    page.page.wait_for_timeout(300)
    (folder / "pending.flow").write_text(SIMPLE + "    B --> P[git pull]\n", encoding="utf-8")
    page.page.wait_for_selector("#notice:not([hidden])", timeout=5000)
    assert "unsaved edits" in page.page.locator("#notice").inner_text()
    assert "我的修改" in page.text() and "git pull" not in page.text()
    page.page.click("#save")
    page.page.wait_for_selector("#conflict:not([hidden])", timeout=5000)
    assert "git pull" in (folder / "pending.flow").read_text(encoding="utf-8")
    # Having seen both, the author keeps their own version.
    page.page.click("#conflict-overwrite")
    page.page.wait_for_function("() => document.getElementById('status').textContent === 'Saved'", timeout=5000)
    assert "我的修改" in (folder / "pending.flow").read_text(encoding="utf-8")


def test_the_page_does_not_poll(tab) -> None:
    page = tab("quiet.flow")
    page.page.wait_for_timeout(500)
    before = len(page.requests)
    page.page.wait_for_timeout(2500)
    assert page.requests[before:] == []


def test_a_second_tab_cannot_save_over_the_first(browser, tab, folder: Path) -> None:
    first = tab("twice.flow")
    second = tab("twice.flow")
    second.type_at_end("    B --> Y[第二个标签]\n")
    first.type_at_end("    B --> X[第一个标签]\n")
    first.page.click("#save")
    first.page.wait_for_function("() => document.getElementById('status').textContent === 'Saved'", timeout=5000)
    saved = (folder / "twice.flow").read_text(encoding="utf-8")
    assert "第一个标签" in saved
    second.page.click("#save")
    second.page.wait_for_selector("#conflict:not([hidden])", timeout=5000)
    assert "changed on disk" in second.page.locator("#conflict").inner_text()
    assert (folder / "twice.flow").read_text(encoding="utf-8") == saved  # nothing written
    second.page.click("#conflict-compare")
    assert "第二个标签" in second.page.locator("#compare-mine").inner_text()
    assert "第一个标签" in second.page.locator("#compare-disk").inner_text()
    second.page.click("#conflict-reload")
    assert "第一个标签" in second.text() and "第二个标签" not in second.text()


def test_a_hostile_chart_runs_nothing_and_asks_nothing_outside(tab, studio: Studio) -> None:
    page = tab("hostile.flow")
    for node in page.page.locator("#stage .sf-node").all():
        node.hover()
        node.click()
    page.page.click("#tab-handbook")
    frame = page.page.frame_locator("#handbook")
    frame.locator("article.card").first.wait_for(timeout=REVIEWED_WITHIN_MS)
    assert "<script>window.__pwned='label'</script>" in frame.locator("body").inner_text()
    page.page.wait_for_timeout(300)
    assert page.dialogs == []
    outside = [url for url in page.requests if not url.startswith(studio.base + "/") and not url.startswith("data:")]
    assert outside == []
    assert page.page.evaluate("window.__pwned") is None
    found = page.page.evaluate(
        """() => Array.from(document.querySelectorAll('#stage *')).flatMap(el =>
             [el.localName].filter(n => ['script', 'foreignobject', 'a', 'image', 'iframe'].includes(n))
             .concat(Array.from(el.attributes).map(a => a.name).filter(n => n.startsWith('on') || n.endsWith('href'))))"""
    )
    assert found == []
    assert "<script>window.__pwned='label'</script>" in page.chart_words()


def test_the_handbook_tab_shows_the_real_handbook_per_role(tab) -> None:
    page = tab("lanes.flow")
    page.page.click("#tab-handbook")
    frame = page.page.frame_locator("#handbook")
    frame.locator("article.card").first.wait_for(timeout=REVIEWED_WITHIN_MS)
    whole = frame.locator("body").inner_text()
    assert "B2B项目型销售流程" in whole
    assert frame.locator("article.card").count() == 21  # every stage of the chart
    page.page.select_option("#role", "法务专员")
    # The legal specialist's handout: the two stages they own.
    page.page.wait_for_function("() => document.getElementById('handbook').src.includes('role=')")
    frame.locator("article.card").nth(2).wait_for(state="detached", timeout=REVIEWED_WITHIN_MS)
    assert frame.locator("article.card").count() == 2
    assert "法务专员" in frame.locator("body").inner_text()


def test_a_markdown_file_reviews_its_mermaid_block_at_the_markdown_lines(tab, folder: Path) -> None:
    page = tab("docs.md")
    assert page.page.locator(".finding").count() == 0  # the first block is clean
    page.page.select_option("#block", "2")
    page.page.locator(".finding").first.wait_for(timeout=REVIEWED_WITHIN_MS)
    lines = (folder / "docs.md").read_text(encoding="utf-8").split("\n")
    opening = [number for number, line in enumerate(lines, 1) if line.strip() == "```mermaid"][1]
    closing = next(number for number, line in enumerate(lines, 1) if number > opening and line.strip() == "```")
    items = page.page.locator(".finding").all()
    assert items
    for item in items:
        line = int(re.search(r"line (\d+)", item.inner_text()).group(1))
        assert opening < line < closing, (line, item.inner_text())
    # Clicking a finding selects that line of the Markdown file.
    items[0].click()
    assert page.active_line() == int(re.search(r"line (\d+)", items[0].inner_text()).group(1))
    # Putting the cursor in the first block shows that block's chart and review.
    first = [number for number, line in enumerate(lines, 1) if line.strip() == "```mermaid"][0]
    page.page.locator(".cm-content .cm-line").nth(first + 1).click()  # line first + 2: inside the block
    page.page.wait_for_function("() => document.getElementById('block').value === '1'", timeout=5000)
    page.page.wait_for_function("() => document.querySelectorAll('.finding').length === 0", timeout=REVIEWED_WITHIN_MS)


def test_a_new_chart_from_a_template(tab, folder: Path) -> None:
    from salesflow.starters import starter_text

    page = tab("type.flow")
    page.page.click("#new")
    page.page.fill("#new-name", "fresh.flow")
    page.page.select_option("#new-template", "saas")
    page.page.select_option("#new-lang", "zh")
    page.page.click("#new-form button[type=submit]")
    page.page.wait_for_function("() => document.getElementById('file').value === 'fresh.flow'", timeout=5000)
    page.page.wait_for_function("() => document.querySelector('.cm-content').innerText.includes('SaaS')", timeout=5000)
    assert (folder / "fresh.flow").read_text(encoding="utf-8") == starter_text("saas", "zh")
    # The same name again is refused, and the file stays as it is.
    page.page.click("#new")
    page.page.fill("#new-name", "fresh.flow")
    page.page.click("#new-form button[type=submit]")
    page.page.wait_for_selector("#new-error:not([hidden])")
    assert "already exists" in page.page.locator("#new-error").inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshots(browser, lang: str, tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "annotated-ten-stages.flow", tmp_path / "ten-stages.flow")
    shutil.copy(SAMPLES / "classic-seven-stages.flow", tmp_path / "classic.flow")
    served = Studio(tmp_path, "--lang", lang)
    try:
        page = Tab(browser, served, "classic.flow")
        page.page.locator(".finding").first.click()
        page.page.wait_for_timeout(300)
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / f"studio-{lang}.png"))
        assert page.page.locator("#save").inner_text() == {"zh": "保存", "en": "Save"}[lang]
        assert page.page.locator("#tab-handbook").inner_text() == {"zh": "培训手册", "en": "Handbook"}[lang]
        page.close()
    finally:
        served.close()
