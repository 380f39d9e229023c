"""Loader and validator: every kind of problem, with the file, line and field it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.loader import load_file, load_paths
from tests.conftest import FIXTURES

BASE = (FIXTURES / "basic" / "gazette-port-closed.yaml").read_text(encoding="utf-8")


def problems_of(tmp_path: Path, text: str | bytes, name: str = "gazette-port-closed.yaml"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_file(path)


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(next(li for li in text.splitlines() if needle in li)) + 1


def test_valid_fixture_loads_without_problems(basic_content: Path) -> None:
    library = load_paths([basic_content])
    assert library.problems == []
    assert sorted(library.briefings) == ["courier-port-repairs", "gazette-port-closed"]
    briefing = library.briefings["gazette-port-closed"]
    assert briefing.key_claims[0].figures[0].qualifier == "at least"
    assert briefing.official_responses[0].date.isoformat() == "2025-03-02"
    assert library.briefings["courier-port-repairs"].published is None


def test_bad_enum_names_field_path_line_and_expected(tmp_path: Path) -> None:
    text = BASE.replace("status: unverified", "status: maybe")
    loaded = problems_of(tmp_path, text)
    assert loaded.document is None
    [problem] = loaded.problems
    assert problem.line == line_of(text, "status: maybe")
    assert problem.column == 13
    assert "key_claims[1].status" in problem.message
    assert "asserted, corroborated, disputed, denied, unverified" in problem.message
    assert str(problem).startswith(f"{problem.file}:{problem.line}:13: key_claims[1].status")


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = (BASE.replace("status: unverified", "status: maybe")
            .replace("status: asserted", "status: 7")
            .replace("  - id: who-pays", "  - id: who-pays\n    colour: red"))
    messages = [p.message for p in problems_of(tmp_path, text).problems]
    assert len(messages) == 3
    assert any(m.startswith("key_claims[0].status") for m in messages)
    assert any(m.startswith("key_claims[1].status") for m in messages)
    assert any(m.startswith("open_questions[0].colour: unknown key") for m in messages)


def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    text = BASE.replace("byline: Ana Writer", "byline: Ana Writer\nauthor: someone")
    [problem] = problems_of(tmp_path, text).problems
    assert (problem.line, problem.column) == (line_of(text, "author:"), 1)
    assert "author: unknown key" in problem.message


def test_missing_field_and_wrong_type(tmp_path: Path) -> None:
    text = BASE.replace("    claimant: The harbour master\n", "").replace(
        "title: Storm shuts the Port of Example for weeks", "title: [a, list]")
    messages = sorted(p.message for p in problems_of(tmp_path, text).problems)
    assert messages == [
        "key_claims[1].claimant: missing field (expected text)",
        "title: expected text; got a list",
    ]


def test_duplicate_ids_and_unresolved_references(tmp_path: Path) -> None:
    text = BASE.replace("id: cost-estimate", "id: closed-weeks").replace(
        "related_claims: [cost-estimate]", "related_claims: [cost-estimate, nowhere]")
    problems = problems_of(tmp_path, text).problems
    messages = [p.message for p in problems]
    assert "key_claims[1].id: duplicate id 'closed-weeks' (first used at key_claims[0])" in messages
    assert "open_questions[0].related_claims[0]: no claim with id 'cost-estimate' in this " \
           "briefing" in messages
    assert any("related_claims[1]: no claim with id 'nowhere'" in m for m in messages)


def test_duplicate_key_in_mapping(tmp_path: Path) -> None:
    text = BASE.replace("byline: Ana Writer", "byline: Ana Writer\nbyline: Someone Else")
    [problem] = problems_of(tmp_path, text).problems
    assert problem.line == line_of(text, "Someone Else")
    assert problem.message.startswith("byline: duplicate key")


def test_id_must_match_file_name(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, BASE, name="other-name.yaml").problems
    assert problem.message == "id: must equal the file name 'other-name'; got " \
                              "'gazette-port-closed'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key: [unclosed", "YAML syntax error"),
        ("a: &x 1\nb: *x\n", "anchor &x is not allowed"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", "tag tag:yaml.org,2002:python/"),
        ("a: !custom 1\n", "tag !custom is not allowed"),
        ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ("published: 2025-02-30\n", "impossible date '2025-02-30'"),
        ("", "the file is empty"),
        ("- just\n- a list\n", "expected a mapping at the top of the file"),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "nesting deeper than 24 levels"),
    ],
)
def test_hostile_or_broken_yaml_gives_a_clear_error(tmp_path: Path, text: str,
                                                      expected: str) -> None:
    loaded = problems_of(tmp_path, text)
    assert loaded.document is None
    assert any(expected in p.message for p in loaded.problems), loaded.problems
    assert all(p.line >= 1 and p.column >= 1 for p in loaded.problems)


def test_alias_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]")
    [problem] = problems_of(tmp_path, "\n".join(lines)).problems
    assert (problem.line, problem.column) == (1, 4)
    assert "anchor &a is not allowed" in problem.message


def test_non_utf8_and_nul_bytes_name_their_position(tmp_path: Path) -> None:
    [bad] = problems_of(tmp_path, b"title: ok\nsummary: caf\xe9\n").problems
    assert (bad.line, bad.column) == (2, 13)
    assert "not valid UTF-8" in bad.message
    [nul] = problems_of(tmp_path, b"title: a\x00b\n").problems
    assert (nul.line, nul.column) == (1, 9)
    assert "NUL byte" in nul.message


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, b"a: " + b"x" * 1_100_000).problems
    assert "the limit is 1,000,000" in problem.message


def test_a_broken_file_does_not_stop_the_others(tmp_path: Path, basic_content: Path) -> None:
    for path in basic_content.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "broken.yaml").write_text("kind: briefing\nid: [\n", encoding="utf-8")
    library = load_paths([tmp_path])
    assert len(library.briefings) == 2
    assert [p.file.endswith("broken.yaml") for p in library.problems] == [True]


def test_cross_file_checks(tmp_path: Path, basic_content: Path) -> None:
    for path in basic_content.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    courier = tmp_path / "courier-port-repairs.yaml"
    text = courier.read_text(encoding="utf-8").replace("topic: closure-length",
                                                       "topic: weather", 1)
    courier.write_text(text, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "gazette-port-closed.yaml").write_bytes(
        (basic_content / "gazette-port-closed.yaml").read_bytes())
    story = tmp_path / "harbour-closure.yaml"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "reported_by: [gazette-port-closed]", "reported_by: [gazette-port-closed, ghost]"),
        encoding="utf-8")
    messages = [p.message for p in load_paths([tmp_path]).problems]
    assert "key_claims[0].topic: 'weather' is not a topic of story 'harbour-closure'" in messages
    assert any(m.startswith("id: duplicate briefing id 'gazette-port-closed'") for m in messages)
    assert "timeline[1].reported_by[1]: no briefing 'ghost' in this story" in messages


def test_an_impossible_date_names_its_field_and_hides_no_other_problem(tmp_path: Path) -> None:
    text = BASE.replace("published: 2025-03-03", "published: 2025-02-30").replace(
        "date: 2025-03-02", "date: 2025-13-02").replace("status: asserted", "status: bogus", 1)
    loaded = problems_of(tmp_path, text)
    assert loaded.document is None
    assert [(p.line, p.message.split(":")[0]) for p in loaded.problems] == [
        (line_of(text, "published:"), "published"),
        (line_of(text, "date: 2025-13-02"), "official_responses[0].date"),
        (line_of(text, "status: bogus"), "key_claims[0].status"),
    ]
    assert "impossible date '2025-02-30'" in loaded.problems[0].message
    # Reported once, by the YAML reader, not again as a value of the wrong type.
    assert not any("expected a date" in p.message for p in loaded.problems)


def test_references_to_a_file_that_did_not_load_are_not_problems_again(
        tmp_path: Path, basic_content: Path) -> None:
    """A broken briefing (or story) is reported in its own file; the story's references to
    it, or its fellow briefings' story, would only repeat that once per reference."""
    for path in basic_content.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    gazette = tmp_path / "gazette-port-closed.yaml"
    gazette.write_text(BASE.replace("status: asserted", "status: bogus", 1), encoding="utf-8")
    assert [Path(p.file).name for p in load_paths([tmp_path]).problems] == [gazette.name]
    story = tmp_path / "harbour-closure.yaml"
    story.write_text("title: [unclosed\n", encoding="utf-8")
    gazette.write_text(BASE, encoding="utf-8")
    assert [Path(p.file).name for p in load_paths([tmp_path]).problems] == [story.name]


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    library = load_paths([tmp_path / "nowhere"])
    assert [p.message for p in library.problems] == ["no such file or folder"]


