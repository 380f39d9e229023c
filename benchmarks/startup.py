"""Start-up benchmark: process start to first painted screen, reader against a bare app.

Each run starts a fresh Python process. The child records the wall-clock time at which Textual
hands its first frame with content to the terminal driver (for the reader: the main screen
with its list, header and summary drawn, from the opening the last run kept, see
`briefing/opening.py`; for the bare app: one Static widget) and exits; the parent takes
the time from just before starting the process. Both apps run headless, in the same way,
alternating, and the report gives the median of the runs and the ratio of the medians (the
goal's measure), with a 95% bootstrap interval; also the median of each round's ratio,
which the machine's drift between rounds moves less. The runs use
fresh user folders, primed by one reader run that finished its background work: a user's
second start (the first builds the content index).

Two more apps, timed the same way in the same rounds, show where the reader's extra time
goes: the bare app after importing every module the reader imports before its first frame
(the cost of the reader's code being loaded), and the bare app with as many Statics as the
reader has widgets on its first frame (Textual's own cost of that many widgets, with no
reader code, content or layout rules). Both lists are taken from the reader's own run.

    python benchmarks/startup.py [--runs 200] [--content DIR] [--instructions]

200 rounds (about 5 minutes here) by default: on this machine the ratio of two medians of
40 runs moves by 0.05-0.1 from one benchmark run to the next, of 200 runs by ~0.03.

`--instructions` also counts the instructions each of the two apps executes up to its
first frame, under valgrind's callgrind (about 30 s; valgrind must be installed): a count
that the machine's drifting speed does not move, for comparing two versions of the code.
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
from collections.abc import Callable
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
import json, sys, time
from pathlib import Path
from briefing.app import BriefingApp

imported_first = set(sys.modules)

class Timed(BriefingApp):
    painted_at = None
    # The main screen is pushed with the briefings in it (the opening the last run kept, or
    # the loaded library): its first frame is the reader's first with content.
    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if renderable is not None and screen is self.main_screen and self.painted_at is None:
            renderable.render_segments(self.console)
            self.painted_at = time.time()
            self.widget_count = sum(1 for _ in self.main_screen.walk_children())
            self.late_imports = sorted(set(sys.modules) - imported_first)
            self.exit()

app = Timed(Path(sys.argv[1]))
app.run(headless=True, size=(100, 30))
print(json.dumps({"widgets": app.widget_count, "imports": app.late_imports}))
print(app.painted_at, flush=True)
"""

# The bare app, after importing what the reader imports before its first frame: the
# reader's modules and those it imports while it starts (named in the arguments).
IMPORTS_CHILD = BARE_CHILD.replace("""from textual.widgets import Static
""", """from textual.widgets import Static
import importlib
import briefing.app
for name in sys.argv[1:]:
    importlib.import_module(name)
""")

# The bare app with as many Statics as the reader has widgets on its first frame.
WIDGETS_CHILD = BARE_CHILD.replace("""        yield Static("Hello")
""", """        for _ in range(int(sys.argv[1])):
            yield Static("Hello")
""")


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


def run_child(code: str, *args: str,
              env: dict[str, str] | None = None) -> tuple[float, list[str]]:
    """Seconds from starting a Python process running `code` to its first painted frame,
    and the lines it printed before the time."""
    started = time.time()
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, check=True, cwd=ROOT, timeout=60, env=env)
    *lines, painted_at = result.stdout.strip().splitlines()
    return float(painted_at) - started, lines


def time_child(code: str, *args: str, env: dict[str, str] | None = None) -> float:
    """Seconds from starting a Python process running `code` to its first painted frame."""
    return run_child(code, *args, env=env)[0]


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


def count_instructions(code: str, *args: str, env: dict[str, str] | None = None) -> int:
    """Instructions a Python process running `code` executes (valgrind callgrind)."""
    import re

    env = dict(env or os.environ, PYTHONHASHSEED="0")  # the same hashing in every run
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             sys.executable, "-c", code, *args], capture_output=True,
                            text=True, cwd=ROOT, timeout=600, env=env)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed:\n{result.stderr[-2000:]}")
    return int(found.group(1))



def counted(child: str) -> str:
    """`child` for counting: it ends the process at its first frame, as the clock stops
    there; the exit (Textual's shutdown, the reader's closing of its files and of the
    collector's pause) would add ~80 M instructions to the bare app and ~150 M to the
    reader, none of which the user waits for."""
    ended = child.replace("            self.exit()\n",
                          "            self.exit()\n            import os; os._exit(0)\n")
    assert ended != child
    return ended


COUNTED_BARE_CHILD = counted(BARE_CHILD)
# Under valgrind a process runs ~50 times slower: the reader's load worker, which waits for
# the first frame (at most 2 s), would stop waiting and load the library before it.
COUNTED_READER_CHILD = counted(READER_CHILD).replace(
    "from briefing.app import BriefingApp\n",
    "import briefing.app\nbriefing.app.FIRST_FRAME_WAIT = 1e6\n"
    "from briefing.app import BriefingApp\n")
assert "FIRST_FRAME_WAIT" in COUNTED_READER_CHILD


def ratio_of_medians(bare: list[float], reader: list[float]) -> float:
    """The goal's measure: the reader's median time over the bare app's."""
    return statistics.median(reader) / statistics.median(bare)


