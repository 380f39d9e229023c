"""The opening: a start paints what the last run's list began with, then checks the files
and shows what changed; an opening that does not read back is ignored."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

import briefing.feed.cache as cache_module
from briefing.app import BriefingApp
from briefing.opening import OPENING_ROWS, list_rows, make_opening, read_opening
from briefing.paths import index_path
from briefing.store import ContentStore
from tests.conftest import PROJECT, touch_later
from tests.screen import loaded, screen_text

OLD_TITLE = "Storm shuts the Port of Example for weeks"
NEW_TITLE = "Storm shuts the Port of Example for a month"


def kept(content: Path) -> str | None:
    """The opening as kept in the content folder's index, or None."""
    with sqlite3.connect(index_path(content.resolve())) as db:
        found = db.execute("SELECT value FROM meta WHERE key = 'opening'").fetchone()
    return found[0] if found else None


def keep(content: Path, value: str) -> None:
    with sqlite3.connect(index_path(content.resolve())) as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('opening', ?)", (value,))


def retitle(content: Path) -> None:
    path = content / "gazette-port-closed.yaml"
    touch_later(path, path.read_text().replace(OLD_TITLE, NEW_TITLE))


def test_opening_reads_back_the_start_of_the_list(content: Path) -> None:
    library, _ = ContentStore(content).load()
    rows = list_rows(library)
    ContentStore(content).save_opening(make_opening(library, rows))
    opening = read_opening(index_path(content.resolve()))
    assert opening is not None
    assert [(r.text, r.summary) for r in opening.rows] == [(r.text, r.summary) for r in rows]
    assert [r.text for r in rows] == ["Port of Example closes after storm damage", OLD_TITLE,
                                      "Port repairs could take two months, engineers say"]
    assert (opening.row_count, opening.line_count, opening.briefing_count) == (3, 5, 2)
    first = rows[1].summary
    assert first is not None and opening.first == library.briefings[first.id]
    assert opening.first_version == first.version


def test_a_long_list_keeps_only_its_first_rows_and_its_size(content: Path) -> None:
    library, _ = ContentStore(content).load()
    rows = list_rows(library) * 100
    ContentStore(content).save_opening(make_opening(library, rows))
    opening = read_opening(index_path(content.resolve()))
    assert opening is not None
    assert len(opening.rows) == OPENING_ROWS
    assert (opening.row_count, opening.line_count) == (300, 500)


def test_no_index_gives_no_opening_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "index" / "none.sqlite3"
    assert read_opening(missing) is None
    assert not missing.exists() and not missing.parent.exists()


def _tampered(valid: dict) -> list[object]:
    """Values that must not be taken for an opening, each damaged in one way."""
    numeric_title = json.loads(json.dumps(valid))
    numeric_title["rows"][1][2] = 7
    negative = dict(valid, line_count=-1)
    too_few = dict(valid, row_count=1)
    undated = json.loads(json.dumps(valid))
    undated["first"]["published"] = "3 March 2025"
    unknown_key = json.loads(json.dumps(valid))
    unknown_key["first"]["kind_of"] = "briefing"
    other_first = json.loads(json.dumps(valid))
    other_first["first"]["id"] = "courier-port-repairs"
    return ["not json {", "[]", dict(valid, version=99), numeric_title, negative, too_few,
            dict(valid, first={"id": 3}), undated, unknown_key, other_first]


def test_an_opening_that_does_not_read_back_is_ignored(content: Path) -> None:
    library, _ = ContentStore(content).load()
    valid = json.loads(make_opening(library, list_rows(library)))
    keep(content, json.dumps(valid))
    assert read_opening(index_path(content.resolve())) is not None
    for value in _tampered(valid):
        keep(content, value if isinstance(value, str) else json.dumps(value))
        assert read_opening(index_path(content.resolve())) is None, value


@pytest.fixture
def held_load(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold the app's full load (the real one) until the returned event is set, so that a
    test can see the screen the opening alone paints."""
    release = threading.Event()
    real = cache_module.load_library

    def held(*args, **kwargs):
        release.wait(timeout=10)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache_module, "load_library", held)
    return release


async def opening_shown(app: BriefingApp, pilot: Pilot) -> None:
    """Wait (at most 2 s) until the opening's list is on screen."""
    for _ in range(100):
        await pilot.pause(0.02)
        if app.main_screen.is_attached and OLD_TITLE[:20] in screen_text(app):
            return


async def run_once(content: Path) -> None:
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)


