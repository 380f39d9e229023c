"""Turn a content folder into a feed: an index plus the documents, for any static server.

Only documents that pass `briefing check`'s per-file validation are published (a broken
file is reported, never sent to readers). Each document is published byte for byte at
`briefings/<id>.yaml` or `stories/<id>.yaml`; its `updated` time is the file's
modification time and its hash the SHA-256 of its bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import tempfile
from dataclasses import field
from pathlib import Path

from briefing.feed.index import FOLDERS, INDEX_NAME, format_time, render_index
from briefing.loader import Problem, build_library, expand_paths, load_bytes
from briefing.models import record
from briefing.widgets.safe import terminal_line


@record(frozen=True)
class FeedFile:
    """One published document: its bytes, hash and modification time."""

    relpath: str
    data: bytes
    sha256: str
    mtime: float


@record
class FeedContent:
    """A content folder rendered as a feed: index bytes and documents by relative path."""

    index: bytes
    files: dict[str, FeedFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class _Scanner:
    """Reads a content folder, re-reading and re-validating only files that changed."""

    def __init__(self) -> None:
        self._seen: dict[Path, tuple[tuple[int, int], bytes, object]] = {}

    def scan(self, content_dir: Path) -> FeedContent:
        files, problems = expand_paths([content_dir])
        loaded = []
        raw_of: dict[Path, bytes] = {}
        fresh: dict[Path, tuple[tuple[int, int], bytes, object]] = {}
        for path in files:
            try:
                stat = path.stat()
                signature = (stat.st_mtime_ns, stat.st_size)
                cached = self._seen.get(path)
                if cached is None or cached[0] != signature:
                    raw = path.read_bytes()
                    cached = (signature, raw, load_bytes(raw, path))
            except OSError as error:
                problems.append(Problem(str(path), 1, 1, f"cannot read file: {error.strerror}"))
                continue
            fresh[path] = cached
            raw_of[path] = cached[1]
            loaded.append(cached[2])
        self._seen = fresh
        library = build_library(loaded, problems)
        content = FeedContent(b"", problems=library.problems)
        entries = []
        for key, path in sorted(library.sources.items()):
            kind, doc_id = key.split(":", 1)
            relpath = f"{FOLDERS[kind]}/{doc_id}.yaml"
            raw = raw_of[path]
            mtime = fresh[path][0][0] / 1e9
            digest = hashlib.sha256(raw).hexdigest()
            content.files[relpath] = FeedFile(relpath, raw, digest, mtime)
            entries.append({"id": doc_id, "kind": kind, "url": relpath,
                            "updated": format_time(dt.datetime.fromtimestamp(mtime, dt.UTC)),
                            "sha256": digest})
        # `generated` is the newest document time, so an unchanged folder renders to the
        # same bytes (and the same ETag) on every scan.
        newest = max((f.mtime for f in content.files.values()), default=0.0)
        content.index = render_index(entries, dt.datetime.fromtimestamp(newest, dt.UTC))
        return content


def scan_content(content_dir: Path) -> FeedContent:
    """Validate a content folder and render it as a feed (index plus documents)."""
    return _Scanner().scan(content_dir)


def new_scanner() -> _Scanner:
    """A scanner that remembers files between scans (the server rescans on every index GET)."""
    return _Scanner()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def publish(content_dir: Path, out_dir: Path) -> FeedContent:
    """Write `content_dir` as a static feed into `out_dir`; return what was published.

    Files are written with their source modification time, so a static server's
    Last-Modified header matches the index's `updated` field.
    """
    content = scan_content(content_dir)
    for relpath, item in content.files.items():
        target = out_dir / relpath
        write_atomic(target, item.data)
        os.utime(target, (item.mtime, item.mtime))
    write_atomic(out_dir / INDEX_NAME, content.index)
    return content


def run_publish(content_dir: Path, out_dir: Path) -> int:
    """The `briefing publish DIR OUT` command: publish, report problems, return the status."""
    if not content_dir.is_dir():
        print(f"briefing publish: {content_dir}: no such folder", file=sys.stderr)
        return 2
    try:
        content = publish(content_dir, out_dir)
    except OSError as error:  # OUT is a file, or cannot be made or written
        print(f"briefing publish: cannot write to {out_dir}: "
              f"{error.strerror or error}", file=sys.stderr)
        return 2
    for problem in content.problems:
        print(f"problem: {terminal_line(str(problem))}", file=sys.stderr)
    print(f"published {len(content.files)} documents to {out_dir / INDEX_NAME}", file=sys.stderr)
    return 1 if content.problems else 0
