"""The problems view (p) driven from the keyboard: a list longer than the screen, the first
problem highlighted on opening, and each key moving as far as it says."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

from briefing.app import BriefingApp
from briefing.screens.problems import ProblemsScreen
from tests.screen import loaded, screen_text

BROKEN = "format: 1\nkind: briefing\nid: [\n"
"""A file with one YAML syntax error: one problem per file."""

COUNT = 60
"""Far more problems than an 80x24 terminal shows at once."""

NAME = re.compile(r"broken-(\d\d)\.yaml")


def many_broken(tmp_path: Path, basic_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The basic briefings and COUNT broken files beside them, as a relative path."""
    folder = tmp_path / "content"
    shutil.copytree(basic_content, folder)
    for number in range(1, COUNT + 1):
        (folder / f"broken-{number:02}.yaml").write_text(BROKEN, encoding="utf-8")
    # Problems name their file as given: a relative one wraps the same (two lines each)
    # however long the test's temporary folder is, so a screenful is the same in every test.
    monkeypatch.chdir(tmp_path)
    return Path("content")


async def open_problems(app: BriefingApp, pilot: Pilot) -> OptionList:
    """Wait for the load, then press p as a user does; the problem list."""
    await loaded(pilot)
    # The toast that announces the problems lies over the list's last lines; without it
    # the screen text shows every problem the list shows.
    app.clear_notifications()
    await pilot.press("p")
    await pilot.pause()
    assert isinstance(app.screen, ProblemsScreen)
    return app.screen.query_one("#problem-list", OptionList)


def shown_numbers(app: BriefingApp) -> list[int]:
    """The numbers of the broken files whose problem is on screen, top to bottom."""
    return [int(number) for number in NAME.findall(screen_text(app))]


def highlighted_number(app: BriefingApp, problem_list: OptionList) -> int:
    """The number of the broken file whose problem is highlighted."""
    assert problem_list.highlighted is not None, "no problem is highlighted"
    problem = app.screen.problems[problem_list.highlighted]
    match = NAME.search(str(problem))
    assert match is not None, problem
    return int(match.group(1))


async def test_opens_on_the_first_problem_and_arrows_move_one(
        tmp_path: Path, basic_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = BriefingApp(many_broken(tmp_path, basic_content, monkeypatch))
    async with app.run_test(size=(80, 24)) as pilot:
        problem_list = await open_problems(app, pilot)
        assert app.focused is problem_list
        assert problem_list.highlighted == 0
        assert highlighted_number(app, problem_list) == 1
        shown = shown_numbers(app)
        assert shown[0] == 1 and COUNT not in shown  # the top of a list longer than the view
        await pilot.press("down")
        assert problem_list.highlighted == 1
        assert highlighted_number(app, problem_list) == 2
        await pilot.press("down", "down", "up")
        assert problem_list.highlighted == 2
        await pilot.press("up", "up")
        assert problem_list.highlighted == 0


async def test_page_keys_move_a_screenful_and_home_end_reach_the_ends(
        tmp_path: Path, basic_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = BriefingApp(many_broken(tmp_path, basic_content, monkeypatch))
    async with app.run_test(size=(80, 24)) as pilot:
        problem_list = await open_problems(app, pilot)
        per_screen = len(shown_numbers(app))  # the problems one screenful shows, in part or all
        assert 2 < per_screen < COUNT

        # PageDown straight after opening: a page on from the first, not the end.
        await pilot.press("pagedown")
        first_page = problem_list.highlighted
        assert first_page is not None
        assert per_screen - 1 <= first_page <= per_screen
        assert highlighted_number(app, problem_list) in shown_numbers(app)

        await pilot.press("pagedown")
        second_page = problem_list.highlighted
        assert second_page is not None
        assert per_screen - 1 <= second_page - first_page <= per_screen
        shown = shown_numbers(app)
        assert highlighted_number(app, problem_list) in shown and 1 not in shown

        await pilot.press("pageup")
        back = problem_list.highlighted
        assert back is not None
        assert per_screen - 1 <= second_page - back <= per_screen
        assert highlighted_number(app, problem_list) in shown_numbers(app)

        await pilot.press("end")
        assert problem_list.highlighted == COUNT - 1
        shown = shown_numbers(app)
        assert shown[-1] == COUNT and 1 not in shown

        await pilot.press("home")
        assert problem_list.highlighted == 0
        shown = shown_numbers(app)
        assert shown[0] == 1 and COUNT not in shown


async def test_closing_keys_and_the_palette_still_work(
        tmp_path: Path, basic_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = BriefingApp(many_broken(tmp_path, basic_content, monkeypatch))
    async with app.run_test(size=(80, 24)) as pilot:
        problem_list = await open_problems(app, pilot)
        await pilot.press("end")
        assert problem_list.highlighted == COUNT - 1
        # Ctrl+P reaches every screen; closing the palette comes back to the same problem.
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#problem-list", OptionList) is problem_list
        assert problem_list.highlighted == COUNT - 1
        for close in ("escape", "q", "p"):
            await pilot.press(close)
            await pilot.pause()
            assert app.screen is app.main_screen, close
            assert app.is_running, close
            # Opened again, the view starts over at the first problem.
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen)
            problem_list = app.screen.query_one("#problem-list", OptionList)
            assert problem_list.highlighted == 0, close


async def test_the_key_bar_shows_the_views_own_keys(basic_content: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The main screen's bar showed through, offering "q Quit" where q closes the view."""
    app = BriefingApp(many_broken(tmp_path, basic_content, monkeypatch))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_problems(app, pilot)
        last_line = screen_text(app).splitlines()[-1]
        assert "Close" in last_line and "Quit" not in last_line


async def test_question_mark_opens_help_on_the_problems_views_keys(
        basic_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.screens.help import HelpScreen

    app = BriefingApp(many_broken(tmp_path, basic_content, monkeypatch))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_problems(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "you are here" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
