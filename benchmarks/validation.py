"""Cost of the validation approaches considered for the briefing models.

Measures, for the bundled briefings, what each approach costs in import time (a fresh
process importing it, minus a bare `python -c pass`) and per-document validation (the
parsed YAML data of each bundled briefing turned into the model dataclasses):

- ours: `briefing.validate.convert_document` (plain dataclasses, every problem collected,
  positions from our YAML tree);
- pydantic v2: `TypeAdapter(Briefing).validate_python` on the same dataclasses;
- msgspec: `msgspec.convert(data, Briefing)` on the same dataclasses.

pydantic and msgspec are not project dependencies; they are measured when installed.

    python benchmarks/validation.py
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def import_cost(module: str, runs: int = 7) -> float:
    """Median seconds a fresh interpreter spends importing `module`, over a bare start."""
    def run(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return time.perf_counter() - started

    bare = statistics.median(run("pass") for _ in range(runs))
    return statistics.median(run(f"import {module}") for _ in range(runs)) - bare


def per_document(validate, documents: list, rounds: int = 200) -> float:
    """Median microseconds to validate one document."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for data in documents:
            validate(data)
        times.append((time.perf_counter() - started) / len(documents))
    return statistics.median(times) * 1e6


def main() -> None:
    """Measure and print the table."""
    from briefing.models import Briefing
    from briefing.validate import convert_document
    from briefing.yamlsafe import parse_yaml

    files = sorted((ROOT / "content").glob("*.yaml"))
    documents = [parse_yaml(f.read_bytes()).data for f in files]
    briefings = [(d, f.stem) for d, f in zip(documents, files, strict=True)
                 if d.get("kind") == "briefing"]
    rows = [("ours (dataclasses + validate.py)", "briefing.validate",
             per_document(lambda item: convert_document(item[0], item[1], []), briefings))]
    plain = [d for d, _ in briefings]
    if importlib.util.find_spec("pydantic"):
        from pydantic import TypeAdapter

        adapter = TypeAdapter(Briefing)
        rows.append(("pydantic v2 TypeAdapter", "pydantic",
                     per_document(adapter.validate_python, plain)))
    if importlib.util.find_spec("msgspec"):
        import msgspec

        rows.append(("msgspec.convert", "msgspec",
                     per_document(lambda data: msgspec.convert(data, Briefing), plain)))
    print(f"{len(briefings)} bundled briefings; import cost over `python -c pass`, median of 7")
    print(f"{'approach':<36}{'import':>10}{'per briefing':>16}")
    for name, module, micros in rows:
        print(f"{name:<36}{import_cost(module) * 1000:>8.0f}ms{micros:>13.0f} us")


if __name__ == "__main__":
    main()
