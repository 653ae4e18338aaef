"""The render stage's shortcuts give exactly what the general code gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.export import ids
from quizgen.model import CLOZE_MARK, cloze

TEXT = st.text(max_size=30)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT, TEXT, st.integers(0, 10**9))
def test_note_guid__is_guid_for_of_its_coordinates(scope: str, kind: str, key: str, ordinal: int) -> None:
    assert ids.note_guid(scope, kind, key, ordinal) == ids.guid_for(ids.GUID_NAMESPACE, scope, kind, key, ordinal)


@settings(max_examples=400, deadline=None)
@given(st.booleans(), st.tuples(TEXT, TEXT, TEXT, TEXT), st.lists(TEXT, max_size=5).map(tuple))
def test_note_content_hash__is_content_hash(cloze_: bool, fields: tuple[str, str, str, str],
                                            tags: tuple[str, ...]) -> None:
    assert ids.note_content_hash(cloze_, fields, tags) == ids.content_hash(cloze_, fields, tags)


def first_numbering(front: str) -> ids.ClozeNumbers:
    """The first-build numbering as the general code made it: every number maps to itself."""
    current: dict[int, str] = {}
    for number, text in CLOZE_MARK.findall(front):
        current.setdefault(int(number), ids._text_key(text))
    mapping = {n: n for n in current}
    return ids.ClozeNumbers(tuple((key, mapping[n]) for n, key in current.items()),
                            max([1, *(n + 1 for n in mapping.values())]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.sampled_from(["A", "b c", " B ", "a", "x  y", ""])), max_size=8),
       st.sampled_from(["", " and ", "\n"]))
def test_stable_cloze_numbers__first_build_keeps_every_number(deletions: list[tuple[int, str]], glue: str) -> None:
    front = glue.join(cloze(number, text) for number, text in deletions)
    assert ids.stable_cloze_numbers(front, None) == (front, first_numbering(front))
