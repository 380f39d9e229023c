"""Scale benchmark (issue 7): the reader with thousands of briefings, against a bare app.

Generates synthetic corpora shaped like the bundled content (see `_scale_corpus.py`) and
measures, with a bare Textual app (one Static) in the same run for comparison:

- start: process start to first painted frame, cold (empty XDG cache) and warm (the cache
  a cold run left once its background work was done), per corpus size, median of runs;
- keys: key to painted frame for Down through the briefing list and through a 300-claim
  list (from the key event's posting to the last frame it caused), median and p95;
- search: from the last typed character of a query to the frame with the results;
- memory: peak RSS (VmHWM) of the app at first paint, when settled, and after searching;
- check: `briefing check` over the largest corpus, files per second.

    python benchmarks/scale.py [--sizes 5,1000,10000] [--runs 5] [--quick]
                               [--json-out benchmarks/scale-results.json]

Every app process gets its own empty XDG_CONFIG_HOME and XDG_DATA_HOME, and an empty
XDG_CACHE_HOME unless it is a warm run. Child processes are in `_scale_child.py`. Warm
runs use the cache of the first cold run, which waits for the app's background work (at
most --settle-timeout seconds; the table says when that ran out and the cache may be
incomplete). The default run takes about 15 minutes when the reader meets its goals and
longer when it does not (each key waits for its frames).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scale_corpus import LONG_TOKEN, load_pool, search_queries, write_corpus  # noqa: E402
from startup import compile_package  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "_scale_child.py"
GOALS = {"warm_ratio": 1.5, "cold_ratio": 3.0, "key_median_ms": 60, "key_p95_ms": 100,
         "search_median_ms": 50, "peak_rss_mb": 300}


def log(message: str) -> None:
    """Progress for the person waiting, on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def xdg_env(base: Path, cache: Path | None = None) -> dict[str, str]:
    """The environment of one app process: fresh config and data folders under `base`."""
    env = dict(os.environ)
    for name, folder in (("XDG_CONFIG_HOME", base / "config"), ("XDG_DATA_HOME", base / "data"),
                         ("XDG_CACHE_HOME", cache or base / "cache")):
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    return env


