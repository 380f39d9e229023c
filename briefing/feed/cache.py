"""The feed cache: the last good copy of every fetched document, so the reader works offline.

Layout under the cache root (`paths.cache_dir()/feed` unless a folder is given)::

    index.json               the last good feed index (answered 304 -> reused)
    meta.json                validators (ETag, Last-Modified), sha256 and updated time
    briefings/<id>.yaml      accepted briefing documents, byte for byte
    stories/<id>.yaml        accepted story documents

Every write is atomic (temporary file in the same folder, then `os.replace`), and only
documents that passed validation are written, so a failed or partial download never
replaces what is cached. Ids are checked against the slug rule and the final path is
checked to be inside the root, so nothing is ever written outside the cache.

**Newer wins.** `merge` keeps, for each `kind:id`, the cached version when the feed's
`updated` time is strictly later than the bundled file's modification time; otherwise
the bundled version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

from briefing.loader import Library
from briefing.models import record
from briefing.validate import is_slug

META_NAME = "meta.json"
INDEX_CACHE_NAME = "index.json"


class UnsafeIdError(ValueError):
    """An id or kind that could name a file outside the cache."""


@record
class DocumentMeta:
    """What the cache knows about one stored document."""

    url: str
    sha256: str
    updated: str
    etag: str | None = None
    last_modified: str | None = None


def _text_or_none(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _valid_meta(key: object, meta: DocumentMeta) -> bool:
    """True when a meta.json entry is well formed; a damaged one is skipped (refetched)."""
    from briefing.feed.index import KINDS

    if not isinstance(key, str) or key.partition(":")[0] not in KINDS:
        return False
    if not is_slug(key.partition(":")[2]):
        return False
    texts = (meta.url, meta.sha256, meta.updated)
    optional = (meta.etag, meta.last_modified)
    return (all(isinstance(value, str) for value in texts)
            and all(value is None or isinstance(value, str) for value in optional))


def default_root() -> Path:
    """The cache root in the user's cache folder (honours XDG_CACHE_HOME)."""
    from briefing.paths import cache_dir

    return cache_dir() / "feed"


class FeedCache:
    """The cached documents of a feed and their metadata; not thread-safe (one refresh)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = (Path(root) if root else default_root()).resolve()
        self.documents: dict[str, DocumentMeta] = {}
        self.index_url: str | None = None
        self.index_etag: str | None = None
        self.index_last_modified: str | None = None
        self._read_meta()

    def _read_meta(self) -> None:
        try:
            data = json.loads((self.root / META_NAME).read_bytes())
            self.index_url = _text_or_none(data.get("index_url"))
            self.index_etag = _text_or_none(data.get("index_etag"))
            self.index_last_modified = _text_or_none(data.get("index_last_modified"))
            for key, item in data.get("documents", {}).items():
                meta = DocumentMeta(**item)
                if _valid_meta(key, meta):
                    self.documents[key] = meta
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):
            # A missing or damaged meta file only costs a full refetch, never the documents.
            self.documents = {}
            self.index_url = self.index_etag = self.index_last_modified = None

    def save(self) -> None:
        """Write the metadata atomically."""
        from briefing.feed.publish import write_atomic

        data = {
            "index_url": self.index_url,
            "index_etag": self.index_etag,
            "index_last_modified": self.index_last_modified,
            "documents": {key: asdict(meta) for key, meta in sorted(self.documents.items())},
        }
        write_atomic(self.root / META_NAME, json.dumps(data, indent=1).encode("utf-8"))

    def document_path(self, kind: str, doc_id: str) -> Path:
        """Where a document is stored; raise `UnsafeIdError` for anything but a slug id."""
        from briefing.feed.index import FOLDERS, KINDS

        if kind not in KINDS:
            raise UnsafeIdError(f"unknown document kind {kind[:40]!r}")
        # fullmatch, not match: the pattern's "$" would let "id\n" through into a file name.
        if not isinstance(doc_id, str) or not is_slug(doc_id):
            raise UnsafeIdError(f"id {str(doc_id)[:80]!r} is not a slug; refusing to store it")
        path = (self.root / FOLDERS[kind] / f"{doc_id}.yaml").resolve()
        if not path.is_relative_to(self.root):
            raise UnsafeIdError(f"id {doc_id!r} would be stored outside the cache")
        return path

    def has_document(self, key: str) -> bool:
        """True when `kind:id` has metadata and its file exists."""
        if key not in self.documents:
            return False
        kind, doc_id = key.split(":", 1)
        return self.document_path(kind, doc_id).is_file()

    def write_document(self, kind: str, doc_id: str, data: bytes) -> Path:
        """Atomically write an already validated document (file I/O only: safe in a thread)."""
        from briefing.feed.publish import write_atomic

        path = self.document_path(kind, doc_id)
        write_atomic(path, data)
        return path

    def store_document(self, kind: str, doc_id: str, data: bytes, meta: DocumentMeta) -> Path:
        """Atomically store an already validated document and remember its metadata."""
        path = self.write_document(kind, doc_id, data)
        self.documents[f"{kind}:{doc_id}"] = meta
        return path

    def cached_index(self, index_url: str) -> bytes | None:
        """The last good index of `index_url`, or None."""
        if self.index_url != index_url:
            return None
        try:
            return (self.root / INDEX_CACHE_NAME).read_bytes()
        except OSError:
            return None

    def index_validators(self, index_url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the cached index, only if it belongs to `index_url`."""
        if self.cached_index(index_url) is None:
            return None, None
        return self.index_etag, self.index_last_modified

    def store_index(self, index_url: str, raw: bytes, etag: str | None,
                    last_modified: str | None) -> None:
        """Atomically keep a successfully parsed index with its validators."""
        from briefing.feed.publish import write_atomic

        write_atomic(self.root / INDEX_CACHE_NAME, raw)
        self.index_url, self.index_etag, self.index_last_modified = index_url, etag, last_modified

    def updated_times(self) -> dict[str, dt.datetime]:
        """The feed's `updated` time of each cached document, by `kind:id`."""
        from briefing.feed.index import parse_time

        times = {}
        for key, meta in self.documents.items():
            try:
                times[key] = parse_time(meta.updated, key)
            except ValueError:
                continue
        return times


