"""The child processes of the scale benchmark (run by `scale.py`, one mode per process).

    python _scale_child.py start bare|reader [DIR] [--settle]
        Start the app headless and print `painted <time.time()> <VmHWM kB>` when its first
        frame with content is painted (for the reader: the first frame of its main screen,
        which is pushed with the briefings in it). With --settle, keep running until the
        app's workers are done and the process is idle (so a cache written in the
        background is complete), print `settled ...` and exit; else exit at once.

    python _scale_child.py interact bare|reader [DIR] --queries JSON [--long TOKEN]
        Run the app in this process, time key presses from the moment the key event is
        posted to the last frame painted because of it, and print one JSON object.

Frames are timestamped in `App._display`, where Textual hands a frame to the driver. The
headless driver does not turn frames into terminal output, so the hook does that work
(`render_segments`) before taking the time, as a terminal driver would. A key's frames are
complete when no frame has come for a quiet period while the process was idle (polls on
time and little CPU used, which also covers worker threads).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

SIZE = (100, 30)
KEY_QUIET = 0.15
"""Seconds without a frame (and with the process idle) after which a key is done."""
CHAR_QUIET = 0.08
"""The same for characters typed before the last one of a query."""
PRESS_TIMEOUT = 30.0
"""Seconds after which a key's frames are taken as done even if the app is still busy."""
SETTLE_QUIET = 1.0
"""The same at start-up, where background loading may still run."""
KEYS = {"/": ("slash", "/"), " ": ("space", " "), "down": ("down", None),
        "enter": ("enter", "\r"), "escape": ("escape", "\x1b"), "-": ("minus", "-")}


def peak_rss_kb() -> int:
    """This process's peak resident set size so far (VmHWM), in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class FrameClock:
    """Mixin for an App: renders each frame as a terminal driver would and timestamps it."""

    frames: list[float]
    painted: asyncio.Event | None = None

    def _display(self, screen, renderable) -> None:  # noqa: ANN001 (Textual's own hook)
        if renderable is None or getattr(self, "_batch_count", 0):
            super()._display(screen, renderable)
            return
        render = getattr(renderable, "render_segments", None)
        if render is not None and self.is_headless:
            render(self.console)
        super()._display(screen, renderable)
        self.frames.append(time.perf_counter())
        if self.shows_content(screen):
            on_painted(self)

    def shows_content(self, screen: Screen) -> bool:
        """Whether a frame of `screen` is a first frame with content."""
        return True


class BareApp(FrameClock, App[None]):
    """The baseline: one Static (and, for typing, an Input echoed into the Static)."""

    BINDINGS = [Binding("down", "count", priority=True),
                Binding("escape", "clear", priority=True)]

    def __init__(self, with_input: bool = False) -> None:
        super().__init__()
        self.frames = []
        self.with_input = with_input
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("Hello", id="static")
        if self.with_input:
            # No blinking cursor: its frames every half second would never let it idle.
            field = Input(id="input")
            field.cursor_blink = False
            yield field

    def action_count(self) -> None:
        """Down: change the Static, the cheapest visible change."""
        self.count += 1
        self.query_one("#static", Static).update(f"Hello {self.count}")

    def action_clear(self) -> None:
        """Escape: empty the input for the next query."""
        if self.with_input:
            self.query_one("#input", Input).value = ""

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#static", Static).update(event.value)


def reader_class() -> type[App]:
    """The reader with the frame clock and a hook on its first full screen."""
    from briefing.app import BriefingApp

    class Reader(FrameClock, BriefingApp):
        def __init__(self, content_dir: Path) -> None:
            super().__init__(content_dir)
            self.frames = []

        # The main screen is pushed once briefings are in (the opening, or a loaded library).
        def shows_content(self, screen: Screen) -> bool:
            return screen is self.main_screen

    return Reader


_STARTED: dict[str, object] = {}


def on_painted(app: App) -> None:
    """Called once the first full screen has been painted."""
    if "painted" in _STARTED:
        return
    _STARTED["painted"] = (time.time(), peak_rss_kb())
    if app.painted is not None:
        app.painted.set()
    if _STARTED.get("mode") == "start":
        print("painted", *_STARTED["painted"], flush=True)
        if _STARTED.get("settle"):
            asyncio.get_running_loop().create_task(settle_and_exit(app))
        else:
            os._exit(0)  # nothing else to measure; skip waiting for background threads


async def wait_quiet(app: App, quiet: float, timeout: float = 600.0,
                     old_workers: bool = True) -> None:
    """Wait until no frame has come for `quiet` seconds while the process was idle and no
    worker of the app was running (with `old_workers` False: no worker started since)."""
    start = time.perf_counter()
    ignored = set() if old_workers else {w for w in app.workers if w.is_running}
    frames = len(app.frames)
    quiet_since = start
    poll = 0.01
    while True:
        before, cpu = time.perf_counter(), time.process_time()
        await asyncio.sleep(poll)
        now = time.perf_counter()
        busy = (now - before > poll + 0.015 or time.process_time() - cpu > 0.3 * (now - before)
                or any(w.is_running and w not in ignored for w in app.workers))
        if busy or len(app.frames) != frames:
            frames, quiet_since = len(app.frames), now
        if now - quiet_since >= quiet or now - start > timeout:
            return


async def settle_and_exit(app: App) -> None:
    """Let background work finish (a cache being written), report, and exit."""
    timeout = float(_STARTED["settle_timeout"])
    started = time.perf_counter()
    await wait_quiet(app, SETTLE_QUIET, timeout=timeout)
    # The time is when the work ended, not when the quiet period that proves it ended.
    ended = time.time() - SETTLE_QUIET
    late = time.perf_counter() - started > timeout
    print("settled", ended, peak_rss_kb(), *(["timeout"] if late else []), flush=True)
    os._exit(0)  # a timed-out worker thread would otherwise hold the process open


def key_event(key: str) -> events.Key:
    """The event a terminal driver would post for `key` (a name or one character)."""
    name, char = KEYS.get(key, (key, key if len(key) == 1 else None))
    return events.Key(name, char)


async def press(app: App, key: str, quiet: float = KEY_QUIET) -> list[float]:
    """Post one key and wait for its frames; the seconds from posting to each of them."""
    frames = len(app.frames)
    event = key_event(key)
    event.set_sender(app)
    posted = time.perf_counter()
    app.post_message(event)
    await wait_quiet(app, quiet, timeout=PRESS_TIMEOUT, old_workers=False)
    return [round(at - posted, 6) for at in app.frames[frames:]]


def progress(message: str) -> None:
    """Where the run is, on stderr (the parent passes it through)."""
    print(f"    [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def presses(app: App, key: str, count: int) -> list[list[float]]:
    """Press `key` `count` times, each after the last one's frames; report progress."""
    times = []
    for number in range(1, count + 1):
        times.append(await press(app, key))
        if number % 50 == 0:
            last = times[-1][-1] * 1000 if times[-1] else float("nan")
            progress(f"{key} {number}/{count} (last: {last:.0f} ms)")
    return times


