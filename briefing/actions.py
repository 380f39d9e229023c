"""The reader's actions on keys and commands: views, search, refresh, themes, export, copy.

A mixin of `BriefingApp` (see `app.py`), kept apart so that each file has one job: the app
loads content and routes messages; these are what the user asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.notifications import Notification, Notify

from briefing.messages import FileSaved

if TYPE_CHECKING:
    from textual.app import SystemCommand
    from textual.screen import Screen

    from briefing.models import Briefing
    from briefing.screens.search import SearchPick

DEFAULT_THEME = "briefing-dark"


class ReaderActions:
    """Actions of the reader; mixed into `BriefingApp`, whose state they use."""

    more_matches = False
    """Whether the last search matched more than the results it listed (`matches`)."""
    _match_note: Notification | None = None
    """The "Match k of N" notification on screen, replaced by the next one."""

    def action_search(self) -> None:
        """Open search across every loaded briefing (once its index is built)."""
        from briefing.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            return
        if self.search_index is None:
            # Building it here would freeze the screen on a large library: open when ready.
            self.search_wanted = True
            if self.main_screen.pending:
                self.notify("Search opens when indexing is done "
                            f"({self.main_screen.pending:,} files to go).", timeout=4)
            else:
                self.notify("Preparing search…", timeout=2)
            return
        self.push_screen(SearchScreen(self.search_index, self.library), callback=self._picked)

    def _picked(self, pick: SearchPick | None) -> None:
        if pick is not None:
            self.matches, self.match_at, self.more_matches = pick
            self._jump_to_match()

    def action_next_match(self, step: int) -> None:
        """Go to the next (1) or previous (-1) match of the last search."""
        if not self.matches:
            self.notify("No search yet: press / to search.", severity="warning")
            return
        self.match_at = (self.match_at + step) % len(self.matches)
        self._jump_to_match()

    def _jump_to_match(self) -> None:
        match = self.matches[self.match_at]
        self.open_briefing(match.briefing_id, match.section, match.item_id)
        # n and N go through the results listed: of a query that matched more, the
        # first ones, which the count must not pass off as all of them.
        of = f"the first {len(self.matches)}" if self.more_matches else str(len(self.matches))
        self._notify_match(f"Match {self.match_at + 1} of {of} (n / N for more)")

    def _notify_match(self, message: str) -> None:
        """Show `message` in place of the previous match notification, if still shown.

        `App.notify` keeps no handle on its notification, and Textual 8 has no public way
        to remove one: so the notification is posted here (as `notify` does) and kept. The
        previous one is expired: the app drops expired notifications, and their toasts, when
        the new one arrives. Other notifications (errors, warnings) stay.
        """
        if self._match_note is not None:
            self._match_note.timeout = 0
        self._match_note = Notification(message, timeout=2, markup=False)
        self.post_message(Notify(self._match_note))

    async def action_refresh_feed(self) -> None:
        """Fetch new and updated briefings from the feed, in the background."""
        from briefing.feed.config import ConfigError, feed_url, no_feed_message

        try:
            url = feed_url(self.feed_option)
        except ConfigError as error:
            self.notify(str(error), title="Cannot refresh", severity="error", markup=False)
            return
        if url is None:
            self.notify(no_feed_message(), title="No feed set", severity="warning",
                        markup=False, timeout=12)
            return
        # What is on screen, so that the result counts as the user sees it: a document
        # identical to the one shown is unchanged, though the feed cache lacked it.
        shown = self.library.sources
        if not await self.main_screen.start_refresh(url, self.refresh_options, shown):
            self.notify("A refresh is already running (Esc cancels it).", timeout=3)

    def action_help(self) -> None:
        """Open the help screen."""
        from briefing.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_problems(self) -> None:
        """Open the problems view."""
        from briefing.screens.problems import ProblemsScreen

        if not isinstance(self.screen, ProblemsScreen):
            # The notices saying there are problems have done their job, and would lie
            # over the list's last lines.
            self.clear_notifications()
            self.push_screen(ProblemsScreen(self.problems))

    def action_story_view(self) -> None:
        """Open the story view of the current briefing's story."""
        from briefing.screens.story import StoryScreen

        if isinstance(self.screen, StoryScreen):
            return
        briefing = self.library.briefings.get(self.current_briefing_id or "")
        if briefing is None:
            message = ("Select a briefing first: the story view shows its story."
                       if self.library.briefings else
                       "No briefings to show: the story view shows a briefing's story.")
            self.notify(message, severity="warning")
            return

        def jump(target: tuple[str, str | None] | None) -> None:
            if target is not None:
                briefing_id, claim_id = target
                self.open_briefing(briefing_id, "key_claims" if claim_id else None, claim_id)

        self.push_screen(StoryScreen(self.library, briefing.story), callback=jump)

    def action_cycle_theme(self) -> None:
        """Switch to the next of the reader's own themes (and the user's)."""
        names = self.own_themes or [DEFAULT_THEME]
        position = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(position + 1) % len(names)]
        self.notify(f"Theme: {self.theme}", timeout=2, markup=False)

    def action_export(self) -> None:
        """Save the current briefing as Markdown in the downloads (or current) folder; in
        the story view, the story (as `briefing export --story` writes it)."""
        from briefing.screens.story import StoryScreen

        if isinstance(self.screen, StoryScreen):
            from briefing.export import story_markdown

            # The library the view was built from: a reload since may differ from it.
            library, story_id = self.screen.library, self.screen.view.story_id
            self.save_file(story_id, ".md", lambda: story_markdown(library, story_id))
            return
        briefing = self.library.briefings.get(self.current_briefing_id or "")
        if briefing is not None:
            self.export_briefing(briefing)

    def export_briefing(self, briefing: Briefing) -> None:
        """Save the briefing's Markdown export (see `save_file`)."""
        from briefing.export import briefing_markdown

        self.save_file(briefing.id, ".md", lambda: briefing_markdown(briefing))

    def action_save_screenshot(self) -> None:
        """Save the screen as an SVG picture where exports go."""
        import time

        stem = time.strftime("briefing_screenshot_%Y-%m-%dT%H_%M_%S")  # no spaces
        picture = self.export_screenshot()  # of the screen as it is now, so here
        self.save_file(stem, ".svg", lambda: picture, "Screenshot saved")

    @work(thread=True, exclusive=True, group="export")
    def save_file(self, stem: str, suffix: str, make_text: Callable[[], str],
                  title: str = "Exported") -> None:
        """Make an export and write it in the downloads (or current) folder, both off the
        UI thread, under a name no file has yet; `title` heads the notice of success."""
        from briefing.export import export_folder, save_new

        folder = Path.cwd()
        try:  # finding the folder can fail too (a downloads folder that cannot be searched)
            folder = export_folder()
            path = save_new(folder, stem, make_text(), suffix)
        except OSError as error:
            self.post_message(FileSaved(folder / f"{stem}{suffix}",
                                        error.strerror or str(error)))
        else:
            self.post_message(FileSaved(path, what=title))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette commands, less two: its "Keys" panel (the reader's own help
        is "Help: keys", see `commands.ViewCommands`), and its "Screenshot", which fails
        where there is no downloads folder; the reader's saves where exports go."""
        from textual.app import SystemCommand

        keys = {"Quit": " (key q on the main screen)", "Theme": " (key t: the next one)"}
        for command in super().get_system_commands(screen):  # type: ignore[misc]
            if command.title in keys:
                yield SystemCommand(command.title, command.help + keys[command.title],
                                    command.callback, command.discover)
            elif command.title == "Screenshot":
                yield SystemCommand(command.title, "Save an SVG picture of the screen "
                                                   "where exports go",
                                    lambda: self.set_timer(0.1, self.action_save_screenshot))
            elif command.title != "Keys":
                yield command

    def action_copy(self) -> None:
        """Copy the focused claim, response or question, with its attribution."""
        from briefing.export import item_text
        from briefing.widgets.item_lists import ItemList

        focused = self.focused
        item = focused.highlighted_item if isinstance(focused, ItemList) else None
        if item is None or focused.briefing is None:
            where = "" if self.screen is self.main_screen else " on the main screen"
            self.notify(f"Move to a claim, response or question first{where} (keys 2-4).",
                        severity="warning")
            return
        self.copy_to_clipboard(item_text(focused.briefing, item))
        # The text goes to the terminal (OSC 52), which may not pass it on (some
        # terminals, tmux by default): say what was done, not more.
        self.notify("Sent to the clipboard through the terminal.", timeout=2)
