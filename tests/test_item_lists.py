"""Item rows, fields and excerpts: text wraps beside its badge, label or quotation mark, its
later lines lined up under its first."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.screen import Screen

from briefing.app import BriefingApp
from briefing.screens.story_evidence import Evidence, render_evidence
from briefing.widgets.hanging import Hanging, quoted
from briefing.widgets.item_lists import ClaimList
from tests.screen import loaded, screen_lines, screen_text


def render(renderable: object, width: int) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    lines = console.render_lines(renderable, console.options.update_width(width), pad=False)
    return ["".join(segment.text for segment in line).rstrip() for line in lines]


def test_wrapped_headline_hangs_under_its_first_word() -> None:
    row = Hanging(Text("● ASSERTED   "), Text("The port will stay closed for at least three "
                                              "weeks, the mayor said on Monday."))
    lines = render(row, 40)
    assert lines == [
        "● ASSERTED   The port will stay closed",
        "             for at least three weeks,",
        "             the mayor said on Monday.",
    ]
    # The option list counts line ends to learn an item's height: one per line.
    console = Console(width=40)
    segments = console.render(row, console.options.update_width(40))
    assert sum(text.count("\n") for text, _style, _control in segments) == 3


def test_a_word_longer_than_the_width_is_folded_not_lost() -> None:
    lines = render(Hanging(Text("· "), Text("x" * 30)), 20)
    assert [line[2:] for line in lines] == ["x" * 17, "x" * 13]
    assert all(line.startswith("· ") or line.startswith("  ") for line in lines)


def test_too_narrow_to_hang_the_text_goes_below_the_badge() -> None:
    lines = render(Hanging(Text("● ASSERTED   "), Text("The port will stay closed.")), 20)
    assert lines[0] == "● ASSERTED"
    assert " ".join(lines[1:]) == "The port will stay closed."


def test_an_item_is_wrapped_once_per_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """The option list renders each item twice (for its height, then its lines): the
    second time reuses the first's wrapping, and a new width wraps anew."""
    wraps: list[int] = []
    real_wrap = Text.wrap

    def counting(self: Text, console: Console, width: int, **kwargs: object) -> object:
        wraps.append(width)
        return real_wrap(self, console, width, **kwargs)

    row = Hanging(Text("· "), Text("The port will stay closed for at least three weeks."))
    monkeypatch.setattr(Text, "wrap", counting)
    first, again, narrower = render(row, 40), render(row, 40), render(row, 30)
    # The headline's width: the line's, less the badge's two cells and one kept free.
    assert [width for width in wraps if width in (37, 27)] == [37, 27]
    assert first == again == ["· The port will stay closed for at",
                              "  least three weeks."]
    assert narrower == render(Hanging(Text("· "), row.text), 30)


