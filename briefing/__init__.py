"""briefing: a terminal reader of structured news briefings."""

__version__ = "0.1.0"
