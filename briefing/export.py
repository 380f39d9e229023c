"""Export a briefing or a story as Markdown or JSON, for reading outside the app.

The Markdown keeps everything a reader needs to judge the article: every claim with its
claimant and status, every response, every open question, and the verbatim excerpts as
`>` quotations. Untrusted text is escaped so it cannot turn into Markdown structure, and
control characters are made visible so the output is safe to print to a terminal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import re
import sys
from argparse import Namespace
from pathlib import Path
from typing import Any

from briefing.loader import Library
from briefing.models import (
    Briefing,
    Claim,
    OpenQuestion,
    Response,
    describe_figure,
    display_or_unknown,
)
from briefing.widgets.safe import safe_text

_INLINE = re.compile(r"([\\`*_\[\]<>|~#])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)
# What `safe_text` makes visible in Markdown, less C0 (which json.dumps always escapes):
# DEL, C1 (U+009B is a CSI on some terminals) and the bidi embeddings, overrides and
# isolates. JSON must keep the data as it is, so these become \uXXXX escapes instead.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """One line of untrusted text as literal Markdown: whitespace folded, markup escaped."""
    flat = " ".join(safe_text(text).split())
    flat = _INLINE.sub(r"\\\1", flat)
    flat = _ENTITY.sub("&amp;", flat)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), flat)


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker


def quote(text: str) -> str:
    """A verbatim excerpt as a Markdown block quotation."""
    return "> " + escape(text)


def _cell(text: str) -> str:
    return escape(text) if text else ""


def briefing_markdown(b: Briefing) -> str:
    """The whole briefing as Markdown."""
    out = [f"# {escape(b.title)}", ""]
    for label, value in (("Outlet", b.outlet), ("Byline", b.byline),
                         ("Published", b.published), ("URL", b.url), ("Story", b.story),
                         ("Briefing", b.id)):
        out.append(f"- **{label}:** {escape(display_or_unknown(value))}")
    out += ["", "## Summary", "", escape(b.summary), "", "## Key claims", ""]
    if not b.key_claims:
        out += ["None reported.", ""]
    for number, claim in enumerate(b.key_claims, 1):
        out += [f"### {number}. {escape(claim.text)}", "",
                f"- **Claimant:** {escape(claim.claimant)}",
                f"- **Status:** {claim.status}",
                f"- **Topic:** {escape(claim.topic)}"]
        out += [f"- **Figure:** {escape(describe_figure(figure))}" for figure in claim.figures]
        out += ["", "Evidence:", ""]
        for excerpt in claim.evidence:
            out += [quote(excerpt), ""]
    out += ["## Official responses", ""]
    if not b.official_responses:
        out += ["None reported.", ""]
    for response in b.official_responses:
        speaker = display_or_unknown(response.speaker)
        if response.role:
            speaker += f" ({response.role})"
        out += [f"### {escape(response.party)}: {escape(response.stance)}", "",
                f"- **Speaker:** {escape(speaker)}",
                f"- **Date:** {display_or_unknown(response.date)}", "",
                escape(response.summary), ""]
        out += [quote(response.quote) if response.quote else "No quote given.", ""]
    out += ["## Open questions", ""]
    if not b.open_questions:
        out += ["None reported.", ""]
    for question in b.open_questions:
        out += [f"### {escape(question.text)}", "",
                f"- **Why it matters:** {escape(question.why_it_matters)}",
                f"- **Related claims:** {escape(', '.join(question.related_claims)) or 'none'}",
                f"- **Topic:** {escape(display_or_unknown(question.topic))}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def terminal_safe_json(value: Any) -> str:
    """`value` as indented JSON that is safe to print to a terminal.

    Other non-ASCII text stays readable; control and bidi characters are written as
    `\\uXXXX` escapes, so the JSON holds exactly the same data.
    """
    text = json.dumps(value, indent=2, ensure_ascii=False)
    # Such characters can only occur inside JSON strings, where an escape means the same.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def briefing_json(b: Briefing) -> str:
    """The briefing as JSON, with the same keys as its YAML file (dates as `YYYY-MM-DD`)."""
    return terminal_safe_json(_plain(dataclasses.asdict(b)))


def _story_or_error(library: Library, story_id: str) -> None:
    if story_id not in library.stories and not library.briefings_of(story_id):
        raise KeyError(f"no story {story_id!r}")


def story_markdown(library: Library, story_id: str) -> str:
    """A story's summary, timeline and claims-by-topic table (one column per outlet)."""
    _story_or_error(library, story_id)
    story = library.stories.get(story_id)
    briefings = library.briefings_of(story_id)
    out = [f"# {escape(story.title if story else story_id)}", ""]
    out += [escape(story.summary) if story else "No story file: summary unknown.", ""]
    out += ["## Briefings", ""]
    for b in briefings:
        out.append(f"- {escape(display_or_unknown(b.outlet))}, "
                   f"{display_or_unknown(b.published)}: {escape(b.title)} ({escape(b.id)})")
    out += ["", "## Timeline", ""]
    timeline = story.timeline if story else []
    if not timeline:
        out.append("No timeline.")
    for entry in timeline:
        when = entry.placed
        sources = ", ".join(entry.reported_by)
        out.append(f"- **{escape(when)}:** {escape(entry.event)} "
                   f"(reported by: {escape(sources) or 'none'})")
    out += ["", "## Claims by topic", ""]
    outlets = list(dict.fromkeys(display_or_unknown(b.outlet) for b in briefings))
    topics = [(t.key, t.description) for t in story.topics] if story else []
    known = {key for key, _ in topics}
    topics += [(key, "") for key in dict.fromkeys(
        c.topic for b in briefings for c in b.key_claims) if key not in known]
    out.append("| Topic | " + " | ".join(escape(o) for o in outlets) + " |")
    out.append("|---|" + "---|" * len(outlets))
    for key, description in topics:
        cells = []
        for outlet in outlets:
            claims = [f"{c.text} ({c.claimant}; {c.status})" for b in briefings
                      if display_or_unknown(b.outlet) == outlet
                      for c in b.key_claims if c.topic == key]
            cells.append("<br>".join(_cell(text) for text in claims) or "—")
        label = f"**{escape(key)}**" + (f": {escape(description)}" if description else "")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def story_json(library: Library, story_id: str) -> str:
    """The story and its briefings as one JSON document."""
    _story_or_error(library, story_id)
    story = library.stories.get(story_id)
    data = {
        "story": _plain(dataclasses.asdict(story)) if story else None,
        "briefings": [_plain(dataclasses.asdict(b)) for b in library.briefings_of(story_id)],
    }
    return terminal_safe_json(data)


