"""The library: every story and briefing the reader knows, and the problems found.

Briefings are held as light summaries (what the list shows) plus a way to get the full
briefing: either the object itself (content parsed now) or a fetch from the parsed-content
index (`store.py`), so that a start-up with thousands of briefings reads only summaries
and builds a full briefing when it is opened. Checks that span files (duplicate ids, a
briefing's story, topic keys, timeline references) run on summaries, so they need no
full briefing either.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Set
from dataclasses import field
from pathlib import Path, PurePath
from typing import Any, TypeVar

from briefing.codec import dumps, fingerprint_of_json
from briefing.models import Briefing, BriefingSummary, Problem, Story, record

T = TypeVar("T")
Fetch = Callable[[], Briefing]
CACHED_BRIEFINGS = 512
"""How many fetched briefings stay in memory; enough for browsing, bounded at 10,000."""


def summarise(briefing: Briefing, version: str | None = None) -> BriefingSummary:
    """The list's view of a briefing; `version` is its content hash when already known."""
    if version is None:
        version = fingerprint_of_json(dumps(briefing))
    return BriefingSummary(briefing.id, briefing.story, briefing.title, briefing.outlet,
                           briefing.published, version)


class _HeldOrFetched(Mapping[str, T]):
    """Documents by id, in insertion order, each held as an object or as a function that
    builds it; `light` holds what lists need of each (keys and order of the mapping)."""

    def __init__(self, light: dict[str, Any]) -> None:
        self._light = light
        self._held: dict[str, T] = {}
        self._fetch: dict[str, Callable[[], T]] = {}

    def _keep(self, doc_id: str, document: T | None, fetch: Callable[[], T] | None) -> None:
        self._held.pop(doc_id, None)
        self._fetch.pop(doc_id, None)
        if document is not None:
            self._held[doc_id] = document
        elif fetch is not None:
            self._fetch[doc_id] = fetch
        else:
            raise ValueError("a document or a fetch function is needed")

    def source_of(self, doc_id: str) -> tuple[T | None, Callable[[], T] | None]:
        """How this map gets a document, to copy it into another map without building it."""
        return self._held.get(doc_id), self._fetch.get(doc_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._light)

    def __len__(self) -> int:
        return len(self._light)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._light


class BriefingMap(_HeldOrFetched[Briefing]):
    """Briefings by id; fetched ones are built on first access and the last
    `CACHED_BRIEFINGS` of them kept."""

    def __init__(self) -> None:
        self.summaries: dict[str, BriefingSummary] = {}
        super().__init__(self.summaries)
        self._recent: OrderedDict[str, Briefing] = OrderedDict()

    def put(self, summary: BriefingSummary, briefing: Briefing | None = None,
            fetch: Fetch | None = None) -> None:
        """Add (or replace) a briefing given either as an object or as a fetch function."""
        self.summaries[summary.id] = summary
        self._recent.pop(summary.id, None)
        self._keep(summary.id, briefing, fetch)

    def __setitem__(self, briefing_id: str, briefing: Briefing) -> None:
        if briefing_id != briefing.id:
            raise KeyError(f"{briefing_id!r} is not the id of {briefing.id!r}")
        self.put(summarise(briefing), briefing)

    def __getitem__(self, briefing_id: str) -> Briefing:
        held = self._held.get(briefing_id)
        if held is not None:
            return held
        recent = self._recent.get(briefing_id)
        if recent is not None:
            self._recent.move_to_end(briefing_id)
            return recent
        briefing = self._fetch[briefing_id]()
        self._recent[briefing_id] = briefing
        if len(self._recent) > CACHED_BRIEFINGS:
            self._recent.popitem(last=False)
        return briefing


FetchStory = Callable[[], Story]
Where = Path | tuple[Path, str]
"""A file's path, or (folder, relative POSIX path) to join when the path is needed: at
10,000 files, building every `Path` at start-up cost ~45 ms."""


def _path_of(where: Where) -> Path:
    return where[0] / where[1] if isinstance(where, tuple) else where


