"""The PDF of a handbook: the same HTML laid out on A4 pages by WeasyPrint.

WeasyPrint implements CSS paged media (running headers and footers, page counters, `leader()`
and `target-counter()` for the table of contents, named landscape pages) and draws inline SVG
itself, with the pango libraries Graphviz already needs: no browser, no network.

The PDF depends on nothing but the HTML: there is no base URL, so a relative `click` link stays
relative (as in the HTML page) instead of becoming a `file:///` link into the folder salesflow
ran in; the creation date is the page's `dcterms.created`, the cover date (UTC or
`SOURCE_DATE_EPOCH`, see `render.handbook_date`).

WeasyPrint parses, styles and lays out every element it is given, shown or not, so the PDF is
made from the HTML without what print never shows: the templates mark those stretches (the chart
drawings meant for screens, each a few thousand elements) with `<!--screen-only-->` …
`<!--/screen-only-->` comments. A label cannot forge a marker: its `<` is escaped.

The command line prints in a child process (`start_loading`, `_Printer`), which imports WeasyPrint
and loads the faces (`_warmed_fonts`) while the chart is drawn; `html_to_pdf` without it prints in
the calling process, to the same bytes.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import signal
import sys
import threading
from typing import Any, Optional

from ..errors import RenderError
from ..i18n import _


def install_hint() -> str:
    """How to install the PDF support, in the reader's language; the command stays as typed."""
    return _("install the PDF support with {command}", command="`pip install 'salesflow[pdf]'`")


SCREEN_ONLY, SCREEN_ONLY_END = "<!--screen-only-->", "<!--/screen-only-->"


def print_markup(html: str) -> str:
    """`html` without its screen-only stretches (marked ones may nest; an unclosed one runs to
    the end, as a comment would).

    >>> print_markup("a<!--screen-only-->b<!--screen-only-->c<!--/screen-only-->d<!--/screen-only-->e")
    'ae'
    """
    kept: list[str] = []
    at = 0
    while (start := html.find(SCREEN_ONLY, at)) >= 0:
        kept.append(html[at:start])
        depth, at = 1, start + len(SCREEN_ONLY)
        while depth and at < len(html):
            opening, closing = html.find(SCREEN_ONLY, at), html.find(SCREEN_ONLY_END, at)
            if closing < 0:
                at = len(html)
            elif 0 <= opening < closing:
                depth, at = depth + 1, opening + len(SCREEN_ONLY)
            else:
                depth, at = depth - 1, closing + len(SCREEN_ONLY_END)
    kept.append(html[at:])
    return "".join(kept)


PRINT_FLAT = "<!--print-flat-->"
_FLAT_WRAPPER = re.compile(r"<(article|li)\b([^>]*)>" + PRINT_FLAT + r"(.*?)</\1>", re.S)
_ID = re.compile(r'\sid="([^"]*)"')
_FIRST_TAG = re.compile(r"<([a-z][a-z0-9]*)\b")


def without_print_wrappers(html: str) -> str:
    """`html` without the wrapper elements marked `<!--print-flat-->` (right after the opening
    tag), their content kept and their id, if any, moved to the first element inside.

    A stage card and a step of the printed column are each an element around a few paragraphs,
    and an entry of the contents' stage and role lists a list item around its link: on screen
    the element draws the card, keeps the step's parts together or makes the list; in print the
    paragraphs draw the card's bar and keep together themselves, and the link is the entry
    (handbook-print.css). WeasyPrint lays out every element it is given (it does not apply
    `display: contents`), and a wrapper costs it about as much as a paragraph; a browser's print
    keeps the wrapper, which print draws nothing with. The wrapper holds no wrapper of its kind
    once the screen-only stretches are gone, and a label cannot forge the marker, a closing tag
    or an attribute (its `<`, `>` and quotes are escaped).

    >>> without_print_wrappers('<ol><li class="step" id="flow-2"><!--print-flat--><p class="a">x</p><p>y</p></li></ol>')
    '<ol><p id="flow-2" class="a">x</p><p>y</p></ol>'
    >>> without_print_wrappers('<ol><li><!--print-flat--><a href="#stage-1">x</a></li></ol>')
    '<ol><a href="#stage-1">x</a></ol>'
    """
    def flattened(match: re.Match) -> str:
        content = match.group(3).strip()
        if not (wrapper_id := _ID.search(match.group(2))):
            return content
        return _FIRST_TAG.sub(lambda tag: f'<{tag.group(1)} id="{wrapper_id.group(1)}"', content, count=1)

    return _FLAT_WRAPPER.sub(flattened, html)


