"""Item text for the exporters: markdown rendered once, blanks drawn per format."""

from __future__ import annotations

from ..export.render import render_inline, render_markdown
from ..text import plain_text
from .items import BLANK

BLANK_TEXT = "_____"


def html(markdown: str, *, inline: bool = True, blank: str = BLANK_TEXT) -> str:
    """Sanitised HTML (quizgen.export.render) with each blank drawn as `blank`."""
    rendered = render_inline(markdown) if inline else render_markdown(markdown)
    return rendered.replace(BLANK, blank)


def plain(markdown: str, *, blank: str = BLANK_TEXT) -> str:
    """Readable text for plain-text places: CSV cells, Moodle matching answers."""
    # The blank mark survives plain_text; "_____" itself would be stripped as emphasis.
    return plain_text(markdown).replace(BLANK, blank)
