"""The selected briefing: its header and its four sections.

In a compact terminal one section shows at a time, and its border names all four as tabs
(the one shown highlighted; `1`-`4` switch); on a large one (see the breakpoints in
`app.py`) all four show in a grid, each titled with its own name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.events import DescendantFocus
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from briefing.models import Briefing
from briefing.widgets.header import briefing_header
from briefing.widgets.lines import LineView, line_view_css
from briefing.widgets.safe import plain

if TYPE_CHECKING:
    from briefing.widgets.item_lists import ItemList

SHORT_TITLES = ("Summary", "Claims", "Responses", "Questions")
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("key_claims", "Key claims"),
    ("official_responses", "Official responses"),
    ("open_questions", "Open questions"),
)


def section_tabs(active: int) -> Text:
    """The four sections as tabs, with their keys; the one at `active` (0-3) stands out."""
    tabs = Text()
    for position, title in enumerate(SHORT_TITLES):
        tabs.append(f" {position + 1} {title} ",
                    style="reverse bold" if position == active else "")
    return tabs


class SummaryView(LineView, ScrollView, can_focus=True):
    """Wrapped text that scrolls, drawn a line at a time (the Line API).

    A new text never asks for a layout of the screen: the widget's size comes from the
    layout, not from its text, and it wraps the text to its own width and sets its own
    scrollable height (see `LineView`). (A `Static` in a `VerticalScroll` took two
    whole-screen layouts per new briefing: the update, then its new height.)
    """

    DEFAULT_CSS = line_view_css("SummaryView") + """
    SummaryView {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = Text()
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}
        self._wrapped_at = -1
        self._base: Style | None = None

    def update(self, text: Text) -> None:
        """Show `text` (already safe: see `safe.plain`) from its first line."""
        self.text = text
        self._wrapped_at = -1
        self._wrap(self.scrollable_content_region.width)
        self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()

    @property
    def lines(self) -> list[str]:
        """The text as wrapped to the current width, a string per line."""
        return [line.plain for line in self._lines]

    def _wrap(self, width: int) -> None:
        """Wrap the text to `width` cells and make that the scrollable size."""
        if width == self._wrapped_at:
            return
        self._wrapped_at = width
        self._strips.clear()
        self._lines = list(self.text.wrap(self.app.console, width)) if width > 0 else []
        self.set_line_count(len(self._lines))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._base = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        self._wrap(width)  # after a resize, before the first paint at the new width
        index = self.scroll_offset.y + y
        if self._base is None:  # looked up once per style change: each lookup costs
            self._base = self.rich_style
        base = self._base
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            line = self._lines[index]
            selection = self.text_selection
            if selection is not None and (span := selection.get_span(index)) is not None:
                start, end = span
                line = line.copy()
                line.stylize(self.screen.get_component_rich_style("screen--selection"),
                             start, len(line) if end == -1 else end)
            strip = (Strip(line.render(self.app.console), line.cell_len)
                     .crop_extend(0, width, None).apply_style(base).apply_offsets(0, index))
            if selection is None:
                self._strips[index] = strip
        return strip

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract("\n".join(self.lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._strips.clear()
        self.refresh()


class BriefingDetail(Widget):
    """Header plus the four sections of one briefing."""

    active = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: Briefing | None = None
        self.shown_version: str | None = None
        """The content hash of `shown`, when known: the same version is not shown again."""
        self._unfilled: dict[str, list] = {}
        self._changed: set[str] | None = None
        self._find_changed: Callable[[], set[str]] | None = None
        # Each section is its own bordered panel, with no container of its own: every
        # widget of the first frame costs its styling, layout and drawing (~3-5 ms here).
        # The first section is active at first, with its classes given here: set once it
        # is mounted, they restyled it.
        self.summary = SummaryView(id="summary", classes="section -active")
        self._lists: dict[str, ItemList] = {}
        """The three item lists, each made when first wanted (see `item_list`)."""

    @property
    def sections(self) -> list[Widget]:
        """The four section widgets, in order."""
        return [self.summary, *(self.item_list(key) for key, _title in SECTIONS[1:])]

    @property
    def made_sections(self) -> list[tuple[int, Widget]]:
        """The section widgets made so far, with their positions: the lists are made when
        first wanted, as a compact terminal shows the summary first (their module and
        widgets cost its first frame ~3 ms)."""
        return [(0, self.summary), *((position, self._lists[key])
                                     for position, (key, _title) in enumerate(SECTIONS)
                                     if key in self._lists)]

    @property
    def claims(self) -> ItemList:
        """The key claims' list."""
        return self.item_list("key_claims")

    @property
    def responses(self) -> ItemList:
        """The official responses' list."""
        return self.item_list("official_responses")

    @property
    def questions(self) -> ItemList:
        """The open questions' list."""
        return self.item_list("open_questions")

    def compose(self) -> ComposeResult:
        yield Static(id="briefing-header")
        # A compact terminal shows one section: the others join just after the first
        # frame, which they made ~45 ms slower (hidden widgets are styled all the same).
        if self._all_visible():
            yield from self.sections
        else:
            yield self.summary  # the first section shown

    def on_mount(self) -> None:
        self.watch_active(self.active)
        self._show_titles()
        self.call_after_refresh(self._mount_sections)

    def _mount_sections(self) -> None:
        """Mount the sections not composed yet, in their order."""
        if not self.is_attached:  # the app quit right after its first frame
            return
        mounts: list[AwaitMount] = []
        sections = self.sections
        for position, section in enumerate(sections):
            if section.parent is None:
                following = [s for s in sections[position + 1:] if s.parent is not None]
                if following:
                    mounts.append(self.mount(section, before=following[0]))
                else:
                    mounts.append(self.mount(section))
        if mounts:  # a list chosen meanwhile is filled once it is mounted
            self._show_titles()
            self.call_later(self._fill_when_mounted, mounts)

    async def _fill_when_mounted(self, mounts: list[AwaitMount]) -> None:
        for mount in mounts:
            await mount
        self._fill_visible()

    def show(self, briefing: Briefing, changed: Callable[[], set[str]] | None = None,
             version: str | None = None) -> None:
        """Show a briefing (of content hash `version`, if known). `changed` gives the ids
        of items to mark as new or changed; it is asked when a list is first filled, not
        for the summary: it hashes every item (~4 ms), and the first frame shows only the
        summary."""
        self.shown, self.shown_version = briefing, version
        self.query_one("#briefing-header", Static).update(briefing_header(briefing), layout=False)
        self.summary.update(plain(briefing.summary, multiline=True))
        # Lists out of sight are filled when they come into sight: moving through the
        # briefings then redraws one section, not four.
        self._unfilled = {"key_claims": briefing.key_claims,
                          "official_responses": briefing.official_responses,
                          "open_questions": briefing.open_questions}
        self._changed, self._find_changed = None, changed
        if self._all_visible():
            # Three lists refill at once here (35-65 ms of rows, then their layouts): the
            # header, summary and list cursor are painted first, and keys that arrive
            # meanwhile (Down held) leave one refill, for the briefing they end on.
            self.call_after_refresh(self._fill_visible)
        else:
            self._fill_visible()

    def _all_visible(self) -> bool:
        screen = self.screen
        return screen.has_class("-wide") and screen.has_class("-tall")

    def _fill_visible(self) -> None:
        if self.shown is None:
            return
        active = SECTIONS[self.active][0]
        for key in list(self._unfilled):
            item_list = self._lists.get(key)
            if item_list is None:  # filled once it is made and mounted
                continue
            if (key == active or self._all_visible()) and item_list.is_mounted:
                if self._changed is None:
                    self._changed = self._find_changed() if self._find_changed else set()
                item_list.show(self.shown, self._unfilled.pop(key), self._changed)

    def layout_changed(self) -> None:
        """The screen's size classes may have changed (see `MainScreen.on_resize`): title
        the sections for what shows now, and fill the lists that came into sight."""
        self._show_titles()
        self._fill_visible()

    def clear(self, message: str) -> None:
        """Show a message instead of a briefing (nothing loaded yet, or nothing to show)."""
        self.shown = self.shown_version = None
        self.query_one("#briefing-header", Static).update(Text(message, style="italic"))

    def section_widget(self, index: int) -> Widget:
        """The focusable widget of section `index` (0-3)."""
        return self.summary if index == 0 else self.item_list(SECTIONS[index][0])

    def activate(self, index: int) -> None:
        """Show section `index` (0-3) and move the focus into it."""
        self._mount_sections()  # a key pressed before the first frame was done
        self.active = index
        self._fill_visible()
        self.section_widget(index).focus()

    def watch_active(self, index: int) -> None:
        for position, section in self.made_sections:
            section.set_class(position == index, "-active")
        self._fill_visible()

    def _show_titles(self) -> None:
        """Title each section: its own name when all four show, else the tabs of all four,
        its own highlighted (a bar of its own cost the first frame a widget and the
        section two lines)."""
        all_visible = self._all_visible()
        for position, section in self.made_sections:
            if all_visible:
                section.border_title = f"{position + 1} {SECTIONS[position][1]}"
            else:
                section.border_title = section_tabs(position)

    @on(DescendantFocus)
    def _follow_focus(self, event: DescendantFocus) -> None:
        for position, section in self.made_sections:
            if section is event.widget:
                self.active = position

    def item_list(self, section: str) -> ItemList:
        """The item list of a section key (key_claims, official_responses, open_questions),
        made if it was not yet."""
        made = self._lists.get(section)
        if made is None:
            from briefing.widgets.item_lists import ClaimList, QuestionList, ResponseList

            kinds: dict[str, type[ItemList]] = {"key_claims": ClaimList,
                                                "official_responses": ResponseList,
                                                "open_questions": QuestionList}
            made = self._lists[section] = kinds[section](id=section)
            position = [key for key, _title in SECTIONS].index(section)
            made.set_classes(f"section{' -active' * (position == self.active)}")
        return made
