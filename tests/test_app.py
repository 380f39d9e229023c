"""The reader driven as a user drives it: real app, real keys, through Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

from briefing.app import BriefingApp
from briefing.screens.help import HelpScreen
from briefing.screens.problems import ProblemsScreen
from briefing.widgets.item_lists import ClaimList
from tests.screen import loaded, screen_text

HOSTILE = """\
format: 1
kind: briefing
id: hostile
story: harbour-closure
title: "[bold red]ALERT[/] [@click=app.quit]x[/] \\e[31mred\\x9b"
outlet: "[link=https://example.invalid]outlet[/link]"
byline: null
published: null
url: null
summary: "Bell \\a and escape \\e[2J here"
key_claims:
  - id: claim
    text: "[blink]claim[/blink]"
    claimant: "[@click=app.quit]me[/]"
    status: asserted
    topic: closure-length
    evidence: ["[b]verbatim[/b]"]
official_responses: []
open_questions: []
"""


async def test_start_shows_story_briefings_and_unknown_metadata(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "Port of Example closes" in text  # the story heading
        assert "2 briefings" in text
        assert "Storm shuts the Port of Example for weeks" in text
        assert "Outlet: The Example Gazette" in text and "By: Ana Writer" in text
        await pilot.press("]")
        text = screen_text(app)
        assert "Port repairs could take two months, engineers say" in text
        assert "By: unknown" in text and "Published: unknown" in text
        await pilot.press("[")
        assert "By: Ana Writer" in screen_text(app)


async def test_sections_by_number_and_expanding_a_claim(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("2")
        claims = app.screen.query_one("#key_claims", ClaimList)
        assert app.focused is claims
        text = screen_text(app)
        assert "ASSERTED" in text and "UNVERIFIED" in text
        assert "Evidence (verbatim)" not in text
        await pilot.press("j", "enter")
        text = screen_text(app)
        assert claims.highlighted == 1
        assert "Evidence (verbatim)" in text
        assert "about 2,000,000 EUR (repair cost)" in text
        assert "“roughly €2 million”" in text
        await pilot.press("enter")
        assert "Evidence (verbatim)" not in screen_text(app)
        await pilot.press("k")
        assert claims.highlighted == 0
        await pilot.press("3", "enter")
        text = screen_text(app)
        assert "City of Example · closes port" in text
        assert "“We will not reopen until it is safe.”" in text
        await pilot.press("4", "enter")
        text = screen_text(app)
        assert "Who will pay for the repairs?" in text
        assert "Why it matters: The cost falls on taxpayers" in text
        await pilot.press("1")
        assert app.focused.id == "summary"
        assert "It leans on the mayor's account" in screen_text(app)


async def test_tab_cycles_focus_between_list_and_section(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.focused.id == "briefing-list"
        await pilot.press("tab")
        assert app.focused.id == "summary"
        await pilot.press("shift+tab")
        assert app.focused.id == "briefing-list"
        await pilot.press("enter")
        assert app.focused.id == "summary"


async def test_help_opens_lists_keys_and_closes(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for key in ("1 2 3 4", "Tab / Shift+Tab", "[  ]", "Ctrl+P", "Story view"):
            assert key in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_quit_key_exits(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_markup_and_control_codes_show_literally(tmp_path: Path,
                                                      basic_content: Path) -> None:
    for path in basic_content.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    app = BriefingApp(tmp_path)
    async with app.run_test(size=(140, 30)) as pilot:
        await loaded(pilot)
        assert app.library.problems == []
        app.open_briefing("hostile")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold red]ALERT[/] [@click=app.quit]x[/] ␛[31mred\ufffd" in text
        assert "[link=https://example.invalid]outlet[/link]" in text
        assert "\x1b" not in text and "\x07" not in text
        await pilot.press("1")
        assert "Bell ␇ and escape ␛[2J here" in screen_text(app)
        await pilot.press("2", "enter")
        text = screen_text(app)
        assert "[blink]claim[/blink]" in text and "[@click=app.quit]me[/]" in text
        assert "“[b]verbatim[/b]”" in text
        await pilot.click("#key_claims")
        assert app.is_running


async def test_broken_file_is_announced_once_and_listed(tmp_path: Path,
                                                       basic_content: Path) -> None:
    for path in basic_content.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "broken.yaml").write_text("format: 1\nkind: briefing\nid: [\n", encoding="utf-8")
    app = BriefingApp(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert len(app.library.briefings) == 2
        assert [n.title for n in app._notifications] == ["Content problems"]
        assert "1 problem in 1 file" in next(iter(app._notifications)).message
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app)
        assert "broken.yaml:4:1: YAML" in text
        assert "did not find expected node content" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, ProblemsScreen)


async def test_command_palette_jumps_to_a_briefing(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"repairs could")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.briefing_list.highlighted_briefing_id == "courier-port-repairs"
        assert "Port repairs could take two months" in screen_text(app)


async def test_growing_the_terminal_shows_every_section_filled(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert "ASSERTED" not in screen_text(app)  # compact: the summary section only
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        text = screen_text(app)
        assert "It leans on the mayor's account" in text
        assert "ASSERTED" in text and "UNVERIFIED" in text
        assert "City of Example · closes port" in text
        assert "Who will pay for the repairs?" in text


async def test_story_view_opens_with_s_and_jumps_back_to_a_claim(basic_content: Path) -> None:
    from briefing.screens.story import StoryScreen

    app = BriefingApp(basic_content)
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StoryScreen)
        assert "closure-length" in screen_text(app)
        await pilot.press("right", "enter")  # the first outlet's cell on the first topic
        await pilot.pause()
        assert "The port will remain closed for at least three weeks," in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main_screen
        claims = app.screen.query_one("#key_claims", ClaimList)
        assert app.focused is claims
        assert app.current_briefing_id == "gazette-port-closed"
        assert claims.highlighted_item.id == "closed-weeks"
        assert "closed-weeks" in claims.expanded
        await pilot.press("s", "escape")
        assert app.screen is app.main_screen


def block_folder(monkeypatch, tmp_path: Path, variable: str) -> None:
    """Point an XDG folder variable at a file, so nothing can be created under it."""
    blocker = tmp_path / f"not-a-folder-{variable}"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    monkeypatch.setenv(variable, str(blocker))


async def test_unusable_read_state_turns_marks_off_and_the_reader_goes_on(
        basic_content: Path, tmp_path: Path, monkeypatch) -> None:
    block_folder(monkeypatch, tmp_path, "XDG_DATA_HOME")
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert [n.title for n in app._notifications] == ["Read state"]
        assert "Read marks are off for this run" in next(iter(app._notifications)).message
        assert "Storm shuts the Port of Example for weeks" in screen_text(app)
        await pilot.press("]")
        assert "Port repairs could take two months" in screen_text(app)


async def test_a_damaged_read_state_is_reset_and_said_once(basic_content: Path) -> None:
    from briefing.feed.readstate import default_path

    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database" * 100)
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("]", "[")
        await loaded(pilot)
        [note] = app._notifications
        assert note.title == "Read marks reset"
        assert "was damaged and is kept as" in note.message and ".corrupt-" in note.message
    assert list(path.parent.glob("readstate.sqlite3.corrupt-*"))


async def test_cycle_collector_is_back_on_after_start_and_unfrozen_after_exit(
        basic_content: Path) -> None:
    import gc

    assert gc.isenabled()
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what start-up built is out of the collector's way
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


async def test_a_section_chosen_before_it_is_mounted_fills_once_it_is(
        basic_content: Path) -> None:
    class EarlyKey(BriefingApp):
        def push_screen(self, screen, *args, **kwargs):  # type: ignore[no-untyped-def]
            result = super().push_screen(screen, *args, **kwargs)
            if screen is self.main_screen:  # before the first frame: sections not mounted
                self.call_later(self.main_screen.detail.activate, 1)
            return result

    app = EarlyKey(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        assert app.is_running
        text = screen_text(app)
        assert "ASSERTED" in text and app.main_screen.detail.claims.has_class("-active")


async def test_cycle_collector_is_back_on_when_the_content_cannot_be_read(
        basic_content: Path, monkeypatch) -> None:
    import gc
    import sqlite3

    import briefing.feed.cache

    def failing(*args: object, **kwargs: object) -> None:
        # What no fallback helps with (a blocked cache folder is read around: see
        # test_store), e.g. a disk failing while the index is read.
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(briefing.feed.cache, "load_library", failing)
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert [n.title for n in app._notifications] == ["Loading failed"]
        assert gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0


async def test_a_long_list_starts_at_its_first_heading_without_a_sideways_bar(
        content: Path) -> None:
    original = (content / "gazette-port-closed.yaml").read_text()
    for number in range(40):
        copy = original.replace("id: gazette-port-closed", f"id: gazette-copy-{number}")
        (content / f"gazette-copy-{number}.yaml").write_text(copy)
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        briefing_list = app.main_screen.briefing_list
        assert briefing_list.scroll_offset.y == 0
        assert not briefing_list.show_horizontal_scrollbar
        assert screen_text(app).splitlines()[1].startswith("│Port of Example closes af")


async def test_a_click_opens_the_briefing_clicked(basic_content: Path) -> None:
    """The list draws its own border: a click's row counts from inside it (it opened the
    briefing below the one clicked)."""
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        listing = app.main_screen.briefing_list
        briefings = [index for index, row in enumerate(listing.rows) if row.summary]
        for index in (briefings[1], briefings[0]):
            # The row's second line (outlet and date), one line inside the top border.
            await pilot.click(listing, offset=(5, 1 + listing.starts[index] + 1))
            await pilot.pause()
            assert listing.cursor == index
            assert app.main_screen.detail.shown.id == listing.rows[index].summary.id


async def test_the_story_view_in_an_empty_folder_says_there_is_nothing(tmp_path: Path) -> None:
    app = BriefingApp(tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert [n.message for n in app._notifications][-1] == (
            "No briefings to show: the story view shows a briefing's story.")
