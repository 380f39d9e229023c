"""Synthetic corpora for the scale benchmark: N briefings shaped like the bundled ones.

`write_corpus(root, n, seed)` writes `n` briefings spread over stories of 5-10 briefings,
one folder per story with its story file. Sizes follow the bundled content (15-30 claims
with one or two evidence excerpts, some figures, 3-7 responses, 3-6 questions, a summary
of a few sentences, about 15 KB a file). Text is drawn from the bundled content's sentences
with words swapped at random, and every story and briefing carries made-up names, so a
search finds a few briefings for a name and thousands for a common word.

When the corpus has at least `LONG_MIN_SIZE` briefings, one of them (in a story in the
middle of the list, so it is not what the first screen shows) has `LONG_CLAIMS` claims and
the word `LONG_TOKEN` in its title, for the key-press benchmark of a long claims list.

Files are written as YAML by hand (strings as JSON-quoted scalars, which YAML reads as
double-quoted strings), which is much faster than a YAML emitter: 10,000 files take a
few seconds.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "content"
LONG_CLAIMS = 300
LONG_TOKEN = "Longclaimsbriefing"
LONG_MIN_SIZE = 50
STATUSES = ("asserted", "corroborated", "disputed", "denied", "unverified")
QUALIFIERS = ("exactly", "about", "at least", "more than", "at most", "fewer than", "up to",
              "several")
UNITS = ("people", "USD", "EUR", "RUB", "weeks", "days", "km", "tonnes", "percent")
STANCES = ("denies", "accuses", "condemns", "no comment", "confirms", "calls for talks",
           "warns", "welcomes")
OUTLETS = ("Newsweek", "The New York Sun", "RFE/RL", "Glance", "Reuters", "Le Monde",
           "The Example Gazette", "Example Courier", "Kyiv Independent", "Financial Times")
SYLLABLES = ("ka", "ro", "vel", "mi", "dor", "sa", "tun", "bre", "lo", "zen", "qua", "ish",
             "pol", "ve", "nar", "ti", "gor", "um", "fa", "lek")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


@dataclass
class Pool:
    """Sentences and words taken from the bundled content."""

    sentences: list[str]
    words: list[str]
    topics: list[tuple[str, str]]
    claimants: list[str]
    parties: list[str]


def _strings(node: object, out: dict[str, list[str]], key: str = "") -> None:
    if isinstance(node, dict):
        for name, value in node.items():
            _strings(value, out, str(name))
    elif isinstance(node, list):
        for value in node:
            _strings(value, out, key)
    elif isinstance(node, str):
        out.setdefault(key, []).append(node)


def load_pool(folder: Path = BUNDLED) -> Pool:
    """Collect the bundled content's sentences, words, topics and names."""
    found: dict[str, list[str]] = {}
    topics: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        _strings(document, found)
        topics += [(t["key"], t["description"]) for t in document.get("topics", [])]
    prose = [text for key in ("text", "summary", "evidence", "quote", "why_it_matters",
                              "event", "description") for text in found.get(key, [])]
    sentences = [s.strip() for text in prose for s in re.split(r"(?<=[.?!])\s+", text)
                 if len(s.split()) >= 5]
    words = sorted({w for s in sentences for w in _WORD.findall(s)})
    return Pool(sentences, words, topics or [("general", "The story in general.")],
                sorted(set(found.get("claimant", ["An official"]))),
                sorted(set(found.get("party", ["A government"]))))


