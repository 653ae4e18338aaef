"""Stable card keys: where a card comes from, never what it says (see export/ids.py)."""

from __future__ import annotations

import re
from typing import Final

from ..text import plain_text

_SLUG_WORD: Final = re.compile(r"[a-z0-9]+")  # compiled once: `re.findall` looks its pattern up on each call


def slug(text: str) -> str:
    """Lowercase alphanumerics joined by '-': typo-level case/space edits keep the key."""
    return "-".join(_SLUG_WORD.findall(plain_text(text).lower())) or "x"


def term_key(term: str) -> str:
    return "term/" + slug(term)


def fact_key(answers: list[str]) -> str:
    return "fact/" + "+".join(slug(a) for a in answers)


def list_key(section: tuple[str, ...], first_term: str | None, index: int) -> str:
    """A list is known by its first term (headings get reworded, sections reordered)."""
    return "list/" + (slug(first_term) if first_term else slug(section[-1] if section else "") + f"/{index}")