async def test_second_start_paints_the_opening_then_shows_an_edited_file(
        content: Path, held_load: threading.Event) -> None:
    held_load.set()
    await run_once(content)
    assert kept(content) is not None
    retitle(content)
    held_load.clear()
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await opening_shown(app, pilot)
        text = screen_text(app)
        assert len(app.library.briefings) == 0  # painted from the opening alone
        assert "2 briefings" in text and OLD_TITLE in text  # list and header, as last run
        held_load.set()
        await loaded(pilot)
        text = screen_text(app)
        assert NEW_TITLE in text and OLD_TITLE not in text
        assert len(app.library.briefings) == 2
    assert NEW_TITLE in kept(content) and OLD_TITLE not in kept(content)


async def test_a_key_pressed_before_the_library_is_shown_once_it_is(
        content: Path, held_load: threading.Event) -> None:
    held_load.set()
    await run_once(content)
    held_load.clear()
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await opening_shown(app, pilot)
        await pilot.press("down")
        assert app.current_briefing_id == "courier-port-repairs"
        held_load.set()
        await loaded(pilot)
        assert app.main_screen.detail.shown.id == "courier-port-repairs"
        assert "Port repairs could take two months" in screen_text(app).splitlines()[0]


async def test_a_damaged_opening_is_ignored_and_written_again(content: Path) -> None:
    await run_once(content)
    keep(content, '{"version": 1, "rows": [["half')
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert OLD_TITLE in text and "2 briefings" in text
    assert read_opening(index_path(content.resolve())) is not None


def test_damage_deep_or_well_hashed_is_still_ignored(content: Path) -> None:
    from briefing.codec import fingerprint_of_json

    library, _ = ContentStore(content).load()
    valid = json.loads(make_opening(library, list_rows(library)))
    keep(content, "[" * 100_000)  # nested too deep to decode
    assert read_opening(index_path(content.resolve())) is None
    forged = json.loads(json.dumps(valid))
    forged["first"]["title"] = 7  # of the wrong type, with a hash that matches
    forged["rows"][1][5] = fingerprint_of_json(
        json.dumps(forged["first"], sort_keys=True, ensure_ascii=False))
    keep(content, json.dumps(forged))
    assert read_opening(index_path(content.resolve())) is None


async def test_an_altered_first_briefing_is_replaced_once_the_library_is_in(
        content: Path, held_load: threading.Event) -> None:
    # Of the right types, so painted first; not the document its version names, which
    # the library's copy (same id, same version) shows as soon as it is in.
    held_load.set()
    await run_once(content)
    altered = json.loads(kept(content))
    assert altered["first"]["title"] == OLD_TITLE
    altered["first"]["title"] = "A title the summary's version does not cover"
    altered["first"]["summary"] = "An altered summary."
    keep(content, json.dumps(altered))
    held_load.clear()
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await opening_shown(app, pilot)
        assert "An altered summary." in screen_text(app)
        held_load.set()
        await loaded(pilot)
        text = screen_text(app)
        assert "An altered summary." not in text and "does not cover" not in text
        assert OLD_TITLE in text.splitlines()[0]
        assert app.main_screen.detail.shown == app.library.briefings["gazette-port-closed"]


def test_an_index_locked_by_another_process_gives_no_opening_at_once(content: Path) -> None:
    library, _ = ContentStore(content).load()
    ContentStore(content).save_opening(make_opening(library, list_rows(library)))
    other = sqlite3.connect(index_path(content.resolve()))
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        assert read_opening(index_path(content.resolve())) is None
        assert time.monotonic() - started < 2  # sqlite's default would wait 5 s
    finally:
        other.rollback()
        other.close()


async def test_a_briefing_added_before_the_first_one_takes_the_cursor(
        content: Path, held_load: threading.Event) -> None:
    held_load.set()
    await run_once(content)
    early = (content / "gazette-port-closed.yaml").read_text()
    early = early.replace("id: gazette-port-closed", "id: early-report").replace(
        "published: 2025-03-03", "published: 2025-01-01").replace(OLD_TITLE, "Early report")
    (content / "early-report.yaml").write_text(early)
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.current_briefing_id == "early-report"  # as a start without an opening
        assert "Early report" in screen_text(app).splitlines()[0]


