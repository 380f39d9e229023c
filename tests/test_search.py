"""Search: folding of case, accents, quotes and dashes; AND matching; spans; highlighting."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

from briefing.loader import Library, load_paths
from briefing.models import Claim, OpenQuestion, Response
from briefing.search import SearchIndex, fold, folded_offsets, highlight, original_spans

FIXTURES = Path(__file__).parent / "fixtures"


def library_with(**changes) -> Library:
    library = load_paths([FIXTURES / "basic"])
    base = library.briefings["gazette-port-closed"]
    extra = dataclasses.replace(base, id="extra", title="Zelenskyy meets Sybiha at the café",
                                **changes)
    library.briefings["extra"] = extra
    return library


def matched(result) -> list[str]:
    return [result.text[a:b] for a, b in result.spans]


def test_fold_ignores_case_accents_quotes_and_dashes() -> None:
    assert fold("Zelenskyy") == fold("zelenskyy") == "zelenskyy"
    assert fold("Café") == "cafe" and fold("Sybiha") == "sybiha"
    assert fold("‘quotes’ “double” – —") == "'quotes' \"double\" - -"
    assert fold("Straße Łódź Ørsted") == "strasse lodz orsted"


def test_folded_offsets_point_back_into_the_original() -> None:
    for text in ["Straße café", "a\u0301b", "ﬁne … ok", "plain"]:
        offsets = folded_offsets(text)
        assert len(offsets) == len(fold(text)) + 1
        assert offsets == sorted(offsets) and offsets[-1] == len(text)


def test_original_spans_map_folded_matches_back() -> None:
    # ASCII (controls included) folds one character to one: the ranges stay as they are.
    assert original_spans("Port\tof Example", [(9, 12), (0, 4), (10, 16)]) == ((0, 4), (9, 16))
    # Elsewhere a folded range covers the characters it came from ("ß" folds to "ss").
    text = "Große Straße"
    assert original_spans(text, [(fold(text).index("strasse"), len(fold(text)))]) == (
        (text.index("Straße"), len(text)),)
    assert original_spans("Café au lait", [(0, 4)]) == ((0, 4),)


def test_case_and_accent_insensitive_search() -> None:
    index = SearchIndex(library_with())
    for query in ["zelenskyy", "ZELENSKYY", "sybiha", "cafe", "CAFÉ"]:
        results = index.search(query)
        assert [(r.briefing_id, r.section, r.field) for r in results] == [
            ("extra", "title", "title")], query
    assert matched(index.search("cafe")[0]) == ["café"]


def test_typographic_and_straight_quotes_match_each_other() -> None:
    claim = Claim("q", "He called it ‘temporary’ twice.", "Mayor", "asserted",
                  "closure-length", ["a “final” decision"])
    index = SearchIndex(library_with(key_claims=[claim]))
    straight = index.search("'temporary'")
    assert [(r.briefing_id, r.item_id, r.field) for r in straight] == [("extra", "q", "text")]
    assert matched(straight[0]) == ["‘temporary’"]
    assert matched(index.search('"final"')[0]) == ["“final”"]
    assert index.search("‘temporary’")[0].spans == straight[0].spans


def test_every_word_must_match_in_one_field() -> None:
    index = SearchIndex(load_paths([FIXTURES / "basic"]))
    results = index.search("port closed")
    assert results and all("port" in r.text.lower() and "closed" in r.text.lower()
                           for r in results)
    assert index.search("port xyzzy") == []
    assert index.search("   ") == []


def test_sections_items_and_fields() -> None:
    index = SearchIndex(load_paths([FIXTURES / "basic"]))
    found = {(r.briefing_id, r.section, r.item_id, r.field) for r in index.search("reopen")}
    assert found == {
        ("gazette-port-closed", "official_responses", "city-closes", "quote"),
        ("courier-port-repairs", "open_questions", "reopen-date", "text"),
    }
    evidence = index.search("roughly €2")
    assert [(r.section, r.item_id, r.field) for r in evidence] == [
        ("key_claims", "cost-estimate", "evidence")]
    taxpayers = index.search("taxpayers")
    assert [(r.section, r.field) for r in taxpayers] == [("open_questions", "why_it_matters")]
    assert [r.field for r in index.search("jane doe")] == ["claimant", "speaker"]


def test_spans_cover_every_occurrence_of_every_word() -> None:
    index = SearchIndex(load_paths([FIXTURES / "basic"]))
    result = [r for r in index.search("PORT the") if r.briefing_id == "gazette-port-closed"][0]
    assert result.field == "title"
    assert matched(result) == ["the", "Port"]
    summary = [r for r in index.search("port") if r.field == "summary"][0]
    assert "reports" in summary.text  # "port" inside a word is not a match
    assert [s.lower() for s in matched(summary)] == ["port"] * len(
        re.findall(r"\bport", summary.text.lower()))


def test_words_match_at_word_starts() -> None:
    index = SearchIndex(load_paths([FIXTURES / "basic"]))
    assert index.search("epairs") == []
    assert {r.field for r in index.search("repai")} == {"text", "title"}


def test_markup_characters_match_literally() -> None:
    question = OpenQuestion("m", "Is [bold]this[/bold] markup?", "It must stay text.", [])
    response = Response("r", "[red]Party", None, None, None, "denies", "Plain.", None)
    index = SearchIndex(library_with(open_questions=[question], official_responses=[response]))
    results = index.search("[bold]")
    assert [(r.section, r.item_id) for r in results] == [("open_questions", "m")]
    assert matched(results[0]) == ["[bold]"]
    assert index.search("bold") != [] and index.search("[italic]") == []
    assert [r.field for r in index.search("[red]")] == ["party"]


def test_limit() -> None:
    index = SearchIndex(load_paths([FIXTURES / "basic"]))
    assert len(index.search("the", limit=2)) == 2
    assert index.search("the", limit=0) == []


def test_highlight_never_reads_markup_and_shows_controls() -> None:
    text = highlight("[bold]x\x1b[31m y", [(0, 6), (9, 12)])
    assert text.plain == "[bold]x␛[31m y"
    assert [(s.start, s.end, str(s.style)) for s in text.spans] == [
        (0, 6, "reverse"), (9, 12, "reverse")]


def test_search_is_fast_at_ten_thousand_briefings() -> None:
    base = load_paths([FIXTURES / "basic"])
    library = Library()
    sources = list(base.briefings.values())
    for number in range(10_000):
        briefing = sources[number % 2]
        library.briefings[f"b{number}"] = dataclasses.replace(
            briefing, id=f"b{number}", title=f"{briefing.title} number{number}")
    index = SearchIndex(library)
    # Words that share briefings but never a field ("engineers reopen") are the slow case
    # (every such briefing is read); they are left out of this bound.
    for query in ["number9999", "taxpayers", "port", "p", "port closed", "xyzzy"]:
        best = min(_timed(index, query) for _ in range(3))
        assert best < 0.05, (query, best)
    assert len(index.search("number9999")) == 1


def _timed(index: SearchIndex, query: str) -> float:
    start = time.perf_counter()
    index.search(query)
    return time.perf_counter() - start


def test_sentence_punctuation_around_a_query_word_is_ignored() -> None:
    """Pasted text brings its full stops and brackets: "sybiha." found nothing."""
    index = SearchIndex(library_with())
    for query in ["sybiha.", "(sybiha)", "sybiha,", "Sybiha!?"]:
        assert [(r.briefing_id, r.field) for r in index.search(query)] == [
            ("extra", "title")], query
    assert matched(index.search("(sybiha)")[0]) == ["Sybiha"]
