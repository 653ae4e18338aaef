"""Moodle XML, built with ElementTree so the file is always well-formed.

Moodle wants HTML in `<text>` as character data, never as child elements ("Invalid XML
file - string expected (use CDATA?)"). ElementTree cannot write CDATA, so it escapes the
HTML (`&lt;p&gt;`): an XML parser hands Moodle exactly the same string either way, and with
`format="html"` Moodle shows it as HTML. A bare `&` can never slip through, and a bad
character cannot end the file early (which would make Moodle drop the questions after it).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..quiz.fields import html, plain
from ..quiz.items import FillIn, Matching, MultipleChoice, QuizItem, QuizVersion, TrueFalse
from .gift import question_name, shortanswer_literal

name = "moodle"
MCQ_PENALTY = "0.3333333"  # on Moodle's grade list; "0.33" is not


def files(version: QuizVersion) -> dict[str, bytes]:
    return {f"{version.file_stem}.xml": render_moodle(version)}


def render_moodle(version: QuizVersion) -> bytes:
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", type="category")
    _text(ET.SubElement(category, "category"), f"$course$/top/quizgen/{version.set_name}/v{version.number}")
    for number, item in enumerate(version.items, 1):
        quiz.append(question(number, item, version))
    ET.indent(quiz, space="  ")
    return ET.tostring(quiz, encoding="UTF-8", xml_declaration=True) + b"\n"


def _text(parent: ET.Element, value: str) -> ET.Element:
    ET.SubElement(parent, "text").text = value
    return parent


def _html_field(parent: ET.Element, tag: str, markdown: str, inline: bool = True) -> ET.Element:
    return _text(ET.SubElement(parent, tag, format="html"), html(markdown, inline=inline))


def _answer(parent: ET.Element, fraction: str, text: str, fmt: str, feedback: str = "") -> None:
    answer = ET.SubElement(parent, "answer", fraction=fraction, format=fmt)
    _text(answer, text)
    _text(ET.SubElement(answer, "feedback", format="html"), feedback)


def question(number: int, item: QuizItem, version: QuizVersion) -> ET.Element:
    qtype = {"mcq": "multichoice", "tf": "truefalse", "match": "matching", "fill": "shortanswer"}[item.kind]
    q = ET.Element("question", type=qtype)
    _text(ET.SubElement(q, "name"), question_name(number, item, version))
    body = {"mcq": "stem", "tf": "statement", "match": "prompt", "fill": "text"}[item.kind]
    _html_field(q, "questiontext", getattr(item, body))
    _html_field(q, "generalfeedback", item.explanation, inline=False)
    ET.SubElement(q, "defaultgrade").text = "1"
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = item.id
    if isinstance(item, MultipleChoice):
        ET.SubElement(q, "penalty").text = MCQ_PENALTY
        ET.SubElement(q, "single").text = "true"
        ET.SubElement(q, "shuffleanswers").text = "false"  # the version fixes the order
        ET.SubElement(q, "answernumbering").text = "ABCD"
        for n, option in enumerate(item.options):
            _answer(q, "100" if n == item.key else "0", html(option), "html")
    elif isinstance(item, TrueFalse):
        ET.SubElement(q, "penalty").text = "1"
        fix = "" if item.truth else html(item.correction)
        _answer(q, "100" if item.truth else "0", "true", "moodle_auto_format", fix)
        _answer(q, "0" if item.truth else "100", "false", "moodle_auto_format", fix)
    elif isinstance(item, Matching):
        ET.SubElement(q, "penalty").text = MCQ_PENALTY
        ET.SubElement(q, "shuffleanswers").text = "true"
        for definition, term in item.pairs:
            sub = _html_field(q, "subquestion", definition)
            _text(ET.SubElement(sub, "answer"), plain(term))
    elif isinstance(item, FillIn):
        ET.SubElement(q, "penalty").text = MCQ_PENALTY
        ET.SubElement(q, "usecase").text = "0"
        for accepted in item.accepted:
            _answer(q, "100", shortanswer_literal(accepted), "moodle_auto_format")
    return q
