"""The parsed-content index: start-up reads summaries from SQLite, not thousands of YAML files.

Parsing YAML costs about 1.7 ms a file even with libyaml (16.5 s for 10,000 briefings), so
each content folder gets an index in the user's cache folder. For every YAML file it keeps
the file's modification time and size, its problems, and, for a valid document, a summary
(what the list shows), its cross-file references and the whole document as JSON. At
start-up the folder is scanned (one `stat` a file) and only files that are new or whose
time or size changed are parsed again; removed files are dropped. A briefing's full text is
read from the index when it is opened. The index is never trusted blindly: anything that
cannot be read back (a damaged database, a wrong schema) makes it start afresh.

What a start needs of every file (path, time, size, kind, id, summary, problems) is also
kept as one JSON snapshot, rewritten in the transaction that changes the files table, so
that a start reads one value instead of 10,000 rows; a snapshot that does not read back is
ignored. Stories keep their title in `summary`: the list needs no more until one is opened.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, TypeVar

from briefing.codec import dumps, fingerprint_of_json, from_plain
from briefing.indexdb import IndexDamaged, connect, data_version, is_busy, is_moved, writing
from briefing.library import Entry, Library, build_library
from briefing.loader import YAML_SUFFIXES, display_name, load_file, references
from briefing.models import Briefing, BriefingSummary, Problem, Story
from briefing.paths import index_path

T = TypeVar("T")
WRITE_EVERY = 500
"""Files parsed per write transaction: another reader of the folder waits for one at most."""
SearchRow = tuple[str, str, str | None, str, str, str]
"""briefing id, section, item id, field, original text, folded text."""
_ROW = "path, mtime_ns, size, kind, doc_id, summary, refs, problems"
_LIGHT_ROW = "path, mtime_ns, size, kind, doc_id, summary, problems"
LightRow = list[Any]
"""[path, mtime_ns, size, kind, doc_id, summary (list or None), problems (list)]: what a
start needs of a file when no file changed."""


def scan(root: Path, misnamed: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """Every YAML file under `root` (relative POSIX path) with its mtime (ns) and size.

    Files whose path is not valid UTF-8 cannot be kept in the index: they are left out,
    and their paths (undecodable bytes shown as `\\xNN`) added to `misnamed`."""
    found: dict[str, tuple[int, int]] = {}

    def walk(folder: str, prefix: str) -> None:
        # A folder that cannot be read, or a file gone between listing and stat (an
        # editor's atomic save), is skipped: the next load sees it as it then is.
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            walk(entry.path, f"{prefix}{entry.name}/")
                        elif entry.name.endswith(YAML_SUFFIXES) and entry.is_file():
                            path = prefix + entry.name
                            if not path.isascii() and _undecodable(path):
                                if misnamed is not None:
                                    misnamed.append(os.fsencode(path).decode(
                                        "utf-8", "backslashreplace"))
                                continue
                            info = entry.stat()
                            found[path] = (info.st_mtime_ns, info.st_size)
                    except OSError:
                        continue
        except OSError:
            return

    if root.is_dir():
        walk(str(root), "")
    return found


def _undecodable(path: str) -> bool:
    """True if a path from the file system holds bytes that are not UTF-8 (which Python
    keeps as lone surrogates, and SQLite cannot store)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


MISNAMED = "the file name is not valid UTF-8, so the file was not read; rename it"


