"""Tests of `models.record`: the package's dataclasses behave as `@dataclass(slots=True)` ones."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle

import pytest

from briefing.models import _COMPILE_AFTER, BriefingSummary, Figure, Problem, record


def test_equality_compares_the_fields_of_the_same_class() -> None:
    figure = Figure(155, "at least", "people", "fighters")
    assert figure == Figure(155, "at least", "people", "fighters")
    assert figure != Figure(156, "at least", "people", "fighters")
    assert figure != (155, "at least", "people", "fighters", None, None)

    @record
    class Other:
        value: float

    assert Other(1) != Figure(1, "about", "", "")


def test_frozen_records_hash_by_value_and_refuse_changes() -> None:
    problem = Problem("a.yaml", 3, 5, "status: expected one of ...")
    same = Problem("a.yaml", 3, 5, "status: expected one of ...")
    assert problem == same and hash(problem) == hash(same) and len({problem, same}) == 1
    assert hash(problem) != hash(Problem("a.yaml", 4, 5, "status: expected one of ..."))
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.line = 4  # type: ignore[misc]


def test_frozen_records_copy_and_pickle() -> None:
    problem = Problem("a.yaml", 3, 5, "status: expected one of ...")
    for duplicate in (copy.copy(problem), copy.deepcopy(problem),
                      pickle.loads(pickle.dumps(problem))):
        assert duplicate == problem and duplicate is not problem
    with pytest.raises(dataclasses.FrozenInstanceError):
        del problem.line


def test_mutable_records_are_unhashable_and_have_slots() -> None:
    figure = Figure(1, "about", "", "")
    with pytest.raises(TypeError):
        hash(figure)
    with pytest.raises(AttributeError):
        figure.valeu = 2  # type: ignore[attr-defined]
    assert "__dict__" not in dir(figure)


def test_repr_names_the_fields_as_a_dataclass_does() -> None:
    summary = BriefingSummary("b1", "s", "Title", None, dt.date(2025, 4, 9), "v1")
    assert repr(summary) == ("BriefingSummary(id='b1', story='s', title='Title', "
                             "outlet=None, published=datetime.date(2025, 4, 9), version='v1')")


def test_field_options_are_honoured() -> None:
    @record(frozen=True)
    class Noted:
        key: str
        note: str = dataclasses.field(default="", compare=False, repr=False)

    assert Noted("k", "one") == Noted("k", "two")
    assert hash(Noted("k", "one")) == hash(Noted("k", "two"))
    assert repr(Noted("k", "one")) == "test_field_options_are_honoured.<locals>.Noted(key='k')"


def test_a_class_keeps_its_own_repr() -> None:
    @record
    class Short:
        items: list[int]

        def __repr__(self) -> str:
            return f"<Short {len(self.items)}>"

    assert repr(Short([1, 2])) == "<Short 2>"


def test_init_is_the_dataclasses_own() -> None:
    def fields_of_both(**options: bool) -> tuple[type, type]:
        made = []
        for decorate in (record(**options), dataclasses.dataclass(slots=True, **options)):
            class Sample:
                name: str
                count: int = 1
                tags: list[str] = dataclasses.field(default_factory=list)
                seen: list[str] = dataclasses.field(default_factory=list, init=False)
                label: str = dataclasses.field(default="-", init=False)

            made.append(decorate(Sample))
        return made[0], made[1]

    for options in ({}, {"frozen": True}):
        ours, theirs = fields_of_both(**options)
        interpreted = ours.__init__
        # The first objects are made by the interpreted `__init__`, the later ones by the
        # compiled one: both as the dataclass's.
        for _ in range(_COMPILE_AFTER // 4 + 1):
            for args, kwargs in (((), {"name": "a"}), (("a", 2), {}),
                                 (("a",), {"tags": ["x"]}), (("a", 3, ["y"]), {}),
                                 (("a",), {"count": 5, "tags": ["z"]})):
                made, expected = ours(*args, **kwargs), theirs(*args, **kwargs)
                assert dataclasses.astuple(made) == dataclasses.astuple(expected)
        assert ours.__init__ is not interpreted
        assert ours("a").tags is not ours("a").tags  # a fresh list for each object
        for args, kwargs in (((), {}), (("a", 1, [], []), {}), (("a",), {"seen": []}),
                             (("a",), {"nmae": "b"})):
            with pytest.raises(TypeError):
                ours(*args, **kwargs)
            with pytest.raises(TypeError):
                theirs(*args, **kwargs)


def test_post_init_runs_and_field_order_is_checked() -> None:
    @record
    class Totalled:
        parts: list[int]
        total: int = dataclasses.field(default=0, init=False)

        def __post_init__(self) -> None:
            self.total = sum(self.parts)

    assert Totalled([1, 2, 3]).total == 6
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        @record
        class Misordered:
            a: int = 0
            b: int


def test_a_class_keeps_its_own_init() -> None:
    @record
    class Parsed:
        value: int

        def __init__(self, text: str) -> None:
            self.value = int(text)

    assert Parsed("42").value == 42


def test_a_first_object_with_bad_arguments_gets_pythons_own_error() -> None:
    # Before any object is made, the interpreted `__init__` hands arguments it cannot
    # bind to the compiled one, whose message is Python's.
    for args, kwargs, message in (((), {}, "missing 1 required positional argument"),
                                  (("a", 1, 2), {}, "takes from 2 to 3 positional"),
                                  (("a",), {"nmae": "b"}, "unexpected keyword argument"),
                                  (("a",), {"name": "b"}, "multiple values for argument")):
        @record
        class Named:
            name: str
            count: int = 0

        with pytest.raises(TypeError, match=message):
            Named(*args, **kwargs)
        assert Named("x").name == "x"
