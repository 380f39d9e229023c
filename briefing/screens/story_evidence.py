"""The story view's drill-down: the verbatim evidence behind a cell or item, with its outlet.

`Evidence` entries are built from the story view's data (`claim_evidence`,
`response_evidence`, `question_evidence`); `EvidenceScreen` lists them and dismisses with
`(briefing_id, claim_id)` when the reader jumps to one (`claim_id` is None for a response, or
a question with no related claim: open the briefing itself), or None on Escape.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.models import (
    Briefing,
    Claim,
    OpenQuestion,
    Response,
    format_figure,
    record,
)
from briefing.storymodel import Column, is_no_response
from briefing.widgets.hanging import quoted
from briefing.widgets.key_bar import KeyBar
from briefing.widgets.safe import safe_text

JumpTarget = tuple[str, str | None]
"""Where a jump goes: a briefing id and the id of a claim in it (None: the briefing)."""


@record(frozen=True)
class Evidence:
    """One item of evidence: what is claimed or said, by which outlet, and its excerpts."""

    outlet: str
    briefing_id: str
    claim_id: str | None
    heading: str
    detail: str
    excerpts: tuple[str, ...]
    note: str = ""
    """Shown in place of excerpts when there are none (e.g. "no quote given")."""


def claim_evidence(column: Column, claim: Claim) -> Evidence:
    """The evidence of one claim as one outlet reports it."""
    figures = "; ".join(format_figure(f) for f in claim.figures)
    detail = f"{claim.claimant} · {claim.status}" + (f" · {figures}" if figures else "")
    return Evidence(column.name, column.briefing_id, claim.id, claim.text, detail,
                    tuple(claim.evidence))


def response_evidence(column: Column, response: Response) -> Evidence:
    """A party's response as one outlet reports it; its quote is the excerpt."""
    who = ", ".join(x for x in (response.speaker, response.role) if x) or "speaker unknown"
    detail = f"{who} · {response.date or 'date unknown'}"
    if is_no_response(response):
        detail += " · did not respond"
    heading = f"{response.party}: {response.stance}. {response.summary}"
    quotes = (response.quote,) if response.quote else ()
    return Evidence(column.name, column.briefing_id, None, heading, detail, quotes,
                    note="no quote given")


def question_evidence(column: Column, question: OpenQuestion, briefing: Briefing) -> Evidence:
    """An open question, with the excerpts of the claims it relates to."""
    claims = {c.id: c for c in briefing.key_claims}
    related = [claims[i] for i in question.related_claims if i in claims]
    excerpts = tuple(e for claim in related for e in claim.evidence)
    target = related[0].id if related else None
    return Evidence(column.name, column.briefing_id, target, question.text,
                    f"why it matters: {question.why_it_matters}", excerpts,
                    note="no related claim")


def render_evidence(item: Evidence) -> Group:
    """An evidence entry: outlet, heading, detail, then each excerpt quoted (a wrapped
    excerpt's later lines under its first word, see `quoted`)."""
    text = Text()
    text.append(safe_text(item.outlet), style="bold")
    text.append("\n" + safe_text(item.heading))
    text.append("\n" + safe_text(item.detail), style="italic")
    rows: list[RenderableType] = [text]
    rows += [quoted("  ", excerpt) for excerpt in item.excerpts]
    if not item.excerpts and item.note:
        rows.append(Text(f"  ({item.note})", style="italic"))
    return Group(*rows)


class EvidenceScreen(ModalScreen[JumpTarget | None]):
    """A modal list of evidence entries; Enter or `g` jumps to the highlighted one."""

    DEFAULT_CSS = """
    EvidenceScreen {
        align: center middle;
    }
    #evidence-box {
        width: 90%;
        max-width: 120;
        height: 85%;
        border: round $primary;
        background: $surface;
        border-title-color: $primary;
    }
    #evidence-list {
        height: 1fr;
        border: none;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("g", "jump", "Go to claim"),
    ]

    def __init__(self, title: str, entries: list[Evidence]) -> None:
        super().__init__()
        self.title_text = title
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="evidence-box") as box:
            box.border_title = Text(safe_text(self.title_text))
            box.border_subtitle = "Enter/g: go to claim · Escape: close"
            if not self.entries:
                yield Static(Text("No evidence: no outlet reports this."))
            options: list[Option | None] = []
            for i, entry in enumerate(self.entries):
                if i:
                    options.append(None)
                options.append(Option(render_evidence(entry), id=f"e{i}"))
            yield OptionList(*options, id="evidence-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_close(self) -> None:
        """Close without jumping."""
        self.dismiss(None)

    def action_jump(self) -> None:
        """Jump to the highlighted entry's claim (or briefing)."""
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None:
            return
        option_id = option_list.get_option_at_index(index).id
        if option_id is None:
            return
        entry = self.entries[int(option_id[1:])]
        self.dismiss((entry.briefing_id, entry.claim_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()
