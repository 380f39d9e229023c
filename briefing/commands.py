"""Command palette (Ctrl+P): jump to any briefing by title, open the reader's views.

Titles come from content, so matches are highlighted on plain `Content` built here rather
than with `Matcher.highlight`, which would read a title as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from briefing.models import display_or_unknown
from briefing.widgets.safe import safe_text

if TYPE_CHECKING:
    from briefing.app import BriefingApp


def highlighted(provider: Provider, query: str, candidate: str) -> tuple[float, Content]:
    """Fuzzy score and a plain-text display with the matched letters styled."""
    matcher = provider.matcher(query)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    content = Content(candidate)
    for offset in offsets:
        content = content.stylize("bold underline", offset, offset + 1)
    return score, content


class BriefingCommands(Provider):
    """Open any loaded briefing by its title or outlet."""

    def _entries(self) -> list[tuple[str, str, Callable[[], None]]]:
        app: BriefingApp = self.app  # type: ignore[assignment]
        entries = []
        for briefing in app.library.briefings.summaries.values():
            title = safe_text(f"Open: {briefing.title}")
            help_text = escape(safe_text(f"{display_or_unknown(briefing.outlet)} · "
                                         f"{display_or_unknown(briefing.published)}"))
            entries.append((title, help_text, partial(app.open_briefing, briefing.id)))
        return entries

    async def discover(self) -> Hits:
        for title, help_text, command in self._entries():
            yield DiscoveryHit(Content(title), command, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        for title, help_text, command in self._entries():
            score, display = highlighted(self, query, title)
            if score > 0:
                yield Hit(score, display, command, text=title, help=help_text)


class ViewCommands(Provider):
    """The reader's views and actions, by name."""

    def _entries(self) -> list[tuple[str, str, str]]:
        return [
            ("Story view", "The outlets side by side, claim by claim (key s)", "story_view"),
            ("Search", "Search the text of every briefing (key /)", "search"),
            ("Refresh", "Fetch what is new or changed from the feed (key r)", "refresh_feed"),
            ("Export", "Save the briefing on show as Markdown where downloads go (key e)",
             "export"),
            ("Copy", "Copy the highlighted claim, response or question, with who said it "
                     "(key c)", "copy"),
            ("Problems", "Problems found in the content, settings and refreshes (key p)",
             "problems"),
            ("Help: keys", "Every key of the reader, screen by screen (key ?)", "help"),
        ]

    async def discover(self) -> Hits:
        for name, help_text, action in self._entries():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        for name, help_text, action in self._entries():
            score, display = highlighted(self, query, name)
            if score > 0:
                yield Hit(score, display, partial(self.app.run_action, action), text=name,
                          help=help_text)
