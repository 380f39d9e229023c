"""The reader's saved theme, kept as `theme:` in the user's `config.yaml`.

The config file itself belongs to `briefing.feed.config` (which also owns `feed:`); this
module only reads and writes its own key through it, so every other key is kept. A file
that cannot be read is never overwritten, so a typo in it does not cost the user their
other settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.feed.config import (
    ConfigError,
    check_feed_url,
    config_path,
    load_config,
    save_config,
    set_config_value,
)
from briefing.models import Problem

SettingsError = ConfigError
"""The config file exists but cannot be read; the message names the file and line."""


def settings_path() -> Path:
    """Where the settings live: `config.yaml` in the user's config folder."""
    return config_path()


def load_settings(path: Path | None = None) -> dict[str, Any]:
    """Every key of the config file; empty when there is none (`SettingsError` if broken)."""
    return load_config(path)


def save_settings(values: dict[str, Any], path: Path | None = None) -> None:
    """Set the given keys in the config file, keeping every other key as it was."""
    settings = load_config(path)  # raises on a broken file, which is then left alone
    settings.update(values)
    save_config(settings, path)


def saved_theme(path: Path | None = None) -> str | None:
    """The theme name chosen in an earlier run, or None (also when the file is broken)."""
    try:
        value = load_config(path).get("theme")
    except ConfigError:
        return None
    return value if isinstance(value, str) and value else None


def save_theme(name: str, path: Path | None = None) -> None:
    """Remember the chosen theme for later runs (raises `SettingsError` on a broken file),
    changing only the `theme:` line of the file: the user's comments stay."""
    set_config_value("theme", name, path)


@dataclass
class ThemeSetting:
    """The saved theme as a start reads it: its name (None: none usable), where it is
    written (for a problem about it), and the config file's problems."""

    name: str | None
    line: int = 1
    column: int = 1
    problems: list[Problem] = field(default_factory=list)


def read_theme_setting(path: Path | None = None) -> ThemeSetting:
    """The saved theme, and every problem of the config file that a start can see (a
    broken file, a wrong type, a key given twice, a feed that is not a URL), each with
    the file, line and field, for the problems view."""
    from briefing.yamlsafe import YamlError, parse_yaml

    path = path or config_path()
    try:
        load_config(path)  # every check it makes (readable, a mapping) ...
        parsed = parse_yaml(path.read_bytes())  # ... and positions: read once more
    except FileNotFoundError:
        return ThemeSetting(None)
    except ConfigError as error:
        return ThemeSetting(None, problems=[Problem(error.file or str(path), error.line,
                                                    error.column, _after_place(str(error)))])
    except (OSError, YamlError):  # comments only (which the parser calls empty), or a
        return ThemeSetting(None)  # file changed since load_config read it
    if not isinstance(parsed.data, dict):  # an empty file
        return ThemeSetting(None)
    file = str(path)
    problems = [Problem(file, line, column, f"{key_path[-1]}: given twice; the first is used")
                for key_path, (line, column) in parsed.duplicates if len(key_path) == 1]
    setting = ThemeSetting(None, *parsed.mark_of(("theme",)), problems=problems)
    theme = parsed.data.get("theme")
    if isinstance(theme, str) and theme:
        setting.name = theme
    elif theme is not None:
        problems.append(Problem(file, setting.line, setting.column,
                                f"theme: expected a theme name; got {_described(theme)}"))
    feed = parsed.data.get("feed")
    if feed is not None and feed != "":
        try:
            if not isinstance(feed, str):
                raise ValueError(f"expected a URL; got {_described(feed)}")
            check_feed_url(feed)
        except ValueError as error:
            problems.append(Problem(file, *parsed.mark_of(("feed",)), f"feed: {error}"))
    return setting


def _after_place(message: str) -> str:
    """A `ConfigError` message without the `FILE:LINE:COLUMN: ` it starts with."""
    parts = message.split(": ", 1)
    return parts[1] if len(parts) == 2 else message


def _described(value: Any) -> str:
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    return f"{type(value).__name__} {str(value)[:40]!r}"
