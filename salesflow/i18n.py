"""The reader's language: which one a run speaks, and every message translated into it.

Messages are written in English in the code, as whole sentences with named placeholders
(`_("{stage} has no owner", stage=…)`), and translated through gettext catalogs:
`salesflow/locale/<lang>/LC_MESSAGES/<domain>.mo`, compiled from the `.po` files beside them
(`make catalogs`). English needs no catalog. Adding a language is adding its catalogs: `LANGUAGES`
lists what ships.

The language a run speaks is decided once (`resolve_language`) and set for the run (`use`,
`set_language`); the functions below translate into it unless given another. A catalog is read
the first time a message in its language is asked for, so a run that prints nothing in Chinese
never opens one.
"""

from __future__ import annotations

import os
from contextvars import ContextVar

from .memo import memoized

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Any, Mapping, Optional
    import gettext as _gettext_module

DEFAULT_LANGUAGE = "en"
DOMAIN = "salesflow"


# The catalogs ship inside the package, beside this module.
_LOCALE_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")


def _shipped_languages() -> tuple[str, ...]:
    """English, then every language whose compiled catalog ships in salesflow/locale/ (one folder
    listing, no catalog read): a language is added by adding its catalog, nothing else."""
    try:
        found = sorted(
            entry.name for entry in os.scandir(_LOCALE_FOLDER)
            if entry.is_dir() and os.path.isfile(os.path.join(entry.path, "LC_MESSAGES", DOMAIN + ".mo"))
        )
    except OSError:
        found = []
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


LANGUAGES = _shipped_languages()

_current: ContextVar[str] = ContextVar("salesflow_language", default=DEFAULT_LANGUAGE)


def match_language(code: Optional[str], available=LANGUAGES) -> Optional[str]:
    """The available language `code` names (`zh-CN`, `zh_Hans`, `zh_CN.UTF-8` → `zh`), or None."""
    if not isinstance(code, str) or not code.strip():
        return None
    wanted = code.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-").lower()
    if wanted in available:
        return wanted
    base = wanted.split("-", 1)[0]
    return base if base in available else None


