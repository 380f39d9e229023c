"""Pilot tests of the story view (briefing.screens.story) on the fixture story."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, OptionList, TabbedContent

from briefing.loader import Library, load_paths
from briefing.screens.story import StoryScreen
from briefing.screens.story_evidence import EvidenceScreen
from briefing.themes import THEME_VARIABLE_DEFAULTS
from tests.screen import screen_text

STORY = Path(__file__).parent / "fixtures" / "story"
UNSET = object()


class StoryApp(App[None]):
    """Pushes the story view at start and keeps what it dismisses with."""

    def __init__(self, library: Library, story_id: str = "river-bridge") -> None:
        super().__init__()
        self.library = library
        self.story_id = story_id
        self.result: object = UNSET

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # The story view's stylesheet uses the reader's own variables ($flag, $status-*).
        return THEME_VARIABLE_DEFAULTS

    def on_mount(self) -> None:
        self.push_screen(StoryScreen(self.library, self.story_id), callback=self.closed)

    def closed(self, result: object) -> None:
        self.result = result


def make_app() -> StoryApp:
    return StoryApp(load_paths([STORY]))


async def test_opens_on_the_matrix_with_flags_and_reasons() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StoryScreen)
        matrix = app.screen.query_one("#matrix", DataTable)
        assert matrix.has_focus
        assert matrix.row_count == 5
        assert len(matrix.columns) == 4
        text = screen_text(app)
        assert "⚑ casualties" in text
        assert "figures conflict: 11 people (D Example) vs 12 people (EHET)" in text
        assert "not covered" in text
        assert "unknown 1" in text and "unknown 1 = outlet not named" in text
        await pilot.press("down")
        assert "asserted in D Example; denied in EHET" in screen_text(app)


async def test_number_keys_move_through_the_parts() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("2")
        assert tabs.active == "responses"
        assert app.screen.query_one("#responses-table", DataTable).has_focus
        text = screen_text(app)
        assert "∅ no response" in text and "declined to comment" in text
        assert "Ann Chief" in text and "not reported" in text
        await pilot.press("3")
        assert tabs.active == "questions"
        assert "raised by D Example, EHET" in screen_text(app)
        await pilot.press("4")
        assert tabs.active == "only-here"
        assert app.screen.query_one("#only-here-list", OptionList).has_focus
        assert "Divers searched the river all day." in screen_text(app)
        await pilot.press("1")
        assert tabs.active == "claims"


async def test_responses_say_when_speaker_or_date_is_unknown() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        table = app.screen.query_one("#responses-table", DataTable)
        builder = str(table.get_row("1")[1])  # Builder Corp in The Daily Example: no names
        assert builder.split("\n") == ["∅ no response", "  declined to comment",
                                        "  speaker unknown", "  date unknown"]
        text = screen_text(app)
        assert "speaker unknown" in text and "date unknown" in text
        assert "  Ann Chief" in text and "2025-05-02" in text


async def test_drill_down_shows_verbatim_evidence_and_jumps_to_the_claim() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "right", "enter")
        assert isinstance(app.screen, EvidenceScreen)
        text = screen_text(app)
        assert "The Daily Example" in text
        assert "“an overloaded lorry brought it down”" in text
        await pilot.press("g")
        await pilot.pause()
        assert app.result == ("daily-bridge", "lorry-cause")
        assert not isinstance(app.screen, StoryScreen)


async def test_drill_down_on_the_topic_shows_every_outlet_and_escape_returns() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        text = screen_text(app)
        assert "“eleven people were killed”" in text and "“twelve people died”" in text
        await pilot.press("escape")
        assert isinstance(app.screen, StoryScreen)
        assert app.result is UNSET
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None


async def test_content_is_never_read_as_markup() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("4", "enter")
        assert "“divers searched the river <b>[bold]all day[/bold]”" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ("daily-bridge", "divers-searching")


async def test_question_jumps_to_its_related_claim() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("3", "enter")
        assert "Who last inspected the bridge?" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.result == ("herald-bridge", "lorry-denied")


async def test_narrow_terminal_uses_short_labels_and_scrolls() -> None:
    library = load_paths([STORY, STORY.parent / "story-extra"])
    app = StoryApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        matrix = app.screen.query_one("#matrix", DataTable)
        assert len(matrix.columns) == 5
        text = screen_text(app)
        assert "D Example" in text and "The Daily Example" not in text
        await pilot.press("right", "right", "right", "right")
        await pilot.pause()
        assert matrix.scroll_x > 0
        assert "unknown 1" in screen_text(app)


def test_snapshot_at_100_by_30(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30))


async def test_a_story_of_one_outlet_and_no_topic_of_its_own_reads_right(
        content: Path) -> None:
    """"1 outlets" read wrong, and an empty "Only here" tab looked broken."""
    path = content / "gazette-port-closed.yaml"
    path.write_text(path.read_text().replace("topic: repair-cost", "topic: closure-length"))
    app = StoryApp(load_paths([content]), "harbour-closure")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "2 outlets · 1 flagged topic" in screen_text(app)
        await pilot.press("4")
        await pilot.pause()
        assert "No claim is on a topic that only one outlet covers." in screen_text(app)
    (content / "courier-port-repairs.yaml").unlink()
    app = StoryApp(load_paths([content]), "harbour-closure")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "1 outlet · 0 flagged topics" in screen_text(app)


async def test_the_matrix_scrolls_sideways_by_whole_columns() -> None:
    """At 80x24 the outlets do not all fit: moving right showed the first column cut
    ("nown 1" for "unknown 1"). Every view now starts at a column's start."""
    app = StoryApp(load_paths([Path(__file__).parent.parent / "content"]),
                   "chinese-nationals-captured-2025")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        matrix = app.screen.query_one("#matrix")
        widths = [column.get_render_width(matrix) for column in matrix.ordered_columns]
        starts = {sum(widths[1:index]) for index in range(1, len(widths))}
        labels = [column.label for column in app.screen.view.columns]
        scrolled = False
        for key in ["right"] * 6 + ["left"] * 6:
            await pilot.press(key)
            await pilot.pause()
            assert round(matrix.scroll_x) in starts, key
            scrolled = scrolled or matrix.scroll_x > 0
            header = next(line for line in screen_text(app).splitlines() if " Topic " in line)
            first = header.split("Topic", 1)[1].strip().split("  ")[0]
            assert first in labels, header
        assert scrolled


