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
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from typing import Any, Optional

from ..errors import RenderError

INSTALL_HINT = "install the PDF support with `pip install 'salesflow[pdf]'`"
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


def start_loading() -> None:
    """Start importing WeasyPrint in the background (most of a second of a PDF's time), while the
    caller reads, reviews and draws the chart: Graphviz draws in a process of its own, and while
    the caller waits for it the import has the interpreter. `html_to_pdf` waits for it to finish;
    an import that fails is tried again there, where its error becomes the message."""
    global _loading
    if _loading is None:
        _loading = threading.Thread(target=_import_quietly, name="load-weasyprint", daemon=True)
        _loading.start()


def _import_quietly() -> None:
    try:
        import weasyprint  # noqa: F401
    except Exception:  # reported by html_to_pdf, which imports it again
        pass


def html_to_pdf(html: str) -> bytes:
    """Print `html` (a handbook) to PDF bytes."""
    if _loading is not None:
        _loading.join()
    try:
        import weasyprint
    except ImportError:
        raise RenderError(f"PDF output needs WeasyPrint: {INSTALL_HINT}") from None
    except OSError as exc:  # its pango/cairo libraries are missing
        raise RenderError(f"WeasyPrint cannot start ({exc}); {INSTALL_HINT} and the pango libraries") from None
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
        document = weasyprint.HTML(string=with_values_for_variables(print_markup(html)), url_fetcher=_inline_only_fetcher(), base_url=None)
        return document.write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        raise RenderError(f"cannot lay out the PDF: {exc}") from exc
    finally:
        if collecting:
            gc.enable()
        logger.setLevel(level)
