"""The problems view: every problem found while loading or refreshing, one per line."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.widgets.safe import safe_text


class ProblemsScreen(ModalScreen[None]):
    """A modal list of problems as `FILE:LINE:COLUMN: message`."""

    BINDINGS = [Binding("escape,q,p", "dismiss", "Close")]

    def __init__(self, problems: Sequence[object]) -> None:
        super().__init__()
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        problem_list = OptionList(id="problem-list", markup=False)
        count = len(self.problems)
        problem_list.border_title = f"Problems ({count})"
        problem_list.border_subtitle = "Escape to close"
        if self.problems:
            problem_list.add_options(Option(Text(safe_text(str(p)))) for p in self.problems)
        else:
            problem_list.add_option(Option(Text("No problems: every file loaded cleanly."),
                                           disabled=True))
        yield problem_list