async def test_the_timeline_lists_the_storys_events_and_opens_who_reports_one(
        basic_content: Path) -> None:
    """Part 5: the story file's dated events, in its order, with the outlets reporting
    each; Enter opens the first of them in the reader."""
    from briefing.app import BriefingApp
    from tests.screen import loaded

    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        if app.current_briefing_id != "courier-port-repairs":
            await pilot.press("right_square_bracket")
        assert app.current_briefing_id == "courier-port-repairs"
        await pilot.press("s", "5")
        await pilot.pause()
        story = app.screen
        assert isinstance(story, StoryScreen)
        assert story.query_one(TabbedContent).active == "timeline"
        timeline = story.query_one("#timeline-list", OptionList)
        assert timeline.has_focus and timeline.highlighted == 0
        text = screen_text(app)
        first, second = text.index("2025-03-01"), text.index("A few days after the storm")
        assert first < second
        assert "The storm reaches the coast and damages the main pier." in text
        assert "reported by E Gazette, E Courier" in text
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is app.main_screen
        assert app.current_briefing_id == "gazette-port-closed"
        assert "Storm shuts" in screen_text(app)


async def test_q_closes_the_story_view_as_it_closes_the_other_views(
        basic_content: Path) -> None:
    """q quit the whole reader from the story view (its key bar offered "q Quit")."""
    from briefing.app import BriefingApp
    from tests.screen import loaded

    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StoryScreen)
        assert "Quit" not in screen_text(app).splitlines()[-1]
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and app.screen is app.main_screen
