"""The help screen: every key of the reader, in one place."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("1 2 3 4", "Jump to Summary, Key claims, Official responses, Open questions"),
    ("Tab / Shift+Tab", "Move the focus between the list and the sections"),
    ("↑ ↓  j k", "Move within a list"),
    ("Home End PgUp PgDn", "Jump within a list"),
    ("Enter", "Expand or fold a claim, response or question (in the list: open the briefing)"),
    ("[  ]", "Previous / next briefing"),
    ("/", "Search every briefing (Enter jumps to a match)"),
    ("n  N", "Next / previous match of the last search"),
    ("s", "Story view: the outlets side by side"),
    ("t", "Next theme (Ctrl+P, then 'theme', to pick one with a preview)"),
    ("e", "Export the briefing as Markdown to your downloads (or current) folder"),
    ("c", "Copy the highlighted claim, response or question with its attribution"),
    ("p", "Problems found in the content"),
    ("Ctrl+P", "Command palette: jump to any briefing by title, and more"),
    ("?", "This help"),
    ("Escape", "Close a screen"),
    ("q", "Quit"),
)


class HelpScreen(ModalScreen[None]):
    """A modal table of every key binding."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def __init__(self, extra_keys: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__()
        self.keys = KEYS + extra_keys

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, meaning in self.keys:
            table.add_row(key, meaning)
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Escape to close"
            yield Static(table)