_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S | re.I)
_ROOT_RULE = re.compile(r":root\s*\{([^{}]*)\}")
_CUSTOM_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;{}]*)")
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*\)")


def with_values_for_variables(html: str) -> str:
    """`html` with each `var(--name)` in its stylesheets written as the value `--name` is given,
    where that is plain: set once, in a `:root` rule, to a value with no `var()` or `!important`.

    WeasyPrint resolves and re-parses a `var()` for every element that uses it, which costs it a
    tenth of a handbook's time; a value written out is parsed once. Only `<style>` elements change
    (a label's `<` is escaped, so none can be forged), and only where the result is the same: a
    property set anywhere else, or more than once, keeps its `var()`.

    >>> with_values_for_variables("<style>:root { --ink: #123; } p { color: var(--ink); }</style><p>var(--ink)</p>")
    '<style>:root { --ink: #123; } p { color: #123; }</style><p>var(--ink)</p>'
    >>> with_values_for_variables("<style>:root { --ink: #123; } .dark { --ink: #fff; } p { color: var(--ink); }</style>")
    '<style>:root { --ink: #123; } .dark { --ink: #fff; } p { color: var(--ink); }</style>'
    """
    sheets = [match.group(2) for match in _STYLE.finditer(html)]
    settings: dict[str, list[str]] = {}
    for sheet in sheets:
        for name, _value in _CUSTOM_PROPERTY.findall(sheet):
            settings.setdefault(name, []).append(_value)
    values = {}
    for sheet in sheets:
        for rule in _ROOT_RULE.findall(sheet):
            for name, value in _CUSTOM_PROPERTY.findall(rule):
                value = value.strip()
                if len(settings[name]) == 1 and value and "var(" not in value and "!" not in value:
                    values[name] = value
    if not values:
        return html

    def written_out(match: re.Match) -> str:
        return values.get(match.group(1), match.group(0))

    return _STYLE.sub(lambda m: m.group(1) + _VAR.sub(written_out, m.group(2)) + m.group(3), html)


def _inline_only_fetcher() -> Any:
    """A fetcher for `data:` URLs only (an organisation's inline logo): nothing else is ever fetched."""
    try:
        from weasyprint.urls import URLFetcher  # recent WeasyPrint: a class with an allow-list
    except ImportError:
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> dict:
            if url.startswith("data:"):
                return default_url_fetcher(url, *args, **kwargs)
            raise ValueError(f"the handbook fetches nothing (asked for {url[:80]})")

        return fetch
    return URLFetcher(allowed_protocols={"data"})


_loading: Optional[threading.Thread] = None
_printer: Optional["_Printer"] = None
# In the printer process, the font configuration that printed a few words while it waited for the
# handbook (`_warmed_fonts`); None elsewhere, where each print loads its faces itself.
_loaded_fonts: Any = None


def start_loading() -> None:
    """Get the printer ready while the caller reads, reviews and draws the chart.

    Where processes can fork, the PDF is printed in a child process started now: it imports
    WeasyPrint (most of a second) on the other core while this one works, and once it has sent
    the PDF back it exits without taking apart the hundreds of thousands of boxes, styles and
    text runs of the layout, which costs a tenth of a large handbook's time. Elsewhere WeasyPrint
    is imported in a background thread, which has the interpreter while the caller waits for
    Graphviz. `html_to_pdf` uses either; `stop_loading` ends a printer that will not be needed.
    """
    global _loading, _printer
    if _printer is not None or _loading is not None:
        return
    _printer = _Printer.start() if _can_fork() else None
    if _printer is None:
        _loading = threading.Thread(target=_import_quietly, name="load-weasyprint", daemon=True)
        _loading.start()


