"""Cloze cards of key facts: numbers with units, counts, key terms, one sentence each.

Numbers in one sentence belong together ("for every {{c1::three}} sodium ions ...
{{c2::two}} potassium ions") and share a note; otherwise one key term is deleted per
point or paragraph, so a long document does not bury the student in near-identical cards.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, Iterator

from ..model import Card, Document, Paragraph, cloze
from ..text import IMPERATIVE_VERBS, content_stems, plain_text, sentences, stems_covered
from .context import context_line, is_example, is_fragment, topic, walk_lists, walk_paragraphs
from .base import make_card
from .facts import Fact, FactSpans, KeywordScans, is_meaningful, keyword_scans
from .keys import fact_key
from .rules import PRONOUN_START

MIN_WORDS, MAX_WORDS = 6, 55
MAX_NUMBER_DELETIONS = 3
_FIRST_IT = re.compile(r"\bit\b")
_IN_LEAD = re.compile(r"\s*In\s+(?:the\s+context\s+of\s+)?(?:an?\s+|the\s+)?", re.IGNORECASE)
# Sentences that lean on what came before or after them cannot stand alone: they open
# with one of these, have "then"/"these"/"those" among their first words, or point away.
_DEPENDENT_LEADS = ("we", "you", "thus", "so", "here", "similarly", "hence", "then", "let", "consider", "suppose",
                    "now", "next", "finally", "below", "for example", "for instance", "e.g.", "instead", "otherwise",
                    "conversely", "in this case", "in contrast")
_POINTS_AWAY = ("as follows", "the following", "below", "above", "these steps", "you can")
_DEPENDENT_START = (
    "^(" + "|".join(map(re.escape, _DEPENDENT_LEADS)) + r")\b"
    r"|^\S+(?:\s+\S+){0,5}\s+then\b|^\S+(?:\s+\S+){0,4}\s+(?:these|those)\b"
)
_DEPENDENT = re.compile(
    _DEPENDENT_START + "|" + "|".join(rf"\b{re.escape(words)}\b" for words in _POINTS_AWAY), re.IGNORECASE
)
# `_DEPENDENT` for lowercased ASCII text (its words are lowercase), in two parts: its
# anchored alternatives, matched at the start only, and one pattern per pointing phrase,
# searched from where the phrase is. As one pattern, every alternative was tried at
# every position, IGNORECASE folding each character.
_LOWERED_DEPENDENT_START: Final = re.compile(_DEPENDENT_START)
_LOWERED_POINTS_AWAY: Final = tuple((words, re.compile(rf"\b{re.escape(words)}\b")) for words in _POINTS_AWAY)
# Each alternative of `_DEPENDENT` needs one of these words: a substring test for them first.
_DEPENDENT_WORDS = ("then", "these", "those", *_POINTS_AWAY)
_DEPENDENT_WORD_IN = re.compile("|".join(map(re.escape, _DEPENDENT_WORDS)))


def _depends_on_neighbours(plain: str) -> bool:
    """`_DEPENDENT`, run only when one of its words is there at all (most sentences: no)."""
    lower = plain.lower()
    if not (lower.startswith(_DEPENDENT_LEADS) or _has_dependent_word(lower)):
        return False
    if not plain.isascii():
        return _DEPENDENT.search(plain) is not None
    return _LOWERED_DEPENDENT_START.match(lower) is not None or _points_away(lower)


def _points_away(lower: str) -> bool:
    """Whether a pointing phrase of `_POINTS_AWAY` stands as whole words in `lower`."""
    for words, pattern in _LOWERED_POINTS_AWAY:
        at = lower.find(words)
        if at != -1 and pattern.search(lower, at) is not None:
            return True
    return False


def _has_dependent_word(lower: str) -> bool:
    """`_DEPENDENT_WORD_IN.search(lower)`, as substring tests (a third of its time)."""
    for word in _DEPENDENT_WORDS:
        if word in lower:
            return True
    return False


_LEADING_IT = re.compile(r"^It\b")
_NUMBER_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_NOT_LETTER = re.compile(r"[^A-Za-z]")
_IN_PARENTHESES: Final = re.compile(r"\s*\(([^)]*)\)")
_INITIAL_WORD: Final = re.compile(r"[A-Za-z][\w-]*")


def cloze_cards(doc: Document) -> Iterator[Card]:
    keywords = _keywords(doc)
    for site in walk_lists(doc):
        if site.section and is_example(site.section[-1]):
            continue
        for point in site.points.points:
            context = context_line(doc, site.section, point.term or site.parent_term)
            texts = [point.text] + [c.text for c in point.children if isinstance(c, Paragraph)]
            for text in texts:
                yield from _block_cards(doc, site.section, context, text, keywords, point.term)
    for para in walk_paragraphs(doc):
        if para.section and is_example(para.section[-1]):
            continue  # worked examples hold the example's numbers, not facts to learn
        context = context_line(doc, para.section)
        yield from _block_cards(doc, para.section, context, para.text, keywords, None)


def _keywords(doc: Document) -> list[str]:
    """Document keywords worth deleting: not the topic itself (the context line shows it)."""
    shown = content_stems(topic(doc))
    return [k for k in doc.keywords if content_stems(k) and not content_stems(k) <= shown]


def _block_cards(
    doc: Document,
    section: tuple[str, ...],
    context: str,
    text: str,
    keywords: list[str],
    term: str | None,
) -> Iterator[Card]:
    referent = _referent(text, doc)
    term_used = False
    unordered = _unordered_scans(keywords, term)
    scans: KeywordScans | None = None  # in order, once a sentence needs its terms
    shown: frozenset[str] | None = None  # `_shown_keywords`, once a sentence needs them
    for position, sentence in enumerate(sentences(text)):
        if position and referent:
            sentence = _resolve_pronouns(sentence, referent)
        found = FactSpans(sentence)
        if not found.may_hold(unordered) or not _usable(sentence):
            continue
        found.add_numbers()  # numbers win over terms: a term is only wanted without one
        numbers = _primary_numbers([f for f in found.in_order() if _deletable(f, sentence, context)], sentence)
        if numbers:
            chosen = numbers
        elif term_used:
            continue
        else:
            if shown is None:
                shown = _shown_keywords(unordered, context)
            if not found.may_hold_terms(unordered, shown):
                continue  # no bold, and every keyword here is one the context line shows
            if scans is None:
                scans = keyword_scans((*keywords, term) if term else tuple(keywords))
            found.add_terms(scans)
            terms = [f for f in found.in_order() if f.kind in ("keyword", "bold") and not _shown_fact(f, found, shown)
                     and _deletable(f, sentence, context)]
            if not terms:
                continue
            chosen = [max(terms, key=lambda f: (f.kind == "keyword", len(f.text)))]
            term_used = True
        key = fact_key([f.text for f in chosen])
        front = _with_deletions(sentence, chosen)
        yield make_card(doc, "cloze", section=section, key=key, front=front, back="", context=context)


def _unordered_scans(keywords: list[str], term: str | None) -> KeywordScans:
    """The scans of the keywords and the term, maybe repeated and out of order: enough to
    ask whether one is there. `keyword_scans` of the document's keywords is cached for
    all its blocks; with each point's own term it was made anew for nearly every block."""
    scans = keyword_scans(tuple(keywords))
    return (*scans, (term.lower() if term.isascii() else None, term)) if term else scans


