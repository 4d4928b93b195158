"""The handbook PDF printed in a child process (salesflow/handbook/pdf.py): the same bytes as printed
in the command's own process, its failures as messages, and nothing left running."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from conftest import ROOT

from salesflow.cli import cli
from salesflow.errors import RenderError
from salesflow.handbook import pdf

SMALL = ("<!DOCTYPE html><html lang=\"zh\"><head><title>报价</title><style>:root { --ink: #123; } "
         "p { color: var(--ink); }</style></head><body><h2 id=\"a\">报价与谈判</h2><p><a href=\"#a\">第 1 步</a></p>"
         "</body></html>")


@pytest.fixture(autouse=True)
def no_printer_left():
    yield
    pdf.stop_loading()
    assert pdf._printer is None


def _children() -> set[int]:
    """The ids of this process's child processes that are still there (zombies included)."""
    me = str(os.getpid())
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                found.add(int(entry))
    return found


needs_fork = pytest.mark.skipif(not pdf._can_fork(), reason="the printer process needs fork")


@needs_fork
def test_the_printer_process_gives_the_bytes_printed_here(weasyprint) -> None:
    here = pdf.html_to_pdf(SMALL)
    before = _children()
    pdf.start_loading()
    assert pdf._printer is not None and pdf._printer.pid in _children() - before
    printed = pdf.html_to_pdf(SMALL)
    assert printed == here and printed.startswith(b"%PDF")
    assert pdf._printer is None and _children() <= before  # it has exited and been waited for


def test_faces_loaded_before_the_handbook_arrives_print_the_same_bytes(monkeypatch: pytest.MonkeyPatch, weasyprint) -> None:
    # The printer process prints a few words while it waits for the handbook and keeps the faces
    # loaded for it: the handbook's PDF must not depend on that.
    here = pdf.html_to_pdf(SMALL)
    monkeypatch.setattr(pdf, "_loaded_fonts", pdf._warmed_fonts())
    assert pdf._loaded_fonts is not None
    assert pdf.html_to_pdf(SMALL) == here


@needs_fork
def test_a_printer_that_cannot_load_faces_beforehand_still_prints(monkeypatch: pytest.MonkeyPatch, weasyprint) -> None:
    import weasyprint.text.fonts

    here = pdf.html_to_pdf(SMALL)

    def no_fonts() -> None:
        raise OSError("no fontconfig")

    # The child is a copy: its head start fails, and it prints the handbook as it comes.
    monkeypatch.setattr(weasyprint.text.fonts, "FontConfiguration", no_fonts)
    assert pdf._warmed_fonts() is None
    pdf.start_loading()
    assert pdf.html_to_pdf(SMALL) == here


@needs_fork
def test_a_failure_in_the_printer_is_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(html: str) -> bytes:
        raise RenderError("cannot lay out the PDF: no room on the page")

    monkeypatch.setattr(pdf, "_print_here", fails)  # the child is a copy: it fails the same way
    pdf.start_loading()
    with pytest.raises(RenderError, match="^cannot lay out the PDF: no room on the page$"):
        pdf.html_to_pdf(SMALL)


@needs_fork
def test_a_printer_that_dies_is_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_print_here", lambda html: os._exit(3))
    pdf.start_loading()
    with pytest.raises(RenderError, match=r"the PDF printer stopped without a PDF \(exit status 3\)"):
        pdf.html_to_pdf(SMALL)


def test_without_fork_the_pdf_is_printed_here(monkeypatch: pytest.MonkeyPatch, weasyprint) -> None:
    here = pdf.html_to_pdf(SMALL)
    monkeypatch.delattr(os, "fork", raising=False)
    pdf.start_loading()
    assert pdf._printer is None
    assert pdf.html_to_pdf(SMALL) == here


@needs_fork
def test_a_handbook_command_that_fails_leaves_no_printer(tmp_path, weasyprint) -> None:
    broken = tmp_path / "broken.flow"
    broken.write_text("flowchart TD\n  A[报价] --> end\n", "utf-8")
    before = _children()
    result = CliRunner().invoke(cli, ["handbook", str(broken), "--pdf", str(tmp_path / "out.pdf")])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out.pdf").exists()
    assert pdf._printer is None and _children() <= before


@needs_fork
def test_the_command_prints_the_same_pdf_in_the_printer_as_here(
    tmp_path, monkeypatch: pytest.MonkeyPatch, weasyprint, dot
) -> None:
    source = str(ROOT / "samples" / "classic-seven-stages.flow")
    made = []
    for forking in (True, False):
        with monkeypatch.context() as local:
            if not forking:
                local.delattr(os, "fork")
            out = tmp_path / f"fork-{forking}.pdf"
            result = CliRunner().invoke(cli, ["handbook", source, "--pdf", str(out), "--date", "2026-05-01"])
            assert result.exit_code == 0, result.output
            made.append(out.read_bytes())
    assert made[0] == made[1]
