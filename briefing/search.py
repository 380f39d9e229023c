"""Full-text search over every loaded briefing, without Textual.

Matching ignores case and accents and treats typographic and straight quotes and dashes
alike: the query and the text are both passed through `fold`. The folded text of every
searchable field is computed once, when the index is built, and joined into one string, so
a query is a few C-speed `str.find` scans rather than a Python loop over fields. Offsets in
folded text are mapped back to the original text only for the results shown, so highlight
spans always point into the text as written.

A result is one field (a claim's text, an evidence excerpt, a response's quote...) that
contains every word of the query.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from rich.text import Text

from briefing.loader import Library
from briefing.models import Briefing
from briefing.widgets.safe import safe_text

Span = tuple[int, int]

# Letters that Unicode does not decompose into a base letter plus accent.
_SPECIAL = {
    "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t", "þ": "th",
    "æ": "ae", "œ": "oe", "ß": "ss",
}
_PUNCTUATION = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
}
_SEPARATOR = "\x00"


def _fold_char(char: str) -> str:
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    if char == _SEPARATOR or unicodedata.category(char) in ("Cc", "Zs", "Zl", "Zp"):
        return " "  # whitespace and controls fold to a space; NUL is the field separator
    lowered = char.casefold()
    out = []
    for part in unicodedata.normalize("NFKD", lowered):
        if unicodedata.combining(part):
            continue
        out.append(_SPECIAL.get(part, part))
    return "".join(out).casefold()


class _FoldTable(dict):
    """A `str.translate` table that folds each character once and remembers it."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Text for matching: lower case, no accents, straight quotes and hyphens."""
    if text.isascii():
        # Plain ASCII only needs lower-casing and control characters turned into spaces.
        lowered = text.lower()
        return lowered if lowered.isprintable() else lowered.translate(_TABLE)
    return text.translate(_TABLE)


def folded_offsets(text: str) -> list[int]:
    """For each position of `fold(text)` (and its end), the position in `text` it came from."""
    offsets: list[int] = []
    for index, char in enumerate(text):
        offsets.extend([index] * len(_TABLE[ord(char)]))
    offsets.append(len(text))
    return offsets


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One field that matches every word of a query."""

    briefing_id: str
    section: str
    """`title`, `summary`, `key_claims`, `official_responses` or `open_questions`."""
    item_id: str | None
    """The claim, response or question id; None for `title` and `summary`."""
    field: str
    """Which field matched: `title`, `summary`, `text`, `claimant`, `evidence`, `summary`,
    `quote`, `speaker`, `party` or `why_it_matters`."""
    text: str
    """The field's original text."""
    spans: tuple[Span, ...]
    """Sorted, non-overlapping (start, end) ranges of `text` that match query words."""


@dataclass(frozen=True, slots=True)
class _Field:
    briefing_id: str
    section: str
    item_id: str | None
    field: str
    text: str


def _fields(briefing: Briefing) -> Iterator[_Field]:
    bid = briefing.id
    yield _Field(bid, "title", None, "title", briefing.title)
    yield _Field(bid, "summary", None, "summary", briefing.summary)
    for claim in briefing.key_claims:
        yield _Field(bid, "key_claims", claim.id, "text", claim.text)
        yield _Field(bid, "key_claims", claim.id, "claimant", claim.claimant)
        for excerpt in claim.evidence:
            yield _Field(bid, "key_claims", claim.id, "evidence", excerpt)
    for response in briefing.official_responses:
        for name in ("summary", "quote", "speaker", "party"):
            value = getattr(response, name)
            if value:
                yield _Field(bid, "official_responses", response.id, name, value)
    for question in briefing.open_questions:
        yield _Field(bid, "open_questions", question.id, "text", question.text)
        yield _Field(bid, "open_questions", question.id, "why_it_matters",
                     question.why_it_matters)


def query_words(query: str) -> list[str]:
    """The folded, distinct words of a query, longest first (the rarest, usually)."""
    words = dict.fromkeys(fold(query).split())
    return sorted(words, key=len, reverse=True)


class SearchIndex:
    """Every searchable field of a library, folded once, ready for fast queries."""

    def __init__(self, library: Library) -> None:
        self._fields: list[_Field] = []
        folded: list[str] = []
        for briefing in library.briefings.values():
            for item in _fields(briefing):
                self._fields.append(item)
                folded.append(fold(item.text))
        self._starts: list[int] = []
        position = 0
        for text in folded:
            self._starts.append(position)
            position += len(text) + 1
        self._corpus = _SEPARATOR.join(folded)

    def __len__(self) -> int:
        return len(self._fields)

    def search(self, query: str, limit: int = 200) -> list[SearchResult]:
        """Fields containing every word of `query`, in library order, at most `limit`."""
        words = query_words(query)
        if not words or limit <= 0:
            return []
        anchor, others = words[0], words[1:]
        corpus, starts = self._corpus, self._starts
        results: list[SearchResult] = []
        position = corpus.find(anchor)
        while position >= 0 and len(results) < limit:
            index = bisect_right(starts, position) - 1
            start = starts[index]
            end = starts[index + 1] - 1 if index + 1 < len(starts) else len(corpus)
            text = corpus[start:end]
            if all(word in text for word in others):
                results.append(self._result(index, text, words))
            position = corpus.find(anchor, end)
        return results

    def _result(self, index: int, folded: str, words: list[str]) -> SearchResult:
        item = self._fields[index]
        ranges: list[Span] = []
        for word in words:
            at = folded.find(word)
            while at >= 0:
                ranges.append((at, at + len(word)))
                at = folded.find(word, at + 1)
        offsets = folded_offsets(item.text)
        spans = [(offsets[a], _end_offset(offsets, b)) for a, b in _merge(ranges)]
        return SearchResult(item.briefing_id, item.section, item.item_id, item.field,
                            item.text, tuple(spans))


def _end_offset(offsets: list[int], end: int) -> int:
    # The original character that produced the last folded character ends the span, so a
    # span never cuts a character that folded to several (e.g. "ß" to "ss").
    return offsets[end - 1] + 1 if end > 0 else 0


def _merge(ranges: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: tuple[Span, ...] | list[Span],
              style: str = "reverse") -> Text:
    """`text` as Rich `Text` with `spans` styled; never read as markup, controls made visible.

    `safe_text` replaces each control character by one symbol, so spans still line up.
    """
    result = Text(safe_text(text))
    for start, end in spans:
        result.stylize(style, start, end)
    return result
