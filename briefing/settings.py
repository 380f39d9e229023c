"""The reader's saved theme, kept as `theme:` in the user's `config.yaml`.

The config file itself belongs to `briefing.feed.config` (which also owns `feed:`); this
module only reads and writes its own key through it, so every other key is kept. A file
that cannot be read is never overwritten, so a typo in it does not cost the user their
other settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing.feed.config import ConfigError, config_path, load_config, save_config

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
    """Remember the chosen theme for later runs (raises `SettingsError` on a broken file)."""
    save_settings({"theme": name}, path)
