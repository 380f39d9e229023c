"""The parsed-content index: kept in step with the files, never trusted blindly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import briefing.store as store_module
from briefing.feed.readstate import fingerprint
from briefing.loader import load_paths
from briefing.store import ContentStore


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every file the store parses (the real parser still runs)."""
    seen: list[Path] = []
    real = store_module.load_file

    def counting(path: Path):
        seen.append(path)
        return real(path)

    monkeypatch.setattr(store_module, "load_file", counting)
    return seen


def test_index_matches_a_direct_load_and_is_reused(content: Path, parses: list[Path]) -> None:
    direct = load_paths([content])
    library, pending = ContentStore(content).load()
    assert pending == 0 and len(parses) == 3
    assert library.problems == direct.problems
    assert library.stories == direct.stories
    for briefing_id, briefing in direct.briefings.items():
        assert library.briefings[briefing_id] == briefing
        assert library.briefings.summaries[briefing_id].version == fingerprint(briefing)
    parses.clear()
    again, _ = ContentStore(content).load()
    assert parses == []
    assert list(again.briefings) == list(library.briefings)
    assert again.briefings["gazette-port-closed"] == direct.briefings["gazette-port-closed"]


def test_edited_added_and_removed_files_are_noticed(content: Path, parses: list[Path]) -> None:
    ContentStore(content).load()
    parses.clear()
    gazette = content / "gazette-port-closed.yaml"
    gazette.write_text(gazette.read_text(encoding="utf-8").replace(
        "Storm shuts the Port of Example for weeks", "Storm shuts the port"), encoding="utf-8")
    (content / "courier-port-repairs.yaml").unlink()
    (content / "notes.yaml").write_text("format: 1\nkind: briefing\nid: [\n", encoding="utf-8")
    library, _ = ContentStore(content).load()
    assert sorted(p.name for p in parses) == ["gazette-port-closed.yaml", "notes.yaml"]
    assert library.briefings.summaries["gazette-port-closed"].title == "Storm shuts the port"
    assert library.briefings["gazette-port-closed"].title == "Storm shuts the port"
    assert "courier-port-repairs" not in library.briefings
    assert [(Path(p.file).name, p.message.split(":")[0]) for p in library.problems] == [
        ("notes.yaml", "YAML syntax error"),
        ("harbour-closure.yaml", "timeline[0].reported_by[1]"),
    ]


