"""Results kept for the next call, as `functools` keeps them, without importing `functools`.

Importing `functools` brings `collections` with it (and `keyword`, `operator`, `reprlib`,
`types`): about 11 million instructions, a tenth of a short `salesflow lint`, for a decorator or
two. The modules a short command loads take these instead (tests/test_startup.py); others may
use `functools` as they like.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Optional, TypeVar

    Function = TypeVar("Function", bound=Callable[..., Any])

_MISSING = object()


def memoized(maxsize: Optional[int] = None) -> Callable[[Function], Function]:
    """`functools.lru_cache(maxsize)` for a function of hashable arguments, except that a full
    store is emptied instead of losing its oldest result: the same results, memory as bounded.

    The function keeps `cache_clear()`, as lru_cache's does, and `cache_size()`, the number of
    results kept (lru_cache's `cache_info().currsize`).
    """

    def decorate(function: Function) -> Function:
        results: dict = {}

        def remembered(*args: Any, **options: Any) -> Any:
            key = (*args, _MISSING, *options.items()) if options else args
            value = results.get(key, _MISSING)
            if value is _MISSING:
                value = function(*args, **options)
                if maxsize is not None and len(results) >= maxsize:
                    results.clear()
                results[key] = value
            return value

        remembered.cache_clear = results.clear  # type: ignore[attr-defined]
        remembered.cache_size = results.__len__  # type: ignore[attr-defined]
        remembered.__wrapped__ = function  # type: ignore[attr-defined]
        for name in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(remembered, name, getattr(function, name))
        return remembered  # type: ignore[return-value]

    return decorate


class cached_property:
    """`functools.cached_property`: computed on first access, then kept in the instance's
    `__dict__`, where later look-ups find it without calling anything."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        self.function = function
        self.__doc__ = function.__doc__
        self.name = function.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: Optional[type] = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value