def paired_ratio(bare: list[float], reader: list[float]) -> float:
    """The median of each round's reader time over the bare app's in the same round: the
    machine's speed, which drifts between rounds, cancels within a round."""
    return statistics.median(r / b for r, b in zip(reader, bare, strict=True))


def ratio_interval(bare: list[float], reader: list[float], resamples: int = 2000,
                   estimate: Callable[[list[float], list[float]], float] = ratio_of_medians,
                   ) -> tuple[float, float]:
    """A 95% bootstrap interval of `estimate` (the ratio of medians unless given),
    resampling whole rounds.

    On this machine one run of the same app takes anywhere from ~0.22 to ~0.48 s, so the
    ratio of two medians of 40 runs moves by about 0.05-0.1 from one benchmark run to the
    next: the interval says how far this run's ratio can be trusted.
    """
    import random

    draw = random.Random(0)  # the same interval for the same times
    rounds = len(bare)
    ratios = []
    for _ in range(resamples):
        picked = [draw.randrange(rounds) for _ in range(rounds)]
        ratios.append(estimate([bare[i] for i in picked], [reader[i] for i in picked]))
    ratios.sort()
    return ratios[int(0.025 * resamples)], ratios[int(0.975 * resamples) - 1]


def main() -> None:
    """Run the benchmark and print the table (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions to the first frame (valgrind)")
    args = parser.parse_args()
    compile_package()
    time_child(BARE_CHILD)  # warm the file cache so the first timed run is not an outlier
    bare, reader, imports, widgets = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="briefing-startup-") as folders:
        # A user's second start: fresh user folders, then one run that finishes its
        # background work (the index of the content, the opening, the read marks).
        env = user_folders(Path(folders))
        subprocess.run([sys.executable, "-c", PRIME_CHILD, str(args.content)], check=True,
                       cwd=ROOT, env=env, timeout=600, capture_output=True)
        for _ in range(args.runs):
            bare.append(time_child(BARE_CHILD, env=env))
            seconds, lines = run_child(READER_CHILD, str(args.content), env=env)
            reader.append(seconds)
            first_frame = json.loads(lines[-1])
            imports.append(time_child(IMPORTS_CHILD, *first_frame["imports"], env=env))
            widgets.append(time_child(WIDGETS_CHILD, str(first_frame["widgets"]), env=env))
        if args.instructions:
            counts = (count_instructions(COUNTED_BARE_CHILD, env=env),
                      count_instructions(COUNTED_READER_CHILD, str(args.content), env=env))
    bare_median, reader_median = statistics.median(bare), statistics.median(reader)
    ratio = reader_median / bare_median
    print(f"runs: {args.runs}, content: {args.content}")
    # The machine's speed drifts between rounds more than the apps differ: each app's
    # time over the bare app's in the same round, then the median of those, compares
    # them more steadily than the medians' ratio.
    print(f"{'app':<54}{'median':>9}{'min':>9}{'max':>9}{'ratio':>7}{'+bare, paired':>15}")
    extra: dict[str, float] = {}
    for name, runs in (
        ("bare Textual app (one Static)", bare),
        ("bare app after the reader's imports", imports),
        (f"bare app with {first_frame['widgets']} Statics (the reader's widget count)",
         widgets),
        ("briefing reader", reader),
    ):
        median = statistics.median(runs)
        extra[name] = statistics.median(t - b for t, b in zip(runs, bare, strict=True))
        print(f"{name:<54}{median:>8.3f}s{min(runs):>8.3f}s{max(runs):>8.3f}s"
              f"{median / bare_median:>7.2f}{extra[name] * 1000:>+12.0f} ms")
    low, high = ratio_interval(bare, reader)
    print(f"ratio reader / bare: {ratio:.2f} (goal: at most 1.15, i.e. at most "
          f"{0.15 * bare_median * 1000:.0f} ms over the bare app); 95% interval "
          f"{low:.2f}-{high:.2f}")
    paired = paired_ratio(bare, reader)
    paired_low, paired_high = ratio_interval(bare, reader, estimate=paired_ratio)
    print(f"paired ratio (median of each round's reader / bare): {paired:.2f}; 95% interval "
          f"{paired_low:.2f}-{paired_high:.2f}")
    if args.instructions:
        bare_count, reader_count = counts
        print(f"instructions to the first frame: bare {bare_count / 1e6:.1f} M, reader "
              f"{reader_count / 1e6:.1f} M, ratio {reader_count / bare_count:.3f} (not the "
              "goal's measure: time is; a steady count for comparing versions)")
    if args.json:
        imports_extra, widgets_extra, reader_extra = list(extra.values())[1:]
        print(json.dumps({"bare_s": bare_median, "reader_s": reader_median, "ratio": ratio,
                          "ratio_95": [low, high], "paired_ratio": paired,
                          "paired_ratio_95": [paired_low, paired_high],
                          "imports_s": statistics.median(imports),
                          "widgets_s": statistics.median(widgets),
                          "widget_count": first_frame["widgets"],
                          "paired_extra_ms": {"imports": imports_extra * 1000,
                                              "widgets": widgets_extra * 1000,
                                              "reader": reader_extra * 1000}}))


if __name__ == "__main__":
    main()
