"""The studio's shipped assets: the editor bundle was built from the sources and lockfile in the
repository (`make studio-assets`), and everything the page needs ships in the wheel."""

from __future__ import annotations

import hashlib
import re

from conftest import ROOT

EDITOR = ROOT / "salesflow" / "serve" / "editor"
STATIC = ROOT / "salesflow" / "serve" / "static"


def test_the_bundle_was_built_from_the_current_lockfile_and_sources() -> None:
    header = (STATIC / "editor.js").read_text(encoding="utf-8").split("\n", 1)[0]
    recorded = dict(re.findall(r"(lockfile|sources)-sha256=([0-9a-f]{64})", header))
    lockfile = hashlib.sha256((EDITOR / "package-lock.json").read_bytes()).hexdigest()
    sources = "\0".join(
        path.name + "\0" + path.read_text(encoding="utf-8") for path in sorted((EDITOR / "src").iterdir())
    )
    stale = "the editor bundle is stale: rebuild it with `make studio-assets` and commit salesflow/serve/static/"
    assert recorded.get("lockfile") == lockfile, stale
    assert recorded.get("sources") == hashlib.sha256(sources.encode("utf-8")).hexdigest(), stale


def test_the_lockfile_pins_exact_versions() -> None:
    import json

    manifest = json.loads((EDITOR / "package.json").read_text(encoding="utf-8"))
    for name, version in manifest["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version} is not pinned exactly"


def test_the_licences_of_the_bundle_are_shipped_with_it() -> None:
    licences = (STATIC / "editor.LICENSES.txt").read_text(encoding="utf-8")
    for package in ("@codemirror/view", "@codemirror/state", "@lezer/highlight", "style-mod", "crelt"):
        assert re.search(rf"^{re.escape(package)} \d+\.\d+\.\d+$", licences, re.M), package
    assert "MIT License" in licences or "Permission is hereby granted" in licences
