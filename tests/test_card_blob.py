"""The cached cards' byte format: what goes in comes out, and a damaged or older entry
is never loaded (it reads as a miss, and its document is computed again)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from quizgen import card_blob
from quizgen.bench.synth import write_corpus
from quizgen.cache import CACHE_DIR, CACHE_FILE
from quizgen.compute import Works
from quizgen.export.notes import RenderedCard
from quizgen.pipeline import BuildOptions, build
from quizgen.work import DocWork, WorkSettings, do_batch

from test_build_parallel_cache import all_decks

NOW = 1_750_000_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("blob-corpus")
    write_corpus(folder, 12, seed=5)
    return folder


@pytest.fixture(scope="module")
def cards(corpus: Path) -> tuple[RenderedCard, ...]:
    works = do_batch([(str(p), p.read_bytes()) for p in sorted(corpus.glob("*.md"))], WorkSettings())
    found = tuple(card for work in works if isinstance(work, DocWork) for card in work.cards)
    assert any(c.cloze for c in found) and any(not c.cloze for c in found)
    return found


def test_pack__round_trips_every_card(cards: tuple[RenderedCard, ...]) -> None:
    assert card_blob.unpack(card_blob.pack(cards)) == cards
    assert card_blob.unpack(card_blob.pack(())) == ()


def test_unpack__a_damaged_blob_is_a_miss(cards: tuple[RenderedCard, ...]) -> None:
    blob = card_blob.pack(cards[:5])
    for at in (0, 20, len(blob) // 2, len(blob) - 1):  # in the digest, and in the body
        damaged = bytearray(blob)
        damaged[at] ^= 0x01
        assert card_blob.unpack(bytes(damaged)) is None
    assert card_blob.unpack(blob[:-3]) is None
    assert card_blob.unpack(b"") is None


def test_unpack__older_entries_and_other_values_are_misses(cards: tuple[RenderedCard, ...]) -> None:
    old = json.dumps([[c.kind, c.key, c.ordinal, c.section, c.cloze, c.fields, c.tags, c.guid] for c in cards[:3]])
    assert card_blob.unpack(old) is None  # WORK_FORMAT 3 stored JSON text
    assert card_blob.unpack(old.encode("utf-8")) is None
    assert card_blob.unpack(None) is None
    wrong_shape = card_blob.pack(cards[:1])[: card_blob._DIGEST_SIZE]  # a digest of nothing valid
    assert card_blob.unpack(wrong_shape) is None


def test_build__a_damaged_cards_entry_is_computed_again(corpus: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The deck is rewritten (its state file is gone), its cards come from the cache, and
    one entry there is damaged: the build recomputes that document and writes the same deck."""
    out = tmp_path / "out"
    first = build([corpus], BuildOptions(out_dir=out, now=NOW, workers=1))
    before = all_decks(out)
    for stale in out.glob("*.apkg"):
        stale.unlink()
    with sqlite3.connect(out / CACHE_DIR / CACHE_FILE) as db:
        path, blob = db.execute("SELECT path, cards FROM work ORDER BY path LIMIT 1").fetchone()
        db.execute("UPDATE work SET cards = ? WHERE path = ?", (blob[:-1] + bytes([blob[-1] ^ 0xFF]), path))
    recomputed: list[str] = []
    real = Works._recompute
    monkeypatch.setattr(Works, "_recompute", lambda self, ref: recomputed.append(ref.head.path) or real(self, ref))
    again = build([corpus], BuildOptions(out_dir=out, now=NOW, workers=1))
    assert recomputed == [path]
    assert again.problems == first.problems
    assert all_decks(out) == before


def test_build__a_file_changed_after_its_entry_was_read_stops_the_build(corpus: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Cards that can be neither read back nor recomputed from the same bytes: no short deck."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted(corpus.glob("*.md")):
        (docs / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    build([docs], BuildOptions(out_dir=out, now=NOW, workers=1))
    for stale in out.glob("*.apkg"):
        stale.unlink()
    victim = sorted(docs.glob("*.md"))[0]
    monkeypatch.setattr(card_blob, "unpack", lambda blob: None)
    monkeypatch.setattr("quizgen.cache.unpack", lambda blob: None)
    real_read = Path.read_bytes
    reads: dict[Path, int] = {}

    def read_then_edit(self: Path) -> bytes:  # the build reads each file once, then it changes
        reads[self] = reads.get(self, 0) + 1
        data = real_read(self)
        return data if reads[self] == 1 or self != victim else data + b"\nedited\n"

    monkeypatch.setattr(Path, "read_bytes", read_then_edit)
    with pytest.raises(LookupError, match="changed during the build"):
        build([docs], BuildOptions(out_dir=out, now=NOW, workers=1))
    assert not list(out.glob("*.apkg"))
