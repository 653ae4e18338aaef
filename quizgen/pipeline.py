"""build(paths, options) -> BuildReport: read all, generate cards, one deck per subject.

A bad file becomes a Problem and the rest still builds; a write that fails leaves the
previous decks and build state as they were.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .cache import WorkCache, content_key
from .cards.generate import CardOptions
from .export import ids
from .export.anki import MODEL_HASHES, DeckSpec, NoteSpec, gc_paused, write_package
from .export.files import prepare_out_dir, safe_join, unique_file_names
from .export.notes import note_from
from .export.state import BuildState, load_state, save_state
from .model import Problem
from .sources import find_documents
from .work import DocHead, DocWork, WorkSettings, do_batch, do_document

DEFAULT_OUT = Path("decks")
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path = DEFAULT_OUT
    cards: CardOptions = field(default_factory=CardOptions)
    deck_prefix: str = ""
    subdecks: bool = False
    site_url: str | None = None
    now: float | None = None  # seconds since the epoch; None = the clock (tests pass one in)
    workers: int | None = None  # processes for per-document work; None = one per core
    cache: bool = True  # reuse per-document results from <out>/.quizgen-cache/


@dataclass(frozen=True)
class DeckResult:
    subject: str
    subject_key: str
    deck_name: str
    path: Path
    documents: int
    notes: int
    anki_cards: int
    kinds: tuple[tuple[str, int], ...]
    new: int
    changed: int
    unchanged: int


@dataclass(frozen=True)
class DocumentStats:
    doc_id: str
    title: str
    path: str
    subject: str
    kinds: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class BuildReport:
    files: int
    documents: int
    problems: tuple[Problem, ...]
    decks: tuple[DeckResult, ...]
    document_stats: tuple[DocumentStats, ...]
    retired: int  # notes of earlier builds of these documents that are no longer generated
    seconds: float
    state_path: Path | None = None

    @property
    def rejected(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def kinds(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for deck in self.decks:
            total.update(dict(deck.kinds))
        return total


def build(paths: Sequence[Path | str], options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Parse every document, generate cards, write one deck per subject, save the state."""
    started = time.perf_counter()
    now = int(options.now if options.now is not None else time.time())
    out_dir = prepare_out_dir(options.out_dir)
    files, problems = find_documents(paths)
    settings = WorkSettings(options.cards, options.site_url)
    works = run_works(files, settings, out_dir if options.cache else None, options.workers, problems, progress)
    state = load_state(out_dir)
    heads, scopes, id_problems = resolve_ids([w.head for w in works], state)
    problems += id_problems
    kept = {h.path for h in heads}
    works = [w for w in works if w.head.path in kept]
    plan = plan_decks(heads, options)
    notes = make_notes(works, scopes, plan, state, problems)
    results = write_decks(notes, plan, state, out_dir, now, problems, progress, options.workers)
    written = {n.guid for group in notes.by_subject.values() for n in group}
    live_scopes = set(scopes.values())
    retired = sum(1 for g, s in state.notes.items() if s.scope in live_scopes and g not in written)
    state_path = save_state(out_dir, state) if results else None
    stats = tuple(DocumentStats(d.id, d.title, d.path, d.subject, tuple(sorted(notes.kinds_by_path[d.path].items())))
                  for d in heads)
    return BuildReport(len(files), len(heads), tuple(problems), tuple(results), stats, retired,
                       time.perf_counter() - started, state_path)


POOL_THRESHOLD = 48  # documents; fewer are done before worker processes would have started
BATCH_SIZE = 16


def run_works(files: Sequence[Path], settings: WorkSettings, cache_dir: Path | None, workers: int | None,
              problems: list[Problem], progress: Progress | None) -> list[DocWork]:
    """Every document's work, in file order: from the cache, else computed (in parallel)."""
    inputs: list[tuple[str, bytes]] = []
    for path in files:
        try:
            inputs.append((str(path), path.read_bytes()))
        except OSError as exc:
            problems.append(Problem(str(path), f"cannot read file: {exc.strerror or exc}"))
    fingerprint = settings.fingerprint()
    keys = {path: content_key(data, fingerprint) for path, data in inputs}
    cache = WorkCache(cache_dir) if cache_dir is not None else None
    done: dict[str, DocWork | Problem] = dict(cache.get_many(keys)) if cache else {}
    todo = [(path, data) for path, data in inputs if path not in done]
    fresh: list[tuple[str, DocWork | Problem]] = []
    for path, result in compute(todo, settings, workers, progress, len(inputs) - len(todo), len(inputs)):
        done[path] = result
        fresh.append((path, result))
    if cache is not None:
        cache.put_many((path, keys[path], r) for path, r in fresh if isinstance(r, DocWork))
        cache.close()
    works: list[DocWork] = []
    for path, _ in inputs:
        result = done[path]
        if isinstance(result, Problem):
            problems.append(result)
        else:
            works.append(result)
    return works


