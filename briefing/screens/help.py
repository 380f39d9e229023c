"""The help screen: every key of the reader, grouped by screen, the current screen's first.

The same key means different things on different screens (1-4 are the briefing's sections on
the main screen and the story view's parts there), so the help says which screen each group
is for, and opens on the group of the screen it was opened from.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from briefing.models import record


@record(frozen=True)
class KeyGroup:
    """The keys of one screen (or of every screen), under a heading."""

    name: str
    """What the screen is called where it is opened from ("story view")."""
    heading: str
    keys: tuple[tuple[str, str], ...]


MAIN = KeyGroup("main screen", "Main screen: the briefings and the selected briefing", (
    ("1 2 3 4", "Summary, Key claims, Official responses, Open questions"),
    ("Tab / Shift+Tab", "Move the focus between the list and the sections"),
    ("↑ ↓  j k", "Move within a list"),
    ("Home End PgUp PgDn", "Jump within a list"),
    ("Enter", "Open the briefing; in a section, expand or fold an item"),
    ("[  ]", "Previous / next briefing"),
    ("c", "Copy the highlighted item with its attribution"),
    ("r", "Refresh: fetch new and updated briefings from the feed"),
    ("Escape", "Cancel a running refresh"),
))

# App keys: a modal screen (evidence, search, problems, this help) takes none of them but
# Ctrl+P, which Textual gives priority (the problems view binds ? to this help itself).
EVERYWHERE = KeyGroup("", "On the main screen and in the story view", (
    ("s", "Story view: the current story's outlets side by side"),
    ("/", "Search every briefing (Enter jumps to a match)"),
    ("n  N", "Next / previous match of the last search"),
    ("t", "Next theme (Ctrl+P, then 'theme': pick one by name)"),
    ("e", "Save the briefing (story view: the story) as Markdown in Downloads, or here"),
    ("p", "Problems in the content, settings, themes and the last refresh"),
    ("Ctrl+P", "Command palette (any screen): open a briefing, and more"),
    ("?", "This help (Escape, q or ? closes it)"),
    ("q", "Quit (in the story view: back to the main screen)"),
))

STORY = KeyGroup("story view", "Story view (s): the outlets side by side", (
    ("1 2 3 4 5", "Claims by topic, Responses, Open questions, Only here, Timeline"),
    ("← → ↑ ↓", "Move between outlets and topics (or parties)"),
    ("Home End PgUp PgDn", "Jump within the table or list"),
    ("Tab / Shift+Tab", "Move the focus between the tabs and the table or list"),
    ("Enter", "Evidence behind the highlighted cell, question or claim; on an event of "
              "the timeline, the first briefing that reports it"),
    ("Escape  q", "Back to the main screen"),
))

EVIDENCE = KeyGroup("evidence", "Evidence (Enter in the story view)", (
    ("↑ ↓", "Move between the outlets' entries"),
    ("Enter  g", "Go to the claim in its briefing (leaves the story view)"),
    ("Escape", "Back to the story view"),
))

SEARCH = KeyGroup("search", "Search (/)", (
    ("Typing", "Search every part of every briefing"),
    ("↑ ↓ PgUp PgDn", "Move between results"),
    ("Enter", "Go to the highlighted match (then n / N for the others)"),
    ("Escape", "Close the search"),
))

PROBLEMS = KeyGroup("problems", "Problems (p)", (
    ("↑ ↓ PgUp PgDn", "Move through the problems"),
    ("Escape  q  p", "Close the problems view"),
    ("?", "This help"),
))

GROUPS: tuple[KeyGroup, ...] = (MAIN, EVERYWHERE, STORY, EVIDENCE, SEARCH, PROBLEMS)
"""Every group, in the order shown from the main screen."""

KEY_WIDTH = max(len(key) for group in GROUPS for key, _ in group.keys)
"""One width for the key column of every group, so that the meanings line up."""


def group_of(screen: Screen[object] | None) -> KeyGroup:
    """The key group of the screen that help was opened from (the main screen's if unknown)."""
    # Imported here: the screens are heavier than help, which the app imports lazily too.
    from briefing.screens.problems import ProblemsScreen
    from briefing.screens.search import SearchScreen
    from briefing.screens.story import StoryScreen
    from briefing.screens.story_evidence import EvidenceScreen

    for kind, group in ((StoryScreen, STORY), (EvidenceScreen, EVIDENCE),
                        (SearchScreen, SEARCH), (ProblemsScreen, PROBLEMS)):
        if isinstance(screen, kind):
            return group
    return MAIN


def ordered_groups(here: KeyGroup) -> list[KeyGroup]:
    """Every group, the one of the screen help is opened from first, then the keys of
    every screen, then the others in their usual order."""
    rest = [group for group in GROUPS if group not in (here, EVERYWHERE)]
    return [here, EVERYWHERE, *rest]


def render_group(group: KeyGroup, here: bool) -> Group:
    """A group's heading (marked when it is the current screen's) over its keys."""
    heading = Text(group.heading, style="bold underline")
    if here:
        heading.append("  ← you are here", style="bold")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, width=KEY_WIDTH)
    table.add_column()
    for key, meaning in group.keys:
        table.add_row(key, meaning)
    return Group(heading, table)


class HelpScreen(ModalScreen[None]):
    """A modal list of every key binding, grouped by screen."""

    CSS_PATH = Path(__file__).parent / "dialogs.tcss"

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def __init__(self, here: KeyGroup | None = None) -> None:
        """`here`: the group to show first; by default, that of the screen under this one."""
        super().__init__()
        self.here = here
        self.groups: list[KeyGroup] = []
        """The groups shown, in order (set when composed)."""

    def compose(self) -> ComposeResult:
        here = self.here or group_of(self._screen_below())
        self.groups = ordered_groups(here)
        parts: list[Group | Text] = []
        for index, group in enumerate(self.groups):
            if index:
                parts.append(Text(""))
            parts.append(render_group(group, here=group is here))
        with VerticalScroll(id="help-body") as body:
            body.border_title = f"Keys · {here.name}"
            body.border_subtitle = "↑ ↓ PgUp PgDn to scroll · Escape to close"
            yield Static(Group(*parts))

    def _screen_below(self) -> Screen[object] | None:
        """The screen help was opened from: the one under it on the stack."""
        stack = self.app.screen_stack
        if self in stack:
            stack = stack[: stack.index(self)]
        return stack[-1] if stack else None
