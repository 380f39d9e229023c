"""The search screen: find text across every loaded briefing as you type.

`SearchScreen(index, library, query="")` is a modal with an `Input` on top and the results
below, updated as the user types: a query takes milliseconds, so it runs right after the
next refresh, with no timer; keys typed faster than that are coalesced into one search.
Each result shows its briefing's title, the section in words and an excerpt of the
matching text with the matches highlighted. Up/Down (and PgUp/PgDn) move through the
results while the focus stays in the input; Enter dismisses with `(results, index)` so the
app can jump there and step to the next matches later; Escape dismisses with None. Content
and the query are only ever put in `rich.text.Text`, never read as markup.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from briefing.loader import Library
from briefing.search import SearchIndex, SearchResult, Span, StoreSearchIndex, highlight
from briefing.widgets.safe import safe_text

MAX_RESULTS = 50
"""Results listed as you type (a query matching more says so in the count): drawing each
result costs time, and a longer list asks for another word anyway."""
EXCERPT = 150
"""Characters of a field shown around its first match."""
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
SearchPick = tuple[list[SearchResult], int]
"""What the screen dismisses with on Enter: every result and the chosen one's index."""


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
        self.searched: str | None = None
        """The query whose results are shown."""
        self._search_pending = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box") as box:
            box.border_title = "Search"
            yield Input(self.initial_query, placeholder="Search all briefings",
                        id="search-input")
            yield Static("", id="search-count", markup=False)
            yield OptionList(id="search-results", markup=False)
            yield Static(HINT, id="search-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#search-results", OptionList).can_focus = False
        self.query_one("#search-input", Input).focus()
        self.run_search(self.initial_query)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        # Keys typed faster than results are drawn are coalesced: one search for the
        # latest text runs after the next refresh, so the input itself never lags.
        if not self._search_pending:
            self._search_pending = True
            self.call_after_refresh(self._search_latest)

    def _search_latest(self) -> None:
        self._search_pending = False
        query = self.query_one("#search-input", Input).value
        if query != self.searched:
            self.run_search(query)

    def run_search(self, query: str) -> None:
        """Search for `query` and show the results, the first one highlighted."""
        self.searched = query
        found = self.index.search(query, limit=MAX_RESULTS + 1)
        more = len(found) > MAX_RESULTS
        self.results = found[:MAX_RESULTS]
        count = self.query_one("#search-count", Static)
        if query.strip():
            count.update(count_words(len(self.results), more))
        else:
            count.update("Type to search titles, summaries, claims, evidence, responses "
                         "and questions")
        options = self.query_one("#search-results", OptionList)
        options.clear_options()
        match_style = self.get_component_rich_style("search--match")
        where_style = self.get_component_rich_style("search--where")
        options.add_options(Option(self._prompt(result, match_style, where_style))
                            for result in self.results)
        options.highlighted = 0 if self.results else None

    def _prompt(self, result: SearchResult, match_style: Style, where_style: Style) -> Text:
        briefing = self.library.briefings.get(result.briefing_id)
        title = briefing.title if briefing is not None else result.briefing_id
        if result.section == "title":
            # The match is the title itself: one line says it all.
            prompt = excerpt(result.text, result.spans, match_style)
            prompt.stylize("bold")
        else:
            prompt = Text(safe_text(title), style="bold")
        prompt.append(f"  {where(result)}", style=where_style)
        if result.section != "title":
            prompt.append("\n")
            prompt.append_text(excerpt(result.text, result.spans, match_style))
        return prompt

    def action_move(self, action: str) -> None:
        """Move the results' cursor while the focus stays in the input."""
        getattr(self.query_one("#search-results", OptionList), f"action_{action}")()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value != self.searched:  # Enter typed before the last search ran
            self.run_search(event.value)
        self.pick(self.query_one("#search-results", OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(event.option_index)

    def pick(self, position: int | None) -> None:
        """Dismiss with every result and the chosen one, if there is one."""
        if position is None or not self.results:
            return
        self.dismiss((list(self.results), position))

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