def compute(todo: Sequence[tuple[str, bytes]], settings: WorkSettings, workers: int | None,
            progress: Progress | None, already: int, total: int) -> Iterator[tuple[str, DocWork | Problem]]:
    """(path, result) for each input; a process pool when there is enough to share."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(todo) < POOL_THRESHOLD:
        for done, (path, data) in enumerate(todo, already + 1):
            yield path, do_document(path, data, settings)
            if progress:
                progress("generate", done, total)
        return
    batches = [list(todo[i : i + BATCH_SIZE]) for i in range(0, len(todo), BATCH_SIZE)]
    done = already
    with ProcessPoolExecutor(max_workers=count, mp_context=_fork_context()) as pool:
        for batch, results in zip(batches, pool.map(do_batch, batches, itertools.repeat(settings))):
            for (path, _), result in zip(batch, results):
                yield path, result
            done += len(batch)
            if progress:
                progress("generate", done, total)


@dataclass(frozen=True)
class Notes:
    by_subject: dict[str, list[NoteSpec]]  # subject key -> its notes, in document order
    kinds_by_path: dict[str, Counter[str]]  # document path -> notes of each kind


def make_notes(works: Sequence[DocWork], scopes: dict[str, str], plan: DeckPlan, state: BuildState,
               problems: list[Problem]) -> Notes:
    """GUIDs, stable cloze numbers, final fields; a card Anki could not show is a warning."""
    sourced = [(card, work.head) for work in works for card in work.cards]
    assigned = ids.assign_guids([c for c, _ in sourced], [scopes[h.path] for _, h in sourced])
    problems += [clash_problem(c, sourced[c.index][1]) for c in assigned.clashes]
    notes = Notes(defaultdict(list), defaultdict(Counter))
    with gc_paused():
        for (card, head), guid in zip(sourced, assigned.guids):
            note, numbers = note_from(card, guid, plan.note_deck[head.path], scopes[head.path], state.clozes.get(guid))
            if isinstance(note, str):
                problems.append(Problem(head.path, note, severity="warning"))
                continue
            if numbers is not None:
                state.clozes[guid] = numbers
            notes.by_subject[head.subject_key].append(note)
            notes.kinds_by_path[head.path][note.kind] += 1
    return notes


PARALLEL_WRITE_NOTES = 20_000  # below this, decks are written faster than workers start


@dataclass(frozen=True)
class DeckJob:
    """One package to write; picklable, so decks can be written in parallel."""

    target: Path
    decks: tuple[DeckSpec, ...]
    notes: list[NoteSpec]
    mods: list[int]
    now: int
    model_mods: dict[int, int]
    first_id: int


def write_job(job: DeckJob) -> None:
    write_package(job.target, job.decks, job.notes, job.mods, now=job.now, model_mods=job.model_mods,
                  id_source=itertools.count(job.first_id))


def write_decks(notes: Notes, plan: DeckPlan, state: BuildState, out_dir: Path, now: int,
                problems: list[Problem], progress: Progress | None, workers: int | None = None) -> list[DeckResult]:
    """One .apkg per subject key; each note's mod from the build state. A deck whose notes,
    mods and decks are exactly those of the file already there is not written again."""
    model_mods = {mid: state.stamp(f"model:{mid}", h, now).mod for mid, h in MODEL_HASHES.items()}
    file_names = unique_file_names(plan.subjects, ".apkg")
    results: list[DeckResult] = []
    jobs: list[DeckJob] = []
    for index, key in enumerate(sorted(plan.subjects)):
        group = notes.by_subject.get(key, [])
        if not group:
            problems.append(Problem(plan.paths[key], f"subject {plan.subjects[key]!r}: no cards, no deck written",
                                    severity="warning"))
            continue
        stamped = [state.stamp(n.guid, n.content_hash(), now, n.scope) for n in group]
        target = safe_join(out_dir, file_names[key])
        mods = [s.mod for s in stamped]
        digest = ids.content_hash(DECK_FORMAT, plan.decks[key], model_mods,
                                  [(n.guid, n.content_hash(), n.deck, m) for n, m in zip(group, mods)])
        if state.decks.get(target.name) != digest or not target.is_file():
            # note and card ids: a range of their own per deck, distinct across this build
            jobs.append(DeckJob(target, plan.decks[key], group, mods, now, model_mods, now * 1000 + index * 10_000_000))
            state.decks[target.name] = digest
        status = Counter(s.status for s in stamped)
        results.append(DeckResult(
            subject=plan.subjects[key], subject_key=key, deck_name=plan.decks[key][0].name,
            path=target, documents=plan.documents[key], notes=len(group),
            anki_cards=sum(n.card_count for n in group),
            kinds=tuple(sorted(Counter(n.kind for n in group).items())),
            new=status["new"], changed=status["changed"], unchanged=status["unchanged"]))
    run_jobs(jobs, workers, progress)
    return results


DECK_FORMAT = 1  # bump when write_package's output changes for the same notes


def run_jobs(jobs: Sequence[DeckJob], workers: int | None, progress: Progress | None) -> None:
    count = min(len(jobs), workers if workers is not None else (os.cpu_count() or 1))
    if count > 1 and sum(len(j.notes) for j in jobs) >= PARALLEL_WRITE_NOTES:
        with ProcessPoolExecutor(max_workers=count, mp_context=_fork_context()) as pool:
            for done, _ in enumerate(pool.map(write_job, jobs), 1):
                if progress:
                    progress("write", done, len(jobs))
        return
    for done, job in enumerate(jobs, 1):
        write_job(job)
        if progress:
            progress("write", done, len(jobs))


def _fork_context():  # type: ignore[no-untyped-def]
    """fork where available: workers start in milliseconds and inherit loaded modules."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


