"""Shared fixtures: paths to fixture content, and isolated user folders for every test."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point the XDG folders at a fresh temporary folder so no test touches the user's own."""
    home = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    return home


@pytest.fixture
def basic_content() -> Path:
    """A valid story with two briefings."""
    return FIXTURES / "basic"


@pytest.fixture
def content(tmp_path: Path, basic_content: Path) -> Path:
    """A copy of the basic content that a test may edit."""
    folder = tmp_path / "content"
    shutil.copytree(basic_content, folder)
    return folder


def touch_later(path: Path, text: str) -> None:
    """Rewrite a file and move its mtime forward, as an editor saving it later would."""
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
