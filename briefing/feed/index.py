"""The feed index: the JSON document at a feed URL that lists what the feed offers.

Format (documented in `docs/feed.md`)::

    {"feed_format": 1,
     "generated": "2025-03-04T10:00:00Z",
     "documents": [
        {"id": "harbour-closure", "kind": "story", "url": "stories/harbour-closure.yaml",
         "updated": "2025-03-04T09:00:00Z", "sha256": "<64 hex digits>"}, ...]}

The index comes from the network, so it is parsed strictly: top-level problems raise
`FeedIndexError` naming the field; a bad entry (an id that is not a slug, a URL that is not
http/https, a malformed hash) is dropped and reported in `FeedIndex.rejected`, so one bad
entry never stops the others.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import field
from typing import Any
from urllib.parse import urljoin, urlsplit

from briefing.models import record
from briefing.validate import describe_value, is_slug

FEED_FORMAT = 1
INDEX_NAME = "index.json"
MAX_INDEX_BYTES = 5_000_000
MAX_ENTRIES = 20_000
KINDS = ("briefing", "story")
FOLDERS = {"briefing": "briefings", "story": "stories"}
"""The folder of each kind, in published feeds and in the cache."""
# Matched with fullmatch: "$" alone also matches before a trailing newline.
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_ENTRY_KEYS = {"id", "kind", "url", "updated", "sha256"}


class FeedIndexError(Exception):
    """The index as a whole cannot be used (not JSON, wrong version, missing field)."""


@record(frozen=True)
class IndexEntry:
    """One document the feed offers; `url` is absolute (resolved against the index URL)."""

    id: str
    kind: str
    url: str
    updated: dt.datetime
    sha256: str

    @property
    def key(self) -> str:
        """The library key of the document, e.g. `briefing:gazette-port-closed`."""
        return f"{self.kind}:{self.id}"


@record(frozen=True)
class RejectedEntry:
    """An index entry that was dropped, with where it was and why."""

    position: int
    url: str
    reason: str


@record
class FeedIndex:
    """A parsed feed index."""

    entries: list[IndexEntry] = field(default_factory=list)
    rejected: list[RejectedEntry] = field(default_factory=list)
    generated: dt.datetime | None = None


def parse_time(value: Any, where: str) -> dt.datetime:
    """Parse an ISO 8601 timestamp with a time zone (a `Z` suffix is accepted) as UTC."""
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected an ISO 8601 timestamp string; got "
                         f"{describe_value(value)}")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{where}: not an ISO 8601 timestamp: {value[:40]!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{where}: timestamp needs a time zone (e.g. 'Z'): {value[:40]!r}")
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        # 9999-12-31T23:59:59-23:59 is a valid ISO 8601 string whose UTC time is in year 10000.
        raise ValueError(f"{where}: timestamp is out of range (before year 1 or after "
                         f"year 9999 in UTC): {value[:40]!r}") from None


def format_time(value: dt.datetime) -> str:
    """Render a timestamp as UTC ISO 8601 with a `Z` suffix, to the second."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_index(raw: bytes, index_url: str) -> FeedIndex:
    """Parse index bytes fetched from `index_url`; raise `FeedIndexError` if unusable."""
    if len(raw) > MAX_INDEX_BYTES:
        raise FeedIndexError(f"index is larger than {MAX_INDEX_BYTES:,} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise FeedIndexError("index is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        hint = " (got an HTML page?)" if raw.lstrip()[:1] == b"<" else ""
        raise FeedIndexError(f"index is not JSON{hint}: {error.msg} at line {error.lineno}, "
                             f"column {error.colno}") from None
    except RecursionError:
        raise FeedIndexError("index is not usable JSON: arrays or objects are nested too "
                             "deeply") from None
    except ValueError:
        # json raises a bare ValueError (not JSONDecodeError) for an integer longer than
        # Python's int-string limit.
        raise FeedIndexError(f"index is not usable JSON: a number has more than "
                             f"{sys.get_int_max_str_digits():,} digits") from None
    if not isinstance(data, dict):
        raise FeedIndexError("index: expected a JSON object at the top")
    version = data.get("feed_format")
    if version != FEED_FORMAT or isinstance(version, bool):
        raise FeedIndexError(f"feed_format: this reader reads feed format {FEED_FORMAT}; "
                             f"got {describe_value(version)}")
    documents = data.get("documents")
    if not isinstance(documents, list):
        raise FeedIndexError("documents: missing, or not a list")
    if len(documents) > MAX_ENTRIES:
        raise FeedIndexError(f"documents: more than {MAX_ENTRIES:,} entries")
    index = FeedIndex()
    if data.get("generated") is not None:
        try:
            index.generated = parse_time(data["generated"], "generated")
        except ValueError as error:
            raise FeedIndexError(str(error)) from None
    seen: set[str] = set()
    for position, item in enumerate(documents):
        try:
            entry = _entry(item, position, index_url)
        except ValueError as error:
            index.rejected.append(RejectedEntry(position, _shown_url(item, position, index_url),
                                                str(error)))
            continue
        if entry.key in seen:
            index.rejected.append(RejectedEntry(position, entry.url, f"documents[{position}].id:"
                                                f" duplicate {entry.kind} id {entry.id!r}"))
            continue
        seen.add(entry.key)
        index.entries.append(entry)
    return index


def _shown_url(item: Any, position: int, index_url: str) -> str:
    fallback = f"{index_url} (documents[{position}])"
    url = item.get("url") if isinstance(item, dict) else None
    if not isinstance(url, str):
        return fallback[:300]
    try:
        return urljoin(index_url, url)[:300]
    except ValueError:  # the very URL that got the entry rejected
        return fallback[:300]


def _entry(item: Any, position: int, index_url: str) -> IndexEntry:
    where = f"documents[{position}]"
    if not isinstance(item, dict):
        raise ValueError(f"{where}: expected an object")
    missing = sorted(_ENTRY_KEYS - item.keys())
    if missing:
        raise ValueError(f"{where}: missing field {missing[0]}")
    unknown = sorted(item.keys() - _ENTRY_KEYS)
    if unknown:
        raise ValueError(f"{where}.{unknown[0]}: unknown field")
    doc_id, kind, url, digest = item["id"], item["kind"], item["url"], item["sha256"]
    if not isinstance(doc_id, str) or not is_slug(doc_id):
        raise ValueError(f"{where}.id: expected a slug (lowercase letters, digits and hyphens);"
                         f" got {describe_value(doc_id)}")
    if kind not in KINDS:
        raise ValueError(f"{where}.kind: expected briefing or story; got {describe_value(kind)}")
    if not isinstance(url, str) or not url:
        raise ValueError(f"{where}.url: expected a URL")
    try:
        absolute = urljoin(index_url, url)
    except ValueError:  # e.g. "http://[oops" (an unclosed IPv6 address)
        raise ValueError(f"{where}.url: not a valid URL: {url[:80]!r}") from None
    if urlsplit(absolute).scheme not in ("http", "https"):
        raise ValueError(f"{where}.url: only http and https URLs are fetched; got "
                         f"{absolute[:80]!r}")
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise ValueError(f"{where}.sha256: expected 64 lowercase hex digits")
    updated = parse_time(item["updated"], f"{where}.updated")
    return IndexEntry(doc_id, kind, absolute, updated, digest)


def render_index(entries: list[dict[str, str]], generated: dt.datetime | None = None) -> bytes:
    """Serialise index entries (`id`, `kind`, relative `url`, `updated`, `sha256`) as JSON."""
    document = {
        "feed_format": FEED_FORMAT,
        "generated": format_time(generated or dt.datetime.now(dt.UTC)),
        "documents": entries,
    }
    return json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8") + b"\n"
