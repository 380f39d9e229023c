"""Plain data models of the briefing format (version 1).

No Textual imports here: these classes are shared by the loader, the checker, the feed
client and the UI. Field types are the schema: `validate.py` walks them to check documents
and `schema.py` walks them to publish a JSON Schema, so a field added here is checked and
documented with no other change. Every class is a `record`: a slotted dataclass.
"""

# No `from __future__ import annotations`: the annotations are evaluated as the classes
# are made, so the checker's first `get_type_hints` of them (before the first frame, for
# the opening's briefing) has no strings to evaluate (~1 ms).
import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import field
from typing import Any, Literal, TypeVar, dataclass_transform, overload

_Cls = TypeVar("_Cls", bound=type)


def _compared(record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, f.name) for f in dataclasses.fields(record) if f.compare)


def _record_eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _compared(self) == _compared(other)


def _record_hash(self: Any) -> int:
    return hash(tuple(getattr(self, f.name) for f in dataclasses.fields(self)
                      if (f.compare if f.hash is None else f.hash)))


def _record_repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}"
                      for f in dataclasses.fields(self) if f.repr)
    return f"{self.__class__.__qualname__}({shown})"


@overload
def record(cls: _Cls, /) -> _Cls: ...
@overload
def record(*, frozen: bool = False) -> Callable[[_Cls], _Cls]: ...


@dataclass_transform(field_specifiers=(field,))
def record(cls: Any = None, /, *, frozen: bool = False) -> Any:
    """`@dataclass(slots=True)` (with `frozen` as given), whose `==`, `hash` and `repr`
    behave as the dataclass's own but are shared by every record class, and whose
    `__init__` is the dataclass's but written once the class has made a few objects.

    `@dataclass` compiles each method it writes for a class, ~0.2-0.4 ms each here: the
    methods of the ~16 classes made before the reader's first frame cost it ~30 M
    instructions (~10 ms). `==` and `repr` are rarely called (tests, the odd comparison),
    so one copy of each serves every class, as do a frozen class's `__setattr__` and
    `__delattr__`. `__init__` is interpreted from the fields for a class's first objects
    (the few of the first frame), then compiled, as fast as the dataclass's, for the many
    of a library being loaded. A class that writes its own `__repr__` or `__init__` keeps it.
    """

    def make(cls: Any) -> Any:
        own_repr = cls.__dict__.get("__repr__")
        # Not `frozen=frozen`: a frozen dataclass compiles its `__setattr__` and
        # `__delattr__`; the shared ones below do the same.
        made = dataclasses.dataclass(cls, slots=True, eq=False, repr=False, init=False)
        made.__eq__ = _record_eq
        made.__hash__ = _record_hash if frozen else None
        made.__repr__ = own_repr or _record_repr
        if frozen:
            made.__setattr__ = _frozen_setattr
            made.__delattr__ = _frozen_delattr
            # Copies and pickles restore the fields through these, not `__setattr__`.
            made.__getstate__ = _frozen_getstate
            made.__setstate__ = _frozen_setstate
        if "__init__" in cls.__dict__:  # its own, which `@dataclass` would keep too
            return made
        _check_field_order(made)
        made.__init__ = _interpreted_init(made)
        return made

    return make if cls is None else make(cls)


class _Factory:
    """Stands for "not given" for a field with a default factory, as in dataclasses."""


_FACTORY = _Factory()


def _has_default(spec: dataclasses.Field) -> bool:
    return (spec.default is not dataclasses.MISSING
            or spec.default_factory is not dataclasses.MISSING)


def _check_field_order(cls: type) -> None:
    given = [spec for spec in dataclasses.fields(cls) if spec.init]
    for before, after in zip(given, given[1:], strict=False):
        if _has_default(before) and not _has_default(after):
            raise TypeError(f"non-default argument {after.name!r} follows default argument")


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _frozen_getstate(self: Any) -> list[Any]:
    return [getattr(self, spec.name) for spec in dataclasses.fields(self)]


