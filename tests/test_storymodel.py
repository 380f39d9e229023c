"""Tests of the story view's data (briefing.storymodel) on the fixture story."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.loader import Library, load_paths
from briefing.storymodel import (
    LABEL_WIDTH,
    Column,
    StoryView,
    _status_flag,
    build_story_view,
    is_no_response,
    short_label,
    unknown_outlets_legend,
)

FIXTURES = Path(__file__).parent / "fixtures"
STORY = FIXTURES / "story"
EXTRA = FIXTURES / "story-extra" / "radio-bridge.yaml"


@pytest.fixture(scope="module")
def library() -> Library:
    library = load_paths([STORY])
    assert library.problems == []
    return library


@pytest.fixture(scope="module")
def view(library: Library) -> StoryView:
    return build_story_view(library, "river-bridge")


def row(view: StoryView, key: str):
    return next(r for r in view.topics if r.topic.key == key)


def test_one_column_per_briefing_oldest_first(view: StoryView) -> None:
    assert [c.briefing_id for c in view.columns] == ["daily-bridge", "herald-bridge", "wire-bridge"]
    assert [c.label for c in view.columns] == ["D Example", "EHET", "unknown 1"]
    assert [c.unknown_outlet for c in view.columns] == [False, False, True]
    assert view.columns[2].name == "Unknown outlet 1 (Wire report on the bridge collapse)"
    assert view.title == "The Example river bridge collapses"


def test_rows_follow_story_topic_order_with_cells_per_outlet(view: StoryView) -> None:
    assert [r.topic.key for r in view.topics] == ["casualties", "cause", "funding", "rescue",
                                                  "traffic"]
    cause = row(view, "cause")
    assert [[c.id for c in cell] for cell in cause.cells] == [["lorry-cause"], ["lorry-denied"], []]
    assert not row(view, "traffic").flagged


def test_conflicting_figures_are_flagged(view: StoryView) -> None:
    kinds = {f.kind: f.reason for f in row(view, "casualties").flags}
    assert kinds["figures-conflict"] == ("figures conflict: 11 people (D Example) vs "
                                         "12 people (EHET)")
    assert "at least 10 people (unknown 1)" in kinds["figures-differ"]


def test_compatible_figures_are_flagged_as_differing_not_conflicting(view: StoryView) -> None:
    flags = row(view, "funding").flags
    assert [f.kind for f in flags] == ["figures-differ"]
    assert flags[0].reason == ("figures differ (compatible ranges): at least 1,000,000 EUR "
                               "(D Example); about 2,000,000 EUR (unknown 1)")


def test_assertion_against_denial_is_flagged(view: StoryView) -> None:
    flags = row(view, "cause").flags
    assert [f.kind for f in flags] == ["status"]
    assert flags[0].reason == "asserted in D Example; denied in EHET"


def test_one_outlet_alone_is_not_flagged(view: StoryView) -> None:
    assert not row(view, "rescue").flagged


def test_responses_by_party_merge_spellings_and_mark_no_comment(view: StoryView) -> None:
    parties = {r.party: r for r in view.responses}
    assert list(parties) == ["City of Example", "Builder Corp", "Ministry of Transport"]
    builder = parties["Builder Corp"]
    assert [[r.stance for r in cell] for cell in builder.cells] == [
        ["declined to comment"], ["denies"], []]
    assert is_no_response(builder.cells[0][0])
    assert not is_no_response(builder.cells[1][0])
    assert builder.cells[1][0].speaker == "Ann Chief"


def test_questions_merge_by_topic_falling_back_to_related_claims(view: StoryView) -> None:
    merged = {q.topic.key if q.topic else None: q for q in view.questions}
    assert list(merged) == ["cause", "funding"]
    assert [c.label for c in merged["cause"].raised_by] == ["D Example", "EHET"]
    assert [q.id for _, q in merged["cause"].items] == ["who-inspected", "inspection-records"]
    assert [c.label for c in merged["funding"].raised_by] == ["unknown 1"]


def test_only_here_lists_claims_on_topics_one_outlet_covers(view: StoryView) -> None:
    assert [(c.label, [k.id for k in claims]) for c, claims in view.only_here] == [
        ("D Example", ["divers-searching"])]


def test_a_new_briefing_becomes_a_new_column(tmp_path: Path) -> None:
    shutil.copytree(STORY, tmp_path / "story")
    shutil.copy(EXTRA, tmp_path / "story")
    library = load_paths([tmp_path / "story"])
    assert library.problems == []
    view = build_story_view(library, "river-bridge")
    assert [c.label for c in view.columns] == ["D Example", "EHET", "E Radio", "unknown 1"]
    traffic = row(view, "traffic")
    assert [[k.id for k in cell] for cell in traffic.cells] == [[], [], ["diversion"], []]
    assert ("E Radio", ["diversion"]) in [(c.label, [k.id for k in cl])
                                              for c, cl in view.only_here]
    conflict = row(view, "casualties").flags[0].reason
    assert "11 people (D Example) vs 12 people (E Radio)" in conflict
    assert "12 people (EHET) vs 12 people (E Radio)" not in conflict  # the same figure


def test_story_without_story_file_uses_claim_topics(library: Library) -> None:
    bare = Library(briefings=dict(library.briefings))
    view = build_story_view(bare, "river-bridge")
    assert view.title == "river-bridge"
    assert [r.topic.key for r in view.topics] == ["casualties", "cause", "funding", "rescue"]


@pytest.mark.parametrize(("outlet", "label"), [
    ("Newsweek", "Newsweek"),
    ("The New York Sun", "NY Sun"),
    ("RFE/RL", "RFE/RL"),
    ("Radio Free Europe/Radio Liberty", "RFE/RL"),
])
def test_short_labels(outlet: str, label: str) -> None:
    assert short_label(outlet) == label


def test_unknown_outlets_are_numbered_placeholders_not_words_of_the_title(
        tmp_path: Path) -> None:
    # A title that starts with a person's name once made "disputed in Zelenskyy?", as if
    # Zelenskyy disputed the claim.
    shutil.copytree(STORY, tmp_path / "story")
    wire = (STORY / "wire-bridge.yaml").read_text(encoding="utf-8")
    (tmp_path / "story" / "wire-bridge.yaml").write_text(wire.replace(
        "title: Wire report on the bridge collapse",
        "title: Zelenskyy says the bridge was shelled"), encoding="utf-8")
    (tmp_path / "story" / "wire-bridge-2.yaml").write_text(
        wire.replace("id: wire-bridge", "id: wire-bridge-2").replace(
            "status: asserted", "status: disputed"), encoding="utf-8")
    library = load_paths([tmp_path / "story"])
    assert library.problems == []
    view = build_story_view(library, "river-bridge")
    unknown = [c for c in view.columns if c.unknown_outlet]
    assert [c.label for c in unknown] == ["unknown 1", "unknown 2"]
    assert [c.name for c in unknown] == [
        "Unknown outlet 1 (Zelenskyy says the bridge was shelled)",
        "Unknown outlet 2 (Wire report on the bridge collapse)"]
    reasons = [f.reason for r in view.topics for f in r.flags]
    assert any("in unknown 2" in reason for reason in reasons)
    assert not any("Zelenskyy" in reason or "?" in reason for reason in reasons)
    assert unknown_outlets_legend(view.columns) == "unknown 1–2 = outlets not named"
    assert all(len(c.label) <= LABEL_WIDTH for c in view.columns)


def test_legend_for_one_unknown_outlet_and_for_none(view: StoryView) -> None:
    assert unknown_outlets_legend(view.columns) == "unknown 1 = outlet not named"
    assert unknown_outlets_legend(view.columns[:2]) == ""


def test_clashing_labels_are_numbered(tmp_path: Path) -> None:
    shutil.copytree(STORY, tmp_path / "story")
    wire = (STORY / "wire-bridge.yaml").read_text(encoding="utf-8")
    for stem in ("wire-bridge-2", "wire-bridge-3"):
        (tmp_path / "story" / f"{stem}.yaml").write_text(
            wire.replace("id: wire-bridge", f"id: {stem}"), encoding="utf-8")
    herald = (STORY / "herald-bridge.yaml").read_text(encoding="utf-8")
    (tmp_path / "story" / "herald-bridge-2.yaml").write_text(
        herald.replace("id: herald-bridge", "id: herald-bridge-2"), encoding="utf-8")
    library = load_paths([tmp_path / "story"])
    assert library.problems == []
    labels = [c.label for c in build_story_view(library, "river-bridge").columns]
    assert sorted(labels) == sorted(["D Example", "EHET", "EHET 2", "unknown 1", "unknown 2",
                                     "unknown 3"])
    assert all(len(label) <= LABEL_WIDTH for label in labels)


def test_bundled_story_sets_kyivs_12000_against_the_11000_north_koreans() -> None:
    library = load_paths([Path(__file__).parent.parent / "content"])
    assert library.problems == []
    view = build_story_view(library, "chinese-nationals-captured-2025")
    flags = {f.kind: f.reason for f in row(view, "north-korean-troops").flags}
    assert "about 12,000 people (Newsweek) vs 11,000 people (NY Sun)" in flags["figures-conflict"]
    fighters = {f.kind: f.reason for f in row(view, "fighter-count").flags}
    for figure in ("at least 155", "more than 150", "at least 163", "several hundred"):
        assert figure in fighters["figures-differ"]
    assert "figures-conflict" not in fighters  # Kovalenko's hypothetical 150 is not set against
    assert "40 people" not in fighters["figures-differ"]  # Le Monde's accounts count no fighters


def test_outlets_that_doubt_alike_are_named_together() -> None:
    """The bundled story's capture row read "denied in unknown 2; denied in RFE/RL"."""
    from briefing.models import Claim

    columns = [Column(i, f"b{i}", name, name, False) for i, name in enumerate("ABCD")]

    def claim(status: str) -> Claim:
        return Claim(id="c", text="t", claimant="x", status=status, topic="t", evidence=["e"])

    cells = [[claim("asserted")], [claim("denied")], [claim("disputed")], [claim("denied")]]
    [flag] = _status_flag(columns, cells)
    assert flag.reason == "asserted in A; denied in B, D; disputed in C"
