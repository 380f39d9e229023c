"""Refresh counts as the reader sees them: a feed made from the content already on screen is
"unchanged", not "new"; genuinely new and updated documents keep their names.

Every refresh talks to a real server on 127.0.0.1: the project's own (`briefing serve`), a
static folder written by `briefing publish`, or a `FaultServer` that misbehaves.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from briefing.feed.cache import FeedCache, load_library
from briefing.feed.client import RefreshOptions, refresh
from briefing.feed.publish import run_publish
from briefing.feed.server import start_server
from tests.conftest import touch_later
from tests.test_feed_faults import FaultServer, send
from tests.test_refresh_ui import EXTRA

FAST = RefreshOptions(request_timeout=2, deadline=5)
OPTIONS = RefreshOptions(request_timeout=1.0, deadline=3.0)
GAZETTE = "gazette-port-closed.yaml"
ALL = ["briefing:courier-port-repairs", "briefing:gazette-port-closed", "story:harbour-closure"]


def shown_by_reader(content: Path, cache_root: Path) -> dict[str, Path]:
    """The file of each document the reader shows: its library's sources, as the app has."""
    library, pending = load_library(content, cache_root)
    assert pending == 0
    return dict(library.sources)


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve a published feed folder as plain files; yields the index URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/index.json"
    finally:
        httpd.shutdown()
        httpd.server_close()


async def test_feed_served_from_the_shown_content_is_all_unchanged(content: Path,
                                                                  tmp_path: Path) -> None:
    cache_root = tmp_path / "cache"
    shown = shown_by_reader(content, cache_root)
    with start_server(content) as server:  # `briefing serve` of the folder on screen
        result = await refresh(server.url, cache_root, options=FAST, shown=shown)
    assert result.summary() == "0 new, 0 updated, 3 unchanged, 0 failed"
    assert (result.new, result.updated, result.unchanged) == ([], [], ALL)
    # The copies are still cached (offline use, later conditional requests), and the
    # reader is told to reload so that the merge sees them.
    assert result.stored == ALL and result.changed
    for name in ("briefings/courier-port-repairs.yaml", f"briefings/{GAZETTE}",
                 "stories/harbour-closure.yaml"):
        assert (cache_root / name).read_bytes() == (content / Path(name).name).read_bytes()
    assert sorted(FeedCache(cache_root).documents) == ALL


