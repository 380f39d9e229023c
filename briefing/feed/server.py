"""Serve a content folder as a feed over HTTP, with ETag, Last-Modified and 304s.

`briefing serve DIR` runs `serve_forever`; tests call `start_server(DIR, port=0)`, which
runs the same server in a daemon thread and returns a `FeedServer` with its URL, a log of
(path, status) for every request, and `stop()`. The folder is rescanned on every index
request (only changed files are re-read), so edits show up on the next refresh.
"""

from __future__ import annotations

import email.utils
import hashlib
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from briefing.feed.index import INDEX_NAME
from briefing.feed.publish import FeedContent, new_scanner
from briefing.widgets.safe import terminal_line


class _FeedHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Many clients open connections at once; the default backlog of 5 refuses some.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], content_dir: Path, quiet: bool) -> None:
        super().__init__(address, _Handler)
        self.content_dir = content_dir
        self.quiet = quiet
        self.scanner = new_scanner()
        self.lock = threading.Lock()
        self.content: FeedContent | None = None
        self.log: list[tuple[str, int]] = []
        self.reported: set[str] = set()
        self.broken_files: set[str] = set()

    def current(self, rescan: bool) -> FeedContent:
        with self.lock:
            if rescan or self.content is None:
                self.content = self.scanner.scan(self.content_dir)
                self._report(self.content)
            return self.content

    def _report(self, content: FeedContent) -> None:
        """Print each problem once, when first found (a file that turns invalid while
        serving drops out of the feed, and the editor should hear why), and say when a
        file that had problems is served again."""
        problems = {str(problem) for problem in content.problems}
        broken = {problem.file for problem in content.problems}
        if not self.quiet:
            for problem in content.problems:
                if str(problem) not in self.reported:
                    print(f"problem: {terminal_line(str(problem))}", file=sys.stderr)
            # Gone from the problems and still there (a deleted file is not mended).
            for mended in sorted(f for f in self.broken_files - broken if Path(f).is_file()):
                print(f"mended: {terminal_line(mended)} is served again", file=sys.stderr)
        self.reported, self.broken_files = problems, broken


class _Handler(BaseHTTPRequestHandler):
    server: _FeedHTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on, the client's
    # delayed ACK then stalls every response by ~40 ms.
    disable_nagle_algorithm = True

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(send_body=True)

    def _respond(self, send_body: bool) -> None:
        path = self.path.split("?", 1)[0]
        is_index = path in ("/", f"/{INDEX_NAME}")
        content = self.server.current(rescan=is_index)
        if is_index:
            data, etag_hash = content.index, _digest(content.index)
            mtime = max((f.mtime for f in content.files.values()), default=0.0)
            media = "application/json"
        else:
            item = content.files.get(path.lstrip("/"))
            if item is None:
                self._status(HTTPStatus.NOT_FOUND, b"not found\n", send_body)
                return
            data, etag_hash, mtime = item.data, item.sha256, item.mtime
            media = "application/yaml; charset=utf-8"
        etag = f'"{etag_hash}"'
        last_modified = email.utils.formatdate(int(mtime), usegmt=True)
        if self._not_modified(etag, int(mtime)):
            self.server.log.append((path, 304))
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        self.server.log.append((path, 200))
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
            return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in match.split(","))
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                when = email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, OverflowError, OSError):
                # A date without a zone is read as local time, which the platform may not
                # be able to convert for years far from now; treat it as no condition.
                return False
            return mtime <= when
        return False

    def _status(self, status: HTTPStatus, body: bytes, send_body: bool) -> None:
        self.server.log.append((self.path, int(status)))
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if not self.server.quiet:
            # The request line is the client's: it may hold control codes.
            sys.stderr.write(f"{self.address_string()} {terminal_line(format % args)}\n")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FeedServer:
    """A running feed server in a background thread (for tests and benchmarks)."""

    def __init__(self, httpd: _FeedHTTPServer) -> None:
        self._httpd = httpd
        # A short poll interval makes stop() quick (tests start and stop many servers).
        self._thread = threading.Thread(target=httpd.serve_forever, args=(0.05,),
                                        name="feed-server", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The feed URL (the index), e.g. `http://127.0.0.1:43117/index.json`."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/{INDEX_NAME}"

    @property
    def log(self) -> list[tuple[str, int]]:
        """Every request so far as (path, HTTP status)."""
        return self._httpd.log

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(content_dir: Path, host: str = "127.0.0.1", port: int = 0,
                 quiet: bool = True) -> FeedServer:
    """Serve `content_dir` in a background thread; port 0 picks a free port."""
    httpd = _FeedHTTPServer((host, port), content_dir, quiet)
    httpd.current(rescan=True)
    return FeedServer(httpd)


def serve_forever(content_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve `content_dir` until interrupted (the `briefing serve` command)."""
    if not content_dir.is_dir():
        print(f"briefing serve: {content_dir}: no such folder", file=sys.stderr)
        return 2
    try:
        httpd = _FeedHTTPServer((host, port), content_dir, quiet=False)
    except (OSError, OverflowError) as error:  # port taken or out of range, bad address
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        print(f"briefing serve: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 2
    content = httpd.current(rescan=True)  # prints the problems found
    bound_host, bound_port = httpd.server_address[:2]
    print(f"Serving {len(content.files)} documents from {content_dir} as a feed at "
          f"http://{bound_host}:{bound_port}/{INDEX_NAME} (Ctrl+C stops)", file=sys.stderr)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0
