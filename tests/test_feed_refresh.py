"""Refreshing from the project's own feed server on 127.0.0.1: new, updated, 304s, offline."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from briefing.cli import main
from briefing.feed.cache import FeedCache, load_cached, load_library, merge
from briefing.feed.client import RefreshOptions, refresh
from briefing.feed.server import start_server
from briefing.loader import load_paths
from tests.conftest import touch_later

FAST = RefreshOptions(request_timeout=2, deadline=5)
GAZETTE = "gazette-port-closed.yaml"


async def test_first_refresh_then_changed_then_unchanged(content: Path, tmp_path: Path):
    cache_root = tmp_path / "cache"
    seen: list[tuple[int, int]] = []
    with start_server(content) as server:
        first = await refresh(server.url, cache_root, options=FAST,
                              progress=lambda done, total: seen.append((done, total)))
        assert first.new == ["briefing:courier-port-repairs", "briefing:gazette-port-closed",
                             "story:harbour-closure"]
        assert (first.updated, first.unchanged, first.failed) == ([], [], [])
        assert seen[0] == (0, 3) and seen[-1] == (3, 3)
        assert first.summary() == "3 new, 0 updated, 0 unchanged, 0 failed"

        gazette = content / GAZETTE
        touch_later(gazette, gazette.read_text().replace(
            "Storm shuts the Port of Example for weeks", "Port of Example shut for weeks"))
        second = await refresh(server.url, cache_root, options=FAST)
        assert second.updated == ["briefing:gazette-port-closed"]
        assert second.new == [] and len(second.unchanged) == 2 and second.failed == []
        assert load_cached(cache_root).briefings["gazette-port-closed"].title == (
            "Port of Example shut for weeks")

        before = len(server.log)
        third = await refresh(server.url, cache_root, options=FAST)
        assert third.summary() == "0 new, 0 updated, 3 unchanged, 0 failed"
        # Nothing changed: one conditional request for the index, answered 304, and no more.
        assert server.log[before:] == [("/index.json", 304)]


async def test_document_with_stale_hash_costs_a_304(content: Path, tmp_path: Path):
    cache_root = tmp_path / "cache"
    with start_server(content) as server:
        await refresh(server.url, cache_root, options=FAST)
        cache = FeedCache(cache_root)
        cache.documents["briefing:gazette-port-closed"].sha256 = "0" * 64
        cache.save()
        before = len(server.log)
        result = await refresh(server.url, cache_root, options=FAST)
        assert result.unchanged == ["briefing:courier-port-repairs",
                                    "briefing:gazette-port-closed", "story:harbour-closure"]
        assert ("/briefings/gazette-port-closed.yaml", 304) in server.log[before:]


async def test_offline_keeps_cache_and_says_connection_refused(content: Path, tmp_path: Path):
    cache_root = tmp_path / "cache"
    with start_server(content) as server:
        await refresh(server.url, cache_root, options=FAST)
        url = server.url
    result = await refresh(url, cache_root, options=FAST)
    assert [(f.url, f.reason) for f in result.failed] == [(url, "connection refused")]
    library = load_cached(cache_root)
    assert sorted(library.briefings) == ["courier-port-repairs", "gazette-port-closed"]
    assert library.problems == []


async def test_cancel_leaves_cache_intact(content: Path, tmp_path: Path):
    cache_root = tmp_path / "cache"
    with start_server(content) as server:
        await refresh(server.url, cache_root, options=FAST)
        good = (cache_root / "briefings" / GAZETTE).read_bytes()
        touch_later(content / GAZETTE, (content / GAZETTE).read_text().replace(
            "Ana Writer", "A. Writer"))
        task = asyncio.create_task(refresh(server.url, cache_root, options=FAST))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert (cache_root / "briefings" / GAZETTE).read_bytes() == good
        again = await refresh(server.url, cache_root, options=FAST)
        assert again.updated == ["briefing:gazette-port-closed"]
    assert not [p for p in cache_root.rglob("*") if p.name.endswith(".tmp")]


def test_server_sends_validators_and_answers_if_modified_since(content: Path):
    with start_server(content) as server:
        url = server.url.replace("index.json", f"briefings/{GAZETTE}")
        first = httpx.get(url)
        assert first.status_code == 200 and first.headers["ETag"].startswith('"')
        assert first.content == (content / GAZETTE).read_bytes()
        since = httpx.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        assert since.status_code == 304
        tag = httpx.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert tag.status_code == 304
        assert httpx.get(server.url.replace("index.json", "briefings/nope.yaml")).status_code == 404


def test_merge_newer_version_wins(content: Path, tmp_path: Path):
    bundled_dir = tmp_path / "bundled"
    shutil.copytree(content, bundled_dir)
    old = time.time() - 3600
    for path in bundled_dir.iterdir():
        os.utime(path, (old, old))
    with start_server(content) as server:
        touch_later(content / GAZETTE, (content / GAZETTE).read_text().replace(
            "Storm shuts the Port of Example for weeks", "Feed title"))
        asyncio.run(refresh(server.url, tmp_path / "cache", options=FAST))
    library, pending = load_library(bundled_dir, tmp_path / "cache")
    assert pending == 0
    assert library.briefings["gazette-port-closed"].title == "Feed title"
    assert library.sources["briefing:gazette-port-closed"].is_relative_to(tmp_path / "cache")

    newest = time.time() + 3600
    os.utime(bundled_dir / GAZETTE, (newest, newest))
    cache = FeedCache(tmp_path / "cache")
    library = merge(load_paths([bundled_dir]), load_cached(cache.root), cache.updated_times())
    assert library.briefings["gazette-port-closed"].title.startswith("Storm shuts")
    assert library.sources["briefing:gazette-port-closed"] == bundled_dir / GAZETTE


def test_publish_command_writes_a_servable_feed(content: Path, tmp_path: Path, capsys):
    (content / "broken.yaml").write_text("format: 1\nkind: briefing\nid: [\n")
    out = tmp_path / "out"
    assert main(["publish", str(content), str(out)]) == 1  # a problem is reported
    assert "broken.yaml" in capsys.readouterr().err
    index = json.loads((out / "index.json").read_text())
    assert index["feed_format"] == 1
    assert sorted(d["url"] for d in index["documents"]) == [
        "briefings/courier-port-repairs.yaml", "briefings/gazette-port-closed.yaml",
        "stories/harbour-closure.yaml"]
    assert (out / "briefings" / GAZETTE).read_bytes() == (content / GAZETTE).read_bytes()


def test_serve_command_serves_the_index(content: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "serve", str(content), "--port", "0"],
        stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        url = line.split(" at ", 1)[1].split()[0]
        index = httpx.get(url, timeout=5).json()
        assert len(index["documents"]) == 3
    finally:
        process.terminate()
        process.wait(timeout=5)


async def test_unwritable_cache_is_a_failure_not_a_crash(content: Path, tmp_path: Path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    with start_server(content) as server:
        result = await refresh(server.url, not_a_folder, options=FAST)
    assert result.failed and all(f.reason.startswith("cannot write to the cache")
                                 for f in result.failed)
    assert not_a_folder.read_text() == "a file where the cache folder should be"
