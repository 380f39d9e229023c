"""The reader application: loads content in a worker and hosts the screens."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from briefing.commands import BriefingCommands, ViewCommands
from briefing.loader import Library, Problem, load_paths
from briefing.screens.help import HelpScreen
from briefing.screens.main import MainScreen
from briefing.screens.problems import ProblemsScreen

THEME_VARIABLE_DEFAULTS = {
    "status-asserted": "#5fa8e8",
    "status-corroborated": "#4caf50",
    "status-disputed": "#e0a030",
    "status-denied": "#e05050",
    "status-unverified": "#9e9e9e",
    "flag": "#e0a030",
    "changed": "#40c4ff",
}


class LibraryLoaded(Message):
    """A content folder finished loading (in a worker)."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library


class BriefingApp(App[None]):
    """A terminal reader of structured news briefings."""

    TITLE = "briefing"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (150, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar = [(0, "-short"), (40, "-tall")]
    COMMANDS: ClassVar = App.COMMANDS | {BriefingCommands, ViewCommands}
    BINDINGS: ClassVar = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("s", "story_view", "Story"),
        Binding("p", "problems", "Problems"),
    ]

    def __init__(self, content_dir: Path) -> None:
        super().__init__()
        self.content_dir = content_dir
        self.library = Library()
        self.main_screen = MainScreen()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return THEME_VARIABLE_DEFAULTS

    def on_mount(self) -> None:
        self.push_screen(self.main_screen)
        self.load_content()

    @work(thread=True, exclusive=True, group="load")
    def load_content(self) -> None:
        """Read and validate the content folder off the UI thread."""
        self.post_message(LibraryLoaded(load_paths([self.content_dir])))

    @on(LibraryLoaded)
    def _library_loaded(self, event: LibraryLoaded) -> None:
        self.library = event.library
        self.main_screen.show_library(self.library)
        self.announce_problems(self.library.problems)

    def announce_problems(self, problems: list[Problem]) -> None:
        """Say once that some files had problems, and where to see them."""
        if not problems:
            return
        files = len({p.file for p in problems})
        self.notify(
            f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files} "
            f"file{'s' * (files != 1)}; the other briefings loaded. Press p to see them.",
            title="Content problems",
            severity="error",
            markup=False,
            timeout=8,
        )

    def show_briefing(self, briefing_id: str) -> None:
        """Show a briefing in the detail pane."""
        briefing = self.library.briefings.get(briefing_id)
        if briefing is not None:
            self.main_screen.detail.show(briefing)

    def open_briefing(self, briefing_id: str, section: str | None = None,
                      item_id: str | None = None) -> None:
        """Select a briefing in the list and, optionally, focus one item of a section."""
        if isinstance(self.screen, ProblemsScreen | HelpScreen):
            self.screen.dismiss()
        main = self.main_screen
        if not main.briefing_list.select_briefing(briefing_id):
            return
        self.show_briefing(briefing_id)
        if section is not None:
            from briefing.widgets.detail import SECTIONS

            index = [key for key, _ in SECTIONS].index(section)
            main.detail.activate(index)
            if item_id is not None:
                main.detail.item_list(section).focus_item(item_id, expand=True)

    def action_help(self) -> None:
        """Open the help screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_problems(self) -> None:
        """Open the problems view."""
        if not isinstance(self.screen, ProblemsScreen):
            self.push_screen(ProblemsScreen(self.library.problems))

    def action_story_view(self) -> None:
        """Open the story view of the current briefing's story."""
        self.notify("The story view is not available yet.", severity="warning")
