"""The studio's words: Chinese or English, chosen as the user asked, else as the charts are written."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Optional

import pytest

from conftest import SAMPLES
from salesflow.serve.texts import TEXTS, texts_for
from studio_server import Studio


def page_language(folder: Path, *options: str, lang_variable: Optional[str] = None) -> tuple[str, dict]:
    studio = Studio(folder, *options, lang_variable=lang_variable)
    try:
        status, page = studio.request("GET", f"/?token={studio.token}", token=False)
    finally:
        studio.close()
    assert status == 200
    settings = json.loads(re.search(r'<script type="application/json" id="studio-settings">(.*?)</script>', page, re.S).group(1))
    return settings["lang"], settings["texts"]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    made = {}
    for lang, sample in (("zh", "annotated-ten-stages.flow"), ("en", "saas-funnel.flow")):
        folder = tmp_path_factory.mktemp(lang)
        shutil.copy(SAMPLES / sample, folder / sample)
        made[lang] = folder
    return made


def test_the_charts_choose_when_nobody_asks(folders: dict[str, Path]) -> None:
    lang, texts = page_language(folders["zh"])
    assert lang == "zh" and texts["save"] == "保存" and texts["tab_handbook"] == "培训手册"
    lang, texts = page_language(folders["en"])
    assert lang == "en" and texts["save"] == "Save"


def test_lang_and_the_environment_win_over_the_charts(folders: dict[str, Path]) -> None:
    assert page_language(folders["zh"], "--lang", "en")[0] == "en"
    assert page_language(folders["zh"], lang_variable="en")[0] == "en"
    assert page_language(folders["en"], lang_variable="zh-CN")[0] == "zh"
    assert page_language(folders["en"], "--lang", "en", lang_variable="zh")[0] == "en"


def test_every_word_of_the_page_exists_in_both_languages() -> None:
    page = (Path(__file__).resolve().parent.parent / "salesflow" / "serve" / "studio.html").read_text(encoding="utf-8")
    script = (Path(__file__).resolve().parent.parent / "salesflow" / "serve" / "static" / "studio.js").read_text(encoding="utf-8")
    used = set(re.findall(r'data-(?:text|title)="(\w+)"', page)) | set(re.findall(r"\bT\.(\w+)", script))
    assert used <= set(TEXTS), sorted(used - set(TEXTS))
    english, chinese = texts_for("en"), texts_for("zh")
    assert english == TEXTS
    for key, words in TEXTS.items():
        assert re.search(r"[\u4e00-\u9fff]", chinese[key]), (key, chinese[key])
        # The same placeholders in both languages, so the page fills in either.
        assert set(re.findall(r"\{(\w+)\}", chinese[key])) == set(re.findall(r"\{(\w+)\}", words)), key
