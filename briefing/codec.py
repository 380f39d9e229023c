"""Plain (JSON-ready) forms of the models, and the way back, for the parsed-content index.

`to_plain` turns a model into dicts, lists, strings and numbers (dates as `YYYY-MM-DD`);
`from_plain` rebuilds the model from data this module wrote. It trusts its input's shape,
because only validated documents are ever stored; the index that holds them is rebuilt
when it cannot be read (see `store.py`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from briefing.validate import fields_of

Convert = Callable[[Any], Any]


def to_plain(value: Any) -> Any:
    """A model object as JSON-ready data (dates as `YYYY-MM-DD` text)."""
    if dataclasses.is_dataclass(value):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dumps(value: Any) -> str:
    """Canonical JSON of a model object (sorted keys), as stored and as fingerprinted."""
    return json.dumps(to_plain(value), sort_keys=True, ensure_ascii=False)


def fingerprint_of_json(text: str) -> str:
    """The content hash of canonical JSON: the same as `readstate.fingerprint` of the model."""
    import hashlib  # here: a start that hashes nothing before its first frame skips it

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _identity(value: Any) -> Any:
    return value


@cache
def _converter(tp: Any) -> Convert:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _converter(next(a for a in typing.get_args(tp) if a is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin is list:
        item = _converter(typing.get_args(tp)[0])
        if item is _identity:
            return list
        return lambda value: [item(v) for v in value]
    if dataclasses.is_dataclass(tp):
        return lambda value: from_plain(tp, value)
    if tp is dt.date:
        return dt.date.fromisoformat
    return _identity


@cache
def _plan(cls: type) -> tuple[tuple[str, Convert], ...]:
    return tuple((spec.name, _converter(spec.type)) for spec in fields_of(cls))


def from_plain(cls: type, data: dict[str, Any]) -> Any:
    """Rebuild a model object of class `cls` from `to_plain` output."""
    return cls(**{name: convert(data[name]) for name, convert in _plan(cls) if name in data})
