"""The model's classes and a finding write their own methods; each must behave as `@dataclass(frozen=True)` would.

salesflow/records.py gives every such class its own `__init__` and shares equality, hash, repr,
immutability and pickling instead of letting `@dataclass` generate them at every start. Here each
class is compared with the frozen dataclass made from its own fields: the same constructor, the
same fields, and for every element (and finding) of the samples and test charts the same repr,
hash and equality; assignment is refused the same way; pickling and copying give an equal copy.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from pathlib import Path

import pytest

from salesflow import model
from salesflow.errors import SalesflowError
from salesflow.findings import Finding
import salesflow
from salesflow.parse import parse_text

ROOT = Path(__file__).resolve().parent.parent
CLASSES = (model.Span, model.Duration, model.Unreadable, model.Node, model.Edge, model.Subgraph, model.Comment,
           model.ClassDef, model.Click, model.Style, model.Process, Finding)


def _reference(cls: type) -> type:
    """The frozen dataclass `@dataclass(frozen=True)` makes of `cls`'s fields."""
    specs = []
    for f in dataclasses.fields(cls):
        options = {"compare": f.compare, "repr": f.repr, "hash": f.hash, "init": f.init}
        if f.default is not dataclasses.MISSING:
            options["default"] = f.default
        specs.append((f.name, f.type, dataclasses.field(**options)))
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=True)


REFERENCES = {cls: _reference(cls) for cls in CLASSES}


# Statements the sample charts do not use, and values that do not read.
EXTRA = """---
target: 尽快
---
flowchart LR
  %% a comment
  A[报价]@{ owner: 销售经理, due: 尽快 } -->|成交| B([结束])
  A e1@--> C
  e1@{ rate: high }
  classDef hot fill:#f96
  class A hot
  style B fill:#fff
  linkStyle 0 stroke:#f00
  click A "https://example.com" "详情" _blank
"""


def _processes() -> list[model.Process]:
    charts = [*sorted((ROOT / "samples").glob("*.flow")), *sorted((ROOT / "tests" / "cases").rglob("*.flow"))]
    processes = [parse_text(EXTRA, "extra.flow")]
    for path in charts:
        try:
            processes.append(parse_text(path.read_text(encoding="utf-8"), str(path)))
        except (SalesflowError, UnicodeDecodeError):
            continue
    return processes


def _elements(process: model.Process) -> list:
    found = [process, *process.nodes, *process.edges, *process.subgraphs, *process.comments, *process.class_defs,
             *process.clicks, *process.styles, *process.unreadable]
    for element in list(found):
        for f in dataclasses.fields(element):
            value = getattr(element, f.name)
            if isinstance(value, (model.Span, model.Duration)):
                found.append(value)
            elif isinstance(value, tuple):
                found.extend(item for item in value if isinstance(item, model.Unreadable))
    return found


PROCESSES = _processes()
ELEMENTS = [element for process in PROCESSES for element in _elements(process)]
ELEMENTS += [finding for process in PROCESSES for finding in salesflow.lint(process, "strict")]


def _as_reference(element):
    reference = REFERENCES[type(element)]
    return reference(**{f.name: getattr(element, f.name) for f in dataclasses.fields(element) if f.init})


@pytest.mark.parametrize("cls", CLASSES, ids=[cls.__name__ for cls in CLASSES])
def test_each_class_is_made_as_its_dataclass(cls: type) -> None:
    reference = REFERENCES[cls]
    assert dataclasses.is_dataclass(cls)
    ours = [(p.name, p.default, p.kind) for p in inspect.signature(cls).parameters.values()]
    theirs = [(p.name, p.default, p.kind) for p in inspect.signature(reference).parameters.values()]
    assert ours == theirs
    assert cls.__match_args__ == reference.__match_args__
    # Slotted: a chart of 50,000 nodes holds 100,000 of them, which would each carry a dict.
    assert getattr(cls, "__slots__", None) and "__dict__" not in dir(cls)


def test_every_kind_of_element_is_compared() -> None:
    # The charts hold every class, so the comparison below meets each of them.
    assert {type(element) for element in ELEMENTS} == set(CLASSES)


def test_repr_hash_and_equality_are_the_dataclasses() -> None:
    for element in ELEMENTS:
        reference = _as_reference(element)
        assert repr(element) == repr(reference)
        assert hash(element) == hash(reference)
        same = dataclasses.replace(element)
        assert same == element and not (same != element) and hash(same) == hash(element)
        assert element != reference  # another class: never equal, as between two dataclasses
        compared = [f for f in dataclasses.fields(element) if f.compare and f.init]
        changed_field = compared[0]
        other = dataclasses.replace(element, **{changed_field.name: _other_value(getattr(element, changed_field.name))})
        assert (other == element) == (_as_reference(other) == reference)


def _other_value(value):
    return value + 1 if isinstance(value, int) else ("x" if value != "x" else "y")


def test_elements_cannot_be_changed() -> None:
    for element in {type(e): e for e in ELEMENTS}.values():
        for f in dataclasses.fields(element):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(element, f.name, None)
            with pytest.raises(dataclasses.FrozenInstanceError):
                delattr(element, f.name)


