"""`python -m briefing` does what the `briefing` command does."""

import sys

from briefing.cli import main

sys.exit(main())
