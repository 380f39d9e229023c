"""Theme files: the loader's errors, the bundled themes, and the saved theme setting."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from briefing.feed.config import load_config, save_config
from briefing.paths import BUNDLED_THEMES
from briefing.settings import (
    SettingsError,
    read_theme_setting,
    save_theme,
)
from briefing.themes import (
    EXTRA_VARIABLES,
    THEME_VARIABLE_DEFAULTS,
    ThemeError,
    load_theme_file,
    load_themes,
)
from tests.conftest import FIXTURES, touch_later

GOOD = """\
name: my-theme
primary: "#1e90ff"
dark: false
variables:
  status-denied: ansi_red
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> ThemeError:
    with pytest.raises(ThemeError) as caught:
        load_theme_file(path)
    return caught.value


def test_good_file_loads(tmp_path: Path) -> None:
    theme = load_theme_file(write(tmp_path, "mine.yaml", GOOD))
    assert theme.name == "my-theme"
    assert theme.primary == "#1e90ff"
    assert theme.dark is False
    assert theme.variables == {"status-denied": "ansi_red"}


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", 'name: x\nprimary: red: blue\n')
    error = error_of(path)
    assert error.file.endswith("broken.yaml")
    assert error.line == 2
    assert "YAML syntax error" in str(error)
    assert str(error).startswith(f"{error.file}:2:")


def test_missing_field_is_named(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "nop.yaml", "name: no-primary\ndark: true\n"))
    assert "missing required key 'primary'" in str(error)
    assert error.line == 1


def test_bad_colour_names_field_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", 'name: c\nprimary: "#1e90ff"\nbackground: blurple\n')
    error = error_of(path)
    assert (error.line, error.field) == (3, "background")
    assert "not a colour: 'blurple'" in str(error)
    assert str(error) == f"{error.file}:3:13: background: {error.message}"


def test_bad_colour_in_extra_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", 'name: v\nprimary: red\nvariables:\n'
                                     '  flag: "#12"\n')
    error = error_of(path)
    assert (error.line, error.field) == (4, "variables.flag")


def test_unquoted_hash_colour_gets_a_hint(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "h.yaml", "name: h\nprimary: #1e90ff\n"))
    assert error.field == "primary"
    assert "quote colours" in error.message


def test_unknown_key_is_named_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "u.yaml", 'name: u\nprimary: red\nbackgruond: black\n')
    error = error_of(path)
    assert (error.line, error.column, error.field) == (3, 1, "backgruond")
    assert "unknown key" in error.message


def test_css_breaking_variable_value_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "css.yaml", 'name: css\nprimary: red\nvariables:\n'
                                       '  border: "red; }"\n')
    assert error_of(path).field == "variables.border"


@pytest.mark.parametrize(("variable", "value"), [
    ("footer-key-foreground", "#5fa8d"), ("footer-key-foreground", "bluee"),
    ("border", "1"), ("text", "%"), ("block-cursor-text-style", "boldest"),
    ("link-background", "red)")])
def test_a_textual_variable_must_be_of_its_kind(tmp_path: Path, variable: str,
                                                value: str) -> None:
    """Values that pass as plain CSS tokens but that Textual cannot use where it puts the
    variable: the stylesheet's parse failed on every start (the app exited)."""
    path = write(tmp_path, "v.yaml", f'name: v\nprimary: red\nvariables:\n'
                                     f'  {variable}: "{value}"\n')
    error = error_of(path)
    assert (error.line, error.field) == (4, f"variables.{variable}")
    assert f"got {value!r}" in error.message


async def test_a_theme_with_a_bad_textual_variable_is_a_problem_not_a_crash(
        tmp_path: Path) -> None:
    from briefing.app import BriefingApp
    from tests.screen import loaded

    themes = tmp_path / "themes"
    themes.mkdir()
    text = (BUNDLED_THEMES / "briefing-dark.yaml").read_text()
    write(themes, "my-dark.yaml", text.replace('footer-key-foreground: "#5fa8d3"',
                                               'footer-key-foreground: "#5fa8d"'))
    app = BriefingApp(FIXTURES / "basic", user_themes=themes)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.theme == "briefing-dark"
        assert app.current_theme.variables["footer-key-foreground"] == "#5fa8d3"
        [problem] = app.problems
        assert problem.message.startswith("variables.footer-key-foreground: expected a colour")


def test_wrong_types_are_refused(tmp_path: Path) -> None:
    assert error_of(write(tmp_path, "a.yaml", "name: a\nprimary: red\ndark: maybe\n")
                    ).field == "dark"
    assert error_of(write(tmp_path, "b.yaml", "name: B A D\nprimary: red\n")).field == "name"
    assert error_of(write(tmp_path, "c.yaml", "name: c\nprimary: red\ntext_alpha: 3\n")
                    ).field == "text_alpha"
    assert error_of(write(tmp_path, "d.yaml", "- a list\n")).line == 1


