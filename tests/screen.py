"""Read what the terminal shows, as plain text lines, from a running test app."""

from __future__ import annotations

from textual.app import App


def screen_lines(app: App) -> list[str]:
    """The visible screen (including the active modal) as lines of text."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app: App) -> str:
    """The visible screen as one string, lines joined by newlines."""
    return "\n".join(screen_lines(app))
