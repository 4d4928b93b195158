"""Frozen dataclasses that write their own `__init__` and share the rest, for the classes every run makes.

The model's classes (salesflow/model.py) and a lint finding are frozen dataclasses:
`dataclasses.fields`, `replace` and `asdict` work on them. But `@dataclass(frozen=True)`
generates and compiles six methods per class each time its module is imported, which cost a
small `salesflow lint` more than the rest of salesflow's modules together. So each such class
writes its `__init__` and takes equality, hash, repr and the refusal to change from `Record`,
written once; `record` makes it a dataclass without generating anything.
tests/test_model_records.py checks every class against the dataclass `@dataclass(frozen=True)`
makes of its fields: constructor, fields, repr, hash and equality.

Importing `dataclasses` itself (it brings `inspect`, `ast`, `dis`, `tokenize`) costs a cold
`salesflow lint` about as much as Python's own start, and a lint never asks for a record's
dataclass fields. So `record` lays the class out as `@dataclass(init=False, repr=False, eq=False,
slots=…)` would (the same fields, slots, class attributes, `__match_args__`), and the class's
`__dataclass_fields__` and `__dataclass_params__` are made by that very decorator the first time
something asks for them (`dataclasses.fields`, `replace`, `asdict`, `is_dataclass`).
"""

from __future__ import annotations

from operator import attrgetter, itemgetter

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
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
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

    # Pickling (the process pool sends findings back) and copying set the fields as `__init__`
    # does, not through `__setattr__`, as a frozen dataclass's own methods do.
    def __getstate__(self) -> list:
        return [getattr(self, name) for name in self._field_names]

    def __setstate__(self, state: list) -> None:
        for name, value in zip(self._field_names, state):
            set_field(self, name, value)


class field:
    """`dataclasses.field(default=…, compare=…, repr=…, hash=…)` for a record's field, read by `record`
    (and handed to `dataclasses.field` when the dataclass fields are asked for)."""

    def __init__(self, *, default: Any, compare: bool = True, repr: bool = True, hash: Optional[bool] = None) -> None:
        self.default = default
        self.options = {"compare": compare, "repr": repr, "hash": hash}


_NO_DEFAULT = object()
# What the dataclass decorator would treat otherwise than as a plain field, written as an annotation.
_SPECIAL_ANNOTATIONS = ("ClassVar", "InitVar", "KW_ONLY", "typing.", "dataclasses.")


def record(cls: Optional[type] = None, *, slots: bool = False) -> Any:
    """`cls` (a `Record` with its own `__init__` and a docstring) laid out as
    `@dataclass(init=False, repr=False, eq=False, slots=slots)` lays it out, generating nothing."""
    if cls is None:
        return lambda cls: record(cls, slots=slots)
    # A docstring spares the dataclass a signature of `__init__` (inspect) to describe the class.
    assert cls.__doc__, f"{cls.__name__} needs a docstring"
    # name → (compares and hashes, shown in the repr), the bases' fields first, as the decorator orders them.
    fields: dict[str, tuple[bool, bool]] = {}
    for base in cls.__mro__[-1:0:-1]:
        fields.update(base.__dict__.get("_record_fields", ()))
    own: dict[str, Any] = {}  # the class's own fields' defaults (or field specs)
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        assert isinstance(annotation, str) and not annotation.startswith(_SPECIAL_ANNOTATIONS), (cls, name)
        default = cls.__dict__.get(name, _NO_DEFAULT)
        if isinstance(default, field):
            options = default.options
            fields[name] = (options["compare"] and (options["hash"] is None or options["hash"]), options["repr"])
        else:
            fields[name] = (True, True)
        own[name] = default
    if slots:
        namespace = dict(cls.__dict__)
        inherited: set[str] = set()
        for base in cls.__mro__[1:-1]:
            held = base.__dict__.get("__slots__")
            inherited.update((held,) if isinstance(held, str) else held or ())
        namespace["__slots__"] = tuple(name for name in fields if name not in inherited)
        for name in fields:
            namespace.pop(name, None)
        namespace.pop("__dict__", None)
        namespace.pop("__weakref__", None)
        qualname = cls.__qualname__
        cls = type(cls)(cls.__name__, cls.__bases__, namespace)
        cls.__qualname__ = qualname
    else:
        for name, default in own.items():
            if default is not _NO_DEFAULT:
                type.__setattr__(cls, name, default.default if isinstance(default, field) else default)
    if "__match_args__" not in cls.__dict__:
        type.__setattr__(cls, "__match_args__", tuple(fields))
    type.__setattr__(cls, "_record_fields", tuple(fields.items()))
    type.__setattr__(cls, "_record_layout", (slots, own))
    for name in ("__dataclass_fields__", "__dataclass_params__"):
        type.__setattr__(cls, name, _MadeWhenAskedFor(name))
    compared = tuple(name for name, (compares, _shown) in fields.items() if compares)
    assert len(compared) > 1  # attrgetter gives a tuple, as the dataclass's hash takes, from two names on
    type.__setattr__(cls, "_compared", attrgetter(*compared))
    type.__setattr__(cls, "_shown_fields", tuple(name for name, (_compares, shown) in fields.items() if shown))
    type.__setattr__(cls, "_field_names", tuple(fields))
    return cls