def test_every_bundled_theme_loads_with_the_extra_variables() -> None:
    files = sorted(BUNDLED_THEMES.glob("*.yaml"))
    assert len(files) >= 4
    names = set()
    for path in files:
        theme = load_theme_file(path)
        names.add(theme.name)
        assert theme.name == path.stem
        missing = set(EXTRA_VARIABLES) - set(theme.variables)
        assert not missing, f"{path.name} lacks {missing}"
    assert {"briefing-dark", "briefing-light", "briefing-high-contrast",
            "briefing-ansi"} <= names
    assert load_theme_file(BUNDLED_THEMES / "briefing-ansi.yaml").ansi is True
    assert load_theme_file(BUNDLED_THEMES / "briefing-light.yaml").dark is False


def test_load_themes_skips_broken_user_files(tmp_path: Path) -> None:
    user = tmp_path / "themes"
    user.mkdir()
    write(user, "good.yaml", GOOD)
    write(user, "bad.yaml", "name: bad\n")
    write(user, "dark-override.yaml", 'name: briefing-dark\nprimary: "#ff0000"\n')
    write(user, "notes.txt", "not a theme")
    themes, problems = load_themes(BUNDLED_THEMES, user)
    by_name = {t.name: t for t in themes}
    assert "my-theme" in by_name and "bad" not in by_name
    assert by_name["briefing-dark"].primary == "#ff0000"  # the user's file wins
    assert len(themes) == len(by_name)
    assert len(problems) == 1 and problems[0].file.endswith("bad.yaml")
    assert "primary" in problems[0].message


def test_missing_user_folder_is_fine(tmp_path: Path) -> None:
    themes, problems = load_themes(BUNDLED_THEMES, tmp_path / "absent")
    assert len(themes) >= 4 and problems == []