@pytest.mark.parametrize("number", ["0x" + "f" * 4000, "1" + "0" * 5000, "1" + "0" * 400],
                         ids=["hex-4000-digits", "5001-digits", "401-digits"])
def test_a_number_too_long_to_print_is_refused_where_it_stands(tmp_path: Path,
                                                               number: str) -> None:
    """Python cannot print a whole number of over 4,300 digits (and no float holds one of
    over 308): refused at its place, not a crash wherever it is later shown."""
    text = BASE.replace("value: 3", f"value: {number}")
    [problem] = problems_of(tmp_path, text).problems
    assert (problem.line, problem.column) == (line_of(text, "value: "), 16)
    assert "is too long; at most 100 digits" in problem.message
    assert len(problem.message) < 120


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_figure_must_be_a_finite_number(tmp_path: Path, value: str) -> None:
    text = BASE.replace("value: 3", f"value: {value}")
    [problem] = problems_of(tmp_path, text).problems
    assert problem.line == line_of(text, f"value: {value}")
    assert problem.message.startswith("key_claims[0].figures[0].value: expected a finite "
                                      "number")


def test_a_control_character_is_placed_at_its_line_and_column(tmp_path: Path) -> None:
    """YAML's parser refuses a stray control character without saying where; the loader
    finds it (and counts the others) so the message points at it and its field, on one
    line."""
    text = BASE.replace("Ana Writer", "Ana\x0cWriter").replace("main pier", "main\x9bpier")
    [problem] = problems_of(tmp_path, text).problems
    assert (problem.line, problem.column) == (line_of(text, "byline:"), 12)
    assert problem.message.startswith("byline: control character U+000C is not allowed in "
                                      "YAML (and 1 more in the file)")
    assert "\n" not in str(problem) and "\x9b" not in str(problem)


