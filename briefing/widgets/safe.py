"""Make untrusted text safe to show: no markup, no terminal control codes.

Content and feeds are written by others. Text from them is always wrapped in `rich.text.Text`
(never parsed as markup), and C0/C1 control characters, DEL and bidirectional overrides are
replaced by visible symbols so that an ESC in a title cannot drive the terminal.
"""

from __future__ import annotations

from rich.text import Text

# What each unsafe character becomes: C0 controls show as their "control picture" (ESC as
# ␛), DEL as ␡, C1 controls and bidirectional overrides as �. Tables for `str.translate`,
# not a pattern: compiling one cost every start ~1 M instructions before its first frame.
_VISIBLE = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_VISIBLE[0x7F] = "\u2421"
_VISIBLE.update(dict.fromkeys((*range(0x80, 0xA0), *range(0x202A, 0x202F),
                              *range(0x2066, 0x206A)), "\ufffd"))
_ONE_LINE = {**_VISIBLE, 0x09: " ", 0x0A: " "}
_MULTILINE = {**_VISIBLE, 0x09: "    "}


def safe_text(value: str, *, multiline: bool = False) -> str:
    """Replace control characters with visible symbols; fold newlines unless `multiline`."""
    # Every character `translate` would change is one `isprintable` refuses: text that
    # passes (nearly all) is returned as it is, without the slower translation.
    if multiline:
        if all(line.isprintable() for line in value.split("\n")):
            return value
        return value.translate(_MULTILINE)
    return value if value.isprintable() else value.translate(_ONE_LINE)


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