def _shown_keywords(scans: KeywordScans, context: str) -> frozenset[str]:
    """The lowercased ASCII keywords whose every stem the context line shows: `_deletable`
    refuses each fact of theirs (the point's own term, mostly), so a sentence with no
    other keyword and no bold needs no term scan. A context without the characters that
    markup pairs across a join ("`", "\\", "]") shows its stems beside any sentence."""
    if "`" in context or "\\" in context or "]" in context:
        return frozenset()
    shown = content_stems(context)
    return frozenset(lowered for lowered, keyword in scans if lowered is not None and content_stems(keyword) <= shown)


def _shown_fact(fact: Fact, found: FactSpans, shown: frozenset[str]) -> bool:
    """A keyword fact of an ASCII sentence that reads as a shown keyword: the same words
    in another case, so the same stems, all on the context line."""
    return fact.kind == "keyword" and found.lowered is not None and fact.text.lower() in shown


def _usable(sentence: str) -> bool:
    plain = plain_text(sentence)
    words = plain.split()  # `word_count(sentence)` words
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return False
    if plain.endswith((":", "?")) or PRONOUN_START.match(plain) or _depends_on_neighbours(plain):
        return False
    if is_fragment(plain):
        return False  # "Typically relies on HDFS ..." has no subject
    if words[0].lower() in IMPERATIVE_VERBS:
        return False  # an instruction ("Press Enter to ...") is not a fact
    return "```" not in sentence


