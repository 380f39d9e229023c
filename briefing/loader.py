"""Load briefing and story files into a `Library`, keeping every problem with its position.

A broken file never stops the others: each file is read on its own, and problems are
collected as `Problem`s (`FILE:LINE:COLUMN: message`). Checks that span files (duplicate
ids, a briefing's story, topic keys, timeline references) run once all files are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from briefing.library import Entry, Library, summarise
from briefing.library import build_library as assemble
from briefing.models import Briefing, Problem, Story, record
from briefing.paths import display_name
from briefing.validate import Issue, convert_document, format_path
from briefing.yamlsafe import ParsedYaml, YamlError, parse_yaml

YAML_SUFFIXES = (".yaml", ".yml")
__all__ = ["Library", "LoadedFile", "Problem", "build_library", "load_bytes", "load_file",
           "load_paths"]


@record
class LoadedFile:
    """One file's outcome: its document if valid, its problems, and value positions."""

    path: Path
    document: Briefing | Story | None
    problems: list[Problem]
    parsed: ParsedYaml | None = None


def load_bytes(raw: bytes, path: Path) -> LoadedFile:
    """Parse and validate one document's bytes; `path` names it and gives its expected id."""
    name = display_name(path)
    try:
        parsed = parse_yaml(raw, keep_going=True)
    except YamlError as error:
        return LoadedFile(path, None, [Problem(name, error.line, error.column, error.message)])
    problems = [
        Problem(name, line, column, f"{format_path(dup)}: duplicate key (already given above)")
        for dup, (line, column) in parsed.duplicates
    ]
    problems += [Problem(name, line, column, message)
                 for (line, column), message in parsed.unreadable]
    issues: list[Issue] = []
    document = convert_document(parsed.data, path.stem, issues)
    problems += [_locate(name, parsed, issue) for issue in issues]
    return LoadedFile(path, None if problems else document, problems, parsed)


def _locate(name: str, parsed: ParsedYaml, issue: Issue) -> Problem:
    if issue.at_key and issue.path in parsed.key_marks:
        line, column = parsed.key_marks[issue.path]
    else:
        line, column = parsed.mark_of(issue.path)
    return Problem(name, line, column, issue.message)


def load_file(path: Path) -> LoadedFile:
    """Read and validate one file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return LoadedFile(path, None, [Problem(display_name(path), 1, 1,
                                               f"cannot read file: {error.strerror}")])
    return load_bytes(raw, path)


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Files named directly plus the YAML files inside named folders, sorted."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES
                            and p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(display_name(path), 1, 1, "no such file or folder"))
    return files, problems


def references(document: Briefing | Story, parsed: ParsedYaml | None) -> list[tuple]:
    """The cross-file references of a document with their positions (see `Entry.refs`)."""
    def at(path: tuple) -> tuple[int, int]:
        return parsed.mark_of(path) if parsed is not None else (1, 1)

    refs: list[tuple] = [("id", document.id, *at(("id",)))]
    if isinstance(document, Story):
        for i, entry in enumerate(document.timeline):
            for j, ref in enumerate(entry.reported_by):
                path = ("timeline", i, "reported_by", j)
                refs.append((format_path(path), ref, *at(path)))
        return refs
    refs.append(("story", document.story, *at(("story",))))
    for i, claim in enumerate(document.key_claims):
        path = ("key_claims", i, "topic")
        refs.append((format_path(path), claim.topic, *at(path)))
    for i, question in enumerate(document.open_questions):
        if question.topic is not None:
            path = ("open_questions", i, "topic")
            refs.append((format_path(path), question.topic, *at(path)))
    return refs


def entry_of(item: LoadedFile) -> Entry | None:
    """A valid file's document as a library entry (None when the file has problems)."""
    document = item.document
    if document is None:
        return None
    entry = Entry(item.path, document.kind, document.id, refs=references(document, item.parsed))
    if isinstance(document, Story):
        entry.story = document
    else:
        entry.briefing = document
        entry.summary = summarise(document)
    return entry


def build_library(loaded: Iterable[LoadedFile], problems: list[Problem] | None = None) -> Library:
    """Gather loaded files into a library and run the checks that span files."""
    entries: list[Entry] = []
    all_problems = list(problems or [])
    for item in loaded:
        all_problems += item.problems
        entry = entry_of(item)
        if entry is not None:
            entries.append(entry)
    return assemble(entries, all_problems, display_name)


def load_paths(paths: Iterable[Path]) -> Library:
    """Load every YAML file under `paths` into one library."""
    files, problems = expand_paths(paths)
    return build_library((load_file(p) for p in files), problems)
