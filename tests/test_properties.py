"""Properties (hypothesis): the parser raises only QuizgenError, and whatever text comes in,
rendered HTML is sanitised and never carries Anki `{{`/`}}` syntax of its own.

Each property stays under ~200 examples so the whole file runs in seconds.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizgen.errors import QuizgenError
from quizgen.export.render import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_blocks, render_inline, render_markdown
from quizgen.model import PRIVATE_MARKS, Document, PointList, Quote, Section, cloze
from quizgen.parse.document import clean, clean_line, parse_document
from quizgen.parse.escapes import decode_newlines

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that steer the parser and renderer into their corners: structure, TeX, code,
# HTML, Anki syntax, escapes; mixed with arbitrary text.
PIECES = [
    "\\n", "\\n\\n", "\n", "\n\n", "- ", "1. ", "   ", "**", "*", "_", "`", "```", "```python\\n", "~~",
    "$", "$$", "\\(", "\\)", "\\[", "\\]", "\\nu", "\\neq", "\\\\", "#", "### ", "#### ", "| a | b |",
    "|---|---|", "---", "...", "> ", "<", ">", "&", "&nbsp;", "&#123;", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "<javascript:alert(1)>",
    '<a href="javascript:alert(1)" onclick="x()">a</a>', "<style>*{}</style>", "<iframe src=x>",
    "{{c1::x}}", "{{Front}}", "{", "}", "}}", "::", ":", "**Term**: ", "In summary, ", "C:\\MinGW\\bin",
    '"', "'", "\t", "\x1f", "\x00", "\u2028", "\ufeff", "é", "Ω", "a", "word ", "42",
]  # fmt: skip
MARKDOWNISH = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=40).map("".join)
TEXT = st.text(max_size=200) | MARKDOWNISH
NO_MARKS = TEXT.map(lambda s: s.translate({ord(c): None for c in PRIVATE_MARKS}))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_sanitised(html: str) -> None:
    """Only allowed tags and attributes; no handlers, no script URLs, no live script/style."""
    lowered = html.lower()
    for dangerous in ("<script", "<style", "<iframe", "<img", "<svg", "<object", "<embed"):
        assert dangerous not in lowered, html
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs:
            assert not name.startswith("on"), (name, html)
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name, html)
            if name == "href":
                assert re.match(r"(https?:|mailto:|#|/|[^:]*$)", (value or "").strip(), re.I), (value, html)
    assert not re.search(r"<[^>]*\son\w+\s*=", html), html  # no handler inside any tag


def assert_no_anki_syntax(html: str) -> None:
    assert "{{" not in html and "}}" not in html, html


def rendered_fields(document: Document) -> list[str]:
    """Everything an exporter renders from a document: blocks, point terms and texts."""
    out = [render_blocks(document.intro), render_inline(document.question), render_inline(document.title)]
    if document.summary:
        out.append(render_inline(document.summary))

    def blocks(found: tuple) -> None:
        for block in found:
            if isinstance(block, PointList):
                for point in block.points:
                    out.append(render_inline(point.text))
                    if point.term:
                        out.append(render_inline(point.term))
                    blocks(point.children)
            elif isinstance(block, Quote):
                blocks(block.blocks)

    def sections(found: tuple[Section, ...]) -> None:
        for section in found:
            out.append(render_inline(section.heading))
            out.append(render_blocks(section.blocks))
            blocks(section.blocks)
            sections(section.subsections)

    blocks(document.intro)
    sections(document.sections)
    return out


def front_matter(**fields: object) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n"


# ---------------------------------------------------------------- decoder and parser


@SETTINGS
@given(TEXT)
def test_decode__never_raises_on_any_text(raw: str) -> None:
    assert isinstance(decode_newlines(raw), str)


@SETTINGS
@given(question=TEXT, answer=TEXT, subject=TEXT)
def test_parse__arbitrary_fields_in_valid_yaml_raise_only_quizgen_errors(question: str, answer: str, subject: str) -> None:
    try:
        document = parse_document(front_matter(question=question, answer=answer, subject=subject), "p.md")
    except QuizgenError:
        return
    for field in (document.question, document.subject, document.answer):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + PRIVATE_MARKS + "]", field)


@SETTINGS
@given(
    question=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=80),
    answer=MARKDOWNISH,
)
def test_parse__valid_yaml_with_real_text_is_accepted(question: str, answer: str) -> None:
    assume(clean_line(question))  # "\\n" alone is blank once decoded
    assume(re.sub(r"\s|\ufeff|&nbsp;|&#160;", "", clean(decode_newlines(answer))))
    document = parse_document(front_matter(question=question, answer=answer), "ok.md")
    assert document.question == " ".join(document.question.split())
    assert document.answer == document.answer.strip()


@SETTINGS
@given(st.text(max_size=300) | MARKDOWNISH | MARKDOWNISH.map(lambda s: "---\n" + s + "\n---\n" + s))
def test_parse__any_file_text_raises_only_quizgen_errors(text: str) -> None:
    try:
        parse_document(text, "raw.md")
    except QuizgenError:
        pass


# ---------------------------------------------------------------- rendering


@SETTINGS
@given(NO_MARKS)
def test_render__any_markdown_is_sanitised_and_free_of_anki_syntax(markdown: str) -> None:
    for html in (render_markdown(markdown), render_inline(markdown)):
        assert_sanitised(html)
        assert_no_anki_syntax(html)


@SETTINGS
@given(question=NO_MARKS, answer=NO_MARKS)
def test_render__every_field_of_a_parsed_document_is_safe(question: str, answer: str) -> None:
    try:
        document = parse_document(front_matter(question=question or "q", answer=answer), "r.md")
    except QuizgenError:
        return
    for html in rendered_fields(document):
        assert_sanitised(html)
        assert_no_anki_syntax(html)


@SETTINGS
@given(before=NO_MARKS, deleted=NO_MARKS, after=NO_MARKS, number=st.integers(1, 20))
def test_render__braces_appear_only_as_our_own_cloze(before: str, deleted: str, after: str, number: int) -> None:
    assume(deleted.strip())
    html = render_markdown(before + cloze(number, deleted) + after)
    assert_sanitised(html)
    # the one deletion we marked may survive as {{cN::...}}; nothing else may
    outside = re.sub(r"\{\{c\d+::((?:(?!\{\{|\}\}).)*?)\}\}", r"\1", html, flags=re.S)
    assert_no_anki_syntax(outside)
    assert html.count("{{c") <= 1


@SETTINGS
@given(question=TEXT, answer=TEXT)
def test_parse__an_accepted_document_has_a_question_and_an_answer(question: str, answer: str) -> None:
    try:
        document = parse_document(front_matter(question=question, answer=answer), "e.md")
    except QuizgenError:
        return
    assert document.question.strip() and document.answer.strip()
    assert document.answer.replace("&nbsp;", "").replace("&#160;", "").strip()
