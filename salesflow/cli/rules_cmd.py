"""`salesflow rules`: the rule catalogue, or one rule's full documentation."""

from __future__ import annotations

from typing import Optional

import click

from ..i18n import N_
from ..lint.docs import R_
from .translated import TranslatedCommand

# The fixed text of the command's output; its translations are in the `rules` catalog.
_MORE = R_("`salesflow rules NAME` explains one rule: what it checks, why, its options and examples.")
_DEFAULT = R_("Default: {severity} (the recommended preset); {others}")
_IN_PRESET = R_("{severity} in {preset}")
_LIST = R_(", ")
_CONFIGURE = R_("Configure: {setting}")
_OR_TABLE = R_(", or {table}")
_SUPPRESS = R_("Suppress: {comment}")


@click.command(
    "rules",
    cls=TranslatedCommand,
    help=N_(
        "List every lint rule, or explain one (by name, e.g. missing-owner, or code, e.g. SF101).\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow rules\n"
        "  salesflow rules dead-end\n"
        "  salesflow --lang zh rules SF101"
    ),
)
@click.argument("name", required=False, metavar="[NAME-OR-CODE]")
@click.option("--lang", default=None, metavar="LANG",
              help=N_("Language of the documentation: en or zh. Default: the language of every message "
                      "(salesflow --lang, SALESFLOW_LANG, the configuration's lang, the locale)."))
def command(name: Optional[str], lang: Optional[str]) -> None:
    from ..i18n import _, use
    from ..lint.rules import all_rules, lookup, suggestion

    lang = documentation_language(lang)
    with use(lang):
        if name is None:
            click.echo(catalogue(all_rules(), lang), nl=False)
            return
        rule = lookup(name)
        if rule is None:
            raise click.UsageError(_("`{name}` is not a rule{suggestion}; `salesflow rules` lists them all",
                                     name=name, suggestion=suggestion(name)))
        click.echo(explain(rule, lang), nl=False)


def documentation_language(chosen: Optional[str]) -> str:
    """The command's own --lang, else the language of every message (`salesflow --lang`,
    SALESFLOW_LANG, the configuration's lang, the locale), else English.

    A language with no catalog is a usage error when asked for with --lang, and English when it
    only comes from elsewhere (the environment is shared with other programs).
    """
    from ..i18n import _, current, match_language, resolve_language
    from ..lint.docs import rule_languages

    available = rule_languages()
    if chosen:
        code = match_language(chosen, available)
        if code is None:
            raise click.BadParameter(
                _("there is no rule documentation in `{lang}`; choose one of {languages}",
                  lang=chosen, languages=", ".join(available)),
                param_hint="--lang",
            )
        return code
    context = click.get_current_context(silent=True)
    if context is not None and context.parent is not None:
        wanted = current()  # `salesflow` decided it for the whole run
    else:
        from . import _configured_language

        wanted = resolve_language(config=_configured_language)
    return match_language(wanted, available) or "en"


def catalogue(rules, lang: str = "en") -> str:
    """One line per rule: code, name, default severity (off when the recommended preset leaves it off), summary."""
    from ..lint import docs

    gettext = docs.translator(lang)
    width = max(len(rule.NAME) for rule in rules)
    lines = []
    for rule in rules:
        severity = rule.SEVERITY if rule.ENABLED else "off"
        lines.append(f"{rule.CODE}  {rule.NAME:<{width}}  {severity:<7}  {_title(rule, lang)}")
    lines.append("")
    lines.append(gettext(_MORE))
    return "\n".join(lines) + "\n"


def _title(rule, lang: str) -> str:
    """What the rule is about: the documentation's summary in English, the rule's title in another language."""
    from ..lint import docs

    if lang == "en":
        return docs.summary(rule)
    return getattr(rule, "TITLE", {}).get(lang) or docs.summary(rule, lang)


def explain(rule, lang: str = "en") -> str:
    """The rule's documentation with a header saying who it is and how it is configured."""
    from ..lint import docs
    from ..lint.config import PRESETS, preset_rules

    gettext = docs.translator(lang)
    severities = {preset: preset_rules(preset)[rule.NAME].severity for preset in PRESETS}
    others = gettext(_LIST).join(
        gettext(_IN_PRESET).format(severity=severities[p], preset=p) for p in PRESETS if p != "recommended"
    )
    setting = f'[tool.salesflow.rules] {rule.NAME} = "error" | "warning" | "info" | "off"'
    if rule.OPTIONS:
        table = f"{{ severity = …, {', '.join(f'{k} = …' for k in rule.OPTIONS)} }}"
        setting += gettext(_OR_TABLE).format(table=table)
    header = [
        f"{rule.CODE} {rule.NAME}",
        gettext(_DEFAULT).format(severity=severities["recommended"], others=others),
        gettext(_CONFIGURE).format(setting=setting),
        gettext(_SUPPRESS).format(comment=f"%% salesflow: disable-next-line={rule.NAME}"),
        "",
    ]
    return "\n".join(header) + docs.render(rule, lang) + "\n"
