"""The search screen: find text across every loaded briefing as you type.

`SearchScreen(index, library, query="")` is a modal with an `Input` on top and the results
below, updated as the user types: a query takes milliseconds, so it runs as the input's
value changes, with no timer, and the typed character and its results are painted in one
frame. Each result shows its briefing's title and the section in words on one line and,
below, a line of the matching text around its first match, the matches highlighted. The
results are drawn a line at a time (`ResultList`): only the lines on screen are built,
and a new set of results needs no layout of the screen. Up/Down (and PgUp/PgDn) move through the
results while the focus stays in the input; Enter dismisses with `(results, index)` so the
app can jump there and step to the next matches later; Escape dismisses with None. Content
and the query are only ever put in `rich.text.Text`, never read as markup.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

from briefing.loader import Library
from briefing.search import SearchIndex, SearchResult, Span, StoreSearchIndex, highlight
from briefing.widgets.lines import LineView, line_view_css
from briefing.widgets.safe import safe_text

MAX_RESULTS = 50
"""Results listed as you type (a query matching more says so in the count): a longer list
asks for another word anyway."""
EXCERPT = 150
"""Characters of a field shown around its first match (at most a line: see `excerpt`)."""
BEFORE = 40
"""Of those, characters shown before the first match."""

SECTION_WORDS = {
    "title": "Title",
    "summary": "Summary",
    "key_claims": "Key claim",
    "official_responses": "Official response",
    "open_questions": "Open question",
}
FIELD_WORDS = {
    "claimant": "claimant",
    "evidence": "evidence",
    "summary": "summary",
    "quote": "quote",
    "speaker": "speaker",
    "party": "party",
    "why_it_matters": "why it matters",
}
HINT = "↑↓ choose · Enter open · Esc close · then n / N: next / previous match"
SearchPick = tuple[list[SearchResult], int, bool]
"""What the screen dismisses with on Enter: every result listed, the chosen one's index,
and whether the query matched more than were listed."""


def where(result: SearchResult) -> str:
    """The section and field of a result in words, e.g. "Key claim · evidence"."""
    section = SECTION_WORDS.get(result.section, result.section)
    field = FIELD_WORDS.get(result.field)
    if field is None or result.section in ("title", "summary"):
        return section
    return f"{section} · {field}"


def count_words(found: int, more: bool) -> str:
    """The number of results in words: "No matches", "1 match", "50+ matches"."""
    if found == 0:
        return "No matches"
    plus = "+" if more else ""
    return f"{found}{plus} match{'' if found == 1 and not more else 'es'}"


def excerpt(text: str, spans: tuple[Span, ...], style: str, width: int = EXCERPT) -> Text:
    """The part of `text` around its first span, highlighted, with "…" where cut."""
    flat = safe_text(text)  # one character per character, so spans still line up
    if len(flat) <= width:
        return highlight(flat, spans, style)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - min(BEFORE, width // 3), len(flat) - width))
    end = min(len(flat), start + width)
    if start:
        # Start on a word so the excerpt does not open with half a word.
        space = flat.find(" ", start, first)
        start = space + 1 if space != -1 else start
    shifted = [(max(a, start) - start, min(b, end) - start)
               for a, b in spans if b > start and a < end]
    result = Text("…" if start else "")
    result.append_text(highlight(flat[start:end], shifted, style))
    if end < len(flat):
        result.append("…")
    return result


class ResultList(LineView, ScrollView):
    """The results, a line or two each, drawn a line at a time (see the module docstring).

    `lines_of(index, width)` gives the lines of result `index` for a width, and
    `heights` how many lines each result takes, known before any is drawn.
    """

    DEFAULT_CSS = line_view_css("ResultList") + """
    ResultList {
        height: 1fr;
        background: $surface;
    }
    ResultList > .result-list--cursor {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    """
    COMPONENT_CLASSES = {"result-list--cursor"}

    class Picked(Message):
        """A result was clicked."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.starts: list[int] = []
        self.heights: list[int] = []
        self.lines_of: Callable[[int, int], list[Text]] = lambda index, width: []
        self.highlighted: int | None = None
        self._strips: dict[tuple[int, int], Strip] = {}

    def show(self, heights: list[int], lines_of: Callable[[int, int], list[Text]]) -> None:
        """Show results of these heights, drawn by `lines_of`; highlight the first."""
        self.heights, self.lines_of = heights, lines_of
        self.starts, line = [], 0
        for height in heights:
            self.starts.append(line)
            line += height
        self._strips.clear()
        self.set_line_count(line)
        self.scroll_to(0, 0, animate=False, force=True)
        self.highlighted = 0 if heights else None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_resize(self) -> None:
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        index = bisect_right(self.starts, line) - 1
        if index < 0 or line >= self.virtual_size.height:
            return Strip.blank(width, self.rich_style)
        offset = line - self.starts[index]
        cursor = index == self.highlighted
        key = (line, cursor)
        strip = self._strips.get(key)
        if strip is None:
            # One cell of padding each side, inside the cursor's colour.
            lines = self.lines_of(index, max(1, width - 2))
            text = Text(" ").append_text(lines[offset] if offset < len(lines) else Text())
            text.truncate(width, overflow="ellipsis", pad=True)
            style = self.rich_style
            if cursor:
                style += self.get_component_rich_style("result-list--cursor")
            strip = Strip([Segment(s.text, style + s.style if s.style else style)
                           for s in text.render(self.app.console)], width)
            self._strips[key] = strip
        return strip

    def move_to(self, index: int) -> None:
        """Highlight result `index` (kept in range) and scroll it into sight."""
        if not self.heights:
            return
        index = max(0, min(index, len(self.heights) - 1))
        old, self.highlighted = self.highlighted, index
        for changed in {old, index} - {None}:
            self.refresh(Region(0, self.starts[changed] - self.scroll_offset.y,
                                self.size.width, self.heights[changed]))
        self.scroll_to_region(Region(0, self.starts[index], 1, self.heights[index]),
                              animate=False, immediate=True, force=True)

    def _page(self) -> int:
        """Results in a page, about."""
        return max(1, self.scrollable_content_region.height // 2)

    def action_cursor_up(self) -> None:
        """The previous result."""
        self.move_to((self.highlighted or 0) - 1)

    def action_cursor_down(self) -> None:
        """The next result."""
        self.move_to(-1 if self.highlighted is None else self.highlighted + 1)

    def action_page_up(self) -> None:
        """A page of results up."""
        self.move_to((self.highlighted or 0) - self._page())

    def action_page_down(self) -> None:
        """A page of results down."""
        self.move_to((self.highlighted or 0) + self._page())

    def on_click(self, event: events.Click) -> None:
        index = bisect_right(self.starts, event.y + self.scroll_offset.y) - 1
        if 0 <= index < len(self.heights):
            self.move_to(index)
            self.post_message(self.Picked(index))


class SearchScreen(ModalScreen[SearchPick | None]):
    """Search across all briefings; see the module docstring."""

    CSS_PATH = "search.tcss"
    COMPONENT_CLASSES = {"search--match", "search--where"}
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("up", "move('cursor_up')", "Previous result", show=False),
        Binding("down", "move('cursor_down')", "Next result", show=False),
        Binding("pageup", "move('page_up')", "Page up", show=False),
        Binding("pagedown", "move('page_down')", "Page down", show=False),
    ]

    def __init__(self, index: SearchIndex | StoreSearchIndex, library: Library,
                 query: str = "") -> None:
        super().__init__()
        self.index = index
        self.library = library
        self.initial_query = query
        self.results: list[SearchResult] = []
        self.more = False
        """Whether the query matched more than the results listed."""
        self.searched: str | None = None
        """The query whose results are shown."""
        self._styles: tuple[Style, Style] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box") as box:
            box.border_title = "Search"
            yield Input(self.initial_query, placeholder="Search all briefings",
                        id="search-input")
            yield Static("", id="search-count", markup=False)
            yield ResultList(id="search-results")
            yield Static(HINT, id="search-hint", markup=False)

    def on_mount(self) -> None:
        field = self.query_one("#search-input", Input)
        field.focus()
        # Searched as the value changes (a watcher runs at once), not on the Changed
        # message: that arrives after the typed character has been painted, and the
        # results would be painted a frame (17-33 ms) later.
        self.watch(field, "value", self._value_changed, init=False)
        self.run_search(self.initial_query)

    def _value_changed(self, value: str) -> None:
        if value != self.searched:
            self.run_search(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()

    def run_search(self, query: str) -> None:
        """Search for `query` and show the results, the first one highlighted."""
        self.searched = query
        found = self.index.search(query, limit=MAX_RESULTS + 1)
        more = self.more = len(found) > MAX_RESULTS
        self.results = found[:MAX_RESULTS]
        count = self.query_one("#search-count", Static)
        # Fixed in size (see search.tcss), so a new count needs no layout.
        if query.strip():
            count.update(count_words(len(self.results), more), layout=False)
        else:
            # One line, whole at 80 columns (the line keeps its height as results come).
            count.update("Searches titles, summaries, claims, evidence, responses, "
                         "questions", layout=False)
        self._styles = None
        results = self.results
        self.query_one("#search-results", ResultList).show(
            [1 if result.section == "title" else 2 for result in results],
            lambda index, width: self._lines(results[index], width))

    def _lines(self, result: SearchResult, width: int) -> list[Text]:
        """A result's lines: the title (or the matching title) and where, then an excerpt."""
        if self._styles is None:  # looked up once per search: each lookup costs
            self._styles = (self.get_component_rich_style("search--match"),
                            self.get_component_rich_style("search--where"))
        match_style, where_style = self._styles
        place = Text(f"  {where(result)}", style=where_style)
        room = max(1, width - place.cell_len)
        if result.section == "title":
            # The match is the title itself: one line says it all.
            head = excerpt(result.text, result.spans, match_style, max(1, room - 2))
        else:
            briefing = self.library.briefings.get(result.briefing_id)
            head = Text(safe_text(briefing.title if briefing is not None
                                  else result.briefing_id))
        head.stylize("bold")
        head.truncate(room, overflow="ellipsis")
        lines = [head.append_text(place)]
        if result.section != "title":
            body = excerpt(result.text, result.spans, match_style, max(1, width - 2))
            body.truncate(width, overflow="ellipsis")
            lines.append(body)
        return lines

    def action_move(self, action: str) -> None:
        """Move the results' cursor while the focus stays in the input."""
        getattr(self.query_one("#search-results", ResultList), f"action_{action}")()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value != self.searched:  # Enter typed before the last search ran
            self.run_search(event.value)
        self.pick(self.query_one("#search-results", ResultList).highlighted)

    def on_result_list_picked(self, event: ResultList.Picked) -> None:
        event.stop()
        self.pick(event.index)

    def pick(self, position: int | None) -> None:
        """Dismiss with every result and the chosen one, if there is one."""
        if position is None or not self.results:
            return
        self.dismiss((list(self.results), position, self.more))

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