async def test_a_failed_load_does_not_leave_last_runs_list(
        content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    await run_once(content)

    def failing(*args, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr(cache_module, "load_library", failing)
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert OLD_TITLE not in text and "No briefings to show" in text
        assert any("disk on fire" in str(n.message) for n in app._notifications)


async def test_the_opening_stays_while_changed_files_are_indexed(
        content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    await run_once(content)
    release = threading.Event()
    real = cache_module.load_library
    calls: list[int] = []

    def in_steps(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # a first batch: part of the library, three files to go
            library, _ = real(*args, **kwargs)
            library.briefings.summaries.pop(next(iter(library.briefings.summaries)))
            return library, 3
        release.wait(timeout=10)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache_module, "load_library", in_steps)
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if len(calls) == 2:
                break
        await pilot.pause()
        text = screen_text(app)
        subtitle = app.main_screen.query_one("#briefing-list").border_subtitle
        assert subtitle == "2 · 3 to index"  # the opening's whole list stays
        assert OLD_TITLE in text and "Port repairs could take" in text
        release.set()
        await loaded(pilot)
        assert "indexing" not in screen_text(app) and len(app.library.briefings) == 2


def test_a_partly_indexed_folder_reports_no_broken_references(tmp_path: Path) -> None:
    bundled = tmp_path / "content"
    shutil.copytree(PROJECT / "content", bundled)
    store = ContentStore(bundled)
    library, pending = store.load(budget=0)  # the story file alone: it sorts first
    assert pending == 5 and len(library.stories) == 1 and len(library.briefings) == 0
    assert library.problems == []  # its briefings are not indexed yet: not a problem
    library, pending = store.load()
    assert pending == 0 and library.problems == [] and len(library.briefings) == 5


async def test_a_first_start_shown_in_batches_ends_on_the_first_briefing_unread(
        content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.app as app_module

    monkeypatch.setattr(app_module, "FIRST_BUDGET", 0.0)  # the first batch is one file
    monkeypatch.setattr(app_module, "LATER_BUDGET", 0.0)
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, rounds=2)
        assert app.current_briefing_id == "gazette-port-closed"  # first of the whole list
        assert app._notifications == [] or not any(
            "problem" in str(n.message) for n in app._notifications)
        marks = app.main_screen.briefing_list.marks
        assert marks.get("courier-port-repairs") == "●"  # shown while loading, not read
        assert marks.get("gazette-port-closed", "") == ""


async def test_a_file_removed_since_the_last_run_leaves_the_list_at_start(
        content: Path) -> None:
    await run_once(content)
    (content / "courier-port-repairs.yaml").unlink()
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "Port repairs could take" not in text and "1 briefing" in text
    assert "courier-port-repairs" not in kept(content)


def test_the_index_is_named_by_the_folders_sha256(tmp_path: Path) -> None:
    import hashlib

    # Named without `hashlib` before the first frame, but the same name as ever: an index
    # built by an earlier version is found.
    digest = hashlib.sha256(str(tmp_path).encode("utf-8")).hexdigest()[:20]
    assert index_path(tmp_path).name == f"{digest}.sqlite3"


def test_dates_as_json_holds_them_are_checked_as_dates() -> None:
    import datetime as dt

    from briefing.models import Response
    from briefing.validate import convert, describe_value

    response = {"id": "r1", "party": "Ukraine", "speaker": None, "role": None,
                "stance": "accuses", "summary": "Says so.", "quote": None}
    issues: list = []
    made = convert(dict(response, date="2025-04-08"), Response, (), issues, iso_dates=True)
    assert not issues and made.date == dt.date(2025, 4, 8)
    for bad in ("2025-13-01", "2025-W15-2", "20250408", "8 April 2025", 20250408):
        issues = []
        assert convert(dict(response, date=bad), Response, (), issues, iso_dates=True) is None
        assert [issue.message for issue in issues] == [
            f"date: expected a date (YYYY-MM-DD); got {describe_value(bad)}"], bad
    # Without `iso_dates`, as for a file: text is not a date.
    issues = []
    assert convert(dict(response, date="2025-04-08"), Response, (), issues) is None

