"""render_markdown: hostile markdown becomes inert text, and nothing typed in a document
can act as Anki template or cloze syntax.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from quizgen.export.render import render_blocks, render_inline, render_markdown
from quizgen.model import CodeBlock, MathBlock, Paragraph, Table, cloze
from quizgen.parse.document import read_document

# ---------------------------------------------------------------- HTML stays text


@pytest.mark.parametrize(
    "markdown, html",
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ('<img src=x onerror="alert(1)">', '<p>&lt;img src=x onerror="alert(1)"&gt;</p>'),
        ("<style>body{display:none}</style>", "<p>&lt;style&gt;body&#123;display:none&#125;&lt;/style&gt;</p>"),
        ("<iframe src='https://evil.example'></iframe>", "<p>&lt;iframe src='https://evil.example'&gt;&lt;/iframe&gt;</p>"),
        ("<svg onload=alert(1)>", "<p>&lt;svg onload=alert(1)&gt;</p>"),
        ("Text with <b onclick=x()>bold</b> tag", "<p>Text with &lt;b onclick=x()&gt;bold&lt;/b&gt; tag</p>"),
        ("glucose < 70 mg/dL", "<p>glucose &lt; 70 mg/dL</p>"),
        ("K+ > 5.0 & Na+ < 135", "<p>K+ &gt; 5.0 &amp; Na+ &lt; 135</p>"),
    ],
)
def test_render__raw_html_is_shown_as_text(markdown: str, html: str) -> None:
    assert render_markdown(markdown) == html


def test_render__raw_html_block_spanning_lines_is_text() -> None:
    html = render_markdown("<div onclick=\"steal()\">\n<script>alert(1)</script>\n</div>")
    assert "<div" not in html and "<script" not in html
    assert "&lt;div onclick=" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "markdown",
    [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](java&#x73;cript:alert(1))",
        "[click](<javascript:alert(1)>)",
        "<javascript:alert(1)>",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_render__script_links_lose_their_target(markdown: str) -> None:
    html = render_markdown(markdown)
    assert 'href="#harmful-link"' in html
    assert "href=\"javascript" not in html.lower() and "href=\"data:" not in html and "vbscript:msgbox" not in html.split(">", 1)[0]


def test_render__ordinary_links_keep_their_target_and_open_safely() -> None:
    assert render_inline("[docs](https://example.org/a?b=1&c=2)") == (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">docs</a>'
    )


def test_render__images_become_their_alt_text() -> None:
    assert render_inline("![a diagram](https://evil.example/track.png)") == "a diagram"
    assert render_inline('![x" onerror="alert(1)](javascript:alert(1))') == 'x" onerror="alert(1)'


def test_render__code_and_math_escape_markup() -> None:
    assert render_inline("`<script>alert(1)</script>`") == "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"
    assert render_inline("$a<b$") == "\\(a&lt;b\\)"
    code = render_blocks((CodeBlock("<script>alert(1)</script>", "html"),))
    assert "<script" not in code and "&lt;" in code
    math = render_blocks((MathBlock("x < y </div><script>"),))
    assert math == '<div class="math">\\[x &lt; y &lt;/div&gt;&lt;script&gt;\\]</div>'


def test_render__table_cells_are_escaped() -> None:
    html = render_blocks((Table(("<b>head</b>", "b"), (("<img src=x onerror=alert(1)>", "glucose < 70"),)),))
    assert "<img" not in html and "<b>" not in html
    assert "<td>&lt;img src=x onerror=alert(1)&gt;</td>" in html and "<td>glucose &lt; 70</td>" in html


def test_render__hostile_document_end_to_end() -> None:
    document = read_document(FIXTURES / "docs" / "html-as-text.md")
    script = document.sections[0].blocks[2].points[1]
    assert render_inline(script.text) == '&lt;script&gt;alert("x")&lt;/script&gt; is shown, never run.'
    html = render_blocks(document.sections[0].blocks)
    assert '<div class="note">' not in html and "&lt;div class=\"note\"&gt;a raw HTML block&lt;/div&gt;" in html
    assert "<script" not in html and '<div class="highlight">' in html  # our own code block wrapper


# ---------------------------------------------------------------- Anki syntax stays literal


@pytest.mark.parametrize(
    "markdown, html",
    [
        # a zero-width space splits brace pairs: the visible text never holds {{ or }}
        ("{{c1::x}}", "&#123;&#8203;&#123;c1:&#58;x&#125;&#8203;&#125;"),
        ("{{Front}}", "&#123;&#8203;&#123;Front&#125;&#8203;&#125;"),
        ("{{#Back}}x{{/Back}}", "&#123;&#8203;&#123;#Back&#125;&#8203;&#125;x&#123;&#8203;&#123;/Back&#125;&#8203;&#125;"),
        ("set }} here", "set &#125;&#8203;&#125; here"),
        ("a::b and std::cout", "a:&#58;b and std:&#58;cout"),
        ("`{{c1::code}}`", "<code>&#123;&#8203;&#123;c1:&#58;code&#125;&#8203;&#125;</code>"),
        ("$x^{{2}}$", "\\(x^&#123;&#123;2&#125;&#125;\\)"),  # TeX keeps its braces as written
        ("$x^{2}$", "\\(x^&#123;2&#125;\\)"),
    ],
)
def test_render__typed_anki_syntax_shows_literally_as_entities(markdown: str, html: str) -> None:
    assert render_inline(markdown) == html
    assert "{{" not in html and "}}" not in html and "::" not in html


def test_render__anki_syntax_typed_as_entities_stays_inert() -> None:
    for markdown in ("&#123;&#123;c1::x&#125;&#125;", "&#x7B;&#x7B;Front&#x7D;&#x7D;", "&lbrace;&lbrace;x&rbrace;&rbrace;"):
        html = render_inline(markdown)
        assert "{{" not in html and "}}" not in html and "::" not in html


def test_render__typed_cloze_in_a_code_block_stays_literal() -> None:
    html = render_blocks((CodeBlock("x = {{c1::y}}", "python"),))
    assert "{{" not in html and "}}" not in html and "::" not in html


def test_render__only_our_own_cloze_mark_becomes_a_deletion() -> None:
    html = render_inline("Type {{c1::x}} or " + cloze(2, "**sodium** {ions}") + ".")
    assert html == "Type &#123;&#8203;&#123;c1:&#58;x&#125;&#8203;&#125; or {{c2::<strong>sodium</strong> &#123;ions&#125;}}."


def test_render__paragraph_text_from_the_model_renders_as_written() -> None:
    paragraph = Paragraph("Use \\<iostream> and `std::cout`.")
    assert render_blocks((paragraph,)) == "<p>Use &lt;iostream&gt; and <code>std:&#58;cout</code>.</p>"
