"""Answer structure: intro, nested sections, points with their terms, the closing summary.

The seed document (content/170601.md, also in the shared corpus) and small fixtures of
our own (tests/fixtures/docs/*.md), each compared with the whole expected model.
"""

from __future__ import annotations

import pytest
from conftest import CONTENT, FIXTURES

from quizgen.export.render import render_inline
from quizgen.model import CodeBlock, Paragraph, Point, PointList, Quote, Section
from quizgen.parse.answer import parse_answer
from quizgen.parse.document import read_document

DOCS = FIXTURES / "docs"
SEED = CONTENT / "170601.md"


# ---------------------------------------------------------------- the seed


def test_seed__metadata_from_the_front_matter() -> None:
    doc = read_document(SEED)
    assert (doc.id, doc.subject, doc.subject_key, doc.date) == ("170601", "Nursing", "nursing", "2025-02-06")
    assert doc.question == doc.title == (
        "Explain how the sodium-potassium pump contributes to the establishment of the resting membrane potential."
    )
    assert doc.url == (
        "/learn/nursing/questions/explain-how-the-sodiumpotassium-pump-contributes-to-the-establishment-"
        "of-the-resting-membrane-potential"
    )
    assert doc.keywords[:3] == ("sodium-potassium pump", "resting membrane potential", "active transport")
    assert len(doc.keywords) == 9


def test_seed__intro_is_the_opening_paragraph() -> None:
    (intro,) = read_document(SEED).intro
    assert isinstance(intro, Paragraph)
    assert intro.text.startswith("The sodium-potassium pump (Na+/K+ ATPase) is a crucial membrane protein")
    assert intro.text.endswith("particularly sodium (Na+) and potassium (K+).")


def test_seed__two_sections_in_order() -> None:
    sections = read_document(SEED).sections
    assert [(s.heading, s.level, len(s.blocks), s.subsections) for s in sections] == [
        ("Mechanism of the Sodium-Potassium Pump", 3, 1, ()),
        ("Contribution to Resting Membrane Potential", 3, 1, ()),
    ]


def test_seed__mechanism_has_three_numbered_terms() -> None:
    (points,) = read_document(SEED).sections[0].blocks
    assert isinstance(points, PointList)
    assert (points.ordered, points.start) == (True, 1)
    assert [p.term for p in points.points] == ["Active Transport", "Ion Concentration Gradients", "Electrochemical Gradient"]
    assert points.points[0].text.startswith("The sodium-potassium pump actively transports ions against")
    assert points.points[2].text.endswith("higher concentration of Na+ ions outside.")
    assert all(p.children == () for p in points.points)


def test_seed__contribution_has_two_bulleted_terms() -> None:
    (points,) = read_document(SEED).sections[1].blocks
    assert isinstance(points, PointList) and not points.ordered
    assert [p.term for p in points.points] == ["Preservation of Resting Potential", "Influence on Action Potentials"]
    assert points.points[1].text.endswith("which is again facilitated by the sodium-potassium pump.")


def test_seed__in_summary_closer_is_the_summary_not_a_block() -> None:
    doc = read_document(SEED)
    assert doc.summary == (
        "In summary, the sodium-potassium pump is essential for maintaining the resting membrane potential by "
        "actively transporting sodium out of the cell and potassium into the cell, thereby creating the "
        "necessary ion concentration gradients that allow neurons to function properly."
    )
    every_text = [b.text for s in doc.sections for b in s.blocks if isinstance(b, Paragraph)]
    assert not any(t.startswith("In summary") for t in every_text)


def test_seed__answer_is_decoded_markdown() -> None:
    answer = read_document(SEED).answer
    assert "\\n" not in answer
    assert "\n\n### Mechanism of the Sodium-Potassium Pump\n\n1. **Active Transport**: " in answer


# ---------------------------------------------------------------- own fixtures


