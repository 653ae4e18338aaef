"""`clean`'s bytewise check of ASCII text keeps exactly the text the per-character check kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.parse import document


def reference_clean(text: str) -> str:
    """`clean` as it was: one `isprintable` pass decides whether anything is removed."""
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    text = document._OTHER_BREAKS.sub(lambda m: "\n" if m.group(0)[0] == "\r" else " ", text)
    return document._UNSAFE_CHARS.sub("", text)


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40) | st.text(max_size=40))
def test_clean__equals_the_per_character_check(text: str) -> None:
    assert document.clean(text) == reference_clean(text)


def test_clean__examples() -> None:
    for text in ["plain", "a\tb\nc", "a\rb", "a\r\nb", "x\x00y", "x\x7fy", "", "é\x85", "a\u2028b"]:
        assert document.clean(text) == reference_clean(text)
