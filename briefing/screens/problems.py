"""The problems view: every problem found while loading or refreshing, one per line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.widgets.key_bar import KeyBar
from briefing.widgets.safe import safe_text


class ProblemsScreen(ModalScreen[None]):
    """A modal list of problems as `FILE:LINE:COLUMN: message`."""

    CSS_PATH = Path(__file__).parent / "dialogs.tcss"

    BINDINGS = [Binding("escape,q,p", "dismiss", "Close"),
                Binding("question_mark", "app.help", "Help", key_display="?")]

    def __init__(self, problems: Sequence[object]) -> None:
        super().__init__()
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        if self.problems:
            options = [Option(Text(safe_text(str(p)))) for p in self.problems]
        else:
            options = [Option(Text("No problems: every file loaded cleanly."), disabled=True)]
        # The options go to the constructor, which highlights the first enabled one. A list
        # filled after it is built has nothing highlighted: the keys then start from nowhere
        # (Down goes to the first, PageDown jumps to the last).
        problem_list = OptionList(*options, id="problem-list", markup=False)
        problem_list.border_title = f"Problems ({len(self.problems)})"
        problem_list.border_subtitle = "Escape to close"
        yield problem_list
        yield KeyBar()  # its own keys: the main screen's bar below would offer q Quit
