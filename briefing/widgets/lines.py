"""A base for line-drawn scroll views whose content changes without a layout of the screen.

Textual lays out the whole screen when a widget's scrollable size changes the usual way
(`virtual_size` is a layout reactive) or when its scrollbar comes or goes. A `LineView`
sets its scrollable height itself, so new content costs a repaint of the widget only. Its
vertical scrollbar is laid out from the first content that does not fit, and then stays
(with its track hidden, the `-fits` class, while everything fits): one layout of the screen,
once. Until then there is none (the `-unscrolled` class): the widget that draws it cost
every first frame with a text that fits ~5 ms of styling, layout and drawing.

It is a mixin, not a widget class of its own: Textual's set-up of each widget class (its
reactives, bindings and CSS bases, walked through every base) cost the reader's start
~2 M instructions per class. A line view is a `ScrollView` subclass with `LineView` first
among its bases and `line_view_css` of its name in its `DEFAULT_CSS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.scroll_view import ScrollView

# Type checkers see the mixin as the widget it joins.
_Base = ScrollView if TYPE_CHECKING else object


_LINE_VIEW_RULES = """
LineView {
    overflow-x: hidden;
    overflow-y: scroll;
    scrollbar-size-vertical: 1;
}
LineView.-fits {
    scrollbar-background: transparent;
    scrollbar-background-hover: transparent;
    scrollbar-background-active: transparent;
}
LineView.-unscrolled {
    overflow-y: hidden;
}
"""


def line_view_css(type_name: str) -> str:
    """The rules every line view needs, for its widget class named `type_name` (a
    widget's `DEFAULT_CSS` is scoped to its class, so the rules name it)."""
    return _LINE_VIEW_RULES.replace("LineView", type_name)


class LineView(_Base):
    """A `ScrollView` (Line API) that changes its line count without a layout: a mixin,
    to be named before `ScrollView` among a widget class's bases."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        # Empty, it fits: with the classes from the start, a view whose first text fits is
        # not restyled on its first frame.
        super().__init__(id=id, classes=f"-fits -unscrolled {classes or ''}".strip())

    def set_line_count(self, count: int) -> None:
        """Make `count` lines the scrollable height."""
        size = Size(self.scrollable_content_region.width, count)
        if size != self.virtual_size:
            # Not `self.virtual_size = size`, which asks for a layout of the whole screen:
            # a scrollbar already laid out only needs the new extent.
            self.set_reactive(ScrollView.virtual_size, size)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.window_virtual_size = count
            self.scroll_y = self.validate_scroll_y(self.scroll_y)
        self._update_fits()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # Textual's ScrollView takes every layout of the screen (another widget's, such as
        # an Input's on each character) as a resize, since it compares its parent's size
        # with its own: it repaints its scrollbar after the frame, in a frame of its own
        # (17-33 ms later), and sends a Resize. Nothing changes while the size stays.
        # The scrollbar that comes when `-unscrolled` goes does change things.
        if (size == self.size and self.container_size
                and self.show_vertical_scrollbar == (self.styles.overflow_y == "scroll")):
            return False
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _update_fits(self) -> None:
        fits = self.virtual_size.height <= self.scrollable_content_region.height
        self.set_class(fits, "-fits")
        if not fits:
            self.remove_class("-unscrolled")

    def on_resize(self) -> None:
        self._update_fits()