class ContentStore:
    """The index of one content folder; safe to use from the UI thread and workers."""

    def __init__(self, root: Path, db_path: Path | None = None) -> None:
        self.root = root.resolve()
        self.db_path = db_path or index_path(self.root)
        self._lock = threading.RLock()  # re-entered: checks fetch stories while loading
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = connect(self.db_path)
        return self._db

    def _discard(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)

    def close(self, wait: float = 0.5) -> None:
        """Close the database connection, unless a load keeps it busy for over `wait` s
        (closing at exit must not wait for a batch of indexing; the process ends anyway)."""
        if not self._lock.acquire(timeout=wait):
            return
        try:
            if self._db is not None:
                self._db.close()
                self._db = None
        finally:
            self._lock.release()

    def load(self, budget: float | None = None) -> tuple[Library, int]:
        """The folder as a library, parsing changed files for about `budget` seconds.

        With a budget, at least one changed file is parsed and parsing stops once the
        budget is spent; without one, every changed file is parsed. Returns the library and
        how many changed files are still to parse: call again (in a worker) until that is
        zero. A damaged index is deleted and rebuilt.
        """
        with self._lock:
            try:
                return self._load(budget)
            except sqlite3.DatabaseError as error:
                self._recover(error)
            except IndexDamaged:
                self._discard()
            except (ValueError, KeyError, TypeError, IndexError):
                # Values that do not fit: perhaps only the snapshot's. Read the files
                # table instead; if that fails too, start afresh.
                try:
                    with writing(self._connection()) as db:
                        db.execute("DELETE FROM meta WHERE key = 'snapshot'")
                    return self._load(budget)
                except sqlite3.DatabaseError as error:
                    self._recover(error)
                except (IndexDamaged, ValueError, KeyError, TypeError, IndexError):
                    self._discard()
            return self._load(budget)

    def _recover(self, error: sqlite3.DatabaseError) -> None:
        """After a database error: raise it again if another process holds the index
        (busy is not damage); reopen the index if another process replaced it; else the
        index is damaged, and is deleted to be rebuilt."""
        if isinstance(error, sqlite3.OperationalError) and is_busy(error):
            raise error
        if is_moved(error):
            self.close()
        else:
            self._discard()

    def _light_rows(self, db: sqlite3.Connection) -> tuple[dict[str, LightRow], bool]:
        """Every file's light row, and whether they came from the snapshot: one JSON value
        read in ~35 ms at 10,000 files, where 10,000 rows and their JSON took ~100 ms. A
        snapshot that does not read back is ignored (and written again)."""
        found = db.execute("SELECT value FROM meta WHERE key = 'snapshot'").fetchone()
        if found is not None:
            try:
                snapshot = json.loads(found[0])
            except ValueError:
                snapshot = None
            if isinstance(snapshot, list) and snapshot and all(
                    type(row) is list and len(row) == 7 for row in snapshot):
                return {row[0]: row for row in snapshot}, True
        return {path: [path, mtime, size, kind, doc_id, summary and json.loads(summary),
                       json.loads(problems)]
                for path, mtime, size, kind, doc_id, summary, problems
                in db.execute(f"SELECT {_LIGHT_ROW} FROM files")}, False

    def _load(self, budget: float | None) -> tuple[Library, int]:
        db = self._connection()
        misnamed: list[str] = []
        files = scan(self.root, misnamed)
        version = data_version(db)
        rows, from_snapshot = self._light_rows(db)
        stale = _stale(files, rows)
        # Parsing, the slow part, holds no lock: another reader of this folder goes on
        # meanwhile, and the write that follows is short.
        deadline = None if budget is None else time.perf_counter() + budget
        parsed: dict[str, tuple[tuple[Any, ...], list[tuple]]] = {}
        changed = bool(stale) or any(path not in files for path in rows)
        written = False
        for path in stale:
            parsed[path] = self._parse(path, files[path])
            out_of_time = deadline is not None and time.perf_counter() >= deadline
            if out_of_time or len(parsed) >= WRITE_EVERY:  # bounds the lock's time, and memory
                rows, version = self._write(db, files, parsed, rows, version)
                parsed, written = {}, True
                if out_of_time:
                    break
        if parsed or (not written and (changed or not from_snapshot)):
            rows, version = self._write(db, files, parsed, rows, version)
        pending = set(_stale(files, rows))
        library = self._library([row for path, row in sorted(rows.items())
                                 if path not in pending], changed=changed,
                                partial=bool(pending), version=version)
        library.problems += [Problem(display_name(self.root / path), 1, 1, MISNAMED)
                             for path in misnamed]
        return library, len(pending)

    def _write(self, db: sqlite3.Connection, files: dict[str, tuple[int, int]],
               parsed: dict[str, tuple[tuple[Any, ...], list[tuple]]],
               rows: dict[str, LightRow], version: int) -> tuple[dict[str, LightRow], int]:
        """Store the parsed files, drop the removed ones and rewrite the snapshot, in one
        transaction. `rows` are the light rows as read when the index was at `version`;
        if another process has written since, they are read again under the lock.
        Returns the rows now stored and the index's version as this write leaves it."""
        with writing(db):
            if data_version(db) != version:
                rows, _ = self._light_rows(db)
            removed = [path for path in rows if path not in files]
            db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in removed])
            db.executemany("DELETE FROM fields WHERE path = ?", [(p,) for p in removed])
            for path in removed:
                del rows[path]
            for path, (row, fields) in parsed.items():
                known = rows.get(path)
                if known is not None and (known[1], known[2]) == files[path]:
                    continue  # another reader indexed it meanwhile
                db.execute(f"INSERT OR REPLACE INTO files ({_ROW}, doc) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
                db.execute("DELETE FROM fields WHERE path = ?", (path,))
                db.executemany("INSERT INTO fields (path, briefing_id, section, item_id, field,"
                               " text, folded) VALUES (?, ?, ?, ?, ?, ?, ?)", fields)
                summary, problems = row[5], row[7]
                rows[path] = [*row[:5], summary and json.loads(summary), json.loads(problems)]
            # In the same transaction: the snapshot always matches `files`, and checks
            # across files made for other files are not kept (see `_library`).
            db.execute("INSERT OR REPLACE INTO meta VALUES ('snapshot', ?)",
                       (json.dumps(list(rows.values()), separators=(",", ":")),))
            db.execute("DELETE FROM meta WHERE key = 'cross_problems'")
            version = data_version(db)
        return rows, version

    def _parse(self, path: str, key: tuple[int, int]) -> tuple[tuple[Any, ...], list[tuple]]:
        """The `files` row of a file, and its searchable fields (for `fields`)."""
        from briefing.search import fold, searchable_fields

        loaded = load_file(self.root / path)
        problems = json.dumps([(p.line, p.column, p.message) for p in loaded.problems])
        document = loaded.document
        if document is None:
            return (path, *key, None, None, None, None, problems, None), []
        doc = dumps(document)
        summary = None
        fields: list[tuple] = []
        if isinstance(document, Briefing):
            fields = [(path, f.briefing_id, f.section, f.item_id, f.field, f.text, fold(f.text))
                      for f in searchable_fields(document)]
            summary = json.dumps([document.title, document.outlet,
                                  document.published.isoformat() if document.published else None,
                                  document.story, fingerprint_of_json(doc)])
        else:  # a story: the list needs its title only
            summary = json.dumps([document.title])
        refs = json.dumps(references(document, loaded.parsed))
        return (path, *key, document.kind, document.id, summary, refs, problems, doc), fields

    def _library(self, rows: list[LightRow], changed: bool, partial: bool,
                 version: int) -> Library:
        db = self._connection()
        known = None if changed else self._known_problems(db)
        if known is not None:
            return self._unchanged_library(rows, known)
        # The checks that span files must run: they need references and positions.
        refs = dict(db.execute("SELECT path, refs FROM files WHERE refs IS NOT NULL"))
        problems: list[Problem] = []
        entries: list[Entry] = []
        for path, _mtime, _size, kind, doc_id, summary, stored in rows:
            if stored:
                problems += [Problem(display_name(self.root / path), line, column, message)
                             for line, column, message in stored]
            if kind is None:
                continue
            entry = Entry((self.root, path), kind, doc_id)
            if path in refs:
                entry.refs = [tuple(r) for r in json.loads(refs[path])]
            if kind == "story":
                entry.story_title = summary[0]
                entry.story_fetch = _Fetcher(self, path, Story)
            else:
                entry.summary = _summary(doc_id, summary)
                entry.fetch = _Fetcher(self, path, Briefing)
            entries.append(entry)
        # While files are still to be indexed (`partial`), references into them would all
        # look broken: those checks wait for the whole folder.
        library = build_library(entries, problems, display_name, check_refs=not partial)
        library.stores = [self]
        if not partial:
            with writing(db):
                # Kept only for the files they were made for: if another process changed
                # the index since `rows` were read, its own load keeps its checks.
                if data_version(db) == version:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('cross_problems', ?)",
                               (json.dumps([[os.path.abspath(p.file), p.line, p.column,
                                             p.message] for p in library.cross_problems]),))
        return library

    def _unchanged_library(self, rows: list[LightRow], known: list[Problem]) -> Library:
        """The library when no file changed since the checks that span files last ran:
        what `build_library` does minus those checks, without an `Entry` a file (~80 ms
        at 10,000 files). As there, the first file (in path order) of an id wins; the
        problem saying so is among the `known` ones."""
        library = Library(stores=[self])
        problems = library.problems
        claimed: set[str] = set()
        stories, briefings, sources = library.stories, library.briefings, library.sources
        root = self.root
        for path, _mtime, _size, kind, doc_id, summary, stored in rows:
            if stored:
                problems += [Problem(display_name(root / path), line, column, message)
                             for line, column, message in stored]
            if kind is None:
                continue
            key = f"{kind}:{doc_id}"
            if key in claimed:
                continue
            claimed.add(key)
            if kind == "story":
                stories.put(doc_id, summary[0], fetch=_Fetcher(self, path, Story))
            else:
                briefings.put(_summary(doc_id, summary), fetch=_Fetcher(self, path, Briefing))
            sources.put(key, (root, path))
        problems += known
        library.cross_problems = list(known)
        return library

    @staticmethod
    def _known_problems(db: sqlite3.Connection) -> list[Problem] | None:
        row = db.execute("SELECT value FROM meta WHERE key = 'cross_problems'").fetchone()
        if row is None:
            return None
        return [Problem(display_name(Path(file)), line, column, message)
                for file, line, column, message in json.loads(row[0])]

    def _fetch(self, path: str, cls: type) -> Any:
        row = self._connection().execute("SELECT doc FROM files WHERE path = ?",
                                          (path,)).fetchone()
        if row is None or row[0] is None:
            raise IndexDamaged(f"{path}: no document in the index")
        return from_plain(cls, json.loads(row[0]))

    def fetch_briefing(self, path: str) -> Briefing:
        """The full briefing stored for a file (relative path); re-parses it if need be."""
        return self.fetch_document(path, Briefing)

    def fetch_document(self, path: str, cls: type[T]) -> T:
        """The full document (a Briefing or a Story) stored for a file (relative path);
        re-parses the file if the index no longer holds it."""
        with self._lock:
            try:
                return self._fetch(path, cls)
            except (sqlite3.DatabaseError, IndexDamaged, ValueError, KeyError, TypeError):
                pass
        # The index changed under us (rebuilt, or the file was edited): read the file.
        document = load_file(self.root / path).document
        if not isinstance(document, cls):
            raise KeyError(path)
        return document

    def save_opening(self, text: str) -> None:
        """Keep the opening (see `briefing.opening`), unless the index holds it already."""
        with self._lock:
            db = self._connection()
            found = db.execute("SELECT value FROM meta WHERE key = 'opening'").fetchone()
            if found is None or found[0] != text:
                with writing(db):
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('opening', ?)", (text,))

    def search(self, match: str, limit: int) -> list[tuple[str, SearchRow]]:
        """Fields matching an FTS5 query, in file order: (file path, search row) pairs."""
        with self._lock:
            try:
                found = self._connection().execute(
                    "SELECT f.path, f.briefing_id, f.section, f.item_id, f.field, f.text, "
                    "f.folded FROM search JOIN fields AS f ON f.id = search.rowid "
                    "WHERE search MATCH ? LIMIT ?", (match, limit)).fetchall()
            except sqlite3.DatabaseError:
                return []
        return [(row[0], row[1:]) for row in found]


