"""salesflow/memo.py keeps results as functools does: the same answers, computed once, memory bounded."""

from __future__ import annotations

import functools

import pytest

from salesflow.memo import cached_property, memoized


def test_a_memoized_function_answers_as_lru_cache_and_computes_each_answer_once() -> None:
    calls: list[tuple] = []

    def fold(text: str, wide: bool = False) -> str:
        calls.append((text, wide))
        return text.upper() if wide else text.casefold()

    ours, theirs = memoized(maxsize=None)(fold), functools.lru_cache(maxsize=None)(fold)
    for args, options in [(("ABC",), {}), (("ABC",), {}), (("abc", True), {}), (("abc",), {"wide": True}), (("ABC",), {})]:
        assert ours(*args, **options) == theirs(*args, **options)
    assert calls.count(("ABC", False)) == 2  # once for each cache
    assert ours.__name__ == "fold" and ours.__wrapped__ is fold
    with pytest.raises(TypeError):
        ours(["a list is not hashable"])


def test_a_full_store_starts_again_and_cache_clear_empties_it() -> None:
    calls: list[int] = []

    @memoized(maxsize=3)
    def square(number: int) -> int:
        calls.append(number)
        return number * number

    assert [square(n) for n in (1, 2, 3, 1, 2, 3)] == [1, 4, 9, 1, 4, 9]
    assert calls == [1, 2, 3]
    assert square(4) == 16 and square(1) == 1  # the fourth emptied the store: 1 is computed again
    assert calls == [1, 2, 3, 4, 1] and square.cache_size() == 2
    square.cache_clear()
    assert square.cache_size() == 0
    assert square(4) == 16 and calls[-1] == 4


def test_a_cached_property_is_computed_once_per_instance_and_kept_in_it() -> None:
    class Chart:
        made = 0

        def __init__(self, nodes: int) -> None:
            self.nodes = nodes

        @cached_property
        def doubled(self) -> int:
            """Twice the nodes."""
            Chart.made += 1
            return self.nodes * 2

    first, second = Chart(2), Chart(5)
    assert (first.doubled, first.doubled, second.doubled) == (4, 4, 10)
    assert Chart.made == 2 and first.__dict__["doubled"] == 4
    assert isinstance(Chart.doubled, cached_property) and Chart.doubled.__doc__ == "Twice the nodes."
    del first.doubled  # forgotten, as functools.cached_property's value is: computed again on asking
    assert first.doubled == 4 and Chart.made == 3
