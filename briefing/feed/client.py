"""Refresh the cache from a feed: fast, bounded, and never damaging the last good copy.

`await refresh(feed_url)` fetches the index (conditionally: an unchanged index costs one
304), then fetches, with one shared httpx client and at most `concurrency` requests at a
time, only the documents whose sha256 differs from the cached copy (conditionally again).
Each request has its own timeout and the whole refresh has a deadline. Every body is
checked against the index hash and validated exactly like local content
(`loader.load_bytes`) before it is written to the cache atomically. Cancelling the task
(e.g. Escape in the reader) stops it; documents already accepted stay, nothing is half
written, and the cache metadata is saved on the way out.

Call it from an async context: in Textual, an async worker (`run_worker(coro)`) on the
app's event loop. `progress(done, total)` is called on that loop.

The counts speak of what the reader shows, not of what the cache held: given `shown` (the
file each `kind:id` on screen was read from, i.e. the reader's `Library.sources`), a
fetched document identical to the one shown is *unchanged*, although the cache did not
have it (a feed made from the very content the reader shows). Without `shown`, new and
updated mean new to the cache and replacing a cached copy.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path

from briefing.feed.cache import DocumentMeta, FeedCache, UnsafeIdError, cached_is_newer
from briefing.feed.fetch import Fetched, FetchError, get, plain, usable_validator
from briefing.feed.index import FeedIndex, FeedIndexError, IndexEntry, format_time, parse_index
from briefing.loader import load_bytes
from briefing.models import record
from briefing.yamlsafe import MAX_FILE_BYTES

Progress = Callable[[int, int], None]


@record(frozen=True)
class RefreshOptions:
    """Limits of one refresh. `verify` may be an `ssl.SSLContext` (never False in use)."""

    concurrency: int = 4
    request_timeout: float = 10.0
    deadline: float = 60.0
    max_bytes: int = MAX_FILE_BYTES
    max_index_bytes: int = 5_000_000
    max_redirects: int = 3
    verify: object = True


@record(frozen=True)
class Failure:
    """A document (or the index) that could not be refreshed, with a plain reason."""

    url: str
    reason: str
    key: str | None = None

    def __str__(self) -> str:
        return f"{self.url}: {self.reason}"


@record
class RefreshResult:
    """What a refresh did; document lists hold `kind:id` keys, sorted.

    `new`: the reader showed no such document; `updated`: a different version replaces the
    one shown; `unchanged`: what is shown stays as it was (the cached copy was current, or
    the fetched one is identical to the one shown, or older than the content folder's own
    copy, which keeps winning). `stored` lists every document written to the cache,
    whichever of the three it counts as.
    """

    feed_url: str
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)
    index_failed: bool = False
    """The index could not be fetched (or kept): no document was even asked for."""

    @property
    def changed(self) -> bool:
        """True when the cache gained or replaced a document (the reader should reload)."""
        # `stored` too: a copy identical to the shown one may now win the merge, and the
        # reader should read it from where the merge takes it.
        return bool(self.new or self.updated or self.stored)

    def summary(self) -> str:
        """One line for a notification: `2 new, 1 updated, 497 unchanged, 0 failed`, or
        why the feed could not be read at all (not "1 failed", which reads as one
        document of many)."""
        if self.index_failed:
            reason = self.failed[0].reason if self.failed else "no answer"
            reason = reason if len(reason) <= 80 else reason[:77] + "..."
            return f"Could not refresh from the feed: {reason}. Nothing was fetched"
        return (f"{len(self.new)} new, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged, {len(self.failed)} failed")


class _Deadline:
    """The overall deadline and the per-request timeout, as loop times."""

    def __init__(self, options: RefreshOptions) -> None:
        self.loop = asyncio.get_running_loop()
        self.at = self.loop.time() + options.deadline
        self.options = options

    def request_end(self) -> float:
        return min(self.loop.time() + self.options.request_timeout, self.at)

    def reason(self) -> str:
        if self.loop.time() >= self.at - 0.01:
            return f"timed out (the refresh deadline of {self.options.deadline:g} s passed)"
        return f"timed out (no complete answer within {self.options.request_timeout:g} s)"


async def refresh(feed_url: str, cache: FeedCache | Path | str | None = None, *,
                  progress: Progress | None = None,
                  options: RefreshOptions | None = None,
                  shown: Mapping[str, Path] | None = None) -> RefreshResult:
    """Refresh the feed cache from `feed_url` (the index URL); see the module docstring.

    `shown` is the file of each document the reader shows, by `kind:id` (its
    `Library.sources`); it is only read, to count the result as the user sees it.
    """
    import httpx  # only a refresh pays for importing httpx

    options = options or RefreshOptions()
    if not isinstance(cache, FeedCache):
        cache = FeedCache(cache)
    result = RefreshResult(feed_url)
    deadline = _Deadline(options)
    limits = httpx.Limits(max_connections=options.concurrency,
                          max_keepalive_connections=options.concurrency)
    client = httpx.AsyncClient(
        verify=options.verify, follow_redirects=False, limits=limits, trust_env=False,
        timeout=httpx.Timeout(options.request_timeout),
        headers={"Accept-Encoding": "gzip", "User-Agent": "briefing-reader/1"},
    )
    try:
        async with client:
            index = await _fetch_index(client, feed_url, cache, deadline, result)
            if index is not None:
                await _fetch_documents(client, index, cache, deadline, result, progress,
                                       shown or {})
    finally:
        try:
            cache.save()
        except OSError as error:
            result.failed.append(Failure(str(cache.root / "meta.json"), _write_reason(error)))
    for names in (result.new, result.updated, result.unchanged, result.stored):
        names.sort()
    return result


async def _guarded_get(client: object, url: str, headers: dict[str, str], max_bytes: int,
                       deadline: _Deadline) -> Fetched:
    import httpx

    try:
        async with asyncio.timeout_at(deadline.request_end()):
            return await get(client, url, headers, max_bytes, deadline.options.max_redirects)
    except TimeoutError:
        raise FetchError(deadline.reason()) from None
    except httpx.TimeoutException:
        raise FetchError(deadline.reason()) from None
    except httpx.HTTPError as error:
        raise FetchError(_network_reason(error)) from None
    except OSError as error:
        raise FetchError(plain(f"network error: {error}")) from None


def _network_reason(error: Exception) -> str:
    import httpx

    text = str(error)
    lowered = text.lower()
    if isinstance(error, httpx.ConnectError):
        if "refused" in lowered or _caused_by(error, ConnectionRefusedError):
            return "connection refused"
        if "certificate" in lowered or "ssl" in lowered:
            return plain(f"TLS certificate could not be verified ({text})")
        if "name" in lowered or "address" in lowered:
            return plain(f"host not found ({text})")
        return plain(f"cannot connect ({text})")
    if isinstance(error, httpx.RemoteProtocolError):
        if "incomplete" in lowered or "peer closed" in lowered:
            return "connection closed before the whole response arrived (truncated)"
        return plain(f"the server broke the HTTP protocol ({text})")
    if isinstance(error, httpx.UnsupportedProtocol):
        return "only http and https URLs are fetched"
    if isinstance(error, httpx.InvalidURL):
        return plain(f"invalid URL ({text})")
    return plain(f"network error ({text or type(error).__name__})")


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 10:  # the chain is short; the bound guards cycles
        if isinstance(current, kind):
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False


def _conditional(etag: str | None, last_modified: str | None) -> dict[str, str]:
    # Re-checked here because a cache written by an older version may hold a validator
    # that cannot be sent (non-ASCII), which would break every refresh of that document.
    etag, last_modified = usable_validator(etag), usable_validator(last_modified)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


async def _fetch_index(client: object, feed_url: str, cache: FeedCache, deadline: _Deadline,
                       result: RefreshResult) -> FeedIndex | None:
    headers = _conditional(*cache.index_validators(feed_url))
    try:
        fetched = await _guarded_get(client, feed_url, headers, deadline.options.max_index_bytes,
                                     deadline)
        raw = fetched.body if fetched.status == 200 else cache.cached_index(feed_url)
        if raw is None:
            raise FetchError("the server answered 304 but no copy of the index is cached")
        try:
            index = parse_index(raw, fetched.url)
        except FeedIndexError as error:
            raise FetchError(plain(f"not a feed index: {error}")) from None
    except FetchError as error:
        result.failed.append(Failure(feed_url, error.reason))
        result.index_failed = True
        return None
    if fetched.status == 200:
        try:
            cache.store_index(feed_url, raw, fetched.etag, fetched.last_modified)
        except OSError as error:
            result.failed.append(Failure(feed_url, _write_reason(error)))
            result.index_failed = True
            return None
    result.failed += [Failure(r.url, plain(r.reason)) for r in index.rejected]
    return index


async def _fetch_documents(client: object, index: FeedIndex, cache: FeedCache,
                           deadline: _Deadline, result: RefreshResult,
                           progress: Progress | None, shown: Mapping[str, Path]) -> None:
    total = len(index.entries) + len(index.rejected)
    done = len(index.rejected)
    wanted: list[IndexEntry] = []
    for entry in index.entries:
        meta = cache.documents.get(entry.key)
        if meta is not None and meta.sha256 == entry.sha256 and cache.has_document(entry.key):
            result.unchanged.append(entry.key)
            done += 1
        else:
            wanted.append(entry)
    if progress is not None:
        progress(done, total)
    semaphore = asyncio.Semaphore(deadline.options.concurrency)

    async def one(entry: IndexEntry) -> None:
        nonlocal done
        try:
            async with semaphore:
                await _fetch_document(client, entry, cache, deadline, result,
                                      shown.get(entry.key))
        except FetchError as error:
            result.failed.append(Failure(entry.url, error.reason, entry.key))
        except UnsafeIdError as error:
            result.failed.append(Failure(entry.url, plain(str(error)), entry.key))
        except OSError as error:
            result.failed.append(Failure(entry.url, _write_reason(error), entry.key))
        done += 1
        if progress is not None:
            progress(done, total)

    async with asyncio.TaskGroup() as group:
        for entry in wanted:
            group.create_task(one(entry))


async def _fetch_document(client: object, entry: IndexEntry, cache: FeedCache,
                          deadline: _Deadline, result: RefreshResult,
                          shown: Path | None) -> None:
    path = cache.document_path(entry.kind, entry.id)  # refuse unsafe ids before any request
    meta = cache.documents.get(entry.key)
    had_copy = meta is not None and path.is_file()
    headers = _conditional(meta.etag, meta.last_modified) if had_copy and meta else {}
    fetched = await _guarded_get(client, entry.url, headers, deadline.options.max_bytes,
                                 deadline)
    if fetched.status == 304:
        result.unchanged.append(entry.key)
        return
    body = fetched.body
    # A briefing starts with a key; "<" means an HTML page (an error or login page, say).
    if body.lstrip()[:1] == b"<":
        raise FetchError(f"not a {entry.kind}: the server sent an HTML page, not YAML")
    if hashlib.sha256(body).hexdigest() != entry.sha256:
        raise FetchError("content does not match the sha256 in the index (changed while "
                         "refreshing, or damaged on the way)")
    # Validation runs on the loop: it is short (about 1 ms a document) and a thread would
    # only contend for the GIL.
    loaded = load_bytes(body, Path(f"{entry.id}.yaml"))
    if loaded.problems or loaded.document is None:
        raise FetchError(_invalid_reason(entry.kind, loaded.problems))
    if loaded.document.kind != entry.kind:
        raise FetchError(f"not a {entry.kind}: the document is a {loaded.document.kind}")
    # Creating files is slow on some file systems and releases the GIL, so a thread lets
    # it overlap with the network; metadata is updated on the loop once the file is in place.
    stays_shown = await asyncio.to_thread(_compare_then_write, cache, entry, body, shown)
    cache.documents[entry.key] = DocumentMeta(
        url=entry.url, sha256=entry.sha256, updated=format_time(entry.updated),
        etag=fetched.etag, last_modified=fetched.last_modified)
    result.stored.append(entry.key)
    if stays_shown:
        result.unchanged.append(entry.key)
    elif shown is not None or had_copy:
        result.updated.append(entry.key)
    else:
        result.new.append(entry.key)


def _compare_then_write(cache: FeedCache, entry: IndexEntry, body: bytes,
                        shown: Path | None) -> bool:
    """Write a validated document to the cache (file I/O only: safe in a thread).

    True when the reader's view of it stays as it was: the file it shows (`shown`) holds
    the very same bytes, or is the content folder's own copy and newer than the feed's
    (which `merge` keeps showing). Read before writing, as it may be the cached file.
    """
    stays = shown is not None and _stays_shown(cache, entry, body, shown)
    cache.write_document(entry.kind, entry.id, body)
    return stays


def _stays_shown(cache: FeedCache, entry: IndexEntry, body: bytes, shown: Path) -> bool:
    try:
        with open(shown, "rb") as file:
            # One byte more than the body tells a longer file apart without reading it all.
            if file.read(len(body) + 1) == body:
                return True
        is_cached_copy = Path(shown).resolve() == cache.document_path(entry.kind, entry.id)
    except OSError:
        # What is shown cannot be read now: the fetched copy is what a reload will show.
        return False
    return not is_cached_copy and not cached_is_newer(Path(shown), entry.updated)


def _write_reason(error: OSError) -> str:
    return plain(f"cannot write to the cache: {error.strerror or error}")


def _invalid_reason(kind: str, problems: list) -> str:
    if not problems:
        return f"not a {kind}: the document could not be read"
    first = problems[0]
    more = len(problems) - 1
    extra = f"; {more} more problem{'s' if more != 1 else ''}" if more else ""
    return plain(f"not a {kind}: {first.message} (line {first.line}, column {first.column})"
                 f"{extra}", 300)
