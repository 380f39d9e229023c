"""Where the reader finds its bundled files and keeps the user's config, cache and data.

User folders follow the XDG base directory rules (through platformdirs), so
`XDG_CONFIG_HOME`, `XDG_CACHE_HOME` and `XDG_DATA_HOME` move them, which tests use to
isolate themselves.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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


def config_path() -> Path:
    """Where the config file lives (it may not exist yet): `config.yaml` in the config
    folder. Read and written by `briefing.feed.config`."""
    return config_dir() / "config.yaml"


def data_dir() -> Path:
    """The user's data folder (read state database)."""
    return _platform_dir("data")


def index_path(root: Path) -> Path:
    """Where the parsed-content index of a content folder (an absolute path) lives."""
    digest = _sha256(str(root).encode("utf-8")).hexdigest()[:20]
    return cache_dir() / "index" / f"{digest}.sqlite3"


def _sha256(data: bytes) -> Any:
    # CPython's own SHA-256 (3.11 `_sha256`, 3.12 on `_sha2`) where it has one: this runs
    # before the first frame, where `hashlib`'s import, which loads OpenSSL, cost ~1.7 ms
    # (of a ~0.3 s start) to hash one short path.
    try:
        from _sha256 import sha256
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[no-redef]
        except ImportError:
            from hashlib import sha256
    return sha256(data)
