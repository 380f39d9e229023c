"""Thin entry point: `python app.py` does what the `briefing` command does."""

import sys

from briefing.cli import main

if __name__ == "__main__":
    sys.exit(main())
