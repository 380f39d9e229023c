"""The briefing pane's summary: wrapped to its section, scrollable when long, and shown
without laying out the screen again. Driven through the real app with Pilot."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from textual.screen import Screen

from briefing.app import BriefingApp
from briefing.feed.readstate import ReadState
from briefing.loader import load_paths
from briefing.widgets.detail import SummaryView
from tests.screen import loaded, screen_text

SENTENCES = [f"Sentence {number:02d} of a long summary that goes on and on." for number in
             range(1, 41)]


@pytest.fixture
def long_summary_content(basic_content: Path, tmp_path: Path) -> Path:
    """The basic content with a summary of forty sentences in its first briefing."""
    folder = tmp_path / "content"
    shutil.copytree(basic_content, folder)
    path = folder / "gazette-port-closed.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("summary: >-")
    end = text.index("key_claims:")
    summary = json.dumps(" ".join(SENTENCES) + "\n\n[bold]not markup[/bold]")
    path.write_text(text[:start] + f"summary: {summary}\n" + text[end:], encoding="utf-8")
    return folder


async def test_long_summary_scrolls_to_its_last_line(long_summary_content: Path) -> None:
    app = BriefingApp(long_summary_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        summary = app.screen.query_one("#summary", SummaryView)
        text = screen_text(app)
        assert "Sentence 01" in text and "not markup" not in text
        assert summary.max_scroll_y > 0 and not summary.has_class("-fits")
        await pilot.press("tab")
        assert app.focused is summary
        await pilot.press("end")
        text = screen_text(app)
        assert "Sentence 01" not in text
        assert "[bold]not markup[/bold]" in text  # the last line, shown as written
        await pilot.press("home", "down")
        assert summary.scroll_y == 1


async def test_summary_wraps_to_its_section_at_any_size(long_summary_content: Path) -> None:
    app = BriefingApp(long_summary_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        summary = app.screen.query_one("#summary", SummaryView)
        narrow = summary.lines
        width = summary.scrollable_content_region.width
        assert all(len(line.rstrip()) <= width for line in narrow)
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        wide = summary.lines
        assert len(wide) < len(narrow)
        assert summary.scrollable_content_region.width > width
        # Every word is still there, in order, whatever the width.
        assert " ".join(" ".join(wide).split()) == " ".join(" ".join(narrow).split())
        assert "Sentence 01" in screen_text(app)


async def test_short_summary_has_nothing_to_scroll(basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        summary = app.screen.query_one("#summary", SummaryView)
        assert summary.max_scroll_y == 0 and summary.has_class("-fits")
        assert "It leans on the mayor's account" in screen_text(app)


async def test_the_scrollbar_comes_with_the_first_summary_that_does_not_fit(
        content: Path) -> None:
    """A summary that fits has no scrollbar and the section's whole width; the first one
    that does not fit brings the scrollbar, drawn from its first frame, and it then stays
    (its track hidden while a summary fits) so that moving on needs no new layout."""
    path = content / "courier-port-repairs.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("summary: >-"), text.index("key_claims:")
    long_summary = json.dumps(" ".join(SENTENCES))
    path.write_text(text[:start] + f"summary: {long_summary}\n" + text[end:], encoding="utf-8")
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        summary = app.screen.query_one("#summary", SummaryView)
        assert "It leans on the mayor's account" in screen_text(app)
        assert not summary.show_vertical_scrollbar
        full_width = summary.scrollable_content_region.width
        assert full_width == summary.content_region.width
        await pilot.press("right_square_bracket")
        await loaded(pilot)
        assert "Sentence 01" in screen_text(app)
        assert summary.show_vertical_scrollbar and not summary.has_class("-fits")
        assert summary.scrollable_content_region.width == full_width - 1
        await pilot.press("left_square_bracket")
        await loaded(pilot)
        assert "It leans on the mayor's account" in screen_text(app)
        assert summary.show_vertical_scrollbar and summary.has_class("-fits")


async def test_next_briefing_is_shown_without_a_new_layout(
        long_summary_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = BriefingApp(long_summary_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        layouts = []
        original = Screen._refresh_layout

        def counting(screen: Screen, *args: object, **kwargs: object) -> None:
            layouts.append(screen)
            original(screen, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        await pilot.press("]")  # a short summary after a long one
        await pilot.pause()
        assert "Port repairs could take two months" in screen_text(app)
        await pilot.press("[")
        await pilot.pause()
        assert "Sentence 01" in screen_text(app)
        assert layouts == []


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_a_long_title_leaves_the_source_line_in_the_header(
        content: Path, size: tuple[int, int]) -> None:
    """The header has four lines: a title of three or more lines pushed the outlet and
    date out of it. The title now takes the lines left, ending in an ellipsis."""
    title = ("Storm shuts the Port of Example for weeks as the harbour master, the mayor "
             "and the shipping firms argue over who pays for the repairs of the main pier "
             "and the breakwater") * 3
    path = content / "gazette-port-closed.yaml"
    path.write_text(path.read_text().replace(
        "title: Storm shuts the Port of Example for weeks", f"title: {title}"))
    app = BriefingApp(content)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        header = app.main_screen.detail.query_one("#briefing-header")
        region = header.content_region
        lines = [line[region.x:region.right].rstrip()
                 for line in screen_text(app).splitlines()[region.y:region.bottom]]
        shown = " ".join(lines)
        assert "Outlet: The Example Gazette" in shown and "2025-03-03" in shown
        assert lines[0].startswith("Storm shuts the Port of Example")
        assert "…" in shown


def _title_segments(app: BriefingApp, index: int) -> list[tuple[str, bool]]:
    """The text of section `index`'s top border, in runs, each with whether it is reversed."""
    from textual.geometry import Region

    section = app.main_screen.detail.section_widget(index)
    [strip] = section.render_lines(Region(0, 0, section.outer_size.width, 1))
    return [(segment.text, bool(segment.style and segment.style.reverse))
            for segment in strip if segment.text.strip(" ─╭╮")]


