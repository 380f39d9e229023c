"""Tests of a figure's optional `quantity` slug: loading, validation and JSON Schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.loader import load_bytes
from briefing.schema import json_schema

BRIEFING = """\
format: 1
kind: briefing
id: wire
story: river-bridge
title: Wire report
outlet: null
byline: null
published: null
url: null
summary: A short wire report.
key_claims:
  - id: ten-dead
    text: At least ten people died.
    claimant: Rescue services
    status: asserted
    topic: casualties
    figures:
      - value: 10
        qualifier: at least
        unit: people
        counts: people killed in the collapse
{quantity}    evidence:
      - "at least ten dead"
official_responses: []
open_questions: []
"""


def load(quantity_line: str):
    return load_bytes(BRIEFING.format(quantity=quantity_line).encode(), Path("wire.yaml"))


def test_quantity_is_optional() -> None:
    loaded = load("")
    assert loaded.problems == []
    assert loaded.document.key_claims[0].figures[0].quantity is None


def test_a_slug_quantity_is_kept() -> None:
    loaded = load("        quantity: people-killed\n")
    assert loaded.problems == []
    assert loaded.document.key_claims[0].figures[0].quantity == "people-killed"


@pytest.mark.parametrize("value", ["People Killed", "people_killed", "-killed", "killed!"])
def test_a_quantity_that_is_not_a_slug_is_reported_where_it_is(value: str) -> None:
    loaded = load(f"        quantity: {value}\n")
    assert loaded.document is None
    assert [(p.line, p.message) for p in loaded.problems] == [
        (22, "key_claims[0].figures[0].quantity: expected a slug; got " + repr(value))]


def test_a_quantity_that_is_not_text_is_reported() -> None:
    loaded = load("        quantity: 12\n")
    assert [p.message for p in loaded.problems] == [
        "key_claims[0].figures[0].quantity: expected text; got int 12"]


def test_schema_gives_quantity_the_slug_pattern() -> None:
    quantity = json_schema()["$defs"]["Figure"]["properties"]["quantity"]
    pattern = quantity["anyOf"][0]["pattern"]
    assert quantity["anyOf"][1] == {"type": "null"}
    assert re.match(pattern, "north-korean-troops")
    assert not re.match(pattern, "North Korean troops")
    assert "quantity" not in json_schema()["$defs"]["Figure"]["required"]
