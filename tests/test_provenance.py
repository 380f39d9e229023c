"""`briefing check --sources`: every evidence and quote must appear verbatim in its article."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.loader import load_file
from briefing.provenance import appears_verbatim, check_sources, normalise

ARTICLE = """Harbour news

The port will remain closed for at least three weeks, the mayor said on Monday.
Repairs would cost “roughly €2 million” – a figure the harbour master gave — and
engineers said it could take two months.
"""


@pytest.mark.parametrize(
    ("excerpt", "found"),
    [
        ("The port will remain closed for at least three weeks,", True),
        ("The port   will remain\nclosed for at least three weeks", True),  # whitespace
        ('Repairs would cost "roughly €2 million" - a figure', True),  # straight quote, dash
        ("The port will remain closed ... the mayor said on Monday.", True),  # elision
        ("The port will remain closed … engineers said", True),  # the ellipsis character
        ("the mayor said ... The port will remain closed", False),  # elided parts out of order
        ("The port will stay closed for at least three weeks", False),  # a changed word
        ("the port will remain closed", False),  # case matters
        ("...", False),
    ],
)
def test_verbatim_with_the_allowed_tolerance(excerpt: str, found: bool) -> None:
    assert appears_verbatim(excerpt, normalise(ARTICLE)) is found


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "gazette.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def briefing_file(tmp_path: Path, basic_content: Path, source: str | None,
                  evidence: str = "roughly €2 million", quote: str | None = None) -> Path:
    text = (basic_content / "gazette-port-closed.yaml").read_text(encoding="utf-8")
    text = text.replace('"roughly €2 million"', f'"{evidence}"')
    text = text.replace('quote: "We will not reopen until it is safe."',
                        f'quote: "{quote}"' if quote else "quote: null")
    if source is not None:
        text += f"source_text: {source}\n"
    path = tmp_path / "gazette-port-closed.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_excerpt_found_gives_no_problem(tmp_path, basic_content, sources) -> None:
    path = briefing_file(tmp_path, basic_content, "gazette.txt")
    assert check_sources(load_file(path), sources) == []


def test_excerpts_not_found_are_reported_at_their_position(tmp_path, basic_content,
                                                           sources) -> None:
    path = briefing_file(tmp_path, basic_content, "gazette.txt",
                         evidence="about €2 million", quote="We reopen tomorrow.")
    problems = check_sources(load_file(path), sources)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [(p.line, p.message) for p in problems] == [
        (next(i for i, li in enumerate(lines, 1) if "about €2 million" in li),
         f"key_claims[1].evidence[0]: not found verbatim in {sources / 'gazette.txt'}"),
        (next(i for i, li in enumerate(lines, 1) if "We reopen tomorrow." in li),
         f"official_responses[0].quote: not found verbatim in {sources / 'gazette.txt'}"),
    ]


def test_missing_or_unsafe_source_text_is_a_problem(tmp_path, basic_content, sources) -> None:
    [missing] = check_sources(load_file(briefing_file(tmp_path, basic_content, None)), sources)
    assert missing.message.startswith("source_text: missing")
    for name in ("nowhere.txt", "../sources/gazette.txt"):
        [problem] = check_sources(load_file(briefing_file(tmp_path, basic_content, name)),
                                  sources)
        assert problem.message.startswith(f"source_text: no file {name!r}")


def test_check_command_with_sources(tmp_path, basic_content, sources, capsys) -> None:
    folder = tmp_path / "content"
    shutil.copytree(basic_content, folder)
    briefing = briefing_file(tmp_path, basic_content, "gazette.txt", evidence="about €2 million")
    shutil.copy(briefing, folder / briefing.name)
    (folder / "courier-port-repairs.yaml").write_text(
        (basic_content / "courier-port-repairs.yaml").read_text(encoding="utf-8")
        + "source_text: gazette.txt\n", encoding="utf-8")
    assert main(["check", str(folder), "--sources", str(sources)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].startswith(f"{folder / 'gazette-port-closed.yaml'}:")
    assert out[0].endswith(f": not found verbatim in {sources / 'gazette.txt'}")
