"""The parse stage's third round of shortcuts gives exactly what the plain code gives."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.parse import escapes, simple_inline
from test_simple_inline import inline_strings


def old_is_simple(markdown: str) -> bool:
    """is_simple as it was: the two patterns alone (the oracle)."""
    return bool(simple_inline._SIMPLE.fullmatch(markdown)) and not simple_inline._BLOCK_START.match(markdown)


def test_decimal__is_what_the_pattern_calls_a_digit() -> None:
    """is_simple asks `isdecimal` where `_BLOCK_START` would ask `\\d`: the same for every character."""
    digit = re.compile(r"\d")
    assert all(bool(digit.match(chr(code))) == chr(code).isdecimal() for code in range(sys.maxunicode + 1))


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["1", "12", "٣", "1.", "2)", " ", "x", "**b**", "`c`", ".", ")", "-"]), max_size=6))
def test_is_simple__as_before_on_text_that_may_start_a_list(pieces: list[str]) -> None:
    markdown = "".join(pieces)
    assert simple_inline.is_simple(markdown) == old_is_simple(markdown)


def test_is_simple__as_before_on_every_string_of_the_corpus() -> None:
    strings = inline_strings()
    assert strings and all(simple_inline.is_simple(s) == old_is_simple(s) for s in strings)


def old_decode_newlines(raw: str) -> str:
    """decode_newlines as it was: the prose test by removing every "\\n" (the oracle)."""
    if "\\n" not in raw:
        return raw
    if ("`" not in raw and "$" not in raw and "\\" not in raw.replace("\\n", "")
            and escapes._PROSE_COMMAND.search(raw) is None):
        return raw.replace("\\n", "\n")
    return escapes._Decoder(raw).run()


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["\\n", "\\", "n", "a b", "`", "$", "\\neq", "\\nabla ", "\\nu", "\n", "\\\\n", "é"]),
                max_size=10))
def test_decode_newlines__as_before(pieces: list[str]) -> None:
    raw = "".join(pieces)
    assert escapes.decode_newlines(raw) == old_decode_newlines(raw)
