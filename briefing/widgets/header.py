"""The selected briefing's header: its title, then where it comes from.

The header has a fixed height (a new briefing then redraws it without a layout of the
screen), so a long title must not push the outlet, byline and date out of it: the title
gets the lines the rest leaves, and is cut with an ellipsis if it needs more.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text

from briefing.models import Briefing, display_or_unknown
from briefing.widgets.safe import plain

HEADER_LINES = 4
"""The header's height in lines (`#briefing-header` in app.tcss)."""


class BriefingHeader:
    """Title, source line and URL, fitted into `height` lines: the source line is kept
    whole while it fits in the lines below the title's first (in a very narrow pane its
    end is cut), the URL takes one line if there is room, and the title the lines left (at
    least one)."""

    def __init__(self, title: Text, source: Text, url: Text | None,
                 height: int = HEADER_LINES) -> None:
        self.title, self.source, self.url, self.height = title, source, url, height

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        source = list(self.source.wrap(console, width))
        url = []
        if self.url is not None:
            url = [self.url.copy()]
            url[0].truncate(width, overflow="ellipsis")
        room = self.height - len(source) - len(url)
        if room < 1:  # the URL gives way to the title first
            room, url = self.height - len(source), []
        title = list(self.title.wrap(console, width))
        if len(title) > max(room, 1):
            title = title[:max(room, 1)]
            last = title[-1]
            last.rstrip()
            last.truncate(width - 1)
            last.append("…")
        for number, line in enumerate([*title, *source, *url][:self.height]):
            if number:
                yield Segment.line()
            yield from line.render(console)


def briefing_header(briefing: Briefing) -> BriefingHeader:
    """The header of `briefing` (every piece made safe: see `safe.plain`)."""
    source = Text()
    fields = (("Outlet", briefing.outlet), ("By", briefing.byline),
              ("Published", briefing.published))
    for index, (label, value) in enumerate(fields):
        if index:
            source.append("  ·  ", style="dim")
        source.append(f"{label}: ", style="dim")
        source.append_text(plain(display_or_unknown(value),
                                 "italic dim" if value is None else ""))
    url = plain(briefing.url, "dim underline") if briefing.url else None
    return BriefingHeader(plain(briefing.title, "bold"), source, url)
