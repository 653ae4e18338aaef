"""Plain-text parts of a card (topic, headings, question) are written as markdown with
their specials escaped, so `*`, `_` and braces typed by an author show as typed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from quizgen.cards.generate import generate_cards
from quizgen.export.render import render_inline
from quizgen.parse.document import parse_document

DOC = """---
id: 77
title: Braces
question: >-
    What do {curly} and *star* mean in set_builder notation?
answer: >-
    The set_builder {x} notation is common.\\n\\n### Key Ideas of {Sets} and *Stars*\\n\\n1. **Membership**: Membership is written with the symbol for element of a set.\\n\\n2. **Cardinality**: Cardinality counts the 3 elements in a set of three items.
subject: Math
seo:
  page_keywords: >-
    set_builder {x} notation, membership
---
&nbsp;
"""


def test_typed_specials_in_keywords_and_headings_keep_every_card() -> None:
    cards = generate_cards(parse_document(DOC, "braces.md"))
    assert {c.kind for c in cards} >= {"gist", "term", "list"}
    for card in cards:
        context = render_inline(card.context)
        assert "Set_builder &#123;x&#125; notation" in context
        assert "<em>" not in context
    gist = next(c for c in cards if c.kind == "gist")
    assert render_inline(gist.front) == "What do &#123;curly&#125; and *star* mean in set_builder notation?"


def test_cli__a_bug_is_an_internal_error_message_not_a_traceback(tmp_path: Path) -> None:
    code = (
        "import sys, quizgen.cli as c\n"
        "def boom(*a, **k): raise RuntimeError('kaboom')\n"
        "c.cli.main = boom\n"
        "sys.argv = ['quizgen', 'lint']\n"
        "c.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 3
    assert "internal error: RuntimeError: kaboom" in done.stderr and "Traceback" not in done.stderr


def test_entities_in_the_answer_mean_their_characters() -> None:
    """`&amp;`, `&nbsp;` and `&lt;` written in a document show as &, a space and <."""
    from quizgen.parse.answer import parse_answer

    text = parse_answer("Salt &amp; water, 5&nbsp;mg, &lt;b&gt; and &#123;x&#125; here.").intro[0].text
    assert render_inline(text) == "Salt &amp; water, 5&nbsp;mg, &lt;b&gt; and &#123;x&#125; here."