class SourceMap(MutableMapping[str, Path]):
    """The file of each document by `kind:id`; paths are joined on first access."""

    def __init__(self, paths: Mapping[str, Path] | None = None) -> None:
        self._where: dict[str, Where] = dict(paths or {})

    def put(self, key: str, where: Where) -> None:
        """Record a document's file, as a path or as (folder, relative path)."""
        self._where[key] = where

    def copy(self) -> SourceMap:
        """A copy that shares the not yet joined paths."""
        copied = SourceMap()
        copied._where = dict(self._where)
        return copied

    def __getitem__(self, key: str) -> Path:
        where = self._where[key]
        if isinstance(where, tuple):
            where = self._where[key] = _path_of(where)
        return where

    def __setitem__(self, key: str, path: Path) -> None:
        self._where[key] = path

    def __delitem__(self, key: str) -> None:
        del self._where[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, key: object) -> bool:
        return key in self._where


class StoryMap(_HeldOrFetched[Story]):
    """Stories by id. The list needs only their titles, so stories from the index are
    built on first access (1,354 stories took ~0.15 s to build at start) and then kept."""

    def __init__(self) -> None:
        self.titles: dict[str, str] = {}
        super().__init__(self.titles)

    def put(self, story_id: str, title: str, story: Story | None = None,
            fetch: FetchStory | None = None) -> None:
        """Add (or replace) a story given either as an object or as a fetch function."""
        self.titles[story_id] = title
        self._keep(story_id, story, fetch)

    def __setitem__(self, story_id: str, story: Story) -> None:
        if story_id != story.id:
            raise KeyError(f"{story_id!r} is not the id of {story.id!r}")
        self.put(story_id, story.title, story)

    def copy_from(self, other: StoryMap, story_id: str) -> None:
        """Take one story from another map without building it."""
        self.put(story_id, other.titles[story_id], *other.source_of(story_id))

    def __getitem__(self, story_id: str) -> Story:
        held = self._held.get(story_id)
        if held is None:
            held = self._held[story_id] = self._fetch[story_id]()
            self._fetch.pop(story_id, None)
        return held


@record
class Library:
    """Every valid story and briefing, with the files they came from and all problems."""

    stories: StoryMap = field(default_factory=StoryMap)
    briefings: BriefingMap = field(default_factory=BriefingMap)
    sources: SourceMap = field(default_factory=SourceMap)
    problems: list[Problem] = field(default_factory=list)
    stores: list[Any] = field(default_factory=list)
    """The content stores (`store.ContentStore`) the briefings come from, for search."""
    cross_problems: list[Problem] = field(default_factory=list)
    """The part of `problems` found by the checks that span files."""

    def __post_init__(self) -> None:
        if not isinstance(self.briefings, BriefingMap):  # a plain dict of briefings
            given, self.briefings = self.briefings, BriefingMap()
            for briefing_id, briefing in given.items():
                self.briefings[briefing_id] = briefing
        if not isinstance(self.sources, SourceMap):
            self.sources = SourceMap(self.sources)
        if not isinstance(self.stories, StoryMap):  # a plain dict of stories
            given_stories, self.stories = self.stories, StoryMap()
            for story_id, story in given_stories.items():
                self.stories[story_id] = story

    def __repr__(self) -> str:
        # Short: Textual's @work puts a repr of each argument in the worker's description,
        # and the dataclass repr of 10,000 briefings took ~0.15 s of the UI thread.
        return (f"<Library {len(self.stories)} stories, {len(self.briefings)} briefings, "
                f"{len(self.problems)} problems>")

    def grouped(self) -> dict[str, list[BriefingSummary]]:
        """Briefing summaries by story id (stories with files first), each story's oldest
        first (unknown dates last), then by id. One pass: fast at 10,000 briefings."""
        groups: dict[str, list[BriefingSummary]] = {story_id: [] for story_id in self.stories}
        for summary in self.briefings.summaries.values():
            groups.setdefault(summary.story, []).append(summary)
        for summaries in groups.values():
            summaries.sort(key=lambda s: (s.published is None, s.published or 0, s.id))
        return groups

    def summaries_of(self, story_id: str) -> list[BriefingSummary]:
        """Summaries of one story's briefings, in the order of `grouped`."""
        found = [s for s in self.briefings.summaries.values() if s.story == story_id]
        return sorted(found, key=lambda s: (s.published is None, s.published or 0, s.id))

    def briefings_of(self, story_id: str) -> list[Briefing]:
        """The full briefings of a story, in the order of `summaries_of`."""
        return [self.briefings[s.id] for s in self.summaries_of(story_id)]


