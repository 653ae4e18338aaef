"""A deterministic synthetic QuickTakes corpus for benchmarks.

Documents recombine the intros, sections and summaries of real documents (content/ by
default) under new ids and several subjects, written exactly as QuickTakes stores them:
a folded `answer` with literal "\\n", so the benchmark exercises the real decoder.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..export.render import block_markdown
from ..model import Document, Section
from ..sources import read_all

SUBJECTS = ("Nursing", "Pharmacology", "Cardiology", "Computer Science", "Mathematics", "Physics")


@dataclass(frozen=True)
class Pool:
    intros: tuple[str, ...]
    sections: tuple[str, ...]
    summaries: tuple[str, ...]
    keywords: tuple[str, ...]


def build_pool(sources: Sequence[Path]) -> Pool:
    docs = read_all(sources).documents
    if not docs:
        raise ValueError("no documents to build a synthetic corpus from")
    return Pool(
        intros=tuple("\n\n".join(block_markdown(b) for b in d.intro) for d in docs if d.intro),
        sections=tuple(_section_markdown(s) for d in docs for s in d.sections),
        summaries=tuple(d.summary for d in docs if d.summary),
        keywords=tuple(k for d in docs for k in d.keywords),
    )


def _section_markdown(section: Section, level: int = 3) -> str:
    parts = [f"{'#' * level} {section.heading}"]
    parts += [block_markdown(b) for b in section.blocks]
    parts += [_section_markdown(s, level + 1) for s in section.subsections]
    return "\n\n".join(parts)


def synth_document(pool: Pool, number: int, rng: random.Random) -> str:
    """One document's file text, 2-5 KB, deterministic for (pool, number, rng state)."""
    doc_id = 5_000_000 + number
    subject = SUBJECTS[number % len(SUBJECTS)]
    sections = rng.sample(pool.sections, k=min(len(pool.sections), rng.randint(2, 4)))
    parts = [rng.choice(pool.intros)] + sections + ([rng.choice(pool.summaries)] if pool.summaries else [])
    answer = "\n\n".join(parts).replace("\n", "\\n")
    keywords = ", ".join(rng.sample(pool.keywords, k=min(len(pool.keywords), 6)))
    question = f"Synthetic review question number {number} on {subject.lower()} topics?"
    return (
        "---\n_schema: default\n"
        f"id: {doc_id}\ndate: 2026-01-01\ntitle: >-\n    {question}\n"
        f"seo:\n  title: QuickTakes | {subject}\n  page_keywords: >-\n    {keywords}\n"
        f"author: QuickTakes\nquestion: >-\n    {question}\nanswer: >-\n    {answer}\n"
        f"subject: {subject}\nurl: /learn/synthetic/questions/{doc_id}\n---\n\n&nbsp;"
    )


def write_corpus(out_dir: Path, count: int, *, seed: int = 1, sources: Sequence[Path] = (Path("content"),)) -> list[Path]:
    """Write `count` documents into out_dir (created); returns their paths in order."""
    pool = build_pool(sources)
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = out_dir / f"{5_000_000 + number}.md"
        path.write_text(synth_document(pool, number, rng), encoding="utf-8")
        paths.append(path)
    return paths


def parse_ok(paths: Sequence[Path]) -> list[Document]:
    """The synthetic documents parsed (a self-check that the writer emits valid input)."""
    result = read_all(paths)
    if result.problems:
        raise ValueError(f"synthetic corpus has problems: {result.problems[:3]}")
    return list(result.documents)
