"""The main screen: the list of briefings beside the selected briefing."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList

from briefing.opening import Row
from briefing.widgets.briefing_list import BriefingList
from briefing.widgets.detail import BriefingDetail
from briefing.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from textual.app import App

    from briefing.feed.client import RefreshOptions
    from briefing.widgets.refresh_bar import RefreshBar


class MainScreen(Screen[None]):
    """Briefings grouped by story on the left, the selected briefing on the right."""

    BINDINGS = [
        Binding("1", "section(0)", "Summary", show=False),
        Binding("2", "section(1)", "Claims", show=False),
        Binding("3", "section(2)", "Responses", show=False),
        Binding("4", "section(3)", "Questions", show=False),
        Binding("left_square_bracket", "step(-1)", "Prev", key_display="["),
        Binding("right_square_bracket", "step(1)", "Next", key_display="]"),
        Binding("r", "app.refresh_feed", "Refresh"),
        Binding("escape", "cancel_refresh", "Cancel refresh", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.briefing_list = BriefingList(id="briefing-list")
        self.detail = BriefingDetail(id="detail")
        self.refresh_bar: RefreshBar | None = None
        """Made and mounted on the first refresh (see `start_refresh`)."""
        self._first_fill: tuple[list[Row], dict[str, str], int, int | None] | None = None
        self._resumed = False
        self.pending = 0

    def fill_when_mounted(self, rows: list[Row], marks: dict[str, str], count: int,
                          line_count: int | None = None) -> None:
        """What the list shows first, given before the screen is mounted (see
        `BriefingList.show_rows` and `show_count`), so that its first frame already has it."""
        self._first_fill = rows, marks, count, line_count

    def _post_register(self, app: App) -> None:
        super()._post_register(app)
        # Textual ranks a class's default CSS, and that of each of its bases, by how far up
        # the class's ancestry the base is, and parses a base's CSS again whenever a class
        # mounted later ranks it lower: the first frame parsed Widget's three times and
        # ScrollView's twice (~6 M instructions, ~2 ms). Giving the deepest classes of the
        # first frame now, before the screen is styled, parses each once, ranked as the
        # later mounts would have left it.
        for widget in (self.briefing_list, self.detail.summary):
            for read_from, css, tie_breaker, scope in widget._get_default_css():
                app.stylesheet.add_source(css, read_from=read_from, is_default_css=True,
                                          tie_breaker=tie_breaker, scope=scope)

    def compose(self) -> ComposeResult:
        self.briefing_list.border_title = "Briefings"
        yield self.briefing_list
        yield self.detail
        yield KeyBar()  # the refresh bar joins on the first refresh (see `start_refresh`)

    def on_mount(self) -> None:
        # Called as the cursor moves (not on a message, which arrives a frame later): the
        # list's new cursor and the new briefing are then painted in one frame.
        self.watch(self.briefing_list, "cursor", self._cursor_moved, init=False)
        if self._first_fill is not None:
            rows, marks, count, line_count = self._first_fill
            self._first_fill = None
            self.briefing_list.show_rows(rows, marks, line_count)
            self.show_count(count)
            # The cursor watcher shows a briefing when filling the list moves the cursor;
            # if it did not move, show the highlighted one here, before the first layout.
            briefing_id = self.briefing_list.highlighted_briefing_id
            if briefing_id is not None:
                self.app.show_briefing(briefing_id)  # type: ignore[attr-defined]
        else:
            self.detail.clear("Loading briefings…")
        self.briefing_list.focus()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen made active, for what changed while it
        # was covered (the theme, say). When first made active, its widgets were styled
        # as they were mounted a moment before: the second pass cost the first frame ~8 ms.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_resize(self) -> None:
        # The screen takes its size classes (one section or four) in its own handling of
        # the resize: the briefing pane follows once that is done. Its own size may not
        # change as the classes do (at 149 to 150 columns), so it cannot go by its resize.
        self.call_after_refresh(self.detail.layout_changed)

    def show_count(self, count: int) -> None:
        """Say under the list how many briefings there are (and how many are pending)."""
        subtitle = f"{count:,} briefing{'s' * (count != 1)}"
        if self.pending:
            # Short enough for the list's border at 80 columns ("11 briefings · indexing
            # 496 more…" showed as "11 briefings · inde…"); the files to index are not
            # all more briefings (stories, changed ones), so the two are not summed.
            subtitle = f"{count:,} · {self.pending:,} to index"
            if len(subtitle) > 20:
                subtitle = f"{self.pending:,} files to index"
        self.briefing_list.border_subtitle = subtitle
        if not count:
            self.detail.clear("No briefings to show. Press p to see the problems, if any.")

    def _cursor_moved(self) -> None:
        briefing_id = self.briefing_list.highlighted_briefing_id
        if briefing_id is not None:
            self.app.show_briefing(briefing_id)  # type: ignore[attr-defined]

    @on(BriefingList.Selected)
    def _selected(self, event: BriefingList.Selected) -> None:
        self.detail.activate(self.detail.active)

    async def start_refresh(self, feed_url: str, options: RefreshOptions | None,
                            shown: Mapping[str, Path]) -> bool:
        """Start a refresh in the refresh bar (see `RefreshBar.start`), mounting the bar
        first if no refresh ran yet: most starts never refresh, and a hidden bar cost
        every first frame its styling."""
        if self.refresh_bar is None:
            from briefing.widgets.refresh_bar import RefreshBar

            self.refresh_bar = RefreshBar()
            await self.mount(self.refresh_bar)
        return self.refresh_bar.start(feed_url, options, shown)

    def action_cancel_refresh(self) -> None:
        """Escape: stop a running refresh (what it already accepted stays cached)."""
        if self.refresh_bar is not None:
            self.refresh_bar.cancel()

    def action_section(self, index: int) -> None:
        """Jump to section `index` (0-3) of the current briefing."""
        self.detail.activate(index)

    def action_step(self, delta: int) -> None:
        """Go to the previous or next briefing."""
        self.briefing_list.step(delta)

    def action_cursor(self, delta: int) -> None:
        """Vim-style movement within the focused list or scroll area."""
        focused = self.focused
        if isinstance(focused, OptionList | BriefingList):
            focused.action_cursor_down() if delta > 0 else focused.action_cursor_up()
        elif focused is not None:
            focused.scroll_relative(y=delta, animate=False)
