"""Publish the briefing format as a JSON Schema generated from the models."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any

from briefing.models import Briefing, Story
from briefing.validate import SLUG_PATTERN, fields_of

_SLUG_FIELDS = {"id", "story", "topic", "key", "quantity"}


def _type_schema(tp: Any, defs: dict[str, Any], name: str = "") -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return {"anyOf": [_type_schema(inner[0], defs, name), {"type": "null"}]}
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin is list:
        item = typing.get_args(tp)[0]
        schema: dict[str, Any] = {"type": "array", "items": _type_schema(item, defs)}
        if name == "evidence":
            schema["minItems"] = 1
        if name in ("related_claims", "reported_by"):
            schema["items"] = {"type": "string", "pattern": SLUG_PATTERN}
        return schema
    if dataclasses.is_dataclass(tp):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}
            defs[tp.__name__] = _object_schema(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if tp is str:
        if name in _SLUG_FIELDS:
            return {"type": "string", "pattern": SLUG_PATTERN}
        return {"type": "string", "minLength": 1}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is dt.date:
        return {"type": "string", "format": "date"}
    raise TypeError(f"no JSON Schema for {tp!r}")


def _object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    specs = fields_of(cls)
    doc = (cls.__doc__ or "").strip().splitlines()[0]
    return {
        "type": "object",
        "description": doc,
        "properties": {s.name: _type_schema(s.type, defs, s.name) for s in specs},
        "required": [s.name for s in specs if s.required],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a briefing or story document."""
    defs: dict[str, Any] = {}
    briefing = _type_schema(Briefing, defs)
    story = _type_schema(Story, defs)
    defs["Briefing"]["properties"]["format"] = {"const": 1}
    defs["Story"]["properties"]["format"] = {"const": 1}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "briefing document (format 1)",
        "description": "One article briefing or one story file of the briefing reader.",
        "oneOf": [briefing, story],
        "$defs": defs,
    }
