"""quizgen's mistune (line-start block search, simple-inline fast path) gives exactly the
AST of stock mistune with the same plugins, on every document and on generated markdown."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import content_files, corpus_files, stock_markdown
from quizgen.parse import markdown
from quizgen.parse.document import read_document


STOCK = stock_markdown()


def test_block_search__is_the_line_start_kind_for_every_rule_set() -> None:
    block = markdown._AST.block
    for rules in (None, block.list_rules, block.block_quote_rules):
        assert isinstance(block.compile_sc(rules), markdown._LineStartSearch)


def test_ast__equals_stock_mistune_on_every_document() -> None:
    answers = [read_document(path).answer for path in content_files() + corpus_files()]
    assert answers
    assert [i for i, a in enumerate(answers) if markdown.parse_ast(a) != STOCK(a)] == []


LINES = [
    "", "text line", "**Term**: a point", "1. **Pump**: moves ions", "2) second", "- bullet", "* star",
    "+ plus", "   - indented", "    code indented", "```python", "```", "~~~", "# Heading", "### Sub",
    "Setext", "===", "---", "***", "> quote", "> **bold** quote", "| a | b |", "|---|---|", "a | b",
    "$$", "x^2", "\\[", "\\]", "<div>", "<!-- c -->", "[ref]: http://x", "  two spaces  ", "\t tab",
    "In summary, it works.", "`code` and $x$", "1. item\n   continued", "&nbsp;",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=16).map("\n".join))
def test_ast__equals_stock_mistune_on_generated_markdown(text: str) -> None:
    assert markdown.parse_ast(text) == STOCK(text)


@pytest.mark.parametrize("text", ["**a**\n- b", "x\n```\ncode\n```\ny", "1. **A**: a\n\n   ```\n   c\n   ```\n2. b"])
def test_ast__examples(text: str) -> None:
    assert markdown.parse_ast(text) == STOCK(text)