@pytest.fixture
def theme_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every theme file read from disk (the real reader still runs)."""
    import briefing.themes as themes_module

    seen: list[str] = []
    real = themes_module._theme_fields

    def counting(path: Path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(themes_module, "_theme_fields", counting)
    return seen


def test_theme_cache_skips_unchanged_files_and_rereads_edited_ones(
        tmp_path: Path, theme_reads: list[str]) -> None:
    user = tmp_path / "themes"
    user.mkdir()
    mine = write(user, "good.yaml", GOOD)
    cache = tmp_path / "cache" / "themes.json"
    first, _ = load_themes(BUNDLED_THEMES, user, cache)
    assert "good.yaml" in theme_reads and cache.is_file()
    theme_reads.clear()
    again, problems = load_themes(BUNDLED_THEMES, user, cache)
    assert theme_reads == [] and problems == []
    assert again == first  # the same Theme objects' fields, from the cache
    touch_later(mine, GOOD.replace("#1e90ff", "#ff8800"))
    edited, _ = load_themes(BUNDLED_THEMES, user, cache)
    assert theme_reads == ["good.yaml"]
    assert {t.name: t for t in edited}["my-theme"].primary == "#ff8800"


def test_theme_cache_never_keeps_a_broken_file_nor_trusts_a_damaged_cache(
        tmp_path: Path, theme_reads: list[str]) -> None:
    user = tmp_path / "themes"
    user.mkdir()
    write(user, "bad.yaml", "name: bad\n")
    cache = tmp_path / "themes.json"
    for _ in range(2):  # the broken file is reported each time, never served from the cache
        _, problems = load_themes(BUNDLED_THEMES, user, cache)
        assert [p.file.endswith("bad.yaml") for p in problems] == [True]
    assert theme_reads.count("bad.yaml") == 2
    good = json.loads(cache.read_text())
    dark = next(key for key in good["themes"] if key.endswith("briefing-dark.yaml"))
    damages = [("primary", "not a colour"), ("luminosity_spread", "x"), ("dark", "false"),
               ("variables", {"changed": "1px"}), ("variables", "none")]
    for field, value in damages:
        damaged = json.loads(json.dumps(good))
        damaged["themes"][dark][2][field] = value
        cache.write_text(json.dumps(damaged))
        theme_reads.clear()
        themes, _ = load_themes(BUNDLED_THEMES, user, cache)
        assert "briefing-dark.yaml" in theme_reads, field  # read again from its file
        by_name = {t.name: t for t in themes}
        assert by_name["briefing-dark"].primary.startswith("#")
        assert by_name["briefing-dark"].dark is True
    cache.write_text(json.dumps(dict(good, version=0)))  # checked by other rules
    theme_reads.clear()
    load_themes(BUNDLED_THEMES, user, cache)
    assert "briefing-dark.yaml" in theme_reads
    cache.write_text("[" * 100_000)  # nested too deep to decode
    assert len(load_themes(BUNDLED_THEMES, user, cache)[0]) >= 4
    cache.write_text("{ damaged")
    themes, _ = load_themes(BUNDLED_THEMES, user, cache)
    assert len(themes) >= 4 and json.loads(cache.read_text())  # rebuilt


class ThemedApp(App[None]):
    """A minimal app whose stylesheet uses every extra variable."""

    CSS = "\n".join(f"#v{i} {{ color: ${name}; }}" for i, name in enumerate(EXTRA_VARIABLES))

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return THEME_VARIABLE_DEFAULTS

    def compose(self) -> ComposeResult:
        for i, _ in enumerate(EXTRA_VARIABLES):
            yield Static(f"v{i}", id=f"v{i}")


async def test_bundled_and_builtin_themes_apply_in_textual() -> None:
    themes, problems = load_themes(BUNDLED_THEMES, None)
    assert problems == []
    app = ThemedApp()
    async with app.run_test() as pilot:
        for theme in themes:
            app.register_theme(theme)
            app.theme = theme.name
            await pilot.pause()
            assert app.current_theme.name == theme.name
            assert app.theme_variables["status-denied"] == theme.variables["status-denied"]
        app.theme = "textual-light"  # a built-in theme falls back on the defaults
        await pilot.pause()
        assert app.theme_variables["flag"] == THEME_VARIABLE_DEFAULTS["flag"]


def test_theme_setting_round_trips_and_keeps_other_keys(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.yaml"
    assert read_theme_setting(path).name is None
    save_config({"feed": {"url": "http://127.0.0.1:1/feed.json"}}, path)
    save_theme("briefing-light", path)
    assert read_theme_setting(path).name == "briefing-light"
    assert load_config(path)["feed"] == {"url": "http://127.0.0.1:1/feed.json"}
    save_theme("briefing-dark", path)
    assert load_config(path) == {"feed": {"url": "http://127.0.0.1:1/feed.json"},
                                   "theme": "briefing-dark"}


def test_theme_setting_uses_the_config_dir(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    save_theme("briefing-ansi")
    assert (tmp_path / "briefing" / "config.yaml").read_text().strip() == "theme: briefing-ansi"
    assert read_theme_setting().name == "briefing-ansi"


def test_broken_settings_file_is_never_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path, "config.yaml", "feed: [unclosed\n")
    assert read_theme_setting(path).name is None
    with pytest.raises(SettingsError, match=r"config\.yaml:2:1: YAML syntax error"):
        save_theme("briefing-dark", path)
    assert path.read_text() == "feed: [unclosed\n"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("theme: [unclosed\n", 2, "YAML syntax error"),
    ("# mine\ntheme: 123\n", 2, "theme: expected a theme name; got int 123"),
    ("theme: briefing-light\ntheme: briefing-ansi\n", 2, "theme: given twice"),
    ("feed: 42\n", 1, "feed: expected a URL; got int 42"),
    ("feed: ftp://example.org/index.json\n", 1, "feed: feed URL must start with http"),
    ("\n\ntheme: no-such-theme\n", 3, "theme: no theme named 'no-such-theme'"),
])
async def test_config_problems_are_listed_at_start_with_file_and_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, line: int,
        message: str) -> None:
    """A config file the start cannot use was ignored without a word (the first sign was
    a failed theme change); each problem now shows in the problems view."""
    from briefing.app import BriefingApp
    from briefing.settings import settings_path
    from tests.screen import loaded

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text(text)
    app = BriefingApp(FIXTURES / "basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.theme in ("briefing-dark", "briefing-light")
        [problem] = app.problems
        assert (problem.file, problem.line) == (str(settings_path()), line)
        assert message in problem.message
        assert [(n.title, n.message) for n in app._notifications] == [
            ("Settings problems", "1 problem in 1 file. Press p to see it.")]


def test_saving_the_theme_keeps_the_users_comments_and_order(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("# my reader\nfeed: https://example.org/index.json  # work feed\n"
                    "theme: briefing-light   # easier on the eyes\n")
    save_theme("briefing-ansi", path)
    assert path.read_text() == ("# my reader\nfeed: https://example.org/index.json  # work "
                                "feed\ntheme: briefing-ansi   # easier on the eyes\n")
    # Windows line ends and a byte order mark stay too.
    path.write_bytes(b"\xef\xbb\xbftheme: briefing-light\r\n# mine\r\n")
    save_theme("briefing-ansi", path)
    assert path.read_bytes() == b"\xef\xbb\xbftheme: briefing-ansi\r\n# mine\r\n"
    path.write_text("# only a comment\n")
    save_theme("briefing-dark", path)
    assert path.read_text() == "# only a comment\ntheme: briefing-dark\n"
    # Comments only, but not UTF-8: an error that names the file, never a crash.
    path.write_bytes(b"# caf\xe9\n")
    with pytest.raises(SettingsError, match="not valid UTF-8"):
        save_theme("briefing-dark", path)
    # A layout the line edit cannot keep (a value over several lines) is written anew.
    path.write_text("theme: >-\n  briefing-light\nfeed: https://example.org/index.json\n")
    save_theme("briefing-dark", path)
    assert load_config(path) == {"theme": "briefing-dark",
                                   "feed": "https://example.org/index.json"}


def test_a_theme_cached_under_older_checks_is_read_again(tmp_path: Path,
                                                         theme_reads: list[str]) -> None:
    """Cached fields skip the slow checks; a cache written before a check was added (an
    older version) must not let through what the file no longer passes."""
    user = tmp_path / "themes"
    user.mkdir()
    bad = write(user, "v.yaml", 'name: v\nprimary: red\nvariables:\n'
                                '  footer-key-foreground: "#5fa8d"\n')
    info = bad.stat()
    cache = tmp_path / "themes.json"
    cache.write_text(json.dumps({"version": 1, "themes": {str(bad): [
        info.st_mtime_ns, info.st_size,
        {"name": "v", "primary": "red", "variables": {"footer-key-foreground": "#5fa8d"}}]}}))
    themes, problems = load_themes(BUNDLED_THEMES, user, cache)
    assert "v.yaml" in theme_reads
    assert "v" not in {theme.name for theme in themes}
    assert [p.message.split(":")[0] for p in problems] == ["variables.footer-key-foreground"]


def test_two_user_themes_of_one_name_are_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "name: mine\nprimary: red\n")
    write(tmp_path, "b.yaml", "name: mine\nprimary: blue\n")
    themes, problems = load_themes(BUNDLED_THEMES, tmp_path)
    assert {t.name: t for t in themes}["mine"].primary == "blue"
    [problem] = problems
    assert problem.file.endswith("b.yaml") and "also the name in a.yaml" in problem.message


def test_a_text_colour_variable_may_be_auto(tmp_path: Path) -> None:
    """Textual's `color` takes "auto 87%": a theme using it for a text colour still loads."""
    path = write(tmp_path, "auto.yaml", 'name: auto\nprimary: red\nvariables:\n'
                                        '  footer-key-foreground: "auto 87%"\n')
    assert load_theme_file(path).variables["footer-key-foreground"] == "auto 87%"


