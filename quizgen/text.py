"""Plain-text helpers over inline markdown: sentences, words, stems, stopwords.

No nltk_data is available (or ever downloaded): sentences come from a Punkt tokenizer
whose abbreviations are set here, stems from a per-word cached Snowball stemmer, and
the stopword list is our own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

ABBREVIATIONS = frozenset(
    """e.g i.e vs etc approx mg mcg kg dl ml mmol meq mm cm dr mr mrs ms prof st no fig
    eq al resp min max avg vol ca incl est dept govt u.s u.k a.m p.m b.i.d t.i.d q.i.d
    p.r.n q.d h.s p.o i.v i.m s.c subq sq oz lb hr hrs sec yr yrs wt ht temp""".split()
)
STOPWORDS = frozenset(
    """a an the and or but if then else of to in on at by for with from into onto over under
    as is are was were be been being am do does did doing have has had having it its it's this
    that these those there here which who whom whose what when where why how all any both each
    few more most other some such no nor not only own same so than too very can will just should
    would could may might must shall also about above after again against before below between
    during further once out off up down through until while i me my we our you your he him his
    she her they them their one ones thing things way ways often many much well however thus
    therefore because since per via within without across along among around upon whether
    either neither yet still even like used use using called known""".split()
)
# Words too vague to be worth a deletion or a question ("a {{c1::significant}} role").
VAGUE_WORDS = frozenset(
    """significant important crucial essential key vital critical major main various several
    different certain specific particular general overall good bad better best large small
    high low new old first last next role part process function system way""".split()
)

# A term that starts with one of these names a step ("Calculate Midpoint"), not a thing.
IMPERATIVE_VERBS = frozenset(
    """add administer analyze apply assess assume build calculate call check choose collect
    compare compile compute conclude configure connect consider create declare define
    determine differentiate divide document download draw educate elevate ensure enter
    evaluate expand find fit formulate gather give identify implement import initialize
    install integrate interpret iterate launch load measure merge monitor multiply notify
    obtain open output partition perform plan plot position print prove read record remove
    repeat report return review run save select set show simplify solve sort split start
    state stop store substitute subtract sum teach test train update use verify wash write
    press click type navigate make go ensure avoid keep place begin""".split()
)
_PUNKT = PunktParameters()
_PUNKT.abbrev_types = set(ABBREVIATIONS)
_SENTENCES = PunktSentenceTokenizer(_PUNKT)
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'+\-/.]*[A-Za-z0-9+]|[A-Za-z0-9]")  # "Na+", "-70", "K+"
_MARKUP = re.compile(r"\*\*|__|(?<!\\)[*_~`]|\\(?=[\\`*_\[\]<$~])")
_LINK = re.compile(r"\[([^\]]*)\]\(<?[^)>]*>?\)")
_STEMMER = SnowballStemmer("english")
_VERBATIM = re.compile(r"`+ ?([^`]*?) ?`+|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)  # code, math
_ANY_MARKUP = re.compile(r"[*_~`\[\\]")


@lru_cache(maxsize=16384)
def sentences(text: str) -> tuple[str, ...]:
    """Split inline markdown into sentences; math and code never split a sentence."""
    protected, restore = _protect(text)
    return tuple(restore(s) for s in _SENTENCES.tokenize(protected))


# Code spans and TeX: text that no sentence split, fact or markup rule may look inside.
CODE_OR_MATH = re.compile(r"`+[^`]*`+|\\\(.+?\\\)|\\\[.+?\\\]", re.DOTALL)
_HIDDEN = re.compile("\ue010(\\d+)\ue011")


def _protect(text: str):
    """Hide math/code spans (which may contain '.') from the sentence splitter."""
    spans: list[str] = []

    def hide(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\ue010{len(spans) - 1}\ue011"

    hidden = CODE_OR_MATH.sub(hide, text)

    def restore(sentence: str) -> str:
        return _HIDDEN.sub(lambda m: spans[int(m.group(1))], sentence) if spans else sentence

    return hidden, restore


_MD_SPECIALS = "\\`*_[]<$~"
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in _MD_SPECIALS})
_MD_SPECIAL = re.compile("[" + re.escape(_MD_SPECIALS) + "]")


def escape_markdown(text: str) -> str:
    """Escape markdown specials so plain text re-renders as itself. (Most text has
    none: one search says so, where `translate` to two-character strings is slow.)"""
    return text.translate(_MD_ESCAPES) if _MD_SPECIAL.search(text) else text


@lru_cache(maxsize=65536)
def plain_text(markdown: str) -> str:
    """Inline markdown -> readable text (for comparisons, word counts, NLP).

    Code spans keep their text as written (`x_y` stays `x_y`); math keeps its TeX.
    Cached: contexts, terms and sentences are asked about many times per document.
    """
    if not _ANY_MARKUP.search(markdown):
        return " ".join(markdown.split())
    pieces = []
    last = 0
    for match in _VERBATIM.finditer(markdown):
        pieces.append(_strip_markup(markdown[last : match.start()]))
        pieces.append(next(g for g in match.groups() if g is not None))
        last = match.end()
    pieces.append(_strip_markup(markdown[last:]))
    return " ".join("".join(pieces).split())


def _strip_markup(text: str) -> str:
    return _MARKUP.sub("", _LINK.sub(r"\1", text))


def words(text: str) -> list[str]:
    """Word tokens of plain text, case kept ("Na+", "-70", "K+" survive)."""
    return WORD.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stem(word.lower())


@lru_cache(maxsize=65536)
def content_stems(text: str) -> frozenset[str]:
    """Stems of the meaningful words of `text` (stopwords dropped)."""
    stems = set(map(_content_stem, words(plain_text(text))))
    stems.discard(None)
    return frozenset(stems)  # type: ignore[arg-type]


# Markup that may pair across a join of texts: code spans, math, links. Without it, the
# plain text of a join is the join of plain texts, so the words are too.
_PAIRS_ACROSS_JOIN = re.compile(r"[`\\\[]")


def join_is_exact(parts: tuple[str, ...]) -> bool:
    """Whether the stems of the parts joined are the union of each part's stems.
    (`_PAIRS_ACROSS_JOIN` as substring tests: asked for every part of every card.)"""
    for part in parts:
        if "`" in part or "\\" in part or "[" in part:
            return False
    return True


def joined_stems(*parts: str) -> frozenset[str]:
    """`content_stems(" ".join(parts))`, built from each part's cached stems when that is
    exact (a freshly joined string would always miss the cache)."""
    if not join_is_exact(parts):
        return content_stems(" ".join(parts))
    return frozenset().union(*map(content_stems, parts))


def stems_covered(needed: frozenset[str], *parts: str) -> bool:
    """`needed <= joined_stems(*parts)`, stopping once all are found. The last part is
    looked at first: callers end with the context line, which many cards share."""
    if not needed:
        return True
    if not join_is_exact(parts):
        return needed <= content_stems(" ".join(parts))
    for part in reversed(parts):
        needed = needed - content_stems(part)
        if not needed:
            return True
    return False


@lru_cache(maxsize=65536)
def _content_stem(word: str) -> str | None:
    """A word's stem, or None for a stopword: one cached call per word (hot in card rules)."""
    return None if word.lower() in STOPWORDS else stem(word)


# The closing "In summary, ..." of a QuickTakes answer: the parser finds it with this,
# the gist card and the quiz state it without the lead.
SUMMARY_LEAD = re.compile(
    r"^(in summary|in conclusion|to summari[sz]e|to conclude|overall|in short|in essence)\b\s*,?\s*",
    re.IGNORECASE,
)


def drop_summary_lead(text: str) -> str:
    """"In summary, the pump ..." -> "The pump ..."; other text as it is."""
    match = SUMMARY_LEAD.match(text)
    return capitalize_first(text[match.end() :]) if match else text


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def word_count(markdown: str) -> int:
    return len(plain_text(markdown).split())
