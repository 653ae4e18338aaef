"""quizgen's mistune (line-start block search, simple-inline fast path, the common-subset
block reader) gives exactly the AST of stock mistune with the same plugins, on every
document and on generated markdown."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import content_files, corpus_files, stock_markdown
from quizgen.parse import common_blocks, markdown, pipe_table
from quizgen.parse.document import read_document
from quizgen.parse.line_search import LineStartSearch


STOCK = stock_markdown()


def test_block_search__is_the_line_start_kind_for_every_rule_set() -> None:
    block = markdown._AST.block
    for rules in (None, block.list_rules, block.block_quote_rules):
        assert isinstance(block.compile_sc(rules), LineStartSearch)


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


# ------------------------------------------------ the common-subset block reader

def _common(text: str) -> list[dict[str, Any]] | None:
    return common_blocks.parse_common(text, markdown._AST.inline, markdown._parse_mistune)


def test_common_blocks__read_every_content_document_and_equal_stock_wherever_taken() -> None:
    content = [read_document(path).answer for path in content_files()]
    corpus = [read_document(path).answer for path in corpus_files()]
    assert all(_common(a) is not None for a in content)  # typical documents take the fast path
    for answer in content + corpus:
        tokens = _common(answer)
        assert tokens is None or tokens == STOCK(answer)


COMMON_BLOCKS = [
    "Plain text line.", "Text with **bold** and `code`.\n**Term**: a point.", "### Section", "#### Sub section",
    "1. **Pump**: moves ions\n2. **Gate**: opens", "1. **Pump**: moves ions\n\n2. **Gate**: opens", "7. seventh\n8. eighth",
    "- bullet *em*\n- second", "* star item", "+ plus item", "3) paren item", "Money $5 and $10, math $x^2$ and \\(y\\).",
    "| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |\n|:-:|--|\n| 1 |", "| x \\| y |\n|---|", "A line with two trailing spaces  \nand more", "C# and F#", "2024 was a year.",
    "Three lines\nof one\nparagraph [link](http://x) <b>html</b> &amp;",
]  # fmt: skip
TRICKY_LINES = [
    "   - indented", "    code indented", "```python", "```", "~~~", "===", "---", "***", "- - -",
    "> quote", "a | b", "$$", "\\[", "\\]", "<div>", "<!-- c -->", "[ref]: http://x", "\t tab", " leading space",
    "### closed ###", "#hashtag", "####### seven", "#", "-", "1.", "1.  two spaces", "- - nested", "1. - nested",
    "  2. indented item", "** *", ":colon start", "a\rb", "\u00a0nbsp start", "| no close", "1. item | pipe",
]  # fmt: skip
SEPARATORS = ["\n\n"] * 6 + ["\n", "\n\n\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(COMMON_BLOCKS + TRICKY_LINES), max_size=10), st.randoms())
def test_common_blocks__equal_stock_on_generated_markdown(blocks: list[str], rng: random.Random) -> None:
    text = "".join(block + rng.choice(SEPARATORS) for block in blocks)
    tokens = _common(text)
    assert tokens is None or tokens == STOCK(text)
    assert markdown.parse_ast(text) == STOCK(text)


def _soups(blocks: list[str], count: int, seed: int) -> list[str]:
    """Markdown soups: blocks mostly between blank lines, sometimes touching."""
    rng = random.Random(seed)
    return ["".join(b + rng.choice(SEPARATORS) for b in rng.choices(blocks, k=rng.randint(1, 16))).strip("\n")
            for _ in range(count)]


def test_common_blocks__soups_of_common_blocks_take_the_fast_path_mostly() -> None:
    soups = _soups(COMMON_BLOCKS, 300, seed=1)
    taken = [s for s in soups if _common(s) is not None]
    assert len(taken) > len(soups) // 4
    assert [s for s in taken if _common(s) != STOCK(s)] == []


def test_common_blocks__soups_with_tricky_lines_fall_back_when_unsure() -> None:
    soups = _soups(COMMON_BLOCKS + TRICKY_LINES, 300, seed=2)
    taken = [s for s in soups if _common(s) is not None]
    assert 0 < len(taken) < len(soups)
    assert [s for s in taken if _common(s) != STOCK(s)] == []
    assert [s for s in soups if markdown.parse_ast(s) != STOCK(s)] == []


@pytest.mark.parametrize("line", [line for line in TRICKY_LINES if line[0] != "|"])  # "|" runs go to mistune alone
def test_common_blocks__a_tricky_line_sends_the_document_to_mistune(line: str) -> None:
    assert _common(f"Intro text.\n\n{line}\n\n1. **A**: a") is None


@pytest.mark.parametrize("text", [
    "Para\n1. interrupts", "Para\n2. cannot interrupt", "1. a\nlazy line", "1. a\n\n2. loose", "- a\n1. other kind",
    "1. a\n1) other delimiter", "1. a\n\n\nafter blanks", "1. a\n### heading ends it", "text\n\n| a |\n|---|\n\n",
    "| a |\n|---|\ntext after table", "### **Bold** heading", "\n\nleading blanks", "trailing blanks\n\n\n", "",
])  # fmt: skip
def test_common_blocks__examples(text: str) -> None:
    tokens = _common(text)
    assert tokens is None or tokens == STOCK(text)
    assert markdown.parse_ast(text) == STOCK(text)


TABLES = [
    "| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |\n|:--|--:|\n| 1 | 2 |\n| 3 | 4 |", "|a|b|c|\n|:-:| |-|\n|x|y|z|",
    "| a | b |\n|---|---|", "| a | b |", "| a | b |\n|---|\n| 1 | 2 |", "| a | b |\n|---|---|\n| 1 |", "| a |\n| x |",
    "| a \\| b |\n|---|\n| 1 |", "| `a|b` | c |\n|---|---|\n| 1 | 2 |", "| **a** | $x$ |\n|---|---|\n| [l](u) | <b> |",
    "|  |  |\n|--|--|\n|  |  |", "| a | b |  \n|---|---|  \n| 1 | 2 |  ", "| a | b\n|---|---|", "|\n|", "| a |\n|-x-|",
    "| \u00a0a\u00a0 | b |\n|---|---|\n| 1 | 2 |", "|a|\n|::|", "|a|\n|:|",
]  # fmt: skip


@pytest.mark.parametrize("table", TABLES)
def test_pipe_table__equals_stock_mistune(table: str) -> None:
    for text in (table, f"Intro.\n\n{table}\n\n1. **A**: a", f"### H\n{table}\n"):
        assert _common(text) == STOCK(text)


def test_pipe_table__plain_tables_skip_mistune() -> None:
    lines = "| a | b |\n|:--|--:|\n| 1 | 2 |".split("\n")
    assert pipe_table.parse_pipe_table(lines, lambda text: [{"type": "text", "raw": text}]) is not None
    assert pipe_table.parse_pipe_table(["| a \\| b |", "|---|"], lambda text: []) is None
