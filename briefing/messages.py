"""Messages that workers send the app when their work is done.

Kept apart from the widgets that start the work, so that the app can handle them without
importing those widgets before its first frame (the refresh bar joins the screen only on
the first refresh).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from briefing.feed.client import RefreshResult


class FileSaved(Message):
    """A worker wrote a file (an export, a screenshot) or failed to; `what` is the title
    of the notice that says so."""

    def __init__(self, path: Path, error: str | None = None, what: str = "Exported") -> None:
        super().__init__()
        self.path = path
        self.error = error
        self.what = what


class RefreshFinished(Message):
    """A refresh ended: with a result, or cancelled (result None)."""

    def __init__(self, result: RefreshResult | None, feed_url: str) -> None:
        super().__init__()
        self.result = result
        self.feed_url = feed_url