def stop_loading() -> None:
    """End the printer `start_loading` started, if `html_to_pdf` has not used it (the command failed)."""
    global _printer
    printer, _printer = _printer, None
    if printer is not None:
        printer.stop()


def _can_fork() -> bool:
    # macOS's system frameworks do not survive a fork reliably; its Python spawns by default too.
    return hasattr(os, "fork") and sys.platform != "darwin"


def _import_quietly() -> None:
    try:
        _import_weasyprint()
    except Exception:  # reported by html_to_pdf, which imports it again
        pass


def _import_weasyprint() -> Any:
    """WeasyPrint, imported with its libraries looked up in the linker's cache read once (see
    libraries.py): a quarter of a second less to start the printer."""
    from .libraries import quick_library_lookup

    try:
        with quick_library_lookup():
            import weasyprint
    except OSError:  # a library the linker's cache does not list: looked for as WeasyPrint does
        import weasyprint
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """Print `html` (a handbook) to PDF bytes: in the printer process if one was started (the same
    bytes as printed here)."""
    global _printer
    printer, _printer = _printer, None
    if printer is not None:
        return printer.print(html)
    if _loading is not None:
        _loading.join()
    return _print_here(html)


def _print_here(html: str) -> bytes:
    try:
        weasyprint = _import_weasyprint()
    except ImportError:
        raise RenderError(_("PDF output needs WeasyPrint: {hint}", hint=install_hint())) from None
    except OSError as exc:  # its pango/cairo libraries are missing
        raise RenderError(_("WeasyPrint cannot start ({error}); {hint} and the pango libraries", error=exc, hint=install_hint())) from None
    # WeasyPrint reports every CSS property it does not know (screen-only rules) as a warning;
    # those are expected here and would only bury real messages.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    # Laying out builds hundreds of thousands of boxes, styles and text runs that all live until
    # the PDF is written, and Python's cycle collector walks every one of them again and again:
    # a fifth of the time, measured, for nothing it could free. It is paused for the layout only.
    collecting = gc.isenabled()
    gc.disable()
    try:
        document = weasyprint.HTML(string=with_values_for_variables(without_print_wrappers(print_markup(html))), url_fetcher=_inline_only_fetcher(), base_url=None)
        return document.render(font_config=_loaded_fonts).write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        raise RenderError(_("cannot lay out the PDF: {error}", error=exc)) from exc
    finally:
        if collecting:
            gc.enable()
        logger.setLevel(level)


# What the printer process sends back: a PDF, or the message of the RenderError it met.
_PDF, _ERROR = b"P", b"E"


class _Printer:
    """A child process that prints one handbook: it reads the HTML from one pipe until the parent
    closes it, and writes back `_PDF` + the PDF or `_ERROR` + a message on another. An empty
    request (the parent stopped first) ends it with nothing to do."""

    def __init__(self, pid: int, requests: int, replies: int) -> None:
        self.pid, self.requests, self.replies = pid, requests, replies

    @classmethod
    def start(cls) -> Optional["_Printer"]:
        request_in, request_out = os.pipe()
        reply_in, reply_out = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no room for another process: print here instead
            for fd in (request_in, request_out, reply_in, reply_out):
                os.close(fd)
            return None
        if pid == 0:  # the printer: whatever happens, it never returns into the caller's code
            try:
                os.close(request_out)
                os.close(reply_in)
                _serve(request_in, reply_out)
            finally:
                os._exit(0)
        os.close(request_in)
        os.close(reply_out)
        return cls(pid, request_out, reply_in)

    def print(self, html: str) -> bytes:
        from ..pipes import write_all

        try:
            write_all(self.requests, html.encode("utf-8"))
        except BrokenPipeError:  # it stopped early; its reply (if any) says why
            pass
        finally:
            os.close(self.requests)
        reply = _read_all(self.replies)
        os.close(self.replies)
        _pid, status = os.waitpid(self.pid, 0)
        if reply[:1] == _PDF:
            return reply[1:]
        if reply[:1] == _ERROR:
            raise RenderError(reply[1:].decode("utf-8", "replace"))
        raise RenderError(_("the PDF printer stopped without a PDF ({how})", how=_ended(status)))

    def stop(self) -> None:
        # Without its request it would only finish importing WeasyPrint and exit: no need to wait for that.
        os.kill(self.pid, signal.SIGTERM)
        os.close(self.requests)
        os.close(self.replies)
        os.waitpid(self.pid, 0)