def test_config_problems_come_in_the_files_order(tmp_path: Path) -> None:
    from briefing.settings import read_theme_setting

    path = tmp_path / "config.yaml"
    path.write_text("feed: ftp://example.org/x\ntheme: 7\ntheme: briefing-light\n")
    setting = read_theme_setting(path)
    assert [(p.line, p.message.split(":")[0]) for p in setting.problems] == [
        (1, "feed"), (2, "theme"), (3, "theme")]


async def test_config_problems_name_the_file_as_content_problems_do_in_its_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The unknown theme (line 1) came after the bad feed (line 2), and the file was named
    by its absolute path beside content files named relative to the working folder."""
    from briefing.app import BriefingApp
    from briefing.settings import settings_path
    from tests.screen import loaded

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text("theme: nope\nfeed: 12\n")
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    (content / "broken.yaml").write_text("format: [\n")
    app = BriefingApp(content)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        named = [(problem.file, problem.line) for problem in app.problems]
        assert named[0] == ("config/briefing/config.yaml", 1)
        assert named[1] == ("config/briefing/config.yaml", 2)
        assert ("content/broken.yaml", 2) in named


@pytest.mark.parametrize("theme", ["textual-dark", "briefing-dark"])
async def test_starts_in_the_theme_textual_starts_in(
        theme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A theme equal to the one Textual starts in (its default, or $TEXTUAL_THEME) is no
    change: the CSS variables must still be set (the start crashed on '$panel-lighten-2')."""
    from briefing.app import BriefingApp
    from tests.screen import loaded, screen_text

    monkeypatch.setenv("TEXTUAL_THEME", theme)
    app = BriefingApp(FIXTURES / "basic", theme=theme)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.theme == theme
        assert "Storm shuts the Port of" in screen_text(app)


async def test_an_unknown_theme_option_is_announced_as_the_option_not_a_file() -> None:
    from briefing.app import BriefingApp
    from tests.screen import loaded

    app = BriefingApp(FIXTURES / "basic", theme="nope")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        [problem] = app.problems
        assert problem.file == "--theme" and "no theme named 'nope'" in problem.message
        assert [(n.title, n.message) for n in app._notifications] == [
            ("Settings problems", "1 problem with --theme. Press p to see it.")]
