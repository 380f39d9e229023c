"""`safe_text`, `is_slug` and the theme checks against the regular expressions they stand
for: all are written without a compiled pattern, to keep one out of every start."""

from __future__ import annotations

import re

import pytest

from briefing.themes import (
    _is_auto,
    _is_short_value,
    _percentage_after_space,
)
from briefing.validate import SLUG_PATTERN, is_slug
from briefing.widgets.safe import plain, safe_text, terminal_line

# The rule as a pattern: C0 controls but tab and newline, DEL, C1 controls and the
# bidirectional embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def expected(value: str, multiline: bool) -> str:
    def visible(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x20:
            return chr(0x2400 + code)
        return "\u2421" if code == 0x7F else "\ufffd"

    cleaned = UNSAFE.sub(visible, value)
    return cleaned.replace("\t", "    ") if multiline else re.sub("[\n\t]", " ", cleaned)


@pytest.mark.parametrize("multiline", [False, True])
def test_every_character_of_the_first_planes_is_made_safe_as_the_rule_says(
        multiline: bool) -> None:
    for code in range(0x3000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{chr(code)}b\n{chr(code)}"
        assert safe_text(text, multiline=multiline) == expected(text, multiline), hex(code)


def test_escapes_and_overrides_show_as_symbols() -> None:
    title = "\x1b[31mred\x1b[0m \u202eevil\u202c tab\there\x7f\x85"
    assert safe_text(title) == "␛[31mred␛[0m \ufffdevil\ufffd tab here\u2421\ufffd"
    assert safe_text("one\ntwo\tthree", multiline=True) == "one\ntwo    three"
    assert plain("[bold]x[/]\x1b").plain == "[bold]x[/]␛"
    assert terminal_line("file\udcff\n") == "file\\xff "


def test_printable_text_comes_back_unchanged() -> None:
    text = "Ukraine’s president said “two Chinese citizens” were captured — 155 more"
    assert safe_text(text) is text
    assert safe_text(f"{text}\n{text}", multiline=True) == f"{text}\n{text}"


@pytest.mark.parametrize("text", [
    "", "a", "0", "-", "-a", "a-", "a--b", "a" * 80, "a" * 81, "A", "aB", "a_b", "a b",
    "a\n", "\na", "é", "a.b", "١٢", "ａ", "story-2025-04",
])
def test_is_slug_agrees_with_the_slug_pattern(text: str) -> None:
    assert is_slug(text) == bool(re.fullmatch(SLUG_PATTERN, text))


# The theme checks, also written without patterns, against the patterns they replaced.
@pytest.mark.parametrize("text", [
    "", "a", "-a", "a-b", "9lives", "A", "a_b", "a" * 64, "a" * 65, "é", "a\n", "my-theme",
])
def test_theme_names_are_checked_as_the_name_patterns_did(text: str) -> None:
    assert is_slug(text, 64) == bool(re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", text))
    variable_name = is_slug(text, 64) and not text[0].isdigit()
    assert variable_name == bool(re.fullmatch(r"[a-z][a-z0-9-]{0,63}", text))


@pytest.mark.parametrize("text", [
    "", "#1e90ff", "rgb(1, 2, 3)", "bold underline", "auto 87%", "x" * 64, "x" * 65, "a;b",
    "a{b}", "a\n", "é", "ansi_red",
])
def test_short_values_are_checked_as_the_value_pattern_did(text: str) -> None:
    assert _is_short_value(text) == bool(re.fullmatch(r"[#a-zA-Z0-9_ .%(),-]{1,64}", text))


@pytest.mark.parametrize("text", [
    "#ff0000 40%", "red 5%", "red  100%", "red 1000%", "red40%", "red %", " 40%", "red\t7%",
    "auto", "auto 87%", "auto87%", "auto 8777%", "autox", "auto\n", "#ff0000",
])
def test_percentages_and_auto_are_read_as_the_patterns_did(text: str) -> None:
    suffixed = re.fullmatch(r"(.*\S)\s+[0-9]{1,3}%", text)
    assert _percentage_after_space(text) == (suffixed.group(1) if suffixed else None)
    assert _is_auto(text) == bool(re.fullmatch(r"auto(\s+[0-9]{1,3}%)?", text))