_STORES: dict[tuple[Path, Path | None], ContentStore] = {}
_STORES_LOCK = threading.Lock()


def store_for(root: Path, db_path: Path | None = None) -> ContentStore:
    """The one store of a folder in this process, so that its lock orders every load."""
    key = (root.resolve(), db_path)
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None or store.db_path != (db_path or index_path(key[0])):
            store = _STORES[key] = ContentStore(root, db_path)
        return store


def close_all() -> None:
    """Close every store's connection (at exit)."""
    with _STORES_LOCK:
        for store in _STORES.values():
            store.close()
        _STORES.clear()


def _stale(files: dict[str, tuple[int, int]], rows: dict[str, LightRow]) -> list[str]:
    """The files (in path order) not in the index as they are now: new or changed."""
    return [path for path, key in sorted(files.items())
            if path not in rows or (rows[path][1], rows[path][2]) != key]


class _Fetcher:
    """A picklable, cheap stand-in for `lambda: store.fetch_document(path, cls)`."""

    __slots__ = ("store", "path", "cls")

    def __init__(self, store: ContentStore, path: str, cls: type) -> None:
        self.store = store
        self.path = path
        self.cls = cls

    def __call__(self) -> Any:
        return self.store.fetch_document(self.path, self.cls)


def _summary(doc_id: str, values: list[Any]) -> BriefingSummary:
    title, outlet, published, story, version = values
    return BriefingSummary(doc_id, story, title, outlet,
                           dt.date.fromisoformat(published) if published else None, version)

