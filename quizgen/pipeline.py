"""build(paths, options) -> BuildReport: read all, generate cards, one deck per subject.

A bad file becomes a Problem and the rest still builds; a write that fails leaves the
previous decks and build state as they were.
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any, Sequence

from .cards.generate import CardOptions
from .compute import Progress, Works, run_works
from .deck_records import DeckPatch, DocInputs, deck_summary, doc_records, package_digest, plan_patch, record_problems
from .export import ids
from .export.anki import MODEL_HASHES, DeckSpec, NoteSpec, gc_paused
from .export.files import prepare_out_dir, safe_join, unique_file_names
from .export.jobs import DECK_FORMAT, DeckJob, DeckWriter, PatchJob, write_job, writer_processes
from .export.notes import RenderedCard, note_from
from .export.state import BuildState, Stamp, load_state, save_state
from .model import Problem
from .sources import find_documents
from .work import DocHead, DocRef, WorkSettings

DEFAULT_OUT = Path("decks")


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
    with gc_paused():  # hundreds of thousands of acyclic objects: cyclic GC passes only cost time
        return _build(paths, options, progress)


def _build(paths: Sequence[Path | str], options: BuildOptions, progress: Progress | None) -> BuildReport:
    started = time.perf_counter()
    now = int(options.now if options.now is not None else time.time())
    out_dir = prepare_out_dir(options.out_dir)
    files, problems = find_documents(paths)
    settings = WorkSettings(options.cards, options.site_url)
    works = run_works(files, settings, out_dir if options.cache else None, options.workers, problems, progress)
    try:
        state = load_state(out_dir, only_scopes=True)  # notes: those of the decks rewritten, below
        heads, scopes, id_problems = resolve_ids([r.head for r in works.refs], state)
        problems += id_problems
        kept = {h.path for h in heads}
        refs = [r for r in works.refs if r.head.path in kept]
        plan = plan_decks(heads, options)
        written = write_decks(refs, works, scopes, plan, state, out_dir, now, problems, progress, options.workers)
    finally:
        works.close()
    state_path = save_state(out_dir, state) if written.results else None
    stats = tuple(DocumentStats(r.head.id, r.head.title, r.head.path, r.head.subject, tuple(sorted(Counter(r.kinds).items())))
                  for r in refs)
    return BuildReport(len(files), len(heads), tuple(problems), tuple(written.results), stats, written.retired,
                       time.perf_counter() - started, state_path)


def make_notes(refs: Sequence[DocRef], cards: dict[str, tuple[RenderedCard, ...]], scopes: dict[str, str],
               plan: DeckPlan, state: BuildState, problems: list[Problem]) -> list[NoteSpec]:
    """GUIDs, stable cloze numbers, final fields; a card Anki could not show is a warning."""
    sourced = [(card, ref.head) for ref in refs for card in cards[ref.head.path]]
    known = [c.guid if scopes[h.path] == h.id else None for c, h in sourced]
    assigned = ids.assign_guids([c for c, _ in sourced], [scopes[h.path] for _, h in sourced], known)
    problems += [clash_problem(c, sourced[c.index][1]) for c in assigned.clashes]
    guids = adopt_lists(sourced, list(assigned.guids), scopes, state)
    notes: list[NoteSpec] = []
    numbered: dict[str, ids.ClozeNumbers] = {}  # recorded on the state together, after the loop
    clozes = state.clozes
    with gc_paused():
        for (card, head), guid in zip(sourced, guids):
            previous = numbered.get(guid) or clozes.get(guid)
            note, numbers = note_from(card, guid, plan.note_deck[head.path], scopes[head.path], previous)
            if isinstance(note, str):
                problems.append(Problem(head.path, note, severity="warning"))
                continue
            if numbers is not None:
                numbered[guid] = numbers
            notes.append(note)
    clozes.update(numbered)
    return notes


def adopt_lists(sourced: Sequence[tuple[RenderedCard, DocHead]], guids: list[str], scopes: dict[str, str],
                state: BuildState) -> list[str]:
    """A list note whose first item was removed keeps its GUID (and history): see ids."""
    fresh = [i for i, (card, _) in enumerate(sourced) if card.kind == "list" and guids[i] not in state.notes]
    own = {scopes[head.path] for _, head in sourced}
    if not fresh or not own:
        return guids
    live = set(guids)
    candidates = {g: (stamp.scope, state.clozes[g]) for g, stamp in state.notes.items()
                  if stamp.scope in own and g in state.clozes and g not in live}
    for i in fresh:
        if not candidates:
            break
        card, head = sourced[i]
        adopted = ids.adopt_list_guid(card.fields[0], scopes[head.path], candidates)
        if adopted is not None:
            guids[i] = adopted
            del candidates[adopted]
    return guids


@dataclass(frozen=True)
class Written:
    results: list[DeckResult]
    retired: int  # notes of earlier builds of these documents that are no longer generated


@dataclass
class _DeckWork:
    """What every deck's notes are made from. Set before the deck writers fork, so they
    read it without pickling; each deck touches only its own documents' entries of the
    state, and sends those back (`DeckOutcome`) for the main process to keep."""

    works: Works
    by_subject: dict[str, list[DocRef]]
    by_scope: dict[str, list[str]]  # earlier builds' notes, per document
    scopes: dict[str, str]
    plan: DeckPlan
    state: BuildState
    targets: dict[str, Path]
    first_ids: dict[str, int]
    model_mods: dict[int, int]
    now: int
    inputs: dict[str, DocInputs]  # per document path
    patches: dict[str, DeckPatch | None]  # per subject key: how to patch its last package, or None


@dataclass(frozen=True)
class DeckOutcome:
    summary: dict | None  # None: the subject made no notes, no deck was written
    problems: list[Problem]
    stamps: dict[str, Stamp]  # the state's entries for this deck's notes, after stamping
    clozes: dict[str, ids.ClozeNumbers]
    status: Counter[str]
    retired: int
    docs: dict[str, list]  # path -> DocRecord.to_json(), for the next build's patch
    package: str  # the written package's SHA-256 (a patch is only made on that file)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Sent back from a deck writer as flat columns: pickling 34,000 Stamps and
        ClozeNumbers one object at a time took 0.3 s a deck, the columns a quarter of it."""
        stamps, clozes = self.stamps, self.clozes
        columns = (list(stamps), [s.hash for s in stamps.values()], [s.mod for s in stamps.values()],
                   [s.scope for s in stamps.values()], list(clozes), [c.items for c in clozes.values()],
                   [c.next for c in clozes.values()])
        return _outcome_from_columns, (self.summary, self.problems, columns, self.status, self.retired, self.docs,
                                       self.package)


