"""The opening: what the reader's first frame shows, kept from the last full load.

Before its first frame, a start at 10,000 briefings would read the whole index: a `stat`
of every file, 10,000 summaries, the order of the list (~0.3 s, twice the bare Textual
app's whole start). The opening holds what that frame needs and no more: the list's first
rows (story headings and briefing summaries, in list order), its counts, and the first
briefing's document. It lives in the content folder's index (`meta`), written after a full
load whenever it changed, and read with one query.

The reader paints the opening, then checks the files and loads the library as always, and
shows what changed a moment later (see `BriefingApp`): the opening never replaces that
check, it only shows the list as it was at the last run while the check runs. An opening
that does not read back, or that belongs to another version, is ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.models import Briefing, BriefingSummary, record

if TYPE_CHECKING:
    from briefing.library import Library

OPENING_VERSION = 1
OPENING_ROWS = 160
"""Rows kept: more than two screens of a 100-line terminal (a briefing takes two lines)."""


@record
class Row:
    """One entry of the briefing list: a story heading or a briefing."""

    text: str
    """The title as given (untrusted): made safe where it is drawn."""
    summary: BriefingSummary | None = None

    @property
    def height(self) -> int:
        """Lines the row takes: one for a heading, two for a briefing."""
        return 1 if self.summary is None else 2


@record
class Opening:
    """The first rows of the list, its size, and the first briefing in full."""

    rows: list[Row]
    row_count: int
    """Rows of the whole list (the opening holds the first `len(rows)`)."""
    line_count: int
    """Lines of the whole list, so that its scroll bar is right from the first frame."""
    briefing_count: int
    first: Briefing | None
    """The list's first briefing, which the first frame shows."""

    @property
    def first_version(self) -> str | None:
        """The first briefing's content hash, as its row's summary gives it."""
        if self.first is None:
            return None
        return next(row.summary.version for row in self.rows if row.summary is not None)


def list_rows(library: Library) -> list[Row]:
    """The briefing list's rows: stories with a story file first, in file order, then the
    others by id; under each heading its briefings in `Library.grouped` order."""
    groups = library.grouped()
    order = list(library.stories) + sorted(set(groups) - set(library.stories))
    rows: list[Row] = []
    for story_id in order:
        summaries = groups.get(story_id)
        if not summaries:
            continue
        title = library.stories.titles.get(story_id)
        rows.append(Row(title if title is not None else f"{story_id} (no story file)"))
        rows += [Row(s.title, s) for s in summaries]
    return rows


def make_opening(library: Library, rows: list[Row]) -> str:
    """The opening of a library whose list is `rows`, as the JSON kept in the index.
    Safe in a worker thread."""
    from briefing.codec import to_plain

    first = next((row.summary for row in rows if row.summary is not None), None)
    document = None
    if first is not None:
        # Built here rather than through the map's cache of recent briefings, which the
        # UI thread uses meanwhile (this runs in the load worker).
        held, fetch = library.briefings.source_of(first.id)
        document = held if held is not None else fetch() if fetch is not None else None
    kept = [[row.text] if row.summary is None else _summary_values(row.summary)
            for row in rows[:OPENING_ROWS]]
    return json.dumps({
        "version": OPENING_VERSION,
        "rows": kept,
        "row_count": len(rows),
        "line_count": sum(row.height for row in rows),
        "briefing_count": len(library.briefings),
        "first": None if document is None else to_plain(document),
    }, separators=(",", ":"), ensure_ascii=False)


def _summary_values(summary: BriefingSummary) -> list[Any]:
    published = summary.published.isoformat() if summary.published else None
    return [summary.id, summary.story, summary.title, summary.outlet, published,
            summary.version]


def read_opening(index_path: Path) -> Opening | None:
    """The opening kept in a content index, or None (none yet, or it does not read back).

    Opens the database read-only: a start that finds no index creates nothing here. It
    does not wait for a lock another process holds: no opening is better than a late one.
    """
    try:
        db = sqlite3.connect(f"{index_path.as_uri()}?mode=ro", uri=True, timeout=0)
    except (sqlite3.Error, ValueError):
        return None
    try:
        found = db.execute("SELECT value FROM meta WHERE key = 'opening'").fetchone()
    except sqlite3.Error:
        return None
    finally:
        db.close()
    if found is None:
        return None
    try:
        return _opening(json.loads(found[0]))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, StopIteration,
            RecursionError):  # RecursionError: JSON nested too deep to decode
        return None


def _opening(data: dict[str, Any]) -> Opening | None:
    if data["version"] != OPENING_VERSION:
        return None
    rows = []
    for values in data["rows"]:
        if len(values) == 1:
            rows.append(Row(_text(values[0])))
            continue
        briefing_id, story, title, outlet, published, version = values
        for value in (briefing_id, story, title, version):
            _text(value)
        if outlet is not None:
            _text(outlet)
        date = dt.date.fromisoformat(published) if published is not None else None
        rows.append(Row(title, BriefingSummary(briefing_id, story, title, outlet, date,
                                               version)))
    counts = [data[key] for key in ("row_count", "line_count", "briefing_count")]
    if any(type(count) is not int or count < 0 for count in counts) or counts[0] < len(rows):
        return None
    first = None
    if data["first"] is not None:
        from briefing.validate import convert

        summary = next(row.summary for row in rows if row.summary is not None)
        # Of the model's types throughout, checked as a file's are: a damaged or foreign
        # value is caught here, not by the widgets that draw it. That it is the document
        # its summary describes is checked once the library is in (`show_briefing`
        # compares the two): a hash of it here cost the first frame ~2 ms.
        issues: list = []
        first = convert(data["first"], Briefing, (), issues, iso_dates=True)
        if issues or first.id != summary.id:
            return None
    return Opening(rows, *counts, first)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value