async def test_published_copy_of_the_shown_content_is_all_unchanged(content: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "published"
    assert run_publish(content, out) == 0  # `briefing publish content OUT`
    cache_root = tmp_path / "cache"
    with static_server(out) as url:
        result = await refresh(url, cache_root, options=FAST,
                               shown=shown_by_reader(content, cache_root))
    assert result.summary() == "0 new, 0 updated, 3 unchanged, 0 failed"


async def test_new_and_updated_keep_their_names_next_to_identical(content: Path,
                                                                  tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    shutil.copytree(content, feed)
    (feed / "herald-port-insurance.yaml").write_text(EXTRA, encoding="utf-8")
    touch_later(feed / GAZETTE, (feed / GAZETTE).read_text(encoding="utf-8").replace(
        "Storm shuts the Port of Example for weeks", "Port of Example shut for weeks"))
    cache_root = tmp_path / "cache"
    with start_server(feed) as server:
        result = await refresh(server.url, cache_root, options=FAST,
                               shown=shown_by_reader(content, cache_root))
    assert result.summary() == "1 new, 1 updated, 2 unchanged, 0 failed"
    assert result.new == ["briefing:herald-port-insurance"]
    assert result.updated == ["briefing:gazette-port-closed"]
    assert result.unchanged == ["briefing:courier-port-repairs", "story:harbour-closure"]
    # "Updated" and "new" are what the reader shows once it reloads.
    library, _ = load_library(content, cache_root)
    assert library.briefings["gazette-port-closed"].title == "Port of Example shut for weeks"
    assert "herald-port-insurance" in library.briefings


async def cached_gazette_shown(url: str, feed: Path, content: Path, cache_root: Path,
                               title: str) -> dict[str, Path]:
    """Refresh once with the feed's gazette retitled (newer than the content's), so that
    the reader shows the cached copy; what it shows."""
    touch_later(feed / GAZETTE, (feed / GAZETTE).read_text(encoding="utf-8").replace(
        "Storm shuts the Port of Example for weeks", title))
    await refresh(url, cache_root, options=FAST)
    shown = shown_by_reader(content, cache_root)
    assert shown["briefing:gazette-port-closed"].is_relative_to(cache_root)
    return shown


async def test_a_change_to_a_cached_copy_on_screen_is_updated(content: Path,
                                                              tmp_path: Path) -> None:
    """The file shown is the cached one that the refresh replaces: it is compared before
    it is overwritten."""
    feed = tmp_path / "feed"
    shutil.copytree(content, feed)
    cache_root = tmp_path / "cache"
    with start_server(feed) as server:
        shown = await cached_gazette_shown(server.url, feed, content, cache_root,
                                           "First feed title")
        touch_later(feed / GAZETTE, (feed / GAZETTE).read_text(encoding="utf-8").replace(
            "First feed title", "Second feed title"))
        result = await refresh(server.url, cache_root, options=FAST, shown=shown)
    assert result.summary() == "0 new, 1 updated, 2 unchanged, 0 failed"
    library, _ = load_library(content, cache_root)
    assert library.briefings["gazette-port-closed"].title == "Second feed title"


async def test_a_cached_copy_on_screen_refetched_identical_is_unchanged(
        content: Path, tmp_path: Path) -> None:
    """The cache lost its metadata (so no hash, no validators): the copy on screen comes
    back byte for byte and is no news."""
    feed = tmp_path / "feed"
    shutil.copytree(content, feed)
    cache_root = tmp_path / "cache"
    with start_server(feed) as server:
        shown = await cached_gazette_shown(server.url, feed, content, cache_root, "Feed title")
        (cache_root / "meta.json").unlink()
        result = await refresh(server.url, cache_root, options=FAST, shown=shown)
    assert result.summary() == "0 new, 0 updated, 3 unchanged, 0 failed"


async def test_feed_copy_older_than_the_content_folders_is_unchanged(
        content: Path, tmp_path: Path) -> None:
    """The feed has an older, different version: the reader keeps showing its own newer
    file (newer wins), so nothing it shows changes."""
    server = FaultServer()  # its index dates every document 2025-03-04
    older = (content / GAZETTE).read_bytes().replace(b"Storm shuts", b"A storm shuts")
    server.publish({"gazette-port-closed": ("briefing", older)})
    cache_root = tmp_path / "cache"
    try:
        result = await refresh(server.base + "/index.json", cache_root, options=OPTIONS,
                               shown=shown_by_reader(content, cache_root))
    finally:
        server.stop()
    assert result.summary() == "0 new, 0 updated, 1 unchanged, 0 failed"
    assert (cache_root / "briefings" / GAZETTE).read_bytes() == older
    library, _ = load_library(content, cache_root)
    assert library.briefings["gazette-port-closed"].title.startswith("Storm shuts")


async def test_a_shown_file_that_cannot_be_read_counts_as_updated(content: Path,
                                                                  tmp_path: Path) -> None:
    cache_root = tmp_path / "cache"
    shown = shown_by_reader(content, cache_root)
    shown["briefing:gazette-port-closed"] = tmp_path / "gone.yaml"
    with start_server(content) as server:
        result = await refresh(server.url, cache_root, options=FAST, shown=shown)
    assert result.updated == ["briefing:gazette-port-closed"] and result.failed == []
    assert len(result.unchanged) == 2


async def test_a_shown_file_that_only_starts_like_the_feed_copy_is_updated(
        content: Path, tmp_path: Path) -> None:
    cache_root = tmp_path / "cache"
    shown = shown_by_reader(content, cache_root)
    longer = tmp_path / "longer.yaml"
    longer.write_bytes((content / GAZETTE).read_bytes() + b"# and a note\n")
    os.utime(longer, (0, 0))  # older than the feed's copy, which therefore wins
    shown["briefing:gazette-port-closed"] = longer
    with start_server(content) as server:
        result = await refresh(server.url, cache_root, options=FAST, shown=shown)
    assert result.updated == ["briefing:gazette-port-closed"] and result.failed == []


async def test_bad_copy_of_a_shown_document_fails_and_changes_nothing(
        content: Path, tmp_path: Path) -> None:
    """A damaged or invalid document is a failure, not "unchanged": neither the shown file
    nor the cache is touched."""
    server = FaultServer()
    good = (content / GAZETTE).read_bytes()
    server.publish({"gazette-port-closed": ("briefing", good),
                    "courier-port-repairs": ("briefing", b"format: 1\nkind: briefing\n")})
    # The index promises the good bytes; the server sends something else.
    server.routes["/gazette-port-closed.yaml"] = send(200, good + b"\n# tampered\n")
    cache_root = tmp_path / "cache"
    shown = shown_by_reader(content, cache_root)
    before = {path: path.read_bytes() for path in content.iterdir()}
    try:
        result = await refresh(server.base + "/index.json", cache_root, options=OPTIONS,
                               shown=shown)
    finally:
        server.stop()
    assert result.summary() == "0 new, 0 updated, 0 unchanged, 2 failed"
    assert not result.changed and result.stored == []
    assert {path: path.read_bytes() for path in content.iterdir()} == before
    assert not (cache_root / "briefings").exists()


async def test_without_shown_the_counts_are_the_caches(content: Path, tmp_path: Path) -> None:
    """A caller that does not say what is shown gets the cache's view, as before."""
    with start_server(content) as server:
        result = await refresh(server.url, tmp_path / "cache", options=FAST)
    assert result.summary() == "3 new, 0 updated, 0 unchanged, 0 failed"
    assert result.stored == ALL
