"""Turn parsed YAML into model objects, collecting every problem with its field path.

The checks are driven by the dataclass field types in `models.py`, so the validator, the
JSON Schema and the models cannot drift apart. Every problem is collected (not just the
first), each naming the field path, e.g. `key_claims[2].status`, and what was expected.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from briefing.models import FORMAT_VERSION, Briefing, Story, record

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"
"""What `is_slug` accepts, as a regular expression (for the JSON Schema)."""
_SLUG_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-"


def is_slug(text: str, max_length: int = 80) -> bool:
    """Whether `text` is a slug: 1-`max_length` lowercase ASCII letters, digits and
    hyphens, not starting with a hyphen (`SLUG_PATTERN` at 80). Not a compiled pattern:
    compiling one cost every start ~0.5 M instructions, before its first frame."""
    return (0 < len(text) <= max_length and text[0] != "-"
            and not text.strip(_SLUG_CHARACTERS))


Path_ = tuple[str | int, ...]


class _Unreadable:
    """The type of `UNREADABLE`."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = _Unreadable()
"""Stands for a value the YAML reader could not build (an impossible date, a number too
long). The reader reports it with its place and field, so the checks here pass over it
instead of reporting it a second time as a value of the wrong type."""


@record
class Issue:
    """A problem in a document, located by field path (resolved to a position later)."""

    path: Path_
    message: str
    at_key: bool = False