async def type_query(app: App, query: str) -> list[float]:
    """Type `query` a character at a time as a person would; time the last character."""
    for char in query[:-1]:
        await press(app, char, CHAR_QUIET)
    return await press(app, query[-1])


async def interact(app: App, queries: list[str], long_token: str | None,
                   downs: int) -> dict:
    """Drive a running app through the key, search and claims tests; return the figures."""
    out: dict = {}
    await asyncio.wait_for(app.painted.wait(), timeout=600)
    out["painted_rss_kb"] = _STARTED["painted"][1]
    settle_start = time.perf_counter()
    await wait_quiet(app, SETTLE_QUIET, timeout=float(_STARTED["settle_timeout"]))
    out["settle_s"] = time.perf_counter() - settle_start - SETTLE_QUIET
    out["settled_rss_kb"] = peak_rss_kb()
    progress("settled; Down through the briefing list")
    out["list_down"] = await presses(app, "down", downs)
    is_reader = not isinstance(app, BareApp)
    progress(f"searching {len(queries)} queries")
    search = []
    for number, query in enumerate(queries, 1):
        if number % 10 == 0:
            progress(f"query {number}/{len(queries)}")
        if is_reader:
            await press(app, "/")
        search.append(await type_query(app, query))
        await press(app, "escape")
    out["search"] = search
    out["search_rss_kb"] = peak_rss_kb()
    if is_reader and long_token:
        await press(app, "/")
        await type_query(app, long_token.lower())
        await press(app, "enter")
        await press(app, "2")
        out["claims_briefing"] = getattr(app, "current_briefing_id", None)
        progress("Down through the long claims list")
        out["claims_down"] = await presses(app, "down", downs)
    out["final_rss_kb"] = peak_rss_kb()
    return out


async def run_interact(app: App, queries: list[str], long_token: str | None,
                       downs: int) -> dict:
    """Run `app` headless in this process and drive it."""
    app.painted = asyncio.Event()
    async with app.run_test(size=SIZE):
        return await interact(app, queries, long_token, downs)


def main() -> None:
    """Parse the arguments and run one mode."""
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("start", "interact"))
    parser.add_argument("app", choices=("bare", "reader"))
    parser.add_argument("content", nargs="?", type=Path)
    parser.add_argument("--settle", action="store_true")
    parser.add_argument("--queries", default="[]")
    parser.add_argument("--long", default=None)
    parser.add_argument("--downs", type=int, default=200)
    parser.add_argument("--settle-timeout", type=float, default=600.0)
    args = parser.parse_args()
    _STARTED.update(mode=args.mode, settle=args.settle, settle_timeout=args.settle_timeout)
    if args.app == "bare":
        app = BareApp(with_input=args.mode == "interact")
    else:
        app = reader_class()(args.content)
    if args.mode == "start":
        app.run(headless=True, size=SIZE)
        return
    result = asyncio.run(run_interact(app, json.loads(args.queries), args.long, args.downs))
    print(json.dumps(result), flush=True)
    sys.stdout.flush()
    os._exit(0)  # do not wait for background threads: everything is measured


if __name__ == "__main__":
    main()
