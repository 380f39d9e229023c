"""The selected briefing: its header and its four sections.

In a compact terminal one section shows at a time (the section bar says which, and `1`-`4`
switch); on a large one (see the breakpoints in `app.py`) all four show in a grid.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from briefing.models import Briefing, display_or_unknown
from briefing.widgets.item_lists import ClaimList, ItemList, QuestionList, ResponseList
from briefing.widgets.safe import plain

SHORT_TITLES = ("Summary", "Claims", "Responses", "Questions")
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("key_claims", "Key claims"),
    ("official_responses", "Official responses"),
    ("open_questions", "Open questions"),
)


class SectionPanel(Vertical):
    """A titled panel holding one section's widget."""

    def __init__(self, title: str, body: Widget, *, id: str) -> None:
        super().__init__(id=id, classes="section")
        self.border_title = title
        self.body = body

    def compose(self) -> ComposeResult:
        yield self.body


class BriefingDetail(Vertical):
    """Header plus the four sections of one briefing."""

    active = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: Briefing | None = None
        self._unfilled: dict[str, list] = {}
        self._changed: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="briefing-header")
        yield Static(id="section-bar")
        with Vertical(id="sections"):
            self.summary = Static(id="summary-text")
            summary_scroll = VerticalScroll(self.summary, id="summary")
            summary_scroll.can_focus = True
            self.claims = ClaimList(id="key_claims")
            self.responses = ResponseList(id="official_responses")
            self.questions = QuestionList(id="open_questions")
            bodies: list[Widget] = [summary_scroll, self.claims, self.responses, self.questions]
            for number, ((key, title), body) in enumerate(zip(SECTIONS, bodies, strict=True), 1):
                yield SectionPanel(f"{number} {title}", body, id=f"panel-{key}")

    def on_mount(self) -> None:
        self.watch_active(self.active)

    def show(self, briefing: Briefing, changed: set[str] | None = None) -> None:
        """Show a briefing; `changed` holds ids of items to mark as new or changed."""
        self.shown = briefing
        self.query_one("#briefing-header", Static).update(self._header(briefing), layout=False)
        self.summary.update(plain(briefing.summary, multiline=True))
        self.query_one("#summary", VerticalScroll).scroll_home(animate=False)
        # Lists out of sight are filled when they come into sight: moving through the
        # briefings then redraws one section, not four.
        self._unfilled = {"key_claims": briefing.key_claims,
                          "official_responses": briefing.official_responses,
                          "open_questions": briefing.open_questions}
        self._changed = set(changed or ())
        self._fill_visible()

    def _all_visible(self) -> bool:
        return self.screen.has_class("-wide") and self.screen.has_class("-tall")

    def _fill_visible(self) -> None:
        if self.shown is None:
            return
        active = SECTIONS[self.active][0]
        for key in list(self._unfilled):
            if key == active or self._all_visible():
                self.item_list(key).show(self.shown, self._unfilled.pop(key), self._changed)

    def on_resize(self) -> None:
        # The screen takes its size classes (and so shows more sections) after this event.
        self.call_after_refresh(self._fill_visible)

    def clear(self, message: str) -> None:
        """Show a message instead of a briefing (nothing loaded yet, or nothing to show)."""
        self.query_one("#briefing-header", Static).update(Text(message, style="italic"))

    @staticmethod
    def _header(briefing: Briefing) -> Text:
        header = plain(briefing.title, "bold")
        header.append("\n")
        fields = (("Outlet", briefing.outlet), ("By", briefing.byline),
                  ("Published", briefing.published))
        for index, (label, value) in enumerate(fields):
            if index:
                header.append("  ·  ", style="dim")
            header.append(f"{label}: ", style="dim")
            header.append_text(plain(display_or_unknown(value),
                                     "italic dim" if value is None else ""))
        if briefing.url:
            header.append("\n")
            header.append_text(plain(briefing.url, "dim underline"))
        return header

    def section_widget(self, index: int) -> Widget:
        """The focusable widget of section `index` (0-3)."""
        return self.query_one(f"#panel-{SECTIONS[index][0]}", SectionPanel).body

    def activate(self, index: int) -> None:
        """Show section `index` (0-3) and move the focus into it."""
        self.active = index
        self._fill_visible()
        self.section_widget(index).focus()

    def watch_active(self, index: int) -> None:
        for position, (key, _title) in enumerate(SECTIONS):
            self.query_one(f"#panel-{key}").set_class(position == index, "-active")
        bar = Text()
        for position, title in enumerate(SHORT_TITLES):
            style = "reverse bold" if position == index else "dim"
            bar.append(f" {position + 1} {title} ", style=style)
            bar.append(" ")
        self.query_one("#section-bar", Static).update(bar)
        self._fill_visible()

    @on(DescendantFocus)
    def _follow_focus(self, event: DescendantFocus) -> None:
        for position in range(len(SECTIONS)):
            if self.section_widget(position) is event.widget:
                self.active = position

    def item_list(self, section: str) -> ItemList:
        """The item list of a section key (key_claims, official_responses, open_questions)."""
        return self.query_one(f"#{section}", ItemList)