def format_path(path: Path_) -> str:
    """Render a field path as `key_claims[2].status`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(document)"


@record(frozen=True)
class FieldSpec:
    """One dataclass field: its name, type and whether the document must give it."""

    name: str
    type: Any
    required: bool


@cache
def fields_of(cls: type) -> tuple[FieldSpec, ...]:
    """The fields of a model class with resolved types."""
    fields = dataclasses.fields(cls)
    # The models' annotations are types already (see `models`): strings only elsewhere.
    hints = (typing.get_type_hints(cls) if any(isinstance(f.type, str) for f in fields)
             else {f.name: f.type for f in fields})
    return tuple(
        FieldSpec(
            f.name,
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in fields
    )


def describe(tp: Any) -> str:
    """A short human description of a field type, for 'expected ...' messages."""
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "one of: " + ", ".join(str(a) for a in typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        parts = [describe(a) for a in typing.get_args(tp) if a is not type(None)]
        return " or ".join(parts) + " or null"
    if origin is list:
        return f"a list of {describe(typing.get_args(tp)[0])}"
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    return {str: "text", int: "a whole number", float: "a finite number",
            dt.date: "a date (YYYY-MM-DD)", bool: "true or false"}.get(tp, str(tp))


def describe_value(value: Any) -> str:
    """An untrusted value as a message quotes it: short, and containers by kind only."""
    if value is None:
        return "null"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


Checker = Callable[[Any, Path_, list[Issue]], Any]


def convert(value: Any, tp: Any, path: Path_, issues: list[Issue], *,
            iso_dates: bool = False) -> Any:
    """Check `value` against type `tp`; return the converted value or None after an issue.

    Dates are `date`s, as the YAML reader makes them; with `iso_dates`, `YYYY-MM-DD`
    text, as JSON holds them (see `codec.to_plain`), converted to `date`s.
    """
    return checker(tp, iso_dates)(value, path, issues)


def _mismatch(tp: Any) -> Checker:
    def fail(value: Any, path: Path_, issues: list[Issue]) -> None:
        if value is UNREADABLE:
            return
        issues.append(Issue(path, f"{format_path(path)}: expected {describe(tp)}; "
                                  f"got {describe_value(value)}"))
    return fail


@cache
def checker(tp: Any, iso_dates: bool = False) -> Checker:
    """A function checking values of type `tp`, built once per type (introspection is slow);
    `iso_dates` as in `convert`."""
    origin = typing.get_origin(tp)
    fail = _mismatch(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        inner = checker(next(a for a in args if a is not type(None)), iso_dates)
        nullable = type(None) in args

        def check_union(value: Any, path: Path_, issues: list[Issue]) -> Any:
            if value is None and nullable:
                return None
            return inner(value, path, issues)
        return check_union
    if origin is typing.Literal:
        allowed = frozenset(typing.get_args(tp))

        def check_literal(value: Any, path: Path_, issues: list[Issue]) -> Any:
            if isinstance(value, str | int) and value in allowed:
                return value
            return fail(value, path, issues)
        return check_literal
    if origin is list:
        item = checker(typing.get_args(tp)[0], iso_dates)

        def check_list(value: Any, path: Path_, issues: list[Issue]) -> Any:
            if not isinstance(value, list):
                return fail(value, path, issues)
            return [item(element, (*path, i), issues) for i, element in enumerate(value)]
        return check_list
    if dataclasses.is_dataclass(tp):
        return _object_checker(tp, iso_dates)
    if tp is dt.date and iso_dates:
        return _iso_date_checker(fail)
    fits = _fits(tp)

    def check_scalar(value: Any, path: Path_, issues: list[Issue]) -> Any:
        if not fits(value):
            return fail(value, path, issues)
        if tp is str and not value.strip():
            issues.append(Issue(path, f"{format_path(path)}: must not be empty"))
        return value
    return check_scalar


def _fits(tp: Any) -> Callable[[Any], bool]:
    if tp is float:  # .nan and .inf are YAML numbers, but count nothing
        return lambda value: (isinstance(value, int | float) and not isinstance(value, bool)
                              and math.isfinite(value))
    if tp is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if tp is dt.date:
        return lambda value: isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return lambda value: isinstance(value, tp)


def _iso_date_checker(fail: Checker) -> Checker:
    def check_iso_date(value: Any, path: Path_, issues: list[Issue]) -> Any:
        # YYYY-MM-DD, as `to_plain` writes dates (not the other forms `fromisoformat` reads)
        if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        return fail(value, path, issues)
    return check_iso_date


def _object_checker(cls: type, iso_dates: bool) -> Checker:
    specs = fields_of(cls)
    plan = [(spec.name, spec.required, spec.type, checker(spec.type, iso_dates))
            for spec in specs]
    known = {spec.name for spec in specs}
    expected_keys = ", ".join(sorted(known))

    def check_object(value: Any, path: Path_, issues: list[Issue]) -> Any:
        if not isinstance(value, dict):
            if value is not UNREADABLE:
                issues.append(Issue(path, f"{format_path(path)}: expected a mapping; "
                                          f"got {describe_value(value)}"))
            return None
        before = len(issues)
        for key in value.keys() - known:
            issues.append(Issue((*path, key), f"{format_path((*path, key))}: unknown key; "
                                              f"expected one of: {expected_keys}", at_key=True))
        kwargs: dict[str, Any] = {}
        for name, required, tp, check in plan:
            if name in value:
                kwargs[name] = check(value[name], (*path, name), issues)
            elif required:
                issues.append(Issue(path, f"{format_path((*path, name))}: missing field "
                                          f"(expected {describe(tp)})"))
        return None if len(issues) > before else cls(**kwargs)
    return check_object


def _convert_object(value: Any, cls: type, path: Path_, issues: list[Issue]) -> Any:
    return checker(cls)(value, path, issues)


def convert_document(data: Any, stem: str, issues: list[Issue]) -> Briefing | Story | None:
    """Check a whole document; return the model when it has no problem at all."""
    if data is UNREADABLE:  # reported by the YAML reader
        return None
    if not isinstance(data, dict):
        issues.append(Issue((), "expected a mapping at the top of the file; "
                                f"got {describe_value(data)}"))
        return None
    kind = data.get("kind")
    if kind is UNREADABLE:
        return None
    cls = {"briefing": Briefing, "story": Story}.get(kind) if isinstance(kind, str) else None
    if cls is None:
        where = "missing field" if "kind" not in data else f"got {describe_value(kind)}"
        issues.append(Issue(("kind",), f"kind: {where} (expected one of: briefing, story)"))
        return None
    before = len(issues)
    document = _convert_object(data, cls, (), issues)
    _check_rules(data, stem, issues)
    return document if len(issues) == before else None


def _check_rules(data: dict[str, Any], stem: str, issues: list[Issue]) -> None:
    """Rules beyond types: slugs, file name, unique ids, references that must resolve."""
    if "format" in data and data["format"] != FORMAT_VERSION and isinstance(data["format"], int):
        issues.append(Issue(("format",), f"format: this reader reads format {FORMAT_VERSION}; "
                                         f"got {data['format']}"))
    doc_id = data.get("id")
    if isinstance(doc_id, str):
        if not is_slug(doc_id):
            issues.append(Issue(("id",), f"id: expected a slug (lowercase letters, digits and "
                                         f"hyphens); got {describe_value(doc_id)}"))
        elif doc_id != stem:
            issues.append(Issue(("id",), f"id: must equal the file name {stem!r}; "
                                         f"got {describe_value(doc_id)}"))
    story = data.get("story")
    if isinstance(story, str) and not is_slug(story):
        issues.append(Issue(("story",), f"story: expected a slug; got {describe_value(story)}"))
    timeline = data.get("timeline")
    for i, entry in enumerate(timeline if isinstance(timeline, list) else []):
        refs = entry.get("reported_by") if isinstance(entry, dict) else None
        for j, ref in enumerate(refs if isinstance(refs, list) else []):
            if isinstance(ref, str) and not is_slug(ref):
                path = ("timeline", i, "reported_by", j)
                issues.append(Issue(path, f"{format_path(path)}: expected a briefing id "
                                          f"(a slug); got {describe_value(ref)}"))
    for section in ("key_claims", "official_responses", "open_questions", "topics"):
        _check_unique_ids(data.get(section), section, "key" if section == "topics" else "id",
                          issues)
    claims = data.get("key_claims")
    claim_ids = {c.get("id") for c in claims if isinstance(c, dict)} if isinstance(
        claims, list) else set()
    for i, claim in enumerate(claims if isinstance(claims, list) else []):
        if isinstance(claim, dict):
            _check_claim(claim, ("key_claims", i), issues)
    questions = data.get("open_questions")
    for i, question in enumerate(questions if isinstance(questions, list) else []):
        refs = question.get("related_claims") if isinstance(question, dict) else None
        for j, ref in enumerate(refs if isinstance(refs, list) else []):
            if isinstance(ref, str) and ref not in claim_ids:
                path = ("open_questions", i, "related_claims", j)
                issues.append(Issue(path, f"{format_path(path)}: no claim with id {ref!r} "
                                          "in this briefing"))


def _check_unique_ids(items: Any, section: str, key: str, issues: list[Issue]) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        value = item.get(key) if isinstance(item, dict) else None
        if not isinstance(value, str):
            continue
        path = (section, i, key)
        if not is_slug(value):
            issues.append(Issue(path, f"{format_path(path)}: expected a slug; "
                                      f"got {describe_value(value)}"))
        if value in seen:
            issues.append(Issue(path, f"{format_path(path)}: duplicate {key} {value!r} "
                                      f"(first used at {section}[{seen[value]}])"))
        else:
            seen[value] = i


def _check_claim(claim: dict[str, Any], path: Path_, issues: list[Issue]) -> None:
    topic = claim.get("topic")
    if isinstance(topic, str) and not is_slug(topic):
        issues.append(Issue((*path, "topic"), f"{format_path((*path, 'topic'))}: expected a "
                                              f"slug; got {describe_value(topic)}"))
    evidence = claim.get("evidence")
    if isinstance(evidence, list) and not evidence:
        issues.append(Issue((*path, "evidence"), f"{format_path((*path, 'evidence'))}: needs "
                                                 "at least one verbatim excerpt"))
    figures = claim.get("figures")
    for i, figure in enumerate(figures if isinstance(figures, list) else []):
        if not isinstance(figure, dict):
            continue
        fpath = (*path, "figures", i)
        quantity = figure.get("quantity")
        if isinstance(quantity, str) and not is_slug(quantity):
            issues.append(Issue((*fpath, "quantity"), f"{format_path((*fpath, 'quantity'))}: "
                                                      "expected a slug; "
                                                      f"got {describe_value(quantity)}"))
        has_upper = figure.get("upper") is not None
        if figure.get("qualifier") == "between" and not has_upper:
            issues.append(Issue(fpath, f"{format_path(fpath)}: qualifier 'between' needs upper"))
        if has_upper and figure.get("qualifier") != "between":
            issues.append(Issue((*fpath, "upper"), f"{format_path((*fpath, 'upper'))}: only "
                                                   "used with qualifier 'between'"))
