"""One note as Anki shows it: its fields rendered exactly as the deck's, then laid out
like quizgen's note-type templates. A cloze note previews one card per deletion number:
on the front that deletion is `[...]` and the others show their text; on the back the
hidden text is revealed, highlighted (Anki's `.cloze`).

Only the exporter's rendered (sanitised) fields reach the page; the cloze step works on
`{{cN::..}}`, which in rendered HTML can only be quizgen's own (document braces are
entities). Math becomes MathML here so the page needs no network.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..export.anki import ANKI_DELETION, FieldRenderer, make_note
from ..export.tags import note_tags
from ..export.mathml import math_to_mathml
from ..model import Card
from .quality import CardCheck

_STYLE = re.compile(r'\sstyle="([^"]*)"')
_ALIGN = re.compile(r"^\s*text-align:\s*(left|center|right)\s*;?\s*$")


@dataclass(frozen=True)
class Fields:
    front: str
    back: str
    context: str
    source: str
    tags: tuple[str, ...]
    skipped: str | None  # why the exporter would write no note, else None


def page_html(fragment: str) -> str:
    """Sanitised HTML made fit for the page: MathML for math, table alignment as classes
    (the page's CSP allows no inline styles)."""
    return _STYLE.sub(_style_class, math_to_mathml(fragment))


def _style_class(match: re.Match[str]) -> str:
    align = _ALIGN.match(html.unescape(match.group(1)))
    return f' class="qg-align-{align.group(1)}"' if align else ""


def note_fields(card: Card, render: FieldRenderer) -> Fields:
    """The four fields and the tags the deck's note gets (via the exporter itself)."""
    note = make_note(card, "preview", "preview", render)
    if isinstance(note, str):
        front = render.inline(card.front)
        back = render.inline(card.back) if card.back.strip() else ""
        context = render.inline(card.context) if card.context.strip() else ""
        source = render.source(card.source_title or card.doc_id, card.source_url)
        return Fields(front, back, context, source, note_tags(card), note)
    front, back, context, source = note.fields
    return Fields(front, back, context, source, note.tags, None)


def deletion_numbers(field: str) -> list[int]:
    return sorted({int(m.group(1)) for m in ANKI_DELETION.finditer(field)})


def cloze_side(field: str, number: int, *, answer: bool) -> str:
    """Anki's `{{cloze:Text}}` for card `number`, front (`answer=False`) or back."""

    def show(match: re.Match[str]) -> str:
        n, text = int(match.group(1)), match.group(2)
        if n != number:
            return f'<span class="cloze-inactive" data-ordinal="{n}">{text}</span>'
        if answer:
            return f'<span class="cloze" data-ordinal="{n}">{text}</span>'
        return f'<span class="cloze" data-ordinal="{n}">[...]</span>'

    return ANKI_DELETION.sub(show, field)


def _context(fields: Fields) -> str:
    return f'<div class="qg-context">{page_html(fields.context)}</div>' if fields.context else ""


def _source(fields: Fields) -> str:
    return f'<div class="qg-source">{page_html(fields.source)}</div>' if fields.source else ""


def faces_html(card: Card, fields: Fields) -> str:
    """The card(s) of one note: Q&A as one face (front, rule, back); cloze, per deletion
    number, a front face and a back face."""
    if not card.is_cloze:
        return (
            '<div class="face qa">'
            f"{_context(fields)}"
            f'<div class="qg-prompt">{page_html(fields.front)}</div>'
            '<hr class="answer">'
            f'<div class="qg-answer">{page_html(fields.back)}</div>'
            f"{_source(fields)}</div>"
        )
    text = page_html(fields.front)
    extra = f'<div class="qg-answer">{page_html(fields.back)}</div>' if fields.back else ""
    numbers = deletion_numbers(text)
    if not numbers:
        return f'<div class="face empty">{_context(fields)}<div class="qg-prompt">{text}</div></div>'
    parts = []
    for number in numbers:
        parts.append(
            f'<div class="preview" data-ordinal="{number}">'
            f'<div class="preview-label">Card {number} <span class="muted">(c{number})</span></div>'
            '<div class="face front"><div class="face-label">Front</div>'
            f'{_context(fields)}<div class="qg-prompt qg-cloze">{cloze_side(text, number, answer=False)}</div></div>'
            '<div class="face back"><div class="face-label">Back</div>'
            f'{_context(fields)}<div class="qg-prompt qg-cloze">{cloze_side(text, number, answer=True)}</div>'
            f'<hr class="answer">{extra}{_source(fields)}</div>'
            "</div>"
        )
    return "".join(parts)


def note_html(check: CardCheck, render: FieldRenderer, *, number: int, candidate: bool = False) -> str:
    """One `<article>`: kind, tags and flags, then the card faces. `candidate` marks a
    card the generator rejected (shown only on request)."""
    card, flags = check.card, check.flags
    fields = note_fields(card, render)
    esc = html.escape
    rules = " ".join(check.rules)
    anchor = f"rejected-{number}" if candidate else f"card-{number}"
    css_class = "candidate" if candidate else "note"
    flag_items = "".join(
        f'<li class="flag"><b>{esc(f.rule)}</b> {esc(f.reason)}</li>' for f in flags
    )
    if fields.skipped:
        flag_items += f'<li class="flag"><b>export</b> {esc(fields.skipped)}</li>'
    tag_items = "".join(f"<li>{esc(t)}</li>" for t in fields.tags)
    where = " › ".join(card.section) or "intro"
    label = "rejected candidate" if candidate else f"#{number}"
    cards = len(deletion_numbers(fields.front)) if card.is_cloze else 1
    return (
        f'<article class="{css_class}{" flagged" if flags else ""}" id="{anchor}" tabindex="-1" '
        f'data-kind="{esc(card.kind)}" data-flags="{esc(rules)}">'
        '<header class="note-head">'
        f'<span class="badge kind kind-{esc(card.kind)}">{esc(card.kind)}</span>'
        f'<a class="note-num" href="#{anchor}">{esc(label)}</a>'
        f'<span class="muted">{cards} Anki card{"s" if cards != 1 else ""} · {esc(where)} · {esc(card.key)}</span>'
        "</header>"
        + (f'<ul class="flags">{flag_items}</ul>' if flag_items else "")
        + f'<div class="faces">{faces_html(card, fields)}</div>'
        f'<ul class="tags" aria-label="Tags">{tag_items}</ul>'
        "</article>"
    )
