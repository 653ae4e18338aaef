"""build(paths, options) -> BuildReport: read all, generate cards, one deck per subject.

A bad file becomes a Problem and the rest still builds; a write that fails leaves the
previous decks and build state as they were.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from .cards.generate import CardOptions, generate_cards
from .errors import QuizgenError
from .export import ids
from .export.anki import MODEL_HASHES, DeckSpec, FieldRenderer, NoteSpec, gc_paused, make_note, write_package
from .export.files import prepare_out_dir, safe_join, unique_file_names
from .export.state import BuildState, load_state, save_state
from .model import Card, Document, Problem
from .sources import read_all

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
    read = read_all(paths)
    problems = list(read.problems)
    state = load_state(out_dir)
    documents, scopes, id_problems = resolve_ids(read.documents, state)
    problems += id_problems
    sourced = generate_all(documents, scopes, options.cards, problems, progress)
    plan = plan_decks(documents, options)
    notes = make_notes(sourced, plan, state, FieldRenderer(options.site_url), problems)
    results = write_decks(notes, plan, state, out_dir, now, problems, progress)
    written = {n.guid for group in notes.by_subject.values() for n in group}
    live_scopes = set(scopes.values())
    retired = sum(1 for g, s in state.notes.items() if s.scope in live_scopes and g not in written)
    state_path = save_state(out_dir, state) if results else None
    stats = tuple(DocumentStats(d.id, d.title, d.path, d.subject, tuple(sorted(notes.kinds_by_path[d.path].items())))
                  for d in documents)
    return BuildReport(read.files, len(documents), tuple(problems), tuple(results), stats, retired,
                       time.perf_counter() - started, state_path)


@dataclass(frozen=True)
class Sourced:
    """A card with the document it came from and that document's GUID scope."""

    card: Card
    doc: Document
    scope: str


def generate_all(documents: Sequence[Document], scopes: dict[str, str], options: CardOptions,
                 problems: list[Problem], progress: Progress | None) -> list[Sourced]:
    out: list[Sourced] = []
    for done, doc in enumerate(documents, 1):
        try:
            out += [Sourced(card, doc, scopes[doc.path]) for card in generate_cards(doc, options)]
        except QuizgenError as error:
            problems.append(Problem(error.path or doc.path, error.message, error.line))
        if progress:
            progress("generate", done, len(documents))
    return out


@dataclass(frozen=True)
class Notes:
    by_subject: dict[str, list[NoteSpec]]  # subject key -> its notes, in document order
    kinds_by_path: dict[str, Counter[str]]  # document path -> notes of each kind


def make_notes(sourced: Sequence[Sourced], plan: DeckPlan, state: BuildState, render: FieldRenderer,
               problems: list[Problem]) -> Notes:
    """GUIDs, stable cloze numbers, rendered fields; a card Anki could not show is a warning."""
    assigned = ids.assign_guids([s.card for s in sourced], [s.scope for s in sourced])
    problems += [clash_problem(c, sourced[c.index].doc) for c in assigned.clashes]
    notes = Notes(defaultdict(list), defaultdict(Counter))
    with gc_paused():
        for item, guid in zip(sourced, assigned.guids):
            card, numbers = item.card, None
            if card.is_cloze:
                front, numbers = ids.stable_cloze_numbers(card.front, state.clozes.get(guid))
                card = replace(card, front=front)
            note = make_note(card, guid, plan.note_deck[item.doc.path], render, item.scope)
            if isinstance(note, str):
                problems.append(Problem(item.doc.path, note, severity="warning"))
                continue
            if numbers is not None:
                state.clozes[guid] = numbers
            notes.by_subject[item.doc.subject_key].append(note)
            notes.kinds_by_path[item.doc.path][note.kind] += 1
    return notes


def write_decks(notes: Notes, plan: DeckPlan, state: BuildState, out_dir: Path, now: int,
                problems: list[Problem], progress: Progress | None) -> list[DeckResult]:
    """One .apkg per subject key; each note's mod from the build state."""
    model_mods = {mid: state.stamp(f"model:{mid}", h, now).mod for mid, h in MODEL_HASHES.items()}
    file_names = unique_file_names(plan.subjects, ".apkg")
    id_source = itertools.count(now * 1000)  # note and card ids, distinct across this build's decks
    results: list[DeckResult] = []
    for done, key in enumerate(sorted(plan.subjects), 1):
        group = notes.by_subject.get(key, [])
        if not group:
            problems.append(Problem(plan.paths[key], f"subject {plan.subjects[key]!r}: no cards, no deck written",
                                    severity="warning"))
            continue
        stamped = [state.stamp(n.guid, n.content_hash(), now, n.scope) for n in group]
        target = safe_join(out_dir, file_names[key])
        write_package(target, plan.decks[key], group, [s.mod for s in stamped],
                      now=now, model_mods=model_mods, id_source=id_source)
        status = Counter(s.status for s in stamped)
        results.append(DeckResult(
            subject=plan.subjects[key], subject_key=key, deck_name=plan.decks[key][0].name,
            path=target, documents=plan.documents[key], notes=len(group),
            anki_cards=sum(n.card_count for n in group),
            kinds=tuple(sorted(Counter(n.kind for n in group).items())),
            new=status["new"], changed=status["changed"], unchanged=status["unchanged"]))
        if progress:
            progress("write", done, len(plan.subjects))
    return results


@dataclass(frozen=True)
class DeckPlan:
    """Where every document's notes go: one deck per subject key, maybe a subdeck each."""

    subjects: dict[str, str]  # subject key -> display name
    decks: dict[str, tuple[DeckSpec, ...]]  # subject key -> its deck, then its subdecks
    note_deck: dict[str, str]  # document path -> full name of the deck its notes go to
    documents: dict[str, int]  # subject key -> number of documents
    paths: dict[str, str]  # subject key -> first document path (for messages)


def plan_decks(documents: Sequence[Document], options: BuildOptions) -> DeckPlan:
    groups: dict[str, list[Document]] = defaultdict(list)
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


def display_subject(group: Sequence[Document]) -> str:
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


def resolve_ids(documents: Sequence[Document], state: BuildState) -> tuple[list[Document], dict[str, str], list[Problem]]:
    """Two files with one `id`: both keep their cards, with distinct GUIDs, and a warning.

    The file that owned the id in the previous build keeps the plain id (so its notes
    stay the same notes); the others get ids qualified by file name. An exact copy
    (same id and content) is built once.
    """
    by_id: dict[str, list[Document]] = defaultdict(list)
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


def _same_content(a: Document, b: Document) -> bool:
    return (a.title, a.question, a.subject_key, a.answer, a.url) == (b.title, b.question, b.subject_key, b.answer, b.url)


def clash_problem(clash: ids.GuidClash, doc: Document) -> Problem:
    card = clash.card
    where = " > ".join(card.section) or "intro"
    return Problem(doc.path, f"two {card.kind} cards share key {card.key!r} (#{card.ordinal}); the one in "
                   f"section {where!r} got a section-qualified id", severity="warning")
