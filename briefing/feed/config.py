"""The user's config file: `config.yaml` in the user config folder (XDG_CONFIG_HOME).

It is a small YAML mapping. This module owns `feed:` (the feed's index URL); other parts of
the reader own other keys (e.g. `theme:`), so `load_config`/`save_config` keep every key
they do not know about. The file is read with the project's hardened YAML reader and
written atomically.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from briefing.paths import config_path

if TYPE_CHECKING:
    from briefing.yamlsafe import ParsedYaml


class ConfigError(Exception):
    """The config file exists but cannot be used; the message names the file and line."""

    def __init__(self, message: str, line: int = 1, column: int = 1,
                 file: str | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.line, self.column, self.file = line, column, file
        """Where, when known (`file` None: the message names it)."""
        self.reason = reason or message
        """The message without the place it starts with."""


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The config as a dict: empty when the file does not exist; ConfigError if broken."""
    parsed = read_config(path)
    return {} if parsed is None else parsed.data


def read_config(path: Path | None = None) -> ParsedYaml | None:
    """The config file parsed, with the positions of its keys and values; None when there
    is no file or no setting in it (empty, or comments only); ConfigError if broken."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}", file=str(path),
                          reason=f"cannot read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None  # the parser reports where
    if text is not None and all(not line.strip() or line.lstrip().startswith("#")
                                for line in text.removeprefix("\ufeff").splitlines()):
        return None  # empty, or comments only: no settings yet
    # Imported here: a start without a config file then never loads the YAML library.
    from briefing.yamlsafe import YamlError, parse_yaml

    try:
        parsed = parse_yaml(raw)
    except YamlError as error:
        raise ConfigError(f"{path}:{error.line}:{error.column}: {error.message}",
                          error.line, error.column, str(path), error.message) from None
    if parsed.data is None:
        return None
    if not isinstance(parsed.data, dict):
        reason = "expected a mapping of settings (key: value)"
        raise ConfigError(f"{path}: {reason}", file=str(path), reason=reason)
    return parsed


def set_config_value(key: str, value: str, path: Path | None = None) -> None:
    """Set one top-level `key: value`, keeping the rest of the file as the user wrote it
    (comments, order, quoting): the key's line is replaced, or a line added. If that
    edit would not read back as exactly the intended settings (a value spanning lines, a
    flow mapping), the whole file is written anew instead."""
    from briefing.feed.publish import write_atomic
    from briefing.yamlsafe import YamlError, parse_yaml

    path = path or config_path()
    wanted = {**load_config(path), key: value}  # raises on a broken file: left alone
    try:
        text = path.read_bytes().decode("utf-8")  # load_config has checked it decodes
    except FileNotFoundError:
        text = ""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text.removeprefix(bom)
    newline = "\r\n" if "\r\n" in text else "\n"
    shown = value if re.fullmatch(r"[a-z0-9][a-z0-9-]*", value) else json.dumps(value)
    # The value up to the line's end or a comment after it, which stays (as does "\r").
    pattern = re.compile(rf"^({re.escape(key)}[ \t]*:)[^\r\n#]*?([ \t]+#[^\r\n]*)?(?=\r?$)",
                         re.MULTILINE)
    if pattern.search(text):
        edited = pattern.sub(lambda match: f"{key}: {shown}{match.group(2) or ''}", text,
                             count=1)
    else:
        ending = newline if text and not text.endswith("\n") else ""
        edited = f"{text}{ending}{key}: {shown}{newline}"
    edited = bom + edited
    try:
        reads_back = parse_yaml(edited.encode("utf-8")).data == wanted
    except YamlError:
        reads_back = False
    if reads_back:
        write_atomic(path, edited.encode("utf-8"))
    else:
        save_config(wanted, path)


def save_config(config: dict[str, Any], path: Path | None = None) -> None:
    """Write the whole config atomically (unknown keys are written back as given)."""
    import yaml

    from briefing.feed.publish import write_atomic

    path = path or config_path()
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, default_flow_style=False)
    write_atomic(path, text.encode("utf-8"))


def check_feed_url(url: str) -> str:
    """Return `url` if it is an absolute http(s) URL; raise ValueError saying why not."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"feed URL must start with http:// or https://; got {url[:100]!r}")
    return url.strip()


def feed_url(cli_value: str | None = None, path: Path | None = None) -> str | None:
    """The feed URL to use: `--feed URL` first, then `feed:` in the config, else None.

    Raises ConfigError for a broken config file or a `feed:` that is not an http(s) URL.
    """
    if cli_value:
        try:
            return check_feed_url(cli_value)
        except ValueError as error:
            raise ConfigError(f"--feed: {error}") from None
    parsed = read_config(path)
    if parsed is None:
        return None
    try:
        return configured_feed(parsed)
    except ValueError as error:
        # Placed and worded as in the problems view (`settings` checks it here too).
        from briefing.paths import display_name

        line, column = parsed.mark_of(("feed",))
        reason = f"feed: {error}"
        raise ConfigError(f"{display_name(path or config_path())}:{line}:{column}: {reason}",
                          line, column, str(path or config_path()), reason) from None


def configured_feed(parsed: ParsedYaml) -> str | None:
    """The `feed:` of a read config file, checked; None when it is not set. Raises
    ValueError saying what is wrong with it ("expected a URL; got int 12")."""
    value = parsed.data.get("feed")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        from briefing.validate import describe_value

        raise ValueError(f"expected a URL; got {describe_value(value)}")
    return check_feed_url(value)


def set_feed_url(url: str, path: Path | None = None) -> None:
    """Store `feed: URL` in the config, keeping the other keys."""
    config = load_config(path)
    config["feed"] = check_feed_url(url)
    save_config(config, path)


def no_feed_message(path: Path | None = None) -> str:
    """What to tell a reader who asks for a refresh with no feed configured."""
    where = path or config_path()
    return ("No feed is configured. Start with --feed URL, or add a line "
            f"'feed: https://example.org/briefings/index.json' to {where}.")