def test_pickled_and_copied_elements_are_equal() -> None:
    # The process pool sends findings between processes; asdict() deep-copies values.
    for element in ELEMENTS[:: max(1, len(ELEMENTS) // 500)]:
        again = pickle.loads(pickle.dumps(element))
        assert again == element and repr(again) == repr(element)
        assert copy.deepcopy(element) == element
    process = pickle.loads(pickle.dumps(PROCESSES[0]))
    assert process.has_node(PROCESSES[0].nodes[0].id)


def test_a_replaced_process_indexes_its_own_nodes() -> None:
    process = next(p for p in PROCESSES if len(p.nodes) > 2)
    fewer = dataclasses.replace(process, nodes=process.nodes[:1])
    assert fewer.has_node(process.nodes[0].id) and not fewer.has_node(process.nodes[1].id)
    assert fewer != process and dataclasses.replace(fewer, nodes=process.nodes) == process


def test_text_is_read_once_and_belongs_to_its_element() -> None:
    # `text` is worked out on first use and kept in the element; a copy or a replaced element
    # reads its own label, never the one kept by the element it came from.
    process = parse_text('flowchart LR\n  A["客户说 #quot;太贵了#quot;"] -->|<b>成交</b>| B\n  subgraph s ["`**销售部**`"]\n    B\n  end\n')
    node, edge, subgraph = process.nodes[0], process.edges[0], process.subgraphs[0]
    assert node.text == '客户说 "太贵了"' and node.text is node.text
    assert edge.text == "成交" and subgraph.text == "销售部"
    assert dataclasses.replace(node, label="报价").text == "报价"
    assert dataclasses.replace(edge, label=None).text is None
    again = pickle.loads(pickle.dumps(node))
    assert again == node and again.text == node.text
    assert copy.copy(subgraph).text == "销售部"


# The parser makes spans, nodes and edges through functions that fill a twin of the class and make
# it the class (records.assignable_twin); each must give what `__init__` gives.
MADE_IN_ONE_STEP = ((model.Span, model.new_span), (model.Node, model.new_node), (model.Edge, model.new_edge))


@pytest.mark.parametrize("cls, make", MADE_IN_ONE_STEP, ids=[cls.__name__ for cls, _make in MADE_IN_ONE_STEP])
def test_what_the_parser_makes_in_one_step_is_what_init_makes(cls: type, make) -> None:
    assert [p.name for p in inspect.signature(make).parameters.values()] == list(cls._field_names)
    elements = [element for element in ELEMENTS if type(element) is cls]
    assert elements
    for element in elements:
        values = [getattr(element, name) for name in cls._field_names]
        made, initialised = make(*values), cls(*values)
        assert type(made) is cls and made == initialised and hash(made) == hash(initialised)
        assert repr(made) == repr(initialised) and [getattr(made, name) for name in cls._field_names] == values
        assert not hasattr(made, "__dict__")
        again = pickle.loads(pickle.dumps(made))
        assert type(again) is cls and again == made
    made = make(*[getattr(elements[0], name) for name in cls._field_names])
    for name in cls._field_names:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, name, None)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(made, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.__class__ = cls  # nor can it go back to the twin it was filled as


def test_a_twin_of_another_layout_cannot_become_the_record() -> None:
    from salesflow.records import assignable_twin

    # Python refuses to change an object's class to one of another layout: a twin made of one
    # record cannot pass as another.
    span_twin = assignable_twin(model.Span)
    blank = object.__new__(span_twin)
    with pytest.raises(TypeError):
        blank.__class__ = model.Duration


# ---------------------------------------------------------------------------------------------
# Named tuples written as classes (salesflow.records.Fields) against what collections.namedtuple makes.


def _field_classes() -> list[type]:
    import importlib
    import pkgutil

    from salesflow.records import Fields

    for module in pkgutil.walk_packages(salesflow.__path__, "salesflow."):
        if not module.name.startswith(("salesflow.serve", "salesflow.handbook", "salesflow.analytics", "salesflow.interop")):
            importlib.import_module(module.name)
    found, waiting = [], list(Fields.__subclasses__())
    while waiting:
        cls = waiting.pop()
        found.append(cls)
        waiting.extend(cls.__subclasses__())
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


@pytest.mark.parametrize("cls", _field_classes(), ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_each_named_tuple_is_what_namedtuple_makes(cls: type) -> None:
    import collections

    defaults = tuple(cls._field_defaults.values())
    twin = collections.namedtuple(cls.__name__, cls._fields, defaults=defaults)
    # The same parameters after the class (namedtuple calls it `_cls`), with the same defaults.
    assert list(inspect.signature(cls.__new__).parameters.values())[1:] == list(
        inspect.signature(twin.__new__).parameters.values()
    )[1:]
    assert (cls._fields, cls._field_defaults, cls.__match_args__) == (twin._fields, twin._field_defaults, twin.__match_args__)
    values = [f"v{index}" for index in range(len(cls._fields))]
    made, expected = cls(*values), twin(*values)
    assert made == expected and hash(made) == hash(expected) and tuple(made) == tuple(expected)
    assert repr(made) == repr(expected) and made._asdict() == expected._asdict()
    assert [getattr(made, name) for name in cls._fields] == values
    assert cls(**dict(zip(cls._fields, values))) == made
    assert made._replace(**{cls._fields[0]: "new"}) == expected._replace(**{cls._fields[0]: "new"})
    assert type(made._replace()) is cls and type(cls._make(values)) is cls
    with pytest.raises(ValueError, match="unexpected field names"):
        made._replace(no_such_field=1)
    with pytest.raises(TypeError):
        cls._make(values + ["one too many"])
    assert pickle.loads(pickle.dumps(made)) == made and type(pickle.loads(pickle.dumps(made))) is cls
    assert copy.copy(made) == made and copy.deepcopy(made) == made
    assert not hasattr(made, "__dict__")
