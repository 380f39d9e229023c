"""Load briefing and story files into a `Library`, keeping every problem with its position.

A broken file never stops the others: each file is read on its own, and problems are
collected as `Problem`s (`FILE:LINE:COLUMN: message`). Checks that span files (duplicate
ids, a briefing's story, topic keys, timeline references) run once all files are read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.models import Briefing, Story
from briefing.validate import Issue, convert_document, format_path
from briefing.yamlsafe import ParsedYaml, YamlError, parse_yaml

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found in a file, at a line and column (1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass(slots=True)
class LoadedFile:
    """One file's outcome: its document if valid, its problems, and value positions."""

    path: Path
    document: Briefing | Story | None
    problems: list[Problem]
    parsed: ParsedYaml | None = None


@dataclass(slots=True)
class Library:
    """Every valid story and briefing, with the files they came from and all problems."""

    stories: dict[str, Story] = field(default_factory=dict)
    briefings: dict[str, Briefing] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def briefings_of(self, story_id: str) -> list[Briefing]:
        """The briefings of a story, oldest first (unknown dates last), then by id."""
        found = [b for b in self.briefings.values() if b.story == story_id]
        return sorted(found, key=lambda b: (b.published is None, b.published or 0, b.id))

    def story_ids(self) -> list[str]:
        """Every story id that has a story file or a briefing, stories with files first."""
        ids = list(self.stories)
        ids += sorted({b.story for b in self.briefings.values()} - set(ids))
        return ids


def display_name(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when possible."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def load_bytes(raw: bytes, path: Path) -> LoadedFile:
    """Parse and validate one document's bytes; `path` names it and gives its expected id."""
    name = display_name(path)
    try:
        parsed = parse_yaml(raw)
    except YamlError as error:
        return LoadedFile(path, None, [Problem(name, error.line, error.column, error.message)])
    problems = [
        Problem(name, line, column, f"{format_path(dup)}: duplicate key (already given above)")
        for dup, (line, column) in parsed.duplicates
    ]
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


def build_library(loaded: Iterable[LoadedFile], problems: list[Problem] | None = None) -> Library:
    """Gather valid documents into a library and run the checks that span files."""
    library = Library(problems=list(problems or []))
    claimed: dict[str, LoadedFile] = {}
    for item in loaded:
        library.problems += item.problems
        document = item.document
        if document is None:
            continue
        key = f"{document.kind}:{document.id}"
        if key in claimed:
            library.problems.append(_at(item, ("id",), f"id: duplicate {document.kind} id "
                                    f"{document.id!r} (also in {display_name(claimed[key].path)})"))
            continue
        claimed[key] = item
        if isinstance(document, Story):
            library.stories[document.id] = document
        else:
            library.briefings[document.id] = document
        library.sources[key] = item.path
    _check_references(library, claimed)
    return library


def _at(item: LoadedFile, path: tuple, message: str) -> Problem:
    line, column = item.parsed.mark_of(path) if item.parsed else (1, 1)
    return Problem(display_name(item.path), line, column, message)


def _check_references(library: Library, claimed: dict[str, LoadedFile]) -> None:
    for briefing in library.briefings.values():
        item = claimed[f"briefing:{briefing.id}"]
        story = library.stories.get(briefing.story)
        if story is None:
            if library.stories:
                library.problems.append(_at(item, ("story",), f"story: no story file with id "
                                                              f"{briefing.story!r}"))
            continue
        topics = {t.key for t in story.topics}
        for i, claim in enumerate(briefing.key_claims):
            if claim.topic not in topics:
                library.problems.append(_at(item, ("key_claims", i, "topic"),
                                            f"key_claims[{i}].topic: {claim.topic!r} is not a "
                                            f"topic of story {story.id!r}"))
        for i, question in enumerate(briefing.open_questions):
            if question.topic is not None and question.topic not in topics:
                library.problems.append(_at(item, ("open_questions", i, "topic"),
                                            f"open_questions[{i}].topic: {question.topic!r} is "
                                            f"not a topic of story {story.id!r}"))
    for story in library.stories.values():
        item = claimed[f"story:{story.id}"]
        for i, entry in enumerate(story.timeline):
            for j, ref in enumerate(entry.reported_by):
                briefing = library.briefings.get(ref)
                if briefing is None or briefing.story != story.id:
                    library.problems.append(_at(item, ("timeline", i, "reported_by", j),
                                                f"timeline[{i}].reported_by[{j}]: no briefing "
                                                f"{ref!r} in this story"))


def load_paths(paths: Iterable[Path]) -> Library:
    """Load every YAML file under `paths` into one library."""
    files, problems = expand_paths(paths)
    return build_library((load_file(p) for p in files), problems)
