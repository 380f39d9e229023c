"""Start-up benchmark: process start to first painted screen, reader against a bare app.

Each run starts a fresh Python process. The child records the wall-clock time at which Textual
hands its first frame with content to the terminal driver (for the reader: the main screen
with its list, header and summary drawn, from the opening the last run kept, see
`briefing/opening.py`; for the bare app: one Static widget) and exits; the parent takes
the time from just before starting the process. Both apps run headless, in the same way,
alternating, and the report gives the median of the runs and the ratio. The runs use
fresh user folders, primed by one reader run that finished its background work: a user's
second start (the first builds the content index).

    python benchmarks/startup.py [--runs 15] [--content DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Both children stop the clock where Textual hands its first frame with their content to
# the terminal driver (`App._display`, called for every frame), after turning it into
# terminal output as a real driver would (headless, Textual skips that step). A callback
# "after the next refresh" would also count whatever else that refresh cycle runs: for the
# reader, the work it deliberately schedules after its first frame.
BARE_CHILD = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    painted_at = None
    def compose(self):
        yield Static("Hello")
    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if renderable is not None and self.painted_at is None:
            renderable.render_segments(self.console)
            self.painted_at = time.time()
            self.exit()

app = Bare()
app.run(headless=True, size=(100, 30))
print(app.painted_at, flush=True)
"""

READER_CHILD = """
import sys, time
from pathlib import Path
from briefing.app import BriefingApp

class Timed(BriefingApp):
    painted_at = None
    # The main screen is pushed with the briefings in it (the opening the last run kept, or
    # the loaded library): its first frame is the reader's first with content.
    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if renderable is not None and screen is self.main_screen and self.painted_at is None:
            renderable.render_segments(self.console)
            self.painted_at = time.time()
            self.exit()

app = Timed(Path(sys.argv[1]))
app.run(headless=True, size=(100, 30))
print(app.painted_at, flush=True)
"""


PRIME_CHILD = """
import asyncio, sys
from pathlib import Path
from briefing.app import BriefingApp

async def main():
    app = BriefingApp(Path(sys.argv[1]))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()

asyncio.run(main())
"""


def time_child(code: str, *args: str, env: dict[str, str] | None = None) -> float:
    """Seconds from starting a Python process running `code` to its first painted frame."""
    started = time.time()
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, check=True, cwd=ROOT, timeout=60, env=env)
    return float(result.stdout.strip().splitlines()[-1]) - started


def user_folders(base: Path) -> dict[str, str]:
    """The environment with the reader's user folders (XDG) under `base`."""
    return dict(os.environ, **{name: str(base / name.lower()) for name in
                               ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")})


def compile_package() -> None:
    """Write the package's bytecode (.pyc), as Python does on a user's first start.

    Textual's bytecode was written by pip at install; an editable install of ours has none
    until the first import writes it, and with PYTHONDONTWRITEBYTECODE set (as on the
    machine these figures come from) never, so every run would compile ~7,000 lines.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "briefing")],
                   check=True)


def main() -> None:
    """Run the benchmark and print the table (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    compile_package()
    time_child(BARE_CHILD)  # warm the file cache so the first timed run is not an outlier
    bare, reader = [], []
    with tempfile.TemporaryDirectory(prefix="briefing-startup-") as folders:
        # A user's second start: fresh user folders, then one run that finishes its
        # background work (the index of the content, the opening, the read marks).
        env = user_folders(Path(folders))
        subprocess.run([sys.executable, "-c", PRIME_CHILD, str(args.content)], check=True,
                       cwd=ROOT, env=env, timeout=600, capture_output=True)
        for _ in range(args.runs):
            bare.append(time_child(BARE_CHILD, env=env))
            reader.append(time_child(READER_CHILD, str(args.content), env=env))
    bare_median, reader_median = statistics.median(bare), statistics.median(reader)
    ratio = reader_median / bare_median
    print(f"runs: {args.runs}, content: {args.content}")
    print(f"{'app':<28}{'median':>10}{'min':>10}{'max':>10}")
    for name, runs in (("bare Textual app (Static)", bare), ("briefing reader", reader)):
        print(f"{name:<28}{statistics.median(runs):>9.3f}s{min(runs):>9.3f}s{max(runs):>9.3f}s")
    print(f"ratio reader / bare: {ratio:.2f} (goal: at most 1.15)")
    if args.json:
        print(json.dumps({"bare_s": bare_median, "reader_s": reader_median, "ratio": ratio}))


if __name__ == "__main__":
    main()
