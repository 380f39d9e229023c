"""Compare the figures two claims state, treating each qualifier as a range of values.

A `Figure` such as "at least 155 people" stands for every value it allows; `interval` turns it
into that range and `compare` says how two figures relate:

- `SAME`: both allow exactly the same values ("at most 5" and "up to 5", or identical figures).
- `COMPATIBLE`: the ranges overlap but the figures differ ("at least 155" and "more than 150").
  Both could be true at once, so the story view shows them as differing, not contradicting.
- `CONFLICTING`: the ranges do not overlap (exactly 11,000 and exactly 12,000): at most one of
  the two figures can be right.
- `INCOMPARABLE`: the figures count different things or use different units.

Two figures count the same thing when they have the same `quantity` slug; when either has
none, their free-text `counts` are compared word by word instead (`same_counts`).

The ranges, for a figure of value v:

| qualifier | range |
|---|---|
| exactly | [v, v] |
| about | the values that round to v at the precision v is written with |
|  | ("about 11,000" is [10,500, 11,500), "about 2.5" is [2.45, 2.55)) |
| at least | [v, inf) |
| more than | (v, inf) |
| at most, up to | [0, v] (counts are not negative; (-inf, v] when v < 0) |
| fewer than | [0, v) (likewise) |
| between | [v, upper] |
| several | [2v, 20v): "several hundred" (v = 100) is 200 to under 2,000; "thousands" |
|  | (v = 1,000) 2,000 to under 20,000. Wide on purpose: the format uses `several` for both |
|  | "several hundred" and plural magnitudes ("thousands", "hundreds"), and only a clear |
|  | contradiction should be called a conflict |
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from enum import Enum

from briefing.models import Figure, record


class Relation(Enum):
    """How two figures relate; see the module docstring."""

    SAME = "same"
    COMPATIBLE = "compatible"
    CONFLICTING = "conflicting"
    INCOMPARABLE = "incomparable"


@record(frozen=True)
class Interval:
    """A range of numbers; each end is open (excluded) or closed (included)."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def overlaps(self, other: Interval) -> bool:
        """Whether some number lies in both ranges."""
        low = max(self.low, other.low)
        high = min(self.high, other.high)
        if low < high:
            return True
        if low > high:
            return False
        # The ranges touch at one point: it is shared only if every end at it is closed.
        ends = [(self.low, self.low_open), (other.low, other.low_open),
                (self.high, self.high_open), (other.high, other.high_open)]
        return not any(is_open for value, is_open in ends if value == low)


SEVERAL_LOW = 2
""""Several" means at least this many times the value..."""
SEVERAL_HIGH = 20
"""...and fewer than this many times it."""


def rounding_half_unit(value: float) -> float:
    """Half a unit in the last significant digit of `value` (11,000 -> 500; 2.5 -> 0.05)."""
    if value == 0 or not math.isfinite(value):
        return 0.5
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)


def interval(figure: Figure) -> Interval:
    """The range of values a figure allows, by its qualifier (see the module table)."""
    v = float(figure.value)
    floor = 0.0 if v >= 0 else -math.inf
    match figure.qualifier:
        case "exactly":
            return Interval(v, v)
        case "about":
            half = rounding_half_unit(v)
            return Interval(v - half, v + half, high_open=True)
        case "at least":
            return Interval(v, math.inf, high_open=True)
        case "more than":
            return Interval(v, math.inf, low_open=True, high_open=True)
        case "at most" | "up to":
            return Interval(floor, v)
        case "fewer than":
            return Interval(floor, v, high_open=True)
        case "between":
            upper = float(figure.upper) if figure.upper is not None else v
            return Interval(min(v, upper), max(v, upper))
        case "several":
            return Interval(SEVERAL_LOW * v, SEVERAL_HIGH * v, high_open=True)
    raise ValueError(f"unknown qualifier {figure.qualifier!r}")


_STOP_WORDS = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "who", "whom", "that", "which", "s", "have", "has", "had", "were", "was",
    "is", "are", "be", "been", "about", "some", "estimate", "estimated", "according",
    "reported", "reportedly", "thought", "believed", "said", "says", "claimed",
    # Whose forces and where are too common in counts of one story to tell them apart.
    "force", "forces", "army", "armed", "military", "region", "side",
})
_SYNONYMS = {
    **dict.fromkeys(["citizen", "national", "fighter", "soldier", "troop", "mercenary",
                     "recruit", "people", "person", "men", "man", "personnel"], "person"),
    **dict.fromkeys(["fight", "fighting", "fought", "serving", "serve", "served"], "fight"),
    **dict.fromkeys(["russian", "russia"], "russia"),
    **dict.fromkeys(["ukrainian", "ukraine"], "ukraine"),
}
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    # Plural and singular count the same thing ("troops" / "troop"), nothing smarter.
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> frozenset[str]:
    stems = (_stem(w) for w in _WORD.findall(text.casefold()) if w not in _STOP_WORDS)
    return frozenset(_SYNONYMS.get(w, w) for w in stems)


def same_unit(a: Figure, b: Figure) -> bool:
    """Whether two units are the same, ignoring case, spacing and a plural ending."""
    return _words(a.unit) == _words(b.unit)


def counts_similarity(a: Figure, b: Figure) -> float:
    """How alike the things two figures count are, from 0 to 1.

    `counts` is free text written by different editors ("Chinese citizens fighting for
    Russia, by Kyiv's estimate", "Chinese nationals serving in Russia's armed forces"), so
    exact equality is too strict. The words are compared ignoring case, plurals, small and
    attribution words, with the usual synonyms for people (nationals, citizens, fighters,
    soldiers, troops, ...) and for fighting (serving) folded together; the result is the
    share of the shorter description's words that the other also has.
    """
    wa, wb = _words(a.counts), _words(b.counts)
    if not wa or not wb:
        return 1.0 if wa == wb else 0.0
    return len(wa & wb) / min(len(wa), len(wb))


SIMILAR_COUNTS = 0.65
"""`counts_similarity` at or above which two figures count the same thing (about two thirds)."""


def same_counts(a: Figure, b: Figure) -> bool:
    """Whether two figures count the same thing (see `counts_similarity`)."""
    return counts_similarity(a, b) >= SIMILAR_COUNTS


def same_quantity(a: Figure, b: Figure) -> bool:
    """Whether two figures measure the same thing.

    The editor's `quantity` slugs decide when both figures have one, so differently worded
    counts ("estimated 12,000 sent by Pyongyang", "11,000 arrived") still meet and alike
    wording of unrelated numbers does not; otherwise `same_counts` guesses from the words.
    """
    if a.quantity and b.quantity:
        return a.quantity == b.quantity
    return same_counts(a, b)


def compare(a: Figure, b: Figure) -> Relation:
    """How figure `a` relates to figure `b` (see `Relation`)."""
    if not (same_unit(a, b) and same_quantity(a, b)):
        return Relation.INCOMPARABLE
    ia, ib = interval(a), interval(b)
    if ia == ib:
        return Relation.SAME
    return Relation.COMPATIBLE if ia.overlaps(ib) else Relation.CONFLICTING

