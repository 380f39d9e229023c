"""The key bar: the screen's main keys on one line at the bottom, clickable.

Textual's `Footer` composes one widget per key and composes them again whenever the
bindings change (each focus change), which cost the reader's first frame ~70 ms of styling
and a second layout. This bar is one widget that draws the keys as a line of text and
redraws itself, without a new layout, when the bindings change. It draws that line itself
(the Line API): a `render()` went through Textual's conversion of text for display, which
cost the first frame ~2.5 M instructions (~1 ms) for one line.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget

DISABLED = Style(dim=True)
"""Added to a key that is shown but cannot be used now."""


class KeyBar(Widget):
    """The active screen's shown bindings as `key description` pairs on one line."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # (start column, end column, key, enabled) of each drawn key, for mouse clicks.
        self._spans: list[tuple[int, int, str, bool]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh()

    def shown_bindings(self) -> list[tuple[Binding, bool]]:
        """The bindings to show, one per action, with whether each is enabled now."""
        by_action: dict[str, tuple[Binding, bool]] = {}
        palette: tuple[Binding, bool] | None = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action in {"command_palette", "app.command_palette"}:
                palette = (binding, enabled)
            elif binding.show:
                by_action.setdefault(binding.action, (binding, enabled))
        shown = list(by_action.values())
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            shown.append(palette)
        return shown

    def line(self) -> Text:
        """The keys as one line of text (and where each is, for `key_at`)."""
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for binding, enabled in self.shown_bindings():
            start = line.cell_len
            line.append(f" {self.app.get_key_display(binding)} ",
                        key_style if enabled else key_style + DISABLED)
            description = binding.description or binding.action
            line.append(f"{description} ",
                        description_style if enabled else description_style + DISABLED)
            self._spans.append((start, line.cell_len, binding.key, enabled))
        return line

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y:
            return Strip.blank(width, self.rich_style)
        line = self.line()
        return (Strip(line.render(self.app.console), line.cell_len)
                .crop_extend(0, width, None).apply_style(self.rich_style))

    def key_at(self, x: int) -> tuple[str, bool] | None:
        """The key drawn at column `x` and whether it is enabled, if any."""
        for start, end, key, enabled in self._spans:
            if start <= x < end:
                return key, enabled
        return None

    def on_click(self, event: events.Click) -> None:
        hit = self.key_at(event.x)
        if hit is None:
            return
        key, enabled = hit
        if enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