def run_child(args: list[str], env: dict[str, str], timeout: float,
              show_stderr: bool = False) -> tuple[float, str]:
    """Run one child; return the time it started (time.time()) and its stdout. With
    `show_stderr`, its progress (and any traceback) goes straight to our stderr."""
    started = time.time()
    try:
        result = subprocess.run([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE,
                                stderr=None if show_stderr else subprocess.PIPE,
                                text=True, env=env, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"child {args[:2]} gave no answer in {timeout:.0f} s") from error
    if "painted" not in result.stdout and not result.stdout.lstrip().startswith("{"):
        raise RuntimeError(f"child {args[:2]} failed:\n{(result.stderr or '')[-3000:]}")
    return started, result.stdout


def start_run(app: str, content: Path | None, env: dict[str, str], settle: float | None,
              timeout: float) -> dict:
    """One start-up: seconds to first paint, peak RSS then, and (with settle) to idle."""
    args = ["start", app] + ([str(content)] if content else [])
    if settle is not None:
        args += ["--settle", "--settle-timeout", str(settle)]
    started, out = run_child(args, env, timeout)
    found = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    run = {"s": float(found["painted"][0]) - started, "rss_kb": int(found["painted"][1])}
    if "settled" in found:
        run["settled_s"] = float(found["settled"][0]) - started
        run["settled_rss_kb"] = int(found["settled"][1])
        run["settle_timed_out"] = found["settled"][2:] == ["timeout"]
    return run


def summary(values: list[float]) -> dict:
    """Median, min and max of some runs."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": len(values)}


def bench_start(size: int, content: Path, work: Path, runs: int, settle: float,
                budget: float) -> dict:
    """Cold and warm start-up at one size, bare runs interleaved."""
    primed = work / f"primed-{size}"
    log(f"start N={size}: cold run that also primes the cache (waits for background work)")
    prime = start_run("reader", content, xdg_env(primed), settle, settle + 900)
    bare, cold, warm = [], [prime], []
    began = time.time()
    for i in range(runs):
        bare.append(start_run("bare", None, xdg_env(work / f"bare-{size}-{i}"), None, 120))
        if i:
            cold.append(start_run("reader", content, xdg_env(work / f"cold-{size}-{i}"),
                                  None, 900))
        warm.append(start_run("reader", content, xdg_env(primed, primed / "cache"), None, 900))
        log(f"start N={size} run {i + 1}/{runs}: bare {bare[-1]['s']:.2f}s "
            f"cold {cold[-1]['s']:.2f}s warm {warm[-1]['s']:.2f}s")
        if time.time() - began > budget and i + 1 < runs:
            log(f"start N={size}: stopping after {i + 1} runs (over --start-budget)")
            break
    result = {"bare_s": summary([r["s"] for r in bare]),
              "cold_s": summary([r["s"] for r in cold]),
              "warm_s": summary([r["s"] for r in warm]),
              "cold_settled_s": prime.get("settled_s"),
              "cold_settle_timed_out": prime.get("settle_timed_out"),
              "rss_mb": {"bare": max(r["rss_kb"] for r in bare) / 1024,
                         "cold_at_paint": max(r["rss_kb"] for r in cold) / 1024,
                         "cold_settled": prime.get("settled_rss_kb", 0) / 1024,
                         "warm_at_paint": max(r["rss_kb"] for r in warm) / 1024}}
    result["cold_ratio"] = result["cold_s"]["median"] / result["bare_s"]["median"]
    result["warm_ratio"] = result["warm_s"]["median"] / result["bare_s"]["median"]
    return result


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def key_figures(presses: list[list[float]]) -> dict:
    """Median and p95 (ms) of each press's last frame, and of its first frame."""
    drawn = [frames for frames in presses if frames]
    if not drawn:
        return {"presses": len(presses), "no_frame": len(presses)}
    last = [frames[-1] * 1000 for frames in drawn]
    first = [frames[0] * 1000 for frames in drawn]
    return {"presses": len(presses), "no_frame": len(presses) - len(drawn),
            "median_ms": statistics.median(last), "p95_ms": percentile(last, 0.95),
            "first_median_ms": statistics.median(first),
            "first_p95_ms": percentile(first, 0.95),
            "frames_per_press": statistics.mean(len(frames) for frames in drawn)}


def bench_interact(app: str, content: Path | None, env: dict[str, str], queries: list[str],
                   downs: int, settle: float) -> dict:
    """Keys, search and memory in one in-process run of `app`."""
    args = ["interact", app] + ([str(content)] if content else [])
    args += ["--queries", json.dumps(queries), "--downs", str(downs), "--long", LONG_TOKEN,
             "--settle-timeout", str(settle)]
    began = time.time()
    _, out = run_child(args, env, settle + 3600, show_stderr=True)
    raw = json.loads(out.strip().splitlines()[-1])
    result = {key: key_figures(raw[key]) for key in ("list_down", "claims_down", "search")
              if key in raw}
    result["rss_mb"] = {key[:-7]: raw[key] / 1024 for key in raw if key.endswith("_rss_kb")}
    result["settle_s"] = raw["settle_s"]
    result["claims_briefing"] = raw.get("claims_briefing")
    result["wall_s"] = time.time() - began
    return result


def bench_check(content: Path) -> dict:
    """`briefing check` over a corpus, once."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "briefing", "check", str(content)],
                            capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    match = re.search(r"(\d+) files checked, (\d+) problem", result.stderr)
    files = int(match.group(1)) if match else 0
    return {"files": files, "problems": int(match.group(2)) if match else None,
            "exit": result.returncode, "s": seconds, "files_per_s": files / seconds}


def _ms(figures: dict | None, key: str = "median_ms") -> str:
    return "-" if not figures or key not in figures else f"{figures[key]:.0f} ms"


def table(results: dict) -> str:
    """The figures as one plain-text table: figure, reader, bare app, ratio, goal."""
    rows = [("figure", "reader", "bare app", "ratio", "goal")]
    for size, start in results["start"].items():
        bare = start["bare_s"]["median"]
        rows.append((f"start, cold, N={size}", f"{start['cold_s']['median']:.2f} s",
                     f"{bare:.2f} s", f"{start['cold_ratio']:.2f}x", "<= 3x at 10,000"))
        rows.append((f"start, warm, N={size}", f"{start['warm_s']['median']:.2f} s",
                     f"{bare:.2f} s", f"{start['warm_ratio']:.2f}x", "<= 1.5x at 10,000"))
        settled = start["cold_settled_s"]
        late = " (timed out)" if start["cold_settle_timed_out"] else ""
        rows.append((f"cold: background done, N={size}",
                     "-" if settled is None else f"{settled:.1f} s{late}", "", "", ""))
    keys, bare_keys = results.get("interact", {}), results.get("interact_bare", {})
    n = results.get("interact_size")
    for label, key, bare_key in (("Down in briefing list", "list_down", "list_down"),
                                 ("Down in 300 claims", "claims_down", "list_down")):
        figures, base = keys.get(key), bare_keys.get(bare_key)
        for stat, goal in (("median_ms", "<= 60 ms"), ("p95_ms", "<= 100 ms")):
            rows.append((f"key to paint, {label}, {stat[:-3]}, N={n}", _ms(figures, stat),
                         _ms(base, stat), "", goal))
    search, bare_search = keys.get("search"), bare_keys.get("search")
    rows.append((f"search, last key to results, median, N={n}", _ms(search),
                 _ms(bare_search), "", "<= 50 ms"))
    rows.append((f"search, last key to results, p95, N={n}", _ms(search, "p95_ms"),
                 _ms(bare_search, "p95_ms"), "", ""))
    rss, bare_rss = keys.get("rss_mb", {}), bare_keys.get("rss_mb", {})
    for stage, words in (("painted", "at first paint"), ("settled", "start settled"),
                         ("search", "after searching"), ("final", "after all keys")):
        if stage in rss:
            rows.append((f"peak RSS {words}, N={n}", f"{rss[stage]:.0f} MB",
                         f"{bare_rss.get(stage, 0):.0f} MB", "", "< 300 MB"))
    check = results.get("check")
    if check:
        rows.append((f"briefing check, {check['files']} files",
                     f"{check['files_per_s']:.0f} files/s", "", "", f"{check['s']:.1f} s"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def options() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,1000,10000",
                        help="corpus sizes for start-up, comma separated")
    parser.add_argument("--runs", type=int, default=5, help="start-up runs per size")
    parser.add_argument("--runs-large", type=int, default=3,
                        help="start-up runs for sizes of 5,000 and more")
    parser.add_argument("--start-budget", type=float, default=240,
                        help="seconds of start-up runs per size after which to stop early")
    parser.add_argument("--settle-timeout", type=float, default=180,
                        help="seconds to wait for a cold start's background work")
    parser.add_argument("--interact-size", type=int, default=None,
                        help="corpus size for keys, search and memory (default: largest)")
    parser.add_argument("--downs", type=int, default=200, help="Down presses per list")
    parser.add_argument("--queries", type=int, default=50, help="search queries")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and fewer presses, to try the benchmark")
    parser.add_argument("--no-check", action="store_true", help="skip `briefing check`")
    parser.add_argument("--json-out", type=Path,
                        default=Path(__file__).resolve().parent / "scale-results.json")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.runs, args.runs_large = "5,200", 3, 2
        args.downs, args.queries, args.settle_timeout = 40, 10, 120
    args.size_list = [int(size) for size in args.sizes.split(",")]
    args.interact_size = args.interact_size or max(args.size_list)
    return args


def main() -> None:
    """Run every part, print the table and write the JSON."""
    args = options()
    import textual

    results: dict = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"python": platform.python_version(), "textual": textual.__version__,
                    "cpus": os.cpu_count(), "platform": platform.platform()},
        "settings": {key: value for key, value in vars(args).items() if key != "json_out"},
        "corpus": {}, "start": {}, "interact_size": args.interact_size,
    }
    began = time.time()
    compile_package()
    pool = load_pool()
    with tempfile.TemporaryDirectory(prefix="briefing-scale-") as temp:
        work = Path(temp)
        corpora: dict[int, Path] = {}
        for size in sorted(set(args.size_list) | {args.interact_size}):
            started = time.perf_counter()
            corpora[size] = work / f"corpus-{size}"
            info = write_corpus(corpora[size], size, pool=pool)
            info["generate_s"] = time.perf_counter() - started
            results["corpus"][size] = {k: v for k, v in info.items() if k != "names"}
            results["corpus"][size]["names"] = info["names"][:3]
            log(f"corpus N={size}: {info['stories']} stories, {info['bytes'] / 1e6:.0f} MB "
                f"in {info['generate_s']:.1f} s")
            if size == args.interact_size:
                queries = search_queries(pool, info["names"], args.queries)
        start_bare = start_run("bare", None, xdg_env(work / "warmup"), None, 120)
        log(f"warm-up bare start {start_bare['s']:.2f} s")
        for size in args.size_list:
            runs = args.runs_large if size >= 5000 else args.runs
            results["start"][size] = bench_start(size, corpora[size], work, runs,
                                                 args.settle_timeout, args.start_budget)
        size = args.interact_size
        primed = work / f"primed-{size}"
        if not primed.exists():
            log(f"interact N={size}: priming the cache")
            start_run("reader", corpora[size], xdg_env(primed), args.settle_timeout,
                      args.settle_timeout + 900)
        log(f"keys, search and memory, bare app ({args.downs} Downs, {len(queries)} queries)")
        results["interact_bare"] = bench_interact("bare", None, xdg_env(work / "ibare"),
                                                  queries, args.downs, args.settle_timeout)
        log(f"keys, search and memory, reader at N={size} (warm cache)")
        results["interact"] = bench_interact("reader", corpora[size],
                                             xdg_env(primed, primed / "cache"), queries,
                                             args.downs, args.settle_timeout)
        log(f"reader interaction took {results['interact']['wall_s']:.0f} s")
        # The claims test jumps to the long briefing through search; say if it got there.
        results["interact"]["claims_on_long_briefing"] = (
            results["interact"]["claims_briefing"] == results["corpus"][size]["long_id"])
        if not args.no_check:
            log(f"briefing check over N={max(args.size_list)}")
            results["check"] = bench_check(corpora[max(args.size_list)])
    results["wall_s"] = time.time() - began
    results["search_method"] = ("typed into the search screen (/), last key to the last frame "
                                "it caused")
    text = table(results)
    print(text)
    results["table"] = text
    args.json_out.write_text(json.dumps(results, indent=2, default=str) + "\n",
                             encoding="utf-8")
    log(f"done in {results['wall_s'] / 60:.1f} min; JSON in {args.json_out}")


if __name__ == "__main__":
    main()
