"""Every document's work for a build: from the cache, else computed in a process pool."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .cache import WorkCache, content_key
from .export.notes import RenderedCard
from .model import Problem
from .work import DocRef, DocWork, Encoded, WorkSettings, do_batch

Progress = Callable[[str, int, int], None]  # (stage, done, total)
POOL_THRESHOLD = 48  # documents; fewer are done before worker processes would have started
BATCH_SIZE = 16
FLUSH_EVERY = 256  # results written to the cache at a time
# A file changed this recently is read again next build even if its metadata is the same:
# two writes within one tick of a coarse clock look alike. At least the coarsest tick
# (FAT: 2 s), plus a second for file system clocks that lag the one read here.
RACY_NS = 3_000_000_000


class Works:
    """The build's documents, in file order, and where to fetch cards left in the cache."""

    def __init__(self, refs: list[DocRef], cache: WorkCache | None, settings: WorkSettings) -> None:
        self.refs = refs
        self.cache = cache
        self.settings = settings

    def cards_of(self, refs: Sequence[DocRef]) -> dict[str, tuple[RenderedCard, ...]]:
        """path -> cards for `refs`, reading the cache only for those not in memory; an
        entry that cannot be read back (damaged) is computed again from its file."""
        cards = {r.head.path: r.cards for r in refs if r.cards is not None}
        missing = [r for r in refs if r.cards is None]
        if missing and self.cache is not None:
            cards.update(self.cache.cards(r.head.path for r in missing))
        for ref in missing:
            if ref.head.path not in cards:
                cards[ref.head.path] = self._recompute(ref)
        return cards  # type: ignore[return-value]

    def _recompute(self, ref: DocRef) -> tuple[RenderedCard, ...]:
        """`ref`'s cards from its file, if it still holds what was built; else stop, never
        write a short deck (only if the file was changed during this build)."""
        path = ref.head.path
        try:
            data = Path(path).read_bytes()
        except OSError:
            data = b""
        result = do_batch([(path, data)], self.settings)[0] if content_key(data, self.settings.fingerprint()) == ref.key else None
        if not isinstance(result, DocWork):
            raise LookupError(f"{path} changed during the build; build again")
        return result.cards

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def run_works(files: Sequence[Path], settings: WorkSettings, cache_dir: Path | None, workers: int | None,
              problems: list[Problem], progress: Progress | None) -> Works:
    fingerprint = settings.fingerprint()
    cache = WorkCache(cache_dir) if cache_dir is not None else None
    seen = files_seen(files, fingerprint) if cache is not None else {}
    unchanged = cache.unchanged(seen) if cache is not None else {}  # path -> key: files not read again
    inputs = _read(files, unchanged, problems)
    keys = {path: unchanged[path] if data is None else content_key(data, fingerprint) for path, data in inputs}
    refs: dict[str, DocRef | Problem] = {}
    if cache is not None:
        for path, (head, kinds) in cache.heads(keys).items():
            refs[path] = DocRef(head, keys[path], kinds, None)
        cache.mark_seen({path: seen[path] for path, data in inputs  # read, and found as stored
                         if data is not None and path in refs and path in seen})
    missing = {path for path, data in inputs if data is None and path not in refs}
    if missing:  # unchanged, but its cached head cannot be read back: read it after all
        inputs = _read_after_all(inputs, missing, problems)
        keys.update((path, content_key(data, fingerprint)) for path, data in inputs
                    if path in missing and data is not None)
    todo = [(path, data) for path, data in inputs if path not in refs and data is not None]
    fresh: list[tuple[str, str, Encoded]] = []
    results = compute(todo, settings, workers, progress, len(inputs) - len(todo), len(inputs), cache is not None)
    for path, result in results:
        if isinstance(result, Problem):
            refs[path] = result
            continue
        if isinstance(result, DocWork):  # no cache: cards stay in memory
            refs[path] = DocRef(result.head, keys[path], result.kinds, result.cards)
            continue
        # with a cache, cards wait there until their deck is written: memory stays flat
        refs[path] = DocRef(result.head, keys[path], result.kinds, None)
        fresh.append((path, keys[path], result))
        if cache is not None and len(fresh) >= FLUSH_EVERY:
            cache.put_many(fresh, seen)
            fresh.clear()
    if cache is not None:
        cache.put_many(fresh, seen)
    ordered: list[DocRef] = []
    for path, _ in inputs:
        ref = refs[path]
        if isinstance(ref, Problem):
            problems.append(ref)
        else:
            ordered.append(ref)
    return Works(ordered, cache, settings)


def _read(files: Sequence[Path], unchanged: dict[str, str], problems: list[Problem]) -> list[tuple[str, bytes | None]]:
    """(path, bytes) for each readable file, in order; (path, None) for those `unchanged`,
    not read; an unreadable file is a problem."""
    inputs: list[tuple[str, bytes | None]] = []
    for file in files:
        path = str(file)
        if path in unchanged:
            inputs.append((path, None))
            continue
        try:
            inputs.append((path, file.read_bytes()))
        except OSError as exc:
            problems.append(Problem(path, f"cannot read file: {exc.strerror or exc}"))
    return inputs


def _read_after_all(inputs: list[tuple[str, bytes | None]], missing: set[str], problems: list[Problem]
                    ) -> list[tuple[str, bytes | None]]:
    """`inputs` with the bytes of the `missing` files read in; one unreadable now is dropped (a problem)."""
    read = dict(_read([Path(path) for path, _ in inputs if path in missing], {}, problems))
    return [(path, read[path] if path in missing else data) for path, data in inputs
            if path not in missing or path in read]


def files_seen(files: Sequence[Path], fingerprint: str) -> dict[str, str]:
    """path -> `file_seen` for the files that have a trustworthy one."""
    now = time.time_ns()
    return {str(file): value for file in files if (value := file_seen(file, fingerprint, now)) is not None}


def file_seen(file: Path, fingerprint: str, now_ns: int) -> str | None:
    """The file's metadata as the cache keeps it, to know on the next build that its bytes
    were not changed since they were read (git's index does the same): any write moves
    its ctime, which no tool sets back. None when there is none to trust: no stat, or a
    change within `RACY_NS` of `now_ns`, which the timestamps' granularity might not show.
    Taken before the file is read, so a change while it is read is a change next time."""
    try:
        info = os.stat(file)
    except OSError:
        return None
    if max(info.st_mtime_ns, info.st_ctime_ns) >= now_ns - RACY_NS:
        return None
    return f"{fingerprint}:{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def compute(todo: Sequence[tuple[str, bytes]], settings: WorkSettings, workers: int | None,
            progress: Progress | None, already: int, total: int,
            encoded: bool = False) -> Iterator[tuple[str, DocWork | Encoded | Problem]]:
    """(path, result) for each input; a process pool when there is enough to share."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(todo) < POOL_THRESHOLD:
        for done, (path, data) in enumerate(todo, already + 1):
            yield path, do_batch([(path, data)], settings, encoded)[0]
            if progress:
                progress("generate", done, total)
        return
    batches = [list(todo[i : i + BATCH_SIZE]) for i in range(0, len(todo), BATCH_SIZE)]
    done = already
    with ProcessPoolExecutor(max_workers=count, mp_context=fork_context()) as pool:
        for batch, results in zip(batches, pool.map(do_batch, batches, itertools.repeat(settings),
                                                    itertools.repeat(encoded))):
            yield from zip((path for path, _ in batch), results)
            done += len(batch)
            if progress:
                progress("generate", done, total)


def fork_context():  # type: ignore[no-untyped-def]
    """fork where available: workers start in milliseconds and inherit loaded modules."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)
