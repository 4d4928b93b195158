"""Frozen dataclasses that write their own `__init__` and share the rest, for the classes every run makes.

The model's classes (salesflow/model.py) and a lint finding are frozen dataclasses:
`dataclasses.fields`, `replace` and `asdict` work on them. But `@dataclass(frozen=True)`
generates and compiles six methods per class each time its module is imported, which cost a
small `salesflow lint` more than the rest of salesflow's modules together. So each such class
writes its `__init__` and takes equality, hash, repr and the refusal to change from `Record`,
written once; `record` makes it a dataclass without generating anything.
tests/test_model_records.py checks every class against the dataclass `@dataclass(frozen=True)`
makes of its fields: constructor, fields, repr, hash and equality.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass
from operator import attrgetter
from typing import Any, Optional

set_field = object.__setattr__  # how a frozen class sets its own fields in its `__init__`


class Record:
    """Equality, hash, repr and immutability as a frozen dataclass has them."""

    __slots__ = ()
    _compared: "attrgetter[tuple]"  # the fields that compare and hash, as a tuple
    _shown_fields: tuple[str, ...]  # the fields the repr shows
    _field_names: tuple[str, ...]  # every field

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._compared(self) == self._compared(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._compared(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown_fields)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    # Pickling (the process pool sends findings back) and copying set the fields as `__init__`
    # does, not through `__setattr__`, as a frozen dataclass's own methods do.
    def __getstate__(self) -> list:
        return [getattr(self, name) for name in self._field_names]

    def __setstate__(self, state: list) -> None:
        for name, value in zip(self._field_names, state):
            set_field(self, name, value)


def record(cls: Optional[type] = None, *, slots: bool = False) -> Any:
    """`cls` (a `Record` with its own `__init__` and a docstring) made a dataclass, generating nothing;
    `@record(slots=True)` also gives it slots, as `@dataclass(slots=True)` does."""
    if cls is None:
        return lambda cls: record(cls, slots=slots)
    # A docstring spares the dataclass a signature of `__init__` (inspect) to describe the class.
    assert cls.__doc__, f"{cls.__name__} needs a docstring"
    cls = dataclass(init=False, repr=False, eq=False, slots=slots)(cls)
    fields = cls.__dataclass_fields__.values()  # type: ignore[attr-defined]
    compared = tuple(f.name for f in fields if f.compare and (f.hash is None or f.hash))
    assert len(compared) > 1  # attrgetter gives a tuple, as the dataclass's hash takes, from two names on
    type.__setattr__(cls, "_compared", attrgetter(*compared))
    type.__setattr__(cls, "_shown_fields", tuple(f.name for f in fields if f.repr))
    type.__setattr__(cls, "_field_names", tuple(f.name for f in fields))
    return cls


def slot_setters(cls: type) -> tuple:
    """The setter of each field's slot of a slotted record, in field order, for its `__init__`.

    A slot set through its own descriptor skips the look-up by name that `object.__setattr__`
    makes first: half the cost, for the records a big chart holds by the hundred thousand.
    """
    return tuple(cls.__dict__[name].__set__ for name in cls._field_names)  # type: ignore[attr-defined]
