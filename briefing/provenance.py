"""Check that every verbatim excerpt of a briefing appears in its source article.

Only `evidence` and `quote` strings are verbatim. They must appear in the source text with
only whitespace and typographic quotes and dashes allowed to differ; `...` (or `…`) marks
an elision, and the pieces around it must appear in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from briefing.loader import LoadedFile, Problem, display_name
from briefing.models import Briefing
from briefing.validate import format_path

_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")


def normalise(text: str) -> str:
    """Fold typographic quotes, dashes and runs of whitespace to plain single forms."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def appears_verbatim(excerpt: str, source: str) -> bool:
    """True when `excerpt` occurs in the already normalised `source`, honouring elisions."""
    pieces = [normalise(p) for p in _ELLIPSIS.split(excerpt)]
    pieces = [p for p in pieces if p]
    if not pieces:
        return False
    position = 0
    for piece in pieces:
        found = source.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def verbatim_fields(briefing: Briefing) -> Iterator[tuple[tuple, str]]:
    """Every verbatim string of a briefing with its field path."""
    for i, claim in enumerate(briefing.key_claims):
        for j, excerpt in enumerate(claim.evidence):
            yield ("key_claims", i, "evidence", j), excerpt
    for i, response in enumerate(briefing.official_responses):
        if response.quote is not None:
            yield ("official_responses", i, "quote"), response.quote


def check_sources(loaded: LoadedFile, sources: Path) -> list[Problem]:
    """Problems for each excerpt of a loaded briefing not found verbatim in its source."""
    briefing = loaded.document
    if not isinstance(briefing, Briefing) or loaded.parsed is None:
        return []
    name = display_name(loaded.path)
    if briefing.source_text is None:
        line, column = loaded.parsed.mark_of(())
        return [Problem(name, line, column, "source_text: missing; --sources needs the name "
                                            "of the article's text file")]
    source_path = sources / briefing.source_text
    if Path(briefing.source_text).name != briefing.source_text or not source_path.is_file():
        line, column = loaded.parsed.mark_of(("source_text",))
        return [Problem(name, line, column, f"source_text: no file {briefing.source_text!r} "
                                            f"in {display_name(sources)}")]
    source = normalise(source_path.read_text(encoding="utf-8", errors="replace"))
    problems = []
    for path, excerpt in verbatim_fields(briefing):
        if not appears_verbatim(excerpt, source):
            line, column = loaded.parsed.mark_of(path)
            problems.append(Problem(name, line, column, f"{format_path(path)}: not found "
                                    f"verbatim in {display_name(source_path)}"))
    return problems
