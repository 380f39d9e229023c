"""Benchmark: refresh 500 briefings from `briefing serve` on loopback.

Generates 500 valid briefings (variants of the test fixtures) in a temporary folder, serves
them with `python -m briefing serve` in a separate process (so the server does not share
the client's interpreter), and times a first refresh into an empty cache and a second one
where nothing changed. Goals on a 2-core machine: first < 3 s, unchanged < 0.5 s.

Run: `python benchmarks/refresh.py [COUNT]`
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from briefing.feed.client import refresh

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "basic"


def generate(folder: Path, count: int) -> None:
    """Write the fixture story plus `count` briefings (the two fixtures and variants)."""
    for path in FIXTURES.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    templates = [(p.stem, p.read_text()) for p in sorted(FIXTURES.glob("*-port-*.yaml"))]
    for number in range(count - len(templates)):
        stem, text = templates[number % len(templates)]
        new_id = f"{stem}-{number:04d}"
        body = text.replace(f"id: {stem}", f"id: {new_id}", 1)
        body = body.replace("\ntitle: ", f"\ntitle: ({number}) ", 1)
        (folder / f"{new_id}.yaml").write_text(body, encoding="utf-8")


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    """Run `briefing serve` on a free port; return the process and the feed URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "serve", str(folder), "--port", "0"],
        stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    while " at http" not in line:
        line = process.stderr.readline()
        if not line:
            raise SystemExit("briefing serve did not start")
    # The server logs every request to stderr; drain it so a full pipe never blocks it.
    threading.Thread(target=process.stderr.read, daemon=True).start()
    return process, line.split(" at ", 1)[1].split()[0]


async def timed(url: str, cache: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = await refresh(url, cache)
    return time.perf_counter() - started, result.summary()


def main(count: int = 500) -> None:
    with tempfile.TemporaryDirectory() as temp:
        content, cache = Path(temp) / "content", Path(temp) / "cache"
        content.mkdir()
        generate(content, count)
        process, url = start_server(content)
        try:
            first, first_summary = asyncio.run(timed(url, cache))
            second, second_summary = asyncio.run(timed(url, cache))
        finally:
            process.terminate()
            process.wait()
    print(f"{count} briefings + 1 story served on loopback")
    print(f"first refresh:     {first:.3f} s  ({first_summary})  goal < 3 s")
    print(f"unchanged refresh: {second:.3f} s  ({second_summary})  goal < 0.5 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
