"""`salesflow rules`: the rule catalogue, or one rule's full documentation."""

from __future__ import annotations

from typing import Optional

import click


@click.command("rules")
@click.argument("name", required=False, metavar="[NAME-OR-CODE]")
def command(name: Optional[str]) -> None:
    """List every lint rule, or explain one (by name, e.g. missing-owner, or code, e.g. SF101).

    \b
    Examples:
      salesflow rules
      salesflow rules dead-end
      salesflow rules SF101
    """
    from ..lint.rules import all_rules, lookup, suggestion

    if name is None:
        click.echo(catalogue(all_rules()), nl=False)
        return
    rule = lookup(name)
    if rule is None:
        raise click.UsageError(f"`{name}` is not a rule{suggestion(name)}; `salesflow rules` lists them all")
    click.echo(explain(rule), nl=False)


def catalogue(rules) -> str:
    """One line per rule: code, name, default severity (off when the recommended preset leaves it off), summary."""
    from ..lint import docs

    width = max(len(rule.NAME) for rule in rules)
    lines = []
    for rule in rules:
        severity = rule.SEVERITY if rule.ENABLED else "off"
        lines.append(f"{rule.CODE}  {rule.NAME:<{width}}  {severity:<7}  {docs.summary(rule)}")
    lines.append("")
    lines.append("`salesflow rules NAME` explains one rule: what it checks, why, its options and examples.")
    return "\n".join(lines) + "\n"


def explain(rule) -> str:
    """The rule's documentation with a header saying who it is and how it is configured."""
    from ..lint import docs

    from ..lint.config import PRESETS, preset_rules

    severities = {preset: preset_rules(preset)[rule.NAME].severity for preset in PRESETS}
    others = ", ".join(f"{severities[p]} in {p}" for p in PRESETS if p != "recommended")
    default = f"{severities['recommended']} (the recommended preset); {others}"
    header = [
        f"{rule.CODE} {rule.NAME}",
        f"Default: {default}",
        f'Configure: [tool.salesflow.rules] {rule.NAME} = "error" | "warning" | "info" | "off"'
        + (f", or {{ severity = …, {', '.join(f'{k} = …' for k in rule.OPTIONS)} }}" if rule.OPTIONS else ""),
        f"Suppress: %% salesflow: disable-next-line={rule.NAME}",
        "",
    ]
    return "\n".join(header) + docs.text(rule) + "\n"
