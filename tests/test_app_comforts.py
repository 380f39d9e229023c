"""Themes, search, export and copy, driven through the real app with Pilot."""

from __future__ import annotations

from pathlib import Path

import yaml
from textual.color import Color

from briefing.app import BriefingApp
from briefing.paths import config_dir
from briefing.screens.search import SearchScreen
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