async def test_moving_to_the_next_briefing_refills_the_lists_without_a_layout(
        basic_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 200x50 all four sections show; the three item lists take their panel's size, so
    new items need a repaint, not a layout of the whole screen (~45 ms a key there)."""
    layouts: list[object] = []
    real = Screen._refresh_layout

    def counting(self: Screen, *args: object, **kwargs: object) -> None:
        layouts.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    app = BriefingApp(basic_content)
    async with app.run_test(size=(200, 50)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.2)
        assert app.main_screen.detail.claims.option_count == 2
        layouts.clear()
        await pilot.press("down")
        await loaded(pilot)
        await pilot.pause(0.2)
        assert app.current_briefing_id == "courier-port-repairs"
        assert app.main_screen.detail.claims.option_count == 1  # refilled...
        assert "Engineers expect the port to stay shut" in screen_text(app)
        assert layouts == []  # ...and painted without a layout of the screen


def test_a_wrapped_excerpt_hangs_under_its_first_word() -> None:
    """A later line of an excerpt starts under its first word, not under the opening
    quotation mark: a line that starts with a quotation of the excerpt's own would
    otherwise read as a second excerpt."""
    lines = render(quoted("  ", "the army found documents, bank cards and “personal data” "
                                "on the men"), 46)
    assert lines == [
        "  “the army found documents, bank cards and",
        "   “personal data” on the men”",
    ]


async def test_an_expanded_claim_lines_up_its_fields_and_excerpts(content: Path) -> None:
    excerpt = ("The port will remain closed for at least three weeks, the mayor said, "
               "and the harbour master called the pier “a total loss” after the storm.")
    path = content / "gazette-port-closed.yaml"
    path.write_text(path.read_text().replace(
        '"The port will remain closed for at least three weeks,"', f'"{excerpt}"'))
    app = BriefingApp(content)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("2", "enter")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        first = next(n for n, line in enumerate(lines) if "“The port will remain" in line)
        column = lines[first].index("“") + 1
        shown = [lines[first][column:]]
        for line in lines[first + 1:]:
            if not line[column:].strip() or line[column - 1] != " ":
                break
            shown.append(line[column:])
        # Every later line starts in the excerpt's first word's column, and together
        # they hold the excerpt, word for word, inside its quotation marks.
        words = " ".join(part.split("│")[0].strip() for part in shown).split()
        assert " ".join(words) == f"{excerpt}”"
        assert len(shown) > 1


def test_the_story_views_evidence_hangs_its_excerpts_too() -> None:
    entry = Evidence("The Example Gazette", "gazette-port-closed", "closed-weeks",
                     "The port will stay closed.", "Mayor Jane Doe · asserted",
                     ("The port will remain closed for at least three weeks, the mayor said",
                      "roughly €2 million"))
    assert render(render_evidence(entry), 40) == [
        "The Example Gazette",
        "The port will stay closed.",
        "Mayor Jane Doe · asserted",
        "  “The port will remain closed for at",
        "   least three weeks, the mayor said”",
        "  “roughly €2 million”",
    ]


async def test_items_keep_their_last_line_when_the_scroll_bar_comes() -> None:
    """At 200x50 the bundled first briefing's claims need a scroll bar, which narrows the
    list without resizing it: the items must be wrapped again to the narrower width (the
    option list kept their heights for the wider one, cutting off each item's last line,
    often the claimant's name)."""
    app = BriefingApp(Path(__file__).parent.parent / "content")
    async with app.run_test(size=(200, 50)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.2)
        claims = app.main_screen.detail.claims
        assert claims.show_vertical_scrollbar
        region = claims.content_region
        lines = screen_lines(app)[region.y:region.bottom]
        # The text beside the badges, line by line, joined as it reads.
        shown = " ".join(line[region.x + 15:region.right].strip() for line in lines).split()
        complete = 0
        for claim in claims.items:
            words = f"{claim.text} — {claim.claimant}".split()
            start = next((n for n in range(len(shown)) if shown[n:n + 4] == words[:4]), None)
            if start is None or start + len(words) >= len(shown):
                break  # scrolled out of sight, or its last line is the list's last
            assert shown[start:start + len(words)] == words
            complete += 1
        assert complete >= 3


async def test_a_response_says_what_is_unknown_about_it(basic_content: Path) -> None:
    """"(unknown)" after a speaker read as if the person were unknown: the date says so."""
    app = BriefingApp(basic_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("]", "3")
        await pilot.pause()
        assert app.current_briefing_id == "courier-port-repairs"
        text = screen_text(app)
        assert "City of Example · no comment — speaker unknown (date unknown)" in text
        await pilot.press("[")
        await pilot.pause()
        assert "(2025-03-02)" in screen_text(app)


def test_too_narrow_with_no_prefix_starts_with_the_text_not_a_blank_line() -> None:
    assert render(Hanging(Text(), Text("The city did not answer.")), 12)[0] == "The city did"


def test_the_evidence_of_a_response_says_its_date_is_unknown() -> None:
    from briefing.models import Response
    from briefing.screens.story_evidence import response_evidence
    from briefing.storymodel import Column

    column = Column(0, "courier-port-repairs", "Example Courier", "Courier", False)
    response = Response(id="r", party="City of Example", speaker=None, role=None, date=None,
                        stance="denies", summary="It denies it.", quote=None)
    assert response_evidence(column, response).detail == "speaker unknown · date unknown"


def with_a_tall_claim(content: Path) -> Path:
    """The content with 16 excerpts (numbered) under the Gazette's first claim."""
    path = content / "gazette-port-closed.yaml"
    path.write_text(path.read_text().replace(
        '      - "The port will remain closed for at least three weeks,"',
        "\n".join(f'      - "Excerpt number {n} says the port will remain closed for weeks"'
                  for n in range(1, 17))))
    return content


async def expand_the_first_claim(pilot: Pilot) -> ClaimList:
    """Wait for the content, go to the claims and expand the first; the claim list."""
    await loaded(pilot)
    await pilot.press("2", "enter")
    await pilot.pause()
    return pilot.app.main_screen.detail.claims


async def test_an_item_taller_than_the_list_can_be_read_to_its_end_with_the_keys(
        content: Path) -> None:
    """At 80x24 a claim with many excerpts, expanded, is taller than its list: Down first
    scrolls through the rest of it (the option list jumped to the next claim, and the
    excerpts in between could only be reached with a mouse wheel), Up scrolls back."""
    app = BriefingApp(with_a_tall_claim(content))
    async with app.run_test(size=(80, 24)) as pilot:
        claims = await expand_the_first_claim(pilot)
        seen = screen_text(app)
        for _ in range(30):
            if claims.highlighted != 0:
                break
            await pilot.press("down")
            await pilot.pause()
            seen += screen_text(app)
        assert claims.highlighted == 1  # it moved on, once the claim was read to its end
        for number in range(1, 17):
            assert f"Excerpt number {number} " in seen
        await pilot.press("up")
        await pilot.pause()
        assert claims.highlighted == 0
        for _ in range(30):
            await pilot.press("up")
        await pilot.pause()
        assert claims.highlighted == 0 and claims.scroll_offset.y == 0
        assert "Claimant: Mayor Jane Doe" in screen_text(app)


async def test_page_keys_and_the_mouse_wheel_with_a_tall_expanded_item(content: Path) -> None:
    """PgDn pages through a tall expanded item and then leaves it (a page counted from its
    top landed in it again); scrolled away from it with the wheel, Down moves on at once."""
    app = BriefingApp(with_a_tall_claim(content))
    async with app.run_test(size=(80, 24)) as pilot:
        claims = await expand_the_first_claim(pilot)
        seen = screen_text(app)
        for _ in range(10):
            await pilot.press("pagedown")
            await pilot.pause()
            if claims.highlighted != 0:
                break
            seen += screen_text(app)
        assert claims.highlighted == 1
        assert all(f"Excerpt number {n} " in seen for n in range(1, 17))
        claims.scroll_home(animate=False, immediate=True)  # the wheel, away from claim 1
        await pilot.pause()
        await pilot.press("down")  # moves the cursor (round to the first claim, as the
        await pilot.pause()        # option list does), not a crawl through claim 1's lines
        assert claims.highlighted == 0
