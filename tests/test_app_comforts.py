"""Themes, search, export and copy, driven through the real app with Pilot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from textual.color import Color

from briefing.app import BriefingApp
from briefing.paths import config_dir
from briefing.screens.help import HelpScreen
from briefing.screens.main import MainScreen
from briefing.screens.search import SearchScreen
from briefing.screens.story import StoryScreen
from briefing.screens.story_evidence import EvidenceScreen
from briefing.widgets.item_lists import ClaimList
from tests.screen import loaded, screen_text


async def test_theme_cycles_persists_and_override_is_one_run_only(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.theme == "briefing-dark"
        await pilot.press("t")
        await loaded(pilot)
        chosen = app.theme
        assert chosen != "briefing-dark" and chosen in app.own_themes
        assert app.get_css_variables()["status-denied"]
    saved = yaml.safe_load((config_dir() / "config.yaml").read_text(encoding="utf-8"))
    assert saved["theme"] == chosen

    again = BriefingApp(basic_content)
    async with again.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert again.theme == chosen

    override = BriefingApp(basic_content, theme="briefing-high-contrast")
    async with override.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert override.theme == "briefing-high-contrast"
        # Styled with the chosen theme from the first frame, not Textual's default theme.
        background = override.get_theme("briefing-high-contrast").background
        assert override.screen.styles.background == Color.parse(background)
    saved = yaml.safe_load((config_dir() / "config.yaml").read_text(encoding="utf-8"))
    assert saved["theme"] == chosen


async def test_broken_user_theme_is_reported_and_app_starts(basic_content: Path) -> None:
    user_themes = config_dir() / "themes"
    user_themes.mkdir(parents=True)
    (user_themes / "mine.yaml").write_text("name: mine\nprimary: notacolour\n", encoding="utf-8")
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.theme == "briefing-dark"
        assert any(p.file.endswith("mine.yaml") for p in app.problems)
        await pilot.press("p")
        await pilot.pause()
        assert "mine.yaml:2:" in screen_text(app)


async def test_search_jumps_to_item_and_n_moves_on(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"ENGINEERS")
        await pilot.pause(0.2)
        assert "5 matches" in screen_text(app)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.current_briefing_id == "courier-port-repairs"
        claims = app.screen.query_one("#key_claims", ClaimList)
        assert app.focused is claims
        assert claims.highlighted_item.id == "closed-two-months"
        assert "closed-two-months" in claims.expanded
        assert "Evidence (verbatim)" in screen_text(app)
        await pilot.press("n", "n")
        await pilot.pause()
        assert app.match_at == 4
        assert app.current_briefing_id == "gazette-port-closed"
        assert app.focused.id == "official_responses"
        assert app.focused.highlighted_item.id == "city-closes"
        assert "“We will not reopen until it is safe.”" in screen_text(app)
        await pilot.press("N")
        assert app.match_at == 3
        assert app.current_briefing_id == "courier-port-repairs"


async def test_n_and_shift_n_show_one_match_notification_at_a_time(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await loaded(pilot)
        app.notify("Something unrelated failed", severity="error", markup=False)
        await pilot.press("slash", *"ENGINEERS")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        for key, shown in (("n", "Match 2 of 5"), ("n", "Match 3 of 5"), ("N", "Match 2 of 5")):
            await pilot.press(key)
            await pilot.pause()
            matches = [n.message for n in app._notifications if n.message.startswith("Match")]
            assert matches == [f"{shown} (n / N for more)"]
            text = screen_text(app)
            assert text.count("Match ") == 1 and shown in text
        # Only the match notifications replace each other.
        assert "Something unrelated failed" in [n.message for n in app._notifications]
        assert "Something unrelated failed" in screen_text(app)


async def test_help_lists_every_key_of_the_main_screen(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Main screen: the briefings and the selected briefing  ← you are here" in text
        assert "Summary, Key claims, Official responses, Open questions" in text
        assert "Refresh: fetch new and updated briefings from the feed" in text
        # Every key bound on the app and its screens is listed (read from the bindings,
        # so that a key added later and left out of help fails here), and the keys the
        # lists and tables bring with them.
        listed = {token for group in app.screen.groups for key, _ in group.keys
                  for token in key.split()}
        spelling = {"escape": "Escape", "ctrl+p": "Ctrl+P"}
        bound = {spelling.get(key, key)
                 for screen in (BriefingApp, MainScreen, StoryScreen, EvidenceScreen)
                 for binding in screen.BINDINGS
                 for key in (binding.key_display or binding.key).split(",")}
        assert {"[", "]", "?", "/", "r", "g", "n", "N"} <= bound
        assert bound | {"Ctrl+P", "Tab", "Enter", "←", "→", "↑", "↓", "Home", "End"} <= listed


async def test_help_in_the_story_view_lists_its_keys_first(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StoryScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = [line for line in screen_text(app).splitlines() if "│" in line]
        body = "\n".join(lines)
        assert "Story view (s): the outlets side by side  ← you are here" in body
        # 1-4 mean the story view's parts here, and that comes before the main screen's.
        parts = body.index("Claims by topic, Responses, Open questions, Only here")
        assert "Summary, Key claims" not in body[:parts]
        assert "Evidence behind the highlighted cell" in body
        assert "← → ↑ ↓" in body and "Back to the main screen" in body
        await pilot.press("escape")
        assert isinstance(app.screen, StoryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen)
        # A modal screen takes no app keys but Ctrl+P: help is a command of the palette.
        await pilot.press("ctrl+p", *"help", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Evidence (Enter in the story view)  ← you are here" in text
        assert "Go to the claim in its briefing" in text


async def test_help_scrolls_to_its_last_keys_at_80_by_24(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Keys · main screen" in text and "Escape to close" in text
        assert "Close the problems view" not in text
        await pilot.press("end")
        await pilot.pause()
        assert "Close the problems view" in screen_text(app)


async def test_export_writes_markdown_and_says_where(basic_content: Path, tmp_path: Path,
                                                      monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "no-such-downloads"))
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        await loaded(pilot)
        written = list(tmp_path.rglob("gazette-port-closed.md"))
        assert len(written) == 1
        text = written[0].read_text(encoding="utf-8")
        assert text.startswith("# Storm shuts the Port of Example for weeks")
        assert "> roughly €2 million" in text
        assert any(str(written[0]) in n.message for n in app._notifications)


async def test_copy_puts_the_claim_with_attribution_on_the_clipboard(
        basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        assert app.clipboard == ""
        await pilot.press("2", "down", "c")
        assert app.clipboard.startswith("Repairs will cost about 2 million euros.\n"
                                        "Claimed by The harbour master; status: unverified.")
        assert "Evidence: “roughly €2 million”" in app.clipboard
        assert app.clipboard.endswith("Source: Storm shuts the Port of Example for weeks "
                                      "(The Example Gazette, 2025-03-03)")


async def test_copy_in_the_story_view_says_where_it_works(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("s", "c")
        await pilot.pause()
        assert app.clipboard == ""
        assert [n.message for n in app._notifications] == [
            "Move to a claim, response or question first on the main screen (keys 2-4)."]


async def test_a_second_export_keeps_the_first_and_a_failed_one_is_said(
        basic_content: Path, tmp_path: Path, monkeypatch) -> None:
    import briefing.export

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "no-such-downloads"))
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        await loaded(pilot)
        (tmp_path / "gazette-port-closed.md").write_text("my notes")
        await pilot.press("e")
        await loaded(pilot)
        assert (tmp_path / "gazette-port-closed.md").read_text() == "my notes"
        assert (tmp_path / "gazette-port-closed (2).md").read_text().startswith("# Storm")

        def unsearchable() -> Path:  # a downloads folder the user may not search
            raise PermissionError(13, "Permission denied", str(tmp_path / "downloads"))

        monkeypatch.setattr(briefing.export, "export_folder", unsearchable)
        await pilot.press("e")
        await loaded(pilot)
        assert app.is_running
        assert any(n.message.startswith("Could not save") and "Permission denied" in n.message
                   for n in app._notifications)


@pytest.fixture
def downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty downloads folder the reader saves to."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(folder))
    return folder


async def test_the_palette_offers_the_readers_actions_once_each(
        basic_content: Path, downloads: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        titles = [line.strip(" ▊▎│") for line in screen_text(app).splitlines()]
        for title in ("Story view", "Search", "Refresh", "Export", "Copy", "Problems",
                      "Help: keys", "Theme", "Quit", "Screenshot"):
            assert titles.count(title) == 1, (title, titles)
        assert "Keys" not in titles  # Textual's panel: the reader's help is "Help: keys"
        await pilot.press(*"screenshot", "enter")
        for _ in range(20):
            await pilot.pause(0.1)
            if list(downloads.iterdir()):
                break
        await loaded(pilot)
        [picture] = downloads.iterdir()
        assert picture.suffix == ".svg" and picture.read_text().startswith("<svg")
        assert " " not in picture.name
        assert any((n.title, n.message) == ("Screenshot saved", f"Saved as {picture}")
                   for n in app._notifications)
        await pilot.press("ctrl+p", *"export", "enter")
        await loaded(pilot)
        assert (downloads / "gazette-port-closed.md").is_file()


async def test_e_in_the_story_view_exports_the_story_and_p_clears_the_notices(
        basic_content: Path, downloads: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("s", "e")
        await loaded(pilot)
        saved = downloads / "harbour-closure.md"
        assert saved.read_text().startswith("# Port of Example closes after storm damage")
        assert "## Timeline" in saved.read_text()
        assert app._notifications
        await pilot.press("escape", "p")
        await pilot.pause()
        assert not app._notifications  # they would lie over the problems


def _many_claims(basic_content: Path, tmp_path: Path) -> Path:
    """The basic content with 60 more claims ("Zebra crossing number N is closed.") at the
    top of the courier's briefing."""
    folder = tmp_path / "content"
    shutil.copytree(basic_content, folder)
    path = folder / "courier-port-repairs.yaml"
    text = path.read_text(encoding="utf-8")
    claims = "".join(
        f"  - id: claim-{number}\n    text: Zebra crossing number {number} is closed.\n"
        f"    claimant: The Courier\n    status: asserted\n    topic: closure-length\n"
        f"    evidence:\n      - \"could take two months\"\n" for number in range(60))
    start = text.index("key_claims:\n") + len("key_claims:\n")
    path.write_text(text[:start] + claims + text[start:], encoding="utf-8")
    return folder


async def test_a_search_that_matched_more_than_it_lists_says_so_when_stepping(
        basic_content: Path, tmp_path: Path) -> None:
    """The list stops at 50 results ("50+ matches"); n and N go through those, and the
    count said "Match 2 of 50" as if there were no more."""
    app = BriefingApp(_many_claims(basic_content, tmp_path))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"zebra")
        await pilot.pause(0.2)
        assert "50+ matches" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("N")
        await pilot.pause()
        assert "Match 50 of the first 50 (n / N for more)" in screen_text(app)


async def test_a_match_jumped_to_shows_at_the_top_of_its_section(
        basic_content: Path, tmp_path: Path) -> None:
    """Scrolled only into view, a match far down a list showed on its last lines, under
    the notice that counts the matches."""
    app = BriefingApp(_many_claims(basic_content, tmp_path))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"crossing number 55")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        top = next(i for i, line in enumerate(lines) if "2 Claims" in line and "╭─" in line)
        assert "ASSERTED     Zebra crossing number 55 " in lines[top + 1]
