"""The reader's saved theme, kept as `theme:` in the user's `config.yaml`.

The config file itself belongs to `briefing.feed.config` (which also owns `feed:`); this
module only reads and writes its own key through it, so every other key is kept. A file
that cannot be read is never overwritten, so a typo in it does not cost the user their
other settings.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from briefing.feed.config import (
    ConfigError,
    config_path,
    configured_feed,
    read_config,
    set_config_value,
)
from briefing.models import Problem, record
from briefing.paths import display_name
from briefing.validate import describe_value

SettingsError = ConfigError
"""The config file exists but cannot be read; the message names the file and line."""


def settings_path() -> Path:
    """Where the settings live: `config.yaml` in the user's config folder."""
    return config_path()


def save_theme(name: str, path: Path | None = None) -> None:
    """Remember the chosen theme for later runs (raises `SettingsError` on a broken file),
    changing only the `theme:` line of the file: the user's comments stay."""
    set_config_value("theme", name, path)


@record
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
    path = path or config_path()
    try:
        parsed = read_config(path)
    except ConfigError as error:
        file = display_name(Path(error.file) if error.file else path)
        return ThemeSetting(None, problems=[Problem(file, error.line, error.column,
                                                    error.reason)])
    if parsed is None:
        return ThemeSetting(None)
    file = display_name(path)  # as content problems name their files
    problems = [Problem(file, line, column, f"{key_path[-1]}: given twice; the first is used")
                for key_path, (line, column) in parsed.duplicates if len(key_path) == 1]
    setting = ThemeSetting(None, *parsed.mark_of(("theme",)), problems=problems)
    theme = parsed.data.get("theme")
    if isinstance(theme, str) and theme:
        setting.name = theme
    elif theme is not None:
        problems.append(Problem(file, setting.line, setting.column,
                                f"theme: expected a theme name; got {describe_value(theme)}"))
    try:
        configured_feed(parsed)
    except ValueError as error:
        problems.append(Problem(file, *parsed.mark_of(("feed",)), f"feed: {error}"))
    problems.sort(key=lambda problem: (problem.line, problem.column))  # in the file's order
    return setting
