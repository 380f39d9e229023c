"""Layout snapshots of the main screen at 80x24 and at 200x50 (pytest-textual-snapshot)."""

from __future__ import annotations

from briefing.app import BriefingApp
from tests.conftest import FIXTURES
from tests.screen import loaded


def test_main_screen_80x24(snap_compare) -> None:
    app = BriefingApp(FIXTURES / "basic")
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_claims_expanded_80x24(snap_compare) -> None:
    app = BriefingApp(FIXTURES / "basic")

    async def expand_claim(pilot) -> None:
        await loaded(pilot)
        await pilot.press("2", "enter")

    assert snap_compare(app, terminal_size=(80, 24), run_before=expand_claim)


def test_main_screen_200x50_shows_all_sections(snap_compare) -> None:
    app = BriefingApp(FIXTURES / "basic")
    assert snap_compare(app, terminal_size=(200, 50), run_before=loaded)
