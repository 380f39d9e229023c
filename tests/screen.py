"""Helpers for tests that drive the app: wait for its work, read what the terminal shows."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot


def screen_lines(app: App) -> list[str]:
    """The visible screen (including the active modal) as lines of text."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app: App) -> str:
    """The visible screen as one string, lines joined by newlines."""
    return "\n".join(screen_lines(app))


async def loaded(pilot: Pilot, rounds: int = 1) -> None:
    """Wait until the app's workers are done and what they posted is on screen; `rounds`
    repeats that for work that starts more work (a refresh, then a reload)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
