"""A review set from start to end: filter documents, build the pool, select, shuffle."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Sequence

from ..errors import UsageError
from ..model import Document
from .build import build_pool
from .items import ITEM_KINDS, QuizItem, QuizVersion
from .select import select_items
from .versions import make_versions


@dataclass(frozen=True)
class QuizOptions:
    subjects: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int = 30
    kinds: tuple[str, ...] = ITEM_KINDS
    seed: int = 7
    versions: int = 2
    name: str | None = None


@dataclass(frozen=True)
class QuizSet:
    name: str
    title: str
    documents: tuple[Document, ...]
    items: tuple[QuizItem, ...]
    versions: tuple[QuizVersion, ...]
    pool_size: int
    warnings: tuple[str, ...] = ()


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def filter_documents(documents: Sequence[Document], options: QuizOptions) -> list[Document]:
    """Documents matching every given filter: subject key, document id, keyword tag."""
    subjects = {_fold(s) for s in options.subjects}
    tags = {_fold(t) for t in options.tags}
    return [
        doc for doc in documents
        if (not subjects or _fold(doc.subject_key) in subjects)
        and (not options.doc_ids or doc.id in options.doc_ids)
        and (not tags or tags & {_fold(k) for k in doc.keywords})
    ]


def set_name(options: QuizOptions) -> str:
    """A file-safe name from the filters and seed: `quiz-nursing-s7`."""
    if options.name:
        base = options.name
    else:
        base = "-".join(["quiz", *options.subjects, *options.doc_ids, *options.tags])
    slug = re.sub(r"[^a-z0-9]+", "-", base.casefold()).strip("-")[:60].strip("-") or "quiz"
    return slug if options.name else f"{slug}-s{options.seed}"


def make_quiz_set(documents: Sequence[Document], options: QuizOptions) -> QuizSet:
    """Select and shuffle a set; raises UsageError when the filters leave nothing."""
    if options.count < 1 or options.versions < 1:
        raise UsageError("--count and --versions must be at least 1")
    chosen = filter_documents(documents, options)
    if not chosen:
        raise UsageError("no documents match the filters", hint="check --subject, --doc and --tag")
    subjects = {doc.subject_key for doc in chosen}
    lenders = [doc for doc in documents if doc.subject_key in subjects]
    pool = build_pool(chosen, lenders)
    items = select_items(pool.items, options.count, options.kinds, random.Random(options.seed))
    warnings = []
    if len(items) < options.count:
        warnings.append(f"only {len(items)} good items available (asked for {options.count})")
    missing = [k for k in options.kinds if not any(i.kind == k for i in items)]
    if missing and items:
        warnings.append(f"no good items of type {', '.join(missing)} in these documents")
    name = set_name(options)
    title = _title(chosen, options)
    versions = make_versions(items, count=options.versions, seed=options.seed, set_name=name, title=title)
    return QuizSet(name, title, tuple(chosen), items, versions, len(pool.items), tuple(warnings))


def _title(documents: Sequence[Document], options: QuizOptions) -> str:
    if options.name:
        return options.name
    if len(documents) == 1:
        return documents[0].title
    shown: dict[str, str] = {}
    for doc in sorted(documents, key=lambda d: d.id):
        shown.setdefault(doc.subject_key, doc.subject)  # one display form per subject key
    subjects = sorted(shown.values(), key=str.casefold)
    return "Review quiz: " + ", ".join(subjects[:3]) + (" and more" if len(subjects) > 3 else "")
