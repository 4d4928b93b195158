"""The printer imports WeasyPrint with its libraries looked up in the linker's cache, read once
(salesflow/handbook/libraries.py): the same libraries, without the processes `ctypes` would start."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from salesflow.handbook.libraries import cached_soname, quick_library_lookup

pytestmark = pytest.mark.pdf

# Run in a fresh interpreter: which shared objects the import maps, and which programs it starts.
PROBE = r"""
import json, subprocess, sys
started = []
real = subprocess.Popen.__init__
def watched(self, args, *rest, **options):
    started.append(str(args[0] if isinstance(args, (list, tuple)) else args))
    real(self, args, *rest, **options)
subprocess.Popen.__init__ = watched
if sys.argv[1] == "quick":
    from salesflow.handbook.pdf import _import_weasyprint
    _import_weasyprint()
else:
    import weasyprint
with open("/proc/self/maps") as maps:
    mapped = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in maps if ".so" in line})
print(json.dumps({"mapped": mapped, "started": started}))
"""


def _import(way: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, way], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the linker's cache is Linux's")
def test_the_same_libraries_with_one_process_started(weasyprint) -> None:
    quick, usual = _import("quick"), _import("usual")
    wanted = ("pango", "harfbuzz", "fontconfig", "gobject")
    libraries = [name for name in quick["mapped"] if name.startswith(tuple(f"lib{w}" for w in wanted))]
    assert {w for w in wanted if any(name.startswith(f"lib{w}") for name in libraries)} == set(wanted)
    # The system's libraries (the Python modules each way imports differ: salesflow's own).
    assert [n for n in quick["mapped"] if n.startswith("lib")] == [n for n in usual["mapped"] if n.startswith("lib")]
    # ctypes asks ldconfig, gcc and ld for each name that does not load as it is.
    assert quick["started"] == ["/sbin/ldconfig"], quick["started"]
    assert len(usual["started"]) > 3


def test_lookup_reads_the_listing_as_find_library_does() -> None:
    listing = (
        "1234 libs found in cache `/etc/ld.so.cache'\n"
        "\tlibpangoft2-1.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpangoft2-1.0.so.0\n"
        "\tlibpango-1.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpango-1.0.so.0\n"
        "\tlibharfbuzz.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libharfbuzz.so.0\n"
    )
    assert cached_soname(listing, "pango-1.0") == "libpango-1.0.so.0"
    assert cached_soname(listing, "pangoft2-1.0") == "libpangoft2-1.0.so.0"
    assert cached_soname(listing, "harfbuzz") == "libharfbuzz.so.0"
    # Names WeasyPrint tries for other systems find nothing, as find_library's would.
    for name in ("libpango-1.0-0", "pango-1.0-0", "harfbuzz-0.0", "libharfbuzz-0"):
        assert cached_soname(listing, name) is None, name


def test_find_library_is_itself_again_after_the_block() -> None:
    import ctypes.util

    before = ctypes.util.find_library
    with quick_library_lookup():
        pass
    assert ctypes.util.find_library is before
