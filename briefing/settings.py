"""The user's settings file, `config.yaml` in the config folder.

Several parts of the reader keep a key there (`theme:` here, `feed:` elsewhere), so a save
changes only the keys it is given: it re-reads the file, updates those keys and writes the
whole mapping back atomically. A file that cannot be read is never overwritten, so a typo
in it does not cost the user their other settings.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from briefing.loader import display_name
from briefing.paths import config_dir
from briefing.yamlsafe import YamlError, parse_yaml

SETTINGS_FILE = "config.yaml"


class SettingsError(Exception):
    """The settings file exists but cannot be read as a YAML mapping."""


def settings_path() -> Path:
    """Where the settings live: `config.yaml` in the user's config folder."""
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> dict[str, Any]:
    """Every key of the settings file; empty when there is none.

    Raises `SettingsError` (`FILE:LINE:COLUMN: message`) when the file is broken.
    """
    path = path or settings_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise SettingsError(f"{display_name(path)}: cannot read: {error.strerror}") from None
    if not raw.strip():
        return {}
    try:
        data = parse_yaml(raw).data
    except YamlError as error:
        raise SettingsError(f"{display_name(path)}:{error.line}:{error.column}: "
                            f"{error.message}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{display_name(path)}:1:1: expected a mapping of settings")
    return data


def save_settings(values: dict[str, Any], path: Path | None = None) -> None:
    """Set the given keys in the settings file, keeping every other key as it was."""
    path = path or settings_path()
    settings = load_settings(path)
    settings.update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)
    handle, temp = tempfile.mkstemp(prefix=".config-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def saved_theme(path: Path | None = None) -> str | None:
    """The theme name chosen in an earlier run, or None (also when the file is broken)."""
    try:
        value = load_settings(path).get("theme")
    except SettingsError:
        return None
    return value if isinstance(value, str) and value else None


def save_theme(name: str, path: Path | None = None) -> None:
    """Remember the chosen theme for later runs (raises `SettingsError` on a broken file)."""
    save_settings({"theme": name}, path)