MAX_EXPORT_COPIES = 999
"""Exports of one briefing in one folder before `e` gives up (and says so)."""


def export_folder() -> Path:
    """Where the reader's `e` key saves: the downloads folder, else the current one."""
    import platformdirs

    folder = Path(platformdirs.user_downloads_dir())
    return folder if folder.is_dir() else Path.cwd()


def save_new(folder: Path, stem: str, text: str, suffix: str = ".md") -> Path:
    """Write `text` to `stem.md` in `folder`, or to `stem (2).md`, `stem (3).md`... the
    first name no file has, and return the path. An earlier export, perhaps annotated
    since, is never overwritten: each name is created exclusively (no check-then-write
    race, and a link standing there counts as taken). A slug cannot hold " (": the names
    of two briefings' exports never meet."""
    for number in range(1, MAX_EXPORT_COPIES + 1):
        path = folder / (f"{stem}{suffix}" if number == 1 else f"{stem} ({number}){suffix}")
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(errno.EEXIST, f"{MAX_EXPORT_COPIES} exports of it already there",
                          str(folder / f"{stem}{suffix}"))


def run_export(args: Namespace, content: Path) -> int:
    """The `briefing export` command: write one briefing or story to stdout or a file."""
    from briefing.loader import load_paths

    if (args.briefing_id is None) == (args.story is None):
        print("briefing export: give a briefing ID or --story ID (one of them)", file=sys.stderr)
        return 2
    if args.format is None:  # -o briefing.json means JSON
        json_file = args.output is not None and args.output.suffix.lower() == ".json"
        args.format = "json" if json_file else "markdown"
    library = load_paths([content])
    if args.story is not None:
        try:
            text = (story_json if args.format == "json" else story_markdown)(library, args.story)
        except KeyError:
            print(f"briefing export: no story {args.story!r} in {content}", file=sys.stderr)
            return 1
    else:
        briefing = library.briefings.get(args.briefing_id)
        if briefing is None:
            print(f"briefing export: no valid briefing {args.briefing_id!r} in {content}",
                  file=sys.stderr)
            return 1
        text = (briefing_json if args.format == "json" else briefing_markdown)(briefing)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"briefing export: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def item_text(b: Briefing, item: Claim | Response | OpenQuestion) -> str:
    """One claim, response or question as plain text with its attribution, for the clipboard."""
    source = f"{b.title} ({display_or_unknown(b.outlet)}, {display_or_unknown(b.published)})"
    if isinstance(item, Claim):
        lines = [f"{item.text}", f"Claimed by {item.claimant}; status: {item.status}."]
        lines += [f"Figure: {describe_figure(figure)}" for figure in item.figures]
        lines += [f"Evidence: “{excerpt}”" for excerpt in item.evidence]
    elif isinstance(item, Response):
        who = ", ".join(v for v in (item.speaker, item.role) if v) or "speaker unknown"
        lines = [f"{item.party} ({item.stance}): {item.summary}",
                 f"Speaker: {who}; date: {display_or_unknown(item.date)}."]
        if item.quote:
            lines.append(f"Quote: “{item.quote}”")
    else:
        lines = [item.text, f"Why it matters: {item.why_it_matters}"]
    return "\n".join([*lines, f"Source: {source}"])
