"""The key bar at the bottom: shows the screen's keys, changes with the screen, clicks work."""

from __future__ import annotations

from pathlib import Path

from briefing.app import BriefingApp
from briefing.screens.help import HelpScreen
from briefing.widgets.key_bar import KeyBar
from tests.screen import loaded, screen_lines


async def test_key_bar_lists_main_keys_and_the_palette(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        bottom = screen_lines(app)[-1]
        for shown in ("] Next", "r Refresh", "q Quit", "? Help", "s Story", "/ Search",
                      "^p palette"):
            assert shown in bottom
        # Keys bound with show=False stay out of the bar.
        assert "Down" not in bottom


async def test_clicking_a_key_runs_its_action(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        bar = app.screen.query_one(KeyBar)
        column = screen_lines(app)[-1].index("? Help")
        assert bar.key_at(column) == ("question_mark", True)
        await pilot.click(KeyBar, offset=(column + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_clicking_between_keys_does_nothing(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        bottom = screen_lines(app)[-1]
        past_the_last_key = len(bottom.rstrip()) + 2
        assert app.screen.query_one(KeyBar).key_at(past_the_last_key) is None
        await pilot.click(KeyBar, offset=(past_the_last_key, 0))
        await pilot.pause()
        assert app.screen is app.main_screen


async def test_key_bar_follows_the_screen(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await loaded(pilot)
        bottom = screen_lines(app)[-1]
        assert "r Refresh" not in bottom  # a main-screen key
        assert "Quit" not in bottom and "esc Close" in bottom  # q closes the story view