def _deletable(fact: Fact, sentence: str, context: str) -> bool:
    answer = plain_text(fact.text)
    if not is_meaningful(answer):
        return False
    before, after = sentence[: fact.start], sentence[fact.end :]
    if before.rstrip().endswith("(") and after.lstrip().startswith(")"):
        return False  # "(HDFS)" restates the words just before it
    if _spells_acronym(fact.text, before, after):
        return False  # "YARN (Yet Another Resource Negotiator)" gives itself away
    if fact.kind in ("keyword", "bold") and _IN_LEAD.fullmatch(before):
        return False  # "In ___, computation graphs are ..." has many right answers
    if fact.kind in ("number", "count") and _shows_number(_number_core(fact.text), before + after):
        return False  # "a 32-bit number ... {{c1::32}} binary digits" shows its answer
    return not (fact.kind in ("keyword", "bold") and stems_covered(content_stems(fact.text), before + after, context))


def _primary_numbers(numbers: list[Fact], sentence: str) -> list[Fact]:
    """Drop conversions in parentheses ("5 lb (about 2.3 kg)"): one fact, one deletion."""
    kept = [
        f for f in numbers
        if not (sentence[: f.start].rstrip().endswith(("(", "(about", "(approximately", "(approx."))
                and any(o.end <= f.start for o in numbers))
    ]  # fmt: skip
    return kept[:MAX_NUMBER_DELETIONS]


def _number_core(text: str) -> str:
    """Digits of a number fact, for spotting the same number elsewhere in a sentence."""
    return " ".join(_NUMBER_DIGITS.findall(text)) or text.lower()


def _shows_number(core: str, rest: str) -> bool:
    """`core in _number_core(rest)`. A core without a space can only be inside one digit
    run of `rest`, or in `rest` lowercased where it has none: in `rest.lower()` either
    way, so one substring test rules out most numbers before any digits are collected."""
    if " " not in core and core not in rest.lower():
        return False
    return core in _number_core(rest)


def _spells_acronym(answer: str, before: str, after: str) -> bool:
    letters = _NOT_LETTER.sub("", answer)
    if not (2 <= len(letters) <= 8 and letters.isupper()):
        return False
    beside = _IN_PARENTHESES.match(after)
    words_near = (beside.group(1) if beside else "") + " " + " ".join(before.split()[-len(letters) - 2 :])
    initials = "".join(w[0] for w in _INITIAL_WORD.findall(words_near)).upper()
    return letters in initials


def _with_deletions(sentence: str, facts: list[Fact]) -> str:
    out, last = [], 0
    for number, fact in enumerate(facts, 1):
        inner = fact.text[2:-2] if fact.kind == "bold" else fact.text
        marked = cloze(number, inner)
        out += [sentence[last : fact.start], f"**{marked}**" if fact.kind == "bold" else marked]
        last = fact.end
    out.append(sentence[last:])
    return "".join(out)


def _referent(text: str, doc: Document) -> str | None:
    """"The sodium-potassium pump actively ..." -> "the sodium-potassium pump"."""
    first = plain_text(text).lstrip()
    lowered = first.lower()
    leads, any_lead = _referent_leads(tuple(doc.keywords), topic(doc))
    if not lowered.startswith(any_lead):
        return None  # most text names none of them: one test instead of one per lead
    for lead, length in leads:
        if lowered.startswith(lead):
            return first[:length][:1].lower() + first[1:length]
    return None


@lru_cache(maxsize=1024)
def _referent_leads(keywords: tuple[str, ...], document_topic: str) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """(lowercased lead with its space, length of the lead), longest names first; and
    the leads alone, for `str.startswith`."""
    names = sorted(dict.fromkeys((*keywords, document_topic)), key=len, reverse=True)  # stable: not a set's order
    leads = tuple((lead.lower() + " ", len(lead)) for name in names for lead in (f"the {name}", name))
    return leads, tuple(lead for lead, _ in leads)


def _resolve_pronouns(sentence: str, referent: str) -> str:
    """Name the referent once in a sentence that leans on "it" from the sentence before."""
    if _LEADING_IT.match(sentence):
        return referent[:1].upper() + referent[1:] + sentence[2:]
    return _FIRST_IT.sub(referent, sentence, count=1)