def _outcome_from_columns(summary: dict | None, problems: list[Problem], columns: tuple[list, ...],
                          status: Counter[str], retired: int, docs: dict[str, list], package: str) -> DeckOutcome:
    keys, hashes, mods, scopes, cloze_keys, items, nexts = columns
    stamps = dict(zip(keys, map(tuple.__new__, repeat(Stamp), zip(hashes, mods, scopes))))  # no Python-level __new__
    clozes = dict(zip(cloze_keys, map(ids.ClozeNumbers, items, nexts)))
    return DeckOutcome(summary, problems, stamps, clozes, status, retired, docs, package)


_DECK_WORK: _DeckWork | None = None


def make_deck(key: str) -> DeckOutcome:
    """One subject's notes, stamped and staged as its .apkg (in a deck writer process when
    there are several): all of them, or with a patch only those of the documents that
    changed, put into the last package in place of their old ones (deck_records)."""
    work = _DECK_WORK
    assert work is not None
    group, state, patch = work.by_subject[key], work.state, work.patches.get(key)
    made = list(patch.changed) if patch is not None else group
    problems: list[Problem] = []
    notes = make_notes(made, work.works.cards_of(made), work.scopes, work.plan, state, problems)
    guids = list(map(_GUID, notes))  # read once: stamping and the bookkeeping both key by GUID
    mods, status = state.stamp_many(zip(guids, map(NoteSpec.content_hash, notes), map(_SCOPE, notes)), work.now)
    stamps, clozes = deck_bookkeeping(guids, state)
    retired = {scope: sum(1 for g in work.by_scope.get(scope, ()) if g not in stamps)
               for scope in {work.inputs[r.head.path][1] for r in made}}
    fresh = doc_records(made, work.inputs, notes, problems, retired)
    records = {r.head.path: fresh[r.head.path] if patch is None or r.head.path in fresh else patch.kept[r.head.path]
               for r in group}  # in the documents' order, whichever way they were made
    summary, warnings = deck_summary(records, work.plan.documents[key]), record_problems(records)
    if not summary["notes"]:
        return DeckOutcome(None, warnings, stamps, clozes, status, 0, {}, "")
    target, decks = work.targets[key], work.plan.decks[key]
    if patch is not None:
        status["unchanged"] += sum(record.notes for record in patch.kept.values())
        removed = [guid for scope in patch.old_scopes for guid in work.by_scope.get(scope, ())]
        staged = write_job(PatchJob(target, decks, removed, notes, mods))
    else:
        staged = write_job(DeckJob(target, decks, notes, mods, work.now, work.model_mods, work.first_ids[key]))
    return DeckOutcome(summary, warnings, stamps, clozes, status,
                       sum(record.retired for record in records.values()),
                       {path: record.to_json() for path, record in records.items()}, package_digest(staged) or "")


