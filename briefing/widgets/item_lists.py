"""The lists of a briefing's claims, responses and open questions.

Each is an `OptionList` of one item per option. Enter (or a click) expands an item in place
to show its detail: a claim's claimant, status, figures and verbatim evidence; a response's
quote; a question's reasons and related claims. Every piece of content goes through
`plain()`, so no content is ever read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual import on
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from briefing.models import (
    CLAIM_STATUSES,
    Briefing,
    Claim,
    OpenQuestion,
    Response,
    describe_figure,
)
from briefing.widgets.hanging import Hanging, quoted
from briefing.widgets.safe import plain, safe_text

CHANGED_MARK = "● "


class ItemList(OptionList):
    """A list of briefing items that expand in place on Enter."""

    DEFAULT_CSS = """
    ItemList {
        /* The height the layout gives, whatever the items: new items then need no
           measuring of each one for a layout (a Down at 200x50 took 209 ms, now ~145 ms). */
        height: 1fr;
        border: none;
        padding: 0;
        background: transparent;  /* the pane's, as behind the summary's text */
    }
    ItemList > .item--changed { color: $changed; text-style: bold; }
    ItemList > .item--label { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"item--changed", "item--label"}
    # The list's size comes from the layout, not from its items: a new line count needs a
    # repaint and new scroll bar extents, not a layout of the whole screen, which Textual's
    # own `virtual_size` asks for on every refill (a Down at 200x50, three lists refilled:
    # median 132 ms with that layout, 89 ms without; 1,000 briefings).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    EMPTY = "Nothing reported."
    KIND = "item"
    """The read-state key prefix of this list's items (`claim:<id>`, ...)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.items: list[Any] = []
        self.expanded: set[str] = set()
        self.changed: set[str] = set()
        self.briefing: Briefing | None = None
        self._styles: dict[str, Style] = {}
        self._lines_width = -1
        self._top_for: int | None = None
        """An item jumped to (see `focus_item`), to scroll to the top once laid out."""

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda: self.refresh_items(), init=False)

    def _update_lines(self) -> None:
        # A scroll bar that comes or goes narrows or widens the list without resizing it
        # (its size is the layout's, see `virtual_size`), and the option list would keep
        # its items wrapped to the old width: their last lines cut off. Items are then
        # wrapped again; a scroll bar that appears after this very wrap counts too.
        for _ in range(2):
            width = self.scrollable_content_region.width
            if width != self._lines_width:
                self._lines_width = width
                self._line_cache.clear()
                self._option_render_cache.clear()
            super()._update_lines()
            if self.scrollable_content_region.width == width:
                break

    def show(self, briefing: Briefing, items: Sequence[Any],
             changed: set[str] | None = None) -> None:
        """Show a briefing's items; `changed` holds read-state keys of new or changed items."""
        self.briefing = briefing
        self.items = list(items)
        self.expanded.clear()
        prefix = f"{self.KIND}:"
        self.changed = {key[len(prefix):] for key in changed or () if key.startswith(prefix)}
        self.refresh_items()
        self.highlighted = 0 if self.items else None
        self.scroll_home(animate=False)

    def style_of(self, component: str) -> Style:
        """A component class's style, looked up once per redraw (each lookup costs)."""
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.get_component_rich_style(component)
        return style

    def refresh_items(self) -> None:
        """Redraw every item (after a theme change or a change of marks)."""
        self._styles.clear()
        highlighted = self.highlighted
        if not self.items:
            # Indented like the items' text, not against the border.
            self.set_options([Option(Text(f"  {self.EMPTY}", style="italic"), disabled=True)])
            return
        self.set_options(Option(self._prompt(item), id=item.id) for item in self.items)
        if highlighted is not None and highlighted < len(self.items):
            self.highlighted = highlighted

    def _prompt(self, item: Any) -> RenderableType:
        mark = (Text(CHANGED_MARK.strip(), self.style_of("item--changed"))
                if item.id in self.changed else Text(" "))
        line = Hanging(Text.assemble(mark, " ", self.badge(item), " "), self.headline(item))
        if item.id not in self.expanded:
            return line
        return Group(line, Padding(self.detail(item), (0, 0, 1, 4)))

    def badge(self, item: Any) -> Text:
        """A short label before the headline."""
        return Text("·")

    def headline(self, item: Any) -> Text:
        """The one-line summary of an item."""
        raise NotImplementedError

    def detail(self, item: Any) -> RenderableType:
        """What an item shows once expanded."""
        raise NotImplementedError

    def label(self, text: str) -> Text:
        """A field label inside an expanded item."""
        return Text(text, style=self.style_of("item--label"))

    def field(self, label: str, value: Text) -> Hanging:
        """A labelled field of an expanded item, its value's later lines under its first."""
        return Hanging(self.label(label), value)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._mark_seen(event.option_index)

    def on_focus(self) -> None:
        if self.highlighted is not None:
            self._mark_seen(self.highlighted)

    def _mark_seen(self, index: int) -> None:
        # A changed item counts as read once the user's cursor reaches it in a focused list.
        if not self.has_focus or self.briefing is None or index >= len(self.items):
            return
        item_id = self.items[index].id
        if item_id in self.changed:
            self.changed.discard(item_id)
            self.replace_option_prompt(item_id, self._prompt(self.items[index]))
            self.app.item_read(self.briefing.id, f"{self.KIND}:{item_id}")  # type: ignore[attr-defined]

    @on(OptionList.OptionSelected)
    def _toggle(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item_id = event.option.id
        if item_id is None:
            return
        self.expanded.symmetric_difference_update({item_id})
        self.replace_option_prompt(item_id, self._prompt(self.items[event.option_index]))
        self.scroll_to_highlight()  # as much of what it opened as fits comes into view

    def focus_item(self, item_id: str, *, expand: bool = False) -> bool:
        """Highlight (and optionally expand) an item by id; False if it is not here."""
        try:
            index = self.get_option_index(item_id)
        except OptionDoesNotExist:
            return False
        if expand and item_id not in self.expanded:
            self.expanded.add(item_id)
            self.replace_option_prompt(item_id, self._prompt(self.items[index]))
        self.highlighted = index
        self._top_for = index
        self.scroll_to_highlight()
        return True

    def scroll_to_highlight(self, top: bool = False) -> None:
        # An item jumped to (from search, the story view) goes to the top of the list: it
        # shows from its first line, what it expands to below it, clear of the notices at
        # the bottom of the screen (one covered a match on the last lines). A list just
        # brought into sight has no size yet: the scroll after its layout does it.
        if self._top_for is not None:
            if self._top_for != self.highlighted:
                self._top_for = None
            else:
                top = True
                if self.size.height:
                    self._top_for = None
        super().scroll_to_highlight(top=top)

    # An expanded item can be taller than the list: the keys first scroll through the rest
    # of the highlighted item, then move on (the option list moves item by item, and what
    # an item shows below the view could only be reached with a mouse wheel).

    def _hidden_lines(self) -> tuple[int, int]:
        """Lines of the highlighted item above and below the view, while it is in view
        (scrolled away, with the mouse wheel, the keys move the cursor as usual)."""
        if self.highlighted is None:
            return 0, 0
        self._update_lines()
        top = self._index_to_line.get(self.highlighted)
        if top is None:
            return 0, 0
        bottom = top + self._heights[self.highlighted]
        view_top = round(self.scroll_offset.y)
        view_bottom = view_top + self.scrollable_content_region.height
        if bottom <= view_top or top >= view_bottom:
            return 0, 0
        return max(0, view_top - top), max(0, bottom - view_bottom)

    def _scroll_within(self, lines: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + lines, animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        """Scroll through the rest of the highlighted item, then move to the next."""
        if self._hidden_lines()[1]:
            self._scroll_within(1)
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Scroll back through the highlighted item, then move to the previous."""
        if self._hidden_lines()[0]:
            self._scroll_within(-1)
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        """A page through the rest of the highlighted item, then on to the next item (a
        page counted from the top of an item taller than the view would land in it)."""
        above, below = self._hidden_lines()
        if below:
            self._scroll_within(min(below, self._page()))
        elif above and self.highlighted is not None and self.highlighted + 1 < len(self.items):
            self.action_cursor_down()
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        """A page back through the highlighted item, then a page of items."""
        above = self._hidden_lines()[0]
        if above:
            self._scroll_within(-min(above, self._page()))
        else:
            super().action_page_up()

    def action_last(self) -> None:
        """The last item, and the list's very end (all of it, if it is expanded)."""
        super().action_last()
        self.scroll_end(animate=False, immediate=True)

    @property
    def highlighted_item(self) -> Any | None:
        """The item under the cursor."""
        if self.highlighted is None or not self.items:
            return None
        return self.items[self.highlighted]


class ClaimList(ItemList):
    """Key claims, each with a status badge that reads without colour."""

    DEFAULT_CSS = """
    ClaimList > .status--asserted { color: $status-asserted; text-style: bold; }
    ClaimList > .status--corroborated { color: $status-corroborated; text-style: bold; }
    ClaimList > .status--disputed { color: $status-disputed; text-style: bold; }
    ClaimList > .status--denied { color: $status-denied; text-style: bold; }
    ClaimList > .status--unverified { color: $status-unverified; text-style: bold; }
    """
    COMPONENT_CLASSES = {f"status--{status}" for status in CLAIM_STATUSES}
    EMPTY = "The article reports no key claims."
    KIND = "claim"

    def badge(self, item: Claim) -> Text:
        """A fixed-width status label, coloured by the theme's status variable."""
        style = self.style_of(f"status--{item.status}")
        return Text(f"{item.status.upper():<12}", style=style)

    def headline(self, item: Claim) -> Text:
        line = plain(item.text)
        line.append(" — ", style="dim")
        line.append_text(plain(item.claimant, "italic"))
        return line

    def detail(self, item: Claim) -> RenderableType:
        rows = [self.field("Claimant: ", plain(item.claimant)),
                # Written as the badge writes it, in its colour: one word, one look.
                self.field("Status:   ", Text(item.status.upper(),
                                              style=self.style_of(f"status--{item.status}"))),
                self.field("Topic:    ", plain(item.topic))]
        rows += [self.field("Figure:   ", plain(describe_figure(figure)))
                 for figure in item.figures]
        rows.append(self.label("Evidence (verbatim):"))
        rows += [quoted("  ", excerpt) for excerpt in item.evidence]
        return Group(*rows)


class ResponseList(ItemList):
    """Official responses: party, stance and speaker; the quote once expanded."""

    EMPTY = "The article reports no official responses."
    KIND = "response"

    def headline(self, item: Response) -> Text:
        line = plain(item.party, "bold")
        line.append(" · ")
        line.append_text(plain(item.stance, "underline"))
        line.append(" — ", style="dim")
        who = ", ".join(safe_text(v) for v in (item.speaker, item.role) if v) or "speaker unknown"
        line.append(who, style="italic")
        line.append(f" ({item.date or 'date unknown'})", style="dim")
        return line

    def detail(self, item: Response) -> RenderableType:
        if item.quote is None:
            quote: RenderableType = self.field(
                "Quote (verbatim): ", Text("none given in the article", style="dim"))
        else:
            quote = Group(self.label("Quote (verbatim):"), quoted("  ", item.quote))
        # Hung like the fields (with nothing before it): one cell kept free on the right.
        return Group(Hanging(Text(), plain(item.summary)), quote)


class QuestionList(ItemList):
    """Open questions with why they matter and the claims they bear on."""

    EMPTY = "The article leaves no open questions."
    KIND = "question"

    def badge(self, item: OpenQuestion) -> Text:
        return Text("?", style="bold")

    def headline(self, item: OpenQuestion) -> Text:
        return plain(item.text)

    def detail(self, item: OpenQuestion) -> RenderableType:
        rows = [self.field("Why it matters: ", plain(item.why_it_matters))]
        claims = {c.id: c for c in self.briefing.key_claims} if self.briefing else {}
        for claim_id in item.related_claims:
            claim = claims.get(claim_id)
            rows.append(self.field("Bears on: ", plain(claim.text if claim else claim_id)))
        return Group(*rows)
