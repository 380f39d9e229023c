"""Readers in separate processes (two terminals) sharing one folder's index."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from briefing.indexdb import connect, writing
from briefing.store import ContentStore
from tests.conftest import touch_later
from tests.screen import loaded, screen_text

READERS = 3


def _load_when_released(root: Path, db_path: Path, barrier: Any, results: Any) -> None:
    """A reader process: load the folder as soon as every reader is ready."""
    from briefing.store import ContentStore

    barrier.wait()
    try:
        library, pending = ContentStore(root, db_path).load()
        results.put((sorted(library.briefings.summaries), pending, None))
    except Exception as error:  # reported to the test below
        results.put((None, None, f"{type(error).__name__}: {error}"))


def _with_copies(content: Path, count: int) -> Path:
    """The content plus `count` more briefings: enough parsing for the readers to overlap."""
    text = (content / "courier-port-repairs.yaml").read_text(encoding="utf-8")
    for number in range(count):
        (content / f"copy-{number}.yaml").write_text(
            text.replace("id: courier-port-repairs", f"id: copy-{number}"), encoding="utf-8")
    return content


def _hold_the_write_lock(db: sqlite3.Connection, seconds: float) -> threading.Thread:
    """Another process writing for `seconds`: a thread holding the lock, started and
    holding it when this returns."""
    locked = threading.Event()

    def hold() -> None:
        with writing(db):
            locked.set()
            time.sleep(seconds)

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait()
    return holder


def test_readers_indexing_one_folder_at_once_all_load_it(content: Path,
                                                         tmp_path: Path) -> None:
    """Before, one of two readers started together failed with "database is locked" in
    most runs: each read, then wrote, and SQLite broke the deadlock by failing one."""
    _with_copies(content, 40)
    expected = sorted(ContentStore(content, tmp_path / "alone.sqlite3").load()[0]
                      .briefings.summaries)
    context = multiprocessing.get_context("spawn")
    for attempt in range(2):
        db_path = tmp_path / f"shared-{attempt}.sqlite3"
        barrier, results = context.Barrier(READERS), context.Queue()
        readers = [context.Process(target=_load_when_released,
                                   args=(content, db_path, barrier, results))
                   for _ in range(READERS)]
        for reader in readers:
            reader.start()
        outcomes = [results.get(timeout=60) for _ in readers]
        for reader in readers:
            reader.join(timeout=10)
        assert outcomes == [(expected, 0, None)] * READERS
        # What they left is a whole index: a later load parses nothing.
        store = ContentStore(content, db_path)
        store.load()
        assert store._connection().execute("SELECT count(*) FROM files").fetchone()[0] == 43


def test_a_reader_waits_for_another_ones_write_instead_of_failing(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process holding the write lock for a moment delays a load; it does not
    fail it. Held past the wait, the load fails as busy, and the index is kept (busy is
    not damage)."""
    db_path = tmp_path / "index.sqlite3"
    ContentStore(content, db_path).load()
    other = connect(db_path)
    holder = _hold_the_write_lock(other, 0.3)
    (content / "courier-port-repairs.yaml").unlink()  # the load has to write
    library, pending = ContentStore(content, db_path).load()
    holder.join()
    assert "courier-port-repairs" not in library.briefings and pending == 0

    monkeypatch.setattr("briefing.indexdb.BUSY_TIMEOUT", 0.2)
    (content / "gazette-port-closed.yaml").unlink()
    with writing(other), pytest.raises(sqlite3.OperationalError, match="locked"):
        ContentStore(content, db_path).load()
    assert db_path.exists()
    assert "gazette-port-closed" not in ContentStore(content, db_path).load()[0].briefings


async def test_the_reader_waits_while_another_one_writes_the_index(
        content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader started while another holds the index's write lock (writing a large
    batch) shows the briefings once the lock is free, with no error."""
    from briefing.app import BriefingApp
    from briefing.paths import index_path

    ContentStore(content).load()  # the index exists; the edit below makes the load write
    touch_later(content / "gazette-port-closed.yaml",
                (content / "gazette-port-closed.yaml").read_text(encoding="utf-8").replace(
                    "Storm shuts the Port of Example for weeks", "Port shut for weeks"))
    monkeypatch.setattr("briefing.indexdb.BUSY_TIMEOUT", 0.2)
    holder = _hold_the_write_lock(connect(index_path(content.resolve())), 1.0)
    app = BriefingApp(content)
    errors: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **kwargs: errors.append(message))
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        holder.join()
        assert errors == []
        assert "Port shut for weeks" in screen_text(app)


def test_a_commit_that_has_to_wait_too_long_leaves_no_transaction_open(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process reading through the whole wait makes the COMMIT fail as busy: the
    transaction is rolled back (it held the lock, so others could not even read), and the
    next load neither fails nor throws the index away."""
    monkeypatch.setattr("briefing.indexdb.BUSY_TIMEOUT", 0.2)
    db_path = tmp_path / "index.sqlite3"
    store = ContentStore(content, db_path)
    store.load()
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM files").fetchone()  # holds a read lock
    (content / "courier-port-repairs.yaml").unlink()  # the load has to write
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        store.load()
    assert not store._connection().in_transaction
    reader.execute("COMMIT")
    inode = db_path.stat().st_ino
    library, pending = store.load()
    assert "courier-port-repairs" not in library.briefings and pending == 0
    assert db_path.stat().st_ino == inode


def test_an_index_another_reader_rebuilt_is_reopened_not_rebuilt_again(
        content: Path, tmp_path: Path) -> None:
    """After one reader deletes the shared index (damage) and rebuilds it, the other's
    next write finds its file gone ("readonly database"): it reopens the new one."""
    db_path = tmp_path / "index.sqlite3"
    first, second = ContentStore(content, db_path), ContentStore(content, db_path)
    first.load()
    second.load()
    first._discard()
    first.load()
    inode = db_path.stat().st_ino
    (content / "gazette-port-closed.yaml").unlink()  # the second reader has to write
    library, pending = second.load()
    assert "gazette-port-closed" not in library.briefings and pending == 0
    assert db_path.stat().st_ino == inode
