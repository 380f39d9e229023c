"""The story view: the outlets of one story side by side, claim by claim, flags and all.

`StoryScreen(library, story_id)` shows the five parts of `briefing.storymodel.StoryView`
in tabs (keys 1-5): the claims-by-topic matrix and the responses-by-party table
(`DataTable`s, first column fixed), the merged open questions, the "only here" claims and
the timeline (`OptionList`s). Enter opens the evidence behind a cell or item
(`EvidenceScreen`); jumping from there dismisses this screen with `(briefing_id, claim_id)`;
Enter on a timeline event dismisses it with the first briefing that reports the event, to
read it there; Escape dismisses with None.
Every piece of content is put in a `rich.text.Text` after `safe_text`, never read as markup.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from briefing.loader import Library
from briefing.models import Claim, Response, format_figure
from briefing.screens.story_evidence import (
    Evidence,
    EvidenceScreen,
    JumpTarget,
    claim_evidence,
    question_evidence,
    response_evidence,
)
from briefing.storymodel import (
    Column,
    StoryView,
    TopicRow,
    build_story_view,
    is_no_response,
    unknown_outlets_legend,
)
from briefing.widgets.column_table import ColumnTable
from briefing.widgets.key_bar import KeyBar
from briefing.widgets.safe import safe_text

FLAG = "⚑"
_FOCUS = {"claims": "#matrix", "responses": "#responses-table",
          "questions": "#questions-list", "only-here": "#only-here-list",
          "timeline": "#timeline-list"}
"""The parts (tab ids), each with the widget that takes its keys."""
MIN_COLUMN = 14
"""Narrowest outlet column; narrower terminals scroll sideways."""
NARROW_CLAIMS = 2
"""Claims shown per cell in narrow columns."""
WIDE_COLUMN = 30
"""From this column width on, outlets are shown by their full names."""
_FLAG_WORDS = {"figures-conflict": "figures conflict", "figures-differ": "figures differ",
               "status": "denied vs asserted"}


def _plain(value: str, style: str = "") -> Text:
    return Text(safe_text(value), style=style)


def _clip(value: str, limit: int) -> str:
    value = safe_text(value)
    return value if len(value) <= limit else value[: max(1, limit - 1)].rstrip() + "…"


class StoryScreen(Screen[JumpTarget | None]):
    """The story view; see the module docstring."""

    CSS_PATH = "story.tcss"
    COMPONENT_CLASSES = {"story--flag", "story--contested"}
    BINDINGS = [
        # q closes it, as it closes help and the problems view: quitting the whole
        # reader from a view over it lost the reader's place.
        Binding("escape,q", "close", "Close"),
        Binding("1", "part('claims')", "Claims"),
        Binding("2", "part('responses')", "Responses"),
        Binding("3", "part('questions')", "Questions"),
        Binding("4", "part('only-here')", "Only here"),
        Binding("5", "part('timeline')", "Timeline"),
    ]

    def __init__(self, library: Library, story_id: str) -> None:
        super().__init__()
        self.library = library
        """What the view was built from (an export of it says the same)."""
        self.view: StoryView = build_story_view(library, story_id)
        self._built_width = 0

    def compose(self) -> ComposeResult:
        view = self.view
        flags = sum(1 for row in view.topics if row.flagged)
        outlets = len(view.columns)
        header = _plain(view.title, "bold")
        header.append(f"  {outlets} outlet{'s' * (outlets != 1)} · {flags} flagged "
                      f"topic{'s' * (flags != 1)}", style="italic")
        legend = unknown_outlets_legend(view.columns)
        if legend:
            header.append(f" · {legend}", style="italic")
        yield Static(header, id="story-header")
        with TabbedContent(initial="claims", id="story-parts"):
            with TabPane("1 Claims by topic", id="claims"):
                yield ColumnTable(id="matrix", zebra_stripes=True, fixed_columns=1)
                yield Static(id="row-reason")
            with TabPane("2 Responses", id="responses"):
                yield ColumnTable(id="responses-table", zebra_stripes=True,
                                  fixed_columns=1)
            with TabPane("3 Open questions", id="questions"):
                yield OptionList(*self._question_options(), id="questions-list")
            with TabPane("4 Only here", id="only-here"):
                yield OptionList(*self._only_here_options(), id="only-here-list")
            with TabPane("5 Timeline", id="timeline"):
                yield OptionList(*self._timeline_options(), id="timeline-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self._build_tables()
        self.query_one("#matrix", DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._built_width:
            self._build_tables()

    # Layout of the two tables, recomputed when the width changes.

    def _widths(self) -> tuple[int, int]:
        width = self.size.width or 80
        first = 16 if width < 120 else 24
        count = max(1, len(self.view.columns))
        # Each column carries 2 cells of padding; leave room for the vertical scrollbar.
        visible = width - 2 - (first + 2)
        column = visible // count - 2
        if column < MIN_COLUMN:
            # Not all fit: as many whole columns as fit fill the view exactly, so that
            # scrolling by whole columns (see `ColumnTable`) never cuts one.
            fits = max(1, visible // (MIN_COLUMN + 2))
            column = visible // fits - 2
        return first, column

    def _headers(self, column_width: int) -> list[Text]:
        wide = column_width >= WIDE_COLUMN
        headers = []
        for column in self.view.columns:
            name = column.name if wide else column.label
            headers.append(_plain(_clip(name, column_width), "italic" if column.unknown_outlet
                                  else ""))
        return headers

    def _build_tables(self) -> None:
        first, width = self._widths()
        self._built_width = self.size.width
        matrix = self.query_one("#matrix", DataTable)
        cursor = matrix.cursor_coordinate
        matrix.clear(columns=True)
        matrix.add_column(Text("Topic"), width=first, key="topic")
        for column, header in zip(self.view.columns, self._headers(width), strict=True):
            matrix.add_column(header, width=width, key=column.briefing_id)
        for row in self.view.topics:
            matrix.add_row(self._topic_cell(row), *(self._claims_cell(cell, width)
                                                    for cell in row.cells),
                           height=None, key=row.topic.key)
        responses = self.query_one("#responses-table", DataTable)
        responses.clear(columns=True)
        responses.add_column(Text("Party"), width=first, key="party")
        for column, header in zip(self.view.columns, self._headers(width), strict=True):
            responses.add_column(header, width=width, key=column.briefing_id)
        for index, party in enumerate(self.view.responses):
            responses.add_row(_plain(party.party, "bold"),
                              *(self._responses_cell(cell) for cell in party.cells),
                              height=None, key=str(index))
        if self.view.topics:
            matrix.move_cursor(row=min(cursor.row, matrix.row_count - 1),
                               column=min(cursor.column, len(self.view.columns)))
        self._show_reason(matrix.cursor_coordinate.row)

    def _topic_cell(self, row: TopicRow) -> Text:
        flag_style = self.get_component_rich_style("story--flag")
        text = Text()
        if row.flagged:
            text.append(f"{FLAG} ", style=flag_style)
        text.append(safe_text(row.topic.key), style="bold" if row.flagged else "")
        for flag in row.flags:
            text.append(f"\n{FLAG} {_FLAG_WORDS[flag.kind]}", style=flag_style + Style(italic=True))
        return text

    def _claims_cell(self, claims: list[Claim], width: int) -> Text:
        if not claims:
            return Text("not covered", style="dim italic")
        # Narrow columns show the first claims only; the drill-down has them all.
        shown = claims if width >= WIDE_COLUMN else claims[:NARROW_CLAIMS]
        text = Text()
        for i, claim in enumerate(shown):
            if i:
                text.append("\n")
            contested = claim.status in ("denied", "disputed")
            lines = 2 if width < WIDE_COLUMN else 3
            marker_style = self.get_component_rich_style("story--contested") if contested else ""
            text.append("✗ " if contested else "• ", style=marker_style)
            text.append(_clip(claim.text, lines * width - 4))
            if claim.status not in ("asserted", "corroborated"):
                text.append(f" ({claim.status})", style="italic")
            for figure in claim.figures:
                text.append("\n  [" + safe_text(format_figure(figure)) + "]", style="bold")
        if len(shown) < len(claims):
            text.append(f"\n+{len(claims) - len(shown)} more (Enter)", style="italic")
        return text

    @staticmethod
    def _responses_cell(responses: list[Response]) -> Text:
        if not responses:
            return Text("not reported", style="dim italic")
        text = Text()
        for i, response in enumerate(responses):
            if i:
                text.append("\n")
            if is_no_response(response):
                text.append("∅ no response", style="bold")
                text.append("\n  " + safe_text(response.stance))
            else:
                text.append(safe_text(response.stance), style="bold")
            # Said outright, as the main view says it: a blank reads as "not reported".
            who = response.speaker or response.role
            text.append("\n  " + (safe_text(who) if who else "speaker unknown"),
                        style="" if who else "dim italic")
            date = response.date.isoformat() if response.date else "date unknown"
            text.append("\n  " + date, style="italic" if response.date else "dim italic")
        return text

    def _show_reason(self, row_index: int) -> None:
        reason = self.query_one("#row-reason", Static)
        if not self.view.topics:
            reason.update(Text("No briefings in this story."))
            return
        row = self.view.topics[max(0, min(row_index, len(self.view.topics) - 1))]
        text = _plain(f"{row.topic.key}: {row.topic.description}", "bold")
        for flag in row.flags:
            text.append(f"\n{FLAG} " + safe_text(flag.reason))
        if not row.flags:
            text.append("\nNo disagreement found between outlets.", style="italic")
        reason.update(text)

    # The two lists.

    def _question_options(self) -> list[Option | None]:
        options: list[Option | None] = []
        for index, merged in enumerate(self.view.questions):
            if index:
                options.append(None)
            topic = merged.topic.key if merged.topic else "no topic"
            text = _plain(topic, "bold")
            text.append("  raised by " + ", ".join(safe_text(c.label) for c in merged.raised_by))
            for column, question in merged.items:
                text.append("\n• " + safe_text(question.text) + " ")
                text.append(f"({safe_text(column.label)})", style="italic")
            options.append(Option(text, id=f"q{index}"))
        return options

    def _only_here_options(self) -> list[Option | None]:
        options: list[Option | None] = []
        for group, (column, claims) in enumerate(self.view.only_here):
            options.append(Option(_plain(f"{column.name} ({len(claims)})", "bold underline"),
                                  disabled=True))
            for index, claim in enumerate(claims):
                text = _plain(f"[{claim.topic}] ", "italic")
                text.append(safe_text(claim.text))
                options.append(Option(text, id=f"o{group}-{index}"))
        if not options:  # a blank tab reads as a fault
            options.append(Option(Text("No claim is on a topic that only one outlet "
                                       "covers.", style="italic"), disabled=True))
        return options

    def _timeline_options(self) -> list[Option | None]:
        options: list[Option | None] = []
        for index, row in enumerate(self.view.timeline):
            if index:
                options.append(None)
            text = _plain(row.when, "bold")
            text.append("\n" + safe_text(row.event))
            reporters = ", ".join(safe_text(column.label) for column in row.reporters)
            text.append(f"\nreported by {reporters or 'no briefing of this story'}",
                        style="italic")
            options.append(Option(text, id=f"t{index}"))
        if not options:
            options.append(Option(Text("The story file gives no timeline.", style="italic"),
                                  disabled=True))
        return options

    # Actions and drill-down.

    def action_close(self) -> None:
        """Close the story view without jumping."""
        self.dismiss(None)

    def action_part(self, part: str) -> None:
        """Show one part (a key of `_FOCUS`) and focus it."""
        self.query_one(TabbedContent).active = part
        self.query_one(_FOCUS[part]).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.query_one(_FOCUS[event.pane.id or "claims"]).focus()

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if event.data_table.id == "matrix":
            self._show_reason(event.coordinate.row)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        row, col = event.coordinate.row, event.coordinate.column
        columns = self.view.columns
        if event.data_table.id == "matrix":
            topic = self.view.topics[row]
            cells = [(c, topic.cells[c.index]) for c in columns]
            if col > 0 and topic.cells[col - 1]:
                cells = [(columns[col - 1], topic.cells[col - 1])]
            entries = [claim_evidence(c, claim) for c, claims in cells for claim in claims]
            self._drill(f"{topic.topic.key}: {topic.topic.description}", entries)
        else:
            party = self.view.responses[row]
            cells = [(c, party.cells[c.index]) for c in columns]
            if col > 0 and party.cells[col - 1]:
                cells = [(columns[col - 1], party.cells[col - 1])]
            entries = [response_evidence(c, r) for c, responses in cells for r in responses]
            self._drill(f"Responses of {party.party}", entries)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("q"):
            merged = self.view.questions[int(option_id[1:])]
            entries = [question_evidence(c, q, self.view.briefings[c.index])
                       for c, q in merged.items]
            topic = merged.topic.key if merged.topic else "no topic"
            self._drill(f"Open questions on {topic}", entries)
        elif option_id.startswith("o"):
            group, index = (int(x) for x in option_id[1:].split("-"))
            column, claims = self.view.only_here[group]
            self._drill(f"Only in {column.name}", [claim_evidence(column, claims[index])])
        elif option_id.startswith("t"):
            reporters = self.view.timeline[int(option_id[1:])].reporters
            if reporters:
                self.dismiss((reporters[0].briefing_id, None))

    def _drill(self, title: str, entries: list[Evidence]) -> None:
        def jumped(target: JumpTarget | None) -> None:
            if target is not None:
                self.dismiss(target)

        self.app.push_screen(EvidenceScreen(title, entries), callback=jumped)

    @property
    def columns(self) -> list[Column]:
        """The outlets shown, one per briefing of the story."""
        return self.view.columns
