"""Theme files: YAML descriptions of `textual.theme.Theme`s, bundled and the user's own.

A theme file is a mapping of Theme fields (`name`, `primary`, `background`, `dark`, ...)
plus `variables`, which must give the reader's own variables (claim statuses, flagged
disagreements, changed markers) so every theme colours them consistently. Files are read
with the hardened YAML reader, and every problem names the file, line and field: a user's
broken theme is reported and skipped, never fatal.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

from briefing.models import Problem
from briefing.paths import display_name
from briefing.validate import is_slug

if TYPE_CHECKING:
    from briefing.yamlsafe import ParsedYaml

THEME_SUFFIXES = (".yaml", ".yml")

THEME_VARIABLE_DEFAULTS: dict[str, str] = {
    "status-asserted": "#6c8ebf",
    "status-corroborated": "#3d9a50",
    "status-disputed": "#c98a1e",
    "status-denied": "#d04848",
    "status-unverified": "#8a8a8a",
    "flag": "#c050c0",
    "changed": "#c79a00",
}
"""The reader's own theme variables, with mid-tone fallbacks readable on light and dark
backgrounds (for Textual's built-in themes, which do not define them)."""

EXTRA_VARIABLES: tuple[str, ...] = tuple(THEME_VARIABLE_DEFAULTS)

_COLOUR_FIELDS = ("primary", "secondary", "warning", "error", "success", "accent",
                  "foreground", "background", "surface", "panel", "boost")
_BOOL_FIELDS = ("dark", "ansi")
_NUMBER_FIELDS = {"luminosity_spread": (0.0, 1.0), "text_alpha": (0.0, 1.0)}
_KNOWN_FIELDS = ("name", *_COLOUR_FIELDS, *_BOOL_FIELDS, *_NUMBER_FIELDS, "variables")
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
# Variable values go into the app's CSS; keep them to plain tokens so a user's file cannot
# break the stylesheet with stray punctuation.
_VALUE_CHARACTERS = f"#{_LOWER}{_LOWER.upper()}{_DIGITS}_ .%(),-"
# These checks run on every start (a cached theme is checked again), so they are written
# with string methods (names are checked as slugs, `validate.is_slug`): compiling the five
# patterns they were cost each start ~3 M instructions (~1 ms) before its first frame.


def _is_short_value(value: str) -> bool:
    """Whether `value` is a short CSS value of plain tokens (1-64 of `_VALUE_CHARACTERS`)."""
    return 0 < len(value) <= 64 and not value.strip(_VALUE_CHARACTERS)


def _percentage_after_space(value: str) -> str | None:
    """The text before a trailing " NN%" (1-3 digits after whitespace), or None."""
    if not value.endswith("%"):
        return None
    head = value[:-1].rstrip(_DIGITS)
    if not 1 <= len(value) - 1 - len(head) <= 3 or head == head.rstrip():
        return None
    return head.rstrip() or None


class ThemeError(Exception):
    """A theme file that cannot be used, located by file, line, column and field."""

    def __init__(self, file: str, line: int, column: int, field: str, message: str) -> None:
        self.file, self.line, self.column, self.field = file, line, column, field
        self.message = message
        super().__init__(str(self.problem()))

    def problem(self) -> Problem:
        """This error as a loader `Problem` (`FILE:LINE:COLUMN: field: message`)."""
        prefix = f"{self.field}: " if self.field else ""
        return Problem(self.file, self.line, self.column, prefix + self.message)


def is_colour(value: str) -> bool:
    """Whether Textual reads `value` as a colour (`#rrggbb`, `red`, `ansi_red`, `rgb(...)`),
    optionally followed by an alpha percentage (`#ff0000 40%`)."""
    colour = _percentage_after_space(value)
    try:
        Color.parse(value if colour is None else colour)
    except ColorParseError:
        return False
    return True


def _is_auto(value: str) -> bool:
    """Whether `value` is "auto", alone or with a percentage ("auto 87%")."""
    return value == "auto" or (value.startswith("auto")
                               and _percentage_after_space(value) == "auto")


_COLOUR_KIND = "a colour (e.g. \"#1e90ff\", \"red\" or \"ansi_red\")"
_AUTO_KIND = "a colour or \"auto\" with an optional percentage (\"auto 87%\")"
_INITIAL_KIND = "a colour or \"initial\""
_STYLE_KIND = "text styles (e.g. \"bold\", \"bold underline\" or \"none\")"


@cache
def _textual_defaults() -> dict[str, str]:
    return Theme(name="defaults", primary="#004578").to_color_system().generate()


def _textual_variable_kind(name: str) -> str | None:
    """What a value of Textual's own CSS variable `name` must be, judged by the kind of
    its default; None for a variable Textual does not define (unused, so harmless)."""
    default = _textual_defaults().get(name)
    if default is None:
        return None
    if set(default.split()) <= VALID_STYLE_FLAGS:
        return _STYLE_KIND
    if _is_auto(default) or ("foreground" in name and is_colour(default)):
        return _AUTO_KIND  # text colours: Textual's `color` also takes "auto 87%"
    if default == "initial":
        return _INITIAL_KIND
    return _COLOUR_KIND if is_colour(default) else None


def _fits_kind(kind: str, value: str) -> bool:
    if kind == _STYLE_KIND:
        return set(value.split()) <= VALID_STYLE_FLAGS
    if kind == _AUTO_KIND and _is_auto(value):
        return True
    if kind == _INITIAL_KIND and value == "initial":
        return True
    return is_colour(value)


def load_theme_file(path: Path) -> Theme:
    """Read one theme file into a `Theme`; raise `ThemeError` naming file, line and field."""
    return Theme(**_theme_fields(path))


def _theme_fields(path: Path) -> dict[str, Any]:
    """The checked `Theme` fields of a theme file (`ThemeError` if it cannot be used)."""
    from briefing.yamlsafe import YamlError, parse_yaml

    name = display_name(path)
    try:
        parsed = parse_yaml(path.read_bytes())
    except OSError as error:
        raise ThemeError(name, 1, 1, "", f"cannot read file: {error.strerror}") from None
    except YamlError as error:
        raise ThemeError(name, error.line, error.column, "", error.message) from None
    return _Reader(name, parsed).fields()


class _Reader:
    """Checks one parsed theme document, field by field, with positions."""

    def __init__(self, name: str, parsed: ParsedYaml) -> None:
        self.name = name
        self.parsed = parsed
        self.guard = True

    def fail(self, path: tuple[str, ...], message: str, at_key: bool = False) -> ThemeError:
        marks = self.parsed.key_marks if at_key else {}
        line, column = marks.get(path) or self.parsed.mark_of(path)
        return ThemeError(self.name, line, column, ".".join(path), message)

    def fields(self, guard: bool = True) -> dict[str, Any]:
        """The checked fields; `guard`: also have Textual build the theme's colours, and
        check Textual's own variables against the kinds of their defaults (both slow,
        so not for cached fields, which passed them when their file was read)."""
        self.guard = guard
        data = self.parsed.data
        if self.parsed.duplicates:
            dup, (line, column) = self.parsed.duplicates[0]
            raise ThemeError(self.name, line, column, ".".join(map(str, dup)),
                             "duplicate key (already given above)")
        if not isinstance(data, dict):
            raise self.fail((), "expected a mapping of theme fields")
        for key in data:
            if key not in _KNOWN_FIELDS:
                raise self.fail((key,), f"unknown key; expected one of: "
                                        f"{', '.join(_KNOWN_FIELDS)}", at_key=True)
        for key in ("name", "primary"):
            if key not in data:
                raise self.fail((), f"missing required key {key!r}")
        fields: dict[str, Any] = {"name": self.theme_name(data["name"])}
        for key in _COLOUR_FIELDS:
            if key in data:
                fields[key] = self.colour((key,), data[key])
        for key in _BOOL_FIELDS:
            if key in data:
                if not isinstance(data[key], bool):
                    raise self.fail((key,), f"expected true or false, got {data[key]!r}")
                fields[key] = data[key]
        for key, (low, high) in _NUMBER_FIELDS.items():
            if key in data:
                value = data[key]
                if isinstance(value, bool) or not isinstance(value, int | float) or not (
                        low <= value <= high):
                    raise self.fail((key,), f"expected a number from {low} to {high}, "
                                            f"got {value!r}")
                fields[key] = float(value)
        fields["variables"] = self.variables(data.get("variables", {}))
        if not guard:
            return fields
        try:
            Theme(**fields).to_color_system().generate()
        except (ColorParseError, ValueError) as error:  # a last guard; fields are checked above
            raise self.fail((), f"Textual cannot use this theme: {error}") from None
        return fields

    def theme_name(self, value: Any) -> str:
        if not isinstance(value, str) or not is_slug(value, 64):
            raise self.fail(("name",), f"expected a name of lowercase letters, digits and "
                                       f"hyphens, got {value!r}")
        return value

    def colour(self, path: tuple[str, ...], value: Any) -> str:
        if value is None:
            raise self.fail(path, "no value; quote colours that start with # (\"#1e90ff\"), "
                                  "since YAML reads an unquoted # as a comment")
        if not isinstance(value, str) or not is_colour(value):
            raise self.fail(path, f"not a colour: {value!r} (use e.g. \"#1e90ff\", "
                                  f"\"red\" or \"ansi_red\")")
        return value

    def variables(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.fail(("variables",), "expected a mapping of variable names to values")
        result: dict[str, str] = {}
        for key, item in value.items():
            path = ("variables", key)
            if not (isinstance(key, str) and is_slug(key, 64) and not key[0].isdigit()):
                raise self.fail(path, "variable names use lowercase letters, digits and "
                                      "hyphens", at_key=True)
            if key in EXTRA_VARIABLES:
                result[key] = self.colour(path, item)
            elif isinstance(item, str) and _is_short_value(item):
                expected = _textual_variable_kind(key) if self.guard else None
                if expected is not None and not _fits_kind(expected, item):
                    # Textual would fail on it when the stylesheet is parsed, on every start.
                    raise self.fail(path, f"expected {expected} for this Textual variable, "
                                          f"got {item!r}")
                result[key] = item
            else:
                raise self.fail(path, f"expected a short CSS value such as a colour, "
                                      f"got {item!r}")
        return result


def theme_files(folder: Path) -> list[Path]:
    """The theme files directly inside `folder`, sorted; none if it does not exist."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in THEME_SUFFIXES and p.is_file() and not p.name.startswith("."))


def load_themes(bundled_dir: Path, user_dir: Path | None,
                cache_path: Path | None = None) -> tuple[list[Theme], list[Problem]]:
    """Every usable theme, bundled first; a user theme with a bundled name replaces it.

    A broken file gives a `Problem` and is skipped, so the reader always starts. With a
    `cache_path`, the checked fields of each usable file are kept there with its time and
    size, and a file that has not changed since is not read again: reading the YAML
    (with the import of the YAML library) and checking it cost ~25 ms of every start.
    """
    cached = _read_cache(cache_path)
    kept: dict[str, list[Any]] = {}
    themes: dict[str, Theme] = {}
    user_files: dict[str, str] = {}
    problems: list[Problem] = []
    folders = [bundled_dir] + ([user_dir] if user_dir is not None else [])
    for folder in folders:
        for path in theme_files(folder):
            try:
                info = path.stat()
                key, stamp = str(path), [info.st_mtime_ns, info.st_size]
                theme = _cached_theme(cached.get(key), stamp)
                if theme is None:
                    fields = _theme_fields(path)
                    theme = Theme(**fields)
                else:
                    fields = cached[key][2]
            except ThemeError as error:
                problems.append(error.problem())
                continue
            except OSError:
                continue  # gone between the listing and the stat: as if it were not there
            if folder is not bundled_dir and theme.name in user_files:
                # Two of the user's files, one name: say which one is used.
                problems.append(Problem(display_name(path), 1, 1,
                                        f"name: {theme.name!r} is also the "
                                        f"name in {user_files[theme.name]}; this file's "
                                        "theme is used (files are read in name order)"))
            if folder is not bundled_dir:
                user_files[theme.name] = path.name
            themes[theme.name] = theme
            kept[key] = [*stamp, fields]
    if cache_path is not None and kept != cached:
        _write_cache(cache_path, kept)
    return list(themes.values()), problems


CACHE_VERSION = 2
"""Bumped when the checks change, so that fields checked by older rules are read again
(2: Textual's own variables checked against their kinds)."""


def _read_cache(cache_path: Path | None) -> dict[str, list[Any]]:
    if cache_path is None:
        return {}
    try:
        cached = json.loads(cache_path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(cached, dict) or cached.get("version") != CACHE_VERSION:
        return {}
    themes = cached.get("themes")
    return themes if isinstance(themes, dict) else {}


class _Plain:
    """Cached fields in the shape `_Reader` checks (without positions: any problem only
    sends the file to be read again, where the positions are)."""

    duplicates: list[Any] = []
    key_marks: dict[Any, Any] = {}

    def __init__(self, data: Any) -> None:
        self.data = data

    def mark_of(self, path: tuple[str, ...]) -> tuple[int, int]:
        return 1, 1


def _cached_theme(entry: Any, stamp: list[int]) -> Theme | None:
    """The theme of a cache entry for a file with this time and size, or None. An entry
    is never trusted blindly: every check of the file's fields runs again, except
    Textual's own build of the colours (the slow part)."""
    if not (isinstance(entry, list) and len(entry) == 3 and entry[:2] == stamp
            and isinstance(entry[2], dict)):
        return None
    try:
        return Theme(**_Reader("cache", _Plain(entry[2])).fields(guard=False))  # type: ignore[arg-type]
    except (ThemeError, TypeError, KeyError, AttributeError, ValueError):
        return None


def _write_cache(cache_path: Path, kept: dict[str, list[Any]]) -> None:
    from contextlib import suppress

    from briefing.feed.publish import write_atomic

    # Only a head start for the next run: a cache that cannot be written costs nothing else.
    with suppress(OSError):
        write_atomic(cache_path, json.dumps({"version": CACHE_VERSION, "themes": kept})
                     .encode("utf-8"))
