"""A hardened YAML reader that remembers where every value came from.

Briefings come from editors and from feeds on the network, so the reader treats YAML as
hostile: it rejects anchors and aliases at parse time (no alias bombs), caps file size and
nesting depth, refuses NUL bytes, non-UTF-8 text, multi-document streams and any tag
outside YAML's plain types (so `!!python/object` is an error, never a call), and reports
duplicate mapping keys. Values are built from the parser's event stream, recording the
line and column of every value and key so that later checks can point at them.
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

import yaml

from briefing.models import record
from briefing.validate import UNREADABLE, format_path

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 24
MAX_INT_DIGITS = 100
"""Whole numbers longer than this are refused: Python cannot even print one of over 4,300
digits, and no briefing needs one beyond the range of a float."""
_MAX_INT = 10**MAX_INT_DIGITS
# Any character but those YAML allows in a stream (YAML 1.1, section 5.1).
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Path_ = tuple[str | int, ...]
Mark = tuple[int, int]

_Parser = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class YamlError(Exception):
    """A problem that stops the file from being read at all."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@record
class ParsedYaml:
    """The plain value of a document and where each of its parts starts (1-based)."""

    data: Any
    marks: dict[Path_, Mark] = field(default_factory=dict)
    key_marks: dict[Path_, Mark] = field(default_factory=dict)
    duplicates: list[tuple[Path_, Mark]] = field(default_factory=list)
    unreadable: list[tuple[Mark, str]] = field(default_factory=list)
    """Values that could not be built (an impossible date, a number too long), each with
    its message naming the field; `data` holds `UNREADABLE` in their place. Only filled
    when the parse was asked to go on past them (see `parse_yaml`)."""

    def mark_of(self, path: Path_) -> Mark:
        """The position of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


def decode_document(raw: bytes) -> str:
    """Decode raw file bytes as UTF-8, rejecting NULs, oversize and invalid bytes."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _position(raw, nul)
        raise YamlError("NUL byte in file (binary or UTF-16 data?)", line, column)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(raw, error.start)
        raise YamlError(
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None
    return text.removeprefix("\ufeff")


def _control_character(text: str, bad: re.Match[str]) -> YamlError:
    """The error for the first character YAML does not allow, at its line and column and
    naming its field when it lies in a value (as it mostly does: pasted text)."""
    others = sum(1 for _ in _NOT_YAML.finditer(text, bad.end()))
    more = f" (and {others:,} more in the file)" if others else ""
    line = text.count("\n", 0, bad.start()) + 1
    column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    field = _field_at(text, (line, column))
    return YamlError(f"{field}{': ' if field else ''}control character "
                     f"U+{ord(bad.group()):04X} is not allowed in YAML{more}; remove it, or "
                     "write it as an escape inside double quotes", line, column)


def _field_at(text: str, position: Mark) -> str:
    """The path of the text value holding the character at `position`, found by parsing
    the text with every such character replaced; "" when none does (a key, a comment)."""
    try:
        parsed = _Builder().build(_NOT_YAML.sub("\ufffd", text))
    except YamlError:
        return ""
    started = [(mark, path) for path, mark in parsed.marks.items() if path and mark <= position]
    if not started:
        return ""
    _mark, path = max(started, key=lambda item: item[0])
    value: Any = parsed.data
    try:
        for part in path:
            value = value[part]
    except (KeyError, IndexError, TypeError):  # a duplicate key's value is not kept
        return ""
    return format_path(path) if isinstance(value, str) and "\ufffd" in value else ""


def _shown(value: str) -> str:
    """A scalar's source as a message quotes it: its start, if it is long."""
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _position(raw: bytes, offset: int) -> Mark:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _mark(event: Any) -> Mark:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Builder:
    """Turns a stream of parser events into plain Python values with positions."""

    def __init__(self, keep_going: bool = False) -> None:
        self.keep_going = keep_going
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.result = ParsedYaml(data=None)

    def build(self, text: str) -> ParsedYaml:
        events = yaml.parse(text, Loader=_Parser)
        try:
            self._expect(events, yaml.StreamStartEvent)
            first = next(events)
            if isinstance(first, yaml.StreamEndEvent):
                raise YamlError("the file is empty; expected a mapping")
            self.result.data = self._node(next(events), events, (), 0)
            next(events)  # DocumentEnd
            trailing = next(events)
            if isinstance(trailing, yaml.DocumentStartEvent):
                line, column = _mark(trailing)
                raise YamlError(
                    "more than one YAML document in the file; expected exactly one", line, column
                )
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = error.problem or error.context or "invalid YAML"
            raise YamlError(f"YAML syntax error: {problem}", line, column) from None
        except yaml.YAMLError as error:
            raise YamlError(f"YAML error: {error}") from None
        return self.result

    @staticmethod
    def _expect(events: Any, kind: type) -> Any:
        event = next(events)
        if not isinstance(event, kind):
            raise YamlError(f"unexpected {type(event).__name__}", *_mark(event))
        return event

    def _node(self, event: Any, events: Any, path: Path_, depth: int) -> Any:
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(
                f"alias *{event.anchor} is not allowed (anchors and aliases are rejected)",
                *_mark(event),
            )
        if getattr(event, "anchor", None) is not None:
            raise YamlError(
                f"anchor &{event.anchor} is not allowed (anchors and aliases are rejected)",
                *_mark(event),
            )
        if depth > MAX_DEPTH:
            raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", *_mark(event))
        self.result.marks[path] = _mark(event)
        if isinstance(event, yaml.ScalarEvent):
            try:
                return self._scalar(event)
            except _Unbuildable as error:
                message = f"{format_path(path)}: {error}" if path else str(error)
                if not self.keep_going:
                    raise YamlError(message, *_mark(event)) from None
                self.result.unreadable.append((_mark(event), message))
                return UNREADABLE
        self._check_tag(event, "tag:yaml.org,2002:map" if isinstance(
            event, yaml.MappingStartEvent) else "tag:yaml.org,2002:seq")
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            for child in iter(lambda: next(events), None):
                if isinstance(child, yaml.SequenceEndEvent):
                    return items
                items.append(self._node(child, events, (*path, len(items)), depth + 1))
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            for key_event in iter(lambda: next(events), None):
                if isinstance(key_event, yaml.MappingEndEvent):
                    return mapping
                key = self._key(key_event, path)
                key_path = (*path, key)
                if key in mapping:
                    self.result.duplicates.append((key_path, _mark(key_event)))
                    self._node(next(events), events, (*path, f"<duplicate {key}>"), depth + 1)
                    continue
                self.result.key_marks[key_path] = _mark(key_event)
                mapping[key] = self._node(next(events), events, key_path, depth + 1)
        raise YamlError(f"unexpected {type(event).__name__}", *_mark(event))

    def _key(self, event: Any, path: Path_) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            raise YamlError("mapping keys must be plain words, not lists or mappings",
                            *_mark(event))
        if event.anchor is not None:
            raise YamlError(f"anchor &{event.anchor} is not allowed", *_mark(event))
        return event.value

    def _check_tag(self, event: Any, default: str) -> str:
        tag = event.tag
        if tag is None or tag in ("!", default):
            return default
        if tag not in _ALLOWED_TAGS:
            raise YamlError(f"tag {tag} is not allowed; only plain YAML values are",
                            *_mark(event))
        raise YamlError(f"tag {tag} cannot apply here", *_mark(event))

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        elif tag not in _ALLOWED_TAGS:
            raise YamlError(f"tag {tag} is not allowed; only plain YAML values are",
                            *_mark(event))
        if tag == "tag:yaml.org,2002:str":
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        if tag == "tag:yaml.org,2002:int" and len(event.value) > 4 * MAX_INT_DIGITS:
            # Decimal digits past Python's limit would fail in `int`; hexadecimal ones
            # would pass and fail later, wherever the number is printed.
            raise _Unbuildable(f"number {_shown(event.value)} is too long; at most "
                               f"{MAX_INT_DIGITS} digits")
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            kind = "date" if tag.endswith("timestamp") else tag.rsplit(":", 1)[-1]
            raise _Unbuildable(f"impossible {kind} {_shown(event.value)}: "
                               f"{reason[:80]}") from None
        if type(value) is int and not -_MAX_INT < value < _MAX_INT:
            raise _Unbuildable(f"number {_shown(event.value)} is too long; at most "
                               f"{MAX_INT_DIGITS} digits")
        return value


class _Unbuildable(Exception):
    """A scalar whose value cannot be built; the message says why (without the field)."""


def parse_yaml(raw: bytes, *, keep_going: bool = False) -> ParsedYaml:
    """Parse one YAML document from bytes; raise `YamlError` with a position on any problem.

    With `keep_going`, a value that cannot be built (an impossible date, a number too long)
    does not stop the parse: it is listed in `unreadable`, so that the file's other problems
    are found too."""
    text = decode_document(raw)
    # The parser stops at a character YAML does not allow without saying where: found here.
    bad = _NOT_YAML.search(text)
    if bad is not None:
        raise _control_character(text, bad)
    return _Builder(keep_going).build(text)