def test_headings__levels_nest_into_subsections_and_conclusion_becomes_summary() -> None:
    doc = read_document(DOCS / "headings.md")
    assert doc.intro == (Paragraph("Opening paragraph."),)
    assert doc.sections == (
        Section("Cell Transport", 2, (Paragraph("Transport moves molecules across membranes."),), (
            Section("Passive Transport", 3, (), (
                Section("Diffusion", 4, (PointList(False, (
                    Point("Simple Diffusion", "Molecules move down their concentration gradient."),
                    Point("Facilitated Diffusion", "Carrier proteins help molecules across."),
                )),)),
                Section("Osmosis", 4, (Paragraph("Water moves across a semipermeable membrane."),)),
            )),
            Section("Active Transport", 3, (PointList(True, (
                Point("Primary Active Transport", "Uses ATP directly."),
                Point("Secondary Active Transport", "Uses an existing gradient."),
            )),)),
        )),
        Section("Membrane Potential", 2, (PointList(False, (
            Point(None, "A plain point without a term", (
                Paragraph("**Heading inside a point**"),  # a heading in a list item is no section
                Paragraph("Its own paragraph."),
            )),
        )),)),
    )  # fmt: skip
    assert doc.summary == "Transport and potential work together."


def test_html_as_text__tags_stay_words_in_the_model_and_the_render() -> None:
    doc = read_document(DOCS / "html-as-text.md")
    (intro,) = doc.intro
    assert intro.text == (
        "In C++, `#include <iostream>` brings in \\<iostream> for console I/O, "
        "and HTML groups content with \\<div> elements."
    )
    assert render_inline(intro.text) == (
        "In C++, <code>#include &lt;iostream&gt;</code> brings in &lt;iostream&gt; for console I/O, "
        "and HTML groups content with &lt;div&gt; elements."
    )
    (example,) = doc.sections
    code, raw_html, points = example.blocks
    assert code == CodeBlock('#include <iostream>\nint main() {\n    std::cout << "Hello\\n";\n    return 0;\n}', "cpp")
    assert raw_html == Paragraph('\\<div class="note">a raw HTML block\\</div>')
    assert isinstance(points, PointList)
    assert [(p.term, render_inline(p.text)) for p in points.points] == [
        ("Threshold", "glucose &lt; 70 mg/dL is low."),
        ("Script", '&lt;script&gt;alert("x")&lt;/script&gt; is shown, never run.'),
    ]


def test_hard_breaks__two_trailing_spaces_keep_the_line_break() -> None:
    doc = read_document(DOCS / "hard-breaks.md")
    assert doc.intro == (
        Paragraph("Given:  \n(a) first line  \n(b) second line"),
        Paragraph("A soft break joins lines."),
    )
    assert render_inline(doc.intro[0].text) == "Given:<br>\n(a) first line<br>\n(b) second line"


def test_code_strings__escape_sequences_stay_inside_code() -> None:
    doc = read_document(DOCS / "code-strings.md")
    assert doc.intro[0] == Paragraph('Escape sequences stay inside strings, like `printf("a\\n")`.')
    points = doc.intro[1]
    assert isinstance(points, PointList)
    assert [(p.term, p.text) for p in points.points] == [
        ("Python", "Join lines with a newline:"),
        ("C", "Count lines:"),
        ("MATLAB", "Transpose, then print:"),
    ]
    assert [p.children for p in points.points] == [
        (CodeBlock("text = '\\n'.join(lines)\nprint(\"a\\nb\")\n# don't split here", "python"),),
        (CodeBlock("if (c == '\\n') {\n    lines++;\n}", "c"),),
        (CodeBlock("y = [1 2 3]';\nfprintf('%d\\n', y)", "matlab"),),
    ]


