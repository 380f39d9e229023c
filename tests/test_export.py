"""Markdown and JSON export of briefings and stories, and the `briefing export` command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.export import (
    briefing_json,
    briefing_markdown,
    escape,
    export_folder,
    save_new,
    story_json,
    story_markdown,
)
from briefing.loader import load_paths
from briefing.models import Briefing, Claim, OpenQuestion, Response

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def library():
    return load_paths([FIXTURES / "basic"])


def test_markdown_matches_the_expected_file(library) -> None:
    expected = (FIXTURES / "expected" / "gazette-port-closed.md").read_text(encoding="utf-8")
    assert briefing_markdown(library.briefings["gazette-port-closed"]) == expected


def test_markdown_says_unknown_and_keeps_null_quotes(library) -> None:
    text = briefing_markdown(library.briefings["courier-port-repairs"])
    assert "- **Byline:** unknown" in text and "- **Published:** unknown" in text
    assert "- **Speaker:** unknown" in text and "No quote given." in text
    assert "> could take two months" in text
    assert "- **Status:** disputed" in text


def test_markdown_escapes_untrusted_text(library) -> None:
    hostile = dataclasses.replace(
        library.briefings["gazette-port-closed"],
        title="# [bold]Loud[/bold] | *news*",
        key_claims=[Claim("c", "- a | b\nsecond line", "Mr \x1b[31mRed", "denied", "t",
                          ["1. <script>x</script>"])],
        official_responses=[Response("r", "P", None, None, None, "denies", "s", None)],
        open_questions=[OpenQuestion("q", "Why?", "_because_", [])],
    )
    text = briefing_markdown(hostile)
    assert text.startswith("# \\# \\[bold\\]Loud\\[/bold\\] \\| \\*news\\*\n")
    assert "### 1. \\- a \\| b second line" in text
    assert "Mr ␛\\[31mRed" in text and "\x1b" not in text
    assert "> 1\\. \\<script\\>x\\</script\\>" in text
    assert "\\_because\\_" in text and "- **Related claims:** none" in text


def test_escape_leaves_plain_text_alone() -> None:
    assert escape("The port's cost: about €2 million.") == "The port's cost: about €2 million."


def _from_json(text: str) -> Briefing:
    data = json.loads(text)
    data["published"] = dt.date.fromisoformat(data["published"]) if data["published"] else None
    claims = [Claim(**c) for c in data.pop("key_claims")]
    for claim in claims:
        from briefing.models import Figure

        claim.figures = [Figure(**f) for f in claim.figures]
    responses = []
    for r in data.pop("official_responses"):
        r["date"] = dt.date.fromisoformat(r["date"]) if r["date"] else None
        responses.append(Response(**r))
    questions = [OpenQuestion(**q) for q in data.pop("open_questions")]
    return Briefing(**data, key_claims=claims, official_responses=responses,
                    open_questions=questions)


def test_json_round_trips(library) -> None:
    for briefing in library.briefings.values():
        assert _from_json(briefing_json(briefing)) == briefing


def test_story_markdown_has_timeline_and_topic_table(library) -> None:
    text = story_markdown(library, "harbour-closure")
    assert "| Topic | The Example Gazette | Example Courier |" in text
    assert ("| **repair-cost**: What the repairs are expected to cost. | Repairs will cost "
            "about 2 million euros. (The harbour master; unverified) | — |") in text
    assert "- **A few days after the storm:** The mayor announces the closure." in text
    with pytest.raises(KeyError):
        story_markdown(library, "no-such-story")


def test_story_json_holds_story_and_briefings(library) -> None:
    data = json.loads(story_json(library, "harbour-closure"))
    assert data["story"]["id"] == "harbour-closure"
    assert [b["id"] for b in data["briefings"]] == ["gazette-port-closed",
                                                    "courier-port-repairs"]


def test_cli_export_to_file(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.md"
    code = main(["export", "gazette-port-closed", "--content", str(FIXTURES / "basic"),
                 "-o", str(out)])
    assert code == 0
    assert out.read_text(encoding="utf-8") == (FIXTURES / "expected" /
                                               "gazette-port-closed.md").read_text()
    assert str(out) in capsys.readouterr().err


def test_cli_export_to_a_json_file_writes_json(tmp_path: Path) -> None:
    content = str(FIXTURES / "basic")
    out = tmp_path / "out.json"
    assert main(["export", "gazette-port-closed", "--content", content, "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "gazette-port-closed"
    # An explicit --format wins over the file name.
    assert main(["export", "gazette-port-closed", "--content", content, "--format",
                 "markdown", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Storm shuts the Port")


def test_cli_export_json_and_story_to_stdout(capsys) -> None:
    content = str(FIXTURES / "basic")
    assert main(["export", "courier-port-repairs", "--format", "json",
                 "--content", content]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "courier-port-repairs"
    assert main(["--content", content, "export", "--story", "harbour-closure"]) == 0
    assert capsys.readouterr().out.startswith("# Port of Example closes after storm damage")


def test_cli_export_errors(capsys) -> None:
    content = str(FIXTURES / "basic")
    assert main(["export", "nope", "--content", content]) == 1
    assert "no valid briefing 'nope'" in capsys.readouterr().err
    assert main(["export", "--content", content]) == 2


def test_export_folder_is_downloads_else_the_current_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "dl"))
    monkeypatch.chdir(tmp_path)
    assert export_folder() == Path.cwd()  # no downloads folder yet
    (tmp_path / "dl").mkdir()
    assert export_folder() == tmp_path / "dl"


def test_an_export_never_overwrites_and_never_takes_another_briefings_name(
        tmp_path: Path) -> None:
    (tmp_path / "b1.md").write_text("annotated")
    (tmp_path / "b1 (2).md").symlink_to(tmp_path / "nowhere")  # a dangling link: taken
    (tmp_path / "b1-3.md").write_text("briefing b1-3's own export")
    assert save_new(tmp_path, "b1", "new") == tmp_path / "b1 (3).md"
    assert (tmp_path / "b1 (3).md").read_text() == "new"
    assert (tmp_path / "b1.md").read_text() == "annotated"
    assert (tmp_path / "b1-3.md").read_text() == "briefing b1-3's own export"
    assert not (tmp_path / "nowhere").exists()


# Characters a terminal may act on (C1 U+009B is a CSI) or that reorder text (bidi controls).
_UNSAFE = "\x7f\x85\x9b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _raw_unsafe(text: str) -> list[str]:
    return [ch for ch in text if ch in _UNSAFE or "\x80" <= ch <= "\x9f"]


def test_json_escapes_terminal_controls_and_keeps_the_data(library) -> None:
    hostile = dataclasses.replace(
        library.briefings["gazette-port-closed"],
        title=f"Storm \x9b[31m shuts {_UNSAFE} the port, café 港",
        summary="\u202eyadot\u202c \x1b[2J",
    )
    text = briefing_json(hostile)
    assert _raw_unsafe(text) == [] and "\x1b" not in text
    assert "\\u009b[31m" in text and "\\u202e" in text and "\\u007f" in text
    assert "café 港" in text  # other non-ASCII text stays readable
    assert _from_json(text) == hostile


def test_cli_json_export_is_terminal_safe(tmp_path: Path, capsys) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for source in (FIXTURES / "basic").glob("*.yaml"):
        (content / source.name).write_bytes(source.read_bytes())
    gazette = content / "gazette-port-closed.yaml"
    gazette.write_text(gazette.read_text(encoding="utf-8").replace(
        "title: Storm shuts the Port of Example for weeks",
        'title: "Storm \\u009b[31m shuts \\u202eport\\u2069 \\x7f café"'), encoding="utf-8")
    title = "Storm \x9b[31m shuts \u202eport\u2069 \x7f café"
    assert main(["export", "gazette-port-closed", "--format", "json",
                 "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert _raw_unsafe(out) == [] and json.loads(out)["title"] == title
    assert main(["export", "--story", "harbour-closure", "--format", "json",
                 "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert _raw_unsafe(out) == []
    assert json.loads(out)["briefings"][0]["title"] == title