def test_same_size_edit_with_new_mtime_is_noticed(content: Path) -> None:
    ContentStore(content).load()
    gazette = content / "gazette-port-closed.yaml"
    text = gazette.read_text(encoding="utf-8").replace("Ana Writer", "Ana Wrider")
    gazette.write_text(text, encoding="utf-8")
    stat = gazette.stat()
    os.utime(gazette, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    library, _ = ContentStore(content).load()
    assert library.briefings["gazette-port-closed"].byline == "Ana Wrider"


def _snapshot(store: ContentStore) -> str | None:
    row = store._connection().execute(
        "SELECT value FROM meta WHERE key = 'snapshot'").fetchone()
    return None if row is None else row[0]


def _library_view(library) -> tuple:
    return (dict(library.briefings.summaries), dict(library.stories.titles),
            library.problems, sorted(library.sources.items()))


def test_the_start_up_snapshot_stays_in_step_with_the_files(content: Path) -> None:
    store = ContentStore(content)
    store.load()
    assert _snapshot(store) is not None
    gazette = content / "gazette-port-closed.yaml"
    gazette.write_text(gazette.read_text(encoding="utf-8").replace(
        "Storm shuts the Port of Example for weeks", "Storm shuts the port"), encoding="utf-8")
    (content / "courier-port-repairs.yaml").unlink()
    (content / "notes.yaml").write_text("format: 1\nkind: briefing\nid: [\n", encoding="utf-8")
    from_snapshot, _ = store.load()
    # What the rows of the files table give, read without the snapshot:
    with store._connection() as db:
        db.execute("DELETE FROM meta WHERE key = 'snapshot'")
    from_rows, _ = store.load()
    assert _library_view(from_snapshot) == _library_view(from_rows)
    assert from_snapshot.briefings.summaries["gazette-port-closed"].title == "Storm shuts the port"
    assert "courier-port-repairs" not in from_snapshot.briefings
    assert _snapshot(store) is not None  # written again by the load without it


@pytest.mark.parametrize("damage", ["", "{", "[]", "[[1, 2]]", '{"rows": []}', "[1]"])
def test_a_damaged_snapshot_is_ignored_and_written_again(content: Path, parses: list[Path],
                                                          damage: str) -> None:
    store = ContentStore(content)
    first, _ = store.load()
    with store._connection() as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'snapshot'", (damage,))
    parses.clear()
    again, pending = store.load()
    assert parses == [] and pending == 0  # the files table was fine: nothing re-parsed
    assert _library_view(again) == _library_view(first)
    assert _snapshot(store) not in (None, damage)


@pytest.mark.parametrize("wrong", [
    '[["x.yaml", 1, 2, "briefing", "x", ["t"], []]]',  # a file that is not there
    '[["gazette-port-closed.yaml", "a", "b", "briefing", "gazette-port-closed", '
    '[1, 2, 3, 4, 5], 7]]',  # values of the wrong types
    '[["gazette-port-closed.yaml", 0, 0, "briefing", "gazette-port-closed", [1], "x"]]',
])
def test_a_snapshot_out_of_step_still_gives_the_right_library(content: Path,
                                                              wrong: str) -> None:
    store = ContentStore(content)
    first, _ = store.load()
    with store._connection() as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'snapshot'", (wrong,))
    again, pending = store.load()
    assert pending == 0
    assert _library_view(again) == _library_view(first)


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00"])
def test_a_damaged_index_is_rebuilt(content: Path, parses: list[Path], damage: bytes) -> None:
    store = ContentStore(content)
    store.load()
    store.close()
    store.db_path.write_bytes(damage)
    parses.clear()
    library, pending = ContentStore(content).load()
    assert pending == 0 and len(parses) == 3
    assert sorted(library.briefings) == ["courier-port-repairs", "gazette-port-closed"]


def test_parse_budget_leaves_the_rest_pending(content: Path, basic_content: Path) -> None:
    for number in range(5):
        text = (basic_content / "courier-port-repairs.yaml").read_text(encoding="utf-8")
        (content / f"copy-{number}.yaml").write_text(
            text.replace("id: courier-port-repairs", f"id: copy-{number}"), encoding="utf-8")
    store = ContentStore(content)
    # A spent budget still parses one file a call, so indexing always moves on.
    library, pending = store.load(budget=0)
    assert (len(library.briefings) + len(library.stories), pending) == (1, 7)
    library, pending = store.load(budget=0)
    assert pending == 6
    library, pending = store.load(budget=60)
    assert pending == 0 and len(library.briefings) == 7 and library.problems == []


def test_a_stale_index_row_falls_back_to_the_file(content: Path) -> None:
    store = ContentStore(content)
    library, _ = store.load()
    fetch = library.briefings.source_of("gazette-port-closed")[1]
    other = ContentStore(content)
    other._discard()  # another process rebuilt (here: deleted) the index
    assert fetch().title == "Storm shuts the Port of Example for weeks"


QUERIES = ["zelenskyy", "CHINESE fighters", "beijing", "“captured”", "'captured'", "155",
           "kyiv independent", "cafe", "[bold]", "rubles", "north korean", "t", "xyzzy"]


@pytest.mark.parametrize("query", QUERIES)
def test_full_text_search_finds_what_the_memory_index_finds(query: str) -> None:
    from briefing.search import SearchIndex, StoreSearchIndex
    from tests.conftest import PROJECT

    content = PROJECT / "content"
    in_memory = SearchIndex(load_paths([content])).search(query, limit=10_000)
    stored_library, _ = ContentStore(content).load()
    stored = StoreSearchIndex(stored_library).search(query, limit=10_000)

    def key(result):
        return (result.briefing_id, result.section, result.item_id, result.field, result.spans)

    assert sorted(map(key, stored)) == sorted(map(key, in_memory))


def test_search_follows_edits_and_removals(content: Path) -> None:
    from briefing.search import StoreSearchIndex

    library, _ = ContentStore(content).load()
    assert [r.briefing_id for r in StoreSearchIndex(library).search("harbour master")] == [
        "gazette-port-closed"] * 2
    gazette = content / "gazette-port-closed.yaml"
    gazette.write_text(gazette.read_text(encoding="utf-8").replace("harbour master",
                                                                    "port captain"),
                       encoding="utf-8")
    (content / "courier-port-repairs.yaml").unlink()
    library, _ = ContentStore(content).load()
    index = StoreSearchIndex(library)
    assert index.search("harbour master") == []
    assert [r.field for r in index.search("port captain")] == ["summary", "claimant"]
    assert index.search("engineers two months") == []


def test_two_loads_at_once_share_one_store_and_both_succeed(content: Path,
                                                            basic_content: Path) -> None:
    import threading

    from briefing.store import store_for

    for number in range(40):
        text = (basic_content / "courier-port-repairs.yaml").read_text(encoding="utf-8")
        (content / f"copy-{number}.yaml").write_text(
            text.replace("id: courier-port-repairs", f"id: copy-{number}"), encoding="utf-8")
    results, errors = [], []

    def load() -> None:
        try:
            results.append(store_for(content).load())
        except Exception as error:  # the test reports any exception below
            errors.append(error)

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [(len(library.briefings), pending) for library, pending in results] == [(42, 0)] * 2
    assert store_for(content) is store_for(content)


def test_a_snapshot_row_with_bad_values_for_an_unchanged_file_falls_back_to_the_table(
        content: Path, parses: list[Path]) -> None:
    import json

    store = ContentStore(content)
    first, _ = store.load()
    rows = json.loads(_snapshot(store))
    for row in rows:
        if row[3] == "briefing":
            row[5] = ["a title", None, "not a date", "story", "v"]  # time and size still fit
    with store._connection() as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'snapshot'", (json.dumps(rows),))
    parses.clear()
    again, pending = store.load()
    assert parses == [] and pending == 0  # the table was read, the index kept
    assert _library_view(again) == _library_view(first)


def test_an_unchanged_folder_gives_the_library_a_full_load_gave(content: Path,
                                                                 parses: list[Path]) -> None:
    # A duplicate id (the first file in path order wins) and a cross-file problem.
    courier = (content / "courier-port-repairs.yaml").read_text(encoding="utf-8")
    (content / "zz").mkdir()
    (content / "zz" / "courier-port-repairs.yaml").write_text(courier, encoding="utf-8")
    store = ContentStore(content)
    full, _ = store.load()  # files changed: every check runs
    parses.clear()
    unchanged, _ = ContentStore(content).load()  # nothing changed: the known problems
    assert parses == []
    assert _library_view(unchanged) == _library_view(full)
    assert unchanged.cross_problems == full.cross_problems
    assert any("duplicate briefing id" in p.message for p in unchanged.problems)
    first_file = content / "courier-port-repairs.yaml"
    assert unchanged.sources["briefing:courier-port-repairs"] == first_file
    assert unchanged.briefings["courier-port-repairs"] == full.briefings["courier-port-repairs"]


def test_a_file_name_that_is_not_utf8_is_a_problem_not_a_failure(content: Path) -> None:
    """SQLite cannot keep such a path: the file is left out with a problem naming it (its
    bytes shown), and the other briefings load as ever."""
    (content / os.fsdecode(b"x\xff.yaml")).write_text("kind: briefing\n")
    for _ in range(2):  # as first indexed, and as read back unchanged
        library, pending = ContentStore(content).load()
        assert pending == 0
        assert sorted(library.briefings) == ["courier-port-repairs", "gazette-port-closed"]
        [problem] = library.problems
        assert problem.file.endswith("x\\xff.yaml")
        assert "not valid UTF-8" in problem.message


async def test_a_cache_folder_that_cannot_be_used_still_shows_the_content(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No index can be made where the cache folder should be (here a file stands there):
    the files are read one by one, a problem says so, and the reader shows them all."""
    from briefing.app import BriefingApp
    from briefing.feed.cache import load_library
    from tests.screen import loaded, screen_text

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    library, pending = load_library(content, budget=0.05)
    assert (sorted(library.briefings), pending) == (
        ["courier-port-repairs", "gazette-port-closed"], 0)
    [problem] = library.problems
    assert "the content index cannot be used" in problem.message

    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "Storm shuts the Port of Example" in text
        assert "Port repairs could ta" in text
        assert "Loading failed" not in text
        assert [p.message for p in app.problems] == [problem.message]
