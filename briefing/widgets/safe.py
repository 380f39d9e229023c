"""Make untrusted text safe to show: no markup, no terminal control codes.

Content and feeds are written by others. Text from them is always wrapped in `rich.text.Text`
(never parsed as markup), and C0/C1 control characters, DEL and bidirectional overrides are
replaced by visible symbols so that an ESC in a title cannot drive the terminal.
"""

from __future__ import annotations

import re

from rich.text import Text

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NEWLINES = re.compile(r"[\n\t]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def safe_text(value: str, *, multiline: bool = False) -> str:
    """Replace control characters with visible symbols; fold newlines unless `multiline`."""
    cleaned = _CONTROL.sub(_visible, value)
    if multiline:
        return cleaned.replace("\t", "    ")
    return _NEWLINES.sub(" ", cleaned)


def terminal_line(text: str) -> str:
    """Untrusted text (a key, a tag, a file name, a request line) as one line that is safe
    to print on a terminal: control characters made visible, newlines folded, and bytes of
    a file name that are not UTF-8 written as `\\xNN` rather than failing the print."""
    line = safe_text(text)
    try:  # a file name's undecodable bytes, which Python keeps as lone surrogates
        return line.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # other lone surrogates
        return line.encode("utf-8", "backslashreplace").decode("utf-8")


def plain(value: str, style: str = "", *, multiline: bool = False) -> Text:
    """Untrusted text as a Rich `Text` that is never read as markup."""
    return Text(safe_text(value, multiline=multiline), style=style)
