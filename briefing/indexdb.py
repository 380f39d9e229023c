"""The content index's SQLite file: its schema, its connections and its write transactions.

Two readers of one folder (two terminals opened at once) share its index. Every write
transaction takes the write lock before it reads anything (`BEGIN IMMEDIATE`): a
transaction that read first and then wrote could deadlock with the other process's, and
SQLite breaks such a deadlock by failing one of them at once ("database is locked") rather
than letting it wait. Writes are kept short (files are parsed before the lock is taken), so
waiting for the lock is quick; `data_version` tells a writer whether another process
committed since it read, so that it can read again before writing (see `store.py`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA_VERSION = "4"
BUSY_TIMEOUT = 10.0
"""Seconds a statement waits for another process's write before it fails."""
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    kind TEXT,
    doc_id TEXT,
    summary TEXT,
    refs TEXT,
    problems TEXT NOT NULL,
    doc TEXT
);
CREATE TABLE IF NOT EXISTS fields (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    briefing_id TEXT NOT NULL,
    section TEXT NOT NULL,
    item_id TEXT,
    field TEXT NOT NULL,
    text TEXT NOT NULL,
    folded TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fields_by_path ON fields (path);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    folded, content='fields', content_rowid='id', tokenize='unicode61 remove_diacritics 2',
    prefix='1 2 3'
);
CREATE TRIGGER IF NOT EXISTS fields_added AFTER INSERT ON fields BEGIN
    INSERT INTO search (rowid, folded) VALUES (new.id, new.folded);
END;
CREATE TRIGGER IF NOT EXISTS fields_removed AFTER DELETE ON fields BEGIN
    INSERT INTO search (search, rowid, folded) VALUES ('delete', old.id, old.folded);
END;
"""


class IndexDamaged(Exception):
    """The index could not be read back; it is rebuilt from the files."""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if need be) the index at `path`, checking its schema version.

    The connection is in autocommit mode: every write goes through `writing`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT,
                         isolation_level=None)
    try:
        version = _schema_version(db)
        if version is None:
            # In one transaction that holds the write lock: another process creating the
            # same index at the same moment waits, then finds it made.
            db.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\nINSERT OR IGNORE INTO meta "
                             f"VALUES ('schema', '{SCHEMA_VERSION}');\nCOMMIT;")
            version = _schema_version(db)
        if version != SCHEMA_VERSION:
            raise IndexDamaged(f"schema {version}, expected {SCHEMA_VERSION}")
    except (sqlite3.DatabaseError, IndexDamaged):
        db.close()
        raise
    return db


def _schema_version(db: sqlite3.Connection) -> str | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return None
        raise
    return None if row is None else row[0]


@contextmanager
def writing(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that holds the write lock from its start (see above)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        # A COMMIT that failed (busy) leaves the transaction open, and its lock held.
        if db.in_transaction:
            db.rollback()
        raise


def data_version(db: sqlite3.Connection) -> int:
    """A number that changes when another connection commits to the index."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def is_busy(error: sqlite3.Error) -> bool:
    """Whether the error says another process holds the index (not that it is damaged)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    message = str(error).lower()
    return "locked" in message or "busy" in message


def is_moved(error: sqlite3.Error) -> bool:
    """Whether the index file was deleted or replaced under this connection (by another
    process rebuilding it): reopen it, it is not damaged."""
    return getattr(error, "sqlite_errorcode", None) == SQLITE_READONLY_DBMOVED


SQLITE_READONLY_DBMOVED = 1032
