"""The refresh bar: runs a feed refresh in a worker and shows its progress.

It joins the screen when the first refresh starts, and hides between refreshes. The
refresh is an async worker on the app's event loop (the HTTP client is async), so the
reader stays usable; Escape cancels it, and a second request while one runs is refused
rather than starting another.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.worker import Worker, WorkerState

from briefing.messages import RefreshFinished

if TYPE_CHECKING:
    from textual.widgets import Label, ProgressBar

    from briefing.feed.client import RefreshOptions, RefreshResult


class RefreshBar(Horizontal):
    """Progress of the running refresh: documents done out of total."""

    DEFAULT_CSS = """
    RefreshBar {
        display: none;
        dock: bottom;
        margin-bottom: 1;  /* above the key bar */
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    RefreshBar.-running { display: block; }
    RefreshBar Label { width: auto; margin-right: 2; }
    RefreshBar ProgressBar { width: 1fr; }
    /* The bar takes what the label leaves, however wide the terminal. */
    RefreshBar ProgressBar Bar { width: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="refresh-bar")
        self._worker: Worker | None = None

    def compose(self) -> ComposeResult:
        from textual.widgets import Label, ProgressBar

        # No percentage: the label's "2 of 3 documents" says more, and at 80 columns a
        # percentage after the bar was cut ("6" for 67%).
        yield Label("Refreshing…", id="refresh-label")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False,
                          id="refresh-progress")

    def _parts(self) -> tuple[Label, ProgressBar]:
        from textual.widgets import Label, ProgressBar

        return self.query_one(Label), self.query_one(ProgressBar)

    @property
    def running(self) -> bool:
        """True while a refresh is in progress."""
        return self._worker is not None and self._worker.state in (
            WorkerState.PENDING, WorkerState.RUNNING)

    def start(self, feed_url: str, options: RefreshOptions | None = None,
              shown: Mapping[str, Path] | None = None) -> bool:
        """Start refreshing from `feed_url`; False if a refresh is already running.
        `shown`: the file of each document on screen (see `feed.client.refresh`)."""
        if self.running:
            return False
        self.add_class("-running")
        label, progress_bar = self._parts()
        progress_bar.update(total=None, progress=0)
        label.update("Refreshing: fetching the index…")
        self._worker = self._refresh(feed_url, options, shown)
        return True

    def cancel(self) -> bool:
        """Cancel the running refresh; False if none is running."""
        if not self.running or self._worker is None:
            return False
        self._worker.cancel()
        return True

    def _progress(self, done: int, total: int) -> None:
        label, progress_bar = self._parts()
        progress_bar.update(total=max(total, 1), progress=done)
        label.update(f"Refreshing: {done} of {total} documents  (Esc cancels)")

    @work(exclusive=True, group="refresh")
    async def _refresh(self, feed_url: str, options: RefreshOptions | None,
                       shown: Mapping[str, Path] | None) -> None:
        from briefing.feed.client import refresh

        result: RefreshResult | None = None
        try:
            result = await refresh(feed_url, progress=self._progress, options=options,
                                   shown=shown)
        finally:
            # Runs on cancellation too, so the bar never stays up after Escape.
            self.remove_class("-running")
            self.post_message(RefreshFinished(result, feed_url))
