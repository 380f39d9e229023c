"""The data of the story view: the outlets of one story side by side, computed from content.

`build_story_view(library, story_id)` returns a `StoryView` with one `Column` per briefing of
the story (oldest first) and five parts. A column has a short label for narrow terminals:
the outlet abbreviated ("NY Sun", numbered when two clash), or, when the article names no
outlet, "unknown 1", "unknown 2"... in column order: a placeholder that reads as neither an
outlet nor a person, unlike words of the title ("Zelenskyy puts..." must not make a
"disputed in Zelenskyy").

1. `topics`: one `TopicRow` per topic (the story's topic order, then any other topic a claim
   uses), with each column's claims on it. A row is flagged (`Flag`) when
   - figures of two outlets that count the same thing (the same `quantity`, or alike `counts`
     when a figure has no quantity) conflict (their ranges do not overlap),
     or differ with compatible ranges ("at least 155" and "more than 150"): see
     `briefing.figures`. Between two outlets each figure is paired with at most one figure of
     the other, the most alike (ties go to the pairing that agrees), so "six fighters met" is
     not set against "two captured" when the other outlet also says two were captured;
   - one outlet asserts or corroborates a claim on the topic while another reports a claim on
     it as denied or disputed.
2. `responses`: one `ResponseRow` per party (first-seen order, parties matched ignoring case),
   with each column's responses; `Response`s whose stance says the party did not answer
   ("no comment", "declined to comment", "no response", ...) are marked by `is_no_response`.
3. `questions`: open questions merged by topic (a question without a topic takes the topic of
   its related claims), each `MergedQuestion` listing the columns that raise it.
4. `only_here`: per column, the claims on topics that no other outlet covers.
5. `timeline`: the story file's dated events in its order, each with the columns that
   report it (`TimelineRow`).

No Textual imports: the screen only lays this out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import field
from typing import Literal

from briefing.figures import Relation, compare
from briefing.loader import Library
from briefing.models import (
    Briefing,
    Claim,
    Figure,
    OpenQuestion,
    Response,
    Story,
    Topic,
    format_figure,
    record,
)

LABEL_WIDTH = 10
"""Longest short label of an outlet, so that columns fit an 80-column terminal."""

_NO_RESPONSE_MARKERS = ("no comment", "declined", "declines", "no response", "did not respond",
                        "not respond", "no reply", "did not reply", "not reply", "silent",
                        "refused to comment", "unavailable")
_ASSERTING = frozenset({"asserted", "corroborated"})
_DOUBTING = frozenset({"denied", "disputed"})


@record(frozen=True)
class Column:
    """One briefing of the story, shown as a column."""

    index: int
    briefing_id: str
    name: str
    """The outlet in full, or "Unknown outlet <n> (<title>)" when the article does not name it."""
    label: str
    """A short, unique label for narrow terminals ("NY Sun", "RFE/RL"); for an unknown outlet
    "unknown <n>" (see `unknown_outlet_label`)."""
    unknown_outlet: bool


@record(frozen=True)
class Flag:
    """Why a topic row is flagged."""

    kind: Literal["figures-conflict", "figures-differ", "status"]
    reason: str


@record
class TopicRow:
    """One topic, with each column's claims on it (an empty list: not covered)."""

    topic: Topic
    cells: list[list[Claim]]
    flags: list[Flag] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """Whether the outlets disagree on this topic."""
        return bool(self.flags)


@record
class ResponseRow:
    """One party, with each column's reports of its responses (empty: not reported)."""

    party: str
    cells: list[list[Response]]


@record
class MergedQuestion:
    """The open questions of every outlet on one topic (`topic` None: no topic given)."""

    topic: Topic | None
    items: list[tuple[Column, OpenQuestion]]

    @property
    def raised_by(self) -> list[Column]:
        """The columns that raise a question on this topic, in column order, once each."""
        seen: dict[int, Column] = {}
        for column, _ in self.items:
            seen.setdefault(column.index, column)
        return [seen[i] for i in sorted(seen)]


@record
class TimelineRow:
    """A dated event of the story, as its story file gives it, with who reports it."""

    when: str
    """As `TimelineEntry.placed` gives it."""
    event: str
    reporters: list[Column]
    """The briefings of the story that report it, in the order the story names them."""


@record
class StoryView:
    """Everything the story view shows."""

    story_id: str
    title: str
    columns: list[Column]
    briefings: list[Briefing]
    topics: list[TopicRow]
    responses: list[ResponseRow]
    questions: list[MergedQuestion]
    only_here: list[tuple[Column, list[Claim]]]
    timeline: list[TimelineRow] = field(default_factory=list)


