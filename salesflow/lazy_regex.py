"""Regular expressions compiled the first time they are used.

`re.compile` at a module's top level is paid on every import, whether or not the run ever looks
for the pattern, and `re` keeps what it compiled for one process only: a command that starts
afresh pays again. Most patterns cost microseconds, but a character class over a large Unicode
range (Han characters, say) is built one code point at a time and costs a millisecond or more.
A `LazyRegex` stands where the compiled pattern stood and compiles it on first use:

    _AFTER_ANSWER = LazyRegex(r"[,，:：;；、/]|\\s[-–—]+\\s|——")
    ...
    cut = _AFTER_ANSWER.search(label)

A pattern that nearly every run uses gains little from this; such a pattern is better made
cheap to compile, or replaced by `str` methods.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    import re
    from typing import Any

# What a compiled pattern offers; each is copied onto the stand-in once it is compiled, so that
# later uses cost an ordinary attribute look-up.
_ATTRIBUTES = (
    "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer",
    "pattern", "flags", "groups", "groupindex",
)


class LazyRegex:
    """`re.compile(pattern, flags)`, done when the pattern is first used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    @property
    def compiled(self) -> "re.Pattern[str]":
        """The compiled pattern itself, for code that needs a real `re.Pattern`."""
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            from .regex_cache import compiled as compile_kept

            compiled = compile_kept(*self._source)
            self.__dict__.update({name: getattr(compiled, name) for name in _ATTRIBUTES}, _compiled=compiled)
        return compiled

    def __getattr__(self, name: str) -> Any:
        # Only reached for what the instance does not hold yet: the first use of a method.
        if name not in _ATTRIBUTES:
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"LazyRegex({self._source[0]!r})"