def test_body_answer__markdown_below_the_front_matter_is_the_answer() -> None:
    doc = read_document(DOCS / "body-answer.md")
    assert doc.subject == "General Studies"
    assert doc.intro == (Paragraph("The answer may be written as **markdown below the front matter**."),)
    assert doc.sections == (
        Section("Why", 3, (PointList(False, (Point("Readable", "Real newlines instead of `\\n`."),)),)),
    )


# ---------------------------------------------------------------- point terms


@pytest.mark.parametrize(
    "markdown, term, text",
    [
        ("- **Active Transport**: moves ions.", "Active Transport", "moves ions."),
        ("- **Active Transport:** moves ions.", "Active Transport", "moves ions."),
        ("- **Active Transport** - moves ions.", "Active Transport", "moves ions."),
        ("- **Active Transport** \u2014 moves ions.", "Active Transport", "moves ions."),
        ("- **Sample Mean**: 100", "Sample Mean", "100"),  # short values keep no ': '
        ("- **Negation** `¬`", "Negation", "`¬`"),  # a bold name with its symbol
        ("- **Rows** represent the current states.", None, "**Rows** represent the current states."),
        ("- plain words", None, "plain words"),
        ("- **Proportional (P) Component**:", "Proportional (P) Component", ""),
    ],
)
def test_point__term_is_the_bold_lead_before_a_separator(markdown: str, term: str | None, text: str) -> None:
    (points,) = parse_answer(markdown).intro
    assert isinstance(points, PointList)
    assert (points.points[0].term, points.points[0].text) == (term, text)


def test_point__ordered_list_keeps_its_start_number() -> None:
    (points,) = parse_answer("3. **Third**: c\n4. **Fourth**: d").intro
    assert points == PointList(True, (Point("Third", "c"), Point("Fourth", "d")), start=3)


# ---------------------------------------------------------------- summary and other blocks


@pytest.mark.parametrize(
    "markdown, summary",
    [
        ("Body.\n\nIn summary, it works.", "In summary, it works."),
        ("Body.\n\nIn conclusion, it works.", "In conclusion, it works."),
        ("Body.\n\nOverall, it works.", "Overall, it works."),
        ("### Part\n\nBody.\n\nTo summarize, it works.", "To summarize, it works."),
        ("### Part\n\nBody.\n\n### Conclusion\n\nIt works.\n\nReally.", "It works. Really."),
        ("Body.\n\nIn summary, early.\n\n### Part\n\nLast words.", None),  # not the last block
        ("### Conclusion\n\nIt works.\n\n- a point", None),  # not only paragraphs
        ("Body.\n\nIn summary:\n\n- a list follows", None),
    ],
)
def test_summary__only_a_closing_paragraph_or_conclusion(markdown: str, summary: str | None) -> None:
    assert parse_answer(markdown).summary == summary


def test_summary__lifted_out_of_the_last_section() -> None:
    answer = parse_answer("### Part\n\nBody.\n\nIn summary, done.")
    assert answer.sections == (Section("Part", 3, (Paragraph("Body."),)),)


def test_blocks__quote_link_image_and_rule() -> None:
    answer = parse_answer(
        "> **Note**: quoted\n\nSee [the docs](https://example.org/a).\n\n---\n\n![a diagram](https://x/y.png)"
    )
    assert answer.intro == (
        Quote((Paragraph("**Note**: quoted"),)),
        Paragraph("See [the docs](<https://example.org/a>)."),
        Paragraph("a diagram"),  # alt text only: cards fetch nothing remote
    )


def test_blocks__math_is_normalised_to_parenthesis_delimiters() -> None:
    (para,) = parse_answer("With $ x^2 $ and \\( y \\) and $$ z $$ and $5 and $10.").intro
    # money stays text: its "$" escaped, so no later render can pair it up as math
    assert para == Paragraph("With \\(x^2\\) and \\(y\\) and \\[z\\] and \\$5 and \\$10.")
    assert render_inline(para.text) == "With \\(x^2\\) and \\(y\\) and \\[z\\] and $5 and $10."
