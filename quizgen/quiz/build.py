"""Every candidate quiz item a set of documents offers; `select` picks from these.

Building is deterministic and seed-free: the same documents always offer the same pool.
An item that would be weak (its key visible in the stem, too few distractors, a
definition that needs three blanks) is not built at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..model import Document
from ..text import plain_text
from .blanks import changed_number, leaks, mask, number_variants, quantities, term_variants
from .distractors import TermPool, choose_distractors, clashes
from .facts import Material, Sentence, TermPoint, gather, iter_groups, standalone, usable_sentence, usable_term
from .items import BLANK, FillIn, Matching, MultipleChoice, QuizItem, TrueFalse, item_id

MATCH_MIN, MATCH_MAX = 3, 6


@dataclass(frozen=True)
class Pool:
    items: tuple[QuizItem, ...]
    documents: int


def build_pool(documents: Sequence[Document], context: Sequence[Document] = ()) -> Pool:
    """Candidate items of every kind from `documents` (sorted by id for stable output).

    `context` adds documents that lend distractors (same subject) without giving items.
    """
    materials = [gather(doc) for doc in sorted(documents, key=lambda d: d.id)]
    chosen = {doc.id for doc in documents}
    lenders = [gather(doc) for doc in sorted(context, key=lambda d: d.id) if doc.id not in chosen]
    terms = TermPool.build([p for m in materials + lenders for p in m.points])
    items: list[QuizItem] = []
    for material in materials:
        items += multiple_choice(material, terms)
        items += true_false(material)
        items += matching(material)
        items += fill_in(material)
    return Pool(tuple(items), len(materials))


def _definition(point: TermPoint) -> str:
    return f"**{point.term}**: {point.text}"


# ---------------------------------------------------------------- MCQ


def multiple_choice(material: Material, terms: TermPool) -> Iterable[MultipleChoice]:
    for point in material.points:
        if not usable_term(point.term) or not usable_sentence(point.sentence):
            continue
        if not standalone(point.sentence, subject_it=True):
            continue
        masked = mask(point.sentence, point.term)
        if masked is None:
            continue
        context = point.source.section[-1] if point.source.section else ""
        lead = f"{context} — which" if context and not leaks(point.term, context) else "Which"
        stem = f"{lead} term matches this description? “{masked}”"
        distractors = choose_distractors(point, terms, stem)
        if distractors is None:
            continue
        yield MultipleChoice(
            item_id("mcq", point.coord), stem, (point.term,) + distractors, 0,
            _definition(point), point.source, basis=(f"{point.coord}|s0", point.term_key),
        )


# ---------------------------------------------------------------- true / false


def true_false(material: Material) -> Iterable[TrueFalse]:
    for _, group in iter_groups(material.points):
        usable = [p for p in group if usable_term(p.term) and usable_sentence(p.sentence)]
        for n, point in enumerate(usable):
            true_statement = f"**{point.term}**: {point.sentence}"
            basis = (f"{point.coord}|s0", point.term_key)
            yield TrueFalse(item_id("tf", point.coord, "true"), true_statement, True,
                            _definition(point), point.source, basis=basis)
            swap = _swap_partner(point, usable[n + 1:] + usable[:n])
            if swap is not None:
                yield TrueFalse(item_id("tf", point.coord, "swap"), f"**{swap.term}**: {point.sentence}",
                                False, _definition(point), point.source, correction=true_statement, basis=basis)
    for sentence in material.sentences:
        yield from _number_statements(sentence)


def _swap_partner(point: TermPoint, others: list[TermPoint]) -> TermPoint | None:
    """A sibling whose term can stand in for this one: not named in the sentence, not the same."""
    for other in others:
        if not leaks(other.term, point.sentence) and not leaks(point.term, other.term) \
                and not leaks(point.term, point.sentence):
            return other
    return None


def _number_statements(sentence: Sentence) -> Iterable[TrueFalse]:
    if not usable_sentence(sentence.text, high=35) or (not _lead(sentence) and not standalone(sentence.text)):
        return
    found = quantities(sentence.text)
    if not found:
        return
    q = found[0]
    wrong = changed_number(q)
    if wrong is None:
        return
    lead = _lead(sentence)
    original = lead + sentence.text
    changed = lead + sentence.text[: q.start] + wrong + sentence.text[q.end:]
    explanation = lead + sentence.text[: q.start] + f"**{q.text}**" + sentence.text[q.end:]
    basis = (sentence.coord,)
    yield TrueFalse(item_id("tf", sentence.coord, "number-true"), original, True, explanation,
                    sentence.source, basis=basis)
    yield TrueFalse(item_id("tf", sentence.coord, "number"), changed, False, explanation,
                    sentence.source, correction=original, basis=basis)


# ---------------------------------------------------------------- matching


def matching(material: Material) -> Iterable[Matching]:
    for group, points in iter_groups(material.points):
        pairs: list[tuple[str, str, TermPoint]] = []
        seen: set[str] = set()
        for point in points:
            if not usable_term(point.term) or not usable_sentence(point.sentence, low=4, high=32):
                continue
            masked = mask(point.sentence, point.term, max_runs=1)
            if masked is None or point.term_key in seen or any(clashes(point.term, t) for _, t, _ in pairs):
                continue  # "Hypoglycemia" beside "Severe Hypoglycemia" would match either way
            if any(leaks(other.term, masked) and not leaks(point.term, other.term) for other in points
                   if other is not point and set(plain_text(other.term).lower().split()) <=
                   set(plain_text(masked).lower().split())):
                continue  # names a sibling outright: a free match
            seen.add(point.term_key)
            pairs.append((masked, point.term, point))
        for chunk in _chunks(pairs):
            first = chunk[0][2]
            heading = first.source.section[-1] if first.source.section else material.document.title
            yield Matching(
                item_id("match", group, chunk[0][2].coord),
                f"Match each description with its term ({heading}).",
                tuple((d, t) for d, t, _ in chunk), tuple(t for _, t, _ in chunk),
                "\n".join(f"- {_definition(p)}" for _, _, p in chunk), first.source,
                basis=tuple(b for _, _, p in chunk for b in (f"{p.coord}|s0", p.term_key)),
            )


def _chunks(pairs: list) -> list[list]:
    """Groups of MATCH_MIN..MATCH_MAX pairs, as even as possible."""
    if len(pairs) < MATCH_MIN:
        return []
    count = -(-len(pairs) // MATCH_MAX)
    size = -(-len(pairs) // count)
    chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
    return [c for c in chunks if len(c) >= MATCH_MIN]


# ---------------------------------------------------------------- fill in the blank


def fill_in(material: Material) -> Iterable[FillIn]:
    doc = material.document
    answers = {p.term_key: p.term for p in material.points if usable_term(p.term)}
    answers.update({f"{doc.id}|term|{k.lower()}": k for k in doc.keywords
                    if usable_term(k) and f"{doc.id}|term|{k.lower()}" not in answers})
    for sentence in material.sentences:
        if not usable_sentence(sentence.text, low=6, high=35):
            continue
        lead = _lead(sentence)
        if not lead and not standalone(sentence.text):
            continue
        found = quantities(sentence.text, need_unit=True) or [
            q for q in quantities(sentence.text) if not q.unit and q.value.isalpha()
        ]
        if found:
            q = found[0]
            text = lead + sentence.text[: q.start] + BLANK + sentence.text[q.end:]
            yield FillIn(item_id("fill", sentence.coord, "number"), text, q.text, number_variants(q),
                         _explain(sentence, q.start, q.end), sentence.source, basis=(sentence.coord,))
        for key, term in sorted(answers.items()):
            if sentence.term and leaks(term, sentence.term):
                continue
            hit = _find_phrase(sentence.text, term)
            if hit is None:
                continue
            start, end = hit
            text = lead + sentence.text[:start] + BLANK + sentence.text[end:]
            if leaks(term, text.replace(BLANK, " ")):
                continue
            yield FillIn(item_id("fill", sentence.coord, key), text, sentence.text[start:end],
                         term_variants(sentence.text[start:end], term), _explain(sentence, start, end),
                         sentence.source, basis=(sentence.coord, key))


def _lead(sentence: Sentence) -> str:
    """The point's term as a topic label, when it says something ("Example" does not)."""
    return f"**{sentence.term}**: " if sentence.term and usable_term(sentence.term) else ""


def _explain(sentence: Sentence, start: int, end: int) -> str:
    lead = _lead(sentence)
    return lead + sentence.text[:start] + f"**{sentence.text[start:end]}**" + sentence.text[end:]


def _find_phrase(text: str, term: str) -> tuple[int, int] | None:
    """The term written out in `text` (any case, hyphen or space), outside math and code."""
    plain = plain_text(term)
    parts = [re.escape(w) for w in re.split(r"[\s\-]+", plain) if w]
    if not parts or any(c in text for c in "`\\"):
        return None
    pattern = re.compile(r"(?<![\w\-])" + r"[\s\-]+".join(parts) + r"(?:s|es)?(?![\w\-])", re.IGNORECASE)
    match = pattern.search(text)
    return match.span() if match else None
