"""Refresh in the reader: a real server on 127.0.0.1, the real app, keys pressed with Pilot."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from briefing.app import BriefingApp
from briefing.feed.cache import load_cached
from briefing.feed.client import RefreshOptions
from briefing.feed.server import start_server
from briefing.screens.problems import ProblemsScreen
from briefing.widgets.item_lists import ClaimList
from tests.screen import loaded, screen_text
from tests.test_feed_faults import FaultServer, send

FAST = RefreshOptions(request_timeout=1.0, deadline=3.0)
PATIENT = RefreshOptions(request_timeout=5, deadline=10)
"""For a test server that stalls on purpose: long enough to see the refresh running."""
EXTRA = """\
format: 1
kind: briefing
id: herald-port-insurance
story: harbour-closure
title: Insurers question the port's storm cover
outlet: The Example Herald
byline: null
published: 2025-03-05
url: null
summary: The Herald reports doubts about whether the port's insurance covers storm damage.
key_claims:
  - id: cover-doubt
    text: The insurer may not cover the storm damage.
    claimant: An insurance broker
    status: unverified
    topic: repair-cost
    evidence: ["may not be covered"]
official_responses: []
open_questions: []
"""


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.fixture
def feed_folder(tmp_path: Path, basic_content: Path) -> Path:
    folder = tmp_path / "feed"
    shutil.copytree(basic_content, folder)
    (folder / "herald-port-insurance.yaml").write_text(EXTRA, encoding="utf-8")
    return folder


async def test_refresh_new_updated_unchanged_then_offline(feed_folder: Path,
                                                          basic_content: Path) -> None:
    with start_server(feed_folder) as server:
        app = BriefingApp(basic_content, feed=server.url, refresh_options=FAST)
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot, rounds=3)
            assert "Insurers question" not in screen_text(app)
            await pilot.press("r")
            await loaded(pilot, rounds=3)
            assert "1 new, 0 updated, 3 unchanged, 0 failed" in notices(app)[-1]
            assert "herald-port-insurance" in app.library.briefings
            assert app.main_screen.briefing_list.marks["herald-port-insurance"] == "●"
            assert "● Insurers question" in screen_text(app)

            app.open_briefing("courier-port-repairs")
            await pilot.pause()
            # An editor changes one claim of the gazette on the server.
            gazette = feed_folder / "gazette-port-closed.yaml"
            text = gazette.read_text(encoding="utf-8").replace(
                "Repairs will cost about 2 million euros.", "Repairs will cost 2 million euros.")
            gazette.write_text(text, encoding="utf-8")
            later = time.time() + 10
            os.utime(gazette, (later, later))
            await pilot.press("r")
            await loaded(pilot, rounds=3)
            assert "0 new, 1 updated, 3 unchanged, 0 failed" in notices(app)[-1]
            assert app.main_screen.briefing_list.marks["gazette-port-closed"] == "▲"
            assert "▲ Storm shuts the Port" in screen_text(app)
            app.open_briefing("gazette-port-closed")
            await pilot.pause()
            claims = app.screen.query_one("#key_claims", ClaimList)
            await pilot.press("2")
            assert claims.changed == {"cost-estimate"}
            assert "● UNVERIFIED" in screen_text(app).replace("  ", " ")
            await pilot.press("down")
            assert claims.changed == set()
            assert "● UNVERIFIED" not in screen_text(app).replace("  ", " ")
            assert not app.main_screen.briefing_list.marks.get("gazette-port-closed")

            before = len(server.log)
            await pilot.press("r")
            await loaded(pilot, rounds=3)
            assert "0 new, 0 updated, 4 unchanged, 0 failed" in notices(app)[-1]
            assert server.log[before:] == [("/index.json", 304)]

    # The server is gone: a new run starts offline from the cache.
    offline = BriefingApp(basic_content)
    async with offline.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, rounds=3)
        assert "herald-port-insurance" in offline.library.briefings
        assert offline.library.briefings["gazette-port-closed"].key_claims[1].text == (
            "Repairs will cost 2 million euros.")
        assert "Insurers question" in screen_text(offline)


async def test_failures_are_summed_up_listed_and_keep_what_is_shown(
        feed_folder: Path, basic_content: Path) -> None:
    with start_server(feed_folder) as server:
        app = BriefingApp(basic_content, feed=server.url, refresh_options=FAST)
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot, rounds=3)
            await pilot.press("r")
            await loaded(pilot, rounds=3)
    cached = load_cached().briefings["herald-port-insurance"]
    broken = FaultServer()
    try:
        broken.routes["/index.json"] = send(503, b"busy", {"Retry-After": "120"})
        app = BriefingApp(basic_content, feed=broken.base + "/index.json",
                          refresh_options=FAST)
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot, rounds=3)
            await pilot.press("r")
            await loaded(pilot, rounds=3)
            assert notices(app)[-1] == ("Could not refresh from the feed: HTTP 503 (server "
                                        "busy; retry after 120 s). Nothing was fetched. "
                                        "Press p for the reasons.")
            assert "herald-port-insurance" in app.library.briefings
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen)
            text = screen_text(app)
            assert "/index.json" in text and "503" in text and "120" in text
    finally:
        broken.stop()
    assert load_cached().briefings["herald-port-insurance"] == cached


async def test_second_r_is_refused_and_escape_cancels(basic_content: Path) -> None:
    slow = FaultServer()

    def drip(request) -> None:
        request.send_response(200)
        request.send_header("Content-Length", "1000")
        request.end_headers()
        for _ in range(40):
            request.wfile.write(b" ")
            request.wfile.flush()
            time.sleep(0.1)

    slow.routes["/index.json"] = drip
    try:
        app = BriefingApp(basic_content, feed=slow.base + "/index.json",
                          refresh_options=PATIENT)
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot, rounds=3)
            await pilot.press("r")
            await pilot.pause(0.3)
            bar = app.main_screen.refresh_bar
            assert bar.running and bar.display
            assert "Refreshing" in screen_text(app)
            await pilot.press("j")  # the reader stays usable while it runs
            await pilot.press("r")
            assert "A refresh is already running (Esc cancels it)." in notices(app)
            assert slow.log == ["/index.json"]
            await pilot.press("escape")
            await loaded(pilot, rounds=3)
            assert not bar.running and not bar.display
            assert "Refresh cancelled. What was already fetched is kept." in notices(app)
            assert len(app.library.briefings) == 2
    finally:
        slow.stop()


async def test_progress_shows_whole_at_80_columns(basic_content: Path) -> None:
    """The label takes half of an 80-column line: the bar gives way, and nothing comes
    after it to be cut (a percentage there showed "6" for 67%)."""
    server = FaultServer()
    server.publish({path.stem: ("story" if path.stem == "harbour-closure" else "briefing",
                                path.read_bytes()) for path in basic_content.iterdir()})

    def stall(request) -> None:
        time.sleep(3)
        send(404, b"gone")(request)

    server.routes["/courier-port-repairs.yaml"] = stall
    try:
        app = BriefingApp(basic_content, feed=server.base + "/index.json",
                          refresh_options=PATIENT)
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(pilot, rounds=3)
            await pilot.press("r")
            for _ in range(40):
                await pilot.pause(0.05)
                if "2 of 3" in screen_text(app):
                    break
            [line] = [li for li in screen_text(app).splitlines() if "Refreshing" in li]
            assert "Refreshing: 2 of 3 documents" in line
            # The count, the way out and the bar, with nothing cut after the bar.
            assert "(Esc cancels)" in line
            assert line.rstrip()[-1] in "━╸╺" and line.count("━") >= 10
            await pilot.press("escape")
            await loaded(pilot, rounds=3)
    finally:
        server.stop()


async def test_refresh_without_a_feed_explains_how_to_set_one(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, rounds=3)
        await pilot.press("r")
        assert "No feed is configured" in notices(app)[-1]
        assert "config.yaml" in notices(app)[-1]


async def test_refresh_at_start(feed_folder: Path, basic_content: Path) -> None:
    with start_server(feed_folder) as server:
        app = BriefingApp(basic_content, feed=server.url, refresh_at_start=True,
                          refresh_options=FAST)
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot, rounds=3)
            await loaded(pilot, rounds=3)
            assert ("/index.json", 200) in server.log
            assert "herald-port-insurance" in app.library.briefings
            assert "1 new, 0 updated, 3 unchanged, 0 failed" in notices(app)[-1]


async def test_a_refresh_failing_while_a_large_folder_is_indexed_is_announced_once(
        tmp_path: Path, basic_content: Path) -> None:
    """The content's problems were announced with the refresh's failures among them, which
    have no file: the reader crashed when indexing ended after a failed refresh."""
    folder = tmp_path / "content"
    shutil.copytree(basic_content, folder)
    gazette = (basic_content / "gazette-port-closed.yaml").read_text(encoding="utf-8")
    for number in range(300):  # enough that indexing outlasts the refresh
        name = f"gazette-copy-{number:03}"
        (folder / f"{name}.yaml").write_text(
            gazette.replace("id: gazette-port-closed", f"id: {name}"), encoding="utf-8")
    (folder / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    server = FaultServer()
    server.routes["/index.json"] = send(503, b"busy")
    try:
        app = BriefingApp(folder, feed=server.base + "/index.json", refresh_at_start=True,
                          refresh_options=FAST)
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(200):
                await pilot.pause(0.05)
                if app._library_complete and not app.workers:
                    break
            assert app.is_running and app._library_complete
            assert app.refresh_problems, "the refresh should have failed first"
            titles = [n.title for n in app._notifications]
            assert titles.count("Content problems") == 1 and "Refresh" in titles
    finally:
        server.stop()


async def test_after_a_large_refresh_the_list_says_what_is_being_loaded(
        feed_folder: Path, basic_content: Path) -> None:
    """Parsing 400 documents a refresh brought took ~6 s, with the old list and count on
    screen and no word of it."""
    gazette = (basic_content / "gazette-port-closed.yaml").read_text(encoding="utf-8")
    for number in range(150):
        name = f"gazette-copy-{number:03}"
        (feed_folder / f"{name}.yaml").write_text(
            gazette.replace("id: gazette-port-closed", f"id: {name}"), encoding="utf-8")
    with start_server(feed_folder) as server:
        app = BriefingApp(basic_content, feed=server.url,
                          refresh_options=RefreshOptions(request_timeout=5, deadline=20))
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot, rounds=3)
            pane = app.main_screen.query_one("#briefing-list")
            shown: list[str] = []
            show_count = app.main_screen.show_count

            def recording(count: int) -> None:  # every subtitle the list is given
                show_count(count)
                shown.append(str(pane.border_subtitle))

            app.main_screen.show_count = recording  # type: ignore[method-assign]
            await pilot.press("r")
            for _ in range(300):
                await pilot.pause(0.05)
                if shown and shown[-1] == "153 briefings":
                    break
            assert shown == ["2 · 154 to index", "153 briefings"]


async def test_a_reload_while_files_are_indexed_keeps_the_whole_list(
        tmp_path: Path, basic_content: Path) -> None:
    """A reload that met many changed files showed a part of the folder until the rest was
    parsed: fewer briefings, and none for a changed one."""
    folder = tmp_path / "content"
    shutil.copytree(basic_content, folder)
    app = BriefingApp(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, rounds=3)
        gazette = (folder / "gazette-port-closed.yaml").read_text(encoding="utf-8")
        for number in range(150):
            name = f"gazette-copy-{number:03}"
            (folder / f"{name}.yaml").write_text(
                gazette.replace("id: gazette-port-closed", f"id: {name}"), encoding="utf-8")
        later = time.time() + 10
        os.utime(folder / "courier-port-repairs.yaml", (later, later))  # changed too
        lists: list[tuple[int, str]] = []
        show_count = app.main_screen.show_count

        def recording(count: int) -> None:
            show_count(count)
            pane = app.main_screen.query_one("#briefing-list")
            lists.append((len(app.library.briefings), str(pane.border_subtitle)))

        app.main_screen.show_count = recording  # type: ignore[method-assign]
        app.load_content()  # as a refresh that changed something does
        for _ in range(300):
            await pilot.pause(0.05)
            if lists and lists[-1][1] == "152 briefings":
                break
        assert lists[-1] == (152, "152 briefings")
        assert len(lists) > 1 and all(count == 2 for count, _ in lists[:-1])
        assert all(" to index" in subtitle for _, subtitle in lists[:-1])
        assert "courier-port-repairs" in app.library.briefings