def test_a_slug_ending_in_a_newline_is_not_a_slug(tmp_path: Path) -> None:
    """A regular expression's "$" also matches before a final newline: a topic written
    as a double-quoted "closure-length\\n" must still be refused."""
    text = BASE.replace("topic: closure-length", 'topic: "closure-length\\n"')
    [problem] = problems_of(tmp_path, text).problems
    assert problem.message.startswith("key_claims[0].topic: expected a slug")


@pytest.mark.parametrize("text", ["kind: 2025-02-30\n", "2025-02-30\n"])
def test_an_unreadable_value_where_a_mapping_or_kind_is_due_is_said_once(
        tmp_path: Path, text: str) -> None:
    [problem] = problems_of(tmp_path, text).problems
    assert "impossible date '2025-02-30'" in problem.message
    assert "UNREADABLE" not in problem.message


def test_a_timeline_names_briefings_by_id(tmp_path: Path, basic_content: Path) -> None:
    """A name that is no id is a problem of the story, never a file to open ("../x")."""
    story = (basic_content / "harbour-closure.yaml").read_text(encoding="utf-8").replace(
        "reported_by: [gazette-port-closed]", 'reported_by: ["../outside/secret", ' +
        '"' + "x" * 300 + '"]')
    messages = [p.message for p in problems_of(tmp_path, story, "harbour-closure.yaml").problems]
    assert messages == [
        "timeline[1].reported_by[0]: expected a briefing id (a slug); got '../outside/secret'",
        f"timeline[1].reported_by[1]: expected a briefing id (a slug); got '{'x' * 37}...'"]
