"""Careful HTTP GETs for the feed client: capped, decoded by hand, redirects checked.

Everything a feed server sends is untrusted. `get` follows at most a few redirects and
only to http/https, refuses bodies over a byte cap while streaming (counting *decoded*
bytes, so a gzip bomb stops at the cap instead of filling memory), and turns every
failure into `FetchError` with a plain reason a reader can act on. httpx is imported by
the caller (`client.py`) only when a refresh runs.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import zlib
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit

from briefing.models import record

_REDIRECTS = (301, 302, 303, 307, 308)
_STATUS_WORDS = {
    404: "not found", 410: "gone", 403: "forbidden", 401: "needs a login",
    429: "too many requests", 500: "server error", 502: "bad gateway",
    503: "server busy", 504: "gateway timeout",
}
_ASCII_NUMBER = re.compile(r"[0-9]+")
_VISIBLE_ASCII = re.compile(r"[\x20-\x7e]+")
_MAX_VALIDATOR = 1024


class FetchError(Exception):
    """A fetch failed; `reason` is a short plain-English explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@record(frozen=True)
class Fetched:
    """A completed GET: status 200 with a body, or 304 (not modified) without one."""

    status: int
    body: bytes
    url: str
    etag: str | None
    last_modified: str | None
    content_type: str


def plain(text: str, limit: int = 200) -> str:
    """Strip control characters from untrusted text and clip it, for messages."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def size_words(limit: int) -> str:
    """A byte count in words: 1000000 -> '1 MB'."""
    if limit >= 1_000_000 and limit % 100_000 == 0:
        return f"{limit / 1_000_000:g} MB"
    if limit >= 1000 and limit % 100 == 0:
        return f"{limit / 1000:g} KB"
    return f"{limit} bytes"


def status_reason(status: int, retry_after: str | None) -> str:
    """`HTTP 503 (server busy; retry after 120 s)` and friends."""
    try:
        words = _STATUS_WORDS.get(status) or HTTPStatus(status).phrase.lower()
    except ValueError:
        words = "unexpected status"
    wait = _retry_after_seconds(retry_after)
    if wait is not None:
        words += f"; retry after {wait} s"
    return f"HTTP {status} ({words})"


def header_int(value: str | None, max_digits: int = 18) -> int | None:
    """A header value that is a short plain ASCII number (`"120"`), else None.

    `str.isdigit` accepts "²" and other digits `int` refuses, and `int` refuses strings of
    thousands of digits, so only ASCII 0-9 up to `max_digits` long count as a number.
    """
    if value is None:
        return None
    value = value.strip()
    if not _ASCII_NUMBER.fullmatch(value) or len(value) > max_digits:
        return None
    return int(value)


def usable_validator(value: str | None) -> str | None:
    """An ETag or Last-Modified worth sending back, else None.

    Validators are echoed in the next request's headers, which must be ASCII: a stored
    "é" or control character would break every later refresh, so such values are dropped
    (costing only a full download).
    """
    if value is None or len(value) > _MAX_VALIDATOR or not _VISIBLE_ASCII.fullmatch(value):
        return None
    return value


def _retry_after_seconds(value: str | None) -> int | None:
    if not value:
        return None
    seconds = header_int(value, max_digits=10)
    if seconds is not None:
        return seconds
    value = value.strip()
    if len(value) > 64 or not value.isascii():  # an HTTP date is about 30 ASCII characters
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0, round((when - dt.datetime.now(dt.UTC)).total_seconds()))


async def get(client: Any, url: str, headers: dict[str, str], max_bytes: int,
              max_redirects: int) -> Fetched:
    """GET `url` with `client` (an httpx.AsyncClient with redirects off); raise FetchError."""
    for _hop in range(max_redirects + 1):
        request = client.build_request("GET", url, headers=headers)
        response = await client.send(request, stream=True)
        try:
            status = response.status_code
            if status in _REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {status} redirect without a Location header")
                try:
                    url = urljoin(url, location.strip())
                except ValueError:  # e.g. "http://[oops" (an unclosed IPv6 address)
                    raise FetchError(f"redirect to an invalid address "
                                     f"({plain(location, 80)})") from None
                if urlsplit(url).scheme not in ("http", "https"):
                    raise FetchError(f"redirect to a non-HTTP address ({plain(url, 80)})")
                continue
            etag = usable_validator(response.headers.get("ETag"))
            last_modified = usable_validator(response.headers.get("Last-Modified"))
            content_type = response.headers.get("Content-Type", "")
            if status == 304:
                return Fetched(304, b"", url, etag, last_modified, content_type)
            if status != 200:
                raise FetchError(status_reason(status, response.headers.get("Retry-After")))
            body = await _read_capped(response, max_bytes)
            return Fetched(200, body, url, etag, last_modified, content_type)
        finally:
            await response.aclose()
    raise FetchError(f"too many redirects (more than {max_redirects})")


async def _read_capped(response: Any, max_bytes: int) -> bytes:
    too_big = FetchError(f"response larger than {size_words(max_bytes)}")
    declared = header_int(response.headers.get("Content-Length"))
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if declared is not None and declared > max_bytes and encoding == "identity":
        raise too_big
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding in ("identity", ""):
        decoder = None
    else:
        raise FetchError(f"unsupported content encoding {plain(encoding, 40)!r}")
    parts: list[bytes] = []
    total = 0
    async for chunk in response.aiter_raw():
        if decoder is None:
            total += len(chunk)
            if total > max_bytes:
                raise too_big
            parts.append(chunk)
            continue
        data = chunk
        while data:
            try:
                # max_length bounds each step, so memory stays near the cap whatever the ratio.
                out = decoder.decompress(data, max_bytes - total + 1)
            except zlib.error:
                raise FetchError("corrupt compressed response") from None
            total += len(out)
            if total > max_bytes:
                raise FetchError(f"response larger than {size_words(max_bytes)} "
                                 f"(after decompression)")
            parts.append(out)
            data = decoder.unconsumed_tail
    if decoder is not None and not decoder.eof:
        raise FetchError("connection closed before the whole response arrived (truncated)")
    return b"".join(parts)