def resolve_language(
    explicit: Optional[str] = None, config: Any = None, environ: Mapping[str, str] = os.environ
) -> str:
    """The language a run speaks, from the first of these that names one salesflow has:

    `--lang` (`explicit`), `SALESFLOW_LANG`, the configuration's `lang` (`config`: the value, a
    configuration with a `lang` attribute, or a function that finds it, called only when the first
    two say nothing), the locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`: the first one set
    decides, as for any program), else English. `C` and `POSIX` are English.
    """
    for wanted in (explicit, environ.get("SALESFLOW_LANG")):
        code = match_language(wanted)
        if code is not None:
            return code
    if callable(config):
        config = config()
    if config is not None and not isinstance(config, str):
        config = getattr(config, "lang", None)
    code = match_language(config)
    if code is not None:
        return code
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return match_language(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def current() -> str:
    """The language this run speaks."""
    return _current.get()


def set_language(lang: str) -> None:
    """Make `lang` the language of the rest of this run (the command line does it once)."""
    _current.set(match_language(lang) or DEFAULT_LANGUAGE)


class use:
    """Speak `lang` inside the block (None: keep the current language): `with use("zh") as code:`.

    A class, not a `contextlib.contextmanager`: this module is imported by every command, and
    `contextlib` (with `functools` and `collections`) is a tenth of a short lint (salesflow/memo.py).
    """

    def __init__(self, lang: Optional[str]) -> None:
        self.lang = lang

    def __enter__(self) -> str:
        code = (match_language(self.lang) or DEFAULT_LANGUAGE) if self.lang else current()
        self._token = _current.set(code)
        return code

    def __exit__(self, *raised: object) -> None:
        _current.reset(self._token)


@memoized()
def translations(lang: str, domain: str = DOMAIN) -> "_gettext_module.NullTranslations":
    """The catalog of `domain` in `lang`, read once; English (or a missing catalog) translates nothing."""
    import gettext

    code = match_language(lang)
    if code is None or code == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    # Read where the language was found (`_shipped_languages`), without importlib.resources,
    # which a Chinese run would otherwise import only for this.
    try:
        with open(os.path.join(_LOCALE_FOLDER, code, "LC_MESSAGES", f"{domain}.mo"), "rb") as handle:
            compiled = handle.read()
    except (FileNotFoundError, OSError):
        return gettext.NullTranslations()
    return _catalog(compiled, f"catalog-{code}-{domain}")


def _catalog(compiled: bytes, name: str) -> "_gettext_module.GNUTranslations":
    """The catalog read from `compiled` (a .mo file's bytes), as `gettext` reads it.

    `gettext` reads a catalog message by message in Python, which cost a Chinese run about a
    twentieth of a short lint: the table it makes is kept beside salesflow's bytecode
    (salesflow/pycache.py) with the bytes it was read from, and used while the file is the same.
    tests/test_i18n.py checks the kept table against `gettext`'s own reading of every catalog.
    """
    import gettext
    import io

    from . import pycache

    kept = pycache.load(name)
    if isinstance(kept, tuple) and len(kept) == 4 and kept[0] == compiled:
        catalog = gettext.GNUTranslations()  # nothing to read: its table is set below
        _bytes, catalog._info, catalog._charset, catalog._catalog = kept  # type: ignore[attr-defined]
        # The plural rule, as `gettext` makes it of the header (GNUTranslations._parse).
        forms = catalog._info.get("plural-forms")  # type: ignore[attr-defined]
        catalog.plural = gettext.c2py(forms.split(";")[1].split("plural=")[1]) if forms else lambda n: int(n != 1)
        return catalog
    try:
        catalog = gettext.GNUTranslations(io.BytesIO(compiled))
    except OSError:  # not a catalog gettext can read
        return gettext.NullTranslations()  # type: ignore[return-value]
    pycache.keep(name, (compiled, catalog._info, catalog._charset, catalog._catalog))  # type: ignore[attr-defined]
    return catalog


def gettext(message: str, lang: Optional[str] = None) -> str:
    """`message` in `lang` (default: the run's language)."""
    lang = lang or current()
    if lang == DEFAULT_LANGUAGE:
        return message
    return translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: Optional[str] = None) -> str:
    """The form of `singular`/`plural` that fits the count `n`, in `lang` (default: the run's)."""
    lang = lang or current()
    if lang == DEFAULT_LANGUAGE:
        return singular if n == 1 else plural
    return translations(lang).ngettext(singular, plural, n)


def pgettext(context: str, message: str, lang: Optional[str] = None) -> str:
    """`message` in `lang` (default: the run's language) where it is used as `context` says."""
    lang = lang or current()
    if lang == DEFAULT_LANGUAGE:
        return message
    return translations(lang).pgettext(context, message)


def _(message: str, /, **values: Any) -> str:
    """`message` translated into the run's language, its `{placeholders}` filled from `values`.

    Every message passed here is a format string: a literal brace is written `{{` or `}}`.
    """
    return gettext(message).format(**values)


def n_(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """`_` for a sentence about a count `n` (also available to the sentence as `{n}`)."""
    return ngettext(singular, plural, n).format(n=n, **values)


def N_(message: str) -> str:
    """Marks `message` for the catalog where it is written; it is translated where it is shown."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """`N_` for a sentence about a count, translated where it is shown with `ngettext`."""
    return singular, plural


def NP_(context: str, message: str) -> str:
    """`N_` for a message the catalog keeps apart by `context` (one English word, several uses)."""
    return message


def quote_label(text: str) -> str:
    """A chart label quoted in a message: 'label' in English, 「label」 in Chinese."""
    return _("'{label}'", label=text)
