"""The list of briefings, grouped by story under a heading line per story.

A virtual list: it keeps plain rows (a heading, or a briefing summary of two lines) and draws
only the lines on screen, so 10,000 briefings cost no more to show or to move through than
ten. (Measured here: a ListView of 1,000 items took 3.6 s to its first frame, an
OptionList of 1,000 options 0.11 s, and both grow with the number of items.)
"""

from __future__ import annotations

from bisect import bisect_right

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.models import display_or_unknown
from briefing.opening import Row
from briefing.widgets.safe import safe_text


class BriefingList(ScrollView, can_focus=True):
    """Briefings grouped by story; headings cannot be selected."""

    DEFAULT_CSS = """
    BriefingList {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
    }
    BriefingList > .briefing-list--heading { text-style: bold; color: $text; }
    BriefingList > .briefing-list--details { color: $text-muted; }
    BriefingList > .briefing-list--mark { color: $changed; text-style: bold; }
    BriefingList > .briefing-list--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    BriefingList:focus > .briefing-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """
    COMPONENT_CLASSES = {"briefing-list--heading", "briefing-list--details",
                         "briefing-list--mark", "briefing-list--cursor"}
    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    cursor: reactive[int] = reactive(-1, always_update=True, init=False)

    class Selected(Message):
        """Enter (or a click) on a briefing."""

        def __init__(self, briefing_id: str) -> None:
            super().__init__()
            self.briefing_id = briefing_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.starts: list[int] = []
        self.index_of: dict[str, int] = {}
        self.marks: dict[str, str] = {}
        self._row_lines = 0
        self.moved_by_user = False
        """Whether the user moved the cursor (keys, mouse, a jump) since it was placed on
        the first briefing."""
        self._style_cache: dict[str, Style] = {}

    def show_rows(self, rows: list[Row], marks: dict[str, str] | None = None,
                  line_count: int | None = None, keep_cursor: bool = True) -> None:
        """Fill the list (rows from `opening.list_rows`); `marks` maps briefing ids to a
        short marker. `line_count`: the whole list's lines when `rows` are only its first
        (the opening), so that the scroll bar is right from the start. The cursor stays on
        its briefing if `keep_cursor` and the briefing is still listed, else goes to the
        first one."""
        current = self.highlighted_briefing_id if keep_cursor else None
        self.marks = dict(marks or {})
        self.rows = rows
        self.starts, line = [], 0
        for row in rows:
            self.starts.append(line)
            line += row.height
        self._row_lines = line
        self.index_of = {row.summary.id: i for i, row in enumerate(rows) if row.summary}
        self.virtual_size = Size(self.size.width, max(line, line_count or 0))
        self._style_cache.clear()
        index = self.index_of.get(current) if current is not None else None
        if index is None:
            self.highlight_first_briefing()
        else:
            self.cursor = index  # kept on its briefing: not a move of the user's
        self.refresh()

    def _styles(self) -> dict[str, Style]:
        return {name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES}

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        width = self.scrollable_content_region.width
        styles = self._cached_styles()
        base = styles["base"]
        index = bisect_right(self.starts, line) - 1
        if not self.rows or index < 0 or line >= self._row_lines:
            return Strip.blank(width, base)
        row = self.rows[index]
        text = self._line_text(row, line - self.starts[index], styles)
        text.truncate(width, overflow="ellipsis", pad=True)
        style = base + styles["briefing-list--cursor"] if index == self.cursor else base
        segments = [Segment(s.text, style + s.style if s.style else style)
                    for s in text.render(self.app.console)]
        return Strip(segments, width).crop(scroll_x, scroll_x + width)

    def _cached_styles(self) -> dict[str, Style]:
        # The widget's and its component styles are looked up once per theme or style
        # change, not per line (each lookup walks the widget's ancestors).
        if not self._style_cache:
            self._style_cache.update(self._styles(), base=self.rich_style)
        return self._style_cache

    def _line_text(self, row: Row, offset: int, styles: dict[str, Style]) -> Text:
        if row.summary is None:
            return Text(safe_text(row.text), style=styles["briefing-list--heading"], end="")
        if offset == 0:
            mark = self.marks.get(row.summary.id, "")
            text = Text(f"{mark:<2}", style=styles["briefing-list--mark"], end="")
            text.append(safe_text(row.text))
            return text
        # Which of the two is unknown must be said: "unknown · unknown" named neither.
        outlet = row.summary.outlet or "outlet unknown"
        published = (display_or_unknown(row.summary.published)
                     if row.summary.published is not None else "date unknown")
        return Text(safe_text(f"  {outlet} · {published}"), style=styles["briefing-list--details"],
                    end="")

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache.clear()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.virtual_size.height)

    # Moving the cursor.

    def watch_cursor(self, old: int, new: int) -> None:
        for index in (old, new):
            if 0 <= index < len(self.rows):
                start = self.starts[index]
                self.refresh(Region(0, start - self.scroll_offset.y, self.size.width,
                                    self.rows[index].height))
        if self.size.height:
            self._scroll_to_cursor()
        else:  # not laid out yet: any row would seem out of sight and be scrolled to the top
            self.call_after_refresh(self._scroll_to_cursor)

    def _scroll_to_cursor(self) -> None:
        if 0 <= self.cursor < len(self.rows):
            self.scroll_to_region(Region(0, self.starts[self.cursor], 1,
                                         self.rows[self.cursor].height),
                                  animate=False, immediate=True, force=True)

    def _move_to(self, index: int, direction: int, by_user: bool = True) -> None:
        self.moved_by_user = by_user
        while 0 <= index < len(self.rows):
            if self.rows[index].summary is not None:
                self.cursor = index
                return
            index += direction

    def action_cursor_down(self) -> None:
        """Next briefing."""
        self._move_to(self.cursor + 1, 1)

    def action_cursor_up(self) -> None:
        """Previous briefing."""
        self._move_to(self.cursor - 1, -1)

    def action_first(self) -> None:
        """First briefing."""
        self._move_to(0, 1)

    def action_last(self) -> None:
        """Last briefing."""
        self._move_to(len(self.rows) - 1, -1)

    def action_page(self, direction: int) -> None:
        """A page down (1) or up (-1)."""
        if not self.rows:
            return
        target = self.starts[max(self.cursor, 0)] + direction * max(1, self.size.height - 1)
        index = bisect_right(self.starts, max(0, target)) - 1
        self._move_to(max(0, min(index, len(self.rows) - 1)), direction)

    def action_select(self) -> None:
        """Open the briefing under the cursor."""
        briefing_id = self.highlighted_briefing_id
        if briefing_id is not None:
            self.post_message(self.Selected(briefing_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)  # inside the list's border
        if offset is None:
            return
        line = offset.y + self.scroll_offset.y
        index = bisect_right(self.starts, line) - 1
        if 0 <= index < len(self.rows) and self.rows[index].summary is not None:
            self.moved_by_user = True
            self.cursor = index
            self.action_select()

    # The API the screen and the app use.

    def step(self, delta: int) -> None:
        """Move to the previous (-1) or next (+1) briefing, skipping headings."""
        self._move_to(self.cursor + delta, delta)

    def highlight_first_briefing(self) -> None:
        """Move the cursor to the first briefing (skipping the story heading)."""
        self.cursor = -1
        self._move_to(0, 1, by_user=False)

    @property
    def highlighted_briefing_id(self) -> str | None:
        """The id of the briefing under the cursor, if any."""
        if 0 <= self.cursor < len(self.rows):
            summary = self.rows[self.cursor].summary
            return summary.id if summary else None
        return None

    def select_briefing(self, briefing_id: str) -> bool:
        """Put the cursor on a briefing by id (a jump the user asked for); False if it is
        not in the list."""
        index = self.index_of.get(briefing_id)
        if index is None:
            return False
        self.moved_by_user = True
        self.cursor = index
        return True

    def set_mark(self, briefing_id: str, mark: str) -> None:
        """Change the new/updated marker of one briefing."""
        if self.marks.get(briefing_id, "") == mark:
            return
        self.marks[briefing_id] = mark
        index = self.index_of.get(briefing_id)
        if index is not None:
            self.refresh(Region(0, self.starts[index] - self.scroll_offset.y, self.size.width, 1))
