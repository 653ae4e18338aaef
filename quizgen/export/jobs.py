"""Deck files to write, as picklable jobs, so several can be written in parallel."""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..compute import fork_context
from .anki import DeckSpec, NoteSpec, write_package

PARALLEL_WRITE_NOTES = 20_000  # below this, decks are written faster than workers start
DECK_FORMAT = 1  # bump when write_package's output changes for the same notes


@dataclass(frozen=True)
class DeckJob:
    target: Path
    decks: tuple[DeckSpec, ...]
    notes: list[NoteSpec]
    mods: list[int]
    now: int
    model_mods: dict[int, int]
    first_id: int  # note and card ids: a range of their own per deck


def write_job(job: DeckJob) -> None:
    write_package(job.target, job.decks, job.notes, job.mods, now=job.now, model_mods=job.model_mods,
                  id_source=itertools.count(job.first_id))


def run_jobs(jobs: Sequence[DeckJob], workers: int | None, progress: Callable[[str, int, int], None] | None) -> None:
    count = min(len(jobs), workers if workers is not None else (os.cpu_count() or 1))
    if count > 1 and sum(len(j.notes) for j in jobs) >= PARALLEL_WRITE_NOTES:
        with ProcessPoolExecutor(max_workers=count, mp_context=fork_context()) as pool:
            for done, _ in enumerate(pool.map(write_job, jobs), 1):
                if progress:
                    progress("write", done, len(jobs))
        return
    for done, job in enumerate(jobs, 1):
        write_job(job)
        if progress:
            progress("write", done, len(jobs))