@dataclass(frozen=True)
class DeckPlan:
    """Where every document's notes go: one deck per subject key, maybe a subdeck each."""

    subjects: dict[str, str]  # subject key -> display name
    decks: dict[str, tuple[DeckSpec, ...]]  # subject key -> its deck, then its subdecks
    note_deck: dict[str, str]  # document path -> full name of the deck its notes go to
    documents: dict[str, int]  # subject key -> number of documents
    paths: dict[str, str]  # subject key -> first document path (for messages)


def plan_decks(documents: Sequence[DocHead], options: BuildOptions) -> DeckPlan:
    groups: dict[str, list[DocHead]] = defaultdict(list)
    for doc in documents:
        groups[doc.subject_key].append(doc)
    subjects, decks, note_deck = {}, {}, {}
    for key, group in groups.items():
        subjects[key] = display_subject(group)
        main = deck_name(options.deck_prefix, subjects[key])
        specs = {main.casefold(): DeckSpec(main, ids.deck_id(key))}
        for doc in group:
            name = deck_name(options.deck_prefix, subjects[key], doc.title) if options.subdecks else main
            specs.setdefault(name.casefold(), DeckSpec(name, ids.deck_id(key + "::" + name.casefold())))
            note_deck[doc.path] = specs[name.casefold()].name
        decks[key] = tuple(specs.values())
    return DeckPlan(subjects, decks, note_deck, {k: len(g) for k, g in groups.items()},
                    {k: g[0].path for k, g in groups.items()})


def display_subject(group: Sequence[DocHead]) -> str:
    """The most common spelling; ties go to the first in sorted order (stable across runs)."""
    counts = Counter(doc.subject for doc in group)
    return min(counts, key=lambda subject: (-counts[subject], subject))


def deck_name(prefix: str, *parts: str, limit: int = 90) -> str:
    """`prefix` (may hold `::` levels) + parts; a `::` inside a subject or title is not a level."""
    levels = [p.strip() for p in prefix.split("::") if p.strip()]
    for part in parts:
        text = " ".join(part.replace("::", ":").split())
        levels.append(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")
    return "::".join(level for level in levels if level) or "Default"


def resolve_ids(documents: Sequence[DocHead], state: BuildState) -> tuple[list[DocHead], dict[str, str], list[Problem]]:
    """Two files with one `id`: both keep their cards, with distinct GUIDs, and a warning.

    The file that owned the id in the previous build keeps the plain id (so its notes
    stay the same notes); the others get ids qualified by file name. An exact copy
    (same id and content) is built once.
    """
    by_id: dict[str, list[DocHead]] = defaultdict(list)
    for doc in documents:
        by_id[doc.id].append(doc)
    scopes: dict[str, str] = {}
    problems: list[Problem] = []
    dropped: set[str] = set()
    for doc_id, group in by_id.items():
        previous = state.owners.get(doc_id)
        owner = next((d for d in group if _resolved(d.path) == previous), None) or min(group, key=lambda d: d.path)
        scopes[owner.path] = doc_id
        state.owners[doc_id] = _resolved(owner.path)
        for other in sorted((d for d in group if d is not owner), key=lambda d: d.path):
            if _same_content(other, owner):
                dropped.add(other.path)
                problems.append(Problem(other.path, f"same id {doc_id!r} and content as {owner.path}; built once", severity="warning"))
                continue
            scope = f"{doc_id}@{Path(other.path).name}"
            scopes[other.path] = scope if scope not in scopes.values() else f"{doc_id}@{other.path}"
            problems.append(Problem(
                other.path,
                f"document id {doc_id!r} is also used by {owner.path}; this file's cards get ids from its file name "
                "(hint: give it a unique `id`, or its notes change when the file is renamed)",
                severity="warning"))
    return [d for d in documents if d.path not in dropped], scopes, problems


def _resolved(path: str) -> str:
    return Path(path).resolve().as_posix()


def _same_content(a: DocHead, b: DocHead) -> bool:
    return a.content == b.content


def clash_problem(clash: ids.GuidClash, doc: DocHead) -> Problem:
    card = clash.card
    where = " > ".join(card.section) or "intro"
    return Problem(doc.path, f"two {card.kind} cards share key {card.key!r} (#{card.ordinal}); the one in "
                   f"section {where!r} got a section-qualified id", severity="warning")
