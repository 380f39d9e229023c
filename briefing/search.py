"""Full-text search over every loaded briefing, without Textual.

Matching ignores case and accents and treats typographic and straight quotes and dashes
alike: the query and the text are both passed through `fold`. The folded text of every
searchable field is computed once, when the index is built, with a map from each word to
the briefings that contain it, so a query reads only the fields that can match. Offsets in
folded text are mapped back to the original text only for the results shown, so highlight
spans always point into the text as written.

A result is one field (a claim's text, an evidence excerpt, a response's quote...) that
contains every word of the query.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from rich.text import Text

from briefing.loader import Library
from briefing.models import Briefing, record
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
_WORD = re.compile(r"\w+")
_PREFIX_BUDGET = 200_000  # briefing entries read for one prefix before giving up narrowing


def _fold_char(char: str) -> str:
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    if unicodedata.category(char) in ("Cc", "Zs", "Zl", "Zp"):
        return " "
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


@record(frozen=True)
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


@record(frozen=True)
class _Field:
    briefing_id: str
    section: str
    item_id: str | None
    field: str
    text: str


def searchable_fields(briefing: Briefing) -> Iterator[_Field]:
    """Every searchable field of a briefing, with where it sits."""
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


_SENTENCE_MARKS = ".,;:!?()"


def query_words(query: str) -> list[str]:
    """The folded, distinct words of a query, longest first (the rarest, usually).

    Sentence punctuation around a word is dropped ("china." and "(china)" find "China"),
    as text pasted from an article brings it along; a word of punctuation alone (a quote
    mark) is kept, to be found as it is."""
    words = dict.fromkeys(word.strip(_SENTENCE_MARKS) or word for word in fold(query).split())
    return sorted(words, key=len, reverse=True)


class SearchIndex:
    """Every searchable field of a library, folded once, ready for fast queries.

    Besides the folded fields, the index keeps which briefings contain each word, so a
    query only reads the fields of briefings that can match. A query word matches where a
    word of the text starts ("port" finds "Port" and "port's", not "report").
    """

    def __init__(self, library: Library) -> None:
        self._fields: list[list[_Field]] = []
        self._texts: list[str] = []
        self._starts: list[list[int]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for number, briefing in enumerate(library.briefings.values()):
            fields = list(searchable_fields(briefing))
            folded = [fold(item.text) for item in fields]
            starts, position = [], 0
            for text in folded:
                starts.append(position)
                position += len(text) + 1
            # One string per briefing, fields separated by NUL (which `fold` never returns).
            text = _SEPARATOR.join(folded)
            self._fields.append(fields)
            self._texts.append(text)
            self._starts.append(starts)
            for token in set(_WORD.findall(text)):
                postings[token].append(number)
        self._postings = dict(postings)
        self._vocabulary = sorted(self._postings)

    def __len__(self) -> int:
        return sum(len(fields) for fields in self._fields)

    def search(self, query: str, limit: int = 200) -> list[SearchResult]:
        """Fields containing every word of `query`, in library order, at most `limit`."""
        words = query_words(query)
        if not words or limit <= 0:
            return []
        patterns = [_pattern(word) for word in words]
        results: list[SearchResult] = []
        for number in self._candidates(words):
            text = self._texts[number]
            if not all(word in text for word in words):
                continue
            for index, ranges in self._matching_fields(number, patterns):
                results.append(self._result(number, index, ranges))
                if len(results) >= limit:
                    return results
        return results

    def _matching_fields(self, number: int, patterns: list[re.Pattern[str]]
                         ) -> list[tuple[int, list[Span]]]:
        """The fields of one briefing that match every pattern, with the folded ranges
        (relative to each field) of all matches."""
        starts = self._starts[number]
        per_field: dict[int, list[Span]] = {}
        seen: set[int] | None = None
        for pattern in patterns:
            hit: set[int] = set()
            for match in pattern.finditer(self._texts[number]):
                index = bisect_right(starts, match.start()) - 1
                if seen is not None and index not in seen:
                    continue
                hit.add(index)
                offset = starts[index]
                per_field.setdefault(index, []).append(
                    (match.start() - offset, match.end() - offset))
            seen = hit if seen is None else seen & hit
            if not seen:
                return []
        return [(index, per_field[index]) for index in sorted(seen or ())]

    def _candidates(self, words: list[str]) -> Iterable[int]:
        """Briefing numbers that may match, ascending; every briefing if no word narrows."""
        found: set[int] | None = None
        for word in words:
            tokens = _WORD.findall(word)
            if not tokens:
                continue
            narrowed = self._briefings_with_prefix(max(tokens, key=len))
            if narrowed is None:
                continue
            found = narrowed if found is None else found & narrowed
            if not found:
                return []
        return range(len(self._texts)) if found is None else sorted(found)

    def _briefings_with_prefix(self, prefix: str) -> set[int] | None:
        """Briefings with a word starting with `prefix`; None when too many words do
        (a one-letter prefix), where reading fields in order finds results sooner."""
        vocabulary = self._vocabulary
        start = bisect_left(vocabulary, prefix)
        found: set[int] = set()
        budget = _PREFIX_BUDGET
        for token in islice(vocabulary, start, None):
            if not token.startswith(prefix):
                break
            posting = self._postings[token]
            budget -= len(posting)
            if budget < 0:
                return None
            found.update(posting)
        return found

    def _result(self, number: int, index: int, ranges: list[Span]) -> SearchResult:
        item = self._fields[number][index]
        return SearchResult(item.briefing_id, item.section, item.item_id, item.field,
                            item.text, original_spans(item.text, ranges))


def original_spans(text: str, ranges: list[Span]) -> tuple[Span, ...]:
    """Ranges of `fold(text)` (merged) as ranges of `text`."""
    merged = _merge(ranges)
    if text.isascii():
        # Folding ASCII lower-cases and turns controls into spaces: one character for one.
        return tuple(merged)
    offsets = folded_offsets(text)
    return tuple((offsets[a], _end_offset(offsets, b)) for a, b in merged)


def _pattern(word: str) -> re.Pattern[str]:
    # A word starting with a letter or digit must start a word of the text; one starting
    # with punctuation (a quote, a bracket) matches wherever it occurs.
    escaped = re.escape(word)
    return re.compile(rf"(?<!\w){escaped}" if _WORD.match(word) else escaped)


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


class StoreSearchIndex:
    """Search through the full-text indexes (SQLite FTS5) of the library's content stores.

    Nothing is held in memory and nothing is built at start-up: the stores index each
    file's fields when they parse it. FTS5 finds candidate fields by word prefix; each is
    then checked with the same patterns as `SearchIndex`, so both give the same matches.
    """

    def __init__(self, library: Library) -> None:
        self.library = library

    def search(self, query: str, limit: int = 200) -> list[SearchResult]:
        """Fields containing every word of `query`, in file order, at most `limit`."""
        words = query_words(query)
        tokens = list(dict.fromkeys(t for word in words for t in _WORD.findall(word)))
        if not tokens or limit <= 0:
            return []
        match = " AND ".join(f'"{token}"*' for token in tokens)
        patterns = [_pattern(word) for word in words]
        results: list[SearchResult] = []
        for store in self.library.stores:
            for path, row in store.search(match, limit * 4):
                briefing_id, section, item_id, field, text, folded = row
                # Skip a version that another (newer) copy of the briefing replaces.
                if self.library.sources.get(f"briefing:{briefing_id}") != store.root / path:
                    continue
                ranges: list[Span] = []
                for pattern in patterns:
                    found = [match.span() for match in pattern.finditer(folded)]
                    if not found:
                        break
                    ranges += found
                else:
                    results.append(SearchResult(briefing_id, section, item_id, field, text,
                                                original_spans(text, ranges)))
                    if len(results) >= limit:
                        return results
        return results


def make_index(library: Library) -> SearchIndex | StoreSearchIndex:
    """The search index for a library: its stores' full-text index when it has stores."""
    return StoreSearchIndex(library) if library.stores else SearchIndex(library)
