"""Deck files to write: staged first (in worker processes when worthwhile), then moved
into place together, so a failure in any deck leaves every previous deck as it was."""

from __future__ import annotations

import itertools
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, TypeVar

from ..compute import fork_context
from .anki import DeckSpec, NoteSpec, patch_package, write_package
from .files import TEMP_PREFIX

T = TypeVar("T")
R = TypeVar("R")
PARALLEL_WRITE_NOTES = 20_000  # below this, decks are written faster than workers start
DECK_FORMAT = 2  # bump when write_package's output changes for the same notes


@dataclass(frozen=True)
class DeckJob:
    """All of a deck's notes, written into a new package at `target`."""

    target: Path
    decks: tuple[DeckSpec, ...]
    notes: list[NoteSpec]
    mods: list[int]
    now: int
    model_mods: dict[int, int]
    first_id: int  # note and card ids: a range of their own per deck


@dataclass(frozen=True)
class PatchJob:
    """The package at `target` with the notes whose GUIDs are in `remove` replaced by `notes`."""

    target: Path
    decks: tuple[DeckSpec, ...]
    remove: list[str]
    notes: list[NoteSpec]
    mods: list[int]


def staged_path(target: Path) -> Path:
    """Where a deck is written before `DeckWriter.commit` moves it to `target`."""
    return target.with_name(f"{TEMP_PREFIX}{target.name}")


def write_job(job: DeckJob | PatchJob) -> Path:
    staged = staged_path(job.target)
    try:
        if isinstance(job, PatchJob):
            patch_package(staged, job.target, job.decks, job.remove, job.notes, job.mods)
        else:
            write_package(staged, job.decks, job.notes, job.mods, now=job.now, model_mods=job.model_mods,
                          id_source=itertools.count(job.first_id))
    except OSError as error:  # name the deck the user asked for, not our staging file
        _name(error, job.target)
        raise
    return staged


class DeckWriter:
    """Stage decks as they are submitted; `commit` moves them all into place."""

    def __init__(self, parallel: int, progress: Callable[[str, int, int], None] | None = None) -> None:
        self.pool = ProcessPoolExecutor(max_workers=parallel, mp_context=fork_context()) if parallel > 1 else None
        self.progress = progress
        # (target, staged file, future): only paths are kept, so a deck's notes can be freed
        # as soon as it is staged
        self.pending: list[tuple[Path, Path, Future[Any] | None]] = []

    def submit(self, target: Path, task: Callable[[T], R], arg: T) -> Callable[[], R]:
        """Run `task(arg)`, which stages `target` (see `staged_path`), in a writer
        process when there are several; returns a getter for its result."""
        staged = staged_path(target)
        if self.pool is not None:  # queued at once: a task is only its deck's key, the writer makes the notes
            future = self.pool.submit(task, arg)
            self.pending.append((target, staged, future))
            return future.result
        result = task(arg)
        self.pending.append((target, staged, None))
        self._report(len(self.pending))
        return lambda: result

    def commit(self) -> None:
        for done, (_target, _staged, future) in enumerate(self.pending, 1):
            if future is not None:
                future.result()
                self._report(done)
        for target, staged, _ in self.pending:
            try:
                os.replace(staged, target)
            except OSError as error:
                _name(error, target)
                raise
        self.pending.clear()

    def _report(self, done: int) -> None:
        if self.progress:
            self.progress("write", done, len(self.pending))

    def __enter__(self) -> DeckWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        for _target, staged, _ in self.pending:  # anything not committed is thrown away
            staged.unlink(missing_ok=True)
        self.pending.clear()


def _name(error: OSError, target: Path) -> None:
    if error.errno is not None:  # an OSError without errno prints its filename oddly
        error.filename = str(target)


def writer_processes(decks: int, cards: int, workers: int | None) -> int:
    """How many processes should write `decks` decks holding about `cards` notes."""
    if cards < PARALLEL_WRITE_NOTES:
        return 1
    return max(1, min(decks, workers if workers is not None else (os.cpu_count() or 1)))