def _frozen_setstate(self: Any, state: list[Any]) -> None:
    for spec, value in zip(dataclasses.fields(self), state, strict=True):
        object.__setattr__(self, spec.name, value)


_COMPILE_AFTER = 50
"""Objects a record class makes with its interpreted `__init__` before compiling one."""


def _interpreted_init(cls: type) -> Callable[..., None]:
    """An `__init__` for `cls` that binds its arguments to the fields itself, as the
    dataclass's would, and gives way to the compiled one (see `_compiled_init`) after
    `_COMPILE_AFTER` objects, or at once for arguments it cannot bind, which the compiled
    one then refuses with Python's own message."""
    specs = dataclasses.fields(cls)
    given = [spec.name for spec in specs if spec.init]
    takes = frozenset(given)
    plan = [(spec.name, spec.init, spec.default, spec.default_factory) for spec in specs]
    post_init = hasattr(cls, "__post_init__")
    missing = dataclasses.MISSING
    assign = object.__setattr__  # a frozen class's own `__setattr__` refuses
    left = _COMPILE_AFTER

    def compile_and_call(self: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        compiled = cls.__init__ = _compiled_init(cls)  # type: ignore[misc]
        compiled(self, *args, **kwargs)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal left
        left -= 1
        if left < 0 or len(args) > len(given):
            return compile_and_call(self, args, kwargs)
        values = dict(zip(given, args, strict=False))  # fewer args: defaults
        for name, value in kwargs.items():
            if name in values or name not in takes:
                return compile_and_call(self, args, kwargs)
            values[name] = value
        for name, init, default, factory in plan:
            if init and name in values:
                value = values[name]
            elif default is not missing:
                value = default
            elif factory is not missing:
                value = factory()
            elif init:
                return compile_and_call(self, args, kwargs)
            else:
                continue  # not given and no default: left unset, as by `@dataclass`
            assign(self, name, value)
        if post_init:
            self.__post_init__()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _compiled_init(cls: type) -> Callable[..., None]:
    """The `__init__` that `@dataclass` would write for `cls` (no `kw_only` or `InitVar`
    fields, which records do not use)."""
    names: dict[str, Any] = {"_FACTORY": _FACTORY, "_setattr": object.__setattr__}
    frozen = cls.__setattr__ is _frozen_setattr
    params, lines = [], []
    for spec in dataclasses.fields(cls):
        name = spec.name
        if spec.default_factory is not dataclasses.MISSING:
            names[f"_factory_{name}"] = spec.default_factory
            default, fresh = "_FACTORY", f"_factory_{name}()"
        elif spec.default is not dataclasses.MISSING:
            names[f"_default_{name}"] = spec.default
            default = fresh = f"_default_{name}"
        else:
            default = fresh = None
        if spec.init:
            params.append(name if default is None else f"{name}={default}")
            value = f"{fresh} if {name} is _FACTORY else {name}" if default == "_FACTORY" else name
        elif fresh is not None:
            value = fresh
        else:
            continue  # not given and no default: left unset, as by `@dataclass`
        lines.append(f"_setattr(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    # The source holds only the class's own field names; values are passed in `names`.
    exec(f"def __init__(self, {', '.join(params)}):\n"
         + "".join(f"    {line}\n" for line in lines or ["pass"]), names)
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


FORMAT_VERSION = 1

ClaimStatus = Literal["asserted", "corroborated", "disputed", "denied", "unverified"]
CLAIM_STATUSES: tuple[str, ...] = ("asserted", "corroborated", "disputed", "denied", "unverified")

Qualifier = Literal[
    "exactly", "about", "at least", "more than", "at most", "fewer than", "up to",
    "between", "several",
]
"""How a figure is hedged. `between` uses `upper`; `several` means a few multiples of
`value` ("several hundred" is value 100, qualifier several)."""

DocumentKind = Literal["briefing", "story"]


@record
class Figure:
    """A number a claim states, with its hedge and what it counts.

    `counts` says in the editor's words what is counted; `quantity` optionally names it with
    a slug shared across a story's briefings (e.g. `north-korean-troops`), so the story view
    compares exactly the figures that measure the same thing.
    """

    value: float
    qualifier: Qualifier
    unit: str
    counts: str
    upper: float | None = None
    quantity: str | None = None


@record
class Claim:
    """One substantive claim an article reports, attributed to who makes it."""

    id: str
    text: str
    claimant: str
    status: ClaimStatus
    topic: str
    evidence: list[str]
    figures: list[Figure] = field(default_factory=list)


@record
class Response:
    """An official reaction reported by the article."""

    id: str
    party: str
    speaker: str | None
    role: str | None
    date: dt.date | None
    stance: str
    summary: str
    quote: str | None


@record
class OpenQuestion:
    """A question the article leaves open or raises."""

    id: str
    text: str
    why_it_matters: str
    related_claims: list[str]
    topic: str | None = None


@record
class Briefing:
    """A structured summary of one news article."""

    format: int
    kind: Literal["briefing"]
    id: str
    story: str
    title: str
    outlet: str | None
    byline: str | None
    published: dt.date | None
    url: str | None
    summary: str
    key_claims: list[Claim]
    official_responses: list[Response]
    open_questions: list[OpenQuestion]
    source_text: str | None = None


@record
class TimelineEntry:
    """A dated event of a story, with the briefings that report it."""

    date: dt.date | None
    event: str
    reported_by: list[str]
    when: str | None = None

    @property
    def placed(self) -> str:
        """When it happened as a reader is told: the date (YYYY-MM-DD), else the story's
        own words ("July 2023"), else "date unknown"."""
        return self.date.isoformat() if self.date else (self.when or "date unknown")


@record
class Topic:
    """A topic key shared by the claims of a story's briefings."""

    key: str
    description: str


@record
class Story:
    """An event that several briefings cover."""

    format: int
    kind: Literal["story"]
    id: str
    title: str
    summary: str
    topics: list[Topic]
    timeline: list[TimelineEntry] = field(default_factory=list)


@record(frozen=True)
class BriefingSummary:
    """What the list of briefings needs, without the briefing's full text."""

    id: str
    story: str
    title: str
    outlet: str | None
    published: dt.date | None
    version: str
    """A hash of the briefing's content: the read state compares it to spot updates."""


@record(frozen=True)
class Problem:
    """A problem found in a file, at a line and column (1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


VERBATIM_FIELDS = frozenset({"evidence", "quote"})
"""The only keys whose text is copied from the article; everything else is the editor's."""


def display_or_unknown(value: object) -> str:
    """Render an optional metadata value, saying "unknown" when the article does not state it."""
    if value is None or value == "":
        return "unknown"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_MAGNITUDES = {100: "hundred", 1000: "thousand", 10**6: "million", 10**9: "billion",
               12: "dozen", 10: "tens"}


def format_number(value: float) -> str:
    """A number with thousands separators and no needless decimals (11000.0 -> "11,000")."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1000 else f"{value:g}"


def format_figure(figure: Figure) -> str:
    """The figure in words: "at least 155 people", "several hundred people", "between 2 and 3"."""
    unit = f" {figure.unit}" if figure.unit else ""
    if figure.qualifier == "several":
        name = _MAGNITUDES.get(int(figure.value)) if float(figure.value).is_integer() else None
        amount = f"several {name}" if name else f"several times {format_number(figure.value)}"
        return f"{amount}{unit}"
    if figure.qualifier == "between":
        upper = format_number(figure.upper) if figure.upper is not None else "?"
        return f"between {format_number(figure.value)} and {upper}{unit}"
    if figure.qualifier == "exactly":
        return f"{format_number(figure.value)}{unit}"
    return f"{figure.qualifier} {format_number(figure.value)}{unit}"


def describe_figure(figure: Figure) -> str:
    """The figure in words with what it counts: "at least 155 people (Chinese fighters)"."""
    return f"{format_figure(figure)} ({figure.counts})"