def _serve(requests: int, replies: int) -> None:
    """The printer's work (see `_Printer`). The cycle collector stays off: the process ends as soon
    as the PDF is out, and nothing it made needs freeing."""
    gc.disable()
    _import_quietly()  # while the parent is still busy with the chart
    global _loaded_fonts
    if not _waiting(requests):  # the handbook is not there yet: load the faces meanwhile
        _loaded_fonts = _warmed_fonts()
    html = _read_all(requests).decode("utf-8")
    if not html:
        return
    try:
        reply = _PDF + _print_here(html)
    except RenderError as exc:
        reply = _ERROR + str(exc).encode("utf-8")
    except Exception as exc:  # noqa: BLE001 - any failure becomes the parent's message
        reply = _ERROR + _("cannot lay out the PDF: {error}", error=exc).encode("utf-8")
    from ..pipes import write_all

    write_all(replies, reply)


# A few words in the handbook's faces, regular and bold, Latin, Chinese and the marks the cards
# use (some of which come from a fallback face).
_WARM_UP = ("<!DOCTYPE html><html lang=\"zh\"><head><style>{theme} html {{ font-family: var(--font); }}</style></head>"
            "<body><p>Stage 1 · 阶段 → ↓ □ ✓ ● ✎ <b>Stage 1 · 阶段 → ↓</b></p></body></html>")


def _warmed_fonts() -> Any:
    """A WeasyPrint font configuration that has printed a few words in the default theme's faces,
    or None if that fails.

    The first text WeasyPrint prints in a process loads the fontconfig configuration, opens each
    face and builds its tables, and brings in the parts of WeasyPrint a print needs. The faces
    stay loaded in the configuration the handbook is then printed with; the PDF is the same to
    the byte (each print subsets and embeds its fonts itself). Measured (fresh processes, median
    of 6, with the fontconfig cache built): the warm-up takes 0.13 s and the 100-node handbook's
    print after it 0.04 s less than without, so it pays only while the printer would otherwise
    wait that long; the whole `handbook --pdf` took the same with and without it (2.34 s for
    that handbook, 1.24 s for the ten-stage sample, medians of 8), its HTML coming about when
    WeasyPrint is imported.
    """
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)  # as for the handbook (`_print_here`)
    try:
        import pkgutil

        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        theme = (pkgutil.get_data("salesflow.templates", "handbook-theme.css") or b"").decode("utf-8")
        fonts = FontConfiguration()
        weasyprint.HTML(string=_WARM_UP.format(theme=theme), base_url=None).render(font_config=fonts).write_pdf()
        return fonts
    except Exception:  # noqa: BLE001 - only a head start: the handbook's own print reports any failure
        return None
    finally:
        logger.setLevel(level)


def _waiting(fd: int) -> bool:
    """Whether `fd` has something to read now (the parent has started sending the handbook)."""
    import select

    return bool(select.select([fd], [], [], 0)[0])


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return _("signal {number}", number=os.WTERMSIG(status))
    return _("exit status {code}", code=os.waitstatus_to_exitcode(status))
