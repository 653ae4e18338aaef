"""Card quality over many documents: every final card through `check_cards`, plus what the
generator rejected and why. `quizgen check` prints it, `quizgen preview` shows it, and
`subject_flag_counts` gives `quizgen build` the same numbers for cards it already has.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..cards.generate import CardOptions, Generated, generate
from ..cards.rules import RULES, Flag, check_cards
from ..errors import QuizgenError
from ..model import Card, Document, Problem
from ..sources import read_all


@dataclass(frozen=True)
class CardCheck:
    card: Card
    flags: tuple[Flag, ...]

    @property
    def rules(self) -> tuple[str, ...]:
        """Each rule once, in the order of RULES (unknown rules last)."""
        found = dict.fromkeys(f.rule for f in self.flags)
        return tuple(sorted(found, key=lambda r: RULES.index(r) if r in RULES else len(RULES)))


@dataclass(frozen=True)
class DocumentCheck:
    document: Document
    cards: tuple[CardCheck, ...]  # the final cards, as the deck gets them
    rejected: tuple[CardCheck, ...] = ()  # candidates the generator dropped, with its reasons

    @property
    def flagged(self) -> tuple[CardCheck, ...]:
        return tuple(c for c in self.cards if c.flags)


@dataclass(frozen=True)
class SubjectSummary:
    subject: str  # display form: the most common spelling
    subject_key: str
    documents: tuple[DocumentCheck, ...]

    @property
    def cards(self) -> int:
        return sum(len(d.cards) for d in self.documents)

    @property
    def flagged(self) -> int:
        return sum(len(d.flagged) for d in self.documents)

    @property
    def flag_counts(self) -> Counter[str]:
        return rule_counts(c for d in self.documents for c in d.cards)

    @property
    def rejected(self) -> int:
        return sum(len(d.rejected) for d in self.documents)


@dataclass(frozen=True)
class QualityReport:
    files: int
    problems: tuple[Problem, ...]
    documents: tuple[DocumentCheck, ...]

    @property
    def cards(self) -> int:
        return sum(len(d.cards) for d in self.documents)

    @property
    def flagged(self) -> tuple[tuple[DocumentCheck, CardCheck], ...]:
        return tuple((d, c) for d in self.documents for c in d.flagged)

    @property
    def rejected_files(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def flag_counts(self) -> Counter[str]:
        """Final cards flagged by each rule (a card counts once per rule)."""
        return rule_counts(c for d in self.documents for c in d.cards)

    def rejected_counts(self) -> Counter[str]:
        """Generator-rejected candidates by rule (a candidate counts once per rule)."""
        return rule_counts(c for d in self.documents for c in d.rejected)

    def subjects(self) -> tuple[SubjectSummary, ...]:
        return group_subjects(self.documents)


def rule_counts(checks: Iterable[CardCheck]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for check in checks:
        counts.update(check.rules)
    return counts


def check_generated(doc: Document, generated: Generated) -> DocumentCheck:
    """Judge a generator's output for one document (or any cards, in tests)."""
    cards = tuple(CardCheck(card, flags) for card, flags in check_cards(generated.cards))
    rejected = tuple(CardCheck(card, flags) for card, flags in generated.rejected)
    return DocumentCheck(doc, cards, rejected)


def check_documents(
    documents: Sequence[Document],
    options: CardOptions = CardOptions(),
    *,
    problems: Sequence[Problem] = (),
    files: int | None = None,
) -> QualityReport:
    found = list(problems)
    checks: list[DocumentCheck] = []
    for doc in documents:
        try:
            checks.append(check_generated(doc, generate(doc, options)))
        except QuizgenError as error:
            found.append(Problem(error.path or doc.path, error.message, error.line))
    return QualityReport(len(documents) if files is None else files, tuple(found), tuple(checks))


def check_paths(paths: Iterable[str], options: CardOptions = CardOptions()) -> QualityReport:
    """Read every document under `paths`, generate its cards and judge them."""
    read = read_all(paths)
    return check_documents(read.documents, options, problems=read.problems, files=read.files)


def group_subjects(checks: Iterable[DocumentCheck]) -> tuple[SubjectSummary, ...]:
    """One summary per subject key, sorted by display name; documents in path order."""
    groups: dict[str, list[DocumentCheck]] = defaultdict(list)
    for check in checks:
        groups[check.document.subject_key].append(check)
    summaries = []
    for key, group in groups.items():
        spellings = Counter(c.document.subject for c in group)
        display = min(spellings, key=lambda s: (-spellings[s], s))
        summaries.append(SubjectSummary(display, key, tuple(sorted(group, key=lambda c: c.document.path))))
    return tuple(sorted(summaries, key=lambda s: (s.subject.casefold(), s.subject_key)))


def subject_flag_counts(cards: Iterable[Card]) -> dict[str, Counter[str]]:
    """subject key -> final cards flagged per rule, judged per document as `quizgen check` does.

    For `quizgen build`, which has the cards already: `subject_flag_counts(all_cards)`.
    Every subject of the given cards has an entry, empty when nothing is flagged.
    """
    by_doc: dict[tuple[str, str], list[Card]] = defaultdict(list)
    for card in cards:
        by_doc[(card.subject_key, card.doc_id)].append(card)
    counts: dict[str, Counter[str]] = {}
    for (subject_key, _), group in by_doc.items():
        checks = (CardCheck(card, flags) for card, flags in check_cards(group))
        counts.setdefault(subject_key, Counter()).update(rule_counts(checks))
    return counts
