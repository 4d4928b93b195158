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

import logging
from typing import Any

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


def html_to_pdf(html: str) -> bytes:
    """Print `html` (a handbook) to PDF bytes."""
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
    try:
        document = weasyprint.HTML(string=print_markup(html), url_fetcher=_inline_only_fetcher(), base_url=None)
        return document.write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        raise RenderError(f"cannot lay out the PDF: {exc}") from exc
    finally:
        logger.setLevel(level)
