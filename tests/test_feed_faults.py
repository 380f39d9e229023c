"""A feed server that misbehaves on purpose: every fault gives a clear reason, and the cache
keeps the last good copy."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import json
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefing.feed.cache import FeedCache, UnsafeIdError, load_cached
from briefing.feed.client import RefreshOptions, refresh
from briefing.feed.index import render_index

FIXTURES = Path(__file__).parent / "fixtures" / "basic"
GAZETTE_ID = "gazette-port-closed"
GOOD = (FIXTURES / f"{GAZETTE_ID}.yaml").read_bytes()
OPTIONS = RefreshOptions(request_timeout=1.0, deadline=3.0)
Handler = Callable[[BaseHTTPRequestHandler], None]


def send(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    """A route answering with a fixed response."""
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(body)
    return handle


class FaultServer:
    """A loopback server whose routes (path -> handler) tests change as they go."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.log: list[str] = []
        routes, log = self.routes, self.log

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                log.append(self.path)
                handler = routes.get(self.path, send(404, b"not found"))
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    handler(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def publish(self, documents: dict[str, tuple[str, bytes | str]], extra: list | None = None,
                ) -> None:
        """Serve an index of `id -> (kind, body or sha256)` with documents at /<id>.yaml."""
        entries = []
        for doc_id, (kind, body) in documents.items():
            digest = body if isinstance(body, str) else hashlib.sha256(body).hexdigest()
            if isinstance(body, bytes):
                self.routes[f"/{doc_id}.yaml"] = send(200, body, {"ETag": f'"{digest}"'})
            entries.append({"id": doc_id, "kind": kind, "url": f"{doc_id}.yaml",
                            "updated": "2025-03-04T10:00:00Z", "sha256": digest})
        self.routes["/index.json"] = send(200, render_index(entries + (extra or [])))

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = FaultServer()
    yield running
    running.stop()


@pytest.fixture
async def seeded(server: FaultServer, tmp_path: Path) -> Path:
    """A cache holding the good fixture content, fetched from `server`."""
    server.publish({f.stem: (f.read_text().split("kind: ")[1].split()[0], f.read_bytes())
                    for f in FIXTURES.glob("*.yaml")})
    result = await refresh(f"{server.base}/index.json", tmp_path / "cache", options=OPTIONS)
    assert len(result.new) == 3 and not result.failed
    return tmp_path / "cache"


def assert_kept(cache_root: Path) -> None:
    """The cache still holds the good gazette briefing, and no temporary file is left."""
    assert (cache_root / "briefings" / f"{GAZETTE_ID}.yaml").read_bytes() == GOOD
    library = load_cached(cache_root)
    assert library.briefings[GAZETTE_ID].title == "Storm shuts the Port of Example for weeks"
    assert library.problems == []
    assert not [p for p in cache_root.rglob("*") if p.suffix == ".tmp"]


async def refresh_broken(server: FaultServer, cache_root: Path, handler: Handler,
                         options: RefreshOptions = OPTIONS) -> str:
    """Announce a changed gazette briefing, serve it with `handler`; return its failure."""
    changed = GOOD.replace(b"for weeks", b"for months")
    server.publish({GAZETTE_ID: ("briefing", hashlib.sha256(changed).hexdigest())})
    server.routes[f"/{GAZETTE_ID}.yaml"] = handler
    started = time.monotonic()
    result = await refresh(f"{server.base}/index.json", cache_root, options=options)
    assert time.monotonic() - started < options.deadline + 1
    assert result.new == result.updated == []
    assert [f.key for f in result.failed] == [f"briefing:{GAZETTE_ID}"]
    assert result.failed[0].url == f"{server.base}/{GAZETTE_ID}.yaml"
    assert_kept(cache_root)
    return result.failed[0].reason


def hang(seconds: float, first: bytes = b"") -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Length", "5000")
        request.end_headers()
        request.wfile.write(first)
        request.wfile.flush()
        time.sleep(seconds)
    return handle


def drip(request: BaseHTTPRequestHandler) -> None:
    request.send_response(200)
    request.send_header("Content-Length", str(len(GOOD)))
    request.end_headers()
    for byte in GOOD:
        request.wfile.write(bytes([byte]))
        request.wfile.flush()
        time.sleep(0.2)


def truncated(request: BaseHTTPRequestHandler) -> None:
    request.send_response(200)
    request.send_header("Content-Length", str(len(GOOD) + 500))
    request.end_headers()
    request.wfile.write(GOOD)
    request.close_connection = True


def streamed(body: bytes) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.end_headers()  # no Content-Length: the body ends when the connection closes
        for start in range(0, len(body), 65536):
            request.wfile.write(body[start:start + 65536])
        request.close_connection = True
    return handle


async def test_connection_refused_keeps_cache(server: FaultServer, seeded: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await refresh(f"http://127.0.0.1:{port}/index.json", seeded, options=OPTIONS)
    assert [f.reason for f in result.failed] == ["connection refused"]
    assert_kept(seeded)


async def test_timeout(server: FaultServer, seeded: Path):
    reason = await refresh_broken(server, seeded, hang(3), RefreshOptions(
        request_timeout=0.3, deadline=3))
    assert reason == "timed out (no complete answer within 0.3 s)"


async def test_dripping_server_stopped_by_deadline(server: FaultServer, seeded: Path):
    reason = await refresh_broken(server, seeded, drip, RefreshOptions(
        request_timeout=10, deadline=1))
    assert reason == "timed out (the refresh deadline of 1 s passed)"


@pytest.mark.parametrize(("status", "headers", "expected"), [
    (404, {}, "HTTP 404 (not found)"),
    (500, {}, "HTTP 500 (server error)"),
    (503, {"Retry-After": "120"}, "HTTP 503 (server busy; retry after 120 s)"),
])
async def test_http_errors(server: FaultServer, seeded: Path, status, headers, expected):
    assert await refresh_broken(server, seeded, send(status, b"oops", headers)) == expected


async def test_index_unavailable_fails_whole_refresh(server: FaultServer, seeded: Path):
    server.routes["/index.json"] = send(503, b"busy", {"Retry-After": "30"})
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert [str(f) for f in result.failed] == [
        f"{server.base}/index.json: HTTP 503 (server busy; retry after 30 s)"]
    # Not "1 failed", which reads as one document of many.
    assert result.summary() == ("Could not refresh from the feed: HTTP 503 (server busy; "
                                "retry after 30 s). Nothing was fetched")
    assert_kept(seeded)


async def test_truncated_body(server: FaultServer, seeded: Path):
    reason = await refresh_broken(server, seeded, truncated)
    assert reason == "connection closed before the whole response arrived (truncated)"


async def test_html_instead_of_yaml(server: FaultServer, seeded: Path):
    page = b"<!DOCTYPE html><html><body>Welcome to nginx!</body></html>"
    reason = await refresh_broken(server, seeded, send(200, page, {"Content-Type": "text/html"}))
    assert reason == "not a briefing: the server sent an HTML page, not YAML"


async def test_schema_invalid_document(server: FaultServer, seeded: Path):
    invalid = GOOD.replace(b"status: asserted", b"status: rumoured")
    server.publish({GAZETTE_ID: ("briefing", invalid)})
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert len(result.failed) == 1
    reason = result.failed[0].reason
    assert reason.startswith("not a briefing: key_claims[0].status:"), reason
    assert "rumoured" in reason and "(line 17, column 13)" in reason
    assert_kept(seeded)


async def test_yaml_syntax_error(server: FaultServer, seeded: Path):
    broken = b"format: 1\nkind: briefing\nid: [unclosed\n"
    server.publish({GAZETTE_ID: ("briefing", broken)})
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert result.failed[0].reason.startswith("not a briefing: YAML syntax error")
    assert "(line 4, column 1)" in result.failed[0].reason
    assert_kept(seeded)


async def test_body_not_matching_index_hash(server: FaultServer, seeded: Path):
    reason = await refresh_broken(server, seeded, send(200, GOOD))
    assert reason.startswith("content does not match the sha256 in the index")


async def test_oversized_body_streamed(server: FaultServer, seeded: Path):
    huge = GOOD + b"#" * 1_200_000
    assert await refresh_broken(server, seeded, streamed(huge)) == "response larger than 1 MB"


async def test_oversized_body_declared(server: FaultServer, seeded: Path):
    reason = await refresh_broken(server, seeded, send(200, b"#" * 1_100_000))
    assert reason == "response larger than 1 MB"


async def test_gzip_bomb(server: FaultServer, seeded: Path):
    bomb = gzip.compress(b"\n" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    reason = await refresh_broken(server, seeded, send(200, bomb, {"Content-Encoding": "gzip"}))
    assert reason == "response larger than 1 MB (after decompression)"


async def test_gzip_document_accepted(server: FaultServer, seeded: Path):
    changed = GOOD.replace(b"for weeks", b"for months")
    server.publish({GAZETTE_ID: ("briefing", changed)})
    server.routes[f"/{GAZETTE_ID}.yaml"] = send(200, gzip.compress(changed),
                                                {"Content-Encoding": "gzip"})
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert result.updated == [f"briefing:{GAZETTE_ID}"] and result.failed == []
    assert (seeded / "briefings" / f"{GAZETTE_ID}.yaml").read_bytes() == changed


async def test_redirect_loop(server: FaultServer, seeded: Path):
    server.routes["/a"] = send(302, headers={"Location": "/b"})
    server.routes["/b"] = send(302, headers={"Location": "/a"})
    reason = await refresh_broken(server, seeded, send(301, headers={"Location": "/a"}))
    assert reason == "too many redirects (more than 3)"


async def test_redirect_to_other_scheme(server: FaultServer, seeded: Path):
    reason = await refresh_broken(server, seeded, send(302, headers={
        "Location": "file:///etc/passwd"}))
    assert reason == "redirect to a non-HTTP address (file:///etc/passwd)"


async def test_id_escaping_the_cache_is_refused(server: FaultServer, seeded: Path,
                                                tmp_path: Path):
    evil = {"id": "../../escaped", "kind": "briefing", "url": "evil.yaml",
            "updated": "2025-03-04T10:00:00Z", "sha256": hashlib.sha256(GOOD).hexdigest()}
    server.routes["/evil.yaml"] = send(200, GOOD)
    server.publish({}, extra=[evil])
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert [(f.url, f.reason) for f in result.failed] == [(
        f"{server.base}/evil.yaml",
        "documents[0].id: expected a slug (lowercase letters, digits and hyphens); "
        "got '../../escaped'")]
    assert "/evil.yaml" not in server.log
    assert not list(tmp_path.rglob("escaped*"))
    assert_kept(seeded)


@pytest.mark.parametrize("bad", ["../../etc/x", "a/b", "..", "", "UPPER", "x\x00y"])
def test_cache_refuses_unsafe_ids(tmp_path: Path, bad: str):
    with pytest.raises(UnsafeIdError):
        FeedCache(tmp_path).document_path("briefing", bad)
    with pytest.raises(UnsafeIdError):
        FeedCache(tmp_path).document_path("../x", "fine")


async def test_index_that_is_not_json(server: FaultServer, seeded: Path):
    server.routes["/index.json"] = send(200, b"<html>oops</html>", {"Content-Type": "text/html"})
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert result.failed[0].reason.startswith("not a feed index: index is not JSON (got an "
                                              "HTML page?)")
    assert_kept(seeded)


async def test_cancel_mid_download_keeps_cache(server: FaultServer, seeded: Path):
    changed = GOOD.replace(b"for weeks", b"for months")
    server.publish({GAZETTE_ID: ("briefing", hashlib.sha256(changed).hexdigest())})
    server.routes[f"/{GAZETTE_ID}.yaml"] = hang(3, changed[:100])
    task = asyncio.create_task(refresh(f"{server.base}/index.json", seeded, options=OPTIONS))
    for _ in range(100):
        if f"/{GAZETTE_ID}.yaml" in server.log:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert_kept(seeded)
    assert FeedCache(seeded).documents[f"briefing:{GAZETTE_ID}"].sha256 == (
        hashlib.sha256(GOOD).hexdigest())


def test_tls_certificate_is_verified(tmp_path: Path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    running = FaultServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    running.httpd.socket = context.wrap_socket(running.httpd.socket, server_side=True)
    running.publish({})
    try:
        url = running.base.replace("http:", "https:") + "/index.json"
        result = asyncio.run(refresh(url, tmp_path / "cache", options=OPTIONS))
    finally:
        running.stop()
    assert len(result.failed) == 1
    reason = result.failed[0].reason
    assert reason.startswith("TLS certificate could not be verified"), reason


def test_refresh_does_not_load_httpx_until_called():
    code = ("import sys, briefing.cli, briefing.feed.client, briefing.feed.cache; "
            "print('httpx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# Hostile values: each must end as a clean failure naming the URL and field, never a crash.

def _latin1(text: str) -> str:
    """`text` as a header value that `send_header` puts on the wire as UTF-8 bytes."""
    return text.encode("utf-8").decode("latin-1")


@pytest.mark.parametrize("value", [
    "\u00b2", _latin1("\u0661\u0662\u0660"), "9" * 5000, "-5", "1e3",
    "Mon, 01 Jan 99999 00:00:00 GMT",
], ids=["superscript-two", "arabic-indic-digits", "5000-digits", "negative", "exponent",
        "year-99999"])
async def test_retry_after_that_is_not_a_short_ascii_number(server: FaultServer, seeded: Path,
                                                            value: str):
    # "²" is the single byte 0xB2 on the wire: isdigit() is true, int() refuses it.
    reason = await refresh_broken(server, seeded, send(503, b"busy", {"Retry-After": value}))
    assert reason == "HTTP 503 (server busy)"


def _index_cache(root: Path) -> tuple[bytes, str | None]:
    return (root / "index.json").read_bytes(), FeedCache(root).index_url


@pytest.mark.parametrize(("body", "expected"), [
    (b"[" * 100_000 + b"]" * 100_000,
     "not a feed index: index is not usable JSON: arrays or objects are nested too deeply"),
    (b'{"feed_format": 1, "documents": [], "size": ' + b"9" * 5000 + b"}",
     "not a feed index: index is not usable JSON: a number has more than 4,300 digits"),
], ids=["nested-100000-deep", "5000-digit-number"])
async def test_index_json_python_cannot_read(server: FaultServer, seeded: Path, body: bytes,
                                             expected: str):
    before = _index_cache(seeded)
    server.routes["/index.json"] = send(200, body)
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert [(f.url, f.reason) for f in result.failed] == [(f"{server.base}/index.json",
                                                           expected)]
    assert _index_cache(seeded) == before
    assert_kept(seeded)


def _entry(doc_id: str, **fields: str) -> dict[str, str]:
    return {"id": doc_id, "kind": "briefing", "url": f"{doc_id}.yaml",
            "updated": "2025-03-04T10:00:00Z", "sha256": hashlib.sha256(GOOD).hexdigest(),
            **fields}


async def test_entry_time_out_of_range_fails_only_that_entry(server: FaultServer,
                                                              seeded: Path):
    # Valid ISO 8601, but in UTC it is in year 10000, which datetime cannot hold.
    late = _entry("late-news", updated="9999-12-31T23:59:59-23:59")
    server.publish({GAZETTE_ID: ("briefing", GOOD)}, extra=[late])
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert result.unchanged == [f"briefing:{GAZETTE_ID}"]
    assert [(f.url, f.reason) for f in result.failed] == [(
        f"{server.base}/late-news.yaml",
        "documents[1].updated: timestamp is out of range (before year 1 or after year 9999 "
        "in UTC): '9999-12-31T23:59:59-23:59'")]
    assert "/late-news.yaml" not in server.log
    assert_kept(seeded)


async def test_generated_time_out_of_range_fails_the_feed(server: FaultServer, seeded: Path):
    before = _index_cache(seeded)
    index = json.loads(render_index([_entry(GAZETTE_ID)]))
    index["generated"] = "0001-01-01T00:00:00+23:59"
    server.routes["/index.json"] = send(200, json.dumps(index).encode())
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert [(f.url, f.reason) for f in result.failed] == [(
        f"{server.base}/index.json",
        "not a feed index: generated: timestamp is out of range (before year 1 or after year "
        "9999 in UTC): '0001-01-01T00:00:00+23:59'")]
    assert _index_cache(seeded) == before
    assert_kept(seeded)


async def test_entry_url_that_is_not_a_url(server: FaultServer, seeded: Path):
    server.publish({GAZETTE_ID: ("briefing", GOOD)},
                   extra=[_entry("odd", url="http://[oops/odd.yaml")])
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert [(f.url, f.reason) for f in result.failed] == [(
        f"{server.base}/index.json (documents[1])",
        "documents[1].url: not a valid URL: 'http://[oops/odd.yaml'")]
    assert_kept(seeded)


async def test_redirect_to_an_invalid_address(server: FaultServer, seeded: Path):
    reason = await refresh_broken(server, seeded, send(302, headers={"Location": "http://[x/"}))
    assert reason == "redirect to an invalid address (http://[x/)"


async def test_id_with_a_trailing_newline_is_refused(server: FaultServer, seeded: Path):
    # The slug pattern ends in "$", which also matches before a final newline.
    server.publish({}, extra=[_entry("sneaky\n", url="sneaky.yaml")])
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert [f.reason for f in result.failed] == [
        "documents[0].id: expected a slug (lowercase letters, digits and hyphens); "
        "got 'sneaky\\n'"]
    assert "/sneaky.yaml" not in server.log
    assert_kept(seeded)


async def test_non_ascii_etag_does_not_break_the_next_refresh(server: FaultServer,
                                                              tmp_path: Path):
    # Sent back as If-None-Match, "é" would not encode as a header: every later refresh failed.
    server.publish({GAZETTE_ID: ("briefing", GOOD)})
    server.routes[f"/{GAZETTE_ID}.yaml"] = send(200, GOOD, {"ETag": '"\u00e9t\u00b2"'})
    first = await refresh(f"{server.base}/index.json", tmp_path, options=OPTIONS)
    assert first.new == [f"briefing:{GAZETTE_ID}"] and first.failed == []
    changed = GOOD.replace(b"for weeks", b"for months")
    server.publish({GAZETTE_ID: ("briefing", changed)})
    second = await refresh(f"{server.base}/index.json", tmp_path, options=OPTIONS)
    assert second.updated == [f"briefing:{GAZETTE_ID}"] and second.failed == []


@pytest.mark.parametrize("meta", [
    b"[" * 100_000,
    b'{"documents": {"briefing:x": {"url": 1, "sha256": null, "updated": []}}}',
    b'{"documents": {"no-colon": {"url": "u", "sha256": "s", "updated": "t"}}}',
    b'{"index_url": 5, "documents": {}}',
], ids=["nested-100000-deep", "wrong-types", "key-without-kind", "index-url-not-text"])
def test_damaged_cache_meta_is_ignored(tmp_path: Path, meta: bytes):
    (tmp_path / "meta.json").write_bytes(meta)
    cache = FeedCache(tmp_path)
    assert cache.documents == {} and cache.index_url is None
    assert cache.updated_times() == {}


async def test_unsendable_etag_kept_by_an_older_version(server: FaultServer, seeded: Path):
    cache = FeedCache(seeded)
    cache.documents[f"briefing:{GAZETTE_ID}"].etag = '"\u00e9t\u00e9"'
    cache.save()
    changed = GOOD.replace(b"for weeks", b"for months")
    server.publish({GAZETTE_ID: ("briefing", changed)})
    result = await refresh(f"{server.base}/index.json", seeded, options=OPTIONS)
    assert result.updated == [f"briefing:{GAZETTE_ID}"] and result.failed == []


def test_a_rejection_reason_quotes_a_huge_value_short() -> None:
    """An entry's `updated` that is a list of 100,000 strings is rejected with a reason of
    a line, not half a megabyte, on the problems screen."""
    from briefing.feed.index import parse_index

    index = json.dumps({"feed_format": 1, "generated": "2025-04-10T00:00:00Z", "documents": [
        {"id": "a", "kind": "briefing", "url": "a.yaml", "sha256": "0" * 64,
         "updated": ["x"] * 100_000}]}).encode()
    [rejected] = parse_index(index, "http://127.0.0.1/index.json").rejected
    assert "documents[0].updated: expected an ISO 8601 timestamp string" in rejected.reason
    assert len(rejected.reason) < 200