def deck_bookkeeping(guids: list[str], state: BuildState) -> tuple[dict[str, Stamp], dict[str, ids.ClozeNumbers]]:
    """The stamps and cloze numbers of a deck's notes, keyed by GUID in note order.

    Passes that run in C (map, zip) over one list of GUIDs: sets of GUIDs and
    `set.intersection(state.clozes)` (which walks every loaded cloze entry) cost more
    per note. `guids` are the notes' own, in order. A GUID is in `stamps` exactly when a
    note has it (make_deck's `retired`)."""
    state_notes, state_clozes = state.notes, state.clozes
    stamps = dict(zip(guids, map(state_notes.__getitem__, guids)))
    clozes = {guid: state_clozes[guid] for guid in guids if guid in state_clozes}
    return stamps, clozes


_GUID, _SCOPE = attrgetter("guid"), attrgetter("scope")


def write_decks(refs: Sequence[DocRef], works: Works, scopes: dict[str, str], plan: DeckPlan, state: BuildState,
                out_dir: Path, now: int, problems: list[Problem], progress: Progress | None,
                workers: int | None = None) -> Written:
    """One .apkg per subject key, each note's mod from the build state.

    A subject whose documents (by content), ids, decks and note types are exactly those
    of the last build, and whose file is still there, is neither rebuilt nor rewritten:
    the same inputs give the same notes, so its last result and warnings are reused.
    The others are made (notes, stamps, package) one per deck writer process.
    """
    global _DECK_WORK
    model_mods = {mid: state.stamp(f"model:{mid}", h, now).mod for mid, h in MODEL_HASHES.items()}
    file_names = unique_file_names(plan.subjects, ".apkg")
    by_subject: dict[str, list[DocRef]] = defaultdict(list)
    for ref in refs:
        by_subject[ref.head.subject_key].append(ref)
    targets = {key: safe_join(out_dir, file_names[key]) for key in plan.subjects}
    doc_inputs = {r.head.path: (r.key, scopes[r.head.path], plan.note_deck[r.head.path]) for r in refs}
    frames = {key: ids.content_hash(DECK_FORMAT, plan.decks[key], model_mods) for key in plan.subjects}
    inputs = {key: ids.content_hash(DECK_FORMAT, plan.decks[key], model_mods,
                                    [doc_inputs[r.head.path] for r in by_subject[key]])
              for key in plan.subjects}
    reuse = {key for key in plan.subjects if _unchanged(state, targets[key], inputs[key])}
    patches = {key: plan_patch(state.decks.get(targets[key].name), targets[key], by_subject[key], doc_inputs, frames[key])
               for key in plan.subjects if key not in reuse}
    made = [r for key, patch in patches.items() for r in (patch.changed if patch is not None else by_subject[key])]
    state.load_scopes([doc_inputs[r.head.path][1] for r in made]
                      + [scope for patch in patches.values() if patch is not None for scope in patch.old_scopes])
    by_scope: dict[str, list[str]] = defaultdict(list)
    for guid, stamp in state.notes.items():
        by_scope[stamp.scope].append(guid)
    order = sorted(plan.subjects)
    first_ids = {key: now * 1000 + index * 10_000_000 for index, key in enumerate(order)}
    _DECK_WORK = _DeckWork(works, by_subject, by_scope, scopes, plan, state, targets, first_ids, model_mods, now,
                           doc_inputs, patches)
    results: list[DeckResult] = []
    retired = 0
    try:
        with DeckWriter(writer_processes(len(patches), sum(len(r.kinds) for r in made), workers), progress) as writer:
            outcomes = {key: writer.submit(targets[key], make_deck, key) for key in order if key not in reuse}
            for key in order:
                target = targets[key]
                if key in reuse:
                    saved = state.decks[target.name]
                    problems += [Problem(path, message, severity="warning") for path, message in saved["warnings"]]
                    results.append(DeckResult(**_result_fields(saved["result"], plan, key, target)))
                    retired += int(saved["retired"])
                    continue
                outcome = outcomes[key]()
                state.notes.update(outcome.stamps)
                state.clozes.update(outcome.clozes)
                problems += outcome.problems
                if outcome.summary is None:
                    problems.append(Problem(plan.paths[key], f"subject {plan.subjects[key]!r}: no cards, no deck written",
                                            severity="warning"))
                    continue
                state.decks[target.name] = {"input": inputs[key], "result": outcome.summary, "retired": outcome.retired,
                                            "warnings": [[p.path, p.message] for p in outcome.problems],
                                            "frame": frames[key], "package": outcome.package, "docs": outcome.docs}
                retired += outcome.retired
                results.append(DeckResult(**_result_fields(outcome.summary, plan, key, target) | {
                    "new": outcome.status["new"], "changed": outcome.status["changed"],
                    "unchanged": outcome.status["unchanged"]}))
            writer.commit()
    finally:
        _DECK_WORK = None
    return Written(results, retired)


