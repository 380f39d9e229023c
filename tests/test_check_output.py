"""Command-line output that quotes content or clients (`check`, `serve`) reaches a terminal
clean."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.cli import main
from tests.conftest import FIXTURES

BASE = (FIXTURES / "basic" / "gazette-port-closed.yaml").read_text(encoding="utf-8")


def test_keys_tags_and_file_names_are_printed_without_control_codes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gazette-port-closed.yaml").write_text(
        BASE.replace("byline: Ana Writer",
                     'byline: Ana Writer\n"\\e[31mRED\\e]0;pwned\\a\\u202e": 1'))
    # A tag's text is percent-decoded by the parser: %1B is an ESC.
    (tmp_path / "tagged.yaml").write_text("title: !<%1B]0;owned%07%1B[2J> x\n")
    (tmp_path / "name\x1b[2J.yaml").write_text("kind: briefing\n")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "RED" in out and "owned" in out and "name" in out
    for code in ("\x1b", "\x07", "\u202e"):
        assert code not in out
    assert "␛[31mRED␛]0;pwned␇" in out
    assert all(line.count(":") >= 3 for line in out.splitlines())


def test_a_file_name_that_is_not_utf8_is_printed_with_its_bytes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / os.fsdecode(b"x\xff.yaml")).write_text("kind: briefing\n")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "x\\xff.yaml:1:1: " in out


def test_the_feed_servers_log_shows_a_clients_control_codes_harmlessly(
        basic_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`briefing serve` logs each request line, which any client on the network writes."""
    import socket

    from briefing.feed.server import start_server

    with start_server(basic_content, quiet=False) as server:
        host, port = server.url.split("//")[1].split("/")[0].split(":")
        with socket.create_connection((host, int(port)), timeout=5) as client:
            client.sendall(b"GET /\x1b]0;owned\x07\x1b[2J HTTP/1.0\r\n\r\n")
            while client.recv(4096):
                pass
    err = capsys.readouterr().err
    assert "owned" in err
    assert "\x1b" not in err and "\x07" not in err


def test_commands_say_what_is_wrong_instead_of_a_traceback(
        basic_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    assert main(["--content", str(tmp_path / "no-such-folder")]) == 2
    assert "--content" in capsys.readouterr().err
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    assert main(["publish", str(basic_content), str(a_file)]) == 2
    assert f"cannot write to {a_file}" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(basic_content), "--port", str(port)]) == 2
        assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
    assert main(["serve", str(basic_content), "--port", "99999"]) == 2
    assert "cannot listen on 127.0.0.1:99999" in capsys.readouterr().err


def test_a_file_checked_alone_has_its_references_resolved_beside_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A story checked alone listed every briefing it names as missing, and a briefing
    checked alone had its topics unchecked: the files they refer to are read for that
    (found by name, as a file is named for its id), and only the named file is reported."""
    for path in (FIXTURES / "basic").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    story = tmp_path / "harbour-closure.yaml"
    assert main(["check", str(story)]) == 0
    assert capsys.readouterr().err.strip() == (
        "1 file checked, 0 problems (references resolved against 2 more files beside them)")
    (tmp_path / "courier-port-repairs.yaml").unlink()
    assert main(["check", str(story)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].endswith("no briefing 'courier-port-repairs' in this story")
    gazette = tmp_path / "gazette-port-closed.yaml"
    gazette.write_text(BASE.replace("topic: repair-cost", "topic: weather", 1))
    # A problem in the story itself is not reported: it is read, not checked.
    story.write_text(story.read_text().replace("[gazette-port-closed]", "[ghost]"))
    assert main(["check", str(gazette)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].endswith("key_claims[1].topic: 'weather' is not a topic of story "
                           "'harbour-closure'")


def test_the_feed_server_says_when_a_served_file_turns_invalid_and_when_mended(
        basic_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file broken while `briefing serve` runs dropped out of the feed without a word."""
    import shutil
    import urllib.request

    from briefing.feed.server import start_server

    folder = tmp_path / "content"
    shutil.copytree(basic_content, folder)
    gazette = folder / "gazette-port-closed.yaml"
    with start_server(folder, quiet=False) as server:
        def index() -> None:
            with urllib.request.urlopen(server.url, timeout=5) as response:
                response.read()

        index()
        assert "problem:" not in capsys.readouterr().err
        gazette.write_text(BASE.replace("status: asserted", "status: bogus", 1))
        index()
        index()  # reported once, not on every request
        err = capsys.readouterr().err
        assert err.count("problem:") == 1
        assert "gazette-port-closed.yaml:" in err and "key_claims[0].status" in err
        # Still broken, the problem a line lower: said again, and not "mended".
        gazette.write_text("# a comment\n" + BASE.replace("status: asserted", "status: bogus", 1))
        index()
        err = capsys.readouterr().err
        assert err.count("problem:") == 1 and "mended" not in err
        gazette.write_text(BASE)
        index()
        err = capsys.readouterr().err
        assert "mended:" in err and "gazette-port-closed.yaml is served again" in err
        assert "problem:" not in err


def test_a_broken_file_read_for_references_is_said_once_and_fails_the_check(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in (FIXTURES / "basic").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "harbour-closure.yaml").write_text("title: [unclosed\n")
    gazette = tmp_path / "gazette-port-closed.yaml"
    assert main(["check", str(gazette)]) == 1
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{tmp_path / 'harbour-closure.yaml'}:")
    assert line.endswith("read to resolve references, and it has 1 problem: the references "
                         "to it were not checked; check this file too")


def test_check_survives_names_that_are_no_file_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in (FIXTURES / "basic").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    story = tmp_path / "harbour-closure.yaml"
    story.write_text(story.read_text().replace("[gazette-port-closed]",
                                               '["' + "x" * 300 + '"]'))
    for target in (story, tmp_path):
        assert main(["check", str(target)]) == 1
        out = capsys.readouterr().out
        assert "expected a briefing id (a slug)" in out and "Traceback" not in out


def test_a_briefing_without_its_story_says_its_topics_went_unchecked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gazette = tmp_path / "gazette-port-closed.yaml"
    gazette.write_text(BASE.replace("topic: repair-cost", "topic: weather", 1))
    assert main(["check", str(gazette)]) == 0  # story files are optional
    assert capsys.readouterr().err.strip() == (
        "1 file checked, 0 problems; topics not checked: story file "
        "harbour-closure.yaml not found")


def test_a_missing_briefing_is_named_once_however_often_the_story_names_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = (FIXTURES / "basic" / "harbour-closure.yaml").read_text()
    (tmp_path / "harbour-closure.yaml").write_text(story)
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 1)[1] for line in out] == [
        "timeline[0].reported_by[0]: no briefing 'gazette-port-closed' in this story "
        "(named 1 more time)",
        "timeline[0].reported_by[1]: no briefing 'courier-port-repairs' in this story"]


def test_the_note_on_unchecked_topics_tells_a_missing_story_from_a_broken_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gazette = tmp_path / "gazette-port-closed.yaml"
    gazette.write_text(BASE)
    story = tmp_path / "harbour-closure.yaml"
    # Named but absent: "no such file or folder", and the story is not found, not broken.
    assert main(["check", str(gazette), str(story)]) == 1
    assert capsys.readouterr().err.strip().endswith(
        "topics not checked: story file harbour-closure.yaml not found")
    story.write_text("title: [unclosed\n")
    assert main(["check", str(gazette)]) == 1
    assert capsys.readouterr().err.strip().endswith(
        "topics not checked: story file harbour-closure.yaml does not load")
