"""The library floor: what the libraries alone cost for the work a build must do.

On one core: read each file, load its front matter with `yaml.CSafeLoader`, parse its
answer once with mistune's AST renderer, then write as many genanki notes as quizgen
produced. A build can only beat this by doing less work per document or by using more
cores; the benchmark reports build time as a ratio of it.
"""

from __future__ import annotations

import gc
import itertools
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import genanki
import mistune
import yaml

FLOOR_MODEL = genanki.Model(
    1_607_392_319,
    "quizgen floor",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
)


@dataclass(frozen=True)
class FloorTimes:
    read_s: float
    yaml_s: float
    mistune_s: float
    genanki_s: float

    @property
    def total_s(self) -> float:
        return self.read_s + self.yaml_s + self.mistune_s + self.genanki_s


def measure_floor(paths: Sequence[Path], notes: int) -> FloorTimes:
    start = time.perf_counter()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    heads = [t.split("\n---", 1)[0][4:] for t in texts]
    read_s = time.perf_counter() - start

    start = time.perf_counter()
    answers = [str(yaml.load(h, Loader=yaml.CSafeLoader).get("answer", "")) for h in heads]
    yaml_s = time.perf_counter() - start

    parse = mistune.create_markdown(renderer=None)
    start = time.perf_counter()
    for answer in answers:
        parse(answer.replace("\\n", "\n"))
    mistune_s = time.perf_counter() - start

    start = time.perf_counter()
    _write_notes(notes)
    genanki_s = time.perf_counter() - start
    return FloorTimes(read_s, yaml_s, mistune_s, genanki_s)


def _write_notes(count: int) -> None:
    """genanki at its best: GC frozen around building and writing, like the build does."""
    deck = genanki.Deck(2_059_400_110, "floor")
    gc.freeze()
    gc.disable()
    try:
        for n in range(count):
            deck.add_note(genanki.Note(FLOOR_MODEL, [f"front {n}", f"back {n}"], guid=f"floor{n}"))
        with tempfile.TemporaryDirectory(prefix="quizgen-floor-") as tmp:
            # Package.write_to_file leaks its temp DB in /tmp (genanki 0.13.1): same work, our folder.
            db = Path(tmp) / "collection.anki2"
            conn = sqlite3.connect(db)
            genanki.Package(deck).write_to_db(conn.cursor(), 1.0, itertools.count(1000))
            conn.commit()
            conn.close()
            with zipfile.ZipFile(Path(tmp) / "floor.apkg", "w") as out:
                out.write(db, "collection.anki2")
                out.writestr("media", "{}")
    finally:
        gc.enable()
        gc.unfreeze()