def load_cached(root: Path | None = None) -> Library:
    """Every cached document as a `Library` (problems name the cache files).

    Read through the parsed-content index, so only documents written since the last run
    are parsed again.
    """
    return _load_folder(FeedCache(root).root)[0]


def merge(bundled: Library, cached: Library, updated: Mapping[str, dt.datetime]) -> Library:
    """Bundled plus cached documents; for the same `kind:id` the newer version wins.

    "Newer" compares the feed's `updated` time of the cached copy (`updated`, by
    `kind:id`, from `FeedCache.updated_times()`) with the bundled file's modification time;
    the cached copy wins only when strictly newer (or when the bundled file cannot be
    read). Problems of both libraries are kept; cross-file checks are not re-run.
    """
    if not cached.sources and not cached.problems:
        # Nothing cached (no feed, or not refreshed yet): copying 10,000 entries into a
        # new library would only cost start-up time.
        bundled.stores = bundled.stores + cached.stores
        return bundled
    merged = Library(sources=bundled.sources.copy(),
                     problems=list(bundled.problems) + list(cached.problems),
                     stores=bundled.stores + cached.stores)
    for story_id in bundled.stories:
        merged.stories.copy_from(bundled.stories, story_id)
    for briefing_id, summary in bundled.briefings.summaries.items():
        merged.briefings.put(summary, *bundled.briefings.source_of(briefing_id))
    for key, source in cached.sources.items():
        kind, doc_id = key.split(":", 1)
        if key in bundled.sources and not cached_is_newer(bundled.sources[key],
                                                          updated.get(key)):
            continue
        if kind == "story":
            merged.stories.copy_from(cached.stories, doc_id)
        else:
            merged.briefings.put(cached.briefings.summaries[doc_id],
                                 *cached.briefings.source_of(doc_id))
        merged.sources[key] = source
    return merged


def cached_is_newer(bundled_path: Path, cached_updated: dt.datetime | None) -> bool:
    """True when a cached copy `updated` at `cached_updated` wins over `bundled_path`."""
    if cached_updated is None:
        return False
    try:
        seconds = bundled_path.stat().st_mtime
    except OSError:
        return True
    # The feed states times to the second; compare at that precision. A number rather than
    # a datetime, because a file's mtime can lie outside the years datetime can hold.
    return int(cached_updated.timestamp()) > int(seconds)


def load_library(bundled_dir: Path, cache_root: Path | None = None,
                 budget: float | None = None) -> tuple[Library, int]:
    """What the reader shows at start: bundled content merged with the feed cache.

    New or changed files of the content folder are parsed for about `budget` seconds (all
    of them without a budget); the second value says how many are left (load again). The
    cache is read whole: a part of it merged would show bundled copies in place of the
    newer cached ones not parsed yet (the reader says how many a refresh brought while it
    loads them, see `BriefingApp._refresh_finished`).
    """
    bundled, pending = _load_folder(bundled_dir, budget)
    cache = FeedCache(cache_root)
    return merge(bundled, load_cached(cache.root), cache.updated_times()), pending


def _load_folder(folder: Path, budget: float | None = None) -> tuple[Library, int]:
    """A folder through its index (see `ContentStore.load`), or file by file when the
    index cannot be used at all: a cache folder that cannot be written, a full disk. The
    files are still there to read, only without the index's head start."""
    import sqlite3

    from briefing.indexdb import is_busy
    from briefing.store import store_for

    try:
        return store_for(folder).load(budget)
    except (OSError, sqlite3.Error) as error:
        if isinstance(error, sqlite3.OperationalError) and is_busy(error):
            raise  # another reader is writing the index: the caller waits for it
        return _without_index(folder, error), 0


def _without_index(folder: Path, error: BaseException) -> Library:
    """The folder read file by file, with a problem saying why and what it costs."""
    from briefing.loader import Problem, load_paths
    from briefing.paths import index_path

    if not folder.is_dir():  # e.g. no feed cache: nothing to read, nothing to report
        return Library()
    library = load_paths([folder])
    library.problems.insert(0, Problem(
        str(index_path(folder.resolve())), 1, 1,
        f"the content index cannot be used ({error}); the files were read one by one, "
        "which is slower for a large folder"))
    return library
