"""Text that hangs beside a prefix: a badge, a field's label, an opening quotation mark.

The prefix comes first and the text is wrapped in the width left, its later lines indented
to line up under its first, so that a reader's eye finds where each item, field or excerpt
starts.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from briefing.widgets.safe import plain

MIN_HANGING_WIDTH = 12
"""Below this many cells beside the prefix, the text starts on a line of its own."""


class Hanging:
    """`prefix`, then `text` wrapped in the width left, its later lines indented to line
    up: what a three-column grid drew, at a fraction of the cost (the option list renders
    every item to learn its height, and a grid took ~1 ms an item)."""

    def __init__(self, prefix: Text, text: Text) -> None:
        self.prefix = prefix
        self.text = text
        self._rendered: tuple[tuple[object, ...], list[Segment]] | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # The option list renders each item twice with the same options (for its height,
        # then its lines): the second time costs nothing.
        layout = (options.max_width, options.justify, options.overflow, options.no_wrap)
        if self._rendered is None or self._rendered[0] != layout:
            text = self._lay_out(console, options.max_width)
            self._rendered = layout, list(console.render(text, options))
        yield from self._rendered[1]

    def _lay_out(self, console: Console, max_width: int) -> Text:
        indent = self.prefix.cell_len
        # One cell is kept free on the right, as the grid's padding did.
        width = max_width - indent - 1
        if width < MIN_HANGING_WIDTH:  # too narrow to hang: the text goes on below
            if not self.prefix:
                return self.text
            return Text.assemble(self.prefix, "\n", self.text)
        lines = self.text.wrap(console, width, overflow="fold")
        joined = Text(no_wrap=True, overflow="crop")
        for number, line in enumerate(lines):
            if number:
                joined.append("\n" + " " * indent)
            else:
                joined.append_text(self.prefix)
            line.rstrip()
            joined.append_text(line)
        return joined

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self.prefix.cell_len
        return Measurement(indent + 2, indent + 1 + self.text.cell_len)


def quoted(indent: str, excerpt: str) -> Hanging:
    """A verbatim excerpt in quotation marks, its later lines under its first word (not
    under the opening mark, where a line starting with a quotation of its own would read
    as the start of another excerpt)."""
    text = plain(excerpt, "italic")
    text.append("”")
    return Hanging(Text(f"{indent}“"), text)
