"""Quiz items: what each kind must guarantee, on our own fixtures and on content/."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.model import Document, PointList, Section
from quizgen.quiz.blanks import changed_number, mask, number_variants, quantities
from quizgen.quiz.items import BLANK, ITEM_KINDS, FillIn, Matching, MultipleChoice, TrueFalse
from quizgen.quiz.sets import QuizOptions, make_quiz_set
from quizgen.sources import read_all
from quizgen.text import content_stems, plain_text

from conftest import CONTENT, FIXTURES, SHARED_CORPUS

QUIZ_FIXTURES = FIXTURES / "quiz"


def _sources() -> list:
    cases = [pytest.param([QUIZ_FIXTURES], id="fixtures")]
    enough = len(list(CONTENT.glob("*.md"))) >= 5
    cases.append(pytest.param([CONTENT], id="content", marks=pytest.mark.skipif(
        not enough, reason="content/ has fewer than 5 documents yet")))
    corpus_doc = SHARED_CORPUS / "170601.md"
    cases.append(pytest.param([corpus_doc, QUIZ_FIXTURES], id="corpus-170601+fixtures", marks=pytest.mark.skipif(
        not corpus_doc.is_file(), reason="../shared/corpus is absent (fresh clone)")))
    return cases


def _documents(paths: list[Path]) -> tuple[Document, ...]:
    result = read_all(paths)
    assert result.documents, result.problems
    return result.documents


def _terms(doc: Document) -> set[str]:
    """Every point term of a document, read straight from the model."""
    found: set[str] = set()

    def blocks(items) -> None:
        for block in items:
            if isinstance(block, PointList):
                for point in block.points:
                    if point.term:
                        found.add(point.term)
                    blocks(point.children)

    def section(sec: Section) -> None:
        blocks(sec.blocks)
        for sub in sec.subsections:
            section(sub)

    blocks(doc.intro)
    for sec in doc.sections:
        section(sec)
    return found


def _norm(text: str) -> str:
    return " ".join(sorted(content_stems(text)))


@pytest.fixture(scope="module", params=_sources())
def quiz(request):
    documents = _documents(request.param)
    return documents, make_quiz_set(documents, QuizOptions(count=30, seed=7))


def test_quiz__thirty_items__every_type_present(quiz) -> None:
    _, qs = quiz
    assert len(qs.items) == 30
    assert set(Counter(i.kind for i in qs.items)) == set(ITEM_KINDS)
    assert len({i.id for i in qs.items}) == 30


def test_quiz__mcq__four_distinct_options_one_key(quiz) -> None:
    documents, qs = quiz
    terms = {doc.id: _terms(doc) for doc in documents}
    for item in (i for i in qs.items if isinstance(i, MultipleChoice)):
        assert len(item.options) == 4
        assert len({_norm(o) for o in item.options}) == 4, item.options
        assert len({o.casefold() for o in item.options}) == 4
        assert 0 <= item.key < 4
        key_term = item.explanation.split("**")[1]  # "**Term**: text"
        assert [o for o in item.options if o == key_term] == [item.answer]
        assert key_term in terms[item.source.doc_id]  # the key is a term of the item's own document
        for option in item.options:
            assert "of the above" not in option.lower()


def test_quiz__mcq__distractors_from_same_document_or_subject(quiz) -> None:
    documents, qs = quiz
    by_id = {doc.id: doc for doc in documents}
    for item in (i for i in qs.items if isinstance(i, MultipleChoice)):
        subject = by_id[item.source.doc_id].subject_key
        allowed = {t for doc in documents if doc.subject_key == subject for t in _terms(doc)}
        for n, option in enumerate(item.options):
            if n != item.key:
                assert option in allowed, (option, item.source.doc_id)


def test_quiz__no_stem_contains_its_own_key(quiz) -> None:
    _, qs = quiz
    for item in qs.items:
        if isinstance(item, MultipleChoice):
            assert not content_stems(item.answer) & content_stems(item.stem), (item.answer, item.stem)
        elif isinstance(item, Matching):
            for definition, term in item.pairs:
                assert not content_stems(term) & content_stems(definition), (term, definition)
        elif isinstance(item, FillIn):
            assert item.text.count(BLANK) == 1
            if not any(c.isdigit() for c in item.answer):
                assert not content_stems(item.answer) & content_stems(item.text.replace(BLANK, " ")), item


def test_quiz__true_false__balanced(quiz) -> None:
    _, qs = quiz
    truths = Counter(i.truth for i in qs.items if isinstance(i, TrueFalse))
    assert truths[True] and truths[False]
    assert abs(truths[True] - truths[False]) <= 1
    for item in (i for i in qs.items if isinstance(i, TrueFalse) and not i.truth):
        assert item.correction and item.correction != item.statement


def test_quiz__matching__three_to_six_pairs_from_one_section(quiz) -> None:
    _, qs = quiz
    for item in (i for i in qs.items if isinstance(i, Matching)):
        assert 3 <= len(item.pairs) <= 6
        assert sorted(item.choices) == sorted(t for _, t in item.pairs)
        assert len({_norm(t) for t in item.choices}) == len(item.choices)


def test_quiz__fill_in__answer_accepted_with_variants(quiz) -> None:
    _, qs = quiz
    for item in (i for i in qs.items if isinstance(i, FillIn)):
        assert plain_text(item.answer) in item.accepted or item.answer in item.accepted
        assert len(set(item.accepted)) == len(item.accepted)


def test_quiz__every_item_names_source_and_explains(quiz) -> None:
    documents, qs = quiz
    titles = {doc.id: doc.title for doc in documents}
    for item in qs.items:
        assert titles[item.source.doc_id] == item.source.doc_title
        assert item.explanation.strip()
        assert item.source.section_title


def test_quiz__same_seed__same_set_and_versions() -> None:
    documents = _documents([QUIZ_FIXTURES])
    one = make_quiz_set(documents, QuizOptions(seed=11, versions=3))
    two = make_quiz_set(documents, QuizOptions(seed=11, versions=3))
    assert one.versions == two.versions


def test_quiz__different_seed__different_set_or_order() -> None:
    documents = _documents([QUIZ_FIXTURES])
    seven = make_quiz_set(documents, QuizOptions(seed=7))
    eight = make_quiz_set(documents, QuizOptions(seed=8))
    assert [i.id for i in seven.versions[0].items] != [i.id for i in eight.versions[0].items]


def test_quiz__versions__same_items_new_order() -> None:
    qs = make_quiz_set(_documents([QUIZ_FIXTURES]), QuizOptions(seed=7, versions=2))
    v1, v2 = qs.versions
    assert sorted(i.id for i in v1.items) == sorted(i.id for i in v2.items)
    assert [i.id for i in v1.items] != [i.id for i in v2.items]
    by_id = {i.id: i for i in v2.items}
    for item in (i for i in v1.items if isinstance(i, MultipleChoice)):
        assert sorted(item.options) == sorted(by_id[item.id].options)
        assert item.answer == by_id[item.id].answer
    kinds = [i.kind for i in v1.items]
    assert kinds == sorted(kinds, key=ITEM_KINDS.index), "parts stay grouped by kind"


def test_quiz__filters__subject_doc_tag_types_count() -> None:
    documents = _documents([QUIZ_FIXTURES])
    cs = make_quiz_set(documents, QuizOptions(subjects=("COMPUTER  science",), count=5))
    assert {i.source.doc_id for i in cs.items} == {"990003"}
    one = make_quiz_set(documents, QuizOptions(doc_ids=("990002",), count=6, kinds=("mcq", "fill")))
    assert {i.source.doc_id for i in one.items} == {"990002"}
    assert {i.kind for i in one.items} == {"mcq", "fill"} and len(one.items) == 6
    tagged = make_quiz_set(documents, QuizOptions(tags=("Extravasation",), count=4))
    assert {i.source.doc_id for i in tagged.items} == {"990001"}


def test_quiz__filters__nothing_matches__usage_error() -> None:
    from quizgen.errors import UsageError

    with pytest.raises(UsageError, match="no documents match"):
        make_quiz_set(_documents([QUIZ_FIXTURES]), QuizOptions(subjects=("astrology",)))


def test_quiz__too_few_items__warns_and_returns_what_is_good() -> None:
    qs = make_quiz_set(_documents([QUIZ_FIXTURES / "990003.md"]), QuizOptions(count=200))
    assert 0 < len(qs.items) < 200
    assert any("only" in w for w in qs.warnings)


# ---------------------------------------------------------------- blanks


def test_mask__inflected_key__one_blank() -> None:
    masked = mask("The pump actively transports ions against their gradients.", "Active Transport")
    assert masked == f"The pump {BLANK} ions against their gradients."


def test_mask__key_inside_math__refused() -> None:
    assert mask(r"The value \(x_{overflow}\) shows signed overflow here.", "Overflow") is None


def test_mask__too_many_blanks__refused() -> None:
    text = "Higher concentration of ions outside, higher concentration of ions inside, a gradient."
    assert mask(text, "Ion Concentration Gradients") is None


@pytest.mark.parametrize("text, wrong", [
    ("typically around -70 mV at rest", "-90 mV"),
    ("for every three sodium ions", "four"),
    ("normal is 135 to 145 mEq/L here", "145 to 155 mEq/L"),
    ("saturation of 95% or more", "75%"),
    ("a pH of 7.35 is the limit", "7.55"),
])
def test_changed_number__plausible_wrong_value(text: str, wrong: str) -> None:
    assert changed_number(quantities(text)[0]) == wrong


def test_quantities__years_labels_identifiers__ignored() -> None:
    assert quantities("In 2019 the Step 2 of IPv4 used Type 1 labels.") == []


def test_number_variants__minus_spacing_words() -> None:
    variants = number_variants(quantities("around -70 mV")[0])
    assert {"-70 mV", "\u221270 mV", "-70mV", "-70 millivolts"} <= set(variants)
    assert {"three", "3"} <= set(number_variants(quantities("every three ions")[0]))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["Active Transport", "Hypokalemia", "Sodium-Potassium Pump", "Portal of Entry"]),
       st.lists(st.sampled_from(["the", "pump", "actively", "transports", "hypokalemia", "sodium", "potassium",
                                 "portal", "entry", "cell", "ions", "and", "of", "level", "low"]), min_size=3, max_size=20))
def test_mask__never_leaves_a_key_stem(key: str, tokens: list[str]) -> None:
    masked = mask(" ".join(tokens) + ".", key)
    if masked is not None:
        assert not content_stems(key) & content_stems(masked.replace(BLANK, " "))
