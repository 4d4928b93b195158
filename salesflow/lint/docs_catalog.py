"""The `rules` gettext catalog: the rule documentation's prose, extracted, merged and compiled with Babel.

`make rule-catalog` (`python -m salesflow.lint.docs_catalog`) does it all, after a docstring or
the fixed text of `salesflow rules` changes:

1. extracts salesflow/locale/rules.pot: every prose unit of every rule's docstring, read by
   `docs.prose` (the same reader that shows the translation), plus the text marked `R_(...)` in
   salesflow/lint/docs.py and salesflow/cli/rules_cmd.py;
2. merges it into each salesflow/locale/<lang>/LC_MESSAGES/rules.po (a changed paragraph becomes
   a new, untranslated entry; the old translation stays below as obsolete, for reference);
3. compiles each .po into the rules.mo that ships in the wheel.

A file is rewritten only when its content changes, so running it twice changes nothing. A new
language starts with `pybabel init -D rules -i salesflow/locale/rules.pot -d salesflow/locale -l LANG`.
Babel is needed here only (it comes with the `test` extra); reading the catalog needs the
standard library alone.
"""

from __future__ import annotations

import ast
import inspect
import io
import sys
from pathlib import Path
from typing import IO, Iterator

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "salesflow" / "locale"
TEMPLATE = LOCALE / "rules.pot"
DOMAIN = "rules"
# Where the fixed text is marked: `R_("Why it matters")`.
KEYWORDS = {"R_": None}
FIXED_TEXT = ("salesflow/lint/docs.py", "salesflow/cli/rules_cmd.py")


def extract_rule_docs(fileobj: IO[bytes], keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extractor for a rule module: the prose units of its docstring, each with the rule it is from."""
    from .docs import prose

    tree = ast.parse(fileobj.read())
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    docstring = ast.get_docstring(tree, clean=False)
    if not docstring or "CODE" not in constants:
        return  # not a rule module (the package's __init__)
    first = tree.body[0].lineno
    for unit in prose(inspect.cleandoc(docstring)):
        yield first + unit.line - 1, None, unit.text, [f"{constants['CODE']} {constants['NAME']}: {unit.part}"]


def rule_files() -> list[Path]:
    return sorted(p for p in (ROOT / "salesflow" / "lint" / "rules").glob("*.py") if p.name != "__init__.py")


def template():
    """The catalog template as the sources say it should be (Babel `Catalog`)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    from .. import __version__

    catalog = Catalog(project="salesflow", version=__version__, domain=DOMAIN, fuzzy=False,
                      header_comment="# The rule documentation of salesflow (`salesflow rules NAME`).\n"
                                     "# Extracted by `make rule-catalog`; do not edit by hand.")
    sources = [(path, extract_rule_docs) for path in rule_files()]
    sources += [(ROOT / name, "python") for name in FIXED_TEXT]
    for path, method in sources:
        relative = path.relative_to(ROOT).as_posix()
        for line, message, comments, context in extract_from_file(method, path, keywords=KEYWORDS):
            catalog.add(message, locations=[(relative, line)], auto_comments=comments, context=context)
    return catalog


def catalogs() -> list[Path]:
    """Each language's rules.po."""
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def po_bytes(catalog) -> bytes:
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, width=100, include_previous=False)
    return out.getvalue()


def mo_bytes(po_path: Path) -> bytes:
    """The compiled catalog of `po_path`, fuzzy entries left out."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as source:
        catalog = read_po(source, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _without_dates(data: bytes) -> bytes:
    return b"\n".join(l for l in data.split(b"\n") if not l.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:')))


def _write_if_changed(path: Path, data: bytes, compare=lambda b: b) -> bool:
    if path.exists() and compare(path.read_bytes()) == compare(data):
        return False
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return True


def update() -> list[str]:
    """Extract, merge and compile; the lines to tell the maintainer."""
    from babel.messages.pofile import read_po

    report = []
    fresh = template()
    if TEMPLATE.exists():
        with TEMPLATE.open("rb") as old:
            previous = read_po(old)
        if _without_dates(po_bytes(fresh)) == _without_dates(TEMPLATE.read_bytes()):
            fresh.creation_date = previous.creation_date  # nothing changed: keep the file as it is
    if _write_if_changed(TEMPLATE, po_bytes(fresh), _without_dates):
        report.append(f"wrote {TEMPLATE.relative_to(ROOT)} ({len(fresh)} messages)")
    for po_path in catalogs():
        with po_path.open("rb") as source:
            catalog = read_po(source, domain=DOMAIN)
        catalog.update(fresh, no_fuzzy_matching=True)
        if _write_if_changed(po_path, po_bytes(catalog), _without_dates):
            report.append(f"wrote {po_path.relative_to(ROOT)}")
        missing = [m for m in catalog if m.id and (not m.string or m.fuzzy)]
        if missing:
            report.append(f"{po_path.relative_to(ROOT)}: {len(missing)} messages need a translation")
        if _write_if_changed(po_path.with_suffix(".mo"), mo_bytes(po_path)):
            report.append(f"wrote {po_path.with_suffix('.mo').relative_to(ROOT)}")
    return report or ["the rules catalog is up to date"]


STALE = "run `make rule-catalog` and translate what it reports as new"


def stale(fresh=None) -> list[str]:
    """What in the committed catalog files is behind the sources; empty when all is current."""
    from babel.messages.pofile import read_po

    fresh = template() if fresh is None else fresh
    wanted = {m.id: m.auto_comments for m in fresh if m.id}
    problems = []
    with TEMPLATE.open("rb") as committed:
        extracted = {m.id: m.auto_comments for m in read_po(committed) if m.id}
    for msgid in wanted.keys() - extracted.keys():
        problems.append(f"{TEMPLATE.name} lacks {msgid[:60]!r} ({', '.join(wanted[msgid])})")
    for msgid in extracted.keys() - wanted.keys():
        problems.append(f"{TEMPLATE.name} still has {msgid[:60]!r}, which no source says any more")
    for msgid in wanted.keys() & extracted.keys():
        if wanted[msgid] != extracted[msgid]:
            problems.append(f"{TEMPLATE.name} places {msgid[:60]!r} in {extracted[msgid]}, now {wanted[msgid]}")
    for po_path in catalogs():
        with po_path.open("rb") as source:
            merged = {m.id for m in read_po(source) if m.id}
        if merged != set(wanted):
            problems.append(f"{po_path.relative_to(ROOT)} is not merged with the sources")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != mo_bytes(po_path):
            problems.append(f"{mo_path.relative_to(ROOT)} is not compiled from {po_path.name}")
    return sorted(problems)


def main() -> None:
    for line in update():
        print(line)
    sys.exit(0)


if __name__ == "__main__":
    main()
