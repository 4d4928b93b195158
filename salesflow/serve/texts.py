"""Every word the studio's page shows, in one table, translated by the catalog like any message.

The page receives the table of its language once, with the page itself; placeholders are named
(`{path}`, `{line}`) and filled in by the page. The catalog keeps these words apart (context
`studio`), so a button's "Save" is translated for the page. Messages about the chart itself
(findings, syntax errors) are salesflow's own, as the command line prints them, in the page's
language.
"""

from __future__ import annotations

from ..i18n import NP_, pgettext

TEXTS: dict[str, str] = {
    "title": NP_("studio", "salesflow studio"),
    "files": NP_("studio", "Files"),
    "new_file": NP_("studio", "New chart"),
    "save": NP_("studio", "Save"),
    "saved": NP_("studio", "Saved"),
    "unsaved": NP_("studio", "Unsaved changes"),
    "reviewing": NP_("studio", "Reviewing…"),
    "tab_chart": NP_("studio", "Chart"),
    "tab_findings": NP_("studio", "Review"),
    "tab_handbook": NP_("studio", "Handbook"),
    "role": NP_("studio", "Role"),
    "role_all": NP_("studio", "All roles"),
    "block": NP_("studio", "Chart {number}"),
    "zoom_in": NP_("studio", "Zoom in"),
    "zoom_out": NP_("studio", "Zoom out"),
    "zoom_fit": NP_("studio", "Fit"),
    "severity_error": NP_("studio", "error"),
    "severity_warning": NP_("studio", "warning"),
    "severity_info": NP_("studio", "note"),
    "line": NP_("studio", "line {line}"),
    "summary": NP_("studio", "{errors} errors, {warnings} warnings, {infos} notes"),
    "clean": NP_("studio", "No findings: ready to share with the team."),
    "parse_error": NP_(
        "studio",
        "Line {line} does not read, so the chart below is the last version that did: {message}",
    ),
    "render_error": NP_("studio", "The chart could not be drawn: {message}"),
    "too_slow": NP_("studio", "Reviewing this draft took too long; the chart stays at the last version."),
    "config_error": NP_("studio", "The configuration does not read, so the default rules apply: {message}"),
    "conflict_title": NP_("studio", "The file changed on disk; nothing was saved"),
    "conflict_body": NP_(
        "studio",
        "{path} changed on disk after you opened it (another editor, or a git pull). Your edits are still here.",
    ),
    "conflict_deleted": NP_("studio", "{path} was deleted on disk after you opened it. Your edits are still here."),
    "conflict_reload": NP_("studio", "Discard my edits, load the disk version"),
    "conflict_compare": NP_("studio", "Show both versions"),
    "conflict_overwrite": NP_("studio", "Overwrite with my version"),
    "conflict_keep": NP_("studio", "Not now"),
    "mine": NP_("studio", "Mine (not saved)"),
    "on_disk": NP_("studio", "On disk"),
    "external_loaded": NP_("studio", "{path} was changed outside the studio; the new text is loaded."),
    "external_pending": NP_(
        "studio",
        "{path} changed outside the studio while you have unsaved edits; saving will ask which to keep.",
    ),
    "disconnected": NP_("studio", "Lost the connection to salesflow; reconnecting…"),
    "refused": NP_("studio", "salesflow refused this request: {message}"),
    "new_title": NP_("studio", "New chart from a template"),
    "new_name": NP_("studio", "File name"),
    "new_template": NP_("studio", "Template"),
    "new_language": NP_("studio", "Language"),
    "create": NP_("studio", "Create"),
    "cancel": NP_("studio", "Cancel"),
    "exists": NP_("studio", "{path} already exists; choose another name."),
    "bad_name": NP_("studio", "The name must end in .flow, .mmd or .mermaid and stay inside this folder."),
    "no_files": NP_("studio", "There are no charts in this folder yet."),
}


def texts_for(lang: str) -> dict[str, str]:
    """The page's words in `lang` (a language without a catalog gets English)."""
    return {key: pgettext("studio", words, lang) for key, words in TEXTS.items()}
