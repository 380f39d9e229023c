"""The config file (feed URL) and the read-state database."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from briefing.feed.config import (
    ConfigError,
    config_path,
    feed_url,
    load_config,
    no_feed_message,
    save_config,
    set_feed_url,
)
from briefing.feed.readstate import ReadState, default_path
from briefing.loader import load_paths


def test_config_lives_under_xdg_config_home(isolated_user_dirs: Path):
    assert config_path() == isolated_user_dirs / "xdg_config_home" / "briefing" / "config.yaml"


def test_no_feed_configured_explains_how_to_set_one():
    assert feed_url() is None
    message = no_feed_message()
    assert "--feed URL" in message and str(config_path()) in message


def test_feed_from_config_and_cli_keeps_other_keys():
    save_config({"theme": "dark", "future": {"x": 1}})
    set_feed_url("https://example.org/feed/index.json")
    assert load_config() == {"theme": "dark", "future": {"x": 1},
                             "feed": "https://example.org/feed/index.json"}
    assert feed_url() == "https://example.org/feed/index.json"
    assert feed_url("http://127.0.0.1:8000/index.json") == "http://127.0.0.1:8000/index.json"


@pytest.mark.parametrize(("text", "expected"), [
    ("feed: ftp://example.org/x\n", ":1:7: feed: feed URL must start with http:// or https://"),
    ("feed: [1, 2\n", ":2:1: YAML syntax error"),
    ("- a list\n", "expected a mapping of settings"),
    ("# the feed\nfeed: 3\n", ":2:7: feed: expected a URL; got int 3"),
])
def test_broken_config_is_a_clear_error(text: str, expected: str):
    config_path().parent.mkdir(parents=True)
    config_path().write_text(text)
    with pytest.raises(ConfigError, match="config.yaml") as error:
        feed_url()
    assert expected in str(error.value)


def test_bad_cli_feed_is_a_clear_error():
    with pytest.raises(ConfigError, match="--feed: feed URL must start with http"):
        feed_url("file:///etc/passwd")


@pytest.fixture
def gazette(basic_content: Path):
    return load_paths([basic_content]).briefings["gazette-port-closed"]


def test_read_state_new_seen_updated_and_items(gazette, isolated_user_dirs: Path):
    state = ReadState()
    assert default_path().is_relative_to(isolated_user_dirs / "xdg_data_home")
    assert state.status(gazette) == "new"
    assert state.changed_items(gazette) == set()
    state.mark_opened(gazette)
    assert state.status(gazette) is None

    changed = copy.deepcopy(gazette)
    changed.key_claims[1].text = "Repairs will cost about 3 million euros."
    changed.open_questions[0].text = "Who pays?"
    assert state.status(changed) == "updated"
    assert state.changed_items(changed) == {"claim:cost-estimate", "question:who-pays"}
    state.mark_opened(changed)
    assert state.status(changed) is None
    # Opening does not clear the marks: the changed items stay marked until read.
    assert state.changed_items(changed) == {"claim:cost-estimate", "question:who-pays"}
    state.mark_item_read(changed, "claim:cost-estimate")
    state.close()

    again = ReadState()  # persists across runs
    assert again.changed_items(changed) == {"question:who-pays"}
    again.mark_all_read(changed)
    assert again.changed_items(changed) == set() and again.status(changed) is None
    assert again.status(gazette) == "updated"


def test_corrupt_database_is_recreated(gazette, tmp_path: Path):
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    state = ReadState(path)
    assert state.recovered
    assert state.status(gazette) == "new"
    state.mark_opened(gazette)
    assert ReadState(path).status(gazette) is None
    assert state.moved_to is not None and state.moved_to.exists()
    assert state.moved_to.name.startswith("state.sqlite3.corrupt-")


def test_tables_of_another_layout_are_damage_and_recreated(gazette, tmp_path: Path):
    """Tables named like ours with other columns failed at each use ("no such column"),
    every run: now set aside once, like a damaged file."""
    import sqlite3

    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE briefing_seen (x TEXT)")
    db.close()
    state = ReadState(path)
    assert state.recovered and state.status(gazette) == "new"
    state.mark_opened(gazette)
    assert ReadState(path).status(gazette) is None


def test_a_second_damaged_file_does_not_overwrite_the_first(tmp_path: Path):
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"first damage" * 100)
    first = ReadState(path)
    first.close()
    for fresh in tmp_path.glob("state.sqlite3*"):
        if fresh != first.moved_to:
            fresh.unlink()
    path.write_bytes(b"second damage" * 100)  # within the same second, most likely
    second = ReadState(path)
    assert second.moved_to != first.moved_to
    assert first.moved_to.read_bytes().startswith(b"first damage")
    assert second.moved_to.read_bytes().startswith(b"second damage")


def test_a_read_only_folder_is_not_taken_for_damage(gazette, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    """A database that cannot be opened for writing now (here: SQLite says READONLY) is
    left as it is, marks and all; the caller says read marks are off for this run."""
    import sqlite3

    path = tmp_path / "state.sqlite3"
    ReadState(path).mark_opened(gazette)
    error = sqlite3.OperationalError("attempt to write a readonly database")
    error.sqlite_errorcode = 8  # SQLITE_READONLY
    monkeypatch.setattr(ReadState, "_open", lambda self: (_ for _ in ()).throw(error))
    with pytest.raises(sqlite3.OperationalError):
        ReadState(path)
    monkeypatch.undo()
    assert not list(tmp_path.glob("*.corrupt*"))
    assert ReadState(path).status(gazette) is None
