"""What the reader has seen: a SQLite database in the user data folder (XDG_DATA_HOME).

Per briefing it keeps the last-seen version (a hash of the briefing's content, so the same
text from the bundle or a feed is the same version) and a fingerprint of every claim,
response and question as it was when last read. From that the UI asks:

- `status(briefing)`: `"new"` (never opened), `"updated"` (content changed since it was
  last opened) or `None` (seen as it is);
- `changed_items(briefing)`: item keys (`claim:<id>`, `response:<id>`, `question:<id>`)
  that are new or changed since read; empty for a briefing never opened (all of it is new,
  which the list already says);
- `mark_opened(briefing)` when a briefing is shown, `mark_item_read(...)` /
  `mark_all_read(...)` when its marked items have been read.

A damaged database file is moved aside (`*.corrupt-<date-time>`) and a fresh one created;
the reader never crashes over it. Use one `ReadState` from the UI thread (the event loop).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Literal

from briefing.models import Briefing

DB_NAME = "readstate.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS briefing_seen (
    id TEXT PRIMARY KEY, version TEXT NOT NULL, seen_at TEXT DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS item_seen (
    briefing_id TEXT NOT NULL, item TEXT NOT NULL, fingerprint TEXT NOT NULL,
    PRIMARY KEY (briefing_id, item));
"""

Status = Literal["new", "updated"] | None


def fingerprint(value: object) -> str:
    """A stable hash of a model object's content."""
    data = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    import hashlib  # here: the reader's first frame opens this module but hashes nothing

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def item_fingerprints(briefing: Briefing) -> dict[str, str]:
    """The fingerprint of each claim, response and question, by item key."""
    items: dict[str, str] = {}
    for claim in briefing.key_claims:
        items[f"claim:{claim.id}"] = fingerprint(claim)
    for response in briefing.official_responses:
        items[f"response:{response.id}"] = fingerprint(response)
    for question in briefing.open_questions:
        items[f"question:{question.id}"] = fingerprint(question)
    return items


_NOT_DAMAGE = {3, 5, 6, 8, 10, 13, 14, 15}
"""SQLite's primary result codes for a file that is fine but cannot be used now: PERM,
BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL."""


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """Whether an error opening the database means the file itself is damaged (or not a
    read-state database), rather than a folder or disk that cannot be used now."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is None or code & 0xFF not in _NOT_DAMAGE


def default_path() -> Path:
    """The database in the user's data folder."""
    from briefing.paths import data_dir

    return data_dir() / DB_NAME


class ReadState:
    """Read state of briefings, persisted in SQLite."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.recovered = False
        """True when the file was damaged and a fresh one made (see `moved_to`)."""
        self.moved_to: Path | None = None
        """Where a damaged file was moved, to be looked at or thrown away."""
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as error:
            if not _is_damage(error):
                raise  # a read-only folder, a full disk: no reason to give the marks up
            self.recovered = True
            self._move_aside()
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            # Read marks are written on every briefing shown; WAL without a sync per write
            # keeps that off the key-press path (a crash loses at most the last marks).
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            # Tables of these names but other columns (another program's, an old layout)
            # would fail at each use: taken as damage here, once.
            db.execute("SELECT id, version FROM briefing_seen LIMIT 1").fetchone()
            db.execute("SELECT briefing_id, item, fingerprint FROM item_seen LIMIT 1"
                       ).fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _move_aside(self) -> None:
        # A name of its own each time: an earlier damaged file is not overwritten.
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        tag, number = stamp, 1
        while self.path.with_name(f"{self.path.name}.corrupt-{tag}").exists():
            number += 1
            tag = f"{stamp}-{number}"
        for suffix in ("", "-wal", "-shm", "-journal"):
            damaged = self.path.with_name(self.path.name + suffix)
            if damaged.exists():
                aside = damaged.with_name(f"{damaged.name}.corrupt-{tag}")
                damaged.replace(aside)
                if not suffix:
                    self.moved_to = aside

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _version(self, briefing_id: str) -> str | None:
        row = self._db.execute("SELECT version FROM briefing_seen WHERE id = ?",
                               (briefing_id,)).fetchone()
        return row[0] if row else None

    def status(self, briefing: Briefing) -> Status:
        """`"new"` if never opened, `"updated"` if changed since last opened, else None."""
        seen = self._version(briefing.id)
        if seen is None:
            return "new"
        return "updated" if seen != fingerprint(briefing) else None

    def statuses(self, versions: dict[str, str]) -> dict[str, Status]:
        """`status` for many briefings at once, from their content hashes (by id)."""
        seen = dict(self._db.execute("SELECT id, version FROM briefing_seen"))
        return {briefing_id: "new" if briefing_id not in seen else
                ("updated" if seen[briefing_id] != version else None)
                for briefing_id, version in versions.items()}

    def changed_items(self, briefing: Briefing) -> set[str]:
        """Item keys new or changed since they were read (empty if never opened)."""
        if self._version(briefing.id) is None:
            return set()
        stored = dict(self._db.execute(
            "SELECT item, fingerprint FROM item_seen WHERE briefing_id = ?", (briefing.id,)))
        return {key for key, value in item_fingerprints(briefing).items()
                if stored.get(key) != value}

    def mark_opened(self, briefing: Briefing, version: str | None = None) -> None:
        """Record that the briefing was shown as it is now (`version`: its content hash,
        when the caller has it; computed otherwise).

        The first time, every item counts as read; later, changed items stay marked
        until `mark_item_read` or `mark_all_read`.
        """
        seen = self._version(briefing.id)
        version = version or fingerprint(briefing)
        if seen == version:  # shown before as it is: nothing to write on this key press
            return
        first = seen is None
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("INSERT OR REPLACE INTO briefing_seen (id, version) VALUES (?, ?)",
                             (briefing.id, version))
            if first:
                self._store_items(briefing.id, item_fingerprints(briefing).items())

    def mark_item_read(self, briefing: Briefing, item: str) -> None:
        """Record that one item (`claim:<id>`, ...) has been read as it is now."""
        value = item_fingerprints(briefing).get(item)
        if value is not None:
            with self._db:
                self._db.execute("BEGIN")
                self._store_items(briefing.id, [(item, value)])

    def mark_all_read(self, briefing: Briefing) -> None:
        """Record the briefing and all its items as read."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("INSERT OR REPLACE INTO briefing_seen (id, version) VALUES (?, ?)",
                             (briefing.id, fingerprint(briefing)))
            self._db.execute("DELETE FROM item_seen WHERE briefing_id = ?", (briefing.id,))
            self._store_items(briefing.id, item_fingerprints(briefing).items())

    def _store_items(self, briefing_id: str, items: object) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO item_seen (briefing_id, item, fingerprint) VALUES (?, ?, ?)",
            [(briefing_id, key, value) for key, value in items])