@record
class Entry:
    """One valid document ready to join a library, with the positions checks point at."""

    where: Where
    """The file: a path, or (folder, relative path); `path` joins them when needed."""
    kind: str
    doc_id: str
    summary: BriefingSummary | None = None
    briefing: Briefing | None = None
    fetch: Fetch | None = None
    story: Story | None = None
    story_title: str | None = None
    """For a story from the index: its title (`fetch` then builds the story)."""
    story_fetch: FetchStory | None = None
    refs: list[tuple[str, str, int, int]] = field(default_factory=list)
    """(field path, referenced id or topic, line, column) of every cross-file reference,
    plus ("id", id, ...) and ("story", story, ...) for the document's own keys."""

    @property
    def path(self) -> Path:
        """The document's file."""
        if isinstance(self.where, tuple):
            self.where = _path_of(self.where)
        return self.where

    def position(self, field_path: str) -> tuple[int, int]:
        """The line and column of a field path recorded in `refs` (1, 1 if unknown)."""
        for path, _value, line, column in self.refs:
            if path == field_path:
                return line, column
        return 1, 1


def build_library(entries: list[Entry], problems: list[Problem],
                  display: Callable[[Path], str], check_refs: bool = True) -> Library:
    """Gather entries into a library and run the checks that span files (those of
    references only with `check_refs`: not while part of a folder is still unread).

    (When no file changed, the index keeps those checks' problems and builds the library
    without entries: `store.ContentStore._unchanged_library`.)
    """
    library = Library(problems=list(problems))
    claimed: dict[str, Entry] = {}
    found: list[Problem] = []
    for entry in entries:
        key = f"{entry.kind}:{entry.doc_id}"
        if key in claimed:
            line, column = entry.position("id")
            found.append(Problem(display(entry.path), line, column,
                                 f"id: duplicate {entry.kind} id {entry.doc_id!r} "
                                 f"(also in {display(claimed[key].path)})"))
            continue
        claimed[key] = entry
        if entry.story is not None:
            library.stories[entry.doc_id] = entry.story
        elif entry.story_fetch is not None:
            library.stories.put(entry.doc_id, entry.story_title or "", fetch=entry.story_fetch)
        elif entry.summary is not None:
            library.briefings.put(entry.summary, entry.briefing, entry.fetch)
        library.sources.put(key, entry.where)
    if check_refs:
        unloaded = {PurePath(problem.file).stem for problem in problems}
        found += check_references(library, claimed, display, unloaded)
    library.problems += found
    library.cross_problems = found
    return library


def check_references(library: Library, claimed: Mapping[str, Entry],
                     display: Callable[[Path], str],
                     unloaded: Set[str] = frozenset()) -> list[Problem]:
    """Problems with references between files: stories, topic keys, timeline entries.

    A reference to a document whose file could not be loaded (its name in `unloaded`) is
    not a problem of its own: that file's problems say why it is missing, and a story
    would otherwise repeat it for every timeline entry the briefing reported."""
    problems: list[Problem] = []
    for summary in library.briefings.summaries.values():
        entry = claimed.get(f"briefing:{summary.id}")
        if entry is None:
            continue
        story = library.stories.get(summary.story)
        if story is None:
            if library.stories and summary.story not in unloaded:
                line, column = entry.position("story")
                problems.append(Problem(display(entry.path), line, column,
                                        f"story: no story file with id {summary.story!r}"))
            continue
        topics = {t.key for t in story.topics}
        for path, topic, line, column in entry.refs:
            if path.endswith(".topic") and topic not in topics:
                problems.append(Problem(display(entry.path), line, column,
                                        f"{path}: {topic!r} is not a topic of story "
                                        f"{story.id!r}"))
    for story in library.stories.values():
        entry = claimed.get(f"story:{story.id}")
        if entry is None:
            continue
        # One problem per missing briefing, at its first mention: a story checked without
        # its briefings named the same one for each event it reported (35 lines).
        missing: dict[str, list[tuple[str, int, int]]] = {}
        for path, ref, line, column in entry.refs:
            if ".reported_by[" not in path:
                continue
            summary = library.briefings.summaries.get(ref)
            if summary is None and ref in unloaded:
                continue
            if summary is None or summary.story != story.id:
                missing.setdefault(ref, []).append((path, line, column))
        for ref, places in missing.items():
            path, line, column = places[0]
            more = len(places) - 1
            also = f" (named {more} more time{'s' * (more != 1)})" if more else ""
            problems.append(Problem(display(entry.path), line, column,
                                    f"{path}: no briefing {ref!r} in this story{also}"))
    return problems
