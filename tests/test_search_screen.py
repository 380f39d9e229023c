"""Pilot tests of the search screen (briefing.screens.search) on fixture briefings."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from briefing.loader import Library, load_paths
from briefing.screens.search import ResultList, SearchScreen, excerpt
from briefing.search import SearchIndex
from tests.screen import screen_text

BASIC = Path(__file__).parent / "fixtures" / "basic"
UNSET = object()

EXTRA = """\
format: 1
kind: briefing
id: extra-cafe
story: harbour-closure
title: "Zelenskyy\u2019s caf\u00e9 talks"
outlet: null
byline: null
published: null
url: null
summary: "A [bold]not bold[/bold] summary that names [red]no colour[/red]."
key_claims:
  - id: quoted-claim
    text: "The mayor called the closure \u2018quoted\u2019 and \u201ctemporary\u201d."
    claimant: "[@click=app.quit]x[/]"
    status: asserted
    topic: closure-length
    evidence:
      - "the closure was \u2018quoted\u2019"
official_responses: []
open_questions: []
"""


class SearchApp(App[None]):
    """Pushes the search screen at start and keeps what it dismisses with."""

    def __init__(self, library: Library, query: str = "") -> None:
        super().__init__()
        self.library = library
        self.index = SearchIndex(library)
        self.query_text = query
        self.result: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(self.index, self.library, self.query_text),
                         callback=self.closed)

    def closed(self, result: object) -> None:
        self.result = result


def make_app(tmp_path: Path, query: str = "") -> SearchApp:
    (tmp_path / "extra-cafe.yaml").write_text(EXTRA, encoding="utf-8")
    library = load_paths([BASIC, tmp_path])
    assert not library.problems, library.problems
    return SearchApp(library, query)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key, as a user would."""
    for char in text:
        await pilot.press("space" if char == " " else char)
    await pilot.pause()


def highlighted(app: App) -> list[str]:
    """The runs of screen text drawn in the search screen's match style."""
    match = app.screen.get_component_rich_style("search--match")
    runs: list[str] = []
    for strip in app.screen._compositor.render_strips():
        run = ""
        for segment in strip:
            if segment.style is not None and segment.style.bgcolor == match.bgcolor:
                run += segment.text
            elif run:
                runs.append(run)
                run = ""
        if run:
            runs.append(run)
    return runs


async def test_results_appear_as_you_type(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert "Searches titles" in screen_text(app)
        await type_text(pilot, "rep")
        text = screen_text(app)
        assert "4 matches" in text  # "repairs" and "reports"
        assert "Port repairs could take two months, engineers say  Title" in text
        assert "Who will pay for the repairs?" in text
        await type_text(pilot, "airs cost")
        text = screen_text(app)
        assert "1 match" in text and "1 matches" not in text
        assert "Storm shuts the Port of Example for weeks  Key claim" in text
        assert highlighted(app) == ["Repairs", "cost"]
        await type_text(pilot, "x")
        assert "No matches" in screen_text(app)
        assert highlighted(app) == []
        await pilot.press("enter")  # nothing to pick: the screen stays
        assert isinstance(app.screen, SearchScreen) and app.result is UNSET


async def test_a_burst_of_edits_shows_the_results_of_the_last(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#search-input", Input)
        for char in "who pay":  # as fast as a paste: no refresh in between
            field.insert_text_at_cursor(char)
        await pilot.pause()
        assert "1 match" in screen_text(app)
        assert highlighted(app) == ["Who", "pay"]
        await pilot.press("enter")
        results, index, _more = app.result
        assert (results[index].item_id, results[index].field) == ("who-pays", "text")


async def test_accents_and_case_are_ignored(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, "CAFE")
        text = screen_text(app)
        assert "1 match" in text
        assert "Zelenskyy\u2019s café talks  Title" in text
        assert highlighted(app) == ["café"]


async def test_straight_quotes_find_typographic_ones(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, "'quoted'")
        text = screen_text(app)
        assert "2 matches" in text
        assert "The mayor called the closure \u2018quoted\u2019 and" in text
        assert "Key claim · evidence" in text
        assert highlighted(app) == ["\u2018quoted\u2019", "\u2018quoted\u2019"]


async def test_markup_in_the_query_and_content_is_shown_literally(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, "[bold]")
        text = screen_text(app)
        assert "1 match" in text
        assert "A [bold]not bold[/bold] summary that names [red]no colour[/red]." in text
        assert highlighted(app) == ["[bold]"]
        await pilot.press(*["backspace"] * 6)
        await type_text(pilot, "[@click=app.quit]x[/]")
        assert app.is_running
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text  # in the input and in the result
        assert "Key claim · claimant" in text
        assert highlighted(app) == ["[@click=app.quit]x[/]"]
        await pilot.click("#search-results", offset=(4, 2))  # a click must not run the link
        await pilot.pause()
        assert app.is_running


async def test_up_down_and_enter_pick_a_result(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await type_text(pilot, "port")
        expected = app.index.search("port")
        assert len(expected) == 8 and "8 matches" in screen_text(app)
        await pilot.press("down", "down", "down", "up")
        assert app.screen.query_one("#search-input").has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        results, index, _more = app.result
        assert results == expected and index == 2
        assert (results[index].section, results[index].item_id) == (
            "open_questions", "reopen-date")


async def test_escape_closes_with_none(tmp_path: Path) -> None:
    app = make_app(tmp_path, query="port")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "8 matches" in screen_text(app)  # the initial query is searched at once
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.result is None


def test_long_fields_show_a_window_around_the_first_match() -> None:
    text = "word " * 60 + "needle in the middle " + "more " * 60
    start = text.index("needle")
    shown = excerpt(text, ((start, start + 6),), "reverse", width=60)
    assert shown.plain.startswith("…word ") and shown.plain.endswith("…")
    assert "needle in the middle" in shown.plain
    assert len(shown.plain) <= 62
    assert [shown.plain[s.start:s.end] for s in shown.spans] == ["needle"]
    near_end = excerpt("a " * 100 + "end", ((200, 203),), "reverse", width=40)
    assert near_end.plain.endswith("a end") and not near_end.plain.endswith("…")
    short = excerpt("short [b]text[/b]", ((6, 9),), "reverse")
    assert short.plain == "short [b]text[/b]"


async def test_the_cursor_scrolls_the_results_and_a_click_picks_one(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 16)) as pilot:
        await type_text(pilot, "port")
        results = app.screen.query_one("#search-results", ResultList)
        assert results.max_scroll_y > 0 and results.scroll_y == 0
        await pilot.press(*["down"] * 7)
        assert results.highlighted == 7 and results.scroll_y > 0
        last = app.index.search("port")[7]
        assert results.starts[7] >= results.scroll_y  # the last result is in sight
        assert app.screen.query_one("#search-input").has_focus
        await pilot.press("pageup")
        assert 0 < results.highlighted < 7
        await pilot.press("pageup", "pageup", "pageup")
        assert results.highlighted == 0 and results.scroll_y == 0
        await pilot.click("#search-results", offset=(4, results.starts[1]))
        await pilot.pause()
        chosen, index, _more = app.result
        assert index == 1 and chosen[7] == last


async def test_the_prompt_is_whole_at_80_columns(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert ("Searches titles, summaries, claims, evidence, responses, questions"
                in screen_text(app))