class Writer:
    """Makes the text of one corpus from a pool with its own random generator."""

    def __init__(self, pool: Pool, seed: int) -> None:
        self.pool = pool
        self.rng = random.Random(seed)

    def name(self) -> str:
        """A made-up capitalised name, e.g. 'Velmidor'."""
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))
                       ).capitalize()

    def sentence(self, extra: str | None = None) -> str:
        """A bundled sentence with about a fifth of its words swapped, maybe a name added."""
        words = self.rng.choice(self.pool.sentences).split()
        for _ in range(max(1, len(words) // 5)):
            words[self.rng.randrange(len(words))] = self.rng.choice(self.pool.words)
        if extra:
            words.insert(self.rng.randrange(len(words)), extra)
        text = " ".join(words)
        return text if text[-1] in ".?!" else text + "."

    def sentences(self, low: int, high: int, extra: str | None = None) -> str:
        """Between `low` and `high` sentences, the first one naming `extra`."""
        count = self.rng.randint(low, high)
        return " ".join(self.sentence(extra if i == 0 else None) for i in range(count))

    def short(self, words: int) -> str:
        """A few words of a bundled sentence, as a title or a label."""
        parts = self.sentence().rstrip(".?!").split()
        start = self.rng.randrange(max(1, len(parts) - words))
        return " ".join(parts[start:start + words])


def q(text: str | None) -> str:
    """A YAML scalar for a string or null (JSON-quoted strings are valid YAML)."""
    return "null" if text is None else json.dumps(text, ensure_ascii=False)


def _date(rng: random.Random, unknown: float = 0.2) -> str:
    if rng.random() < unknown:
        return "null"
    return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _claim(w: Writer, index: int, topics: list[str], name: str) -> list[str]:
    rng = w.rng
    lines = [f"  - id: c{index}",
             f"    text: {q(w.sentences(1, 2, name if rng.random() < 0.2 else None))}",
             f"    claimant: {q(rng.choice(w.pool.claimants))}",
             f"    status: {rng.choice(STATUSES)}",
             f"    topic: {rng.choice(topics)}"]
    if rng.random() < 0.25:
        lines.append("    figures:")
        for _ in range(rng.randint(1, 2)):
            lines += [f"      - value: {rng.randint(1, 20000)}",
                      f"        qualifier: {rng.choice(QUALIFIERS)}",
                      f"        unit: {rng.choice(UNITS)}",
                      f"        counts: {q(w.short(6))}"]
    lines.append("    evidence:")
    lines += [f"      - {q(w.sentence())}" for _ in range(1 if rng.random() < 0.6 else 2)]
    return lines


def briefing_yaml(w: Writer, bid: str, story: str, topics: list[str], name: str,
                  title: str, claims: int) -> str:
    """The text of one briefing file."""
    rng = w.rng
    lines = ["format: 1", "kind: briefing", f"id: {bid}", f"story: {story}",
             f"title: {q(title)}", f"outlet: {q(rng.choice(OUTLETS))}",
             f"byline: {q(None if rng.random() < 0.3 else w.name() + ' ' + w.name())}",
             f"published: {_date(rng)}", "url: null",
             f"summary: {q(w.sentences(3, 5, name))}", "key_claims:"]
    for i in range(claims):
        lines += _claim(w, i, topics, name)
    lines.append("official_responses:")
    for i in range(rng.randint(3, 7)):
        quiet = rng.random() < 0.2
        lines += [f"  - id: r{i}", f"    party: {q(rng.choice(w.pool.parties))}",
                  f"    speaker: {q(None if quiet else w.name() + ' ' + w.name())}",
                  f"    role: {q(None if quiet else 'Spokesperson')}",
                  f"    date: {_date(rng, 0.5)}",
                  f"    stance: {q('no comment' if quiet else rng.choice(STANCES))}",
                  f"    summary: {q(w.sentences(1, 2))}",
                  f"    quote: {q(None if quiet else w.sentence())}"]
    lines.append("open_questions:")
    for i in range(rng.randint(3, 6)):
        related = sorted(rng.sample(range(claims), min(claims, rng.randint(1, 3))))
        lines += [f"  - id: q{i}", f"    text: {q(w.sentence().rstrip('.') + '?')}",
                  f"    why_it_matters: {q(w.sentence())}",
                  f"    related_claims: [{', '.join(f'c{c}' for c in related)}]",
                  f"    topic: {rng.choice(topics)}"]
    return "\n".join(lines) + "\n"


def story_yaml(w: Writer, sid: str, name: str, topics: list[tuple[str, str]],
               briefings: list[str]) -> str:
    """The text of one story file, its timeline citing its briefings."""
    rng = w.rng
    lines = ["format: 1", "kind: story", f"id: {sid}",
             f"title: {q(name + ': ' + w.short(8))}", f"summary: {q(w.sentences(4, 6, name))}",
             "topics:"]
    for key, description in topics:
        lines += [f"  - key: {key}", f"    description: {q(description)}"]
    lines.append("timeline:")
    for _ in range(rng.randint(5, 10)):
        cited = rng.sample(briefings, min(len(briefings), rng.randint(1, 2)))
        date = _date(rng, 0.4)
        lines.append(f"  - date: {date}")
        if date == "null":
            lines.append(f"    when: {q(w.short(4))}")
        lines += [f"    event: {q(w.sentence())}", f"    reported_by: [{', '.join(cited)}]"]
    return "\n".join(lines) + "\n"


def write_corpus(root: Path, n: int, seed: int = 7, pool: Pool | None = None) -> dict:
    """Write `n` briefings (and their stories) under `root`; return what was written."""
    w = Writer(pool or load_pool(), seed)
    rng = w.rng
    sizes: list[int] = []
    while sum(sizes) < n:
        sizes.append(min(rng.randint(5, 10), n - sum(sizes)))
    long_story = len(sizes) // 2 if n >= LONG_MIN_SIZE else -1
    names, total_bytes, long_id, number = [], 0, None, 0
    for s, size in enumerate(sizes):
        name = w.name()
        names.append(name)
        sid = f"s{s:05d}-{name.lower()}"
        topics = rng.sample(w.pool.topics, min(len(w.pool.topics), rng.randint(6, 12)))
        keys = [key for key, _ in topics]
        folder = root / sid
        folder.mkdir(parents=True, exist_ok=True)
        ids = []
        for b in range(size):
            bid = f"b{number:06d}-{name.lower()}"
            number += 1
            title = f"{name}: {w.short(rng.randint(6, 11))}"
            claims = rng.randint(15, 30)
            if s == long_story and b == 0:
                title, claims, long_id = f"{LONG_TOKEN} {title}", LONG_CLAIMS, bid
            text = briefing_yaml(w, bid, sid, keys, name, title, claims)
            total_bytes += len(text.encode())
            (folder / f"{bid}.yaml").write_text(text, encoding="utf-8")
            ids.append(bid)
        text = story_yaml(w, sid, name, topics, ids)
        total_bytes += len(text.encode())
        (folder / f"{sid}.yaml").write_text(text, encoding="utf-8")
    return {"briefings": n, "stories": len(sizes), "bytes": total_bytes, "long_id": long_id,
            "names": names}


def search_queries(pool: Pool, names: list[str], count: int, seed: int = 11) -> list[str]:
    """Queries a reader might type: story names, common and rarer words, word pairs."""
    rng = random.Random(seed)
    common = [w.lower() for w in pool.words if len(w) >= 5 and w.isalpha()]
    queries = []
    for i in range(count):
        kind = i % 5
        if kind == 0:
            queries.append(rng.choice(names).lower())
        elif kind == 1:
            queries.append(rng.choice(common))
        elif kind == 2:
            queries.append(f"{rng.choice(common)} {rng.choice(common)}")
        elif kind == 3:
            queries.append(f"{rng.choice(names).lower()} {rng.choice(common)}")
        else:
            queries.append(rng.choice(common)[:4])  # a prefix: many matches
    return queries
