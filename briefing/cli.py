"""Command line: run the reader, or `check`, `schema` and the other sub-commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.paths import BUNDLED_CONTENT

if TYPE_CHECKING:
    from briefing.loader import LoadedFile


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="A terminal news-briefing reader. With no command, opens the reader.",
    )
    parser.add_argument("--content", type=Path, default=None, metavar="DIR",
                        help="read briefings from DIR instead of the bundled content")
    parser.add_argument("--feed", metavar="URL", help="feed URL to refresh from")
    parser.add_argument("--refresh", action="store_true", help="refresh from the feed at start")
    parser.add_argument("--theme", metavar="NAME", help="use this theme for this run only")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="validate briefing and story files")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="files or folders (default: the bundled content)")
    check.add_argument("--sources", type=Path, metavar="DIR",
                       help="also check every evidence and quote against the article texts")

    commands.add_parser("schema", help="print the JSON Schema of the briefing format")

    publish = commands.add_parser("publish", help="write a content folder as a static feed")
    publish.add_argument("content_dir", type=Path, metavar="DIR", help="content folder")
    publish.add_argument("out_dir", type=Path, metavar="OUT", help="folder to write the feed to")
    serve = commands.add_parser("serve", help="serve a content folder as a feed over HTTP")
    serve.add_argument("content_dir", type=Path, nargs="?", default=None, metavar="DIR",
                       help="content folder (default: the bundled content)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port (0 picks a free one)")
    export = commands.add_parser("export", help="write a briefing or story as Markdown or JSON")
    export.add_argument("briefing_id", nargs="?", metavar="ID", help="the briefing to export")
    export.add_argument("--story", metavar="ID", help="export this story instead")
    export.add_argument("--format", choices=("markdown", "json"),
                        help="default: json for an output file ending in .json, else markdown")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    export.add_argument("--content", dest="export_content", type=Path, metavar="DIR",
                        help="read briefings from DIR instead of the bundled content")
    return parser


def run_check(paths: Sequence[Path], sources: Path | None) -> int:
    """Validate files and folders, print one line per problem, return the exit status."""
    from briefing.loader import Problem, build_library, display_name, expand_paths, load_file
    from briefing.widgets.safe import terminal_line

    files, problems = expand_paths(paths or [BUNDLED_CONTENT])
    if sources is not None and not sources.is_dir():
        print(f"briefing check: --sources {sources}: no such folder", file=sys.stderr)
        return 2
    loaded = [load_file(path) for path in files]
    if sources is not None:
        from briefing.provenance import check_sources

        for item in loaded:
            problems += check_sources(item, sources)
    context = [load_file(path) for path in _referenced_files(loaded)]
    library = build_library(loaded + context, problems)
    # The files read only to resolve references are not being checked: problems in
    # them are not reported, except that one that does not load is said once, as the
    # references to it could not be checked (and are not reported as broken either).
    unchecked = {display_name(item.path) for item in context}
    shown = [p for p in library.problems if p.file not in unchecked]
    for item in context:
        if item.problems:
            first, count = item.problems[0], len(item.problems)
            shown.append(Problem(first.file, first.line, first.column,
                                 f"read to resolve references, and it has {count} "
                                 f"problem{'s' * (count != 1)}: the references to it were "
                                 "not checked; check this file too"))
    for problem in shown:
        print(terminal_line(str(problem)))
    count = len(shown)
    summary = (f"{len(files)} file{'s' * (len(files) != 1)} checked, "
               f"{count} problem{'s' if count != 1 else ''}")
    if context:
        summary += (f" (references resolved against {len(context)} more "
                    f"file{'s' * (len(context) != 1)} beside them)")
    if not library.stories:  # else a missing story file is a problem (check_references)
        from briefing.models import Briefing

        storyless = sorted({item.document.story for item in loaded
                            if isinstance(item.document, Briefing)})
        # Files of the story's name that were read and did not load (any other problem
        # under that name, "no such file" say, is not a story file that failed).
        broken = {item.path.stem for item in loaded + context if item.document is None}
        if storyless:
            summary += "; topics not checked: story file " + ", ".join(
                f"{story}.yaml {'does not load' if story in broken else 'not found'}"
                for story in storyless)
    print(summary, file=sys.stderr)
    return 1 if count else 0


def _referenced_files(loaded: list[LoadedFile]) -> list[Path]:
    """The files beside the checked ones that their references lead to and that are not
    checked themselves: a story's briefings, a briefing's story. A file must be named as
    its id, so these are found without reading the whole folder (which may hold 10,000)."""
    from briefing.loader import YAML_SUFFIXES
    from briefing.models import Briefing
    from briefing.validate import is_slug

    checked = {item.path.resolve() for item in loaded}
    looked_up: set[tuple[Path, str]] = set()  # most briefings of a folder name one story
    found: dict[Path, Path] = {}
    for item in loaded:
        document = item.document
        if document is None:
            continue
        names = ([document.story] if isinstance(document, Briefing) else
                 [ref for entry in document.timeline for ref in entry.reported_by])
        for name in names:
            # Only ids lead to files: anything else ("../x", 300 letters) is a problem of
            # the document, not a name to open.
            if not is_slug(name) or (item.path.parent, name) in looked_up:
                continue
            looked_up.add((item.path.parent, name))
            for suffix in YAML_SUFFIXES:
                path = item.path.parent / f"{name}{suffix}"
                try:
                    if path.is_file() and path.resolve() not in checked:
                        found.setdefault(path.resolve(), path)
                except OSError:
                    continue
    return list(found.values())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefing` command."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return run_check(args.paths, args.sources)
    if args.command == "publish":
        from briefing.feed.publish import run_publish

        return run_publish(args.content_dir, args.out_dir)
    if args.command == "serve":
        from briefing.feed.server import serve_forever

        return serve_forever(args.content_dir or BUNDLED_CONTENT, args.host, args.port)
    if args.command == "export":
        from briefing.export import run_export

        return run_export(args, args.export_content or args.content or BUNDLED_CONTENT)
    if args.command == "schema":
        from briefing.schema import json_schema

        print(json.dumps(json_schema(), indent=2))
        return 0
    if args.content is not None and not args.content.is_dir():
        # An empty reader saying "every file loaded cleanly" would hide the typo.
        print(f"briefing: --content {args.content}: no such folder", file=sys.stderr)
        return 2
    from briefing.app import BriefingApp

    app = BriefingApp(content_dir=args.content or BUNDLED_CONTENT, theme=args.theme,
                      feed=args.feed, refresh_at_start=args.refresh)
    app.run()
    return app.return_code or 0
