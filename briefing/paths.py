"""Where the reader finds its bundled files and keeps the user's config, cache and data.

User folders follow the XDG base directory rules (through platformdirs), so
`XDG_CONFIG_HOME`, `XDG_CACHE_HOME` and `XDG_DATA_HOME` move them, which tests use to
isolate themselves.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CONTENT = Path(os.environ.get("BRIEFING_BUNDLED_CONTENT", PROJECT_ROOT / "content"))
BUNDLED_THEMES = PROJECT_ROOT / "themes"
APP_NAME = "briefing"


def display_name(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when possible."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _platform_dir(kind: str) -> Path:
    import platformdirs  # only the paths that need a user folder pay for the import

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user's config folder (config.yaml, themes/)."""
    return _platform_dir("config")


def cache_dir() -> Path:
    """The user's cache folder (documents fetched from feeds)."""
    return _platform_dir("cache")


def data_dir() -> Path:
    """The user's data folder (read state database)."""
    return _platform_dir("data")


def index_path(root: Path) -> Path:
    """Where the parsed-content index of a content folder (an absolute path) lives."""
    digest = hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:20]
    return cache_dir() / "index" / f"{digest}.sqlite3"
