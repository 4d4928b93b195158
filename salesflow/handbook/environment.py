"""The one Jinja2 environment of salesflow: where templates are found and which filters they have.

Templates come from a user's folder first (`--template-dir`), then from the templates shipped as
package data (`salesflow.templates`), or from the checkout's `templates/` when salesflow runs from
a source tree that was not installed. Autoescaping is switched on explicitly: Jinja2's
`select_autoescape()` goes by file extension and would not cover `*.html.j2`.

A user's template is untrusted code: a plain Jinja2 environment lets `{{ cycler.__init__.__globals__ }}`
reach Python's `os`. With a user's folder, every template therefore runs in Jinja2's immutable
sandbox: it may read the values the handbook passes in, call their public methods and the
registered filters, but not reach attributes that start with `_`, Python internals, or change a
list or dict it is given. The shipped templates alone are salesflow's own code and run without
it: the sandbox vets each attribute a template reads and each call it makes (40,000 checks for
a 100-stage chart, a quarter of the time its HTML takes), and the page is the same to the byte
without them (tests/test_handbook_environment.py).

Every value a template writes out passes through `escape.clean` first (Jinja2's `finalize`), so
a code point that HTML and XML cannot hold never reaches the page, whichever template writes it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from ..durations import format_hours
from ..errors import ConfigError
from ..i18n import _
from ..render.escape import clean
from ..textwidth import display_width
from .bars import bars_path
from .text import css_counter_text, css_string, label_html, plain_label, safe_url, within_columns


class _PackageLoader(jinja2.BaseLoader):
    """Templates read through importlib.resources, so they load from an installed wheel as well."""

    def __init__(self) -> None:
        from importlib import resources

        try:
            self.root = resources.files("salesflow.templates")
        except ModuleNotFoundError:
            self.root = Path(__file__).resolve().parents[2] / "templates"

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, None, Callable[[], bool]]:
        if "/" in template or "\\" in template or template.startswith("."):
            raise jinja2.TemplateNotFound(template)
        resource = self.root.joinpath(template)
        if not resource.is_file():
            raise jinja2.TemplateNotFound(template)
        return resource.read_text("utf-8"), None, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.name.endswith((".j2", ".css")))


@lru_cache(maxsize=16)
def environment(lang: str, template_dir: Optional[str] = None) -> jinja2.Environment:
    """The environment for one handbook; `lang` picks how durations are written.

    Kept per language and folder, so a long-running process compiles each template once; Jinja2
    still notices when a file in a user's folder changes.
    """
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        if not os.path.isdir(template_dir):
            raise ConfigError(_("{option}: no such directory", option=f"--template-dir {template_dir}"))
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders.append(_PackageLoader())
    kind = jinja2.sandbox.ImmutableSandboxedEnvironment if template_dir is not None else jinja2.Environment
    env = kind(
        loader=jinja2.ChoiceLoader(loaders),
        # `{{ _("…") }}` and `{% trans %}` in a template speak the handbook's language.
        extensions=["jinja2.ext.i18n"],
        finalize=_printable,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    _register_filters(env, lang)
    if template_dir is None:  # the shipped templates alone: their compiled code is kept (see kept_templates.py)
        from .kept_templates import KeptTemplates

        env.bytecode_cache = KeptTemplates(env)
    from ..i18n import translations

    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def _printable(value: object) -> object:
    """What a template writes out, with every code point HTML cannot hold replaced (see `clean`)."""
    if isinstance(value, Markup):
        return Markup(clean(str(value)))  # markup stays markup: `clean` adds no `<` or `&`
    if isinstance(value, str):
        return clean(value)
    return value


def _register_filters(env: jinja2.Environment, lang: str) -> None:
    """Every filter the templates use, registered here and nowhere else."""
    env.filters.update(
        {
            # chart text → safe HTML (escaped, <br> kept)
            "label": label_html,
            # chart text → one line of plain text (autoescaped like any other value)
            "plain": plain_label,
            # a total in hours → `4.2天` / `4.2d`
            "hours": lambda hours: format_hours(hours, lang),
            # a link from the chart → the URL, or None when it is not http(s) or relative
            "safe_url": safe_url,
            # text inside a <style> element
            "css_string": css_string,
            "css_counter_text": css_counter_text,
            # text → the columns it takes, a Chinese character two (how long a printed line runs)
            "columns": display_width,
            # text → at most so many columns, an ellipsis ending what was cut (a line that must not wrap)
            "within_columns": within_columns,
            # the rows of a printed bar chart → one SVG path of their bars (a paint's)
            "bars_path": bars_path,
            # 0.35 → 35%
            "percent": lambda value: f"{value * 100:.0f}%",
        }
    )


def template_error(exc: jinja2.TemplateError) -> ConfigError:
    """A template problem (usually in a user's override) as one positioned message."""
    where = ""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or exc.name or 'template'}:{exc.lineno}: "
    elif isinstance(exc, jinja2.TemplateNotFound):
        return ConfigError(_("template not found: {name}", name=exc.name))
    elif isinstance(exc, jinja2.sandbox.SecurityError):
        return ConfigError(_("template refused: {reason} (templates run in a sandbox; see the README)", reason=str(exc.message or exc).rstrip('.')))
    return ConfigError(where + _("template error: {error}", error=exc.message or exc))
