"""GUIDs are forever: quizgen's guid_for must stay genanki's, character for character."""

from __future__ import annotations

import genanki
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.export import ids


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.integers(-10**6, 10**9)), min_size=1, max_size=6))
def test_guid_for__is_genankis_guid_for(values: list) -> None:
    assert ids.guid_for(*values) == genanki.guid_for(*values)


def test_note_guid__known_value_never_changes() -> None:
    assert ids.note_guid("170601", "term", "active transport", 0) == 'gHFVnCw&mq'
