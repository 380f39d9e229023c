"""The key bar: the screen's main keys on one line at the bottom, clickable.

Textual's `Footer` composes one widget per key and composes them again whenever the
bindings change (each focus change), which cost the reader's first frame ~70 ms of styling
and a second layout. This bar is one widget that draws the keys as a line of text and
redraws itself, without a new layout, when the bindings change.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget


class KeyBar(Widget):
    """The active screen's shown bindings as `key description` pairs on one line."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

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
    KeyBar > .key-bar--disabled {
        text-style: dim;
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

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        disabled_style = self.get_component_rich_style("key-bar--disabled", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for binding, enabled in self.shown_bindings():
            start = line.cell_len
            extra = disabled_style if not enabled else None
            line.append(f" {self.app.get_key_display(binding)} ", key_style + extra
                        if extra else key_style)
            description = binding.description or binding.action
            line.append(f"{description} ", description_style + extra
                        if extra else description_style)
            self._spans.append((start, line.cell_len, binding.key, enabled))
        return line

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