def short_label(outlet: str) -> str:
    """A short name of an outlet: "The New York Sun" -> "NY Sun", "Newsweek" unchanged."""
    name = outlet.strip()
    if name.casefold().startswith("the "):
        name = name[4:].strip()
    if len(name) <= LABEL_WIDTH:
        return name
    words = name.split()
    if len(words) > 1:
        shortened = "".join(w[0].upper() for w in words[:-1]) + " " + words[-1]
        if len(shortened) <= LABEL_WIDTH:
            return shortened
        # Small words ("and", "of") make no initial, and a slash is kept:
        # "Example Herald and Tribune" -> "EHT", "Radio Free Europe/Radio Liberty" -> "RFE/RL".
        initials = "/".join("".join(w[0] for w in part.split() if w[0].isupper())
                            for part in name.split("/"))
        return initials[:LABEL_WIDTH] if initials.strip("/") else name[:LABEL_WIDTH]
    return name[: LABEL_WIDTH - 1] + "…"


UNKNOWN_LABEL = "unknown"
"""Starts the label of a briefing whose outlet is unknown ("unknown 1"): lower case, so that
in "disputed in unknown 1" it reads as a placeholder, never as a name."""


def unknown_outlet_label(number: int) -> str:
    """The short label of the `number`-th briefing (from 1) whose article names no outlet."""
    return f"{UNKNOWN_LABEL} {number}"


def unknown_outlet_name(number: int, title: str) -> str:
    """The full name of such a briefing's column: its label's words, then the title."""
    return f"Unknown outlet {number} ({title})"


def unknown_outlets_legend(columns: list[Column]) -> str:
    """What the unknown-outlet labels mean ("unknown 1-2 = outlets not named"), or "" when
    every outlet is named."""
    count = sum(1 for column in columns if column.unknown_outlet)
    if not count:
        return ""
    if count == 1:
        return f"{unknown_outlet_label(1)} = outlet not named"
    return f"{UNKNOWN_LABEL} 1–{count} = outlets not named"


def _columns(briefings: list[Briefing]) -> list[Column]:
    columns: list[Column] = []
    used: set[str] = set()
    unknown_count = 0
    for index, briefing in enumerate(briefings):
        if briefing.outlet:
            label = base = short_label(briefing.outlet)
            number = 1
            while label in used:
                number += 1
                suffix = f" {number}"
                label = base[: LABEL_WIDTH - len(suffix)].rstrip() + suffix
            name = briefing.outlet
        else:
            # Numbered in column order: distinct from one another without any clash check.
            unknown_count += 1
            label = unknown_outlet_label(unknown_count)
            name = unknown_outlet_name(unknown_count, briefing.title)
        used.add(label)
        columns.append(Column(index, briefing.id, name, label, not briefing.outlet))
    return columns


def is_no_response(response: Response) -> bool:
    """Whether the response reports that the party did not answer."""
    stance = " ".join(response.stance.casefold().split())
    return any(marker in stance for marker in _NO_RESPONSE_MARKERS)


def _figure_pairs(left: list[Figure], right: list[Figure]) -> list[tuple[Figure, Figure]]:
    """The pairs of figures of two outlets to set against each other.

    Figures that count the same thing are paired, except that a figure one outlet agrees
    with exactly is read charitably and not set against the outlet's other figures: "six
    fighters met" is not a conflict with "two captured" when both outlets say two.
    """
    pairs = [(a, b) for a in left for b in right
             if compare(a, b) is not Relation.INCOMPARABLE]
    agreed = {id(f) for a, b in pairs if compare(a, b) is Relation.SAME for f in (a, b)}
    return [(a, b) for a, b in pairs if id(a) not in agreed and id(b) not in agreed]


def _figure_flags(columns: list[Column], cells: list[list[Claim]]) -> list[Flag]:
    figures = [[f for claim in cell for f in claim.figures] for cell in cells]
    conflicts: list[str] = []
    differing: dict[int, tuple[Column, Figure]] = {}
    for x in range(len(columns)):
        for y in range(x + 1, len(columns)):
            for a, b in _figure_pairs(figures[x], figures[y]):
                relation = compare(a, b)
                if relation is Relation.CONFLICTING:
                    conflicts.append(f"{format_figure(a)} ({columns[x].label}) vs "
                                     f"{format_figure(b)} ({columns[y].label})")
                elif relation is Relation.COMPATIBLE:
                    differing.setdefault(id(a), (columns[x], a))
                    differing.setdefault(id(b), (columns[y], b))
    flags = []
    if conflicts:
        flags.append(Flag("figures-conflict", "figures conflict: " + "; ".join(conflicts)))
    if differing:
        listed = sorted(differing.values(), key=lambda item: item[0].index)
        flags.append(Flag("figures-differ", "figures differ (compatible ranges): " + "; ".join(
            f"{format_figure(f)} ({column.label})" for column, f in listed)))
    return flags


