"""Shortcuts in the hot text helpers give exactly what the plain computation gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.text import content_stems, joined_stems, stems_covered

# Words and every character that markup pairs or strips: code, math, links, emphasis.
PIECES = st.sampled_from(["pump", "Sodium", "ions", "the", " ", "`", "\\", "(", ")", "[", "]", "*", "**",
                          "_", "~", "$", "-70", "mV", "x_y", "\\(", "\\)", "](", "K+"])
TEXT = st.lists(PIECES, max_size=12).map("".join)


@settings(max_examples=800, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_joined_stems_equal_the_stems_of_the_join(parts: list[str]) -> None:
    assert joined_stems(*parts) == content_stems(" ".join(parts))


@settings(max_examples=800, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=3), TEXT)
def test_stems_covered_equals_subset_of_the_join(parts: list[str], needed_text: str) -> None:
    needed = content_stems(needed_text)
    assert stems_covered(needed, *parts) == (needed <= content_stems(" ".join(parts)))


def test_markup_that_pairs_across_the_join_is_read_whole() -> None:
    # "[sodium" + " " + "pump](url)" is one link: its target is no word of the text.
    parts = ("[sodium", "pump](url)")
    assert "url" in content_stems(parts[1])
    assert "url" not in joined_stems(*parts)
    assert not stems_covered(frozenset({"url"}), *parts)
