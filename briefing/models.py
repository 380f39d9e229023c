"""Plain data models of the briefing format (version 1).

No Textual imports here: these classes are shared by the loader, the checker, the feed
client and the UI. Field types are the schema: `validate.py` walks them to check documents
and `schema.py` walks them to publish a JSON Schema, so a field added here is checked and
documented with no other change.
"""

# No `from __future__ import annotations`: the annotations are evaluated as the classes
# are made, so the checker's first `get_type_hints` of them (before the first frame, for
# the opening's briefing) has no strings to evaluate (~1 ms).
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

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


@dataclass(slots=True)
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


@dataclass(slots=True)
class Claim:
    """One substantive claim an article reports, attributed to who makes it."""

    id: str
    text: str
    claimant: str
    status: ClaimStatus
    topic: str
    evidence: list[str]
    figures: list[Figure] = field(default_factory=list)


@dataclass(slots=True)
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


@dataclass(slots=True)
class OpenQuestion:
    """A question the article leaves open or raises."""

    id: str
    text: str
    why_it_matters: str
    related_claims: list[str]
    topic: str | None = None


@dataclass(slots=True)
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


@dataclass(slots=True)
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


@dataclass(slots=True)
class Topic:
    """A topic key shared by the claims of a story's briefings."""

    key: str
    description: str


@dataclass(slots=True)
class Story:
    """An event that several briefings cover."""

    format: int
    kind: Literal["story"]
    id: str
    title: str
    summary: str
    topics: list[Topic]
    timeline: list[TimelineEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BriefingSummary:
    """What the list of briefings needs, without the briefing's full text."""

    id: str
    story: str
    title: str
    outlet: str | None
    published: dt.date | None
    version: str
    """A hash of the briefing's content: the read state compares it to spot updates."""


@dataclass(frozen=True, slots=True)
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