def _unchanged(state: BuildState, target: Path, inputs: str) -> bool:
    """Same inputs as the last build and the file still there: same deck, not rewritten."""
    saved = state.decks.get(target.name)
    return saved is not None and saved.get("input") == inputs and target.is_file()


def _result_fields(summary: dict, plan: DeckPlan, key: str, target: Path) -> dict:
    fields = dict(subject=plan.subjects[key], subject_key=key, deck_name=plan.decks[key][0].name, path=target,
                  documents=int(summary["documents"]), notes=int(summary["notes"]),
                  anki_cards=int(summary["anki_cards"]), kinds=tuple((str(k), int(n)) for k, n in summary["kinds"]))
    return fields | {"new": 0, "changed": 0, "unchanged": fields["notes"]}


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
    return os.path.abspath(path).replace(os.sep, "/")  # no symlink lookups: this runs for every file


def _same_content(a: DocHead, b: DocHead) -> bool:
    return a.content == b.content


def clash_problem(clash: ids.GuidClash, doc: DocHead) -> Problem:
    card = clash.card
    where = " > ".join(card.section) or "intro"
    return Problem(doc.path, f"two {card.kind} cards share key {card.key!r} (#{card.ordinal}); the one in "
                   f"section {where!r} got a section-qualified id", severity="warning")
