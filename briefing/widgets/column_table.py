"""A data table that scrolls sideways by whole columns.

Textual's table scrolls just far enough to show the cursor's cell, which leaves the column
at the left edge cut ("nown 1" for "unknown 1"): when outlets sit side by side, a cut name
or a cut first word is a misreading waiting to happen. This table moves its view so that
the leftmost column after the fixed ones starts whole (the story view sizes its columns
so that the view holds whole columns).
"""

from __future__ import annotations

from textual.widgets import DataTable


class ColumnTable(DataTable):
    """A `DataTable` (cell cursor) whose sideways scrolling stops at column starts."""

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        # Not animated: an animation would go on after the view is set below, and win.
        super()._scroll_cursor_into_view(animate=False)
        column = self.cursor_column
        if self.cursor_type != "cell" or column < self.fixed_columns:
            return
        widths = [c.get_render_width(self) for c in self.ordered_columns]
        if column >= len(widths):
            return
        fixed = sum(widths[:self.fixed_columns])
        # Where the view would start for each column to be the first one after the fixed.
        starts = [sum(widths[:index]) - fixed for index in range(self.fixed_columns,
                                                                   len(widths))]
        left = starts[column - self.fixed_columns]
        right = left + widths[column]
        visible = self.scrollable_content_region.width - fixed
        x = round(self.scroll_x)
        if left < x or right - left >= visible:
            target = left
        elif right > x + visible:
            # The table may end before that start (its width is not whole columns of
            # the view): then the cursor's column, whole, comes first.
            target = min(next(start for start in starts if start >= right - visible),
                         round(self.max_scroll_x))
        elif x in starts:
            return
        else:  # a view left between columns (a resize, the mouse): align it if the
            aligned = max(start for start in starts if start <= x)  # cursor stays in it
            target = aligned if right <= aligned + visible else x
        self.scroll_to(x=target, animate=False, force=True, immediate=True)