async def test_compact_sections_are_tabs_in_the_border_with_the_shown_one_marked(
        basic_content: Path) -> None:
    """At 80x24 one section shows; its border names all four with their keys, the one shown
    reversed (readable without colour), and a number key moves the mark."""
    app = BriefingApp(basic_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        border = [line for line in screen_text(app).splitlines() if "╭─ " in line][-1]
        assert "1 Summary  2 Claims  3 Responses  4 Questions" in border
        assert [text for text, reversed_ in _title_segments(app, 0) if reversed_] == [
            " 1 Summary "]
        await pilot.press("3")
        await pilot.pause()
        assert [text for text, reversed_ in _title_segments(app, 2) if reversed_] == [
            " 3 Responses "]


async def test_large_sections_are_each_titled_and_turn_to_tabs_when_it_shrinks(
        basic_content: Path) -> None:
    app = BriefingApp(basic_content)
    async with app.run_test(size=(200, 50)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        for title in ("1 Summary", "2 Key claims", "3 Official responses", "4 Open questions"):
            assert f"╭─ {title} ─" in text
        await pilot.resize_terminal(80, 24)
        await loaded(pilot)
        assert "1 Summary  2 Claims  3 Responses  4 Questions" in screen_text(app)


async def test_crossing_the_large_breakpoint_alone_retitles_and_fills_the_sections(
        basic_content: Path) -> None:
    """From 149 to 150 columns the briefing pane keeps its size while the screen turns to
    four sections: their titles and lists followed only the pane's own resize."""
    app = BriefingApp(basic_content)
    async with app.run_test(size=(149, 50)) as pilot:
        await loaded(pilot)
        assert "1 Summary  2 Claims  3 Responses  4 Questions" in screen_text(app)
        await pilot.resize_terminal(150, 50)
        await loaded(pilot)
        text = screen_text(app)
        for title in ("1 Summary", "2 Key claims", "3 Official responses", "4 Open questions"):
            assert f"╭─ {title} ─" in text
        assert "ASSERTED" in text  # the claims are filled
        await pilot.resize_terminal(149, 50)
        await loaded(pilot)
        assert "1 Summary  2 Claims  3 Responses  4 Questions" in screen_text(app)


@pytest.mark.parametrize("size", [(100, 30), (200, 50)])
async def test_items_changed_since_read_are_marked_when_their_list_shows(
        content: Path, size: tuple[int, int]) -> None:
    """The read state is asked for changed items when a list is filled, not for the first
    frame (which shows the summary): the marks are the same, one section or four."""
    gazette = load_paths([content]).briefings["gazette-port-closed"]
    read_before = copy.deepcopy(gazette)
    read_before.key_claims[1].text = "Repairs will cost about 1 million euros."
    read_before.open_questions[0].text = "Who pays?"
    state = ReadState()
    state.mark_opened(read_before)
    state.close()
    app = BriefingApp(content)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot, rounds=2)
        detail = app.main_screen.detail
        if detail.shown is None or detail.shown.id != "gazette-port-closed":
            await pilot.press("right_square_bracket")
            await loaded(pilot)
        assert detail.shown is not None and detail.shown.id == "gazette-port-closed"
        await pilot.press("2")
        await loaded(pilot)
        assert detail.claims.changed == {"cost-estimate"}
        text = screen_text(app)
        assert "● UNVERIFIED   Repairs will cost about 2 million euros." in text
        assert "● ASSERTED" not in text
        await pilot.press("4")
        await loaded(pilot)
        assert detail.questions.changed == {"who-pays"}