def _status_flag(columns: list[Column], cells: list[list[Claim]]) -> list[Flag]:
    asserting = [c for c in columns if any(k.status in _ASSERTING for k in cells[c.index])]
    doubting = [c for c in columns if any(k.status in _DOUBTING for k in cells[c.index])]
    if not any(a.index != d.index for a in asserting for d in doubting):
        return []
    # An outlet that both asserts and doubts claims on the topic is named with its doubts.
    only_asserting = [c for c in asserting if c not in doubting] or asserting
    # "in <label>": the label names where a claim is reported, never who makes it. Outlets
    # that doubt alike are named together ("denied in A, B", not "denied in A; denied in B").
    by_doubt: dict[str, list[str]] = {}
    for c in doubting:
        doubt = "/".join(sorted({k.status for k in cells[c.index] if k.status in _DOUBTING}))
        by_doubt.setdefault(doubt, []).append(c.label)
    doubted = "; ".join(f"{doubt} in {', '.join(labels)}" for doubt, labels in by_doubt.items())
    return [Flag("status", f"asserted in {', '.join(c.label for c in only_asserting)}; "
                           f"{doubted}")]


def _topics(story: Story | None, briefings: list[Briefing]) -> list[Topic]:
    topics = list(story.topics) if story else []
    known = {t.key for t in topics}
    for briefing in briefings:
        for key in [c.topic for c in briefing.key_claims] + [q.topic for q in
                                                             briefing.open_questions]:
            if key and key not in known:
                known.add(key)
                topics.append(Topic(key, key))
    return topics


def _responses(columns: list[Column], briefings: list[Briefing]) -> list[ResponseRow]:
    rows: dict[str, ResponseRow] = {}
    for column, briefing in zip(columns, briefings, strict=True):
        for response in briefing.official_responses:
            key = " ".join(response.party.casefold().split())
            row = rows.setdefault(key, ResponseRow(response.party, [[] for _ in columns]))
            row.cells[column.index].append(response)
    return list(rows.values())


def _question_topic(question: OpenQuestion, briefing: Briefing) -> str | None:
    if question.topic:
        return question.topic
    by_id = {c.id: c.topic for c in briefing.key_claims}
    topics = Counter(by_id[i] for i in question.related_claims if i in by_id)
    return topics.most_common(1)[0][0] if topics else None


def _questions(columns: list[Column], briefings: list[Briefing],
               topics: list[Topic]) -> list[MergedQuestion]:
    by_key = {t.key: t for t in topics}
    merged: dict[str | None, MergedQuestion] = {}
    for column, briefing in zip(columns, briefings, strict=True):
        for question in briefing.open_questions:
            key = _question_topic(question, briefing)
            entry = merged.setdefault(key, MergedQuestion(by_key.get(key) if key else None, []))
            entry.items.append((column, question))
    order = {t.key: i for i, t in enumerate(topics)}
    return sorted(merged.values(),
                  key=lambda m: order.get(m.topic.key, len(order)) if m.topic else len(order))


def build_story_view(library: Library, story_id: str) -> StoryView:
    """Compute the story view of `story_id` from the briefings in `library`."""
    story = library.stories.get(story_id)
    briefings = library.briefings_of(story_id)
    columns = _columns(briefings)
    topics = _topics(story, briefings)
    rows: list[TopicRow] = []
    for topic in topics:
        cells = [[c for c in b.key_claims if c.topic == topic.key] for b in briefings]
        rows.append(TopicRow(topic, cells,
                             _figure_flags(columns, cells) + _status_flag(columns, cells)))
    only_here: list[tuple[Column, list[Claim]]] = []
    for column in columns:
        claims = [claim for row in rows if sum(1 for cell in row.cells if cell) == 1
                  for claim in row.cells[column.index]]
        if claims:
            only_here.append((column, claims))
    return StoryView(
        story_id=story_id,
        title=story.title if story else story_id,
        columns=columns,
        briefings=briefings,
        topics=rows,
        responses=_responses(columns, briefings),
        questions=_questions(columns, briefings, topics),
        only_here=only_here,
        timeline=_timeline(story, columns),
    )


def _timeline(story: Story | None, columns: list[Column]) -> list[TimelineRow]:
    by_id = {column.briefing_id: column for column in columns}
    rows = []
    for entry in story.timeline if story else []:
        # A briefing the story names but the library lacks is a problem reported where
        # the story is checked; here it is simply not among the reporters.
        reporters = [by_id[ref] for ref in entry.reported_by if ref in by_id]
        rows.append(TimelineRow(entry.placed, entry.event, reporters))
    return rows