class _MadeWhenAskedFor:
    """A record class's `__dataclass_fields__` or `__dataclass_params__`, made by the dataclass
    decorator on first use: it is run on a plain class with the record's bases, annotations and
    defaults, and what it makes replaces this on the record's class."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type) -> Any:
        holder = next(klass for klass in owner.__mro__ if klass.__dict__.get(self.name) is self)
        _make_dataclass_attributes(holder)
        return getattr(holder, self.name)


def _make_dataclass_attributes(cls: type) -> None:
    import dataclasses

    slots, own = cls.__dict__["_record_layout"]
    annotations = cls.__dict__["__annotations__"]
    namespace: dict[str, Any] = {"__doc__": cls.__doc__, "__module__": cls.__module__, "__qualname__": cls.__qualname__}
    namespace["__annotations__"] = {name: annotations[name] for name in own}
    for name, default in own.items():
        if isinstance(default, field):
            namespace[name] = dataclasses.field(default=default.default, **default.options)
        elif default is not _NO_DEFAULT:
            namespace[name] = default
    plain = type(cls)(cls.__name__, cls.__bases__, namespace)
    made = dataclasses.dataclass(init=False, repr=False, eq=False, slots=slots)(plain)
    for name in ("__dataclass_fields__", "__dataclass_params__"):
        type.__setattr__(cls, name, made.__dict__[name])


def slot_setters(cls: type) -> tuple:
    """The setter of each field's slot of a slotted record, in field order, for its `__init__`.

    A slot set through its own descriptor skips the look-up by name that `object.__setattr__`
    makes first: half the cost, for the records a big chart holds by the hundred thousand.
    """
    return tuple(cls.__dict__[name].__set__ for name in cls._field_names)  # type: ignore[attr-defined]


class Fields(tuple):
    """A named tuple written as a class: what `collections.namedtuple` makes, without compiling.

    `namedtuple` compiles each class's `__new__` from source as its module is imported: for the
    two dozen named tuples a short `salesflow lint` defines, that was a tenth of the run. A
    subclass names its fields in `_fields` and writes `__new__` (its defaults are the fields'
    defaults); the fields' properties, `_make`, `_replace`, `_asdict`, the repr and pickling are
    as `namedtuple` makes them (tests/test_model_records.py compares them):

        class Step(Fields):
            __slots__ = ()
            _fields = ("source", "target", "edge")

            def __new__(cls, source, target, edge=None):
                return tuple.__new__(cls, (source, target, edge))
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _field_defaults: dict[str, Any] = {}

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        own = cls.__dict__
        if "_fields" not in own:
            return  # a subclass of a named tuple, which keeps its fields
        for index, name in enumerate(cls._fields):
            if name not in own:  # what the class writes itself stays, as over a namedtuple base
                setattr(cls, name, property(itemgetter(index), doc=f"Alias for field number {index}"))
        defaults = cls.__new__.__defaults__ or ()
        cls._field_defaults = dict(zip(cls._fields[len(cls._fields) - len(defaults):], defaults))
        if "__match_args__" not in own:
            cls.__match_args__ = cls._fields

    @classmethod
    def _make(cls, iterable: Any) -> Any:
        made = tuple.__new__(cls, iterable)
        if len(made) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(made)}")
        return made

    def _replace(self, /, **changes: Any) -> Any:
        made = self._make([changes.pop(name, value) for name, value in zip(self._fields, self)])
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return made

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{self.__class__.__name__}({shown})"

    def __getnewargs__(self) -> tuple:
        return tuple(self)



def assignable_twin(record_class: type) -> type:
    """A class with the very layout of the slotted record `record_class` (the same base, the same
    slots) that lets its fields be assigned: the cheap way to make the records a chart is read into.

    A record refuses assignment, so its `__init__` sets each field through the slot's setter (see
    `slot_setters`): about 15,800 instructions for a node's 21 fields and 3,900 for a span's four,
    where plain assignments in a function cost about 3,800 and 1,900. So a function that makes many records takes a blank twin, assigns
    its fields and then makes it a `record_class`, as unchangeable from then on as one made by
    `__init__` (Python allows changing an object's class only between classes of the same layout,
    and checks it at the change):

        _SpanBeingMade = assignable_twin(Span)

        def new_span(line, column, end_line, end_column):
            span = object.__new__(_SpanBeingMade)
            span.line = line
            ...
            span.__class__ = Span
            return span

    The twin derives from the record's first base, which must not be `Record`: a class that
    writes its own `__setattr__`, even object's, has each assignment go through a call instead of
    straight to the slot, which costs more than the setters. A record whose other bases hold no
    slots names `Assignable` first. tests/test_model_records.py checks that what such a function
    makes equals what `__init__` makes.
    """
    base = record_class.__base__
    assert base.__setattr__ is object.__setattr__, f"{record_class.__name__} needs a first base that lets fields be assigned"
    return type(
        f"{record_class.__name__}BeingMade",
        (base,),
        {"__slots__": record_class.__dict__["__slots__"], "__module__": record_class.__module__},
    )


class Assignable:
    """The first base of a record made by `assignable_twin` whose other bases hold no slots: the
    base its twin shares with it (Python takes a class's first base as the one it shares its
    layout with when no base holds slots)."""

    __slots__ = ()
